#include "import/wordml.hpp"

#include <pugixml.hpp>

#include <array>
#include <cstring>
#include <functional>

#include "core/diagnostic.hpp"
#include "vntext/vntext.hpp"

namespace vanban::import {

std::string Para::text() const {
    std::string s;
    for (const auto& r : runs) s += r.text;
    return s;
}

static bool blank_text(const std::string& s) {
    for (unsigned char c : s)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
    return true;
}

bool Para::blank() const { return blank_text(text()); }

bool Para::all_bold() const {
    bool any = false;
    for (const auto& r : runs) {
        if (blank_text(r.text)) continue;
        if (!r.bold) return false;
        any = true;
    }
    return any;
}

bool Para::all_italic() const {
    bool any = false;
    for (const auto& r : runs) {
        if (blank_text(r.text)) continue;
        if (!r.italic) return false;
        any = true;
    }
    return any;
}

namespace {

/// Local name of an element ("w:p" -> "p"): any prefix bound to the main namespace.
const char* local(const pugi::xml_node& n) {
    const char* name = n.name();
    const char* colon = std::strchr(name, ':');
    return colon ? colon + 1 : name;
}

bool is(const pugi::xml_node& n, const char* name) { return std::strcmp(local(n), name) == 0; }

pugi::xml_node child(const pugi::xml_node& n, const char* name) {
    for (auto c : n.children())
        if (c.type() == pugi::node_element && is(c, name)) return c;
    return {};
}

const char* attr(const pugi::xml_node& n, const char* name) {
    for (auto a : n.attributes()) {
        const char* an = a.name();
        const char* colon = std::strchr(an, ':');
        if (std::strcmp(colon ? colon + 1 : an, name) == 0) return a.value();
    }
    return nullptr;
}

/// A toggle property (<w:b/>, <w:b w:val="0"/>): nullopt when absent.
std::optional<bool> toggle(const pugi::xml_node& props, const char* name) {
    auto n = child(props, name);
    if (!n) return std::nullopt;
    const char* v = attr(n, "val");
    if (!v) return true;
    return !(std::strcmp(v, "0") == 0 || std::strcmp(v, "false") == 0 || std::strcmp(v, "off") == 0);
}

double twips_attr(const pugi::xml_node& n, const char* name) {
    const char* v = n ? attr(n, name) : nullptr;
    return v ? std::atof(v) : 0.0;
}

struct Style {
    std::string based_on;
    std::optional<bool> bold, italic;
    std::optional<int> outline;
    std::string align;
    double size = 0;
    bool is_default = false;
};

struct Styles {
    std::map<std::string, Style> by_id;
    std::string default_para;
    bool default_bold = false, default_italic = false;
    double default_size = 0;

    template <class F>
    auto resolve(const std::string& id, F get) const -> decltype(get(Style{})) {
        std::string cur = id;
        for (int depth = 0; depth < 20 && !cur.empty(); ++depth) {
            auto it = by_id.find(cur);
            if (it == by_id.end()) break;
            if (auto v = get(it->second)) return v;
            cur = it->second.based_on;
        }
        return decltype(get(Style{})){};
    }
};

void load_styles(const std::string& xml, Styles& st) {
    if (xml.empty()) return;
    pugi::xml_document d;
    if (!d.load_buffer(xml.data(), xml.size())) return;  // styles are optional: a bad part is ignored
    auto root = d.document_element();
    if (auto dd = child(root, "docDefaults")) {
        auto rpr = child(child(dd, "rPrDefault"), "rPr");
        st.default_bold = toggle(rpr, "b").value_or(false);
        st.default_italic = toggle(rpr, "i").value_or(false);
        st.default_size = twips_attr(child(rpr, "sz"), "val") / 2;
    }
    for (auto s : root.children()) {
        if (!is(s, "style")) continue;
        const char* id = attr(s, "styleId");
        if (!id) continue;
        Style x;
        if (auto b = child(s, "basedOn")) x.based_on = attr(b, "val") ? attr(b, "val") : "";
        auto rpr = child(s, "rPr");
        x.bold = toggle(rpr, "b");
        x.italic = toggle(rpr, "i");
        x.size = twips_attr(child(rpr, "sz"), "val") / 2;
        auto ppr = child(s, "pPr");
        if (auto o = child(ppr, "outlineLvl")) x.outline = std::atoi(attr(o, "val") ? attr(o, "val") : "9");
        if (auto j = child(ppr, "jc")) x.align = attr(j, "val") ? attr(j, "val") : "";
        const char* type = attr(s, "type");
        const char* def = attr(s, "default");
        if (type && std::strcmp(type, "paragraph") == 0 && def && (std::strcmp(def, "1") == 0 || std::strcmp(def, "true") == 0)) {
            x.is_default = true;
            st.default_para = id;
        }
        // Word names the heading styles "heading 1".."heading 9"; their level is implied.
        if (auto nm = child(s, "name"); nm && !x.outline) {
            std::string name = vntext::lower(attr(nm, "val") ? attr(nm, "val") : "");
            if (name.rfind("heading ", 0) == 0 && name.size() == 9 && name[8] >= '1' && name[8] <= '9') x.outline = name[8] - '1';
        }
        st.by_id[id] = x;
    }
}

// ---- numbering ------------------------------------------------------------------

struct Level {
    std::string fmt = "decimal";
    std::string text = "%1.";
    int start = 1;
};

struct Numbering {
    std::map<std::string, std::array<Level, 9>> abstract;
    std::map<std::string, std::string> num_to_abstract;
    std::map<std::string, std::array<int, 9>> start_override;  // -1 none
    std::map<std::string, std::array<int, 9>> counters;        // per num id
    std::map<std::string, std::array<bool, 9>> started;
};

void load_numbering(const std::string& xml, Numbering& nb) {
    if (xml.empty()) return;
    pugi::xml_document d;
    if (!d.load_buffer(xml.data(), xml.size())) return;
    auto root = d.document_element();
    for (auto a : root.children()) {
        if (is(a, "abstractNum")) {
            const char* id = attr(a, "abstractNumId");
            if (!id) continue;
            std::array<Level, 9> levels;
            for (auto l : a.children()) {
                if (!is(l, "lvl")) continue;
                int il = std::atoi(attr(l, "ilvl") ? attr(l, "ilvl") : "0");
                if (il < 0 || il > 8) continue;
                Level lv;
                if (auto f = child(l, "numFmt")) lv.fmt = attr(f, "val") ? attr(f, "val") : "decimal";
                if (auto t = child(l, "lvlText")) lv.text = attr(t, "val") ? attr(t, "val") : "";
                if (auto s = child(l, "start")) lv.start = std::atoi(attr(s, "val") ? attr(s, "val") : "1");
                levels[std::size_t(il)] = lv;
            }
            nb.abstract[id] = levels;
        } else if (is(a, "num")) {
            const char* id = attr(a, "numId");
            auto an = child(a, "abstractNumId");
            if (!id || !an || !attr(an, "val")) continue;
            nb.num_to_abstract[id] = attr(an, "val");
            std::array<int, 9> ov;
            ov.fill(-1);
            for (auto o : a.children()) {
                if (!is(o, "lvlOverride")) continue;
                int il = std::atoi(attr(o, "ilvl") ? attr(o, "ilvl") : "0");
                if (auto so = child(o, "startOverride"); so && il >= 0 && il < 9)
                    ov[std::size_t(il)] = std::atoi(attr(so, "val") ? attr(so, "val") : "1");
            }
            nb.start_override[id] = ov;
        }
    }
}

std::string letters(int n, bool upper) {
    std::string s;
    if (n <= 0) return s;
    int k = (n - 1) % 26;
    int rep = (n - 1) / 26 + 1;
    for (int i = 0; i < rep; ++i) s += char((upper ? 'A' : 'a') + k);
    return s;
}

std::string format_counter(int n, const std::string& fmt) {
    if (fmt == "lowerLetter") return letters(n, false);
    if (fmt == "upperLetter") return letters(n, true);
    if (fmt == "upperRoman") return vntext::roman(n);
    if (fmt == "lowerRoman") return vntext::lower(vntext::roman(n));
    if (fmt == "none") return "";
    return std::to_string(n);
}

/// The label Word prints for a paragraph in list `num` at level `ilvl`, advancing the counters.
std::string next_label(Numbering& nb, const std::string& num, int ilvl) {
    auto it = nb.num_to_abstract.find(num);
    if (it == nb.num_to_abstract.end() || ilvl < 0 || ilvl > 8) return "";
    auto ab = nb.abstract.find(it->second);
    if (ab == nb.abstract.end()) return "";
    const auto& levels = ab->second;
    auto& cnt = nb.counters[num];
    auto& started = nb.started[num];
    const auto& ov = nb.start_override[num];
    auto start_of = [&](int l) { return ov[std::size_t(l)] >= 0 ? ov[std::size_t(l)] : levels[std::size_t(l)].start; };
    if (!started[std::size_t(ilvl)]) {
        cnt[std::size_t(ilvl)] = start_of(ilvl);
        started[std::size_t(ilvl)] = true;
    } else {
        ++cnt[std::size_t(ilvl)];
    }
    for (int l = ilvl + 1; l < 9; ++l) started[std::size_t(l)] = false;
    const Level& lv = levels[std::size_t(ilvl)];
    if (lv.fmt == "bullet") {
        std::string t = lv.text;
        if (t == "-" || t == "–" || t == "+") return t == "–" ? "-" : t;
        return ilvl == 0 ? "-" : "+";
    }
    std::string out;
    for (std::size_t i = 0; i < lv.text.size(); ++i) {
        if (lv.text[i] == '%' && i + 1 < lv.text.size() && lv.text[i + 1] >= '1' && lv.text[i + 1] <= '9') {
            int l = lv.text[i + 1] - '1';
            int v = started[std::size_t(l)] ? cnt[std::size_t(l)] : start_of(l);
            out += format_counter(v, levels[std::size_t(l)].fmt);
            ++i;
        } else {
            out += lv.text[i];
        }
    }
    return out;
}

// ---- the document -----------------------------------------------------------------

class Reader {
public:
    Reader(Styles& st, Numbering& nb) : st_(st), nb_(nb) {}

    /// The paragraphs of a page header or footer (<w:hdr>, <w:ftr>), those of its tables included.
    void story(const pugi::xml_node& root, std::vector<Para>& out) {
        Cell all;
        const int saved = paragraphs_;
        cell_content(root, all);
        paragraphs_ = saved;
        for (auto& p : all.paras) {
            p.number = 0;
            p.section = 0;
            out.push_back(std::move(p));
        }
    }

    /// The relationship ids of page 1's header and footer ("" none): the first section's.
    std::string page_one_header_id, page_one_footer_id;

    void body(const pugi::xml_node& b, Flow& flow) {
        for (auto n : b.children()) {
            if (is(n, "p")) {
                Item it;
                it.para = para(n);
                flow.items.push_back(std::move(it));
                if (auto s = child(child(n, "pPr"), "sectPr")) end_section(s, flow);
            } else if (is(n, "tbl")) {
                Item it;
                it.table = table(n);
                flow.items.push_back(std::move(it));
            } else if (is(n, "sdt")) {
                body(child(n, "sdtContent"), flow);
            } else if (is(n, "sectPr")) {
                end_section(n, flow);
            }
        }
    }

private:
    void end_section(const pugi::xml_node& s, Flow& flow) {
        if (flow.sections.empty()) {
            const bool title_page = toggle(s, "titlePg").value_or(false);
            for (auto ref : s.children()) {
                const bool header = is(ref, "headerReference"), footer = is(ref, "footerReference");
                const char* type = attr(ref, "type");
                const char* id = attr(ref, "id");
                if ((!header && !footer) || !id) continue;
                const std::string want = title_page ? "first" : "default";
                if ((type ? std::string(type) : std::string("default")) != want) continue;
                (header ? page_one_header_id : page_one_footer_id) = id;
            }
        }
        Section sec;
        auto sz = child(s, "pgSz");
        double w = twips_attr(sz, "w"), h = twips_attr(sz, "h");
        const char* orient = sz ? attr(sz, "orient") : nullptr;
        sec.landscape = (orient && std::strcmp(orient, "landscape") == 0) || (w > 0 && h > 0 && w > h);
        auto m = child(s, "pgMar");
        const double mm = 25.4 / 1440.0;
        sec.margin_top_mm = twips_attr(m, "top") * mm;
        sec.margin_bottom_mm = twips_attr(m, "bottom") * mm;
        sec.margin_left_mm = twips_attr(m, "left") * mm;
        sec.margin_right_mm = twips_attr(m, "right") * mm;
        flow.sections.push_back(sec);
        ++section_;
    }

    void runs_of(const pugi::xml_node& n, bool pbold, bool pitalic, std::vector<Run>& out) {
        for (auto c : n.children()) {
            if (c.type() != pugi::node_element) continue;
            if (is(c, "r")) {
                auto rpr = child(c, "rPr");
                std::string rstyle;
                if (auto rs = child(rpr, "rStyle")) rstyle = attr(rs, "val") ? attr(rs, "val") : "";
                bool b = toggle(rpr, "b").value_or(
                    st_.resolve(rstyle, [](const Style& s) { return s.bold; }).value_or(pbold));
                bool i = toggle(rpr, "i").value_or(
                    st_.resolve(rstyle, [](const Style& s) { return s.italic; }).value_or(pitalic));
                std::string text;
                for (auto e : c.children()) {
                    if (is(e, "t")) text += e.text().get();
                    else if (is(e, "tab") || is(e, "ptab")) text += '\t';
                    else if (is(e, "br") || is(e, "cr")) {
                        const char* type = attr(e, "type");
                        if (!type || std::strcmp(type, "textWrapping") == 0) text += '\n';
                    } else if (is(e, "noBreakHyphen")) text += '-';
                }
                if (!text.empty()) {
                    text = vntext::nfc(text);
                    if (!out.empty() && out.back().bold == b && out.back().italic == i) out.back().text += text;
                    else out.push_back({text, b, i});
                }
            } else if (is(c, "del") || is(c, "moveFrom") || is(c, "pPr") || is(c, "rPr")) {
                continue;
            } else if (is(c, "sdt")) {
                runs_of(child(c, "sdtContent"), pbold, pitalic, out);
            } else {
                runs_of(c, pbold, pitalic, out);  // ins, hyperlink, smartTag, fldSimple, customXml …
            }
        }
    }

    Para para(const pugi::xml_node& p) {
        Para out;
        out.number = ++paragraphs_;
        out.section = section_;
        auto ppr = child(p, "pPr");
        std::string style = st_.default_para;
        if (auto ps = child(ppr, "pStyle"); ps && attr(ps, "val")) style = attr(ps, "val");
        out.style = style;
        out.outline = st_.resolve(style, [](const Style& s) { return s.outline; }).value_or(-1);
        if (auto o = child(ppr, "outlineLvl"); o && attr(o, "val")) out.outline = std::atoi(attr(o, "val"));
        if (out.outline > 8) out.outline = -1;
        out.align = st_.resolve(style, [](const Style& s) { return s.align.empty() ? std::optional<std::string>() : s.align; })
                        .value_or("");
        if (auto j = child(ppr, "jc"); j && attr(j, "val")) out.align = attr(j, "val");
        if (out.align == "start") out.align = "left";
        if (out.align == "end") out.align = "right";
        if (out.align == "distribute") out.align = "both";
        if (auto ind = child(ppr, "ind")) {
            if (attr(ind, "firstLine")) out.first_indent_pt = twips_attr(ind, "firstLine") / 20;
            if (attr(ind, "hanging")) out.first_indent_pt = -twips_attr(ind, "hanging") / 20;
        }
        bool pbold = st_.resolve(style, [](const Style& s) { return s.bold; }).value_or(st_.default_bold);
        bool pitalic = st_.resolve(style, [](const Style& s) { return s.italic; }).value_or(st_.default_italic);
        if (auto np = child(ppr, "numPr")) {
            auto id = child(np, "numId");
            auto il = child(np, "ilvl");
            if (id && attr(id, "val") && std::strcmp(attr(id, "val"), "0") != 0)
                out.list_label = next_label(nb_, attr(id, "val"), il && attr(il, "val") ? std::atoi(attr(il, "val")) : 0);
        }
        runs_of(p, pbold, pitalic, out.runs);
        return out;
    }

    Table table(const pugi::xml_node& t) {
        Table out;
        out.number = ++tables_;
        out.first_para = paragraphs_ + 1;
        out.section = section_;
        for (auto g : child(t, "tblGrid").children())
            if (is(g, "gridCol")) out.grid.push_back(twips_attr(g, "w") / 20);
        for (auto tr : t.children()) {
            if (!is(tr, "tr")) continue;
            Row row;
            auto trpr = child(tr, "trPr");
            row.header = toggle(trpr, "tblHeader").value_or(false);
            for (auto tc : tr.children()) {
                if (!is(tc, "tc")) continue;
                Cell cell;
                auto tcpr = child(tc, "tcPr");
                if (auto gs = child(tcpr, "gridSpan"); gs && attr(gs, "val")) cell.span = std::max(1, std::atoi(attr(gs, "val")));
                if (auto vm = child(tcpr, "vMerge")) {
                    const char* v = attr(vm, "val");
                    cell.vmerge = v && std::strcmp(v, "restart") == 0 ? 1 : 2;
                }
                cell_content(tc, cell);
                row.cells.push_back(std::move(cell));
            }
            out.rows.push_back(std::move(row));
        }
        return out;
    }

    void cell_content(const pugi::xml_node& n, Cell& cell) {
        for (auto c : n.children()) {
            if (is(c, "p")) cell.paras.push_back(para(c));
            else if (is(c, "tbl")) {  // a nested table: its paragraphs, in order
                for (auto tr : c.children())
                    if (is(tr, "tr"))
                        for (auto tc : tr.children())
                            if (is(tc, "tc")) cell_content(tc, cell);
            } else if (is(c, "sdt")) {
                cell_content(child(c, "sdtContent"), cell);
            }
        }
    }

    Styles& st_;
    Numbering& nb_;
    int paragraphs_ = 0, tables_ = 0, section_ = 0;
};

/// 1-based line and column of a byte offset.
TextPos position(const std::string& text, std::ptrdiff_t offset) {
    TextPos p{1, 1};
    for (std::ptrdiff_t i = 0; i < offset && i < std::ptrdiff_t(text.size()); ++i) {
        if (text[std::size_t(i)] == '\n') {
            ++p.line;
            p.column = 1;
        } else if ((static_cast<unsigned char>(text[std::size_t(i)]) & 0xC0) != 0x80) {
            ++p.column;
        }
    }
    return p;
}

}  // namespace

Flow read_flow(const std::string& file, const std::string& document_xml, const std::string& styles_xml,
               const std::string& numbering_xml, const std::string& rels_xml,
               const std::map<std::string, std::string>& parts) {
    pugi::xml_document d;
    auto res = d.load_buffer(document_xml.data(), document_xml.size());
    if (!res)
        throw InputError(file + ":word/document.xml", position(document_xml, res.offset),
                         tr("import-damaged", "malformed XML: {}", res.description()));
    auto root = d.document_element();
    auto body = child(root, "body");
    if (!is(root, "document") || !body)
        throw InputError(file + ":word/document.xml", "",
                         tr("import-not-docx", "not a WordprocessingML document: expected <w:document> with a <w:body>, found <{}>",
                            root.name()));
    Styles st;
    load_styles(styles_xml, st);
    Numbering nb;
    load_numbering(numbering_xml, nb);
    Flow flow;
    flow.default_size_pt = st.resolve(st.default_para, [](const Style& s) { return s.size > 0 ? std::optional<double>(s.size) : std::nullopt; })
                               .value_or(st.default_size);
    Reader r(st, nb);
    r.body(body, flow);
    // Page 1's header and footer: their parts named through the relationships.
    pugi::xml_document rels;
    if (!rels_xml.empty() && rels.load_buffer(rels_xml.data(), rels_xml.size())) {
        auto target_of = [&](const std::string& id) -> std::string {
            for (auto rel : rels.document_element().children())
                if (attr(rel, "Id") && id == attr(rel, "Id") && attr(rel, "Target")) {
                    std::string t = attr(rel, "Target");
                    return t.rfind("/", 0) == 0 ? t.substr(1) : "word/" + t;
                }
            return {};
        };
        for (auto [id, out] : {std::pair{&r.page_one_header_id, &flow.page_one_header},
                               std::pair{&r.page_one_footer_id, &flow.page_one_footer}}) {
            if (id->empty()) continue;
            const std::string path = target_of(*id);
            auto it = parts.find(path);
            if (it == parts.end()) continue;
            pugi::xml_document story;
            auto res = story.load_buffer(it->second.data(), it->second.size());
            if (!res)
                throw InputError(file + ":" + path, position(it->second, res.offset), tr("import-damaged", "malformed XML: {}", res.description()));
            r.story(story.document_element(), *out);
        }
    }
    if (flow.sections.empty()) flow.sections.push_back(Section{});
    // Items after the last section mark (none in a well-formed document) belong to the last section.
    for (auto& it : flow.items) {
        int& s = it.para ? it.para->section : it.table->section;
        if (s >= int(flow.sections.size())) s = int(flow.sections.size()) - 1;
    }
    return flow;
}

}  // namespace vanban::import

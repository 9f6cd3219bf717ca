// import/recognise: the decree's elements found in a flow of paragraphs and tables.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <regex>
#include <set>

#include "import/import.hpp"
#include "import/table.hpp"
#include "import/text.hpp"
#include "vanban/embedded.hpp"
#include "vntext/vntext.hpp"

namespace vanban::import {

namespace {

using json = nlohmann::ordered_json;

struct DocType {
    std::string code, name;
};

const std::vector<DocType>& doc_types() {
    static const std::vector<DocType> types = [] {
        std::vector<DocType> out;
        for (const auto& e : nlohmann::json::parse(embedded::doc_types_json))
            out.push_back({e.value("code", ""), e.value("name", "")});
        return out;
    }();
    return types;
}

/// A piece of a paragraph: all of it, or the part between tabs.
struct Line {
    std::string text;  ///< squashed
    bool bold = false, italic = false;
    int para = 0;
    std::string align;
};

/// Splits a paragraph at its tabs: (left piece or "", the rest joined). A
/// paragraph that starts with a tab has everything on the right.
std::vector<Line> tab_pieces(const Para& p) {
    std::vector<Line> out;
    Line cur;
    cur.para = p.number;
    cur.align = p.align;
    bool any_bold = true, any_italic = true, seen = false;
    auto flush = [&] {
        cur.text = squash(cur.text);
        cur.bold = seen && any_bold;
        cur.italic = seen && any_italic;
        out.push_back(cur);
        cur.text.clear();
        any_bold = any_italic = true;
        seen = false;
    };
    for (const auto& r : p.runs) {
        std::size_t start = 0;
        for (std::size_t i = 0; i <= r.text.size(); ++i) {
            if (i < r.text.size() && r.text[i] != '\t') continue;
            std::string part = r.text.substr(start, i - start);
            if (!squash(part).empty()) {
                seen = true;
                any_bold = any_bold && r.bold;
                any_italic = any_italic && r.italic;
            }
            cur.text += part;
            if (i < r.text.size()) flush();
            start = i + 1;
        }
    }
    flush();
    return out;
}

Line whole(const Para& p) {
    Line l;
    l.text = squash(p.text());
    l.bold = p.all_bold();
    l.italic = p.all_italic();
    l.para = p.number;
    l.align = p.align;
    return l;
}

bool is_rule(const std::string& s) {
    if (s.empty()) return true;
    for (unsigned char c : s)
        if (!(c == '-' || c == '_' || c == '=' || c == '*' || c == ' ' || c == '.')) {
            // "—" and "–" (UTF-8 E2 80 94 / 93) count as rule characters too
            if (!(c == 0xE2 || c == 0x80 || c == 0x93 || c == 0x94)) return false;
        }
    return true;
}

bool starts_ci(const std::string& s, const std::string& prefix) {
    return vntext::lower(s.substr(0, std::min(s.size(), prefix.size() + 8))).rfind(vntext::lower(prefix), 0) == 0;
}

struct DateFound {
    std::string place;
    int year = 0;
    std::optional<int> month, day;
};

std::optional<DateFound> parse_date_line(const std::string& text) {
    auto at = text.find(", ngày");
    if (at == std::string::npos) at = text.find(",ngày");
    if (at == std::string::npos) return std::nullopt;
    std::string tail = text.substr(text.find("ngày", at));
    for (auto& c : tail)
        if (c == '.' || c == '_') c = ' ';
    tail = squash(replace_all(tail, "…", " "));
    static const std::regex re(R"(^ngày\s*([0-9]{1,2})?\s*tháng\s*([0-9]{1,2})?\s*năm\s*([0-9]{4})\s*$)");
    std::smatch m;
    if (!std::regex_match(tail, m, re)) return std::nullopt;
    DateFound d;
    d.place = squash(text.substr(0, at));
    d.year = std::stoi(m[3]);
    if (m[2].matched) d.month = std::stoi(m[2]);
    if (m[1].matched && d.month) d.day = std::stoi(m[1]);
    return d;
}

/// The outline level of a typed number: 0 none, 1 "I.", 2 "1.", 3 "1.1.", 4 "a)" or "a.", 5 "-", 6 "+".
struct Numbered {
    int level = 0;
    std::size_t length = 0;  ///< bytes of the number and the spaces after it
    std::string label;       ///< as typed
};

Numbered typed_number(const std::string& text) {
    static const std::regex sec(R"(^([IVXL]+)\.\s+)"), sub(R"(^([0-9]{1,2})\.([0-9]{1,2})\.?\s+)"),
        cl(R"(^([0-9]{1,2})\.\s+)"), pt(R"(^([a-z]|đ)[).]\s+)"), dash(R"(^(-|–|•)\s+)"), plus(R"(^\+\s+)");
    std::smatch m;
    Numbered n;
    auto take = [&](int level) {
        n.level = level;
        n.length = std::size_t(m.length(0));
        n.label = squash(m.str(0));
    };
    if (std::regex_search(text, m, sec)) take(1);
    else if (std::regex_search(text, m, sub)) take(3);
    else if (std::regex_search(text, m, cl)) take(2);
    else if (std::regex_search(text, m, pt)) take(4);
    else if (std::regex_search(text, m, dash)) take(5);
    else if (std::regex_search(text, m, plus)) take(6);
    return n;
}

/// Markdown of runs (the outline format's inline markup), from byte `skip` of their text on.
std::string inline_md(const std::vector<Run>& runs, std::size_t skip) {
    std::vector<Run> rs;
    for (const auto& r : runs) {
        std::string t = r.text;
        if (skip >= t.size()) {
            skip -= t.size();
            continue;
        }
        t = t.substr(skip);
        skip = 0;
        for (auto& c : t)
            if (c == '\t' || c == '\n' || c == '\r') c = ' ';
        if (!rs.empty() && rs.back().bold == r.bold && rs.back().italic == r.italic) rs.back().text += t;
        else rs.push_back({t, r.bold, r.italic});
    }
    std::string out;
    for (const auto& r : rs) {
        std::string t = r.text;
        std::string esc;
        for (char c : t) {
            if (c == '*' || c == '\\') esc += '\\';
            esc += c;
        }
        if (!r.bold && !r.italic) {
            out += esc;
            continue;
        }
        // Markers hug the text: spaces stay outside them.
        std::size_t b = esc.find_first_not_of(' '), e = esc.find_last_not_of(' ');
        if (b == std::string::npos) {
            out += esc;
            continue;
        }
        std::string mark = r.bold && r.italic ? "***" : r.bold ? "**" : "*";
        out += esc.substr(0, b) + mark + esc.substr(b, e - b + 1) + mark + esc.substr(e + 1);
    }
    return squash(out);
}

class Recogniser {
public:
    Recogniser(const Flow& f, const std::string& file) : flow_(f), file_(file) {}

    Result run() {
        collect_top();
        page_one_marks();
        std::size_t i = 0;
        header(i);
        title(i);
        kinh_gui(i);
        std::size_t closing_at = find_closing(i);
        body(i, closing_at);
        std::size_t after = closing(closing_at);
        copy_block(after);
        while (attached(after)) {
        }
        annexes(after);
        finish();
        return std::move(r_);
    }

private:
    // ---- items -------------------------------------------------------------------
    void collect_top() {
        for (const auto& it : flow_.items) {
            if (it.para && it.para->blank()) continue;
            items_.push_back(&it);
        }
    }
    bool is_para(std::size_t i) const { return i < items_.size() && items_[i]->para; }
    bool is_table(std::size_t i) const { return i < items_.size() && items_[i]->table; }
    const Para& para(std::size_t i) const { return *items_[i]->para; }
    const Table& table(std::size_t i) const { return *items_[i]->table; }

    void unplaced(const Line& l, const std::string& where) {
        r_.warnings.warning(file_, "", tr("import-unplaced", "paragraph {}: \"{}\" {} could not be placed; it was put into the body",
                                          l.para, l.text, translate(nullptr, where.c_str())));
        (where.find("signature") != std::string::npos || where.find("closing") != std::string::npos ? tail_ : head_)
            .push_back(escape_md(l.text));
    }

    // ---- marks (Phụ lục I: 10a/10b, 11, 13; DỰ THẢO) ----------------------------------
    /// A secrecy (10a) or urgency (10b) stamp: "secrecy" or "urgency" with its
    /// text as the decree spells it, or {} when `t` is neither.
    static std::pair<std::string, std::string> stamp_of(const std::string& t) {
        std::string u = replace_all(vntext::upper(squash(t)), "HOẢ", "HỎA");
        if (u == "MẬT" || u == "TỐI MẬT" || u == "TUYỆT MẬT") return {"secrecy", u};
        if (u == "KHẨN" || u == "THƯỢNG KHẨN" || u == "HỎA TỐC") return {"urgency", u};
        return {};
    }

    /// Takes a line that is a secrecy or urgency stamp (the first of each kind).
    bool take_stamp(const Line& l) {
        auto [kind, text] = stamp_of(l.text);
        if (kind.empty() || marks_.contains(kind)) return false;
        marks_[kind] = text;
        r_.summary.push_back(kind == "secrecy" ? tx("secrecy stamp (10a): {}", text) : tx("urgency stamp (10b): {}", text));
        return true;
    }

    static bool is_page_number(const std::string& t) {
        return !t.empty() && t.find_first_not_of("0123456789 -") == std::string::npos;
    }

    void unplaced_mark(const Line& l, const std::string& where) {
        r_.warnings.warning(file_, "", tr("import-unplaced", "{}: \"{}\" could not be placed; it was put into the body",
                                          translate(nullptr, where.c_str()), l.text));
        head_.push_back(escape_md(l.text));
    }

    /// A mark of page 1's top margin: DỰ THẢO (`draft`), TÀI LIỆU THU HỒI
    /// (`recall`), a 10a/10b stamp, or another short UPPER line (box 11,
    /// `circulation`); false when `l` is none of them (or the mark is taken).
    bool take_top_mark(const Line& l) {
        const std::string u = vntext::upper(l.text);
        if (u.rfind("DỰ THẢO", 0) == 0 && !marks_.contains("draft")) {
            marks_["draft"] = u == "DỰ THẢO" ? json(true) : json(l.text);
            r_.summary.push_back(tx("draft mark: {}", l.text));
        } else if (u == "TÀI LIỆU THU HỒI" && !marks_.contains("recall")) {
            marks_["recall"] = true;
            r_.summary.push_back(tx("recall stamp (11): {}", l.text));
        } else if (take_stamp(l)) {
            return true;
        } else if (u == l.text && u != vntext::lower(l.text) && vntext::decode(l.text).size() <= 30 && !marks_.contains("circulation")) {
            marks_["circulation"] = l.text;
            r_.summary.push_back(tx("circulation mark (11): {}", l.text));
        } else {
            return false;
        }
        return true;
    }

    /// Page 1's own page header (box 11, DỰ THẢO) and footer (the address, box 13).
    void page_one_marks() {
        for (const auto& p : flow_.page_one_header) {
            const Line l = whole(p);
            if (l.text.empty() || is_page_number(l.text)) continue;
            if (!take_top_mark(l)) unplaced_mark(l, N_("page 1's page header"));
        }
        std::vector<std::string> footer;
        for (const auto& p : flow_.page_one_footer) {
            const Line l = whole(p);
            if (l.text.empty() || is_page_number(l.text)) continue;
            if (footer.size() < 4) footer.push_back(l.text);
            else unplaced_mark(l, N_("page 1's page footer"));
        }
        if (!footer.empty()) {
            marks_["footer"] = footer;
            r_.summary.push_back(tx("address footer (13): {} lines", footer.size()));
        }
    }

    // ---- header ------------------------------------------------------------------
    static bool table_is_header(const Table& t) {
        std::string all;
        for (const auto& row : t.rows)
            for (const auto& c : row.cells)
                for (const auto& p : c.paras) all += p.text() + " ";
        std::string up = vntext::upper(all);
        return up.find("CỘNG HÒA") != std::string::npos || up.find("CỘNG HOÀ") != std::string::npos ||
               up.find("SỐ:") != std::string::npos;
    }

    void header(std::size_t& i) {
        // The marks typed as paragraphs above a header table (box 11, DỰ THẢO, at most three).
        std::size_t top = i;
        while (is_para(top) && top < i + 3) ++top;
        if (top > i && is_table(top) && table_is_header(table(top))) {
            for (; i < top; ++i)
                if (!take_top_mark(whole(para(i)))) unplaced(whole(para(i)), N_("above the header"));
        }
        std::vector<Line> left, right;
        if (is_table(i) && table_is_header(table(i))) {
            for (const auto& row : table(i).rows) {
                if (row.cells.empty()) continue;
                for (const auto& p : row.cells.front().paras)
                    if (!p.blank()) left.push_back(whole(p));
                if (row.cells.size() > 1)
                    for (const auto& p : row.cells.back().paras)
                        if (!p.blank()) right.push_back(whole(p));
                for (std::size_t c = 1; c + 1 < row.cells.size(); ++c)
                    for (const auto& p : row.cells[c].paras)
                        if (!p.blank()) right.push_back(whole(p));
            }
            ++i;
            r_.summary.push_back(tx("header: a two-column table"));
            // A Công văn's "V/v" may follow the table in the left column's place.
            while (is_para(i) && starts_ci(squash(para(i).text()), "V/v")) left.push_back(whole(para(i++)));
        } else {
            bool date_seen = false, number_seen = false, in_vv = false;
            int taken = 0;
            while (is_para(i) && taken < 14) {
                const Para& p = para(i);
                std::string t = squash(p.text());
                // After the date and the number only the V/v lines remain: "V/v …" and
                // the lines that continue it (left-aligned, before Kính gửi or the body).
                if (date_seen && number_seen && !starts_ci(t, "V/v") &&
                    !(in_vv && p.align != "center" && p.align != "both" && !typed_number(t).level && t.back() != '.'))
                    break;
                if (starts_ci(t, "V/v")) in_vv = true;
                if (is_type_name(t) || starts_ci(t, "Kính gửi")) break;
                auto pieces = tab_pieces(p);
                std::vector<Line> parts;
                for (auto& l : pieces)
                    if (!l.text.empty()) parts.push_back(l);
                if (parts.empty()) {
                    ++i;
                    continue;
                }
                bool right_side = parts.size() == 1 && (is_national(parts[0].text) || parse_date_line(parts[0].text) ||
                                                        p.align == "right");
                if (right_side) {
                    for (auto& l : parts) right.push_back(l);
                } else {
                    left.push_back(parts[0]);
                    for (std::size_t k = 1; k < parts.size(); ++k) right.push_back(parts[k]);
                }
                for (const auto& l : parts) {
                    if (parse_date_line(l.text)) date_seen = true;
                    if (starts_ci(l.text, "Số")) number_seen = true;
                }
                ++i;
                ++taken;
            }
            r_.summary.push_back(tx("header: tab-aligned paragraphs"));
        }
        // A centred national title written apart from the columns also goes right.
        read_left(left);
        read_right(right);
        // Stamps typed as paragraphs under the header (10a, 10b).
        while (is_para(i) && take_stamp(whole(para(i)))) ++i;
    }

    void read_left(const std::vector<Line>& left) {
        std::vector<Line> org;
        std::size_t k = 0;
        for (; k < left.size(); ++k) {
            const Line& l = left[k];
            if (is_rule(l.text)) continue;
            if (starts_ci(l.text, "Số:") || starts_ci(l.text, "Số ") || l.text == "Số") break;
            if (parse_date_line(l.text)) {
                date_line(l);
                continue;
            }
            if (is_national(l.text) || take_stamp(l)) continue;
            org.push_back(l);
        }
        // Organisation: the lines before the first bold one are the parent.
        std::size_t first_bold = org.size();
        for (std::size_t j = 0; j < org.size(); ++j)
            if (org[j].bold) {
                first_bold = j;
                break;
            }
        if (first_bold == org.size()) first_bold = org.size() >= 2 ? 1 : 0;
        std::string parent;
        for (std::size_t j = 0; j < first_bold; ++j) parent += (parent.empty() ? "" : " ") + org[j].text;
        for (std::size_t j = first_bold; j < org.size(); ++j) issuer_.push_back(org[j].text);
        if (!parent.empty()) {
            parent_ = parent;
            r_.summary.push_back(tx("parent organisation: {}", parent));
        }
        if (!issuer_.empty()) r_.summary.push_back(tx("issuer: {}", join(issuer_, " / ")));
        // "Số" and what follows it.
        if (k < left.size()) {
            std::string t = left[k].text;
            static const std::regex re(R"(^Số\s*:?\s*([0-9]*)\s*/\s*(\S+)\s*$)");
            std::smatch m;
            std::string norm = squash(t);
            if (std::regex_match(norm, m, re)) {
                if (!m[1].str().empty()) number_ = std::stoi(m[1]);
                symbol_ = m[2];
                r_.summary.push_back(tx("number: {} / {}", number_ ? std::to_string(*number_) : tx("(draft, no number)"), symbol_));
            } else {
                unplaced(left[k], N_("(the number line)"));
            }
            ++k;
        }
        std::string vv;
        for (; k < left.size(); ++k) {
            const Line& l = left[k];
            if (is_rule(l.text)) continue;
            if (parse_date_line(l.text)) {
                date_line(l);
                continue;
            }
            if (take_stamp(l)) continue;
            if (starts_ci(l.text, "V/v") || !vv.empty()) {
                vv += (vv.empty() ? "" : " ") + l.text;
                continue;
            }
            unplaced(l, N_("in the header's left column"));
        }
        if (!vv.empty()) {
            std::string s = squash(vv.substr(3));
            if (!s.empty() && (s[0] == ':' || s[0] == '.')) s = squash(s.substr(1));
            vv_ = s;
            r_.summary.push_back(tx("V/v (Công văn summary): {}", vv_));
        }
    }

    static bool is_national(const std::string& t) {
        std::string u = vntext::upper(t);
        return u.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA") != std::string::npos ||
               u.find("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA") != std::string::npos || u.find("ĐỘC LẬP") == 0;
    }

    void date_line(const Line& l) {
        auto d = parse_date_line(l.text);
        if (!d) return;
        date_ = *d;
        r_.summary.push_back(tx("place and date: {}", l.text));
    }

    void read_right(const std::vector<Line>& right) {
        for (const auto& l : right) {
            if (is_rule(l.text) || is_national(l.text)) continue;
            if (parse_date_line(l.text)) {
                date_line(l);
                continue;
            }
            unplaced(l, N_("in the header's right column"));
        }
    }

    // ---- type name, summary -------------------------------------------------------------
    /// A type name, also as a joint document's ("KẾ HOẠCH LIÊN TỊCH").
    std::optional<DocType> type_named(const std::string& t) const {
        std::string u = vntext::upper(squash(t));
        while (!u.empty() && (u.back() == ':' || u.back() == '.')) u.pop_back();
        static const std::string joint = " LIÊN TỊCH";
        if (u.size() > joint.size() && u.compare(u.size() - joint.size(), joint.size(), joint) == 0) u.resize(u.size() - joint.size());
        for (const auto& dt : doc_types())
            if (!dt.name.empty() && vntext::upper(dt.name) == u) return dt;
        return std::nullopt;
    }
    bool is_type_name(const std::string& t) const { return type_named(t).has_value(); }
    /// A Quyết định or Nghị quyết: authority line, legal bases, the operative word, articles.
    bool decision() const { return type_.code == "QĐ" || type_.code == "NQ"; }

    void title(std::size_t& i) {
        if (is_para(i)) {
            if (auto dt = type_named(para(i).text())) {
                type_ = *dt;
                r_.summary.push_back(dt->code.empty() ? tx("type: {}", dt->name) : tx("type: {} ({})", dt->name, dt->code));
                ++i;
                std::string summary;
                while (is_para(i)) {
                    const Para& p = para(i);
                    Line l = whole(p);
                    if (is_rule(l.text)) {
                        ++i;
                        break;
                    }
                    if (starts_ci(l.text, "Kính gửi") || typed_number(l.text).level) break;
                    if (!(p.align == "center" || l.bold)) break;
                    // A decision's authority line stands, in capitals, under the summary's rule.
                    if (decision() && !summary.empty() && vntext::upper(l.text) == l.text && l.text != vntext::lower(l.text)) {
                        authority_line_ = l.text;
                        ++i;
                        break;
                    }
                    summary += (summary.empty() ? "" : " ") + l.text;
                    ++i;
                }
                summary_ = summary;
                if (!summary_.empty()) r_.summary.push_back(tx("summary: {}", summary_));
                if (!authority_line_.empty()) r_.summary.push_back(tx("authority: {}", authority_line_));
            }
        }
    }

    void kinh_gui(std::size_t& i) {
        if (!is_para(i)) return;
        std::string t = squash(para(i).text());
        if (!starts_ci(t, "Kính gửi")) return;
        std::string rest = squash(t.substr(t.find("gửi") + std::string("gửi").size()));
        if (!rest.empty() && rest[0] == ':') rest = squash(rest.substr(1));
        ++i;
        auto clean = [](std::string s) {
            s = squash(s);
            if (s.rfind("- ", 0) == 0 || s.rfind("-", 0) == 0) s = squash(s.substr(1));
            while (!s.empty() && (s.back() == ';' || s.back() == '.' || s.back() == ',')) s.pop_back();
            return squash(s);
        };
        bool ended = false;
        if (!rest.empty()) {
            kinh_gui_.push_back(clean(rest));
            ended = rest.back() == '.' && rest[0] != '-';
        }
        while (!ended && is_para(i)) {
            std::string s = squash(para(i).text());
            if (s.empty() || s[0] != '-' || typed_number(s).level != 5) break;
            kinh_gui_.push_back(clean(s));
            ++i;
            if (s.back() == '.') break;
        }
        r_.summary.push_back(tx("Kính gửi: {}", join(kinh_gui_, "; ")));
    }

    // ---- closing -------------------------------------------------------------------------
    std::size_t find_closing(std::size_t from) const {
        for (std::size_t i = from; i < items_.size(); ++i) {
            if (is_table(i)) {
                const auto& t = table(i);
                if (!t.rows.empty() && !t.rows.front().cells.empty()) {
                    for (const auto& p : t.rows.front().cells.front().paras)
                        if (starts_ci(squash(p.text()), "Nơi nhận")) return i;
                }
            } else if (starts_ci(squash(para(i).text()), "Nơi nhận")) {
                // Signatures side by side in a table right above "Nơi nhận" (a joint document's).
                if (i > from && is_table(i - 1) && !signature_blocks(table(i - 1)).empty()) return i - 1;
                return i;
            }
        }
        return items_.size();
    }

    struct Signer {
        std::vector<std::string> authority;
        std::string position, name;
    };

    static bool is_upper_line(const std::string& t) { return vntext::upper(t) == t && vntext::lower(t) != t; }

    /// One signature from a cell's lines: authority lines (TM., KT. …), the
    /// position (one or two UPPER lines), the name (the last line, not UPPER).
    static std::optional<Signer> signer_of(const std::vector<Line>& cell) {
        std::vector<std::string> ls;
        for (const auto& l : cell)
            if (!is_rule(l.text)) ls.push_back(l.text);
        if (ls.size() < 2 || is_upper_line(ls.back()) || ls.back().back() == '.' || ls.back().back() == ':' ||
            split(ls.back(), ' ').size() > 8)
            return std::nullopt;
        Signer s;
        s.name = ls.back();
        ls.pop_back();
        static const std::regex pre(R"(^(TM|KT|Q|TL|TUQ)\.\s*)");
        std::size_t k = 0;
        while (k < ls.size() && std::regex_search(ls[k], pre)) s.authority.push_back(ls[k++]);
        if (k == ls.size() || ls.size() - k > 2) return std::nullopt;
        std::vector<std::string> pos;
        for (; k < ls.size(); ++k) {
            if (!is_upper_line(ls[k])) return std::nullopt;
            pos.push_back(ls[k]);
        }
        s.position = join(pos, " ");
        return s;
    }

    /// The signatures of a borderless table of signature blocks side by side
    /// (no "Nơi nhận" in it), the lead issuer's on the right: right to left,
    /// row group by row group (a group ends with the row that holds the
    /// names). Empty when the table is not such a table.
    static std::vector<Signer> signature_blocks(const Table& t) {
        if (table_is_header(t)) return {};
        std::size_t ncols = 0;
        for (const auto& row : t.rows) ncols = std::max(ncols, row.cells.size());
        if (ncols < 2 || ncols > 4) return {};
        std::vector<std::vector<Line>> cols(ncols);
        std::vector<Signer> out;
        for (const auto& row : t.rows) {
            for (std::size_t c = 0; c < row.cells.size(); ++c)
                for (const auto& p : row.cells[c].paras) {
                    if (p.blank()) continue;
                    Line l = whole(p);
                    if (starts_ci(l.text, "Nơi nhận")) return {};
                    cols[c].push_back(l);
                }
            bool names = false;
            for (const auto& col : cols)
                if (!col.empty() && !is_upper_line(col.back().text) && !is_rule(col.back().text)) names = true;
            if (!names) continue;
            for (std::size_t c = ncols; c-- > 0;) {
                if (cols[c].empty()) continue;
                auto s = signer_of(cols[c]);
                if (!s) return {};
                out.push_back(*s);
                cols[c].clear();
            }
        }
        for (const auto& col : cols)
            if (!col.empty()) return {};
        return out;
    }

    /// The closing block at item i: the signatures above it, "Nơi nhận" with its
    /// Lưu line (a Biên bản's secretary above them) and the signature block
    /// beside them. Returns the item after it.
    std::size_t closing(std::size_t i) {
        if (i >= items_.size()) {
            r_.warnings.warning(file_, "", tr("import-closing", "no \"Nơi nhận\" block was found; recipients, archive and signature are left empty"));
            return i;
        }
        std::vector<Line> left, right;
        if (is_table(i)) {
            signers_ = signature_blocks(table(i));
            if (!signers_.empty()) ++i;  // the signatures; "Nơi nhận" follows as paragraphs
        }
        i = closing_columns(i, left, right);
        std::size_t first = type_.code == "BB" ? read_secretary(left) : 0;
        read_recipients(left, first);
        read_signature(right);
        return i;
    }

    /// Reads the closing block at item i (a table, or paragraphs up to an annex
    /// or the section's end) into its left column ("Nơi nhận") and its right one
    /// (the signature). Returns the item after it.
    std::size_t closing_columns(std::size_t i, std::vector<Line>& left, std::vector<Line>& right) const {
        if (is_table(i)) {
            const auto& t = table(i);
            for (const auto& row : t.rows) {
                if (row.cells.empty()) continue;
                for (const auto& p : row.cells.front().paras)
                    if (!p.blank()) left.push_back(whole(p));
                for (std::size_t c = 1; c < row.cells.size(); ++c)
                    for (const auto& p : row.cells[c].paras)
                        if (!p.blank()) right.push_back(whole(p));
            }
            return i + 1;
        }
        int section = para(i).section;
        while (is_para(i) && para(i).section == section) {
            const Para& p = para(i);
            std::string t = squash(p.text());
            if (starts_ci(t, "Phụ lục") || (vntext::upper(t).rfind("BIỂU", 0) == 0 && p.all_bold())) break;
            auto pieces = tab_pieces(p);
            bool leading_tab = !p.runs.empty() && !p.runs.front().text.empty() && p.runs.front().text[0] == '\t';
            std::vector<Line> parts;
            for (auto& l : pieces)
                if (!l.text.empty()) parts.push_back(l);
            if (parts.size() == 1 && (leading_tab || p.align == "center" || p.align == "right") && !starts_ci(t, "Nơi nhận") &&
                t[0] != '-')
                for (auto& l : parts) right.push_back(l);
            else if (!parts.empty()) {
                left.push_back(parts[0]);
                for (std::size_t k = 1; k < parts.size(); ++k) right.push_back(parts[k]);
            }
            ++i;
        }
        return i;
    }

    /// A Biên bản: the secretary signs on the left, above Nơi nhận (position,
    /// then name). Returns the index of the left line where Nơi nhận starts (0: no secretary).
    std::size_t read_secretary(const std::vector<Line>& left) {
        std::size_t first = 0;
        std::vector<std::string> sec;
        for (; first < left.size() && !starts_ci(left[first].text, "Nơi nhận"); ++first)
            if (!is_rule(left[first].text)) sec.push_back(left[first].text);
        if (sec.size() < 2) return 0;
        secretary_name_ = sec.back();
        secretary_position_ = sec.front();
        for (std::size_t k = 1; k + 1 < sec.size(); ++k) unplaced(left[k], N_("in the secretary's signature"));
        r_.summary.push_back(tx("secretary: {} / {}", secretary_position_, secretary_name_));
        return first;
    }

    /// Nơi nhận from the left lines from `first`: one recipient a dash line (a
    /// line without a dash continues the one before), then the Lưu line.
    void read_recipients(const std::vector<Line>& left, std::size_t first) {
        std::vector<std::string> rec;
        bool archive_seen = false;
        for (std::size_t li = first; li < left.size(); ++li) {
            const Line& l = left[li];
            std::string t = l.text;
            if (starts_ci(t, "Nơi nhận")) {
                t = squash(t.substr(t.find("nhận") + std::string("nhận").size()));
                if (!t.empty() && t[0] == ':') t = squash(t.substr(1));
                if (t.empty()) continue;
            }
            bool dash = t[0] == '-' || t.rfind("–", 0) == 0 || t.rfind("•", 0) == 0;
            std::string s = t;
            if (dash) s = squash(s.substr(s[0] == '-' ? 1 : 3));
            while (!s.empty() && (s.back() == ';' || s.back() == '.' || s.back() == ',')) s.pop_back();
            s = squash(s);
            if (starts_ci(s, "Lưu")) {
                archive_ = archive_of(s);
                archive_seen = true;
                continue;
            }
            if (!dash && !rec.empty() && !archive_seen) {  // a wrapped entry typed on two lines
                rec.back() += " " + s;
                continue;
            }
            if (archive_seen) {
                unplaced(l, N_("after the Lưu line of the closing block"));
                continue;
            }
            rec.push_back(s);
        }
        for (const auto& s : rec) {
            if ((!kinh_gui_.empty() || type_.code == "GGT") && vntext::lower(s) == "như trên") continue;  // printed anyway
            recipients_.push_back(s);
        }
        r_.summary.push_back(archive_seen ? tx("Nơi nhận: {} recipients, Lưu: {}", recipients_.size(), archive_)
                                          : tx("Nơi nhận: {} recipients, no Lưu line", recipients_.size()));
    }

    /// The archive of a Lưu line `s` ("Lưu: VT, NC"); box 12 after it goes into the marks.
    std::string archive_of(const std::string& s) {
        std::string a = squash(s.substr(s.find("Lưu") + std::string("Lưu").size()));
        if (!a.empty() && a[0] == ':') a = squash(a.substr(1));
        // Box 12: the drafter's initials and the number of copies after the archive ("VT, NC (2). HT.(12)").
        static const std::regex box12(R"(^(.+)\.\s+([^\s.()0-9]+)(?:\.\s*\(([0-9]{1,5})\))?$)");
        std::smatch m;
        if (std::regex_match(a, m, box12) && vntext::upper(m[2].str()) == m[2].str() && vntext::decode(m[2].str()).size() <= 10) {
            a = squash(m[1].str());
            marks_["drafter"] = m[2].str();
            if (m[3].matched) marks_["copies"] = std::stoi(m[3].str());
            r_.summary.push_back(tx("drafter and copies (12): {}", m[2].str() + (m[3].matched ? ", " + m[3].str() : std::string())));
        }
        return a;
    }

    /// The signature: the one signature block found above Nơi nhận, or the
    /// signatures side by side there, else the right lines beside Nơi nhận.
    void read_signature(const std::vector<Line>& right) {
        std::vector<Line> sig;
        for (const auto& l : right)
            if (!is_rule(l.text)) sig.push_back(l);
        if (signers_.size() == 1) {  // one signature block in a table above "Nơi nhận"
            authority_ = signers_[0].authority;
            position_ = signers_[0].position;
            name_ = signers_[0].name;
            signers_.clear();
            for (const auto& l : sig) unplaced(l, N_("beside \"Nơi nhận\" under the signature block"));
            r_.summary.push_back(tx("signature: {}{} / {}", authority_.empty() ? "" : join(authority_, " / ") + " / ", position_, name_));
        } else if (!signers_.empty()) {
            for (const auto& l : sig) unplaced(l, N_("beside \"Nơi nhận\" under the signatures"));
            std::string list;
            for (const auto& s : signers_)
                list += (list.empty() ? "" : "; ") + (s.authority.empty() ? "" : join(s.authority, " / ") + " / ") + s.position + " / " + s.name;
            r_.summary.push_back(tx("signatures ({}, the lead issuer's on the right): {}", signers_.size(), list));
        } else if (!sig.empty()) {
            signature_lines(sig);
        } else {
            r_.warnings.warning(file_, "", tr("import-closing", "no signature block was found next to \"Nơi nhận\""));
        }
    }

    /// A signature block's lines: authority lines (TM., KT. …), the position (up
    /// to two UPPER lines), the name (the last line).
    void signature_lines(std::vector<Line> sig) {
        name_ = sig.back().text;
        sig.pop_back();
        std::size_t k = 0;
        static const std::regex pre(R"(^(TM|KT|Q|TL|TUQ)\.\s*)");
        while (k < sig.size() && std::regex_search(sig[k].text, pre)) authority_.push_back(sig[k++].text);
        std::vector<std::string> pos;
        for (; k < sig.size(); ++k) {
            const auto& t = sig[k].text;
            if (vntext::upper(t) == t && pos.size() < 2 && t.find('(') == std::string::npos) pos.push_back(t);
            else unplaced(sig[k], N_("in the signature block"));
        }
        position_ = join(pos, " ");
        r_.summary.push_back(tx("signature: {}{} / {}", authority_.empty() ? "" : join(authority_, " / ") + " / ", position_, name_));
    }

    // ---- a paper copy (Phụ lục I, Phần II; Mẫu 3.1) -----------------------------------------
    static std::string copy_code(const std::string& form) {
        if (form == "SAO Y") return "SY";
        if (form == "SAO LỤC") return "SL";
        if (form == "TRÍCH SAO") return "TrS";
        return {};
    }

    /// The copy block after the copied document (and its annexes): a table with
    /// the copying organisation and "Số: 05/SY-VP" on the left, the copy form
    /// and the place-date line on the right, then the copy's "Nơi nhận" and
    /// signer in a table of their own, the last two items. Read into "copy",
    /// and left out of the document.
    void copy_block(std::size_t from) {
        if (items_.size() < from + 2) return;
        const std::size_t k = items_.size() - 2;
        {
            if (!is_table(k) || !is_table(k + 1)) return;
            std::vector<Line> left, right;
            for (const auto& row : table(k).rows) {
                if (row.cells.size() != 2) continue;
                for (const auto& p : row.cells[0].paras)
                    if (!p.blank()) left.push_back(whole(p));
                for (const auto& p : row.cells[1].paras)
                    if (!p.blank()) right.push_back(whole(p));
            }
            std::string code;
            std::optional<DateFound> date;
            for (const auto& l : right) {
                if (copy_code(l.text).size()) code = copy_code(l.text);
                else if (auto d = parse_date_line(l.text)) date = d;
                else code = "-";  // something else: not a copy block
            }
            static const std::regex number_re(R"(^Số\s*:\s*([0-9]+)\s*/\s*(SY|SL|TrS)-(\S+)$)");
            std::smatch m;
            std::vector<std::string> org;
            bool numbered = false;
            for (const auto& l : left) {
                if (is_rule(l.text)) continue;
                if (!numbered && std::regex_match(l.text, m, number_re)) numbered = true;
                else if (!numbered && l.bold) org.push_back(l.text);
                else numbered = false, org.clear(), code = "-";
            }
            if (code.empty() || code == "-" || !numbered || m[2].str() != code || !date || !date->month || !date->day || org.empty())
                return;
            // The copy's closing: Nơi nhận on the left, the signer on the right.
            std::vector<Line> cl, cr;
            for (const auto& row : table(k + 1).rows) {
                if (row.cells.size() != 2) continue;
                for (const auto& p : row.cells[0].paras)
                    if (!p.blank()) cl.push_back(whole(p));
                for (const auto& p : row.cells[1].paras)
                    if (!p.blank()) cr.push_back(whole(p));
            }
            auto signer = signer_of(cr);
            if (cl.empty() || !starts_ci(cl.front().text, "Nơi nhận") || !signer) return;
            json c;
            c["kind"] = code;
            json issuer;
            issuer["name"] = org.size() == 1 ? json(org[0]) : json(org);
            issuer["code"] = m[3].str();
            c["issuer"] = issuer;
            c["number"] = std::stoi(m[1].str());
            char iso[16];
            std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", date->year, *date->month, *date->day);
            c["date"] = iso;
            c["place"] = date->place;
            std::vector<std::string> rec;
            std::string archive;
            for (std::size_t li = 1; li < cl.size(); ++li) {
                std::string t = cl[li].text;
                if (!t.empty() && t[0] == '-') t = squash(t.substr(1));
                while (!t.empty() && (t.back() == ';' || t.back() == '.')) t.pop_back();
                if (starts_ci(t, "Lưu")) {
                    archive = squash(t.substr(t.find("Lưu") + std::string("Lưu").size()));
                    if (!archive.empty() && archive[0] == ':') archive = squash(archive.substr(1));
                } else if (archive.empty()) {
                    rec.push_back(t);
                } else {
                    unplaced(cl[li], N_("after the Lưu line of the copy's closing block"));
                }
            }
            if (!rec.empty()) c["recipients"] = rec;
            if (!archive.empty()) c["archive"] = archive;
            json sig;
            if (!signer->authority.empty()) sig["authority"] = signer->authority;
            sig["position"] = signer->position;
            sig["name"] = signer->name;
            c["signature"] = sig;
            copy_ = c;
            r_.summary.push_back(tx("copy: {}, {}, {} — {} / {}", m[0].str(), date->place, iso, join(org, " "), signer->name));
            items_.resize(k);
        }
    }

    // ---- body ----------------------------------------------------------------------------
    void body(std::size_t from, std::size_t to) {
        int counts[5] = {0, 0, 0, 0, 0};
        int renumbered = 0;
        for (std::size_t i = from; i < to; ++i) {
            if (is_table(i)) {
                pending_tables_.push_back(i);
                r_.warnings.warning(file_, "", tr("import-table", "table {} stands inside the body; it was made an annex table",
                                                  table(i).number));
                continue;
            }
            const Para& p = para(i);
            std::string full = p.list_label.empty() ? p.text() : p.list_label + " " + p.text();
            std::size_t lead = 0;
            while (lead < full.size() && (full[lead] == ' ' || full[lead] == '\t')) ++lead;
            std::string text = full.substr(lead);
            std::vector<Run> runs = p.runs;
            if (!p.list_label.empty()) {
                bool b = !runs.empty() && runs.front().bold;
                runs.insert(runs.begin(), Run{p.list_label + " ", b, false});
            }
            std::size_t skip_lead = lead;
            if (decision()) {
                std::string sq0 = squash(text);
                // The italic block before the operative word: "Căn cứ …;", "Xét …;", "Theo đề nghị của ….".
                if (body_.empty() && !operative_seen_ && p.all_italic() &&
                    (starts_ci(sq0, "Căn cứ") || starts_ci(sq0, "Xét") || starts_ci(sq0, "Theo đề nghị"))) {
                    while (!sq0.empty() && (sq0.back() == ';' || sq0.back() == '.' || sq0.back() == ',')) sq0.pop_back();
                    if (starts_ci(sq0, "Theo đề nghị")) proposal_ = sq0;
                    else bases_.push_back(sq0);
                    continue;
                }
                if (!operative_seen_ && body_.empty() && (sq0 == "QUYẾT ĐỊNH:" || sq0 == "QUYẾT NGHỊ:")) {
                    operative_seen_ = true;
                    continue;
                }
                // "Chương I" / "Mục 1", then the title on the next line.
                static const std::regex chapter_re(R"(^(Chương|CHƯƠNG|Mục|MỤC)\s+([IVXL]+|[0-9]+)\s*[.:]?\s*(.*)$)");
                std::smatch cm;
                if (std::regex_match(sq0, cm, chapter_re) && (p.align == "center" || p.all_bold())) {
                    std::string t = squash(cm[3].str());
                    if (t.empty() && i + 1 < to && is_para(i + 1)) t = squash(para(++i).text());
                    const bool chapter = starts_ci(cm[1].str(), "Chương");
                    body_.push_back(std::string(chapter ? "Chương: " : "Mục: ") + escape_md(t));
                    counts[2] = counts[3] = counts[4] = 0;
                    continue;
                }
                // "Điều 1." in bold, then the article's text; or a titled article, all bold.
                static const std::regex article_re(R"(^Điều\s+([0-9]+)\s*\.\s*)");
                std::smatch am;
                if (std::regex_search(sq0, am, article_re)) {
                    const std::string rest = squash(sq0.substr(std::size_t(am.length(0))));
                    const std::size_t skip = text.find('.', text.find("Điều")) + 1;
                    ++articles_;
                    counts[2] = counts[3] = counts[4] = 0;
                    if (p.all_bold() && !rest.empty()) body_.push_back("Điều: " + escape_md(rest));
                    else body_.push_back("Điều. " + squash(inline_md(runs, skip_lead + skip)));
                    continue;
                }
            }
            // "Phần I" then its title.
            static const std::regex part_re(R"(^(Phần|PHẦN)\s+([IVXL]+|[0-9]+)\s*[.:]?\s*(.*)$)");
            std::smatch pm;
            std::string sq = squash(text);
            if (std::regex_match(sq, pm, part_re) && (p.align == "center" || p.all_bold())) {
                std::string t = squash(pm[3].str());
                if (t.empty() && i + 1 < to && is_para(i + 1)) t = squash(para(++i).text());
                body_.push_back("= " + escape_md(t));
                counts[1] = counts[2] = counts[3] = counts[4] = 0;
                continue;
            }
            Numbered n = typed_number(text);
            std::string md;
            if (n.level >= 1 && n.level <= 4) {
                std::string rest_text = squash(text.substr(n.length));
                bool heading = p.outline >= 0;
                bool titled = heading || (n.level <= 3 && bold_after(runs, skip_lead + n.length) && !rest_text.empty() &&
                                          rest_text.back() != '.' && rest_text.size() < 300);
                // The outline computes the numbers; a typed one that differs
                // (a document numbered irregularly as published) is kept as typed,
                // "[IV.]", and the outline continues from it.
                std::string expect;
                if (n.level == 1) expect = vntext::roman(++counts[1]) + ".", counts[2] = counts[3] = counts[4] = 0;
                else if (n.level == 2) expect = std::to_string(++counts[2]) + ".", counts[3] = counts[4] = 0;
                else if (n.level == 3) expect = std::to_string(counts[2]) + "." + std::to_string(++counts[3]) + ".", counts[4] = 0;
                else expect = vntext::point_letter(counts[4]++) + ")";
                std::string typed = n.label;
                if (n.level == 3 && typed.back() != '.') typed += '.';
                std::string kept;
                if (typed != expect) {
                    ++renumbered;
                    kept = "[" + n.label + "] ";
                    continue_counts(counts, n.level, n.label);
                }
                std::string hashes(std::size_t(n.level), '#');
                if (titled) md = hashes + " " + kept + escape_md(rest_text);
                else md = hashes + ". " + kept + inline_md(runs, skip_lead + n.length);
            } else if (n.level == 5 || n.level == 6) {
                md = std::string(n.level == 5 ? "- " : "+ ") + inline_md(runs, skip_lead + n.length);
            } else {
                md = inline_md(runs, skip_lead);
                // A plain paragraph must not read as outline markup.
                if (!md.empty() && (md[0] == '#' || md.rfind("= ", 0) == 0)) md = "\\" + md;
            }
            body_.push_back(md);
        }
        r_.summary.push_back(renumbered ? tx("body: {} paragraphs ({} typed numbers differ from the outline's: kept as typed, [IV.])",
                                             body_.size(), renumbered)
                                        : tx("body: {} paragraphs", body_.size()));
    }

    /// The outline's counters after a number kept as typed ("IV.", "3.", "1.2", "b)").
    static void continue_counts(int* counts, int level, std::string label) {
        while (!label.empty() && (label.back() == '.' || label.back() == ')' || label.back() == ' ')) label.pop_back();
        if (level == 1) {
            for (int v = 1; v < 40; ++v)
                if (vntext::roman(v) == label) counts[1] = v;
        } else if (level == 2 && !label.empty() && label.size() < 3) {
            counts[2] = std::stoi(label);
        } else if (level == 3) {
            auto dot = label.find('.');
            if (dot != std::string::npos && dot > 0 && dot + 1 < label.size() && label.size() < 6) {
                counts[2] = std::stoi(label.substr(0, dot));
                counts[3] = std::stoi(label.substr(dot + 1));
            }
        } else if (level == 4) {
            for (int i = 0; i < 23; ++i)
                if (vntext::point_letter(i) == label) counts[4] = i + 1;
        }
    }

    static bool bold_after(const std::vector<Run>& runs, std::size_t skip) {
        bool any = false;
        for (const auto& r : runs) {
            std::string t = r.text;
            if (skip >= t.size()) {
                skip -= t.size();
                continue;
            }
            t = t.substr(skip);
            skip = 0;
            if (squash(t).empty()) continue;
            if (!r.bold) return false;
            any = true;
        }
        return any;
    }

    // ---- annexes ----------------------------------------------------------------------
    /// A text the decision issues (Quy chế, Quy định …) after its closing
    /// block: its own header (issuer and motto, no number or date line), its
    /// type name and summary, the "(Kèm theo …)" note, then its articles up to
    /// the next such text or annex. Moves `i` past it; false when none starts at `i`.
    bool attached(std::size_t& i) {
        if (!decision()) return false;
        std::size_t k = i;
        if (is_table(k) && table_is_header(table(k))) ++k;
        if (!is_para(k)) return false;
        const std::optional<DocType> dt = type_named(para(k).text());
        if (!dt || dt->code.empty()) return false;
        std::size_t j = k + 1;
        std::string summary;
        while (is_para(j)) {
            const Line l = whole(para(j));
            if (is_rule(l.text)) {
                ++j;
                continue;
            }
            if (l.text.rfind("(Kèm theo", 0) == 0) {  // the note is generated from the decision: "… của <issuer>)"
                std::string note = squash(l.text);
                while (is_para(j + 1) && note.back() != ')') note += " " + squash(para(++j).text());
                static const std::string of_word = " của ";
                if (auto of = note.rfind(of_word); full_name_.empty() && of != std::string::npos && note.back() == ')')
                    full_name_ = squash(note.substr(of + of_word.size(), note.size() - of - of_word.size() - 1));
                ++j;
                break;
            }
            if (!(para(j).align == "center" || l.bold) || typed_number(l.text).level) break;
            summary += (summary.empty() ? "" : " ") + l.text;
            ++j;
        }
        std::size_t end = j;
        while (end < items_.size()) {
            if (is_table(end)) break;
            const std::string t = squash(para(end).text());
            if (starts_ci(t, "Phụ lục") || type_named(t)) break;
            ++end;
        }
        std::vector<std::string> main_body;
        main_body.swap(body_);
        body(j, end);
        const std::string name = attached_.empty() ? vntext::ascii_slug(dt->name) + ".md"
                                                   : vntext::ascii_slug(dt->name) + "-" + std::to_string(attached_.size() + 1) + ".md";
        std::string text;
        for (const auto& b : body_) text += b + "\n\n";
        if (!text.empty()) text.pop_back();
        r_.texts.push_back({name, text});
        attached_.push_back({{"type", dt->code}, {"summary", summary}, {"body", {{"file", name}}}});
        r_.summary.push_back(tx("attached: {} — {} ({}, {} paragraphs)", dt->name, summary, name, body_.size()));
        body_.swap(main_body);
        i = end;
        return true;
    }

    void annexes(std::size_t i) {
        std::vector<std::size_t> tables = pending_tables_;
        std::vector<std::vector<Line>> before_of, after_of;
        std::vector<Line> pre;
        for (; i < items_.size(); ++i) {
            if (is_table(i)) {
                tables.push_back(i);
                before_of.resize(tables.size());
                after_of.resize(tables.size());
                before_of.back() = pre;
                pre.clear();
                continue;
            }
            Line l = whole(para(i));
            bool starts_annex = starts_ci(l.text, "Phụ lục") || (vntext::upper(l.text).rfind("BIỂU", 0) == 0 && l.bold);
            if (!tables.empty() && pre.empty() && !starts_annex && l.italic && para(i).section == table(tables.back()).section &&
                after_of.size() == tables.size())
                after_of.back().push_back(l);  // notes under the last table
            else
                pre.push_back(l);
        }
        before_of.resize(tables.size());
        after_of.resize(tables.size());
        for (const auto& l : pre) unplaced(l, N_("after the last annex table"));
        std::size_t count = tables.size();
        for (std::size_t k = 0; k < count; ++k) annex(k, count, table(tables[k]), before_of[k], after_of[k]);
        if (count) r_.summary.push_back(tx("annexes: {} table(s)", count));
    }

    std::string caption_default(const std::string& full_name) const {
        std::string kind = type_.code.empty() && !vv_.empty() ? "Công văn" : type_.name;
        std::string number = (number_ ? (*number_ < 10 ? "0" : "") + std::to_string(*number_) : std::string(" ")) + "/" + symbol_;
        std::optional<int> month = date_.month, day = date_.day;
        return squash("(Kèm theo " + kind + " số " + number + " " + vntext::date_phrase(date_.year, month, day) + " của " +
                      full_name + ")");
    }

    void annex(std::size_t k, std::size_t count, const Table& t, const std::vector<Line>& before, const std::vector<Line>& after) {
        json a;
        std::string label, title, caption;
        std::vector<std::string> subtitle;
        for (const auto& l : before) {
            std::string x = squash(replace_all(l.text, "\u00A0", " "));
            if (label.empty() && title.empty() && starts_ci(x, "Phụ lục") && x.size() < 40) label = l.text;
            else if (x.rfind("(Kèm theo", 0) == 0 || x.rfind("(kèm theo", 0) == 0) caption = x;
            else if (caption.empty() && subtitle.empty() && (l.bold || l.align == "center") && !l.italic) title += (title.empty() ? "" : " ") + l.text;
            else subtitle.push_back(l.text);
        }
        std::string auto_label = count > 1 ? "Phụ lục " + vntext::roman(int(k) + 1)
                                           : (vntext::upper(title).rfind("BIỂU", 0) == 0 ? "" : "Phụ lục");
        if (!label.empty() && label != auto_label) a["label"] = label;
        if (title.empty()) {
            title = "Biểu số " + std::to_string(k + 1);
            r_.warnings.warning(file_, "", tr("import-table", "table {} has no title above it; it was called \"{}\"", t.number, title));
        }
        a["title"] = title;
        if (!caption.empty()) {
            static const std::regex of(R"( của (.+)\)$)");
            std::smatch m;
            if (full_name_.empty() && std::regex_search(caption, m, of)) full_name_ = m[1];
            if (caption != caption_default(full_name_.empty() ? join(issuer_, " ") : full_name_)) a["caption"] = caption;
        } else {
            a["caption"] = "";  // the Word table had none: none is printed
        }
        std::string unit;
        if (!subtitle.empty() && subtitle.back().rfind("Đơn vị tính:", 0) == 0) {
            unit = squash(subtitle.back().substr(std::string("Đơn vị tính:").size()));
            subtitle.pop_back();
        }
        if (!subtitle.empty()) a["subtitle"] = subtitle;
        if (!unit.empty()) a["unit"] = unit;
        std::vector<std::string> notes;
        for (const auto& l : after) notes.push_back(l.text);
        if (!notes.empty()) a["notes"] = notes;
        if (t.section < int(flow_.sections.size()) && flow_.sections[std::size_t(t.section)].landscape) a["orientation"] = "landscape";
        TableImport ti = import_table(t, file_, r_.warnings);
        for (auto& [key, value] : ti.json.items()) a[key] = value;
        std::string name = "annex-" + std::to_string(k + 1) + ".json";
        r_.annexes.push_back({name, a});
        annex_files_.push_back(name);
    }

    // ---- the document --------------------------------------------------------------------
    /// The document's JSON (r_.document) and body (r_.body) from what was read.
    void finish() {
        json d;
        const bool cong_van = read_type();
        d["type"] = cong_van ? "CV" : type_.code.empty() ? type_.name : type_.code;
        if (!parent_.empty()) d["parent"] = parent_;
        std::string unit;
        const std::string symbol = symbol_;
        bool symbol_default = false;
        if (signers_.size() >= 2) joint_issuers(d, cong_van, symbol, symbol_default, unit);
        else single_issuer(d, cong_van, symbol, symbol_default, unit);
        if (number_) d["number"] = *number_;
        if (!symbol.empty() && !symbol_default) d["symbol"] = symbol;
        if (!unit.empty()) d["unit"] = unit;
        put_date(d);
        std::string summary = cong_van ? vv_ : summary_;
        const bool introduced = type_.code == "GGT" && introduction(d);
        if (!introduced) {
            if (summary.empty()) r_.warnings.warning(file_, "", tr("import-header", "no summary (trích yếu) was found"));
            d["summary"] = summary;
        }
        if (!kinh_gui_.empty()) d["kinh_gui"] = kinh_gui_;
        if (!authority_line_.empty()) d["authority"] = authority_line_;
        if (!bases_.empty()) d["bases"] = bases_;
        if (!proposal_.empty()) d["proposal"] = proposal_;
        if (decision()) put_nhu_dieu(d);
        if (!introduced) d["body"] = {{"file", "body.md"}};
        if (!attached_.empty()) d["attached"] = attached_;
        d["recipients"] = recipients_;
        d["archive"] = archive_;
        if (!secretary_name_.empty()) d["secretary"] = {{"position", secretary_position_}, {"name", secretary_name_}};
        put_signatures(d);
        if (!marks_.empty()) d["marks"] = marks_;
        if (!copy_.is_null()) d["copy"] = copy_;
        if (!annex_files_.empty()) {
            json list = json::array();
            for (const auto& f : annex_files_) list.push_back({{"file", f}});
            d["annexes"] = list;
        }
        put_layout(d);
        r_.document = d;
        r_.body = body_text();
    }

    /// Whether the document is a Công văn. Without a type name line, the
    /// symbol's first part may name the type; else it is read as a Công văn.
    bool read_type() {
        bool cong_van = type_.code.empty() && type_.name.empty();
        if (cong_van && vv_.empty() && !summary_.empty()) cong_van = false;
        if (!cong_van && type_.name.empty()) {
            for (const auto& dt : doc_types())
                if (!dt.code.empty() && (symbol_.rfind(dt.code + "-", 0) == 0 || symbol_.rfind(dt.code + "LT-", 0) == 0)) type_ = dt;
            if (type_.name.empty()) {
                cong_van = true;
                r_.warnings.warning(file_, "", tr("import-type", "no type name (KẾ HOẠCH, BÁO CÁO …) was found; the document is read as a Công văn"));
            }
        }
        return cong_van;
    }

    /// The one issuer: its name from the header, its code from the symbol
    /// ("KH-UBND", a Công văn's "UBND-VP" with its unit after) or else made from its name.
    void single_issuer(json& d, bool cong_van, const std::string& symbol, bool& symbol_default, std::string& unit) {
        std::vector<std::string> parts = split(symbol, '-');
        std::string issuer_code;
        json issuer;
        if (issuer_.empty()) {
            issuer_.push_back("(cơ quan ban hành)");
            r_.warnings.warning(file_, "", tr("import-header", "the issuing organisation was not found in the header"));
        }
        issuer["name"] = issuer_.size() == 1 ? json(issuer_[0]) : json(issuer_);
        if (!cong_van && !type_.code.empty() && parts.size() >= 2 && parts[0] == type_.code) {
            issuer_code = symbol.substr(type_.code.size() + 1);
            symbol_default = true;
        } else if (cong_van && parts.size() == 2) {
            issuer_code = parts[0];
            unit = parts[1];
            symbol_default = true;
        } else if (!parts.empty() && !parts.back().empty()) {
            issuer_code = parts.back();
        } else {
            issuer_code = acronym(issuer_.back());
            r_.warnings.warning(file_, "", tr("import-header", "no \"Số:\" line was found; the issuer code \"{}\" was made from the issuer's name", issuer_code));
        }
        issuer["code"] = issuer_code;
        if (!full_name_.empty()) issuer["full_name"] = full_name_;
        d["issuer"] = issuer;
    }

    /// The date ("2024", "2024-03", "2024-03-05"; a Biên bản's from its opening line) and place.
    void put_date(json& d) {
        std::string date = date_.year ? std::to_string(date_.year) : "";
        if (date_.month) date += (*date_.month < 10 ? "-0" : "-") + std::to_string(*date_.month);
        if (date_.day) date += (*date_.day < 10 ? "-0" : "-") + std::to_string(*date_.day);
        if (date.empty() && type_.code == "BB") date = minutes_date();
        if (date.empty()) r_.warnings.warning(file_, "", tr("import-header", "the place-date line (\"…, ngày … tháng … năm …\") was not found"));
        d["date"] = date;
        if (type_.code != "BB" || !date_.place.empty()) d["place"] = date_.place;  // a Biên bản prints no place-date line
    }

    /// A decision's "Như Điều n" in Nơi nhận, taken out of the recipients: the default is the last article.
    void put_nhu_dieu(json& d) {
        std::optional<int> nhu;
        static const std::regex nhu_re(R"(^[Nn]hư Điều ([0-9]+)$)");
        for (auto it = recipients_.begin(); it != recipients_.end();) {
            std::smatch m;
            if (std::regex_match(*it, m, nhu_re)) {
                nhu = std::stoi(m[1].str());
                it = recipients_.erase(it);
            } else {
                ++it;
            }
        }
        if (!nhu) d["nhu_dieu"] = false;
        else if (*nhu != articles_) d["nhu_dieu"] = *nhu;
    }

    /// A joint document's signatures, else the one signature.
    void put_signatures(json& d) const {
        if (signers_.size() >= 2) {
            json sigs = json::array();
            for (const auto& sg : signers_) {
                json one;
                if (!sg.authority.empty()) one["authority"] = sg.authority;
                one["position"] = sg.position;
                one["name"] = sg.name;
                sigs.push_back(one);
            }
            d["signatures"] = sigs;
        } else {
            json sig;
            if (!authority_.empty()) sig["authority"] = authority_;
            sig["position"] = position_;
            sig["name"] = name_;
            d["signature"] = sig;
        }
    }

    /// Layout: what differs from vanban's defaults and lies inside the decree's ranges.
    void put_layout(json& d) const {
        if (flow_.sections.empty()) return;
        const Section& s = flow_.sections.front();
        json lo;
        auto put = [&](const char* key, double v, double def, double lo_, double hi) {
            double r = std::round(v * 2) / 2;
            if (r > 0 && std::abs(r - def) > 0.01 && r >= lo_ && r <= hi) lo[key] = r;
        };
        if (!s.landscape) {
            put("margin_top_mm", s.margin_top_mm, 20, 20, 25);
            put("margin_bottom_mm", s.margin_bottom_mm, 20, 20, 25);
            put("margin_left_mm", s.margin_left_mm, 30, 30, 35);
            put("margin_right_mm", s.margin_right_mm, 15, 15, 20);
        }
        put("body_size_pt", flow_.default_size_pt, 14, 13, 14);
        if (!lo.empty()) d["layout"] = lo;
    }

    /// body.md: the unplaced lines of the header, the body, then those of the closing block.
    std::string body_text() const {
        std::string body;
        std::vector<std::string> all = head_;
        all.insert(all.end(), body_.begin(), body_.end());
        all.insert(all.end(), tail_.begin(), tail_.end());
        for (const auto& b : all) body += b + "\n\n";
        if (!body.empty()) body.pop_back();
        return body;
    }

    /// A joint document's issuers (one per signature, the lead first): their
    /// names from the header's organisation lines, split where " - " joins
    /// them, their codes from the joint symbol ("KHLT-STP-SGDĐT", a Công
    /// văn's "STP-SGDĐT", either with its unit after).
    void joint_issuers(json& d, bool cong_van, const std::string& symbol, bool& symbol_default, std::string& unit) {
        const std::size_t n = signers_.size();
        std::vector<std::vector<std::string>> names = split_joint(issuer_, n);
        if (names.size() != n) {
            r_.warnings.warning(file_, "", tr("import-joint", "the header names the joint issuers in a way that cannot be split into {} (one per signature, joined by \" - \"); the whole header went to the first issuer", n));
            names.assign(1, issuer_);
            while (names.size() < n) names.push_back({"(cơ quan ban hành " + std::to_string(names.size() + 1) + ")"});
        }
        const std::vector<std::string> parts = split(symbol, '-');
        const std::size_t first = cong_van ? 0 : 1;
        const bool coded = parts.size() >= first + n && parts.size() <= first + n + 1 && (cong_van || parts[0] == type_.code + "LT");
        json list = json::array();
        std::string summary;
        for (std::size_t k = 0; k < n; ++k) {
            json e;
            e["name"] = names[k].size() == 1 ? json(names[k][0]) : json(names[k]);
            e["code"] = coded ? parts[first + k] : acronym(join(names[k], " "));
            summary += (summary.empty() ? "" : "; ") + join(names[k], " ") + " (" + e["code"].get<std::string>() + ")";
            list.push_back(e);
        }
        if (coded) {
            symbol_default = true;
            if (parts.size() == first + n + 1) unit = parts.back();
        } else {
            r_.warnings.warning(file_, "", cong_van ? tr("import-joint", "the symbol \"{}\" is not a joint code (the issuers' codes); the codes were made from the issuers' names", symbol)
                                            : tr("import-joint", "the symbol \"{}\" is not a joint code ({}LT, then the issuers' codes); the codes were made from the issuers' names", symbol, type_.code));
        }
        d["issuers"] = list;
        r_.summary.push_back(tx("joint issuers ({}): {}", n, summary));
    }

    /// The issuers' lines split at the " - " that join their names (also
    /// where a line ends with " -" or the next begins with "- ": the header
    /// may break there): each issuer's lines, or fewer than `n` when they
    /// cannot be split.
    static std::vector<std::vector<std::string>> split_joint(const std::vector<std::string>& lines, std::size_t n) {
        struct Cut {
            std::size_t at, length;
        };
        const std::string text = join(lines, "\n");
        std::vector<Cut> all, named;
        static const char* const org_words[] = {"SỞ ", "BỘ ", "BAN ", "ỦY BAN", "UBND", "PHÒNG ", "CÔNG AN", "CỤC ", "CHI CỤC",
                                                "HỘI ", "TRƯỜNG ", "VĂN PHÒNG", "TRUNG TÂM", "ĐOÀN ", "LIÊN ĐOÀN", "MẶT TRẬN",
                                                "BẢO HIỂM", "NGÂN HÀNG", "KHO BẠC", "TÒA ", "VIỆN ", "THANH TRA", "TỔNG ", "BỘ CHỈ HUY"};
        for (std::size_t at = 0; at + 2 < text.size(); ++at) {
            const std::string_view three(text.data() + at, 3);
            if (three != " - " && three != " -\n" && three != "\n- ") continue;
            all.push_back({at, 3});
            const std::string next = vntext::upper(text.substr(at + 3));
            for (const char* w : org_words)
                if (next.rfind(w, 0) == 0) {
                    named.push_back({at, 3});
                    break;
                }
        }
        const std::vector<Cut>& cuts = all.size() + 1 == n ? all : named;
        if (cuts.size() + 1 != n) return {};
        std::vector<std::vector<std::string>> out;
        std::size_t from = 0;
        for (std::size_t c = 0; c <= cuts.size(); ++c) {
            const std::size_t to = c < cuts.size() ? cuts[c].at : text.size();
            std::vector<std::string> name;
            for (const auto& l : split(text.substr(from, to - from), '\n'))
                if (!squash(l).empty()) name.push_back(squash(l));
            if (name.empty()) return {};
            out.push_back(name);
            if (c < cuts.size()) from = cuts[c].at + cuts[c].length;
        }
        return out;
    }

    /// A Giấy giới thiệu (PLIII M1.8) printed from its fields: "<issuer> trân
    /// trọng giới thiệu:", "Ông (bà): …", "Chức vụ: …", "Được cử đến: …",
    /// "Về việc: …", the model's request, "Giấy này có giá trị đến hết …/.".
    /// Sets d["introduction"] and clears the body when every field is found.
    bool introduction(json& d) {
        static const std::string intro = " trân trọng giới thiệu:";
        json v;
        const std::pair<const char*, const char*> fields[] = {
            {"Ông (bà):", "person"}, {"Chức vụ:", "position"}, {"Được cử đến:", "to"}, {"Về việc:", "purpose"}};
        for (const auto& b : body_) {
            const std::string t = squash(b);
            for (const auto& [label, key] : fields)
                if (t.rfind(label, 0) == 0) v[key] = squash(t.substr(std::string(label).size()));
            static const std::string valid = "Giấy này có giá trị đến hết ";
            if (t.rfind(valid, 0) == 0) {
                std::string until = t.substr(valid.size());
                for (const char* end : {"./.", "/.", "."})
                    if (until.size() >= std::strlen(end) && until.compare(until.size() - std::strlen(end), std::strlen(end), end) == 0) {
                        until.resize(until.size() - std::strlen(end));
                        break;
                    }
                v["valid_until"] = squash(until);
            }
        }
        if (v.size() != 5) return false;
        if (summary_.size() > intro.size() && summary_.compare(summary_.size() - intro.size(), intro.size(), intro) == 0 &&
            full_name_.empty())
            full_name_ = summary_.substr(0, summary_.size() - intro.size());
        if (!full_name_.empty()) d["issuer"]["full_name"] = full_name_;
        d["introduction"] = v;
        body_.clear();
        r_.summary.push_back(tx("introduction: {} → {}", v["person"].get<std::string>(), v["to"].get<std::string>()));
        return true;
    }

    /// A Biên bản's date, from its opening line "Thời gian bắt đầu: …, ngày 20 tháng 3 năm 2024" (ISO), or "".
    std::string minutes_date() const {
        static const std::regex re(R"(ngày\s+([0-9]{1,2})\s+tháng\s+([0-9]{1,2})\s+năm\s+([0-9]{4}))");
        for (const auto& b : body_) {
            std::smatch m;
            if (!starts_ci(b, "Thời gian") || !std::regex_search(b, m, re)) continue;
            char buf[16];
            std::snprintf(buf, sizeof buf, "%s-%02d-%02d", m[3].str().c_str(), std::stoi(m[2].str()), std::stoi(m[1].str()));
            return buf;
        }
        return "";
    }

    static std::string acronym(const std::string& name) {
        std::string out;
        for (const auto& w : split(squash(name), ' '))
            if (!w.empty()) out += vntext::upper(vntext::ascii_slug(w).substr(0, 1));
        return out.empty() ? "CQ" : out;
    }

    const Flow& flow_;
    std::string file_;
    Result r_;
    std::vector<const Item*> items_;
    std::vector<std::string> head_, body_, tail_;
    std::vector<std::size_t> pending_tables_;
    std::vector<std::string> annex_files_;

    std::string parent_, symbol_, vv_, summary_, archive_, position_, name_, full_name_;
    std::string authority_line_, proposal_;  ///< a decision's
    std::vector<std::string> bases_;
    bool operative_seen_ = false;
    std::string secretary_position_, secretary_name_;  ///< a Biên bản's
    json attached_ = json::array();  ///< the texts a decision issues
    int articles_ = 0;
    std::vector<std::string> issuer_, kinh_gui_, recipients_, authority_;
    std::vector<Signer> signers_;  ///< a joint document's signatures, the lead issuer's first
    json marks_ = json::object();  ///< stamps, boxes 11, 12, 13, DỰ THẢO
    json copy_;                    ///< a paper copy's block (null: none)
    std::optional<int> number_;
    DateFound date_;
    DocType type_;
};

}  // namespace

Result recognise(const Flow& flow, const std::string& file) { return Recogniser(flow, file).run(); }

}  // namespace vanban::import

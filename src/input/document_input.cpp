#include "input/document_input.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "input/body_parser.hpp"
#include "input/fields.hpp"
#include "sources/bundle.hpp"
#include "input/table_input.hpp"
#include "vanban/embedded.hpp"
#include "vntext/vntext.hpp"

namespace vanban::input {

namespace fs = std::filesystem;
using nlohmann::json;

std::string_view document_schema() { return embedded::document_schema_json; }
std::string_view annex_schema() { return embedded::annex_schema_json; }

namespace {

struct DocType {
    std::string code, name;
    bool cong_van = false;
};

std::vector<DocType> load_doc_types() {
    std::vector<DocType> out;
    json t = json::parse(embedded::doc_types_json);
    for (const auto& e : t) {
        DocType d;
        d.code = e.at("code").get<std::string>();
        d.name = e.at("name").get<std::string>();
        d.cong_van = e.value("cong_van", false);
        out.push_back(d);
    }
    return out;
}


/// The type named by a code ("QĐ") or a name ("Quyết định"), or nullptr.
const DocType* find_type(const std::string& t) {
    static const std::vector<DocType> types = load_doc_types();
    std::string tl = vntext::lower(t);
    const DocType* found = nullptr;
    for (const auto& dt : types) {
        if ((!dt.code.empty() && dt.code == t) || vntext::lower(dt.name) == tl ||
            (dt.cong_van && (tl == "cv" || tl == "công văn")))
            found = &dt;
    }
    return found;
}

/// Removes punctuation the generator adds itself (";" "." at the end, "- " in front).
std::string strip_list_punctuation(std::string s) {
    // In front: any dash or bullet a list pasted from a word processor brings ("-", "–", "—", "•", "+", "*").
    static const char* const marks[] = {"-", "\u2010", "\u2013", "\u2014", "\u2212", "\u2022", "\u00B7", "+", "*"};
    for (bool again = true; again;) {
        again = false;
        while (!s.empty() && s.front() == ' ') s.erase(0, 1);
        for (const char* m : marks) {
            std::size_t n = std::char_traits<char>::length(m);
            if (s.compare(0, n, m) == 0) {
                s.erase(0, n);
                again = true;
            }
        }
    }
    while (!s.empty() && (s.back() == ';' || s.back() == '.' || s.back() == ' ' || s.back() == ','))
        s.pop_back();
    return s;
}

/// "Lưu: VT, TH", "Lưu VT", "- Lưu: Lưu VT." -> "VT, TH", "VT"; nullopt when the
/// text is not a "Lưu" line ("Lưu trữ …" is not: a unit code follows "Lưu ").
std::optional<std::string> archive_items(std::string s) {
    s = strip_list_punctuation(s);
    bool found = false;
    for (;;) {
        std::string low = vntext::lower(s.substr(0, std::min<std::size_t>(s.size(), 8)));
        const std::string luu = "lưu";
        if (low.rfind(luu, 0) != 0) break;
        std::string rest = s.substr(luu.size());
        std::size_t i = 0;
        while (i < rest.size() && rest[i] == ' ') ++i;
        if (i < rest.size() && rest[i] == ':') {
            rest = rest.substr(i + 1);
        } else if (i > 0 && i < rest.size() && (std::isupper(static_cast<unsigned char>(rest[i])) ||
                                                std::isdigit(static_cast<unsigned char>(rest[i])))) {
            rest = rest.substr(i);
        } else if (i == rest.size()) {
            rest.clear();
        } else {
            break;
        }
        s = strip_list_punctuation(Fields::trimmed(rest));
        found = true;
    }
    if (!found) return std::nullopt;
    return s;
}

/// The archive line's items ("VT, TH (VX)", "VT, HC (2)"), each once, joined by ", ".
std::string merge_archive(const std::vector<std::string>& lines) {
    std::vector<std::string> items, seen;
    for (const auto& line : lines) {
        std::size_t a = 0;
        while (a <= line.size()) {
            std::size_t b = line.find(',', a);
            if (b == std::string::npos) b = line.size();
            std::string item = strip_list_punctuation(Fields::trimmed(line.substr(a, b - a)));
            if (!item.empty() && std::find(seen.begin(), seen.end(), vntext::lower(item)) == seen.end()) {
                seen.push_back(vntext::lower(item));
                items.push_back(item);
            }
            a = b + 1;
        }
    }
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

/// "Như trên" (with or without its punctuation), which "Nơi nhận" prints first.
bool is_nhu_tren(const std::string& s) { return vntext::lower(s) == "như trên"; }

void parse_date(Fields& r, const std::string& text, model::Date& out) {
    // Pattern already YYYY[-MM[-DD]]
    auto digits = [](std::string_view s) {
        if (s.empty()) return false;
        for (char c : s)
            if (c < '0' || c > '9') return false;
        return true;
    };
    std::vector<std::string> parts;
    std::stringstream ss(text);
    std::string p;
    while (std::getline(ss, p, '-')) parts.push_back(p);
    bool shape_ok = !parts.empty() && parts.size() <= 3 && parts[0].size() == 4 && digits(parts[0]);
    for (std::size_t i = 1; i < parts.size(); ++i) shape_ok = shape_ok && parts[i].size() == 2 && digits(parts[i]);
    if (!shape_ok) {
        r.error("/date", tr("date-format", "expected an ISO date \"YYYY-MM-DD\" (a draft may give \"YYYY-MM\" or \"YYYY\"), found \"{}\"", text));
        return;
    }
    out.year = std::stoi(parts[0]);
    if (parts.size() >= 2) out.month = std::stoi(parts[1]);
    if (parts.size() == 3) out.day = std::stoi(parts[2]);
    if (out.month && (*out.month < 1 || *out.month > 12)) {
        r.error("/date", tr("date-impossible-month", "impossible date \"{}\": month {} (expected 01–12)", text, *out.month));
        return;
    }
    if (out.year < 1900 || out.year > 2200) {
        r.error("/date", tr("date-implausible-year", "implausible year {} in \"{}\" (expected 1900–2200)", parts[0], text));
        return;
    }
    if (out.day && !vntext::valid_date(out.year, *out.month, *out.day))
        r.error("/date", tr("date-impossible-day", "impossible date \"{}\": {}-{} has no day {}", text, parts[0], parts[1], *out.day));
}

struct Range {
    const char* key;
    double model::LayoutOptions::*field;
    double lo, hi;
    const char* what;
};

void parse_layout(Fields& r, const json& j, model::LayoutOptions& lo, const LoadOptions& opts,
                  Diagnostics* warnings) {
    static const Range ranges[] = {
        {"margin_top_mm", &model::LayoutOptions::margin_top_mm, 20, 25, N_("top margin (mm)")},
        {"margin_bottom_mm", &model::LayoutOptions::margin_bottom_mm, 20, 25, N_("bottom margin (mm)")},
        {"margin_left_mm", &model::LayoutOptions::margin_left_mm, 30, 35, N_("left margin (mm)")},
        {"margin_right_mm", &model::LayoutOptions::margin_right_mm, 15, 20, N_("right margin (mm)")},
        {"body_size_pt", &model::LayoutOptions::body_size_pt, 13, 14, N_("body font size (pt)")},
        {"header_size_pt", &model::LayoutOptions::header_size_pt, 12, 13, N_("header font size (pt)")},
        {"first_indent_mm", &model::LayoutOptions::first_indent_mm, 10, 12.7, N_("first-line indent (mm)")},
        {"paragraph_spacing_pt", &model::LayoutOptions::paragraph_spacing_pt, 6, 12, N_("space between paragraphs (pt)")},
        {"line_spacing", &model::LayoutOptions::line_spacing, 1.0, 1.5, N_("line spacing (lines)")},
        {"page_number_size_pt", &model::LayoutOptions::page_number_size_pt, 13, 14, N_("page number size (pt)")},
    };
    if (!j.is_object()) {
        r.error("/layout", tr("expected-type", "expected {}, found {}", tx("an object"), json_kind(j)));
        return;
    }
    std::set<std::string> known;
    for (const auto& rg : ranges) known.insert(rg.key);
    for (auto& [key, v] : j.items()) {
        std::string ptr = "/layout/" + json_pointer_token(key);
        const Range* rg = nullptr;
        for (const auto& x : ranges)
            if (key == x.key) rg = &x;
        if (!rg) {
            std::string list;
            for (const auto& x : ranges) list += std::string(list.empty() ? "" : ", ") + x.key;
            r.error(ptr, tr("unknown-layout-setting", "unknown layout setting \"{}\" (expected one of: {})", key, list));
            continue;
        }
        if (!v.is_number()) {
            r.error(ptr, tr("expected-type", "expected {}, found {}", tx("a number"), json_kind(v)));
            continue;
        }
        double val = v.get<double>();
        if (val < rg->lo || val > rg->hi) {
            auto num = [](double x) {
                std::ostringstream o;
                o << x;
                return o.str();
            };
            const char* what = translate(nullptr, rg->what);
            // Even without strict mode, nonsense values are refused.
            bool sane = val > 0 && val < 10 * rg->hi;
            if (opts.strict || !sane) {
                r.error(ptr, opts.strict ? tr("layout-out-of-range",
                                              "{} {} is outside the range Nghị định 30/2020 allows ({}–{}); use --no-strict to accept it",
                                              what, num(val), num(rg->lo), num(rg->hi))
                                         : tr("layout-out-of-range", "{} {} is outside the range Nghị định 30/2020 allows ({}–{})",
                                              what, num(val), num(rg->lo), num(rg->hi)));
                continue;
            }
            if (warnings)
                warnings->warning(r.file(), ptr,
                                  tr("layout-out-of-range",
                                     "{} {} is outside the range Nghị định 30/2020 allows ({}–{}); used as given (strict mode off)",
                                     what, num(val), num(rg->lo), num(rg->hi)));
        }
        lo.*(rg->field) = val;
    }
}

/// Refuses a template, and anything but an object, at the top level.
void check_top_level(const json& j, const std::string& file) {
    if (j.is_object() && j.contains("template"))
        throw InputError(file, "/template",
                         tr("template-without-data",
                            "this document is a template: give the data that fills it (vanban render {} --data DATA.csv -o OUTDIR, "
                            "or vanban batch for one document per record)",
                            file));
    if (!j.is_object()) throw InputError(file, "", tr("expected-type", "expected {}, found {}", tx("a JSON object at the top level"), json_kind(j)));
}

/// Reads the members of a document object into a model::Document, one group of
/// members per method, reporting problems and going on.
class DocumentParser {
public:
    DocumentParser(const sources::Bundle& b, const LoadOptions& o, Diagnostics& dg)
        : bundle(b), opts(o), diags(dg), j(*b.document.tree), file(b.document.path), r(file, dg) {
        d.source_file = file;
    }

    /// Reports unknown top-level members.
    void check_members();
    /// The document type, by code or name from templates/doc-types.json, and the parent body.
    void read_type();
    /// The issuer: its name in lines, its code, and its full name (else the lines joined).
    void read_issuer();
    /// The number, and the symbol: as given, else made of the type, issuer and unit codes.
    void read_number_and_symbol();
    /// The date and place, the summary, and the addressees (Kính gửi) a Công văn needs.
    void read_heading();
    /// The body, from its own file or inline text, parsed into blocks.
    void read_body();
    /// A decision's or resolution's authority line, legal bases, proposal
    /// line and the article named in Nơi nhận ("Như Điều n").
    void read_decision();
    /// A Giấy mời's structured lines and a Biên bản's secretary.
    void read_invitation_and_secretary();
    /// The texts a decision issues (Quy chế, Quy định), each with its own body.
    void read_attached();
    /// The recipients (Nơi nhận) and the archive line (Lưu).
    void read_recipients_and_archive();
    /// The signature block: authority lines, position and name.
    void read_signature();
    /// The layout settings, each within its range.
    void read_layout();
    /// The font files, and the "fonts" member checked.
    void read_fonts();
    /// The annex tables, each inline or in a file of its own.
    void read_annexes();

    model::Document d;

private:
    const sources::Bundle& bundle;
    const LoadOptions& opts;
    Diagnostics& diags;
    const json& j;
    const std::string& file;
    Fields r;
};

void DocumentParser::check_members() {
    r.only(j, "", {"$schema", "$comment", "type", "parent", "issuer", "number", "symbol", "unit", "date", "place", "summary",
                         "kinh_gui", "body", "recipients", "archive", "signature", "layout", "fonts", "annexes",
                         "authority", "bases", "proposal", "nhu_dieu", "attached", "invitation", "secretary", "introduction"});
}

void DocumentParser::read_type() {
    if (auto t = r.string_member(j, "", "type", true)) {
        const DocType* found = find_type(*t);
        if (!found) {
            r.error("/type", tr("unknown-type",
                                "unknown document type \"{}\" (expected a code or name from templates/doc-types.json, e.g. \"KH\", "
                                "\"BC\", \"QĐ\", \"TTr\", \"CV\")",
                                *t));
        } else {
            d.type.code = found->code;
            d.type.name = found->name;
            d.type.is_cong_van = found->cong_van;
        }
    }
    if (const json* p = r.member(j, "", "parent", false)) {
        for (std::string& l : r.lines(*p, "/parent"))
            if (!(l = Fields::trimmed(l)).empty()) d.parent_lines.push_back(l);
        if (d.parent_lines.empty()) r.error("/parent", tr("empty", "must not be empty (omit it when there is no parent organisation)"));
    }
}

void DocumentParser::read_issuer() {
    if (const json* iss = r.member(j, "", "issuer", true)) {
        if (!iss->is_object()) {
            r.error("/issuer", tr("expected-type", "expected {}, found {}", tx("an object with \"name\" and \"code\""), json_kind(*iss)));
        } else {
            r.only(*iss, "/issuer", {"name", "code", "full_name"});
            if (const json* n = r.member(*iss, "/issuer", "name", true)) {
                if (n->is_string()) {
                    std::string s = Fields::trimmed(n->get<std::string>());
                    if (s.empty()) r.error("/issuer/name", tr("empty", "must not be empty"));
                    else d.issuer_lines.push_back(s);
                } else if (n->is_array()) {
                    d.issuer_lines = r.string_array(*iss, "/issuer", "name", true);
                    if (n->empty()) r.error("/issuer/name", tr("empty", "must have at least one line"));
                } else {
                    r.error("/issuer/name", tr("expected-type", "expected {}, found {}", tx("a string or an array of strings"), json_kind(*n)));
                }
            }
            if (auto c = r.string_member(*iss, "/issuer", "code", true)) d.issuer_code = *c;
            if (auto f = r.string_member(*iss, "/issuer", "full_name", false)) d.issuer_full_name = *f;
        }
    }
    if (d.issuer_full_name.empty() && !d.issuer_lines.empty()) {
        std::string joined;
        for (const auto& l : d.issuer_lines) joined += (joined.empty() ? "" : " ") + l;
        d.issuer_full_name = joined;
    }
}

void DocumentParser::read_number_and_symbol() {
    if (const json* n = r.member(j, "", "number", false)) {
        if (!n->is_number_integer() && !n->is_number_unsigned()) {
            r.error("/number", n->is_string() ? tr("number-type", "expected a positive integer, found {} (write 498, not \"498\"; omit the field for a draft)", json_kind(*n))
                                              : tr("expected-type", "expected {}, found {}", tx("a positive integer"), json_kind(*n)));
        } else if (n->get<long long>() <= 0) {
            r.error("/number", tr("number-range", "document number must be 1 or more, found {}", n->get<long long>()));
        } else if (n->get<long long>() > 999999) {
            r.error("/number", tr("number-range", "document number {} is implausibly large", n->get<long long>()));
        } else {
            d.number = static_cast<int>(n->get<long long>());
        }
    }
    auto unit = r.string_member(j, "", "unit", false);
    if (auto s = r.string_member(j, "", "symbol", false)) {
        if (s->find(' ') != std::string::npos || s->find('/') != std::string::npos)
            r.error("/symbol", tr("symbol-shape", "the symbol has no spaces and no \"/\" (e.g. \"KH-UBND\"), found \"{}\"", *s));
        d.symbol = *s;
    } else if (d.type.is_cong_van) {
        d.symbol = d.issuer_code + (unit ? "-" + *unit : "");
    } else if (!d.issuer_code.empty()) {
        d.symbol = d.type.code + "-" + d.issuer_code + (unit ? "-" + *unit : "");
    }
}

void DocumentParser::read_heading() {
    if (auto dt = r.string_member(j, "", "date", true)) parse_date(r, *dt, d.date);
    if (auto p = r.string_member(j, "", "place", true)) d.place = *p;
    // A Giấy giới thiệu has no summary (PLIII M1.8).
    if (auto s = r.string_member(j, "", "summary", d.type.code != "GGT")) {
        std::string sum = *s;
        if (d.type.is_cong_van && sum.rfind("V/v ", 0) == 0) sum.erase(0, 4);
        // A Công văn's "V/v …" is printed as written; a title's summary starts with a capital.
        d.summary = d.type.is_cong_van ? sum : vntext::capitalize_first(sum);
    }
    for (auto& k : r.string_array(j, "", "kinh_gui", false)) d.kinh_gui.push_back(strip_list_punctuation(k));
    if (d.type.is_cong_van && d.kinh_gui.empty() && j.contains("type"))
        r.error("/kinh_gui", tr("kinh-gui-missing", "a Công văn needs at least one addressee (Kính gửi)"));
    // The type name is printed above the summary: "Kế hoạch thực hiện …" under KẾ HOẠCH repeats it.
    const std::string type = vntext::lower(d.type.name);
    if (!d.type.is_cong_van && !type.empty() && vntext::lower(d.summary).rfind(type + " ", 0) == 0)
        r.warning("/summary", tr("summary-repeats-type",
                                 "the summary starts with the type name \"{}\", which is printed above it (\"{}\"); write it without: \"{}\"",
                                 d.type.name, vntext::upper(d.type.name),
                                 vntext::capitalize_first(Fields::trimmed(d.summary.substr(type.size())))));
}

void DocumentParser::read_body() {
    if (const json* b = r.member(j, "", "body", !j.contains("invitation") && !j.contains("introduction"))) {
        std::string body_text, body_file;
        bool ok = false;
        if (b->is_object() && b->contains("file") && (*b)["file"].is_string()) {
            r.only(*b, "/body", {"file"});
            if (bundle.body) {  // else reported by gather()
                body_file = bundle.body->path;
                body_text = *bundle.body->text;
                ok = true;
            }
        } else if (b->is_object() && b->contains("text") && (*b)["text"].is_string()) {
            r.only(*b, "/body", {"text"});
            body_text = (*b)["text"].get<std::string>();
            body_file = file + "#/body/text";
            ok = true;
        } else {
            r.error("/body", tr("expected-type", "expected {}, found {}", "{\"file\": \"body.md\"} " + tx("or") + " {\"text\": \"...\"}", json_kind(*b)));
        }
        if (ok) {
            if (auto bad = vntext::find_invalid_utf8(body_text)) {
                diags.error(body_file, sources::line_column(body_text, *bad), tr("invalid-utf8", "invalid UTF-8; save the file as UTF-8"));
            } else {
                d.body_file = body_file;
                d.body = parse_body(vntext::nfc(body_text), body_file, diags);
                if (d.body.empty() && !j.contains("invitation") && !j.contains("introduction")) r.error("/body", tr("body-empty", "the body is empty"));
            }
        }
    }
}

void DocumentParser::read_decision() {
    if (auto a = r.string_member(j, "", "authority", false)) d.authority = *a;
    for (auto& b : r.string_array(j, "", "bases", false)) d.bases.push_back(strip_list_punctuation(b));
    if (auto p = r.string_member(j, "", "proposal", false)) d.proposal = strip_list_punctuation(*p);
    const bool decision = d.type.code == "QĐ" || d.type.code == "NQ";
    if (decision && d.authority.empty() && j.contains("type"))
        r.warning("", tr("authority-missing",
                         "a {} names the holder of the power under its summary: give \"authority\" "
                         "(e.g. \"Chủ tịch Ủy ban nhân dân tỉnh Gia Lai\")",
                         d.type.name));
    if (const json* n = r.member(j, "", "nhu_dieu", false)) {
        if (n->is_boolean() && !n->get<bool>()) {
            d.as_article = -1;
        } else if (auto v = r.integer(*n, "/nhu_dieu", 1, 999)) {
            int count = 0;
            for (const auto& b : d.body) count += b.kind == model::BlockKind::article;
            if (!d.body.empty() && *v > count)
                r.error("/nhu_dieu", count == 1 ? tr("nhu-dieu-missing", "the body has 1 article; there is no Điều {}", *v)
                                                : tr("nhu-dieu-missing", "the body has {} articles; there is no Điều {}", count, *v));
            d.as_article = static_cast<int>(*v);
        }
    }
}

void DocumentParser::read_invitation_and_secretary() {
    if (const json* inv = r.member(j, "", "invitation", false)) {
        if (!inv->is_object()) {
            r.expected("/invitation", tx("an object with \"invitee\", \"event\", \"time\" and \"place\""), *inv);
        } else {
            r.only(*inv, "/invitation", {"invitee", "event", "chair", "time", "place", "notes"});
            model::Invitation v;
            if (auto s = r.string_member(*inv, "/invitation", "invitee", true)) v.invitee = *s;
            if (auto s = r.string_member(*inv, "/invitation", "event", true)) v.event = *s;
            if (auto s = r.string_member(*inv, "/invitation", "chair", false)) v.chair = *s;
            if (auto s = r.string_member(*inv, "/invitation", "time", true)) v.time = *s;
            if (auto s = r.string_member(*inv, "/invitation", "place", true)) v.place = *s;
            if (auto s = r.string_member(*inv, "/invitation", "notes", false)) v.notes = *s;
            d.invitation = v;
        }
        if (d.type.code != "GM" && j.contains("type")) r.error("/invitation", tr("field-not-for-type", "only a Giấy mời has \"invitation\""));
    }
    if (const json* in = r.member(j, "", "introduction", false)) {
        if (!in->is_object()) {
            r.expected("/introduction", tx("an object with \"person\", \"position\", \"to\", \"purpose\" and \"valid_until\""), *in);
        } else {
            r.only(*in, "/introduction", {"person", "position", "to", "purpose", "valid_until"});
            model::Introduction v;
            if (auto s = r.string_member(*in, "/introduction", "person", true)) v.person = *s;
            if (auto s = r.string_member(*in, "/introduction", "position", true)) v.position = *s;
            if (auto s = r.string_member(*in, "/introduction", "to", true)) v.to = *s;
            if (auto s = r.string_member(*in, "/introduction", "purpose", true)) v.purpose = *s;
            if (auto s = r.string_member(*in, "/introduction", "valid_until", true)) v.valid_until = *s;
            d.introduction = v;
        }
        if (d.type.code != "GGT" && j.contains("type")) r.error("/introduction", tr("field-not-for-type", "only a Giấy giới thiệu has \"introduction\""));
    }
    if (const json* s = r.member(j, "", "secretary", false)) {
        if (!s->is_object()) {
            r.expected("/secretary", tx("an object with \"position\" and \"name\""), *s);
        } else {
            r.only(*s, "/secretary", {"position", "name"});
            model::Signature sec;
            if (auto p = r.string_member(*s, "/secretary", "position", true)) sec.position = *p;
            if (auto n = r.string_member(*s, "/secretary", "name", true)) sec.name = *n;
            d.secretary = sec;
        }
        if (d.type.code != "BB" && j.contains("type")) r.error("/secretary", tr("field-not-for-type", "only a Biên bản has a secretary's signature"));
    } else if (d.type.code == "BB") {
        r.error("", tr("missing-field", "missing required field \"secretary\": a Biên bản is signed by the secretary (left) and the chair (right), "
                       "e.g. \"secretary\": {\"position\": \"Thư ký\", \"name\": \"…\"}"));
    }
}

void DocumentParser::read_attached() {
    const json* a = r.member(j, "", "attached", false);
    if (!a) return;
    if (!a->is_array()) {
        r.expected("/attached", tx("an array of texts ({\"type\", \"summary\", \"body\"})"), *a);
        return;
    }
    if (d.type.code != "QĐ" && d.type.code != "NQ" && j.contains("type"))
        r.error("/attached", tr("field-not-for-type", "only a Quyết định or a Nghị quyết issues attached texts"));
    for (std::size_t i = 0; i < a->size(); ++i) {
        const json& e = (*a)[i];
        const std::string ptr = Fields::at("/attached", i);
        if (!e.is_object()) {
            r.expected(ptr, tx("an object with \"type\", \"summary\" and \"body\""), e);
            continue;
        }
        r.only(e, ptr, {"type", "summary", "body"});
        model::AttachedText t;
        if (auto ty = r.string_member(e, ptr, "type", true)) {
            const DocType* found = find_type(*ty);
            if (!found || found->cong_van)
                r.error(Fields::at(ptr, "type"), tr("unknown-attached-type", "unknown type of attached text \"{}\" (e.g. \"QC\" Quy chế, \"QyĐ\" Quy định)", *ty));
            else
                t.type = {found->code, found->name, false};
        }
        if (auto s = r.string_member(e, ptr, "summary", true)) t.summary = vntext::capitalize_first(*s);
        if (const json* b = r.member(e, ptr, "body", true)) {
            const std::string bptr = Fields::at(ptr, "body");
            std::string text, where;
            bool ok = false;
            if (b->is_object() && b->contains("file") && (*b)["file"].is_string()) {
                r.only(*b, bptr, {"file"});
                if (const sources::TextFile* tf = bundle.text(sources::join(bundle.base_dir, (*b)["file"].get<std::string>()))) {
                    text = *tf->text;
                    where = tf->path;
                    ok = true;
                }  // else reported by gather()
            } else if (b->is_object() && b->contains("text") && (*b)["text"].is_string()) {
                r.only(*b, bptr, {"text"});
                text = (*b)["text"].get<std::string>();
                where = file + "#" + bptr + "/text";
                ok = true;
            } else {
                r.expected(bptr, "{\"file\": \"quy-che.md\"} " + tx("or") + " {\"text\": \"...\"}", *b);
            }
            if (ok) {
                if (auto bad = vntext::find_invalid_utf8(text)) {
                    diags.error(where, sources::line_column(text, *bad), tr("invalid-utf8", "invalid UTF-8; save the file as UTF-8"));
                } else {
                    t.body_file = where;
                    t.body = parse_body(vntext::nfc(text), where, diags);
                    if (t.body.empty()) r.error(bptr, tr("body-empty", "the attached text is empty"));
                }
            }
        }
        d.attached.push_back(std::move(t));
    }
}

void DocumentParser::read_recipients_and_archive() {
    // A "Như trên" or "Lưu" line typed among the recipients is merged with the
    // one the generator prints, never printed twice.
    std::vector<std::string> archive;
    bool nhu_tren = false;
    for (auto& rc : r.string_array(j, "", "recipients", true)) {
        std::string s = strip_list_punctuation(rc);
        if (auto items = archive_items(s)) {
            archive.push_back(*items);
        } else if (is_nhu_tren(s)) {
            if (d.kinh_gui.empty() && !nhu_tren)  // else printed for "Kính gửi"
                d.recipients.insert(d.recipients.begin(), "Như trên");
            nhu_tren = true;
        } else if (!s.empty()) {
            d.recipients.push_back(s);
        }
    }
    if (auto a = r.string_member(j, "", "archive", archive.empty())) {
        auto items = archive_items(*a);
        archive.insert(archive.begin(), items ? *items : strip_list_punctuation(*a));
    }
    d.archive = merge_archive(archive);
    if (d.archive.empty() && !archive.empty()) r.error("/archive", tr("archive-empty", "the archive line names no unit: write e.g. \"VT, TH\""));
}

void DocumentParser::read_signature() {
    if (const json* s = r.member(j, "", "signature", true)) {
        if (!s->is_object()) {
            r.error("/signature", tr("expected-type", "expected {}, found {}", tx("an object"), json_kind(*s)));
        } else {
            r.only(*s, "/signature", {"authority", "position", "name"});
            d.signature.authority = r.string_array(*s, "/signature", "authority", false);
            if (d.signature.authority.size() > 2)
                r.error("/signature/authority", tr("authority-lines", "at most two authority lines (e.g. \"TM. ỦY BAN NHÂN DÂN\", \"KT. CHỦ TỊCH\")"));
            static const char* prefixes[] = {"TM.", "KT.", "Q.", "TL.", "TUQ."};
            for (std::size_t i = 0; i < d.signature.authority.size(); ++i) {
                std::string up = vntext::upper(d.signature.authority[i]);
                bool ok = false;
                for (auto* p : prefixes)
                    if (up.rfind(p, 0) == 0) ok = true;
                if (!ok)
                    r.error("/signature/authority/" + std::to_string(i),
                            tr("authority-prefix", "an authority line starts with TM., KT., Q., TL. or TUQ.; found \"{}\"", d.signature.authority[i]));
            }
            if (auto p = r.string_member(*s, "/signature", "position", true)) d.signature.position = *p;
            if (auto n = r.string_member(*s, "/signature", "name", true)) {
                d.signature.name = *n;
                if (vntext::lower(*n) == *n) {
                    std::string proper;
                    for (std::size_t a = 0; a <= n->size();) {
                        std::size_t b = std::min(n->find(' ', a), n->size());
                        proper += (a ? " " : "") + vntext::capitalize_first(n->substr(a, b - a));
                        a = b + 1;
                    }
                    r.warning("/signature/name", tr("signer-name-case", "the signer's name \"{}\" has no capital letter and is printed as "
                                                    "written; did you mean \"{}\"?", *n, proper));
                }
            }
        }
    }
}

void DocumentParser::read_layout() {
    if (const json* l = r.member(j, "", "layout", false)) parse_layout(r, *l, d.layout, opts, &diags);
}

void DocumentParser::read_fonts() {
    // Fonts: the bundle has the document's own, else the shipped ones (a file
    // that could not be read is reported by gather()).
    d.fonts = {bundle.fonts[0].path, bundle.fonts[1].path, bundle.fonts[2].path, bundle.fonts[3].path,
               {bundle.fonts[0].bytes, bundle.fonts[1].bytes, bundle.fonts[2].bytes, bundle.fonts[3].bytes}};
    if (const json* f = r.member(j, "", "fonts", false)) {
        if (!f->is_object()) {
            r.error("/fonts", tr("expected-type", "expected {}, found {}", tx("an object"), json_kind(*f)));
        } else {
            r.only(*f, "/fonts", {"regular", "bold", "italic", "bold_italic"});
            for (const char* key : sources::kFontKeys) (void)r.string_member(*f, "/fonts", key, true);
        }
    }
}

void DocumentParser::read_annexes() {
    if (const json* a = r.member(j, "", "annexes", false)) {
        if (!a->is_array()) {
            r.error("/annexes", tr("expected-type", "expected {}, found {}", tx("an array"), json_kind(*a)));
        } else {
            for (std::size_t i = 0; i < a->size(); ++i) {
                const json& e = (*a)[i];
                std::string ptr = "/annexes/" + std::to_string(i);
                if (e.is_object() && e.size() == 1 && e.contains("file") && e["file"].is_string()) {
                    // An annex in a file of its own: errors are located in that file
                    // (one that could not be read or parsed is reported by gather()).
                    const sources::JsonFile* af = bundle.annex(sources::join(bundle.base_dir, e["file"].get<std::string>()));
                    if (af) d.annexes.push_back(parse_annex(*af->tree, af->path, "", diags));
                } else {
                    d.annexes.push_back(parse_annex(e, file, ptr, diags));
                }
            }
        }
    }
}

}  // namespace

model::Document parse_document(const sources::Bundle& bundle, const LoadOptions& opts, Diagnostics& diags) {
    diags.append(bundle.problems);
    check_top_level(*bundle.document.tree, bundle.document.path);
    DocumentParser p(bundle, opts, diags);
    p.check_members();
    p.read_type();
    p.read_issuer();
    p.read_number_and_symbol();
    p.read_heading();
    p.read_body();
    p.read_decision();
    p.read_attached();
    p.read_invitation_and_secretary();
    p.read_recipients_and_archive();
    p.read_signature();
    p.read_layout();
    p.read_fonts();
    p.read_annexes();
    check_typed_numbers(p.d.body, p.d.body_file, opts.strict, diags);
    return std::move(p.d);
}

model::Document load_document(const std::string& path, const LoadOptions& opts, Diagnostics* warnings) {
    sources::DiskWorld world;
    Diagnostics diags;
    model::Document d = parse_document(sources::gather(world, path, opts.fonts_dir), opts, diags);
    if (diags.has_errors()) throw InputError(std::move(diags));
    if (warnings) warnings->append(diags);
    return d;
}

}  // namespace vanban::input

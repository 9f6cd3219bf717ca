#include "input/document_input.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "image/png.hpp"
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

/// A name folded for comparison: lower case, without diacritics, spaces kept ("Quyết định" -> "quyet dinh").
std::string folded(const std::string& s) {
    std::string slug = vntext::ascii_slug(s);
    for (char& c : slug)
        if (c == '-') c = ' ';
    return slug;
}

/// "; did you mean \"QĐ\" (Quyết định)?" for a type written in another case
/// or without diacritics ("QD", "qđ", "Quyet dinh"), or misspelt; else "".
std::string type_hint(const std::string& t) {
    static const std::vector<DocType> types = load_doc_types();
    const std::string f = folded(t);
    const DocType* match = nullptr;
    int matches = 0;
    for (const auto& dt : types)
        if ((!dt.code.empty() && folded(dt.code) == f) || folded(dt.name) == f) {
            if (!match || match->code != dt.code) ++matches;
            match = &dt;
        }
    auto named = [](const DocType& dt) {
        return dt.code.empty() ? "\"" + dt.name + "\"" : "\"" + dt.code + "\" (" + dt.name + ")";
    };
    if (matches == 1) return tx("; did you mean {}?", named(*match));
    std::vector<std::string> names;
    for (const auto& dt : types) names.push_back(dt.name);
    std::string near = vntext::closest_name(t, names);
    return near.empty() ? "" : tx("; did you mean \"{}\"?", near);
}

/// "; write \"KT. CHỦ TỊCH\"" for an authority line whose prefix lacks its
/// dot or is written "K/T", "T/M", "Thừa lệnh" …; else "".
std::string authority_hint(const std::string& line) {
    const std::string up = vntext::upper(Fields::trimmed(line));
    const std::size_t sp = up.find(' ');
    if (sp == std::string::npos) return "";
    std::string head;
    for (char c : up.substr(0, sp))
        if (c != '.' && c != '/') head += c;
    for (const char* p : {"TM", "KT", "Q", "TL", "TUQ"})
        if (head == p) return tx("; write \"{}\"", std::string(p) + ". " + Fields::trimmed(up.substr(sp)));
    // spelt out: "Thừa lệnh Bộ trưởng", "Ky thay Chu tich"
    static const std::pair<const char*, const char*> spoken[] = {
        {"thay mat ", "TM."}, {"ky thay ", "KT."}, {"quyen ", "Q."}, {"thua lenh ", "TL."}, {"thua uy quyen ", "TUQ."}};
    const std::string f = folded(up) + " ";
    for (const auto& [words, prefix] : spoken) {
        const std::string w = words;
        if (f.compare(0, w.size(), w) != 0) continue;
        std::size_t at = 0;
        for (std::size_t n = std::count(w.begin(), w.end(), ' '); n > 0 && at != std::string::npos; --n) {
            at = up.find(' ', at);
            if (at != std::string::npos) ++at;
        }
        if (at == std::string::npos) return "";
        return tx("; write \"{}\"", std::string(prefix) + " " + Fields::trimmed(up.substr(at)));
    }
    return "";
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

/// "; write \"2024-02-05\"" for a date written another way — 05/02/2024,
/// 5/2/2024, 5.2.2024, 5-2-2024 (the day first, as Vietnamese dates are
/// written), 2024-2-5, 2024/02/05 — or "" when `text` is not such a date.
std::string iso_hint(const std::string& text) {
    std::vector<int> n;
    std::vector<std::size_t> widths;
    std::string seps;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            std::size_t k = i;
            while (k < text.size() && text[k] >= '0' && text[k] <= '9') ++k;
            if (k - i > 4) return "";
            n.push_back(std::stoi(text.substr(i, k - i)));
            widths.push_back(k - i);
            i = k;
        } else if ((c == '/' || c == '-' || c == '.') && !n.empty() && seps.size() < n.size()) {
            seps += c;
            ++i;
        } else {
            return "";
        }
    }
    if (n.size() != 3 || seps.size() != 2 || seps[0] != seps[1]) return "";
    int year, month, day;
    if (widths[0] == 4) year = n[0], month = n[1], day = n[2];
    else if (widths[2] == 4) year = n[2], month = n[1], day = n[0];
    else return "";
    auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
    const std::string iso = std::to_string(year) + "-" + two(month) + "-" + two(day);
    if (month >= 1 && month <= 12 && vntext::valid_date(year, month, day))
        return widths[0] == 4 ? tx("; write \"{}\" (year-month-day)", iso)
                              : tx("; write \"{}\" (year-month-day, read with the day first)", iso);
    if (widths[0] != 4 && day >= 1 && day <= 12 && vntext::valid_date(year, day, month))
        return tx("; there is no month {} (the day comes first: {}); for that day write \"{}\"", month,
                  two(month) + "/" + two(day) + "/" + std::to_string(year),
                  std::to_string(year) + "-" + two(day) + "-" + two(month));
    return tx("; {} is not a date of the calendar", text);
}

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
        r.error("/date", tr("date-format", "expected an ISO date \"YYYY-MM-DD\" (a draft may give \"YYYY-MM\" or \"YYYY\"), found \"{}\"{}",
                            text, iso_hint(text)));
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
            std::vector<std::string> names;
            for (const auto& x : ranges) list += std::string(list.empty() ? "" : ", ") + x.key, names.emplace_back(x.key);
            r.error(ptr, tr("unknown-layout-setting", "unknown layout setting \"{}\"{} (expected one of: {})", key, did_you_mean(key, names), list));
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

/// A length in millimetres as printed in messages ("36", "35.5").
std::string mm_text(double v) {
    std::ostringstream o;
    o.precision(3);
    o << v;
    return o.str();
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
    /// The signature block: authority lines, position and name, the signature
    /// and seal images, and whether the document is electronic.
    void read_signature();
    /// The picture `key` of the signature ("image", "seal"), checked and
    /// measured: its printed size from `size_key` (mm, from `lo` to `hi`), else
    /// `default_mm`, else (0) the size the file declares.
    std::optional<model::Picture> read_picture(const json& sig, const std::string& at, const char* key, const char* size_key,
                                               double default_mm, double lo, double hi);
    /// The signature and seal images of the signature object `sig` at `at`.
    void read_pictures(const json& sig, const std::string& at, model::Signature& out);
    /// The copy section: kind, copying organisation, number, date, signer.
    void read_copy();
    /// The layout settings, each within its range.
    void read_layout();
    /// The font files, and the "fonts" member checked.
    void read_fonts();
    /// The annex tables, each inline or in a file of its own.
    void read_annexes();
    /// A joint document (văn bản liên tịch): its issuers and their signatures,
    /// in the same order, the lead issuer first. Runs before the number is read.
    void read_joint();
    /// The marks and boxes: secrecy, urgency, circulation, recall, DỰ THẢO,
    /// drafter code and copies, address footer.
    void read_marks();

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
    r.only(j, "", {"$schema", "$comment", "type", "parent", "issuer", "issuers", "signatures", "marks", "number", "symbol", "unit", "date", "place", "summary",
                         "kinh_gui", "body", "recipients", "archive", "signature", "layout", "fonts", "annexes",
                         "authority", "bases", "proposal", "nhu_dieu", "attached", "invitation", "secretary", "introduction",
                         "electronic", "copy"});
}

void DocumentParser::read_type() {
    if (auto t = r.string_member(j, "", "type", true)) {
        const DocType* found = find_type(*t);
        if (!found) {
            r.error("/type", tr("unknown-type",
                                "unknown document type \"{}\"{} (expected a code or name from templates/doc-types.json, e.g. \"KH\", "
                                "\"BC\", \"QĐ\", \"TTr\", \"CV\")",
                                *t, type_hint(*t)));
        } else if (found->code == "SY" || found->code == "SL" || found->code == "TrS") {
            r.error("/type", tr("copy-type", "a copy is not a new document: give the type of the document copied, and make the copy "
                                             "with a \"copy\" section (\"kind\": \"{}\", the copying organisation, number, date and signer)",
                                found->code));
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
    if (j.contains("issuers")) {
        if (j.contains("issuer"))
            r.error("/issuer", tr("joint-either", "give either \"issuer\" (one issuer) or \"issuers\" (a joint document), not both"));
        return;  // read_joint()
    }
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
        std::optional<long long> value;
        if (n->is_number_integer() || n->is_number_unsigned()) {
            value = n->get<long long>();
        } else if (n->is_string()) {
            // "07" and "498" (as the number is printed) mean the number itself.
            const std::string t = Fields::trimmed(n->get<std::string>());
            std::size_t k = 0;
            while (k < t.size() && t[k] >= '0' && t[k] <= '9') ++k;
            if (k > 0 && k <= 9 && k == t.size()) {
                value = std::stoll(t);
            } else if (k > 0 && k <= 9 && t[k] == '/') {
                r.error("/number", tr("number-digits", "write only the number: {}, not \"{}\"; the part after \"/\" is made from the type "
                                                       "and the issuer's code (set \"symbol\" to write it yourself)",
                                      t.substr(0, k), t));
            } else {
                r.error("/number", tr("number-type", "expected a positive integer, found the text \"{}\" (write the number, e.g. 498 or \"07\"; "
                                                     "omit the field for a draft)",
                                      t));
            }
        } else {
            r.error("/number", tr("number-kind", "expected a positive integer, found {} (write the number, e.g. 498; omit the field for a draft)",
                                  json_kind(*n)));
        }
        if (!value) {
        } else if (*value <= 0) {
            r.error("/number", tr("number-range", "document number must be 1 or more, found {}", *value));
        } else if (*value > 999999) {
            r.error("/number", tr("number-range", "document number {} is implausibly large", *value));
        } else {
            d.number = static_cast<int>(*value);
        }
    }
    auto unit = r.string_member(j, "", "unit", false);
    if (auto s = r.string_member(j, "", "symbol", false)) {
        if (s->find(' ') != std::string::npos || s->find('/') != std::string::npos)
            r.error("/symbol", tr("symbol-shape", "the symbol has no spaces and no \"/\" (e.g. \"KH-UBND\"), found \"{}\"", *s));
        d.symbol = *s;
    } else if (!d.joint_issuers.empty()) {
        // The joint code: the type's code with "LT", then every issuer's code in order ("KHLT-SNV-STC");
        // a joint Công văn: the issuers' codes ("SNV-STC").
        std::string codes;
        for (const auto& ji : d.joint_issuers) codes += (codes.empty() ? "" : "-") + ji.code;
        d.symbol = (d.type.is_cong_van ? "" : d.type.code + "LT-") + codes + (unit ? "-" + *unit : "");
    } else if (d.type.is_cong_van) {
        d.symbol = d.issuer_code + (unit ? "-" + *unit : "");
    } else if (!d.issuer_code.empty()) {
        d.symbol = d.type.code + "-" + d.issuer_code + (unit ? "-" + *unit : "");
    }
}

void DocumentParser::read_heading() {
    if (auto dt = r.string_member(j, "", "date", true)) parse_date(r, *dt, d.date);
    // A Biên bản prints no place-date line (PLIII M1.9): its place is not needed.
    if (auto p = r.string_member(j, "", "place", d.type.code != "BB")) d.place = *p;
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
                d.body = parse_body(vntext::nfc_of_valid(body_text), body_file, diags);
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
                    t.body = parse_body(vntext::nfc_of_valid(text), where, diags);
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
    if (j.contains("signatures")) {
        if (j.contains("signature"))
            r.error("/signature", tr("joint-either", "give either \"signature\" (one issuer) or \"signatures\" (a joint document), not both"));
        return;  // read_joint()
    }
    if (const json* s = r.member(j, "", "signature", true)) {
        if (!s->is_object()) {
            r.error("/signature", tr("expected-type", "expected {}, found {}", tx("an object"), json_kind(*s)));
        } else {
            r.only(*s, "/signature", {"authority", "position", "name", "image", "seal"});
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
                            tr("authority-prefix", "an authority line starts with TM., KT., Q., TL. or TUQ.; found \"{}\"{}",
                               d.signature.authority[i], authority_hint(d.signature.authority[i])));
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
            read_pictures(*s, "/signature", d.signature);
        }
    }
    if (const json* e = r.member(j, "", "electronic", false))
        if (auto v = r.boolean(*e, "/electronic")) d.electronic = *v;
    if (d.electronic && !d.signature.image)
        r.error("/signature", tr("electronic-signature", "an electronic document shows the signer's digital signature as the signature "
                                                         "image: add \"image\": {\"file\": \"chu-ky.png\"} (PNG, blue, transparent background)"));
    if (d.electronic && !d.signature.seal)
        r.error("/signature", tr("electronic-signature", "an electronic document shows the organisation's digital signature as the seal "
                                                         "image: add \"seal\": {\"file\": \"con-dau.png\"} (PNG, red, transparent "
                                                         "background, at the seal's real size)"));
}

void DocumentParser::read_pictures(const json& sig, const std::string& at, model::Signature& out) {
    out.image = read_picture(sig, at, "image", "height_mm", 18, 8, 30);
    out.seal = read_picture(sig, at, "seal", "width_mm", 0, 20, 60);
    if (out.seal && !out.image && !sig.contains("image"))
        r.error(Fields::at(at, "seal"), tr("seal-without-image", "the seal is placed over the left third of the signature image: give \"image\" too"));
}

std::optional<model::Picture> DocumentParser::read_picture(const json& sig, const std::string& at, const char* key,
                                                           const char* size_key,
                                                           double default_mm, double lo, double hi) {
    const std::string ptr = Fields::at(at, key);
    const json* m = r.member(sig, at, key, false);
    if (m == nullptr) return std::nullopt;
    if (!m->is_object()) {
        r.expected(ptr, tx("an object with \"file\" (a PNG file)"), *m);
        return std::nullopt;
    }
    r.only(*m, ptr, {"file", size_key});
    std::optional<double> size;
    if (const json* v = r.member(*m, ptr, size_key, false)) {
        if (!v->is_number() || v->get<double>() < lo || v->get<double>() > hi)
            r.error(Fields::at(ptr, size_key), tr("image-size", "expected a number of millimetres from {} to {}, found {}", mm_text(lo),
                                                  mm_text(hi), v->dump()));
        else
            size = v->get<double>();
    }
    auto name = r.string_member(*m, ptr, "file", true);
    if (!name) return std::nullopt;
    const std::string path = sources::join(bundle.base_dir, *name);
    sources::Bytes bytes = bundle.image(path);
    if (!bytes) return std::nullopt;  // reported by gather()
    image::Png png;
    try {
        png = image::read_png(*bytes);
    } catch (const image::PngError& e) {
        r.error(Fields::at(ptr, "file"), tr("image-invalid", "the image \"{}\" {}", *name, e.what()));
        return std::nullopt;
    }
    model::Picture p;
    p.file = path;
    p.png = bytes;
    p.width_px = static_cast<int>(png.width);
    p.height_px = static_cast<int>(png.height);
    const double aspect = static_cast<double>(png.height) / png.width;
    if (std::string(size_key) == "height_mm") {
        p.height_mm = size.value_or(default_mm);
        p.width_mm = p.height_mm / aspect;
    } else {
        // The seal is printed at its real size: as given, else as the file declares it.
        if (size)
            p.width_mm = *size;
        else if (png.dpi_x > 0)
            p.width_mm = png.width / png.dpi_x * 25.4;
        else {
            r.error(ptr, tr("image-size", "the seal is printed at its real size, and \"{}\" does not say how large it is (no pHYs "
                                          "resolution): give \"width_mm\", the seal's diameter", *name));
            return std::nullopt;
        }
        if (p.width_mm < lo || p.width_mm > hi) {
            r.error(ptr, tr("image-size", "the seal image \"{}\" declares a width of {} mm, outside {}–{} mm: give \"width_mm\"", *name,
                            mm_text(p.width_mm), mm_text(lo), mm_text(hi)));
            return std::nullopt;
        }
        p.height_mm = p.width_mm * aspect;
    }
    if (!png.has_alpha)
        r.warning(Fields::at(ptr, "file"), tr("image-opaque", "the image \"{}\" has no transparency: its background will hide what lies "
                                                              "under it", *name));
    return p;
}

void DocumentParser::read_copy() {
    const json* c = r.member(j, "", "copy", false);
    if (c == nullptr) return;
    if (!c->is_object()) {
        r.expected("/copy", tx("an object with \"kind\", \"issuer\", \"number\", \"date\", \"place\" and \"signature\""), *c);
        return;
    }
    r.only(*c, "/copy", {"kind", "issuer", "number", "date", "place", "time", "electronic", "recipients", "archive", "signature"});
    model::Copy cp;
    static const std::pair<const char*, std::pair<const char*, const char*>> kinds[] = {
        {"SY", {"SY", "SAO Y"}}, {"sao y", {"SY", "SAO Y"}}, {"SL", {"SL", "SAO LỤC"}}, {"sao lục", {"SL", "SAO LỤC"}},
        {"TrS", {"TrS", "TRÍCH SAO"}}, {"trích sao", {"TrS", "TRÍCH SAO"}}};
    if (auto k = r.string_member(*c, "/copy", "kind", true)) {
        for (const auto& [key, v] : kinds)
            if (*k == key) cp.code = v.first, cp.form = v.second;
        if (cp.code.empty())
            r.error("/copy/kind", tr("copy-kind", "expected \"SY\" (sao y), \"SL\" (sao lục) or \"TrS\" (trích sao), found \"{}\"", *k));
    }
    if (const json* iss = r.member(*c, "/copy", "issuer", true)) {
        if (!iss->is_object()) {
            r.expected("/copy/issuer", tx("an object with \"name\" and \"code\""), *iss);
        } else {
            r.only(*iss, "/copy/issuer", {"name", "code", "full_name"});
            if (const json* n = r.member(*iss, "/copy/issuer", "name", true)) cp.issuer_lines = r.lines(*n, "/copy/issuer/name");
            if (auto code = r.string_member(*iss, "/copy/issuer", "code", true)) cp.issuer_code = *code;
            if (auto f = r.string_member(*iss, "/copy/issuer", "full_name", false)) cp.issuer_name = *f;
        }
    }
    if (cp.issuer_name.empty())
        for (const auto& l : cp.issuer_lines) cp.issuer_name += (cp.issuer_name.empty() ? "" : " ") + l;
    if (const json* n = r.member(*c, "/copy", "number", true))
        if (auto v = r.integer(*n, "/copy/number", 1, 999999)) cp.number = static_cast<int>(*v);
    if (auto t = r.string_member(*c, "/copy", "date", true)) {
        int y = 0, m = 0, dd = 0;
        char tail = 0;
        if (t->size() != 10 || std::sscanf(t->c_str(), "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 || !vntext::valid_date(y, m, dd))
            r.error("/copy/date", tr("date-format", "expected the date of copying as \"YYYY-MM-DD\", found \"{}\"", *t));
        else
            cp.date = {y, m, dd};
    }
    if (auto p = r.string_member(*c, "/copy", "place", true)) cp.place = *p;
    if (const json* e = r.member(*c, "/copy", "electronic", false))
        if (auto v = r.boolean(*e, "/copy/electronic")) cp.electronic = *v;
    if (auto t = r.string_member(*c, "/copy", "time", cp.electronic)) {
        int h = -1, mi = -1, se = -1;
        char tail = 0;
        if (t->size() != 8 || std::sscanf(t->c_str(), "%2d:%2d:%2d%c", &h, &mi, &se, &tail) != 3 || h > 23 || mi > 59 || se > 59 ||
            h < 0 || mi < 0 || se < 0)
            r.error("/copy/time", tr("copy-time", "expected the signing time as \"hh:mm:ss\" (Vietnam time), found \"{}\"", *t));
        else
            cp.time = *t;
    }
    if (cp.electronic) {
        // PLI-2 §I.3: the organisation signs the copy; its face is the copied document, with one line at the top right.
        for (const char* paper_only : {"recipients", "archive", "signature"})
            if (c->contains(paper_only))
                r.error(Fields::at("/copy", paper_only), tr("copy-electronic", "an electronic copy has no copy block: only the copy line "
                                                                               "at the top right of page 1 (form; organisation; date; time)"));
    } else {
        cp.recipients = r.string_array(*c, "/copy", "recipients", false);
        for (auto& rc : cp.recipients) rc = strip_list_punctuation(rc);
        if (auto a = r.string_member(*c, "/copy", "archive", false)) cp.archive = strip_list_punctuation(*a);
        if (const json* s = r.member(*c, "/copy", "signature", true)) {
            if (!s->is_object()) {
                r.expected("/copy/signature", tx("an object with \"position\" and \"name\""), *s);
            } else {
                r.only(*s, "/copy/signature", {"authority", "position", "name", "image", "seal"});
                read_pictures(*s, "/copy/signature", cp.signature);
                cp.signature.authority = r.string_array(*s, "/copy/signature", "authority", false);
                if (auto p = r.string_member(*s, "/copy/signature", "position", true)) cp.signature.position = *p;
                if (auto n = r.string_member(*s, "/copy/signature", "name", true)) cp.signature.name = *n;
            }
        }
    }
    d.copy = std::move(cp);
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

void DocumentParser::read_joint() {
    const json* iss = r.member(j, "", "issuers", false);
    const json* sig = r.member(j, "", "signatures", false);
    if (!iss && !sig) return;
    if (!iss) {
        r.error("/signatures", tr("joint-signatures", "\"signatures\" belong to a joint document: give its \"issuers\" too (or one \"signature\")"));
        return;
    }
    if (!iss->is_array() || iss->size() < 2) {
        r.expected("/issuers", tx("an array of two or more issuers ({\"name\", \"code\", \"full_name\"}), the lead issuer first"), *iss);
        return;
    }
    for (std::size_t i = 0; i < iss->size(); ++i) {
        const json& e = (*iss)[i];
        const std::string ptr = Fields::at("/issuers", i);
        if (!e.is_object()) {
            r.expected(ptr, tx("an object with \"name\" and \"code\""), e);
            continue;
        }
        r.only(e, ptr, {"name", "code", "full_name"});
        model::JointIssuer ji;
        if (const json* n = r.member(e, ptr, "name", true)) {
            for (std::string& l : r.lines(*n, Fields::at(ptr, "name")))
                if (!(l = Fields::trimmed(l)).empty()) ji.lines.push_back(l);
            if (ji.lines.empty()) r.error(Fields::at(ptr, "name"), tr("empty", "must not be empty"));
        }
        if (auto c = r.string_member(e, ptr, "code", true)) {
            if (c->find(' ') != std::string::npos || c->find('/') != std::string::npos || c->find('-') != std::string::npos)
                r.error(Fields::at(ptr, "code"), tr("issuer-code", "an issuer code has no spaces, \"/\" or \"-\" (e.g. \"SNV\"), found \"{}\"", *c));
            ji.code = *c;
        }
        if (auto f = r.string_member(e, ptr, "full_name", false)) ji.full_name = *f;
        if (ji.full_name.empty()) {
            for (const auto& l : ji.lines) ji.full_name += (ji.full_name.empty() ? "" : " ") + l;
        }
        d.joint_issuers.push_back(std::move(ji));
    }
    for (std::size_t i = 0; i < d.joint_issuers.size(); ++i)
        for (std::size_t k = 0; k < i; ++k)
            if (!d.joint_issuers[i].code.empty() && d.joint_issuers[i].code == d.joint_issuers[k].code)
                r.error(Fields::at(Fields::at("/issuers", i), "code"),
                        tr("issuer-code", "issuer code \"{}\" is already used by issuer {}", d.joint_issuers[i].code, k + 1));
    // The header: the names joined by " - ", broken where each name is broken.
    d.issuer_lines.clear();
    for (const auto& ji : d.joint_issuers) {
        for (std::size_t l = 0; l < ji.lines.size(); ++l) {
            if (l == 0 && !d.issuer_lines.empty()) d.issuer_lines.back() += " - " + ji.lines[l];
            else d.issuer_lines.push_back(ji.lines[l]);
        }
    }
    d.issuer_code = d.joint_issuers.front().code;
    // In running text: "Sở Nội vụ và Sở Tài chính" ("A, B và C").
    d.issuer_full_name.clear();
    for (std::size_t i = 0; i < d.joint_issuers.size(); ++i)
        d.issuer_full_name += (i == 0 ? "" : i + 1 == d.joint_issuers.size() ? " và " : ", ") + d.joint_issuers[i].full_name;
    if (!d.type.is_cong_van && !d.type.name.empty()) d.type.name += " liên tịch";
    r.warning("/issuers", tr("joint-not-regulated", "a joint document (văn bản liên tịch) is not regulated by Nghị định 30/2020/NĐ-CP; "
                                                    "its header, number code and signatures follow common practice (see the README)"));

    if (!sig) {
        r.error("", tr("missing-field", "missing required field \"signatures\": a joint document has one signature per issuer, in the order "
                                        "of \"issuers\""));
        return;
    }
    if (!sig->is_array()) {
        r.expected("/signatures", tx("an array of signatures ({\"authority\", \"position\", \"name\"}), one per issuer"), *sig);
        return;
    }
    if (sig->size() != d.joint_issuers.size() && iss->size() == d.joint_issuers.size())
        r.error("/signatures", tr("joint-signatures", "a joint document has one signature per issuer: {} issuers, {} signatures",
                                  iss->size(), sig->size()));
    for (std::size_t i = 0; i < sig->size(); ++i) {
        const json& e = (*sig)[i];
        const std::string ptr = Fields::at("/signatures", i);
        if (!e.is_object()) {
            r.expected(ptr, tx("an object with \"position\" and \"name\""), e);
            continue;
        }
        r.only(e, ptr, {"authority", "position", "name"});
        model::Signature s;
        s.authority = r.string_array(e, ptr, "authority", false);
        if (s.authority.size() > 2)
            r.error(Fields::at(ptr, "authority"), tr("authority-lines", "at most two authority lines (e.g. \"KT. GIÁM ĐỐC\")"));
        for (std::size_t k = 0; k < s.authority.size(); ++k) {
            std::string up = vntext::upper(s.authority[k]);
            bool ok = false;
            for (const char* p : {"TM.", "KT.", "Q.", "TL.", "TUQ."})
                if (up.rfind(p, 0) == 0) ok = true;
            if (!ok)
                r.error(Fields::at(Fields::at(ptr, "authority"), k),
                        tr("authority-prefix", "an authority line starts with TM., KT., Q., TL. or TUQ.; found \"{}\"", s.authority[k]));
        }
        if (auto p = r.string_member(e, ptr, "position", true)) s.position = *p;
        if (auto n = r.string_member(e, ptr, "name", true)) s.name = *n;
        d.joint_signatures.push_back(std::move(s));
    }
    if (!d.joint_signatures.empty()) d.signature = d.joint_signatures.front();
}

namespace {

/// Upper case, single spaces, NFC: how a mark is compared and printed.
std::string mark_text(const std::string& s) {
    std::string out, up = vntext::upper(vntext::nfc(s));
    for (char ch : up) {
        if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;
        out += ch;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

void DocumentParser::read_marks() {
    const json* m = r.member(j, "", "marks", false);
    if (!m) return;
    if (!m->is_object()) {
        r.expected("/marks", tx("an object (\"urgency\", \"secrecy\", \"circulation\", \"recall\", \"draft\", \"drafter\", \"copies\", \"footer\")"), *m);
        return;
    }
    r.only(*m, "/marks", {"urgency", "secrecy", "circulation", "recall", "draft", "drafter", "copies", "footer"});
    model::Marks& k = d.marks;
    if (auto u = r.string_member(*m, "/marks", "urgency", false)) {
        std::string t = mark_text(*u);
        if (t == "HOẢ TỐC") t = "HỎA TỐC";  // the decree's text spells it so; its sample box reads "HỎA TỐC"
        if (t == "KHẨN" || t == "THƯỢNG KHẨN" || t == "HỎA TỐC") k.urgency = t;
        else if (t.rfind("HỎA TỐC ", 0) == 0 || t.rfind("HOẢ TỐC ", 0) == 0)
            r.error("/marks/urgency", tr("mark-urgency", "\"{}\" is not an urgency level of Nghị định 30/2020 (only \"KHẨN\", \"THƯỢNG KHẨN\", "
                                                         "\"HỎA TỐC\"); write the deadline in the text", *u));
        else
            r.error("/marks/urgency", tr("mark-urgency", "expected \"KHẨN\", \"THƯỢNG KHẨN\" or \"HỎA TỐC\", found \"{}\"", *u));
    }
    if (auto sc = r.string_member(*m, "/marks", "secrecy", false)) {
        std::string t = mark_text(*sc);
        if (t == "MẬT" || t == "TỐI MẬT" || t == "TUYỆT MẬT") k.secrecy = t;
        else r.error("/marks/secrecy", tr("mark-secrecy", "expected \"MẬT\", \"TỐI MẬT\" or \"TUYỆT MẬT\", found \"{}\"", *sc));
    }
    if (auto c = r.string_member(*m, "/marks", "circulation", false)) {
        std::string t = mark_text(*c);
        if (vntext::decode(t).size() > 30)
            r.error("/marks/circulation", tr("mark-circulation", "a circulation mark is a short stamp (at most 30 characters, e.g. \"XEM XONG "
                                                                 "TRẢ LẠI\", \"LƯU HÀNH NỘI BỘ\"), found \"{}\"", *c));
        else k.circulation = t;
    }
    if (const json* rc = r.member(*m, "/marks", "recall", false))
        if (auto b = r.boolean(*rc, "/marks/recall")) k.recall = *b;
    if (const json* dr = r.member(*m, "/marks", "draft", false)) {
        if (dr->is_boolean()) {
            if (dr->get<bool>()) k.draft = "DỰ THẢO";
        } else if (auto t = r.string(*dr, "/marks/draft", false)) {
            std::string up = mark_text(*t);
            if (up.rfind("DỰ THẢO", 0) != 0)
                r.error("/marks/draft", tr("mark-draft", "the draft mark starts with \"Dự thảo\" (e.g. \"Dự thảo lần 2\"), found \"{}\"", *t));
            else if (vntext::decode(up).size() > 24)
                r.error("/marks/draft", tr("mark-draft", "the draft mark is short (at most 24 characters, e.g. \"Dự thảo lần 2\"), found \"{}\"", *t));
            else k.draft = up;
        }
    }
    if (auto dc = r.string_member(*m, "/marks", "drafter", false)) {
        std::string t = mark_text(*dc);
        bool ok = !t.empty() && vntext::decode(t).size() <= 10;
        for (char32_t cp : vntext::decode(t)) ok = ok && (cp >= 0x80 || (cp >= 'A' && cp <= 'Z'));
        if (!ok)
            r.error("/marks/drafter", tr("mark-drafter", "the drafter's code is their initials, letters only, at most 10 (e.g. \"PL\"), found \"{}\"",
                                         *dc));
        else k.drafter = t;
    }
    if (const json* cp = r.member(*m, "/marks", "copies", false)) {
        if (auto v = r.integer(*cp, "/marks/copies", 1, 99999)) k.copies = static_cast<int>(*v);
        if (!m->contains("drafter"))
            r.error("/marks/copies", tr("mark-drafter", "the number of copies goes after the drafter's code: give \"drafter\" too (e.g. \"PL\")"));
    }
    if (const json* f = r.member(*m, "/marks", "footer", false)) {
        for (std::string& l : r.lines(*f, "/marks/footer"))
            if (!(l = Fields::trimmed(l)).empty()) k.footer.push_back(l);
        if (k.footer.empty()) r.error("/marks/footer", tr("empty", "must not be empty (omit it when there is no address footer)"));
        else if (k.footer.size() > 4)
            r.error("/marks/footer", tr("mark-footer", "at most 4 lines of address, telephone, e-mail and website, found {}", k.footer.size()));
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
    p.read_joint();
    p.read_number_and_symbol();
    p.read_heading();
    p.read_body();
    p.read_decision();
    p.read_attached();
    p.read_invitation_and_secretary();
    p.read_recipients_and_archive();
    p.read_signature();
    p.read_copy();
    p.read_layout();
    p.read_fonts();
    p.read_annexes();
    p.read_marks();
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

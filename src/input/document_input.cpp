#include "input/document_input.hpp"

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

/// Removes punctuation the generator adds itself (";" "." at the end, "- " in front).
std::string strip_list_punctuation(std::string s) {
    if (s.rfind("- ", 0) == 0) s.erase(0, 2);
    while (!s.empty() && (s.back() == ';' || s.back() == '.' || s.back() == ' ' || s.back() == ','))
        s.pop_back();
    return s;
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
        r.error("/date", "expected an ISO date \"YYYY-MM-DD\" (a draft may give \"YYYY-MM\" or \"YYYY\"), found \"" + text + "\"");
        return;
    }
    out.year = std::stoi(parts[0]);
    if (parts.size() >= 2) out.month = std::stoi(parts[1]);
    if (parts.size() == 3) out.day = std::stoi(parts[2]);
    if (out.month && (*out.month < 1 || *out.month > 12)) {
        r.error("/date", "impossible date \"" + text + "\": month " + std::to_string(*out.month) + " (expected 01–12)");
        return;
    }
    if (out.year < 1900 || out.year > 2200) {
        r.error("/date", "implausible year " + parts[0] + " in \"" + text + "\" (expected 1900–2200)");
        return;
    }
    if (out.day && !vntext::valid_date(out.year, *out.month, *out.day))
        r.error("/date", "impossible date \"" + text + "\": " + parts[0] + "-" + parts[1] + " has no day " +
                             std::to_string(*out.day));
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
        {"margin_top_mm", &model::LayoutOptions::margin_top_mm, 20, 25, "top margin (mm)"},
        {"margin_bottom_mm", &model::LayoutOptions::margin_bottom_mm, 20, 25, "bottom margin (mm)"},
        {"margin_left_mm", &model::LayoutOptions::margin_left_mm, 30, 35, "left margin (mm)"},
        {"margin_right_mm", &model::LayoutOptions::margin_right_mm, 15, 20, "right margin (mm)"},
        {"body_size_pt", &model::LayoutOptions::body_size_pt, 13, 14, "body font size (pt)"},
        {"header_size_pt", &model::LayoutOptions::header_size_pt, 12, 13, "header font size (pt)"},
        {"first_indent_mm", &model::LayoutOptions::first_indent_mm, 10, 12.7, "first-line indent (mm)"},
        {"paragraph_spacing_pt", &model::LayoutOptions::paragraph_spacing_pt, 6, 12, "space between paragraphs (pt)"},
        {"line_spacing", &model::LayoutOptions::line_spacing, 1.0, 1.5, "line spacing (lines)"},
        {"page_number_size_pt", &model::LayoutOptions::page_number_size_pt, 13, 14, "page number size (pt)"},
    };
    if (!j.is_object()) {
        r.error("/layout", std::string("expected an object, found ") + json_kind(j));
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
            r.error(ptr, "unknown layout setting \"" + key + "\" (expected one of: " + list + ")");
            continue;
        }
        if (!v.is_number()) {
            r.error(ptr, std::string("expected a number, found ") + json_kind(v));
            continue;
        }
        double val = v.get<double>();
        if (val < rg->lo || val > rg->hi) {
            std::ostringstream m;
            m << rg->what << " " << val << " is outside the range Nghị định 30/2020 allows (" << rg->lo << "–"
              << rg->hi << ")";
            // Even without strict mode, nonsense values are refused.
            bool sane = val > 0 && val < 10 * rg->hi;
            if (opts.strict || !sane) {
                r.error(ptr, m.str() + (opts.strict ? "; use --no-strict to accept it" : ""));
                continue;
            }
            if (warnings) warnings->warning(r.file(), ptr, m.str() + "; used as given (strict mode off)");
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
                         "this document is a template: give the data that fills it (vanban render " + file +
                             " --data DATA.csv -o OUTDIR, or vanban batch for one document per record)");
    if (!j.is_object()) throw InputError(file, "", std::string("expected a JSON object at the top level, found ") + json_kind(j));
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
                         "authority", "bases", "proposal", "nhu_dieu", "attached", "invitation", "secretary", "introduction",
                         "electronic", "copy"});
}

void DocumentParser::read_type() {
    if (auto t = r.string_member(j, "", "type", true)) {
        const DocType* found = find_type(*t);
        if (!found) {
            r.error("/type", "unknown document type \"" + *t +
                                 "\" (expected a code or name from templates/doc-types.json, e.g. \"KH\", \"BC\", \"QĐ\", \"TTr\", \"CV\")");
        } else if (found->code == "SY" || found->code == "SL" || found->code == "TrS") {
            r.error("/type", "a copy is not a new document: give the type of the document copied, and make the copy "
                             "with a \"copy\" section (\"kind\": \"" + found->code + "\", the copying organisation, number, date and signer)");
        } else {
            d.type.code = found->code;
            d.type.name = found->name;
            d.type.is_cong_van = found->cong_van;
        }
    }
    if (const json* p = r.member(j, "", "parent", false)) {
        for (std::string& l : r.lines(*p, "/parent"))
            if (!(l = Fields::trimmed(l)).empty()) d.parent_lines.push_back(l);
        if (d.parent_lines.empty()) r.error("/parent", "must not be empty (omit it when there is no parent organisation)");
    }
}

void DocumentParser::read_issuer() {
    if (const json* iss = r.member(j, "", "issuer", true)) {
        if (!iss->is_object()) {
            r.error("/issuer", std::string("expected an object with \"name\" and \"code\", found ") + json_kind(*iss));
        } else {
            r.only(*iss, "/issuer", {"name", "code", "full_name"});
            if (const json* n = r.member(*iss, "/issuer", "name", true)) {
                if (n->is_string()) {
                    std::string s = Fields::trimmed(n->get<std::string>());
                    if (s.empty()) r.error("/issuer/name", "must not be empty");
                    else d.issuer_lines.push_back(s);
                } else if (n->is_array()) {
                    d.issuer_lines = r.string_array(*iss, "/issuer", "name", true);
                    if (n->empty()) r.error("/issuer/name", "must have at least one line");
                } else {
                    r.error("/issuer/name", std::string("expected a string or an array of strings, found ") + json_kind(*n));
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
            r.error("/number", std::string("expected a positive integer, found ") + json_kind(*n) +
                                   (n->is_string() ? " (write 498, not \"498\"; omit the field for a draft)" : ""));
        } else if (n->get<long long>() <= 0) {
            r.error("/number", "document number must be 1 or more, found " + std::to_string(n->get<long long>()));
        } else if (n->get<long long>() > 999999) {
            r.error("/number", "document number " + std::to_string(n->get<long long>()) + " is implausibly large");
        } else {
            d.number = static_cast<int>(n->get<long long>());
        }
    }
    auto unit = r.string_member(j, "", "unit", false);
    if (auto s = r.string_member(j, "", "symbol", false)) {
        if (s->find(' ') != std::string::npos || s->find('/') != std::string::npos)
            r.error("/symbol", "the symbol has no spaces and no \"/\" (e.g. \"KH-UBND\"), found \"" + *s + "\"");
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
        r.error("/kinh_gui", "a Công văn needs at least one addressee (Kính gửi)");
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
            r.error("/body", std::string("expected {\"file\": \"body.md\"} or {\"text\": \"...\"}, found ") + json_kind(*b));
        }
        if (ok) {
            if (auto bad = vntext::find_invalid_utf8(body_text)) {
                diags.error(body_file, sources::line_column(body_text, *bad), "invalid UTF-8; save the file as UTF-8");
            } else {
                d.body_file = body_file;
                d.body = parse_body(vntext::nfc(body_text), body_file, diags);
                if (d.body.empty() && !j.contains("invitation") && !j.contains("introduction")) r.error("/body", "the body is empty");
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
        r.warning("", std::string("a ") + d.type.name + " names the holder of the power under its summary: give \"authority\" "
                                                         "(e.g. \"Chủ tịch Ủy ban nhân dân tỉnh Gia Lai\")");
    if (const json* n = r.member(j, "", "nhu_dieu", false)) {
        if (n->is_boolean() && !n->get<bool>()) {
            d.as_article = -1;
        } else if (auto v = r.integer(*n, "/nhu_dieu", 1, 999)) {
            int count = 0;
            for (const auto& b : d.body) count += b.kind == model::BlockKind::article;
            if (!d.body.empty() && *v > count)
                r.error("/nhu_dieu", "the body has " + std::to_string(count) + " article" + (count == 1 ? "" : "s") +
                                         "; there is no Điều " + std::to_string(*v));
            d.as_article = static_cast<int>(*v);
        }
    }
}

void DocumentParser::read_invitation_and_secretary() {
    if (const json* inv = r.member(j, "", "invitation", false)) {
        if (!inv->is_object()) {
            r.expected("/invitation", "an object with \"invitee\", \"event\", \"time\" and \"place\"", *inv);
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
        if (d.type.code != "GM" && j.contains("type")) r.error("/invitation", "only a Giấy mời has \"invitation\"");
    }
    if (const json* in = r.member(j, "", "introduction", false)) {
        if (!in->is_object()) {
            r.expected("/introduction", "an object with \"person\", \"position\", \"to\", \"purpose\" and \"valid_until\"", *in);
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
        if (d.type.code != "GGT" && j.contains("type")) r.error("/introduction", "only a Giấy giới thiệu has \"introduction\"");
    }
    if (const json* s = r.member(j, "", "secretary", false)) {
        if (!s->is_object()) {
            r.expected("/secretary", "an object with \"position\" and \"name\"", *s);
        } else {
            r.only(*s, "/secretary", {"position", "name"});
            model::Signature sec;
            if (auto p = r.string_member(*s, "/secretary", "position", true)) sec.position = *p;
            if (auto n = r.string_member(*s, "/secretary", "name", true)) sec.name = *n;
            d.secretary = sec;
        }
        if (d.type.code != "BB" && j.contains("type")) r.error("/secretary", "only a Biên bản has a secretary's signature");
    } else if (d.type.code == "BB") {
        r.error("", "missing required field \"secretary\": a Biên bản is signed by the secretary (left) and the chair (right), "
                    "e.g. \"secretary\": {\"position\": \"Thư ký\", \"name\": \"…\"}");
    }
}

void DocumentParser::read_attached() {
    const json* a = r.member(j, "", "attached", false);
    if (!a) return;
    if (!a->is_array()) {
        r.expected("/attached", "an array of texts ({\"type\", \"summary\", \"body\"})", *a);
        return;
    }
    if (d.type.code != "QĐ" && d.type.code != "NQ" && j.contains("type"))
        r.error("/attached", "only a Quyết định or a Nghị quyết issues attached texts");
    for (std::size_t i = 0; i < a->size(); ++i) {
        const json& e = (*a)[i];
        const std::string ptr = Fields::at("/attached", i);
        if (!e.is_object()) {
            r.expected(ptr, "an object with \"type\", \"summary\" and \"body\"", e);
            continue;
        }
        r.only(e, ptr, {"type", "summary", "body"});
        model::AttachedText t;
        if (auto ty = r.string_member(e, ptr, "type", true)) {
            const DocType* found = find_type(*ty);
            if (!found || found->cong_van)
                r.error(Fields::at(ptr, "type"), "unknown type of attached text \"" + *ty + "\" (e.g. \"QC\" Quy chế, \"QyĐ\" Quy định)");
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
                r.expected(bptr, "{\"file\": \"quy-che.md\"} or {\"text\": \"...\"}", *b);
            }
            if (ok) {
                if (auto bad = vntext::find_invalid_utf8(text)) {
                    diags.error(where, sources::line_column(text, *bad), "invalid UTF-8; save the file as UTF-8");
                } else {
                    t.body_file = where;
                    t.body = parse_body(vntext::nfc(text), where, diags);
                    if (t.body.empty()) r.error(bptr, "the attached text is empty");
                }
            }
        }
        d.attached.push_back(std::move(t));
    }
}

void DocumentParser::read_recipients_and_archive() {
    for (auto& rc : r.string_array(j, "", "recipients", true)) d.recipients.push_back(strip_list_punctuation(rc));
    if (auto a = r.string_member(j, "", "archive", true)) {
        std::string s = *a;
        if (s.rfind("Lưu:", 0) == 0) s = Fields::trimmed(s.substr(std::string("Lưu:").size()));
        d.archive = strip_list_punctuation(s);
    }
}

void DocumentParser::read_signature() {
    if (const json* s = r.member(j, "", "signature", true)) {
        if (!s->is_object()) {
            r.error("/signature", std::string("expected an object, found ") + json_kind(*s));
        } else {
            r.only(*s, "/signature", {"authority", "position", "name", "image", "seal"});
            d.signature.authority = r.string_array(*s, "/signature", "authority", false);
            if (d.signature.authority.size() > 2)
                r.error("/signature/authority", "at most two authority lines (e.g. \"TM. ỦY BAN NHÂN DÂN\", \"KT. CHỦ TỊCH\")");
            static const char* prefixes[] = {"TM.", "KT.", "Q.", "TL.", "TUQ."};
            for (std::size_t i = 0; i < d.signature.authority.size(); ++i) {
                std::string up = vntext::upper(d.signature.authority[i]);
                bool ok = false;
                for (auto* p : prefixes)
                    if (up.rfind(p, 0) == 0) ok = true;
                if (!ok)
                    r.error("/signature/authority/" + std::to_string(i),
                            "an authority line starts with TM., KT., Q., TL. or TUQ.; found \"" + d.signature.authority[i] + "\"");
            }
            if (auto p = r.string_member(*s, "/signature", "position", true)) d.signature.position = *p;
            if (auto n = r.string_member(*s, "/signature", "name", true)) d.signature.name = *n;
            read_pictures(*s, "/signature", d.signature);
        }
    }
    if (const json* e = r.member(j, "", "electronic", false))
        if (auto v = r.boolean(*e, "/electronic")) d.electronic = *v;
    if (d.electronic && !d.signature.image)
        r.error("/signature", "an electronic document shows the signer's digital signature as the signature image: "
                              "add \"image\": {\"file\": \"chu-ky.png\"} (PNG, blue, transparent background)");
    if (d.electronic && !d.signature.seal)
        r.error("/signature", "an electronic document shows the organisation's digital signature as the seal image: "
                              "add \"seal\": {\"file\": \"con-dau.png\"} (PNG, red, transparent background, at the seal's real size)");
}

void DocumentParser::read_pictures(const json& sig, const std::string& at, model::Signature& out) {
    out.image = read_picture(sig, at, "image", "height_mm", 18, 8, 30);
    out.seal = read_picture(sig, at, "seal", "width_mm", 0, 20, 60);
    if (out.seal && !out.image && !sig.contains("image"))
        r.error(Fields::at(at, "seal"), "the seal is placed over the left third of the signature image: give \"image\" too");
}

std::optional<model::Picture> DocumentParser::read_picture(const json& sig, const std::string& at, const char* key,
                                                           const char* size_key,
                                                           double default_mm, double lo, double hi) {
    const std::string ptr = Fields::at(at, key);
    const json* m = r.member(sig, at, key, false);
    if (m == nullptr) return std::nullopt;
    if (!m->is_object()) {
        r.expected(ptr, "an object with \"file\" (a PNG file)", *m);
        return std::nullopt;
    }
    r.only(*m, ptr, {"file", size_key});
    std::optional<double> size;
    if (const json* v = r.member(*m, ptr, size_key, false)) {
        if (!v->is_number() || v->get<double>() < lo || v->get<double>() > hi)
            r.error(Fields::at(ptr, size_key), "expected a number of millimetres from " + mm_text(lo) + " to " +
                                                   mm_text(hi) + ", found " + v->dump());
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
        r.error(Fields::at(ptr, "file"), "the image \"" + *name + "\" " + e.what());
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
            r.error(ptr, "the seal is printed at its real size, and \"" + *name +
                             "\" does not say how large it is (no pHYs resolution): give \"width_mm\", the seal's diameter");
            return std::nullopt;
        }
        if (p.width_mm < lo || p.width_mm > hi) {
            r.error(ptr, "the seal image \"" + *name + "\" declares a width of " + mm_text(p.width_mm) +
                             " mm, outside " + mm_text(lo) + "–" + mm_text(hi) + " mm: give \"width_mm\"");
            return std::nullopt;
        }
        p.height_mm = p.width_mm * aspect;
    }
    if (!png.has_alpha)
        r.warning(Fields::at(ptr, "file"), "the image \"" + *name + "\" has no transparency: its background will hide what lies under it");
    return p;
}

void DocumentParser::read_copy() {
    const json* c = r.member(j, "", "copy", false);
    if (c == nullptr) return;
    if (!c->is_object()) {
        r.expected("/copy", "an object with \"kind\", \"issuer\", \"number\", \"date\", \"place\" and \"signature\"", *c);
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
            r.error("/copy/kind", "expected \"SY\" (sao y), \"SL\" (sao lục) or \"TrS\" (trích sao), found \"" + *k + "\"");
    }
    if (const json* iss = r.member(*c, "/copy", "issuer", true)) {
        if (!iss->is_object()) {
            r.expected("/copy/issuer", "an object with \"name\" and \"code\"", *iss);
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
            r.error("/copy/date", "expected the date of copying as \"YYYY-MM-DD\", found \"" + *t + "\"");
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
            r.error("/copy/time", "expected the signing time as \"hh:mm:ss\" (Vietnam time), found \"" + *t + "\"");
        else
            cp.time = *t;
    }
    if (cp.electronic) {
        // PLI-2 §I.3: the organisation signs the copy; its face is the copied document, with one line at the top right.
        for (const char* paper_only : {"recipients", "archive", "signature"})
            if (c->contains(paper_only))
                r.error(Fields::at("/copy", paper_only), "an electronic copy has no copy block: only the copy line at the top "
                                                         "right of page 1 (form; organisation; date; time)");
    } else {
        cp.recipients = r.string_array(*c, "/copy", "recipients", false);
        for (auto& rc : cp.recipients) rc = strip_list_punctuation(rc);
        if (auto a = r.string_member(*c, "/copy", "archive", false)) cp.archive = strip_list_punctuation(*a);
        if (const json* s = r.member(*c, "/copy", "signature", true)) {
            if (!s->is_object()) {
                r.expected("/copy/signature", "an object with \"position\" and \"name\"", *s);
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
            r.error("/fonts", std::string("expected an object, found ") + json_kind(*f));
        } else {
            r.only(*f, "/fonts", {"regular", "bold", "italic", "bold_italic"});
            for (const char* key : sources::kFontKeys) (void)r.string_member(*f, "/fonts", key, true);
        }
    }
}

void DocumentParser::read_annexes() {
    if (const json* a = r.member(j, "", "annexes", false)) {
        if (!a->is_array()) {
            r.error("/annexes", std::string("expected an array, found ") + json_kind(*a));
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
    p.read_copy();
    p.read_layout();
    p.read_fonts();
    p.read_annexes();
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

#include "resolve/document.hpp"

#include <algorithm>
#include <cstdio>

#include "resolve/table_refs.hpp"
#include "table/engine.hpp"
#include "vntext/vntext.hpp"

namespace vanban::resolve {

std::string Metadata::iso_date() const {
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
    return date;
}

namespace {

std::string make_number_code(const model::Document& d) {
    std::string n;
    if (d.number) n = *d.number < 10 ? "0" + std::to_string(*d.number) : std::to_string(*d.number);
    return n + "/" + d.symbol;
}

std::string make_stem(const model::Document& d, const std::string& number_code) {
    std::string stem = d.number ? vntext::ascii_slug(number_code) : "du-thao-" + vntext::ascii_slug(d.symbol);
    if (stem.empty() || stem == "du-thao-") stem = "van-ban";
    return stem;
}

Metadata make_meta(const model::Document& d, const std::string& number_code) {
    Metadata m;
    m.title = d.type.is_cong_van ? "Công văn V/v " + d.summary : d.type.name;
    if (!d.type.is_cong_van && !d.summary.empty()) {
        // Lower-case only the first letter of the summary when it follows the type name.
        std::u32string u = vntext::decode(d.summary);
        std::u32string first(1, u[0]);
        m.title = d.type.name + " " + vntext::lower(vntext::encode(first)) + vntext::encode(u.substr(1));
    }
    m.author = d.issuer_full_name;
    m.subject = d.summary;
    m.keywords = number_code;
    m.type_name = d.type.name;
    m.year = d.date.year;
    m.month = d.date.month.value_or(1);
    m.day = d.date.day.value_or(1);
    return m;
}

/// The words of a text (letters and digits), as views into it. Every byte
/// of a character beyond ASCII is 0x80 or more, so the words are found byte
/// by byte, and lower-casing does not move their bounds.
std::vector<std::string_view> words_in(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = std::string::npos;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const auto c = i < text.size() ? static_cast<unsigned char>(text[i]) : 0;
        const bool word_char = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (word_char && start == std::string::npos) start = i;
        else if (!word_char && start != std::string::npos) {
            out.push_back(text.substr(start, i - start));
            start = std::string::npos;
        }
    }
    return out;
}

/// Lower-case words of a text, NFC: views into `low`, which is set to the lower-cased text.
std::vector<std::string_view> words_of(const std::string& text, std::string& low) {
    low = vntext::lower(text);
    return words_in(low);
}

/// True when the words `needle` (lower case) follow one another in `hay`
/// (as written: compared without lower-casing the body).
bool contains_words(const std::vector<std::string_view>& hay, const std::vector<std::string_view>& needle) {
    if (needle.empty() || needle.size() > hay.size()) return false;
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                       [](std::string_view h, std::string_view n) { return vntext::lower_equals(h, n); }) != hay.end();
}

/// True when `diags` has an error inside the annex (its own file, or its
/// pointer inside the document).
bool has_errors_in(const Diagnostics& diags, const model::Annex& a) {
    for (const auto& d : diags.items())
        if (d.severity == Severity::error && d.file == a.source_file && !d.at.is_text() &&
            pointer_within(d.at.pointer, a.pointer))
            return true;
    return false;
}

/// Reports text that would print a table reference ("[[…") or a template
/// placeholder ("{{…") as written.
void check_unresolved(const model::Document& d, const std::vector<table::ResolvedTable>& tables, Diagnostics& diags) {
    auto check = [&](const std::string& text, const std::string& file, const Loc& where, bool refs_resolved) {
        if (auto p = text.find("{{"); p != std::string::npos)
            diags.error(file, where, tr("placeholder-unfilled",
                                        "\"{}\" is a template placeholder, but nothing fills it here: a document with "
                                        "placeholders is a template, rendered with --data (see \"Templates\" in the README)",
                                        text.substr(p, std::min<std::size_t>(40, text.size() - p))));
        else if (!refs_resolved && text.find("[[") != std::string::npos)
            diags.error(file, where, tr("reference-misplaced", "a table reference \"[[…]]\" is resolved only in the body and in an annex's title, "
                                     "caption, subtitle and notes; here it would be printed as written"));
    };
    const std::string& f = d.source_file;
    for (std::size_t i = 0; i < d.parent_lines.size(); ++i)
        check(d.parent_lines[i], f, d.parent_lines.size() == 1 ? "/parent" : "/parent/" + std::to_string(i), false);
    for (std::size_t i = 0; i < d.issuer_lines.size(); ++i) check(d.issuer_lines[i], f, "/issuer/name", false);
    check(d.place, f, "/place", false);
    check(d.summary, f, "/summary", false);
    for (std::size_t i = 0; i < d.kinh_gui.size(); ++i) check(d.kinh_gui[i], f, "/kinh_gui/" + std::to_string(i), false);
    for (std::size_t i = 0; i < d.recipients.size(); ++i) check(d.recipients[i], f, "/recipients/" + std::to_string(i), false);
    check(d.archive, f, "/archive", false);
    for (std::size_t i = 0; i < d.signature.authority.size(); ++i)
        check(d.signature.authority[i], f, "/signature/authority/" + std::to_string(i), false);
    check(d.signature.position, f, "/signature/position", false);
    check(d.signature.name, f, "/signature/name", false);
    for (const auto& b : d.body)
        for (const auto& sp : b.text) check(sp.text, d.body_file, TextPos{b.line, 0}, true);
    for (const auto& t : tables) {
        check(t.title, t.source_file, t.pointer + "/title", true);
        for (const auto& s : t.subtitle) check(s, t.source_file, t.pointer + "/subtitle", true);
        for (const auto& s : t.notes) check(s, t.source_file, t.pointer + "/notes", true);
        for (const auto& row : t.rows)
            for (std::size_t c = 0; c < row.cells.size(); ++c)
                if (!row.cells[c].value)
                    check(row.cells[c].text, t.source_file, row.pointer.empty() ? t.pointer : row.pointer, false);
    }
}

}  // namespace

table::ResolvedTable compute_annex(const model::Annex& a, Diagnostics& diags) {
    Diagnostics found;
    table::ResolvedTable t = table::resolve(a, found);
    std::vector<std::string> seen;
    for (const auto& d : diags.items())
        if (d.severity == Severity::error && d.file == a.source_file && !d.at.is_text() && !d.at.pointer.empty() &&
            pointer_within(d.at.pointer, a.pointer))
            seen.push_back(d.at.pointer);
    for (const auto& d : found.items()) {
        bool repeat = false;
        for (const auto& s : seen) repeat = repeat || pointer_within(d.at.pointer, s);
        if (!repeat) diags.add(d);
    }
    return t;
}

std::string annex_caption(const model::Document& doc, const std::string& number_code) {
    std::string number = doc.number ? number_code : "     " + number_code;
    std::string kind = doc.type.is_cong_van ? "Công văn" : doc.type.name;
    std::string text = "(Kèm theo " + kind + " số " + number + " " +
                       vntext::date_phrase(doc.date.year, doc.date.month, doc.date.day) + " của " + doc.issuer_full_name + ")";
    // A draft's blank slots (number, day) are runs of spaces: keep them as
    // no-break spaces so that line setting cannot collapse them.
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        std::size_t j = i;
        while (j < text.size() && text[j] == ' ') ++j;
        if (j - i >= 2) {
            for (std::size_t k = i; k < j; ++k) out += "\u00A0";
            i = j - 1;
        } else {
            out += text[i];
        }
    }
    return out;
}

Diagnostics check_annex_mentions(const model::Document& doc, const std::vector<table::ResolvedTable>& tables,
                                 bool strict) {
    Diagnostics out;
    if (tables.empty()) return out;
    std::string body;
    for (const auto& b : doc.body) {
        for (const auto& sp : b.text) body += sp.text;
        body += '\n';
    }
    std::string title_low, label_low;
    const auto text = words_in(body);
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const auto& t = tables[i];
        if (t.columns.empty() && t.title.empty()) continue;  // an annex that could not be read (reported)
        const auto title = words_of(t.title, title_low);
        bool found = contains_words(text, title);
        std::string how;
        if (!t.label.empty()) {
            const auto label = words_of(t.label, label_low);
            found = found || contains_words(text, label);
            how = "\"" + t.label + "\"";
        } else {
            std::vector<std::string_view> head(title.begin(), title.begin() + std::min<std::size_t>(3, title.size()));
            found = found || (head.size() == 3 && contains_words(text, head));
            std::string h;
            for (const auto& w : head) (h += h.empty() ? "" : " ") += w;
            how = "\"" + vntext::capitalize_first(h) + "\"";
        }
        if (found) continue;
        Message msg = tr("annex-not-mentioned", "the main text does not mention the annex \"{}\"; refer to it as {} in the body ({})",
                         vntext::upper(t.title), how, doc.body_file);
        std::string loc = doc.annexes[i].pointer.empty() ? "/annexes/" + std::to_string(i) : doc.annexes[i].pointer;
        if (strict) out.error(doc.source_file, loc, msg);
        else out.warning(doc.source_file, loc, msg);
    }
    return out;
}

namespace {

/// Adds ";" to every line and "." to the last (after removing what the user wrote).
std::vector<std::string> punctuated(std::vector<std::string> lines) {
    for (std::size_t i = 0; i < lines.size(); ++i) lines[i] += i + 1 == lines.size() ? "." : ";";
    return lines;
}

/// The number of the article named by "Như Điều n": as given, else the last article; 0 when none.
int as_article(const model::Document& d) {
    if (d.as_article < 0) return 0;
    if (d.as_article > 0) return d.as_article;
    int last = 0;
    for (const auto& b : d.body)
        if (b.kind == model::BlockKind::article) ++last;
    return last;
}

}  // namespace

void derive_lines(const model::Document& doc, Document& r) {
    r.authority_line = doc.authority.empty() ? "" : vntext::upper(doc.authority);
    std::vector<std::string> bases = doc.bases;
    if (!doc.proposal.empty()) bases.push_back(doc.proposal);
    r.basis_lines = punctuated(std::move(bases));
    if (doc.type.code == "QĐ") r.operative_word = "QUYẾT ĐỊNH:";
    else if (doc.type.code == "NQ") r.operative_word = "QUYẾT NGHỊ:";
    r.recipient_lines.clear();
    if (!doc.kinh_gui.empty() || doc.introduction) r.recipient_lines.push_back("- Như trên;");
    if (int n = r.operative_word.empty() ? 0 : as_article(doc)) r.recipient_lines.push_back("- Như Điều " + std::to_string(n) + ";");
    for (const auto& rc : doc.recipients) r.recipient_lines.push_back("- " + rc + ";");
    // Box 12 goes on the Lưu line: "- Lưu: VT, TCCB (2). PL.(300)." (PLI-1 §IV.2; the closing block of every model in PLIII).
    std::string luu = "- Lưu: " + doc.archive + ".";
    if (!doc.marks.drafter.empty())
        luu += " " + doc.marks.drafter + "." + (doc.marks.copies > 0 ? "(" + std::to_string(doc.marks.copies) + ")." : "");
    r.recipient_lines.push_back(luu);
    r.attached_notes.clear();
    for (std::size_t i = 0; i < doc.attached.size(); ++i) {
        std::string note = annex_caption(doc, r.number_code);
        r.attached_notes.push_back(note);
    }
}

Document resolve(model::Document doc, bool strict, Diagnostics& diags) {
    Document r;
    r.number_code = make_number_code(doc);
    r.number_line = doc.number ? "Số: " + r.number_code : "Số:      /" + doc.symbol;
    r.place_date_line = doc.place + ", " + vntext::date_phrase(doc.date.year, doc.date.month, doc.date.day);
    r.meta = make_meta(doc, r.number_code);
    r.stem = make_stem(doc, r.number_code);
    if (const auto& cp = doc.copy) {
        const std::string n = cp->number < 10 ? "0" + std::to_string(cp->number) : std::to_string(cp->number);
        r.copy_number_line = "Số: " + n + "/" + cp->code + "-" + cp->issuer_code;
        r.copy_place_date_line = cp->place + ", " + vntext::date_phrase(cp->date.year, cp->date.month, cp->date.day);
        for (const auto& rc : cp->recipients) r.copy_recipient_lines.push_back("- " + rc + ";");
        r.copy_recipient_lines.push_back("- Lưu: " + cp->archive + ".");
        auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
        if (cp->electronic)
            r.copy_line = cp->form + "; " + cp->issuer_name + "; " + two(cp->date.day.value_or(1)) + "/" +
                          two(cp->date.month.value_or(1)) + "/" + std::to_string(cp->date.year) + "; " + cp->time + " +07:00";
        r.stem += "-" + vntext::ascii_slug(cp->code) + "-" + n;  // the copy beside the original, not over it
    }
    derive_lines(doc, r);
    if (doc.invitation) {
        // Giấy mời (PLIII M1.7): the invitation, the event, then chair, time and place, one per line; the notes last.
        const model::Invitation& v = *doc.invitation;
        std::vector<model::Block> lines;
        auto add = [&](std::vector<model::Span> text) {
            model::Block b;
            b.text = std::move(text);
            lines.push_back(std::move(b));
        };
        add({{doc.issuer_full_name + " trân trọng kính mời: ", false, false}, {v.invitee, true, false}});
        add({{"Tới dự " + v.event, false, false}});
        if (!v.chair.empty()) add({{"Chủ trì: " + v.chair, false, false}});
        add({{"Thời gian: " + v.time, false, false}});
        add({{"Địa điểm: " + v.place, false, false}});
        if (!v.notes.empty()) add({{v.notes, false, false}});
        doc.body.insert(doc.body.begin(), lines.begin(), lines.end());
    }
    if (doc.introduction) {
        // Giấy giới thiệu (PLIII M1.8): a centred line, then the person, post, destination, purpose and validity.
        const model::Introduction& v = *doc.introduction;
        std::vector<model::Block> lines;
        auto add = [&](std::string text, model::BlockKind kind = model::BlockKind::paragraph) {
            model::Block b;
            b.kind = kind;
            b.text = {{std::move(text), false, false}};
            lines.push_back(std::move(b));
        };
        add(doc.issuer_full_name + " trân trọng giới thiệu:", model::BlockKind::centred);
        add("Ông (bà): " + v.person);
        add("Chức vụ: " + v.position);
        add("Được cử đến: " + v.to);
        add("Về việc: " + v.purpose);
        add("Đề nghị Quý cơ quan tạo điều kiện để ông (bà) có tên ở trên hoàn thành nhiệm vụ.");
        add("Giấy này có giá trị đến hết " + v.valid_until + "./.");
        doc.body.insert(doc.body.begin(), lines.begin(), lines.end());
    }

    // Each annex is computed once; its number and caption come from the
    // document. An annex that could not be read keeps its place (empty), so
    // that references and mentions still name the others by their numbers.
    for (std::size_t i = 0; i < doc.annexes.size(); ++i) {
        const model::Annex& a = doc.annexes[i];
        table::ResolvedTable t;
        if (has_errors_in(diags, a) && a.table.columns.empty()) {
            t.title = a.title;
            t.label = a.label;
            t.source_file = a.source_file;
            t.pointer = a.pointer;
        } else {
            t = compute_annex(a, diags);
        }
        if (t.label.empty()) {
            if (doc.annexes.size() > 1) t.label = "Phụ lục " + vntext::roman(static_cast<int>(i) + 1);
            else if (vntext::upper(t.title).rfind("BIỂU", 0) != 0) t.label = "Phụ lục";
        }
        if (!t.caption) t.caption = annex_caption(doc, r.number_code);
        r.annexes.push_back(std::move(t));
    }
    // Figures in the text, the cross-table checks and the mentions are checked
    // against the computed values even when a table has errors of its own, so
    // that one run reports every problem (cells resting on a rejected input
    // are left alone: their table's error says why).
    resolve_table_refs(doc, r.annexes, diags);
    resolve_annex_text_refs(r.annexes, diags);
    check_cross_tables(r.annexes, diags);
    Diagnostics mentions = check_annex_mentions(doc, r.annexes, strict);
    diags.append(mentions);
    check_unresolved(doc, r.annexes, diags);
    r.model = std::move(doc);
    return r;
}

}  // namespace vanban::resolve

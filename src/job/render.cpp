#include "job/render.hpp"

#include "job/output_set.hpp"
#include "layout/bounds.hpp"
#include "sources/limits.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <vector>

#include "docx/docx.hpp"
#include "input/document_input.hpp"
#include "layout/annex.hpp"
#include "layout/compose.hpp"
#include "xlsx/xlsx.hpp"
#include "vntext/vntext.hpp"

namespace vanban::job {

namespace fs = std::filesystem;

std::string Formats::names() const {
    std::string s;
    for (auto [on, name] : {std::pair{pdf, "pdf"}, std::pair{xlsx, "xlsx"}, std::pair{docx, "docx"}})
        if (on) s += (s.empty() ? "" : ",") + std::string(name);
    return s;
}

std::optional<Formats> parse_formats(std::string_view list, std::string& error) {
    Formats f;
    f.pdf = f.xlsx = f.docx = false;
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t comma = list.find(',', start);
        std::string_view name = list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        if (name == "pdf") f.pdf = true;
        else if (name == "xlsx") f.xlsx = true;
        else if (name == "docx") f.docx = true;
        else {
            error = name.empty()
                        ? tx("an empty format name in \"{}\"; the formats are pdf, xlsx and docx, e.g. --format pdf,xlsx,docx", list)
                        : tx("unknown format \"{}\"; the formats are pdf, xlsx and docx, e.g. --format pdf,xlsx,docx", name);
            return std::nullopt;
        }
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return f;
}

std::string find_fonts_dir(const std::string& preferred) {
    auto ok = [](const fs::path& d) { return fs::exists(d / "LiberationSerif-Regular.ttf"); };
    if (!preferred.empty()) return preferred;
    if (const char* env = std::getenv("VANBAN_FONTS_DIR"); env && *env) return env;
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (fs::path d = exe.parent_path(); !d.empty(); d = d.parent_path()) {
            if (ok(d / "fonts")) return (d / "fonts").string();
            if (ok(d / "share/vanban/fonts")) return (d / "share/vanban/fonts").string();
            if (d == d.root_path()) break;
        }
    }
    return (fs::path(VANBAN_SOURCE_DIR) / "fonts").string();
}

namespace {

/// A face loaded from one version of a font file.
struct LoadedFace {
    std::shared_ptr<const std::string> bytes;
    std::shared_ptr<const font::FontFace> face;
};

/// The face for `path` with contents `bytes`: the one already loaded from the
/// same buffer (the common case: one World for a whole batch) or from equal
/// bytes (a new World re-reading an unchanged file), else a new one.
std::shared_ptr<const font::FontFace> face_for(std::map<std::string, std::vector<LoadedFace>>& faces,
                                               const std::string& path, const std::shared_ptr<const std::string>& bytes) {
    if (!bytes) throw std::runtime_error(tx("font file not found: {}", path));
    std::vector<LoadedFace>& versions = faces[path];
    for (const LoadedFace& v : versions)
        if (v.bytes == bytes) return v.face;
    for (const LoadedFace& v : versions)
        if (*v.bytes == *bytes) return v.face;
    versions.push_back({bytes, std::make_shared<const font::FontFace>(bytes, path)});
    return versions.back().face;
}

}  // namespace

std::shared_ptr<const font::FontBook> font_book(const model::FontFiles& f) {
    static std::mutex mu;
    static std::map<std::string, std::vector<LoadedFace>> faces;
    static std::map<std::array<const font::FontFace*, 4>, std::shared_ptr<const font::FontBook>> books;
    const std::array<const std::string*, 4> paths{&f.regular, &f.bold, &f.italic, &f.bold_italic};
    std::lock_guard lock(mu);
    std::array<std::shared_ptr<const font::FontFace>, 4> four;
    std::array<const font::FontFace*, 4> key{};
    for (std::size_t i = 0; i < 4; ++i) {
        four[i] = face_for(faces, *paths[i], f.bytes[i]);
        key[i] = four[i].get();
    }
    auto it = books.find(key);
    if (it == books.end()) it = books.emplace(key, std::make_shared<const font::FontBook>(std::move(four))).first;
    return it->second;
}

namespace {

/// Whether all four faces draw cp (FontFace::has_glyph is an array lookup
/// below U+2200, where almost all of a Vietnamese text lies).
bool drawable(const font::FontBook& fonts, char32_t cp) {
    for (auto f : {layout::Face::regular, layout::Face::bold, layout::Face::italic, layout::Face::bold_italic})
        if (!fonts.face(f).has_glyph(cp)) return false;
    return true;
}

/// The characters of a text that one of the faces cannot draw, as
/// `U+2603 "☃", …` (each once), and the byte offset of the first.
struct Missing {
    std::string names;
    std::size_t first = std::string_view::npos;
};

Missing undrawable(std::string_view text, const font::FontBook& fonts) {
    Missing m;
    bool ascii = true;
    for (auto f : {layout::Face::regular, layout::Face::bold, layout::Face::italic, layout::Face::bold_italic})
        ascii = ascii && fonts.face(f).draws_ascii();
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (ascii && c >= 0x20 && c < 0x7F) {
            ++i;
            continue;
        }
        const std::size_t at = i;
        const char32_t cp = vntext::next_code_point(text, i);
        if (cp < 0x20 || drawable(fonts, cp)) continue;  // controls are input/'s to refuse, line ends are not drawn
        const std::string item = vntext::code_point_name(cp);
        if (m.names.find(item) == std::string::npos) m.names += (m.names.empty() ? "" : ", ") + item;
        if (m.first == std::string_view::npos) m.first = at;
    }
    return m;
}

Message cannot_draw(const std::string& missing, const font::FontBook& fonts) {
    return tr("glyph-missing", "the fonts cannot draw {} (font: {}); replace the character or give fonts that have it", missing,
              fonts.face(layout::Face::regular).path());
}

/// Checks a text file line by line, locating each line's first undrawable character.
void check_lines(std::string_view text, const std::string& file, const font::FontBook& fonts, Diagnostics& out) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a byte-order mark is not text
    int line = 1;
    for (std::size_t at = 0; at <= text.size();) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos) nl = text.size();
        const std::string_view l = text.substr(at, nl - at);
        if (const Missing m = undrawable(l, fonts); !m.names.empty()) {
            int column = 1;  // of the first undrawable character, in characters
            for (std::size_t i = 0; i < m.first; ++column) vntext::next_code_point(l, i);
            out.error(file, TextPos{line, column}, cannot_draw(m.names, fonts));
        }
        at = nl + 1;
        ++line;
    }
}

/// Checks every string of a JSON file (members named "$…" are comments, and
/// file names are never printed); a body given inline ("…/body/text") is
/// located by line and column.
void check_json(const nlohmann::json& v, const std::string& file, const std::string& pointer, const font::FontBook& fonts,
                Diagnostics& out) {
    if (v.is_object()) {
        for (const auto& [k, m] : v.items())
            if (k.empty() || k[0] != '$') check_json(m, file, pointer + "/" + json_pointer_token(k), fonts, out);
    } else if (v.is_array()) {
        for (std::size_t i = 0; i < v.size(); ++i) check_json(v[i], file, pointer + "/" + std::to_string(i), fonts, out);
    } else if (v.is_string()) {
        const std::string& t = v.get_ref<const std::string&>();
        const bool file_name = pointer.size() >= 5 && pointer.compare(pointer.size() - 5, 5, "/file") == 0;
        if (file_name || pointer.rfind("/fonts/", 0) == 0) return;
        if (pointer.size() >= 10 && pointer.compare(pointer.size() - 10, 10, "/body/text") == 0) {
            check_lines(t, file + "#" + pointer, fonts, out);
            return;
        }
        if (const Missing m = undrawable(t, fonts); !m.names.empty())
            out.error(file, pointer, cannot_draw(m.names, fonts));
    }
}

/// Orders diagnostics by file — the document, its body, its annex files in
/// order, then any other — and by place in the file: JSON members in the order
/// they are written, text by line and column. Diagnostics at one place keep
/// the order they were found in.
void order_by_place(Diagnostics& diags, const sources::Bundle& bundle, const model::Document& doc) {
    std::map<std::string, int> rank;
    std::map<std::string, std::string_view> texts;
    auto add = [&](const std::string& file, const sources::Bytes& text) {
        rank.emplace(file, int(rank.size()));
        if (text) texts.emplace(file, *text);
    };
    add(bundle.document.path, bundle.document.text);
    if (bundle.body) add(bundle.body->path, bundle.body->text);
    if (!doc.body_file.empty()) rank.emplace(doc.body_file, int(rank.size()));
    for (const auto& a : doc.annexes)
        if (const sources::JsonFile* f = bundle.annex(a.source_file)) add(f->path, f->text);
    struct Key {
        int rank;
        std::string file;
        long long line, column;
    };
    auto key_of = [&](const Diagnostic& d) {
        auto r = rank.find(d.file);
        Key k{r == rank.end() ? int(rank.size()) : r->second, d.file, 0, 0};
        if (d.at.is_text()) {
            k.line = d.at.line;
            k.column = d.at.column;
        } else if (auto t = texts.find(d.file); t != texts.end()) {
            // The member's place in the file, or its closest enclosing member's.
            std::string p = d.at.pointer;
            for (;;) {
                auto at = sources::locate(t->second, p);
                if (!at.empty()) {
                    k.line = (long long)(*std::min_element(at.begin(), at.end())) + 1;
                    break;
                }
                if (p.empty()) break;
                p = p.substr(0, p.rfind('/'));
            }
        }
        return k;
    };
    std::vector<std::pair<Key, Diagnostic>> items;
    for (auto& d : diags.items()) items.emplace_back(key_of(d), std::move(d));
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
        const Key &x = a.first, &y = b.first;
        if (x.rank != y.rank) return x.rank < y.rank;
        if (x.file != y.file) return x.file < y.file;
        if (x.line != y.line) return x.line < y.line;
        return x.column < y.column;
    });
    diags.items().clear();
    for (auto& [k, d] : items) diags.add(std::move(d));
}

}  // namespace

Diagnostics check_coverage(const sources::Bundle& bundle, const font::FontBook& fonts) {
    Diagnostics out;
    if (bundle.document.tree) check_json(*bundle.document.tree, bundle.document.path, "", fonts, out);
    if (bundle.body && bundle.body->text) check_lines(*bundle.body->text, bundle.body->path, fonts, out);
    for (const auto& [path, f] : bundle.annexes)
        if (f.tree) check_json(*f.tree, f.path, "", fonts, out);
    for (const auto& [path, f] : bundle.texts)
        if (f.text) check_lines(*f.text, f.path, fonts, out);
    return out;
}

sources::Bundle gather(sources::World& world, const std::string& path, const Options& opts) {
    return sources::gather(world, path, find_fonts_dir(opts.fonts_dir), sources::PathPolicy{opts.allow_paths});
}

resolve::Document load(const sources::Bundle& bundle, const Options& opts, Diagnostics& warnings) {
    input::LoadOptions lo;
    lo.strict = opts.strict;
    Diagnostics diags;
    model::Document doc = input::parse_document(bundle, lo, diags);
    Diagnostics found;
    if (!diags.has_errors()) {  // the fonts and the text are known to be usable
        std::shared_ptr<const font::FontBook> fb;
        try {
            fb = font_book(doc.fonts);
        } catch (const std::exception& e) {
            throw InputError(bundle.document.path, "/fonts", Message{"font-invalid", e.what()});
        }
        found = check_coverage(bundle, *fb);
    }
    resolve::Document r = resolve::resolve(std::move(doc), opts.strict, found);
    diags.append(found);
    order_by_place(diags, bundle, r.model);
    if (diags.has_errors()) throw InputError(std::move(diags));  // the warnings too: every problem at once
    warnings.append(diags);
    return r;
}

namespace {

/// Refuses a document with anything drawn outside the text area or with more
/// pages than the limit, naming what to shorten.
void check_layout(const resolve::Document& doc, const layout::PagedDocument& paged) {
    const std::size_t max_pages = sources::limits().max_pages;
    if (paged.pages.size() > max_pages)
        throw InputError(doc.model.source_file, Loc{},
                         tr("page-limit", "the document would have {} pages, more than the limit of {} (raise it with --max-pages)",
                            paged.pages.size(), max_pages));
    // The input's own text was checked before layout (check_coverage); what
    // remains is text vanban writes (upper-cased names, the model's words)
    // that the chosen fonts lack.
    if (const auto missing = layout::missing_glyphs(paged); !missing.empty()) {
        Diagnostics d;
        for (const auto& m : missing) {
            d.error(doc.model.source_file, Loc("/fonts/" + std::string(layout::face_name(m.face))),
                    tr("glyph-missing-drawn",
                       "the font {} cannot draw {}, printed on page {} in \"{}\"; give fonts that cover Vietnamese (\"fonts\" in the document)",
                       paged.fonts->face(m.face).path(), vntext::code_point_name(m.cp), m.page, m.text));
            if (d.items().size() >= 5) break;
        }
        throw InputError(std::move(d));
    }
    const auto escapes = layout::outside_text_area(paged, doc.model.layout);
    if (escapes.empty()) return;
    // Rules (header and summary rules, table borders) follow their text: name the text when there is some.
    bool text = false;
    for (const auto& e : escapes) text = text || e.text != "rule";
    Diagnostics d;
    for (const auto& e : escapes) {
        if (text && e.text == "rule") continue;
        char y[32];
        std::snprintf(y, sizeof y, "%.0f", e.y);
        const std::string side = e.side;
        const char* margin = side == "left"     ? N_("left margin")
                             : side == "right"  ? N_("right margin")
                             : side == "top"    ? N_("top margin")
                             : side == "bottom" ? N_("bottom margin")
                                                : nullptr;
        d.error(doc.model.source_file, Loc{},
                tr("outside-text-area",
                   "\"{}\" does not fit the page (page {}, y = {} pt: it would run past the {}); shorten it or break it into shorter "
                   "words or lines",
                   e.text, e.page, y, margin ? translate(nullptr, margin) : side + " margin"));
        if (d.items().size() >= 5) break;
    }
    throw TextOutsideArea(std::move(d));
}

/// The document refused for its header lines that cannot fit, each named by
/// its field and how much too wide it is.
void check_header(const resolve::Document& doc, const layout::PagedDocument& paged) {
    if (paged.too_wide.empty()) return;
    const model::Document& d = doc.model;
    Diagnostics out;
    for (const auto& t : paged.too_wide) {
        char pt[32], mm[32];
        std::snprintf(pt, sizeof pt, "%.0f", t.excess);
        std::snprintf(mm, sizeof mm, "%.1f", t.excess * 25.4 / 72);
        const std::string by = tx("{} pt ({} mm) too wide", pt, mm);
        std::string field;
        Message what;
        switch (t.field) {
            case layout::TooWide::parent:
                field = "/parent" + (d.parent_lines.size() > 1 ? "/" + std::to_string(t.index) : "");
                what = tr("header-too-wide", "the parent organisation's line \"{}\" is {} for the header's left column even at 12 pt; "
                                             "shorten it or split it into two lines (two entries)", t.text, by);
                break;
            case layout::TooWide::issuer:
                field = "/issuer/name" + (d.issuer_lines.size() > 1 ? "/" + std::to_string(t.index) : "");
                what = tr("header-too-wide", "the issuer's line \"{}\" is {} for the header's left column even at 12 pt; shorten it or "
                                             "split it into two lines (two entries)", t.text, by);
                break;
            case layout::TooWide::number:
                field = "/symbol";
                what = tr("header-too-wide", "the number line \"{}\" is {} for the header's left column; shorten the symbol", t.text, by);
                break;
            case layout::TooWide::place_date:
                field = "/place";
                what = tr("header-too-wide", "the place and date line \"{}\" is {} for the header's right column even at 13 pt; shorten "
                                             "the place name", t.text, by);
                break;
        }
        out.error(d.source_file, Loc(field), what);
    }
    throw InputError(std::move(out));
}

/// Where a word that layout broke was written: the first text of the
/// document that holds it (its field's JSON pointer, its body line, its
/// annex row), else the document itself.
Diagnostic broken_word_warning(const resolve::Document& doc, const std::string& word) {
    const model::Document& d = doc.model;
    // The word as printed may carry punctuation that layout added ("- …;", "./.").
    const std::string_view marks = ".,;:!?()[]\"'/-";
    std::string core = word;
    while (core.size() > 1 && marks.find(core.back()) != std::string_view::npos) core.pop_back();
    while (core.size() > 1 && marks.find(core.front()) != std::string_view::npos) core.erase(0, 1);
    auto holds = [&](const std::string& text) {
        return text.find(core) != std::string::npos || vntext::upper(text).find(core) != std::string::npos;
    };
    auto body_line = [&](const std::vector<model::Block>& body) -> int {
        for (const auto& b : body) {
            std::string t = b.label;
            for (const auto& sp : b.text) t += sp.text;
            if (holds(t)) return b.line;
        }
        return 0;
    };
    const std::string shown = vntext::excerpt(word, 40);
    std::size_t chars = 0;
    for (char c : word) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    const Message message = tr("word-broken", "the word \"{}\" ({} characters) is wider than its line; it is broken between letters. "
                                              "Add spaces or shorten it", shown, chars);
    auto at = [&](const std::string& file, Loc where) {
        Diagnostic g;
        g.severity = Severity::warning;
        g.file = file;
        g.at = std::move(where);
        g.message = message.text;
        g.code = message.code;
        return g;
    };
    if (int line = body_line(d.body)) return at(d.body_file, TextPos{line, 0});
    for (const auto& a : d.attached)
        if (int line = body_line(a.body)) return at(a.body_file, TextPos{line, 0});
    const std::pair<const std::string*, const char*> fields[] = {
        {&d.summary, "/summary"}, {&d.archive, "/archive"}, {&d.signature.position, "/signature/position"},
        {&d.signature.name, "/signature/name"}, {&d.authority, "/authority"}, {&d.proposal, "/proposal"}};
    for (const auto& [text, pointer] : fields)
        if (holds(*text)) return at(d.source_file, Loc(pointer));
    const std::pair<const std::vector<std::string>*, const char*> lists[] = {
        {&d.kinh_gui, "/kinh_gui/"}, {&d.recipients, "/recipients/"}, {&d.signature.authority, "/signature/authority/"},
        {&d.bases, "/bases/"}};
    for (const auto& [list, pointer] : lists)
        for (std::size_t i = 0; i < list->size(); ++i)
            if (holds((*list)[i])) return at(d.source_file, Loc(pointer + std::to_string(i)));
    for (const auto& a : d.attached)
        if (holds(a.summary)) return at(d.source_file, Loc{});
    for (const auto& t : doc.annexes) {
        for (const auto& row : t.rows)
            for (const auto& cell : row.cells)
                if (holds(cell.text)) return at(t.source_file, Loc(row.pointer));
        bool in_table = holds(t.title);
        for (const auto& h : t.header) in_table = in_table || holds(h.text);
        for (const auto& n : t.notes) in_table = in_table || holds(n);
        for (const auto& n : t.subtitle) in_table = in_table || holds(n);
        if (in_table) return at(t.source_file, Loc(t.pointer));
    }
    return at(d.source_file, Loc{});
}

}  // namespace

Laid lay_out(const resolve::Document& doc) {
    const std::shared_ptr<const font::FontBook> book = font_book(doc.model.fonts);
    const font::FontBook& fb = *book;
    Laid out;
    out.paged = layout::compose(doc, fb);
    const auto& lo = doc.model.layout;
    layout::AnnexStyle style;
    style.margin_top_mm = lo.margin_top_mm;
    style.margin_bottom_mm = lo.margin_bottom_mm;
    style.margin_left_mm = lo.margin_left_mm;
    style.margin_right_mm = lo.margin_right_mm;
    style.page_number_size = lo.page_number_size_pt;
    for (const auto& t : doc.annexes) {
        out.annexes.push_back(layout::compose_annex(t, style, fb, out.paged));
        out.annex_landscape.push_back(out.annexes.back().landscape);
    }
    layout::compose_copy(doc, fb, out.paged);
    check_header(doc, out.paged);
    check_layout(doc, out.paged);
    std::set<std::string> seen;
    for (const auto& w : out.paged.broken_words)
        if (seen.insert(w).second) out.warnings.add(broken_word_warning(doc, w));
    return out;
}

xlsx::WorkbookMeta workbook_meta(const resolve::Document& doc, const Laid& laid) {
    xlsx::WorkbookMeta m;
    m.title = doc.meta.subject;
    m.subject = doc.meta.type_name;
    m.author = doc.meta.author;
    m.year = doc.model.date.year;
    m.month = doc.model.date.month;
    m.day = doc.model.date.day;
    const auto& lo = doc.model.layout;
    m.margin_top_mm = lo.margin_top_mm;
    m.margin_bottom_mm = lo.margin_bottom_mm;
    m.margin_left_mm = lo.margin_left_mm;
    m.margin_right_mm = lo.margin_right_mm;
    m.landscape = laid.annex_landscape;
    return m;
}

Written render(const resolve::Document& doc, const std::string& out_dir, const std::string& stem, Laid* laid_out,
               const Formats& formats) {
    if (stem.empty() || stem.find('/') != std::string::npos || stem.find("..") != std::string::npos)
        throw InputError(doc.model.source_file, "", tr("output-name-unsafe", "unsafe output name \"{}\"", stem));
    Laid laid = lay_out(doc);
    const layout::PagedDocument& paged = laid.paged;
    Written w;
    w.pages = static_cast<int>(paged.pages.size());
    OutputSet outputs(out_dir);
    // Each writer writes into the staging folder; a failure leaves the
    // previous outputs of the document as they were.
    auto write = [&](const char* code, const std::string& name, auto&& writer) {
        const std::string path = outputs.stage(name);
        try {
            writer(path);
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            throw IoError((fs::path(out_dir) / name).string(),
                          tr(code, "{}; the previous outputs of this document are left as they were", e.what()));
        }
    };
    if (formats.pdf) write("pdf-write", stem + ".pdf", [&](const std::string& p) { w.fonts = pdf::write_pdf(paged, p).fonts; });
    if (formats.xlsx && !doc.annexes.empty())
        write("xlsx-write", stem + ".xlsx", [&](const std::string& p) { xlsx::write_workbook(p, doc.annexes, workbook_meta(doc, laid)); });
    if (formats.docx)
        write("docx-write", stem + ".docx", [&](const std::string& p) {
            docx::write_docx(p, doc, docx::facts_from_layout(doc, paged, laid.annexes));
        });
    w.files = outputs.commit();
    w.warnings = laid.warnings;
    if (laid_out) *laid_out = std::move(laid);
    return w;
}

}  // namespace vanban::job

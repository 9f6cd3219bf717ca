#include "job/render.hpp"

#include "job/output_set.hpp"
#include "layout/bounds.hpp"
#include "sources/limits.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
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
    if (!bytes) throw std::runtime_error("font file not found: " + path);
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

void check_text(const std::string& text, const std::string& file, const Loc& where,
                const font::FontBook& fonts, Diagnostics& out) {
    static const layout::Face faces[] = {layout::Face::regular, layout::Face::bold, layout::Face::italic,
                                         layout::Face::bold_italic};
    std::u32string u = vntext::decode(text);
    std::string missing;
    for (char32_t cp : u) {
        if (cp < 0x20 && cp != '\t') continue;
        for (auto f : faces)
            if (!fonts.face(f).has_glyph(cp)) {
                char buf[64];
                std::string ch;
                vntext::append_utf8(ch, cp);
                std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
                std::string item = std::string(buf) + " \"" + ch + "\"";
                if (missing.find(item) == std::string::npos) missing += (missing.empty() ? "" : ", ") + item;
                break;
            }
    }
    if (!missing.empty())
        out.error(file, where, tr("glyph-missing", "the fonts cannot draw {} (font: {}); replace the character or give fonts that have it",
                                  missing, fonts.face(layout::Face::regular).path()));
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

Diagnostics check_coverage(const model::Document& d, const font::FontBook& fonts) {
    Diagnostics out;
    const std::string& f = d.source_file;
    for (std::size_t i = 0; i < d.parent_lines.size(); ++i)
        check_text(d.parent_lines[i], f, "/parent" + (d.parent_lines.size() > 1 ? "/" + std::to_string(i) : ""), fonts, out);
    for (std::size_t i = 0; i < d.issuer_lines.size(); ++i)
        check_text(d.issuer_lines[i], f, "/issuer/name" + (d.issuer_lines.size() > 1 ? "/" + std::to_string(i) : ""), fonts, out);
    check_text(d.issuer_full_name, f, "/issuer/full_name", fonts, out);
    check_text(d.symbol, f, "/symbol", fonts, out);
    check_text(d.place, f, "/place", fonts, out);
    check_text(d.summary, f, "/summary", fonts, out);
    for (std::size_t i = 0; i < d.kinh_gui.size(); ++i) check_text(d.kinh_gui[i], f, "/kinh_gui/" + std::to_string(i), fonts, out);
    for (std::size_t i = 0; i < d.recipients.size(); ++i)
        check_text(d.recipients[i], f, "/recipients/" + std::to_string(i), fonts, out);
    check_text(d.archive, f, "/archive", fonts, out);
    for (std::size_t i = 0; i < d.signature.authority.size(); ++i)
        check_text(d.signature.authority[i], f, "/signature/authority/" + std::to_string(i), fonts, out);
    check_text(d.signature.position, f, "/signature/position", fonts, out);
    check_text(d.signature.name, f, "/signature/name", fonts, out);
    for (const auto& b : d.body) {
        std::string t;
        for (const auto& sp : b.text) t += sp.text;
        check_text(t, d.body_file, TextPos{b.line, 0}, fonts, out);
    }
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
            throw InputError(bundle.document.path, "/fonts", e.what());
        }
        found = check_coverage(doc, *fb);
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
    throw InputError(std::move(d));
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
    check_layout(doc, out.paged);
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
        throw std::runtime_error("unsafe output name \"" + stem + "\"");
    Laid laid = lay_out(doc);
    const layout::PagedDocument& paged = laid.paged;
    Written w;
    w.pages = static_cast<int>(paged.pages.size());
    OutputSet outputs(out_dir);
    // Each writer writes into the staging folder; a failure leaves the
    // previous outputs of the document as they were.
    auto write = [&](const std::string& name, auto&& writer) {
        const std::string path = outputs.stage(name);
        try {
            writer(path);
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            throw IoError((fs::path(out_dir) / name).string(),
                          std::string(e.what()) + "; the previous outputs of this document are left as they were");
        }
    };
    if (formats.pdf) write(stem + ".pdf", [&](const std::string& p) { w.fonts = pdf::write_pdf(paged, p).fonts; });
    if (formats.xlsx && !doc.annexes.empty())
        write(stem + ".xlsx", [&](const std::string& p) { xlsx::write_workbook(p, doc.annexes, workbook_meta(doc, laid)); });
    if (formats.docx)
        write(stem + ".docx", [&](const std::string& p) {
            docx::write_docx(p, doc, docx::facts_from_layout(doc, paged, laid.annexes));
        });
    w.files = outputs.commit();
    if (laid_out) *laid_out = std::move(laid);
    return w;
}

}  // namespace vanban::job

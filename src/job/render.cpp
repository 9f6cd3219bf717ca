#include "job/render.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "input/document_input.hpp"
#include "layout/compose.hpp"
#include "table/engine.hpp"
#include "xlsx/xlsx.hpp"
#include "vntext/vntext.hpp"

namespace vanban::job {

namespace fs = std::filesystem;

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

const layout::FontBook& font_book(const model::FontFiles& f) {
    static std::mutex mu;
    static std::map<std::array<std::string, 4>, std::unique_ptr<layout::FontBook>> cache;
    std::array<std::string, 4> key{f.regular, f.bold, f.italic, f.bold_italic};
    std::lock_guard lock(mu);
    auto it = cache.find(key);
    if (it == cache.end()) it = cache.emplace(key, std::make_unique<layout::FontBook>(key)).first;
    return *it->second;
}

namespace {

void check_text(const std::string& text, const std::string& file, const std::string& where,
                const layout::FontBook& fonts, Diagnostics& out) {
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
        out.error(file, where, "the fonts cannot draw " + missing + " (font: " + fonts.face(layout::Face::regular).path() +
                                   "); replace the character or give fonts that have it");
}

}  // namespace

Diagnostics check_coverage(const model::Document& d, const layout::FontBook& fonts) {
    Diagnostics out;
    const std::string& f = d.source_file;
    check_text(d.parent, f, "/parent", fonts, out);
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
        check_text(t, d.body_file, std::to_string(b.line), fonts, out);
    }
    return out;
}

model::Document load(const std::string& path, const Options& opts, Diagnostics& warnings) {
    input::LoadOptions lo;
    lo.strict = opts.strict;
    lo.fonts_dir = find_fonts_dir(opts.fonts_dir);
    model::Document doc = input::load_document(path, lo, &warnings);
    const layout::FontBook* fb = nullptr;
    try {
        fb = &font_book(doc.fonts);
    } catch (const std::exception& e) {
        throw InputError(path, "/fonts", e.what());
    }
    Diagnostics cov = check_coverage(doc, *fb);
    if (cov.has_errors()) throw InputError(std::move(cov));
    return doc;
}

layout::PagedDocument lay_out(const model::Document& doc) { return layout::compose(doc, font_book(doc.fonts)); }

std::string output_stem(const model::Document& doc) {
    std::string stem = doc.number ? vntext::ascii_slug(layout::number_code(doc))
                                  : "du-thao-" + vntext::ascii_slug(doc.symbol);
    if (stem.empty() || stem == "du-thao-") stem = "van-ban";
    return stem;
}

std::string annex_caption(const model::Document& doc) {
    std::string number = doc.number ? layout::number_code(doc) : "     " + layout::number_code(doc);
    std::string kind = doc.type.is_cong_van ? "Công văn" : doc.type.name;
    return "(Kèm theo " + kind + " số " + number + " " +
           vntext::date_phrase(doc.date.year, doc.date.month, doc.date.day) + " của " + doc.issuer_full_name + ")";
}

std::vector<table::ResolvedTable> resolve_annexes(const model::Document& doc) {
    std::vector<table::ResolvedTable> out;
    for (std::size_t i = 0; i < doc.annexes.size(); ++i) {
        Diagnostics scratch;  // already reported when the input was loaded
        table::ResolvedTable t = table::resolve(doc.annexes[i], scratch);
        if (scratch.has_errors()) throw InputError(std::move(scratch));
        if (t.label.empty()) {
            if (doc.annexes.size() > 1) t.label = "Phụ lục " + vntext::roman(static_cast<int>(i) + 1);
            else if (vntext::upper(t.title).rfind("BIỂU", 0) != 0) t.label = "Phụ lục";
        }
        if (!t.caption) t.caption = annex_caption(doc);
        out.push_back(std::move(t));
    }
    return out;
}

xlsx::WorkbookMeta workbook_meta(const model::Document& doc) {
    xlsx::WorkbookMeta m;
    m.title = doc.summary;
    m.subject = doc.type.name;
    m.author = doc.issuer_full_name;
    m.year = doc.date.year;
    m.month = doc.date.month;
    m.day = doc.date.day;
    m.margin_top_mm = doc.layout.margin_top_mm;
    m.margin_bottom_mm = doc.layout.margin_bottom_mm;
    m.margin_left_mm = doc.layout.margin_left_mm;
    m.margin_right_mm = doc.layout.margin_right_mm;
    return m;
}

Written render(const model::Document& doc, const std::string& out_dir, const std::string& stem) {
    if (stem.empty() || stem.find('/') != std::string::npos || stem.find("..") != std::string::npos)
        throw std::runtime_error("unsafe output name \"" + stem + "\"");
    layout::PagedDocument paged = lay_out(doc);
    fs::create_directories(out_dir);
    Written w;
    std::string pdf_path = (fs::path(out_dir) / (stem + ".pdf")).string();
    try {
        auto res = pdf::write_pdf(paged, pdf_path);
        w.files.push_back(pdf_path);
        w.fonts = res.fonts;
        w.pages = static_cast<int>(paged.pages.size());
        if (!doc.annexes.empty()) {
            std::string xlsx_path = (fs::path(out_dir) / (stem + ".xlsx")).string();
            xlsx::write_workbook(xlsx_path, resolve_annexes(doc), workbook_meta(doc));
            w.files.push_back(xlsx_path);
        }
    } catch (...) {
        for (const auto& f : w.files) fs::remove(f);
        throw;
    }
    return w;
}

}  // namespace vanban::job

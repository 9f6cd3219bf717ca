#include "job/render.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "bind/template.hpp"
#include "input/document_input.hpp"
#include "job/table_refs.hpp"
#include "layout/annex.hpp"
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

namespace {

/// The one place where font files are read: the whole file, shared by every face
/// loaded from it.
std::shared_ptr<const std::string> read_font_file(const std::string& path) {
    std::FILE* f = path.empty() ? nullptr : std::fopen(path.c_str(), "rb");
    if (f == nullptr) throw std::runtime_error("font file not found: " + path);
    std::string bytes;
    bool failed = std::fseek(f, 0, SEEK_END) != 0;
    const long size = failed ? -1 : std::ftell(f);
    failed = failed || size < 0 || std::fseek(f, 0, SEEK_SET) != 0;
    if (!failed) {
        // One read into a buffer of the file's size; a file that grows meanwhile
        // is read to its end.
        bytes.resize(static_cast<std::size_t>(size));
        std::size_t got = std::fread(bytes.data(), 1, bytes.size(), f);
        bytes.resize(got);
        char buf[65536];
        for (std::size_t n; got == static_cast<std::size_t>(size) && (n = std::fread(buf, 1, sizeof buf, f)) > 0;)
            bytes.append(buf, n);
        failed = std::ferror(f) != 0;
    }
    std::fclose(f);
    if (failed) throw std::runtime_error("font file " + path + ": cannot be read");
    return std::make_shared<const std::string>(std::move(bytes));
}

}  // namespace

std::shared_ptr<const font::FontBook> font_book(const model::FontFiles& f) {
    static std::mutex mu;
    static std::map<std::array<std::string, 4>, std::shared_ptr<const font::FontBook>> cache;
    std::array<std::string, 4> key{f.regular, f.bold, f.italic, f.bold_italic};
    std::lock_guard lock(mu);
    auto it = cache.find(key);
    if (it == cache.end()) {
        // A file named for several faces is read and loaded once.
        std::array<std::shared_ptr<const font::FontFace>, 4> faces;
        for (std::size_t i = 0; i < key.size(); ++i) {
            for (std::size_t j = 0; j < i && !faces[i]; ++j)
                if (key[j] == key[i]) faces[i] = faces[j];
            if (!faces[i]) faces[i] = std::make_shared<const font::FontFace>(read_font_file(key[i]), key[i]);
        }
        it = cache.emplace(key, std::make_shared<const font::FontBook>(std::move(faces))).first;
    }
    return it->second;
}

namespace {

void check_text(const std::string& text, const std::string& file, const std::string& where,
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
        out.error(file, where, "the fonts cannot draw " + missing + " (font: " + fonts.face(layout::Face::regular).path() +
                                   "); replace the character or give fonts that have it");
}

}  // namespace

Diagnostics check_coverage(const model::Document& d, const font::FontBook& fonts) {
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

model::Document load(const std::string& path, const Options& opts, Diagnostics& warnings, const bind::Context* data) {
    input::LoadOptions lo;
    lo.strict = opts.strict;
    lo.fonts_dir = find_fonts_dir(opts.fonts_dir);
    // Where the `$each` elements of each bound file came from, to locate later
    // problems in the template and name the data record.
    std::map<std::string, std::vector<bind::Expansion>> expansions;
    if (data) {
        lo.preprocess.json = [data, &expansions](nlohmann::json& tree, const std::string& file, Diagnostics& d) {
            bind::bind_json(tree, *data, file, d, &expansions[file]);
        };
        lo.preprocess.text = [data](std::string text, const std::string& file, Diagnostics& d) {
            return bind::bind_text(text, file, *data, d);
        };
    } else {
        lo.preprocess.json = [](nlohmann::json& tree, const std::string& file, Diagnostics& d) {
            if (tree.is_object() && tree.contains("template"))
                d.error(file, "/template",
                        "this document is a template: give the data that fills it (vanban render " + file +
                            " --data DATA.csv -o OUTDIR, or vanban batch for one document per record)");
        };
    }
    model::Document doc;
    try {
        doc = input::load_document(path, lo, &warnings);
    } catch (const InputError& e) {
        if (expansions.empty()) throw;
        Diagnostics d = e.diagnostics();
        for (const auto& [file, ex] : expansions) bind::locate_in_template(d, file, ex);
        throw InputError(std::move(d));
    }
    std::shared_ptr<const font::FontBook> fb;
    try {
        fb = font_book(doc.fonts);
    } catch (const std::exception& e) {
        throw InputError(path, "/fonts", e.what());
    }
    Diagnostics cov = check_coverage(doc, *fb);
    const auto tables = resolve_annexes(doc);
    if (!tables.empty()) resolve_table_refs(doc, tables, cov);
    Diagnostics mentions = check_annex_mentions(doc, tables, opts.strict);
    if (mentions.has_errors()) cov.append(mentions);
    else warnings.append(mentions);
    if (cov.has_errors()) throw InputError(std::move(cov));
    return doc;
}

Laid lay_out(const model::Document& doc) {
    const std::shared_ptr<const font::FontBook> book = font_book(doc.fonts);
    const font::FontBook& fb = *book;
    Laid out;
    out.paged = layout::compose(doc, book);
    out.annexes = resolve_annexes(doc);
    layout::AnnexStyle style;
    style.margin_top_mm = doc.layout.margin_top_mm;
    style.margin_bottom_mm = doc.layout.margin_bottom_mm;
    style.margin_left_mm = doc.layout.margin_left_mm;
    style.margin_right_mm = doc.layout.margin_right_mm;
    style.page_number_size = doc.layout.page_number_size_pt;
    for (auto& t : out.annexes) {
        auto res = layout::compose_annex(t, style, fb, out.paged);
        t.landscape = res.landscape;
    }
    return out;
}

namespace {

/// Lower-case words of a text (letters and digits), NFC.
std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char32_t cp : vntext::decode(vntext::lower(text))) {
        bool word_char = cp >= 0x80 || (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z');
        if (word_char) vntext::append_utf8(cur, cp);
        else if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

bool contains_words(const std::vector<std::string>& hay, const std::vector<std::string>& needle) {
    if (needle.empty() || needle.size() > hay.size()) return false;
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

}  // namespace

Diagnostics check_annex_mentions(const model::Document& doc, const std::vector<table::ResolvedTable>& tables,
                                 bool strict) {
    Diagnostics out;
    if (tables.empty()) return out;
    std::string body;
    for (const auto& b : doc.body) {
        for (const auto& sp : b.text) body += sp.text;
        body += '\n';
    }
    const auto text = words_of(body);
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const auto& t = tables[i];
        auto title = words_of(t.title);
        bool found = contains_words(text, title);
        std::string how;
        if (!t.label.empty()) {
            auto label = words_of(t.label);
            found = found || contains_words(text, label);
            how = "\"" + t.label + "\"";
        } else {
            std::vector<std::string> head(title.begin(), title.begin() + std::min<std::size_t>(3, title.size()));
            found = found || (head.size() == 3 && contains_words(text, head));
            std::string h;
            for (const auto& w : head) h += (h.empty() ? "" : " ") + w;
            how = "\"" + vntext::capitalize_first(h) + "\"";
        }
        if (found) continue;
        std::string msg = "the main text does not mention the annex \"" + vntext::upper(t.title) + "\"; refer to it as " +
                          how + " in the body (" + doc.body_file + ")";
        std::string loc = doc.annexes[i].pointer.empty() ? "/annexes/" + std::to_string(i) : doc.annexes[i].pointer;
        if (strict) out.error(doc.source_file, loc, msg);
        else out.warning(doc.source_file, loc, msg);
    }
    return out;
}

std::string output_stem(const model::Document& doc) {
    std::string stem = doc.number ? vntext::ascii_slug(layout::number_code(doc))
                                  : "du-thao-" + vntext::ascii_slug(doc.symbol);
    if (stem.empty() || stem == "du-thao-") stem = "van-ban";
    return stem;
}

std::string annex_caption(const model::Document& doc) {
    std::string number = doc.number ? layout::number_code(doc) : "     " + layout::number_code(doc);
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

Written render(const model::Document& doc, const std::string& out_dir, const std::string& stem, Laid* laid_out) {
    if (stem.empty() || stem.find('/') != std::string::npos || stem.find("..") != std::string::npos)
        throw std::runtime_error("unsafe output name \"" + stem + "\"");
    Laid laid = lay_out(doc);
    const layout::PagedDocument& paged = laid.paged;
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
            xlsx::write_workbook(xlsx_path, laid.annexes, workbook_meta(doc));
            w.files.push_back(xlsx_path);
        }
    } catch (...) {
        for (const auto& f : w.files) fs::remove(f);
        throw;
    }
    if (laid_out) *laid_out = std::move(laid);
    return w;
}

}  // namespace vanban::job

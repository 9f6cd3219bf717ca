// pdf/pdf_writer: see pdf_writer.hpp.
#include "pdf/pdf_writer.hpp"

#include <podofo/podofo.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "font/font.hpp"
#include "vntext/vntext.hpp"

namespace vanban::pdf {

namespace {

using namespace PoDoFo;

constexpr const char* kCreator = "vanban";
constexpr const char* kProducer = "vanban (PoDoFo 0.9.8)";

[[noreturn]] void fail(const std::string& msg) { throw std::runtime_error(msg); }

std::string describe(const PdfError& e) {
    std::string msg = PdfError::ErrorName(e.GetError());
    for (const PdfErrorInfo& info : e.GetCallstack()) {
        if (!info.GetInformation().empty()) msg += ": " + info.GetInformation();
    }
    return msg;
}

// ---- text --------------------------------------------------------------------

/// True when s is valid UTF-8 without NUL characters.
bool valid_utf8(std::string_view s) {
    return !vntext::find_invalid_utf8(s) && s.find('\0') == std::string_view::npos;
}

std::string hex_code_point(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

/// A PDF text string (PoDoFo writes it as UTF-16BE with a BOM) from NFC UTF-8.
PdfString text_string(const std::string& utf8, const char* what) {
    if (!valid_utf8(utf8)) fail(std::string(what) + " is not valid UTF-8");
    return PdfString(reinterpret_cast<const pdf_utf8*>(utf8.data()), static_cast<pdf_long>(utf8.size()));
}

/// zlib (FlateDecode) at the fastest level: page content is small and
/// repetitive, so level 1 costs a few percent in size and saves most of the time.
std::string deflate_fast(const std::string& data) {
    uLongf size = compressBound(static_cast<uLong>(data.size()));
    std::string out(size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()),
                  static_cast<uLong>(data.size()), Z_BEST_SPEED) != Z_OK)
        throw std::runtime_error("zlib could not compress a content stream");
    out.resize(size);
    return out;
}

/// Appends v rounded to 0.001 without exponent, trailing zeros or locale influence.
void put_number(std::string& out, double v) {
    long long t = std::llround(v * 1000.0);
    if (t < 0) {
        out += '-';
        t = -t;
    }
    out += std::to_string(t / 1000);
    int frac = static_cast<int>(t % 1000);
    if (frac == 0) return;
    char digits[4] = {static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                      static_cast<char>('0' + frac % 10), 0};
    int n = 3;
    while (digits[n - 1] == '0') --n;
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
}

/// "D:20240401000000Z" from "2024-04-01"; throws on anything else.
std::string pdf_date(const std::string& iso) {
    auto digits = [&](std::size_t from, std::size_t n) {
        int v = 0;
        for (std::size_t k = from; k < from + n; ++k) {
            if (iso[k] < '0' || iso[k] > '9') return -1;
            v = v * 10 + (iso[k] - '0');
        }
        return v;
    };
    const bool shape = iso.size() == 10 && iso[4] == '-' && iso[7] == '-';
    const int y = shape ? digits(0, 4) : -1;
    const int m = shape ? digits(5, 2) : -1;
    const int d = shape ? digits(8, 2) : -1;
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool ok = y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= kDays[m - 1];
    if (ok && m == 2 && d == 29) ok = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (!ok) fail("metadata date \"" + iso + "\" is not an ISO date YYYY-MM-DD");
    return "D:" + iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2) + "000000Z";
}

// ---- fonts -------------------------------------------------------------------

struct GlyphUse {
    long gid = 0;
    std::size_t count = 0;
};

struct LoadedFont {
    const font::FontFace* face = nullptr;
    std::string file;
    PdfFont* font = nullptr;
    std::string resource;                            ///< "/Ft12"
    std::unordered_map<char32_t, GlyphUse> used;  ///< code points drawn with this font

    /// Glyph id for cp, 0 when the font lacks it; counts the use.
    long glyph(char32_t cp) {
        auto it = used.find(cp);
        if (it == used.end()) {
            const long gid = face->glyph(cp);
            if (gid == 0) return 0;
            it = used.emplace(cp, GlyphUse{gid, 0}).first;
        }
        ++it->second.count;
        return it->second.gid;
    }
};

class FontSet {
public:
    FontSet(PdfMemDocument& doc, std::shared_ptr<const font::FontBook> book) : doc_(doc), book_(std::move(book)) {
        if (!book_) fail("the document names no fonts");
    }

    LoadedFont& get(layout::Face face) {
        const auto slot = static_cast<std::size_t>(face);
        if (slot >= 4) fail("unknown face " + std::to_string(slot));
        const font::FontFace& ff = book_->face(face);
        const std::string& file = ff.path();
        auto it = by_file_.find(file);
        if (it != by_file_.end()) return *fonts_[it->second];

        const std::string name = "vanban-font-" + std::to_string(fonts_.size());
        PdfFont* font = doc_.CreateFontSubset(name.c_str(), false, false, false,
                                              new PdfIdentityEncoding(0, 0xffff, true), file.c_str());
        if (font == nullptr) fail("PoDoFo could not load font file " + file);
        auto lf = std::make_unique<LoadedFont>();
        lf->face = &ff;
        lf->file = file;
        lf->font = font;
        lf->resource = "/" + font->GetIdentifier().GetName();
        by_file_.emplace(file, fonts_.size());
        fonts_.push_back(std::move(lf));
        return *fonts_.back();
    }

    /// Registers the drawn glyphs for subsetting; must precede Write(). The ToUnicode
    /// map has one code point per glyph: when several drawn code points share a
    /// glyph, the most used one is kept (ties: the lowest).
    void register_used_glyphs() {
        for (auto& lf : fonts_) {
            std::map<long, std::pair<std::size_t, char32_t>> best;  // gid -> (count, cp)
            for (const auto& [cp, use] : lf->used) {
                auto [it, fresh] = best.emplace(use.gid, std::make_pair(use.count, cp));
                if (fresh) continue;
                auto& [count, chosen] = it->second;
                if (use.count > count || (use.count == count && cp < chosen)) count = use.count, chosen = cp;
            }
            std::set<char32_t> chosen;
            for (const auto& [gid, pick] : best) chosen.insert(pick.second);
            std::string utf8;
            for (char32_t cp : chosen) vntext::append_utf8(utf8, cp);
            if (utf8.empty()) continue;
            PdfString s(reinterpret_cast<const pdf_utf8*>(utf8.c_str()));
            lf->font->AddUsedSubsettingGlyphs(s, static_cast<long>(s.GetCharacterLength()));
        }
    }

    /// Embedded fonts in face order (regular, bold, italic, bold italic), one per file.
    std::vector<EmbeddedFont> report() const {
        std::vector<EmbeddedFont> out;
        for (const font::Face f : {font::Face::regular, font::Face::bold, font::Face::italic, font::Face::bold_italic}) {
            const std::string& file = book_->face(f).path();
            auto it = by_file_.find(file);
            if (it == by_file_.end()) continue;
            bool seen = false;
            for (const auto& e : out) seen = seen || e.file == file;
            if (seen) continue;
            out.push_back({file, base_font_name(*fonts_[it->second])});
        }
        return out;
    }

private:
    /// The BaseFont written to the PDF, without its subset tag.
    static std::string base_font_name(const LoadedFont& lf) {
        const PdfObject* base = lf.font->GetObject()->GetDictionary().GetKey(PdfName("BaseFont"));
        std::string name = base && base->IsName() ? base->GetName().GetName() : std::string();
        if (name.size() > 7 && name[6] == '+') {
            bool tag = true;
            for (int k = 0; k < 6; ++k) tag = tag && name[k] >= 'A' && name[k] <= 'Z';
            if (tag) name.erase(0, 7);
        }
        if (name.empty()) fail("embedded font from " + lf.file + " has no BaseFont name");
        return name;
    }

    PdfMemDocument& doc_;
    std::shared_ptr<const font::FontBook> book_;
    std::vector<std::unique_ptr<LoadedFont>> fonts_;
    std::map<std::string, std::size_t> by_file_;
};

// ---- pages -------------------------------------------------------------------

void require_finite(double v, const std::string& what) {
    if (!std::isfinite(v)) fail(what + " is not a finite number");
}

/// The text part of one page's content stream: a single BT/ET block, one Tm per run.
std::string page_text(const layout::Page& page, std::size_t page_no, FontSet& fonts,
                      std::vector<LoadedFont*>& page_fonts) {
    std::string out;
    const LoadedFont* cur_font = nullptr;
    double cur_size = -1;
    const std::string where = "page " + std::to_string(page_no + 1);
    for (const layout::Line& line : page.lines) {
        require_finite(line.y, where + " line y");
        for (const layout::Run& run : line.runs) {
            if (run.text.empty()) continue;
            require_finite(run.x, where + " run x");
            require_finite(run.size, where + " run size");
            if (run.size <= 0) fail(where + ": run \"" + run.text + "\" has size <= 0");

            LoadedFont& lf = fonts.get(run.face);
            if (out.empty()) out += "BT\n";
            if (&lf != cur_font || run.size != cur_size) {
                out += lf.resource;
                out += ' ';
                put_number(out, run.size);
                out += " Tf\n";
                cur_font = &lf;
                cur_size = run.size;
                bool listed = false;
                for (LoadedFont* f : page_fonts) listed = listed || f == &lf;
                if (!listed) page_fonts.push_back(&lf);
            }
            out += "1 0 0 1 ";
            put_number(out, run.x);
            out += ' ';
            put_number(out, page.height - line.y);
            out += " Tm\n(";
            const std::string_view s = run.text;
            if (!valid_utf8(s)) fail(where + ": a run at x=" + std::to_string(run.x) + " is not valid UTF-8");
            for (std::size_t i = 0; i < s.size();) {
                const char32_t cp = vntext::next_code_point(s, i);
                const long gid = lf.glyph(cp);
                if (gid == 0)
                    fail(where + ": font " + lf.file + " has no glyph for " + hex_code_point(cp) +
                         " in \"" + run.text + "\"");
                // Two bytes per glyph (Identity-H) in a literal string; the
                // string delimiters and the backslash are escaped.
                for (char byte : {static_cast<char>((gid >> 8) & 0xFF), static_cast<char>(gid & 0xFF)}) {
                    if (byte == '(' || byte == ')' || byte == '\\') out += '\\';
                    out += byte;
                }
            }
            out += ") Tj\n";
        }
    }
    if (!out.empty()) out += "ET\n";
    return out;
}

void draw_page(PdfMemDocument& doc, const layout::Page& page, std::size_t page_no, FontSet& fonts) {
    const std::string where = "page " + std::to_string(page_no + 1);
    require_finite(page.width, where + " width");
    require_finite(page.height, where + " height");
    if (page.width <= 0 || page.height <= 0) fail(where + " has a non-positive size");
    for (const layout::Rule& r : page.rules) {
        require_finite(r.x1, where + " rule x1");
        require_finite(r.y1, where + " rule y1");
        require_finite(r.x2, where + " rule x2");
        require_finite(r.y2, where + " rule y2");
        require_finite(r.width, where + " rule width");
        if (r.width < 0) fail(where + " has a rule with negative width");
    }

    std::vector<LoadedFont*> page_fonts;
    const std::string text = page_text(page, page_no, fonts, page_fonts);

    PdfPage* pdf_page = doc.CreatePage(PdfRect(0, 0, page.width, page.height));
    if (pdf_page == nullptr) fail("PoDoFo could not create " + where);
    for (LoadedFont* lf : page_fonts)
        pdf_page->AddResource(lf->font->GetIdentifier(), lf->font->GetObject()->Reference(), PdfName("Font"));

    // The page's content stream, written here: rules first, then the text block.
    std::string content;
    content.reserve(text.size() + page.rules.size() * 40 + 16);
    if (!page.rules.empty()) {
        content += "0 G\n";
        double cur_width = -1;
        for (const layout::Rule& r : page.rules) {
            if (r.width != cur_width) {
                put_number(content, r.width);
                content += " w\n";
                cur_width = r.width;
            }
            put_number(content, r.x1);
            content += ' ';
            put_number(content, page.height - r.y1);
            content += " m ";
            put_number(content, r.x2);
            content += ' ';
            put_number(content, page.height - r.y2);
            content += " l S\n";
        }
    }
    if (!text.empty()) {
        content += "0 g\n";
        content += text;
    }
    PdfObject* contents = pdf_page->GetContents();
    if (contents == nullptr || !contents->IsDictionary()) fail("PoDoFo gave " + where + " no content stream");
    contents->GetStream()->Set(content.data(), static_cast<pdf_long>(content.size()));  // compressed by compress_streams
}

void add_bookmarks(PdfMemDocument& doc, const std::vector<layout::Bookmark>& bookmarks,
                   const std::vector<layout::Page>& pages) {
    if (bookmarks.empty()) return;
    PdfOutlines* outlines = doc.GetOutlines(true);
    if (outlines == nullptr) fail("PoDoFo could not create the outline");
    for (const layout::Bookmark& b : bookmarks) {
        if (b.page < 0 || static_cast<std::size_t>(b.page) >= pages.size())
            fail("bookmark \"" + b.title + "\" points to page " + std::to_string(b.page + 1) + " of " +
                 std::to_string(pages.size()));
        require_finite(b.y, "bookmark \"" + b.title + "\" y");
        const double top = pages[static_cast<std::size_t>(b.page)].height - b.y;
        const PdfPage* target = doc.GetPage(b.page);
        if (target == nullptr) fail("PoDoFo lost page " + std::to_string(b.page + 1));
        PdfDestination dest(target, 0.0, top, 0.0);
        outlines->CreateChild(text_string(b.title, "bookmark title"), dest);
    }
    doc.SetPageMode(ePdfPageModeUseBookmarks);
}

void set_info(PdfMemDocument& doc, const layout::Metadata& meta) {
    PdfInfo* info = doc.GetInfo();
    if (!meta.title.empty()) info->SetTitle(text_string(meta.title, "metadata title"));
    if (!meta.author.empty()) info->SetAuthor(text_string(meta.author, "metadata author"));
    if (!meta.subject.empty()) info->SetSubject(text_string(meta.subject, "metadata subject"));
    if (!meta.keywords.empty()) info->SetKeywords(text_string(meta.keywords, "metadata keywords"));
    info->SetCreator(PdfString(kCreator));
    info->SetProducer(PdfString(kProducer));

    PdfDictionary& dict = info->GetObject()->GetDictionary();
    dict.RemoveKey(PdfName("CreationDate"));
    dict.RemoveKey(PdfName("ModDate"));
    if (!meta.date.empty()) {
        const PdfString date(pdf_date(meta.date));
        dict.AddKey(PdfName("CreationDate"), date);
        dict.AddKey(PdfName("ModDate"), date);
    }
}

/// PoDoFo derives the trailer /ID from the Info dictionary alone, so documents
/// sharing metadata would share an ID. Replaces both (same-length) ID strings with
/// a hash of the whole file, which keeps the output deterministic.
void set_file_identifier(std::string& bytes) {
    static const char kHex[] = "0123456789ABCDEF";
    constexpr std::size_t kHexLen = 32;
    const std::size_t at = bytes.rfind("/ID[<");
    if (at == std::string::npos) return;
    const std::size_t first = at + 5;
    const std::size_t second = first + kHexLen + 2;
    if (second + kHexLen + 2 > bytes.size() || bytes.compare(first + kHexLen, 2, "><") != 0 ||
        bytes.compare(second + kHexLen, 2, ">]") != 0)
        return;

    auto fnv = [&](std::uint64_t h) {
        auto mix = [&h](std::size_t from, std::size_t to, const std::string& b) {
            for (std::size_t i = from; i < to; ++i) {
                h ^= static_cast<unsigned char>(b[i]);
                h *= 0x100000001b3ULL;
            }
        };
        mix(0, first, bytes);
        mix(second + kHexLen, bytes.size(), bytes);
        return h;
    };
    const std::uint64_t halves[2] = {fnv(0xcbf29ce484222325ULL), fnv(0x84222325cbf29ce4ULL)};
    std::string id;
    for (std::uint64_t h : halves) {
        for (int shift = 60; shift >= 0; shift -= 4) id += kHex[(h >> shift) & 0xF];
    }
    bytes.replace(first, kHexLen, id);
    bytes.replace(second, kHexLen, id);
}

// PoDoFo deflates every stream it writes at zlib's default level, which made
// font subsets the most expensive part of a small document. It is told to
// write streams unfiltered (once, before any thread renders), and
// compress_streams() deflates them at the fastest level instead.
const bool kStreamsUnfiltered = [] {
    PdfStream::eDefaultFilter = ePdfFilter_None;
    return true;
}();

/// Deflates (fastest level) every stream that has no filter yet: page
/// contents, font subsets, ToUnicode maps.
void compress_streams(PdfMemDocument& pdf) {
    (void)kStreamsUnfiltered;
    PdfVecObjects& objects = pdf.GetObjects();
    for (PdfObject* o : objects) {
        if (o == nullptr || !o->HasStream() || !o->IsDictionary()) continue;
        if (o->GetDictionary().HasKey(PdfName::KeyFilter)) continue;
        char* raw = nullptr;
        pdf_long len = 0;
        o->GetStream()->GetCopy(&raw, &len);
        std::string data(raw ? raw : "", raw ? static_cast<std::size_t>(len) : 0);
        podofo_free(raw);
        std::string packed = deflate_fast(data);
        PdfMemoryInputStream in(packed.data(), static_cast<pdf_long>(packed.size()));
        o->GetStream()->SetRawData(&in, static_cast<pdf_long>(packed.size()));
        o->GetDictionary().AddKey(PdfName::KeyFilter, PdfName("FlateDecode"));
    }
}

struct Rendered {
    std::string bytes;
    std::vector<EmbeddedFont> fonts;
};

Rendered render(const layout::PagedDocument& doc) {
    if (doc.pages.empty()) fail("the document has no pages");

    PdfMemDocument pdf;
    FontSet fonts(pdf, doc.fonts);
    for (std::size_t i = 0; i < doc.pages.size(); ++i) draw_page(pdf, doc.pages[i], i, fonts);

    add_bookmarks(pdf, doc.bookmarks, doc.pages);
    set_info(pdf, doc.meta);
    pdf.GetCatalog()->GetDictionary().AddKey(PdfName("Lang"), PdfString("vi"));

    fonts.register_used_glyphs();
    pdf.EmbedSubsetFonts();
    compress_streams(pdf);

    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    pdf.Write(&device);

    Rendered out;
    out.bytes.assign(buffer.GetBuffer(), device.GetLength());
    set_file_identifier(out.bytes);
    out.fonts = fonts.report();
    return out;
}

void write_file_atomically(const std::string& bytes, const std::string& path) {
    namespace fs = std::filesystem;
    const std::string tmp = path + "." + std::to_string(::getpid()) + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) fail("cannot create " + tmp + ": " + std::strerror(errno));
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    int err = ok ? 0 : errno;
    if (std::fflush(f) != 0 && ok) ok = false, err = errno;
    if (std::fclose(f) != 0 && ok) ok = false, err = errno;
    if (!ok) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        fail("cannot write " + tmp + ": " + std::strerror(err));
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        fail("cannot rename " + tmp + " to " + path + ": " + ec.message());
    }
}

}  // namespace

WriteResult write_pdf(const layout::PagedDocument& doc, const std::string& path) {
    Rendered rendered;
    try {
        rendered = render(doc);
    } catch (const PdfError& e) {
        throw std::runtime_error("PDF " + path + ": PoDoFo error " + describe(e));
    } catch (const std::runtime_error& e) {
        throw std::runtime_error("PDF " + path + ": " + e.what());
    }
    write_file_atomically(rendered.bytes, path);
    return WriteResult{std::move(rendered.fonts)};
}

}  // namespace vanban::pdf

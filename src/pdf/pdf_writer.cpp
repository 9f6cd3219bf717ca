// pdf/pdf_writer: see pdf_writer.hpp.
#include "pdf/pdf_writer.hpp"

#include "core/time_lock.hpp"

#include <podofo/podofo.h>
#include <unistd.h>
#include <libdeflate.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "font/font.hpp"
#include "font/subset.hpp"
#include "image/png.hpp"
#include "vntext/vntext.hpp"
#include "core/i18n.hpp"

namespace vanban::pdf {

namespace {

using namespace PoDoFo;

constexpr const char* kCreator = "vanban";
constexpr const char* kProducer = "vanban (PoDoFo 0.9.8)";
/// libdeflate's level 1 is both faster and smaller than zlib's level 1 here;
/// higher levels save 3-5 % of the file for 20-55 % more time (gia-lai).
constexpr int kDeflateLevel = 1;

[[noreturn]] void fail(const std::string& msg) { throw std::runtime_error(msg); }

std::string describe(const PdfError& e) {
    std::string msg = PdfError::ErrorName(e.GetError());
    for (const PdfErrorInfo& info : e.GetCallstack())
        if (!info.GetInformation().empty()) msg += ": " + info.GetInformation();
    return msg;
}

// ---- numbers and strings -------------------------------------------------------

/// True when s is valid UTF-8 without NUL characters.
bool valid_utf8(std::string_view s) {
    return !vntext::find_invalid_utf8(s) && s.find('\0') == std::string_view::npos;
}


/// Appends v rounded to 0.001 without exponent, trailing zeros or locale influence.
void put_number(std::string& out, double v) {
    long long t = std::llround(v * 1000.0);
    if (t < 0) {
        out += '-';
        t = -t;
    }
    char buf[24];
    char* end = buf + sizeof buf;
    char* p = end;
    long long whole = t / 1000;
    do {
        *--p = static_cast<char>('0' + whole % 10);
        whole /= 10;
    } while (whole > 0);
    out.append(p, static_cast<std::size_t>(end - p));
    int frac = static_cast<int>(t % 1000);
    if (frac == 0) return;
    char digits[3] = {static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                      static_cast<char>('0' + frac % 10)};
    int n = 3;
    while (digits[n - 1] == '0') --n;
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
}

/// "r g b" of a 0xRRGGBB colour (the operands of rg / RG).
void put_color(std::string& out, std::uint32_t c) {
    for (int shift : {16, 8, 0}) {
        if (shift != 16) out += ' ';
        put_number(out, double((c >> shift) & 0xFF) / 255.0);
    }
}

void put_int(std::string& out, long long v) {
    char buf[24];
    char* end = buf + sizeof buf;
    char* p = end;
    unsigned long long u = v < 0 ? 0ULL - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
    do {
        *--p = static_cast<char>('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0) *--p = '-';
    out.append(p, static_cast<std::size_t>(end - p));
}

void put_hex4(std::string& out, unsigned v) {
    static const char kHex[] = "0123456789ABCDEF";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 0xF];
}

/// A PDF text string from NFC UTF-8 (PoDoFo writes it as UTF-16BE with a byte order mark).
PdfString text_string(const std::string& utf8, const char* what) {
    if (!valid_utf8(utf8)) fail(std::string(what) + " is not valid UTF-8");
    return PdfString(reinterpret_cast<const pdf_utf8*>(utf8.data()), static_cast<pdf_long>(utf8.size()));
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

/// FlateDecode data (zlib format) from libdeflate, which compresses whole
/// buffers in one call. One compressor per thread, kept for the thread's life.
void deflate_append(std::string& out, std::string_view data) {
    struct Compressor {
        libdeflate_compressor* c = nullptr;
        ~Compressor() {
            if (c) libdeflate_free_compressor(c);
        }
    };
    thread_local Compressor tc;
    if (tc.c == nullptr) {
        tc.c = libdeflate_alloc_compressor(kDeflateLevel);
        if (tc.c == nullptr) fail("cannot allocate a deflate compressor");
    }
    const std::size_t at = out.size();
    out.resize(at + libdeflate_zlib_compress_bound(tc.c, data.size()));
    const std::size_t n = libdeflate_zlib_compress(tc.c, data.data(), data.size(), out.data() + at, out.size() - at);
    if (n == 0) fail("could not compress a stream");
    out.resize(at + n);
}

/// Gives `obj` a stream holding `data` deflated here (libdeflate), handed to
/// PoDoFo as raw, already filtered data (/Filter /FlateDecode): PoDoFo stores
/// and writes the bytes as they are. `scratch` is reused between streams.
void set_deflated_stream(PdfObject* obj, std::string_view data, std::string& scratch) {
    scratch.clear();
    deflate_append(scratch, data);
    obj->GetDictionary().AddKey(PdfName::KeyFilter, PdfName("FlateDecode"));
    PdfMemoryInputStream in(scratch.data(), static_cast<pdf_long>(scratch.size()));
    obj->GetStream()->SetRawData(&in, static_cast<pdf_long>(scratch.size()));
}

PdfObject int_object(long long v) { return PdfObject(static_cast<pdf_int64>(v)); }

/// A number rounded to 0.001, formatted by put_number and handed to PoDoFo as
/// a raw token (PoDoFo formats reals through a locale-imbued ostringstream,
/// which costs more than the rest of a page object). The leading space
/// separates it from the previous token, as PoDoFo's compact output does for
/// the numbers it writes itself.
PdfObject number(double v) {
    std::string s(1, ' ');
    put_number(s, v);
    return PdfObject(PdfVariant(PdfData(s.data(), s.size())));
}

// ---- fonts -----------------------------------------------------------------------

/// One embedded font: the glyphs drawn with it and the code points they stand for.
struct LoadedFont {
    const font::FontFace* face = nullptr;
    PdfObject* object = nullptr;  ///< the Type0 font dictionary
    std::string resource;         ///< "/F1", as the content stream names it
    PdfName name;                 ///< "F1", as the page resources name it
    std::vector<std::uint8_t> used;  ///< per glyph id
    /// Per code point below kFast: glyph id, its /W width and the uses so far
    /// (gid 0: not looked up yet).
    struct Slot {
        std::uint16_t gid = 0;
        std::uint16_t width = 0;
        std::uint32_t count = 0;
    };
    std::vector<Slot> fast;
    std::unordered_map<char32_t, Slot> slow;
    static constexpr char32_t kFast = 0x2200;

    /// The glyph for cp, with its use counted; gid 0 when the font lacks it.
    const Slot& glyph(char32_t cp) {
        Slot& slot = cp < kFast ? fast[cp] : slow[cp];
        if (slot.gid == 0) {
            slot.gid = face->glyph(cp);
            if (slot.gid == 0) return slot;
            used[slot.gid] = 1;
            slot.width = width(slot.gid);
        }
        ++slot.count;
        return slot;
    }
    /// Advance of glyph gid in whole thousandths of an em, as written to /W.
    std::uint16_t width(std::uint16_t gid) const {
        const font::Sfnt& sf = face->sfnt();
        return static_cast<std::uint16_t>(std::lround(sf.advance_units(gid) * 1000.0 / sf.units_per_em()));
    }
};

class FontSet {
public:
    /// Fonts are created on first use and named in `resources` (the /Font
    /// dictionary every page inherits).
    FontSet(PdfVecObjects& objects, PdfDictionary& resources, std::shared_ptr<const font::FontBook> book)
        : objects_(objects), resources_(resources), book_(std::move(book)) {
        if (!book_) fail("the document names no fonts");
    }

    LoadedFont& get(layout::Face face) {
        const auto slot = static_cast<std::size_t>(face);
        if (slot >= 4) fail("unknown face " + std::to_string(slot));
        const font::FontFace* ff = &book_->face(face);
        for (auto& lf : fonts_)
            if (lf->face == ff) return *lf;
        auto lf = std::make_unique<LoadedFont>();
        lf->face = ff;
        lf->object = objects_.CreateObject("Font");
        std::string name(1, 'F');
        name += std::to_string(fonts_.size() + 1);
        lf->name = PdfName(name);
        lf->resource.assign(1, '/');
        lf->resource += name;
        resources_.AddKey(lf->name, lf->object->Reference());
        lf->used.assign(ff->sfnt().num_glyphs(), 0);
        lf->fast.assign(LoadedFont::kFast, LoadedFont::Slot{});
        fonts_.push_back(std::move(lf));
        return *fonts_.back();
    }

    /// Writes every font drawn: Type0 dictionary, CIDFontType2, descriptor,
    /// font program subset and ToUnicode map.
    void write() {
        for (auto& lf : fonts_) write_font(*lf);
    }

    /// Embedded fonts in face order (regular, bold, italic, bold italic), one per font.
    std::vector<EmbeddedFont> report() const {
        std::vector<EmbeddedFont> out;
        std::vector<const font::FontFace*> seen;
        for (const font::Face f : {font::Face::regular, font::Face::bold, font::Face::italic, font::Face::bold_italic}) {
            const font::FontFace* ff = &book_->face(f);
            if (std::find(seen.begin(), seen.end(), ff) != seen.end()) continue;
            for (const auto& lf : fonts_)
                if (lf->face == ff) {
                    out.push_back({ff->path(), ff->postscript_name()});
                    seen.push_back(ff);
                }
        }
        return out;
    }

private:
    /// The ToUnicode map has one code point per glyph: when several drawn code
    /// points share a glyph, the most used one is kept (ties: the lowest).
    static std::map<std::uint16_t, char32_t> unicode_of(const LoadedFont& lf) {
        std::map<std::uint16_t, std::pair<std::uint32_t, char32_t>> best;  // gid -> (count, cp)
        auto consider = [&](char32_t cp, std::uint32_t count) {
            const std::uint16_t gid = lf.face->glyph(cp);
            auto [it, fresh] = best.emplace(gid, std::make_pair(count, cp));
            if (fresh) return;
            auto& [c, chosen] = it->second;
            if (count > c || (count == c && cp < chosen)) c = count, chosen = cp;
        };
        for (char32_t cp = 0; cp < LoadedFont::kFast; ++cp)
            if (lf.fast[cp].count) consider(cp, lf.fast[cp].count);
        for (const auto& [cp, slot] : lf.slow)
            if (slot.count) consider(cp, slot.count);
        std::map<std::uint16_t, char32_t> out;
        for (const auto& [gid, pick] : best) out.emplace(gid, pick.second);
        return out;
    }

    static std::string to_unicode_cmap(const std::map<std::uint16_t, char32_t>& map) {
        std::string s =
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
        auto it = map.begin();
        while (it != map.end()) {
            const std::size_t n = std::min<std::size_t>(100, static_cast<std::size_t>(std::distance(it, map.end())));
            put_int(s, static_cast<long long>(n));
            s += " beginbfchar\n";
            for (std::size_t k = 0; k < n; ++k, ++it) {
                s += '<';
                put_hex4(s, it->first);
                s += "> <";
                const char32_t cp = it->second;
                if (cp < 0x10000) {
                    put_hex4(s, static_cast<unsigned>(cp));
                } else {
                    put_hex4(s, static_cast<unsigned>(0xD800 + ((cp - 0x10000) >> 10)));
                    put_hex4(s, static_cast<unsigned>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
                }
                s += ">\n";
            }
            s += "endbfchar\n";
        }
        s += "endcmap\nCMapName currentdict /CMapResource defineresource pop\nend\nend\n";
        return s;
    }

    /// Six capital letters naming the subset, from the glyphs it holds.
    static std::string subset_tag(const LoadedFont& lf) {
        std::uint64_t h = 0xcbf29ce484222325ULL;
        for (unsigned char c : lf.face->postscript_name()) h = (h ^ c) * 0x100000001b3ULL;
        for (std::size_t g = 0; g < lf.used.size(); ++g)
            if (lf.used[g]) h = (h ^ g) * 0x100000001b3ULL;
        std::string tag;
        for (int k = 0; k < 6; ++k, h /= 26) tag += static_cast<char>('A' + h % 26);
        return tag;
    }

    void write_font(LoadedFont& lf) {
        const font::FontFace& ff = *lf.face;
        const font::Sfnt& sf = ff.sfnt();
        const auto cmap = unicode_of(lf);
        std::vector<std::uint8_t> drawn = lf.used;
        std::vector<std::uint8_t> kept = lf.used;
        std::vector<std::uint16_t> new_ids;
        const std::string program = font::subset_truetype(ff, kept, new_ids);
        std::string ps = ff.postscript_name();
        if (ps.empty()) ps = "Font";
        for (char& c : ps)
            if (c <= ' ' || c > '~' || std::strchr("()<>[]{}/%#", c)) c = '-';
        const std::string base = subset_tag(lf) + "+" + ps;
        const double scale = 1000.0 / sf.units_per_em();

        PdfObject* cid_font = objects_.CreateObject("Font");
        PdfObject* descriptor = objects_.CreateObject("FontDescriptor");
        PdfObject* program_obj = objects_.CreateObject();
        PdfObject* unicode = objects_.CreateObject();
        PdfObject* cid_to_gid = objects_.CreateObject();
        const PdfName base_name(base);

        PdfDictionary& o = lf.object->GetDictionary();
        o.AddKey(PdfName::KeySubtype, PdfName("Type0"));
        o.AddKey("BaseFont", base_name);
        o.AddKey("Encoding", PdfName("Identity-H"));
        PdfArray descendants;
        descendants.push_back(cid_font->Reference());
        o.AddKey("DescendantFonts", descendants);
        o.AddKey("ToUnicode", unicode->Reference());

        PdfDictionary& c = cid_font->GetDictionary();
        c.AddKey(PdfName::KeySubtype, PdfName("CIDFontType2"));
        c.AddKey("BaseFont", base_name);
        PdfDictionary system_info;
        system_info.AddKey("Registry", PdfString("Adobe"));
        system_info.AddKey("Ordering", PdfString("Identity"));
        system_info.AddKey("Supplement", int_object(0));
        c.AddKey("CIDSystemInfo", system_info);
        c.AddKey("FontDescriptor", descriptor->Reference());
        // The CIDs are the face's glyph ids (as the content streams, /W and
        // ToUnicode write them); the program numbers its glyphs anew.
        c.AddKey("CIDToGIDMap", cid_to_gid->Reference());
        // Widths in whole thousandths of an em, as viewers position glyphs
        // within a string: one run of consecutive glyph ids per entry. The
        // array (hundreds of numbers) is formatted here and handed to PoDoFo
        // as a raw token (PdfData), like the content streams.
        std::string w = "[";
        for (std::size_t g = 0; g < drawn.size();) {
            if (!drawn[g]) {
                ++g;
                continue;
            }
            put_int(w, static_cast<long long>(g));
            w += " [";
            bool first = true;
            for (; g < drawn.size() && drawn[g]; ++g) {
                if (!first) w += ' ';
                first = false;
                put_int(w, lf.width(static_cast<std::uint16_t>(g)));
            }
            w += "] ";
        }
        w += ']';
        c.AddKey("W", PdfObject(PdfVariant(PdfData(w.data(), w.size()))));

        const std::string_view head = sf.table("head");
        auto s16 = [](std::string_view t, std::size_t at) {
            return static_cast<std::int16_t>(font::be16(reinterpret_cast<const unsigned char*>(t.data()) + at));
        };
        const std::string_view os2 = sf.table("OS/2");
        const std::string_view post = sf.table("post");
        const double cap = os2.size() >= 90 && font::be16(reinterpret_cast<const unsigned char*>(os2.data())) >= 2
                               ? s16(os2, 88) * scale
                               : ff.ascent() * 1000;
        const double italic =
            post.size() >= 8 ? static_cast<std::int32_t>(font::be32(reinterpret_cast<const unsigned char*>(post.data()) + 4)) /
                                   65536.0
                             : 0.0;
        PdfDictionary& d = descriptor->GetDictionary();
        d.AddKey("FontName", base_name);
        d.AddKey("Flags", int_object(italic != 0 ? 32 + 64 : 32));
        PdfArray bbox;
        for (std::size_t at : {36, 38, 40, 42}) bbox.push_back(number(s16(head, at) * scale));
        d.AddKey("FontBBox", bbox);
        d.AddKey("ItalicAngle", number(italic));
        d.AddKey("Ascent", number(ff.ascent() * 1000));
        d.AddKey("Descent", number(-ff.descent() * 1000));
        d.AddKey("CapHeight", number(cap));
        d.AddKey("StemV", int_object(80));
        d.AddKey("FontFile2", program_obj->Reference());

        program_obj->GetDictionary().AddKey("Length1", int_object(static_cast<long long>(program.size())));
        set_deflated_stream(program_obj, program, scratch_);
        std::size_t last_cid = 0;
        for (std::size_t g = 0; g < drawn.size(); ++g)
            if (drawn[g]) last_cid = g;
        std::string map;
        map.reserve((last_cid + 1) * 2);
        for (std::size_t g = 0; g <= last_cid; ++g) {
            const std::uint16_t id = g < new_ids.size() ? new_ids[g] : 0;
            map += static_cast<char>(id >> 8);
            map += static_cast<char>(id & 0xFF);
        }
        set_deflated_stream(cid_to_gid, map, scratch_);
        set_deflated_stream(unicode, to_unicode_cmap(cmap), scratch_);
    }

    PdfVecObjects& objects_;
    PdfDictionary& resources_;
    std::string scratch_;
    std::shared_ptr<const font::FontBook> book_;
    std::vector<std::unique_ptr<LoadedFont>> fonts_;
};

// ---- images ----------------------------------------------------------------------

/// The pictures of the document, each embedded once however many times it is
/// drawn: an image XObject with its RGB samples and, when some pixel is not
/// opaque, an /SMask with the alpha channel; both deflated here. Named /Im1,
/// /Im2, … in the order first drawn.
class ImageSet {
public:
    ImageSet(PdfVecObjects& objects, PdfDictionary& resources) : objects_(objects), resources_(resources) {}

    /// The resource name of `im`'s picture, embedding it on first use.
    const std::string& name(const layout::Image& im, std::size_t page_no, std::string& scratch) {
        if (!im.png) fail_here(page_no, im, tx("has no data"));
        const std::string_view key(*im.png);
        auto it = names_.find(key);
        if (it != names_.end()) return it->second;
        image::Png png;
        try {
            png = image::read_png(key);
        } catch (const image::PngError& e) {
            fail_here(page_no, im, e.what());
        }
        // An 8-bit image XObject of `png`'s size holding `samples`.
        auto samples_object = [&](const char* colour_space, const std::string& samples) {
            PdfObject* o = objects_.CreateObject("XObject");
            PdfDictionary& d = o->GetDictionary();
            d.AddKey("Subtype", PdfName("Image"));
            d.AddKey("Width", int_object(png.width));
            d.AddKey("Height", int_object(png.height));
            d.AddKey("ColorSpace", PdfName(colour_space));
            d.AddKey("BitsPerComponent", int_object(8));
            set_deflated_stream(o, samples, scratch);
            return o;
        };
        PdfObject* obj = samples_object("DeviceRGB", png.rgb);
        if (png.has_alpha) obj->GetDictionary().AddKey("SMask", samples_object("DeviceGray", png.alpha)->Reference());
        std::string name = "Im" + std::to_string(names_.size() + 1);
        resources_.AddKey(PdfName(name), obj->Reference());
        return names_.emplace(key, std::move(name)).first->second;
    }

private:
    [[noreturn]] static void fail_here(std::size_t page_no, const layout::Image& im, const std::string& what) {
        fail(tx("page {} image {} {}", page_no + 1, im.name, what));
    }

    PdfVecObjects& objects_;
    PdfDictionary& resources_;
    std::map<std::string_view, std::string> names_;
};

/// Draws `page.images` in order (a later one over an earlier one), each scaled into its box.
void page_images(std::string& out, const layout::Page& page, std::size_t page_no, ImageSet& images,
                 std::string& scratch) {
    for (const layout::Image& im : page.images) {
        for (double v : {im.x, im.y, im.width, im.height})
            if (!std::isfinite(v)) fail("page " + std::to_string(page_no + 1) + " image " + im.name + " has a coordinate that is not a finite number");
        if (im.width <= 0 || im.height <= 0) fail("page " + std::to_string(page_no + 1) + " image " + im.name + " has a non-positive size");
        const std::string& name = images.name(im, page_no, scratch);
        out += "q ";
        put_number(out, im.width);
        out += " 0 0 ";
        put_number(out, im.height);
        out += ' ';
        put_number(out, im.x);
        out += ' ';
        put_number(out, page.height - im.y - im.height);
        out += " cm /" + name + " Do Q\n";
    }
}

/// An empty digital-signature field (/FT /Sig, unsigned) over each image that
/// names one, on its page: a signing tool fills it without moving anything.
void add_signature_fields(PdfMemDocument& pdf, const std::vector<layout::Page>& pages,
                          const std::vector<PdfObject*>& page_objs) {
    PdfArray fields;
    PdfVecObjects& objects = pdf.GetObjects();
    for (std::size_t p = 0; p < pages.size(); ++p) {
        PdfArray annots;
        for (const layout::Image& im : pages[p].images) {
            if (im.signature_field.empty()) continue;
            PdfObject* f = objects.CreateObject("Annot");
            PdfDictionary& d = f->GetDictionary();
            d.AddKey("Subtype", PdfName("Widget"));
            d.AddKey("FT", PdfName("Sig"));
            d.AddKey("T", text_string(im.signature_field, "signature field name"));
            d.AddKey("F", int_object(4));  // printed
            PdfArray rect;
            rect.push_back(number(im.x));
            rect.push_back(number(pages[p].height - im.y - im.height));
            rect.push_back(number(im.x + im.width));
            rect.push_back(number(pages[p].height - im.y));
            d.AddKey("Rect", rect);
            d.AddKey("P", page_objs[p]->Reference());
            annots.push_back(f->Reference());
            fields.push_back(f->Reference());
        }
        if (!annots.empty()) page_objs[p]->GetDictionary().AddKey("Annots", annots);
    }
    if (fields.empty()) return;
    PdfDictionary form;
    form.AddKey("Fields", fields);
    pdf.GetCatalog()->GetDictionary().AddKey("AcroForm", form);
}

// ---- pages -----------------------------------------------------------------------

void require_finite(double v, const std::string& what) {
    if (!std::isfinite(v)) fail(what + " is not a finite number");
}

[[noreturn]] void fail_at(std::size_t page_no, const std::string& what) {
    fail("page " + std::to_string(page_no + 1) + what);
}

void require_finite(double v, std::size_t page_no, const char* what) {
    if (!std::isfinite(v)) fail_at(page_no, std::string(" ") + what + " is not a finite number");
}

/// Appends the glyphs of `run` to a literal string (two bytes per glyph,
/// Identity-H; the string delimiters and the backslash escaped) and returns
/// their advance in thousandths of an em, as the font's /W array gives it.
long long put_glyphs(std::string& out, LoadedFont& lf, const layout::Run& run, std::size_t page_no) {
    const std::string_view s = run.text;
    long long advance = 0;
    out += '(';
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t at = i;
        const auto c = static_cast<unsigned char>(s[i]);
        const char32_t cp = c < 0x80 ? (++i, char32_t{c}) : vntext::next_code_point(s, i);
        if (cp == 0 || (cp == 0xFFFD && s.substr(at, i - at) != "\xEF\xBF\xBD"))
            fail_at(page_no, ": a run at x=" + std::to_string(run.x) + " is not valid UTF-8");
        const LoadedFont::Slot& g = lf.glyph(cp);
        if (g.gid == 0)
            fail_at(page_no, ": font " + lf.face->path() + " has no glyph for " + vntext::code_point_number(cp) + " in \"" +
                                 run.text + "\"");
        const char bytes[2] = {static_cast<char>(g.gid >> 8), static_cast<char>(g.gid & 0xFF)};
        for (char byte : bytes) {
            if (byte == '(' || byte == ')' || byte == '\\') out += '\\';
            out += byte;
        }
        advance += g.width;
    }
    out += ')';
    return advance;
}

/// The text part of one page's content stream: a single BT/ET block. The runs
/// of a line that share a face and size form one TJ array placed by one Tm;
/// between two runs the array holds the adjustment (thousandths of an em,
/// rounded) from where the first run's glyphs end to where layout put the
/// next run, so every run starts where layout placed it and justified lines
/// need no word spacing (Tw does nothing for two-byte codes anyway).
void page_text(std::string& out, const layout::Page& page, std::size_t page_no, FontSet& fonts) {
    const LoadedFont* cur_font = nullptr;
    double cur_size = -1;
    std::uint32_t cur_color = 0;  // the stream sets "0 g" before the text block
    bool open = false;
    for (const layout::Line& line : page.lines) {
        require_finite(line.y, page_no, "line y");
        const std::vector<layout::Run>& runs = line.runs;
        for (std::size_t i = 0; i < runs.size();) {
            const layout::Run& run = runs[i];
            if (run.text.empty()) {
                ++i;
                continue;
            }
            require_finite(run.x, page_no, "run x");
            require_finite(run.size, page_no, "run size");
            if (run.size <= 0) fail_at(page_no, ": run \"" + run.text + "\" has size <= 0");

            LoadedFont& lf = fonts.get(run.face);
            if (!open) out += "BT\n", open = true;
            if (run.color != cur_color) {  // stamp text (urgency, secrecy) in its ink
                put_color(out, run.color);
                out += " rg\n";
                cur_color = run.color;
            }
            if (&lf != cur_font || run.size != cur_size) {
                out += lf.resource;
                out += ' ';
                put_number(out, run.size);
                out += " Tf\n";
                cur_font = &lf;
                cur_size = run.size;
            }
            out += "1 0 0 1 ";
            put_number(out, run.x);
            out += ' ';
            put_number(out, page.height - line.y);
            out += " Tm\n[";
            // pen: where the next glyph would go, in thousandths of an em from run.x.
            long long pen = put_glyphs(out, lf, run, page_no);
            std::size_t j = i + 1;
            for (; j < runs.size(); ++j) {
                const layout::Run& next = runs[j];
                if (next.text.empty()) continue;
                if (next.face != run.face || next.size != run.size || next.color != run.color) break;
                require_finite(next.x, page_no, "run x");
                const long long target = std::llround((next.x - run.x) * 1000.0 / run.size);
                if (target != pen) {
                    put_int(out, pen - target);
                    pen = target;
                }
                pen += put_glyphs(out, lf, next, page_no);
            }
            out += "] TJ\n";
            i = j;
        }
    }
    if (open) out += "ET\n";
}

/// Draws one page: its content stream (made here, deflated here) and its page
/// object, a kid of `pages_obj`. Returns the page object.
PdfObject* draw_page(PdfVecObjects& objects, PdfObject* pages_obj, const layout::Page& page, std::size_t page_no,
                     FontSet& fonts, ImageSet& images, std::string& content, std::string& scratch) {
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

    // The content stream: rules first, then the text block.
    content.clear();
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
    // Stamp frames (urgency, secrecy, circulation, DỰ THẢO), each stroked in its ink.
    for (const layout::Frame& f : page.frames) {
        require_finite(f.x, where + " frame x");
        require_finite(f.y, where + " frame y");
        require_finite(f.w, where + " frame w");
        require_finite(f.h, where + " frame h");
        require_finite(f.width, where + " frame line width");
        put_color(content, f.color);
        content += " RG\n";
        put_number(content, f.width);
        content += " w\n";
        put_number(content, f.x);
        content += ' ';
        put_number(content, page.height - f.y - f.h);
        content += ' ';
        put_number(content, f.w);
        content += ' ';
        put_number(content, f.h);
        content += " re S\n";
    }
    const std::size_t text_at = content.size();
    content += "0 g\n";
    page_text(content, page, page_no, fonts);
    if (content.size() == text_at + 4) content.resize(text_at);
    // Images last: a seal is stamped over the printed text.
    page_images(content, page, page_no, images, scratch);

    PdfObject* page_obj = objects.CreateObject("Page");
    PdfObject* contents = objects.CreateObject();
    set_deflated_stream(contents, content, scratch);

    PdfDictionary& d = page_obj->GetDictionary();
    d.AddKey(PdfName("Parent"), pages_obj->Reference());
    PdfArray box;
    box.push_back(int_object(0));
    box.push_back(int_object(0));
    box.push_back(number(page.width));
    box.push_back(number(page.height));
    d.AddKey("MediaBox", box);
    d.AddKey("Contents", contents->Reference());
    return page_obj;
}

/// The outline (one level, in document order), made with PoDoFo's outline items.
void add_bookmarks(PdfMemDocument& pdf, const std::vector<layout::Bookmark>& bookmarks,
                   const std::vector<layout::Page>& pages, const std::vector<PdfObject*>& page_objs) {
    if (bookmarks.empty()) return;
    PdfOutlines* outlines = pdf.GetOutlines(true);
    if (outlines == nullptr) fail("PoDoFo could not create the outline");
    for (const layout::Bookmark& b : bookmarks) {
        if (b.page < 0 || static_cast<std::size_t>(b.page) >= pages.size())
            fail("bookmark \"" + b.title + "\" points to page " + std::to_string(b.page + 1) + " of " +
                 std::to_string(pages.size()));
        require_finite(b.y, "bookmark \"" + b.title + "\" y");
        const auto at = static_cast<std::size_t>(b.page);
        // [page /XYZ left top zoom], held by the outline item itself (PoDoFo's
        // page-based PdfDestination would add an unused indirect copy of it).
        PdfArray array;
        array.push_back(page_objs[at]->Reference());
        array.push_back(PdfName("XYZ"));
        array.push_back(int_object(0));
        array.push_back(number(pages[at].height - b.y));
        array.push_back(int_object(0));
        PdfObject target(array);
        const PdfDestination dest(&target, &pdf);
        outlines->CreateChild(text_string(b.title, "bookmark title"), dest);
    }
    pdf.SetPageMode(ePdfPageModeUseBookmarks);
}

void set_info(PdfMemDocument& pdf, const layout::Metadata& meta) {
    // Checked first: a bad date fails before any page is drawn.
    const std::string date = meta.date.empty() ? std::string() : pdf_date(meta.date);
    PdfInfo* info = pdf.GetInfo();
    if (!meta.title.empty()) info->SetTitle(text_string(meta.title, "metadata title"));
    if (!meta.author.empty()) info->SetAuthor(text_string(meta.author, "metadata author"));
    if (!meta.subject.empty()) info->SetSubject(text_string(meta.subject, "metadata subject"));
    if (!meta.keywords.empty()) info->SetKeywords(text_string(meta.keywords, "metadata keywords"));
    info->SetCreator(PdfString(kCreator));
    info->SetProducer(PdfString(kProducer));
    // PoDoFo stamps the clock's time; the document's own date replaces it.
    PdfDictionary& dict = info->GetObject()->GetDictionary();
    dict.RemoveKey(PdfName("CreationDate"));
    dict.RemoveKey(PdfName("ModDate"));
    if (!date.empty()) {
        dict.AddKey(PdfName("CreationDate"), PdfString(date));
        dict.AddKey(PdfName("ModDate"), PdfString(date));
    }
}

/// PoDoFo derives the trailer /ID from the Info dictionary alone, so documents
/// sharing metadata would share an ID. Replaces both (same-length) ID strings
/// with a hash of the whole file, which keeps the output deterministic.
void set_file_identifier(std::string& bytes) {
    static const char kHex[] = "0123456789ABCDEF";
    constexpr std::size_t kHexLen = 32;
    const std::size_t at = bytes.rfind("/ID[<");
    if (at == std::string::npos) fail("internal error: PoDoFo wrote no file identifier");
    const std::size_t first = at + 5;
    const std::size_t second = first + kHexLen + 2;
    if (second + kHexLen + 2 > bytes.size() || bytes.compare(first + kHexLen, 2, "><") != 0 ||
        bytes.compare(second + kHexLen, 2, ">]") != 0)
        fail("internal error: unexpected file identifier from PoDoFo");
    auto fnv = [&](std::uint64_t h) {
        auto mix = [&h, &bytes](std::size_t from, std::size_t to) {
            for (std::size_t i = from; i < to; ++i) h = (h ^ static_cast<unsigned char>(bytes[i])) * 0x100000001b3ULL;
        };
        mix(0, first);
        mix(second + kHexLen, bytes.size());
        return h;
    };
    const std::uint64_t halves[2] = {fnv(0xcbf29ce484222325ULL), fnv(0x84222325cbf29ce4ULL)};
    std::string id;
    for (std::uint64_t h : halves)
        for (int shift = 60; shift >= 0; shift -= 4) id += kHex[(h >> shift) & 0xF];
    bytes.replace(first, kHexLen, id);
    bytes.replace(second, kHexLen, id);
}

Rendered render(const layout::PagedDocument& doc) {
    if (doc.pages.empty()) fail(tx("the document has no pages"));
    std::unique_lock<std::mutex> time_guard(libc_time_lock());  // PoDoFo dates a new document with localtime()
    PdfMemDocument pdf;
    time_guard.unlock();
    pdf.SetPdfVersion(ePdfVersion_1_4);
    set_info(pdf, doc.meta);
    PdfVecObjects& objects = pdf.GetObjects();

    // A flat page tree, made here: the root's /Kids lists every page in order
    // (PoDoFo's CreatePage looks its page tree up again for every page). Every
    // page inherits the root's resources: the document's fonts, one
    // dictionary for all pages.
    PdfObject* pages_obj = pdf.GetPagesTree()->GetObject();
    PdfDictionary& root = pages_obj->GetDictionary();
    root.AddKey("Resources", PdfDictionary());
    PdfDictionary& resources = root.GetKey("Resources")->GetDictionary();
    resources.AddKey("Font", PdfDictionary());
    FontSet fonts(objects, resources.GetKey("Font")->GetDictionary(), doc.fonts);
    // The pictures' dictionary, only when some page draws one.
    PdfDictionary no_images;
    if (std::any_of(doc.pages.begin(), doc.pages.end(), [](const layout::Page& p) { return !p.images.empty(); }))
        resources.AddKey("XObject", PdfDictionary());
    ImageSet images(objects, resources.HasKey("XObject") ? resources.GetKey("XObject")->GetDictionary() : no_images);

    std::vector<PdfObject*> page_objs;
    page_objs.reserve(doc.pages.size());
    std::string content, scratch;
    for (std::size_t i = 0; i < doc.pages.size(); ++i)
        page_objs.push_back(draw_page(objects, pages_obj, doc.pages[i], i, fonts, images, content, scratch));
    PdfArray kids;
    kids.reserve(page_objs.size());
    for (PdfObject* p : page_objs) kids.push_back(p->Reference());
    root.AddKey(PdfName("Kids"), kids);
    root.AddKey(PdfName("Count"), int_object(static_cast<long long>(page_objs.size())));

    add_bookmarks(pdf, doc.bookmarks, doc.pages, page_objs);
    add_signature_fields(pdf, doc.pages, page_objs);
    fonts.write();
    pdf.GetCatalog()->GetDictionary().AddKey(PdfName("Lang"), PdfString("vi"));

    PdfRefCountedBuffer buffer;
    PdfOutputDevice device(&buffer);
    {
        std::lock_guard<std::mutex> time_guard(libc_time_lock());
        pdf.Write(&device);
    }

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
    if (f == nullptr) fail(tx("cannot create {}: {}", tmp, std::strerror(errno)));
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    int err = ok ? 0 : errno;
    if (std::fflush(f) != 0 && ok) ok = false, err = errno;
    if (std::fclose(f) != 0 && ok) ok = false, err = errno;
    if (!ok) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        fail(tx("cannot write {}: {}", tmp, std::strerror(err)));
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        fail(tx("cannot rename {} to {}: {}", tmp, path, ec.message()));
    }
}

}  // namespace

Rendered render_pdf(const layout::PagedDocument& doc) {
    try {
        return render(doc);
    } catch (const PdfError& e) {
        throw std::runtime_error(tx("PoDoFo error {}", describe(e)));
    }
}

WriteResult write_pdf(const layout::PagedDocument& doc, const std::string& path) {
    Rendered rendered;
    try {
        rendered = render_pdf(doc);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(tx("PDF {}: {}", path, e.what()));
    }
    write_file_atomically(rendered.bytes, path);
    return WriteResult{std::move(rendered.fonts)};
}

}  // namespace vanban::pdf

// pdf/pdf_writer: see pdf_writer.hpp.
#include "pdf/pdf_writer.hpp"

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
#include "vntext/vntext.hpp"

namespace vanban::pdf {

namespace {

constexpr const char* kCreator = "vanban";
constexpr const char* kProducer = "vanban";
/// libdeflate's level 1 is both faster and smaller than zlib's level 1 here;
/// higher levels save 3-5 % of the file for 20-55 % more time (gia-lai).
constexpr int kDeflateLevel = 1;

[[noreturn]] void fail(const std::string& msg) { throw std::runtime_error(msg); }

// ---- numbers and strings -------------------------------------------------------

/// True when s is valid UTF-8 without NUL characters.
bool valid_utf8(std::string_view s) {
    return !vntext::find_invalid_utf8(s) && s.find('\0') == std::string_view::npos;
}

std::string hex_code_point(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
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

/// Appends v rounded to 0.000001 without trailing zeros (page boxes and
/// destinations, which need more precision than content coordinates).
void put_real(std::string& out, double v) {
    char buf[48];
    const int n = std::snprintf(buf, sizeof buf, "%.6f", v);
    std::string_view s(buf, static_cast<std::size_t>(n));
    if (s.find('.') != std::string_view::npos) {
        while (s.back() == '0') s.remove_suffix(1);
        if (s.back() == '.') s.remove_suffix(1);
    }
    if (s == "-0") s = "0";
    out.append(s);
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

/// A PDF text string from NFC UTF-8: UTF-16BE with a byte order mark, in hex.
std::string text_string(const std::string& utf8, const char* what) {
    if (!valid_utf8(utf8)) fail(std::string(what) + " is not valid UTF-8");
    std::string out = "<FEFF";
    for (std::size_t i = 0; i < utf8.size();) {
        const char32_t cp = vntext::next_code_point(utf8, i);
        if (cp < 0x10000) {
            put_hex4(out, static_cast<unsigned>(cp));
        } else {
            const char32_t v = cp - 0x10000;
            put_hex4(out, static_cast<unsigned>(0xD800 + (v >> 10)));
            put_hex4(out, static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
        }
    }
    out += '>';
    return out;
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

// ---- the file --------------------------------------------------------------------

/// The file being written: objects are numbered first and written in any
/// order; the cross-reference table is made from their offsets at the end.
class File {
public:
    File() {
        out_ = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
        offsets_.push_back(0);
    }
    int reserve() {
        offsets_.push_back(0);
        return static_cast<int>(offsets_.size() - 1);
    }
    /// Starts object n; the caller appends its body to text() and calls end().
    std::string& begin(int n) {
        offsets_[static_cast<std::size_t>(n)] = out_.size();
        put_int(out_, n);
        out_ += " 0 obj\n";
        return out_;
    }
    void end() { out_ += "\nendobj\n"; }
    /// Writes object n as a deflated stream with `dict` (without << >>) as extra keys.
    void stream(int n, std::string_view dict, std::string_view data) {
        packed_.clear();
        deflate_append(packed_, data);
        std::string& o = begin(n);
        o += "<< ";
        o += dict;
        if (!dict.empty()) o += ' ';
        o += "/Filter /FlateDecode /Length ";
        put_int(o, static_cast<long long>(packed_.size()));
        o += " >>\nstream\n";
        o += packed_;
        o += "\nendstream";
        end();
    }
    /// Cross-reference table and trailer; the /ID is a hash of the whole file.
    std::string finish(int root, int info) {
        for (std::size_t i = 1; i < offsets_.size(); ++i)
            if (offsets_[i] == 0) fail("internal error: PDF object " + std::to_string(i) + " was never written");
        std::uint64_t h1 = 0xcbf29ce484222325ULL, h2 = 0x84222325cbf29ce4ULL;
        for (unsigned char c : out_) {
            h1 = (h1 ^ c) * 0x100000001b3ULL;
            h2 = (h2 ^ c) * 0x100000001b3ULL;
        }
        const std::size_t xref = out_.size();
        out_ += "xref\n0 ";
        put_int(out_, static_cast<long long>(offsets_.size()));
        out_ += "\n0000000000 65535 f \n";
        char line[21] = "0000000000 00000 n \n";
        for (std::size_t i = 1; i < offsets_.size(); ++i) {
            std::size_t v = offsets_[i];
            for (int k = 9; k >= 0; --k, v /= 10) line[k] = static_cast<char>('0' + v % 10);
            out_.append(line, 20);
        }
        static const char kHex[] = "0123456789ABCDEF";
        std::string id;
        for (std::uint64_t h : {h1, h2})
            for (int shift = 60; shift >= 0; shift -= 4) id += kHex[(h >> shift) & 0xF];
        out_ += "trailer\n<< /Size ";
        put_int(out_, static_cast<long long>(offsets_.size()));
        out_ += " /Root ";
        put_int(out_, root);
        out_ += " 0 R /Info ";
        put_int(out_, info);
        out_ += " 0 R /ID [<" + id + "> <" + id + ">] >>\nstartxref\n";
        put_int(out_, static_cast<long long>(xref));
        out_ += "\n%%EOF\n";
        return std::move(out_);
    }

private:
    std::string out_;
    std::string packed_;  ///< scratch for the stream being compressed
    std::vector<std::size_t> offsets_;
};

// ---- fonts -----------------------------------------------------------------------

/// One embedded font: the glyphs drawn with it and the code points they stand for.
struct LoadedFont {
    const font::FontFace* face = nullptr;
    int object = 0;        ///< the Type0 font dictionary
    std::string resource;  ///< "/F1"
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
    FontSet(File& file, std::shared_ptr<const font::FontBook> book) : file_(file), book_(std::move(book)) {
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
        lf->object = file_.reserve();
        lf->resource = "/F" + std::to_string(fonts_.size() + 1);
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
        const std::string program = font::subset_truetype(ff, kept);
        std::string ps = ff.postscript_name();
        if (ps.empty()) ps = "Font";
        for (char& c : ps)
            if (c <= ' ' || c > '~' || std::strchr("()<>[]{}/%#", c)) c = '-';
        const std::string base = "/" + subset_tag(lf) + "+" + ps;
        const double scale = 1000.0 / sf.units_per_em();

        const int cid_font = file_.reserve(), descriptor = file_.reserve(), program_obj = file_.reserve(),
                  unicode = file_.reserve();

        std::string& o = file_.begin(lf.object);
        o += "<< /Type /Font /Subtype /Type0 /BaseFont " + base + " /Encoding /Identity-H /DescendantFonts [";
        put_int(o, cid_font);
        o += " 0 R] /ToUnicode ";
        put_int(o, unicode);
        o += " 0 R >>";
        file_.end();

        std::string& c = file_.begin(cid_font);
        c += "<< /Type /Font /Subtype /CIDFontType2 /BaseFont " + base +
             " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ";
        put_int(c, descriptor);
        // Widths in whole thousandths of an em, as viewers position glyphs within a string.
        c += " 0 R /CIDToGIDMap /Identity /W [";
        for (std::size_t g = 0; g < drawn.size();) {
            if (!drawn[g]) {
                ++g;
                continue;
            }
            put_int(c, static_cast<long long>(g));
            c += " [";
            bool first = true;
            for (; g < drawn.size() && drawn[g]; ++g) {
                if (!first) c += ' ';
                first = false;
                put_int(c, lf.width(static_cast<std::uint16_t>(g)));
            }
            c += "] ";
        }
        c += "] >>";
        file_.end();

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
        std::string& d = file_.begin(descriptor);
        d += "<< /Type /FontDescriptor /FontName " + base + " /Flags ";
        put_int(d, italic != 0 ? 32 + 64 : 32);
        d += " /FontBBox [";
        for (std::size_t at : {36, 38, 40, 42}) {
            put_real(d, s16(head, at) * scale);
            d += at == 42 ? "]" : " ";
        }
        d += " /ItalicAngle ";
        put_real(d, italic);
        d += " /Ascent ";
        put_real(d, ff.ascent() * 1000);
        d += " /Descent ";
        put_real(d, -ff.descent() * 1000);
        d += " /CapHeight ";
        put_real(d, cap);
        d += " /StemV 80 /FontFile2 ";
        put_int(d, program_obj);
        d += " 0 R >>";
        file_.end();

        file_.stream(program_obj, "/Length1 " + std::to_string(program.size()), program);
        file_.stream(unicode, "", to_unicode_cmap(cmap));
    }

    File& file_;
    std::shared_ptr<const font::FontBook> book_;
    std::vector<std::unique_ptr<LoadedFont>> fonts_;
};

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
            fail_at(page_no, ": font " + lf.face->path() + " has no glyph for " + hex_code_point(cp) + " in \"" +
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
void page_text(std::string& out, const layout::Page& page, std::size_t page_no, FontSet& fonts,
               std::vector<LoadedFont*>& page_fonts) {
    const LoadedFont* cur_font = nullptr;
    double cur_size = -1;
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
            if (&lf != cur_font || run.size != cur_size) {
                out += lf.resource;
                out += ' ';
                put_number(out, run.size);
                out += " Tf\n";
                cur_font = &lf;
                cur_size = run.size;
                if (std::find(page_fonts.begin(), page_fonts.end(), &lf) == page_fonts.end()) page_fonts.push_back(&lf);
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
                if (next.face != run.face || next.size != run.size) break;
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

/// Writes one page object and its content stream; returns the page's object number.
int draw_page(File& file, int pages_obj, const layout::Page& page, std::size_t page_no, FontSet& fonts,
              std::string& content) {
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
    std::vector<LoadedFont*> page_fonts;
    const std::size_t text_at = content.size();
    content += "0 g\n";
    page_text(content, page, page_no, fonts, page_fonts);
    if (content.size() == text_at + 4) content.resize(text_at);

    const int page_obj = file.reserve(), contents = file.reserve();
    std::string& o = file.begin(page_obj);
    o += "<< /Type /Page /Parent ";
    put_int(o, pages_obj);
    o += " 0 R /MediaBox [0 0 ";
    put_real(o, page.width);
    o += ' ';
    put_real(o, page.height);
    o += "] /Resources << /Font << ";
    for (const LoadedFont* lf : page_fonts) {
        o += lf->resource;
        o += ' ';
        put_int(o, lf->object);
        o += " 0 R ";
    }
    o += ">> >> /Contents ";
    put_int(o, contents);
    o += " 0 R >>";
    file.end();
    file.stream(contents, "", content);
    return page_obj;
}

/// The outline (one level, in document order); returns its object number, or 0 when empty.
int write_bookmarks(File& file, const std::vector<layout::Bookmark>& bookmarks, const std::vector<layout::Page>& pages,
                    const std::vector<int>& page_objs) {
    if (bookmarks.empty()) return 0;
    const int root = file.reserve();
    std::vector<int> items;
    for (std::size_t i = 0; i < bookmarks.size(); ++i) items.push_back(file.reserve());
    for (std::size_t i = 0; i < bookmarks.size(); ++i) {
        const layout::Bookmark& b = bookmarks[i];
        if (b.page < 0 || static_cast<std::size_t>(b.page) >= pages.size())
            fail("bookmark \"" + b.title + "\" points to page " + std::to_string(b.page + 1) + " of " +
                 std::to_string(pages.size()));
        require_finite(b.y, "bookmark \"" + b.title + "\" y");
        const std::string title = text_string(b.title, "bookmark title");
        std::string& o = file.begin(items[i]);
        o += "<< /Title " + title + " /Parent ";
        put_int(o, root);
        o += " 0 R";
        if (i > 0) {
            o += " /Prev ";
            put_int(o, items[i - 1]);
            o += " 0 R";
        }
        if (i + 1 < items.size()) {
            o += " /Next ";
            put_int(o, items[i + 1]);
            o += " 0 R";
        }
        o += " /Dest [";
        put_int(o, page_objs[static_cast<std::size_t>(b.page)]);
        o += " 0 R /XYZ 0 ";
        put_real(o, pages[static_cast<std::size_t>(b.page)].height - b.y);
        o += " 0] >>";
        file.end();
    }
    std::string& o = file.begin(root);
    o += "<< /Type /Outlines /First ";
    put_int(o, items.front());
    o += " 0 R /Last ";
    put_int(o, items.back());
    o += " 0 R /Count ";
    put_int(o, static_cast<long long>(items.size()));
    o += " >>";
    file.end();
    return root;
}

void write_info(File& file, int info, const layout::Metadata& meta) {
    std::string dict = "<<";
    auto add = [&](const char* key, const std::string& value, const char* what) {
        if (value.empty()) return;
        dict += ' ';
        dict += key;
        dict += ' ';
        dict += text_string(value, what);
    };
    add("/Title", meta.title, "metadata title");
    add("/Author", meta.author, "metadata author");
    add("/Subject", meta.subject, "metadata subject");
    add("/Keywords", meta.keywords, "metadata keywords");
    dict += std::string(" /Creator (") + kCreator + ") /Producer (" + kProducer + ")";
    if (!meta.date.empty()) {
        const std::string date = pdf_date(meta.date);
        dict += " /CreationDate (" + date + ") /ModDate (" + date + ")";
    }
    dict += " >>";
    file.begin(info) += dict;
    file.end();
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

Rendered render_pdf(const layout::PagedDocument& doc) {
    if (doc.pages.empty()) fail("the document has no pages");
    File file;
    const int catalog = file.reserve(), pages_obj = file.reserve(), info = file.reserve();
    FontSet fonts(file, doc.fonts);
    // Metadata first: a bad date fails before any page is drawn.
    write_info(file, info, doc.meta);

    std::vector<int> page_objs;
    page_objs.reserve(doc.pages.size());
    std::string content;
    for (std::size_t i = 0; i < doc.pages.size(); ++i)
        page_objs.push_back(draw_page(file, pages_obj, doc.pages[i], i, fonts, content));

    std::string& p = file.begin(pages_obj);
    p += "<< /Type /Pages /Kids [";
    for (std::size_t i = 0; i < page_objs.size(); ++i) {
        if (i) p += ' ';
        put_int(p, page_objs[i]);
        p += " 0 R";
    }
    p += "] /Count ";
    put_int(p, static_cast<long long>(page_objs.size()));
    p += " >>";
    file.end();

    const int outlines = write_bookmarks(file, doc.bookmarks, doc.pages, page_objs);
    fonts.write();

    std::string& c = file.begin(catalog);
    c += "<< /Type /Catalog /Pages ";
    put_int(c, pages_obj);
    c += " 0 R /Lang (vi)";
    if (outlines) {
        c += " /Outlines ";
        put_int(c, outlines);
        c += " 0 R /PageMode /UseOutlines";
    }
    c += " >>";
    file.end();

    Rendered out;
    out.fonts = fonts.report();
    out.bytes = file.finish(catalog, info);
    return out;
}

WriteResult write_pdf(const layout::PagedDocument& doc, const std::string& path) {
    Rendered rendered;
    try {
        rendered = render_pdf(doc);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error("PDF " + path + ": " + e.what());
    }
    write_file_atomically(rendered.bytes, path);
    return WriteResult{std::move(rendered.fonts)};
}

}  // namespace vanban::pdf

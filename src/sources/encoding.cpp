#include "sources/encoding.hpp"

#include <iconv.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/diagnostic.hpp"
#include "sources/json_text.hpp"
#include "vntext/vntext.hpp"

namespace vanban::sources {

namespace {

constexpr std::size_t npos = std::string::npos;

/// Windows-1252 bytes 0x80..0x9F (0: undefined). Word and Excel show a legacy
/// file's bytes through this table when they take it for Western text.
constexpr char32_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

/// The byte Windows-1252 shows as `cp`, or -1.
int cp1252_byte(char32_t cp) {
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return static_cast<int>(cp);
    for (int i = 0; i < 32; ++i)
        if (kCp1252High[i] == cp) return 0x80 + i;
    return -1;
}

// VNI (VNI-Windows fonts): a vowel is typed as its base letter followed by a
// byte for its marks; ơ, ư, đ and the toned i and y are single bytes.
// Lower-case bytes, then their upper-case counterparts (the byte minus 0x20).
struct VniByte {
    unsigned char byte;
    const char32_t* text;  // the letter, or the combining marks it adds
};
constexpr VniByte kVni[] = {
    // tones alone: sắc, huyền, hỏi, ngã, nặng
    {0xF9, U"\u0301"}, {0xF8, U"\u0300"}, {0xFB, U"\u0309"}, {0xF5, U"\u0303"}, {0xEF, U"\u0323"},
    // circumflex (â ê ô), alone and with each tone
    {0xE2, U"\u0302"}, {0xE1, U"\u0302\u0301"}, {0xE0, U"\u0302\u0300"}, {0xE5, U"\u0302\u0309"},
    {0xE3, U"\u0302\u0303"}, {0xE4, U"\u0302\u0323"},
    // breve (ă), alone and with each tone
    {0xEA, U"\u0306"}, {0xE9, U"\u0306\u0301"}, {0xE8, U"\u0306\u0300"}, {0xFA, U"\u0306\u0309"},
    {0xFC, U"\u0306\u0303"}, {0xEB, U"\u0306\u0323"},
    // single letters: ơ ư đ í ì ỉ ĩ ị ỵ
    {0xF4, U"\u01A1"}, {0xF6, U"\u01B0"}, {0xF1, U"\u0111"}, {0xED, U"\u00ED"}, {0xEC, U"\u00EC"},
    {0xE6, U"\u1EC9"}, {0xF3, U"\u0129"}, {0xF2, U"\u1ECB"}, {0xEE, U"\u1EF5"},
};
constexpr VniByte kVniUpper[] = {
    {0xF4, U"\u01A0"}, {0xF6, U"\u01AF"}, {0xF1, U"\u0110"}, {0xED, U"\u00CD"}, {0xEC, U"\u00CC"},
    {0xE6, U"\u1EC8"}, {0xF3, U"\u0128"}, {0xF2, U"\u1ECA"}, {0xEE, U"\u1EF4"},
};

/// The text of one VNI byte (>= 0x80), or nullptr when VNI does not define it.
const char32_t* vni_text(unsigned char b, char32_t& single) {
    for (const auto& v : kVniUpper)
        if (v.byte - 0x20 == b) return v.text;
    for (const auto& v : kVni) {
        if (v.byte == b) return v.text;
        // the upper-case mark bytes combine exactly as the lower-case ones
        if (v.byte - 0x20 == b && (v.text[0] >= 0x0300 && v.text[0] <= 0x036F)) return v.text;
    }
    // Other bytes are the Windows-1252 characters of the font.
    single = b >= 0xA0 ? b : kCp1252High[b - 0x80];
    return nullptr;
}

std::string from_vni(std::string_view bytes, std::size_t* bad) {
    std::u32string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x80) {
            out.push_back(b);
            continue;
        }
        char32_t single = 0;
        if (const char32_t* t = vni_text(b, single)) {
            out += t;
        } else if (single) {
            out.push_back(single);
        } else {
            out.push_back(0xFFFD);
            if (bad && *bad == npos) *bad = i;
        }
    }
    return vntext::nfc(vntext::encode(out));
}

std::string from_iconv(std::string_view bytes, const char* charset, std::size_t* bad) {
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == reinterpret_cast<iconv_t>(-1))
        throw std::runtime_error(tx("iconv cannot convert from {}", charset));
    std::string out;
    std::vector<char> buf(bytes.size() * 4 + 16);
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    auto drain = [&](char* end) { out.append(buf.data(), static_cast<std::size_t>(end - buf.data())); };
    while (true) {
        char* o = buf.data();
        std::size_t o_left = buf.size();
        std::size_t r = in_left ? iconv(cd, &in, &in_left, &o, &o_left) : iconv(cd, nullptr, nullptr, &o, &o_left);
        drain(o);
        if (r != static_cast<std::size_t>(-1)) {
            if (in_left == 0) {
                char* f = buf.data();
                std::size_t f_left = buf.size();
                iconv(cd, nullptr, nullptr, &f, &f_left);  // a letter held back for a following mark
                drain(f);
                break;
            }
            continue;
        }
        if (errno == E2BIG) continue;
        // EILSEQ or EINVAL: a byte the table does not define
        if (bad && *bad == npos) *bad = static_cast<std::size_t>(in - bytes.data());
        out += "\xEF\xBF\xBD";
        ++in, --in_left;
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
    }
    iconv_close(cd);
    return vntext::nfc(out);
}

/// A word of the text: a run of letters and of the Latin-1 and Windows-1252
/// characters a legacy encoding uses for letters.
struct Word {
    std::size_t begin, end;
};

bool word_char(char32_t cp) {
    if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    switch (cp) {
        case 0x00A0: case 0x2018: case 0x2019: case 0x201C: case 0x201D: case 0x2013: case 0x2014:
        case 0x2026: case 0x2022: case 0xFEFF: return false;
        default: return true;
    }
}

std::vector<Word> words(std::string_view text) {
    std::vector<Word> out;
    std::size_t i = 0, start = npos;
    while (i < text.size()) {
        std::size_t at = i;
        char32_t cp = vntext::next_code_point(text, i);
        if (word_char(cp)) {
            if (start == npos) start = at;
        } else if (start != npos) {
            out.push_back({start, at});
            start = npos;
        }
    }
    if (start != npos) out.push_back({start, text.size()});
    return out;
}

bool has_non_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return true;
    return false;
}

/// A word worth testing for pasted legacy text: letters beyond ASCII, and
/// some ASCII letter (a lone "«" or "°" is a symbol, not a word).
bool mixed_word(std::string_view s) {
    bool ascii_letter = false;
    for (char c : s) ascii_letter = ascii_letter || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return ascii_letter && has_non_ascii(s);
}

/// True when every character of `text` is one Windows-1252 shows.
bool shown_by_cp1252(std::string_view text) {
    for (std::size_t i = 0; i < text.size();)
        if (cp1252_byte(vntext::next_code_point(text, i)) < 0) return false;
    return true;
}

/// The bytes Windows-1252 shows as `text`, or nullopt.
std::optional<std::string> cp1252_bytes(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        int b = cp1252_byte(vntext::next_code_point(text, i));
        if (b < 0) return std::nullopt;
        out.push_back(static_cast<char>(b));
    }
    return out;
}

/// Latin-1 characters that no Vietnamese word holds (¤, §, Þ, ×, Ö, ñ …).
bool foreign_latin1(std::string_view word) {
    static const std::u32string_view vietnamese = U"ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý";
    for (char32_t cp : vntext::decode(word))
        if (cp >= 0xA1 && cp <= 0xFF && vietnamese.find(cp) == std::u32string_view::npos) return true;
    return false;
}

constexpr Encoding kLegacy[] = {Encoding::tcvn3, Encoding::vni, Encoding::cp1258};

/// How much more like Vietnamese `text` reads: syllables minus non-syllables
/// among its words with letters beyond ASCII.
int vietnamese_score(std::string_view text) {
    int score = 0;
    for (const Word& w : words(text)) {
        std::string_view s = text.substr(w.begin, w.end - w.begin);
        if (has_non_ascii(s)) score += vntext::is_syllable(s) ? 1 : -1;
    }
    return score;
}

/// The line of `text` holding byte `at`, trimmed and shortened for a message.
std::string line_at(std::string_view text, std::size_t at) {
    std::size_t b = text.rfind('\n', at == 0 ? 0 : at - 1);
    b = b == npos ? 0 : b + 1;
    if (at < b) b = at;
    std::size_t e = text.find('\n', at);
    if (e == npos) e = text.size();
    std::string_view line = text.substr(b, e - b);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    return vntext::excerpt(line, 72);
}

std::string hex_byte(unsigned char b) {
    char s[8];
    std::snprintf(s, sizeof s, "0x%02X", b);
    return s;
}

/// Text that is not UTF-8: name the legacy encoding it reads as, if one does.
[[noreturn]] void refuse_not_utf8(std::string_view text, std::size_t bad, const std::string& file) {
    std::string_view sample = text.substr(0, 1 << 18);
    int best = 0;
    std::vector<Encoding> found;
    for (Encoding e : kLegacy) {
        int s = vietnamese_score(from_legacy(sample, e));
        if (s > best) best = s, found = {e};
        else if (s == best && s > 0) found.push_back(e);
    }
    const std::string byte = hex_byte(static_cast<unsigned char>(text[bad]));
    if (found.size() == 1) {
        const Encoding e = found[0];
        // Line ends are the same bytes in every one of these encodings.
        std::string converted = from_legacy(text, e);
        const TextPos pos = line_column(text, bad);
        std::size_t line_start = 0;
        for (int l = 1; l < pos.line && line_start != npos; ++l) {
            line_start = converted.find('\n', line_start);
            if (line_start != npos) ++line_start;
        }
        const std::string reads = line_start == npos ? "" : line_at(converted, line_start);
        if (reads.empty())
            throw InputError(file, pos,
                             tr("legacy-encoding", "invalid UTF-8 (byte {}): the file is written in the legacy Vietnamese encoding {}; "
                                                   "convert it with --input-encoding {}, or open it and save it again as UTF-8 (Unicode)",
                                byte, encoding_title(e), encoding_flag(e)));
        throw InputError(file, pos,
                         tr("legacy-encoding", "invalid UTF-8 (byte {}): the file is written in the legacy Vietnamese encoding {} "
                                               "(converted, the line reads: {}); convert it with --input-encoding {}, or open it and "
                                               "save it again as UTF-8 (Unicode)",
                            byte, encoding_title(e), reads, encoding_flag(e)));
    }
    throw InputError(file, line_column(text, bad),
                     tr("invalid-utf8", "invalid UTF-8 (byte {}): save the file as UTF-8 (Unicode); if it was typed with a legacy "
                                        "Vietnamese font, convert it with --input-encoding cp1258, tcvn3 or vni", byte));
}

/// Valid UTF-8 holding words that are TCVN3, VNI or Windows-1258 text shown
/// as Windows-1252 characters ("NguyÔn ThÞ Hoa"): refused at the first one.
void refuse_pasted_legacy(std::string_view text, const std::string& file) {
    struct Hit {
        Word w;
        std::string converted;
    };
    std::vector<Hit> hits[3];
    bool strong[3] = {false, false, false};
    std::unordered_map<std::string_view, bool> syllable;
    for (const Word& w : words(text)) {
        std::string_view s = text.substr(w.begin, w.end - w.begin);
        // Most Vietnamese words hold a letter Windows-1252 lacks (ư, ơ, ạ …):
        // those are ruled out before the dearer syllable test.
        if (!mixed_word(s) || !shown_by_cp1252(s)) continue;
        // Words repeat: each distinct one is tested once.
        auto known = syllable.find(s);
        if (known == syllable.end()) known = syllable.emplace(s, vntext::is_syllable(s)).first;
        if (known->second) continue;
        auto bytes = cp1252_bytes(s);
        for (int k = 0; k < 3; ++k) {
            std::string c = from_legacy(*bytes, kLegacy[k]);
            if (c == s || !vntext::is_syllable(c)) continue;
            hits[k].push_back({w, std::move(c)});
            strong[k] = strong[k] || foreign_latin1(s);
        }
    }
    int k = -1;
    for (int i = 0; i < 3; ++i)
        if ((hits[i].size() >= 2 || strong[i]) && (k < 0 || hits[i].size() > hits[k].size())) k = i;
    if (k < 0) return;
    const std::vector<Hit>& h = hits[k];
    // The words on the first hit's line, from the first hit to the last.
    std::size_t line_end = text.find('\n', h[0].w.begin);
    if (line_end == npos) line_end = text.size();
    std::size_t last = 0;
    while (last + 1 < h.size() && h[last + 1].w.begin < line_end) ++last;
    std::string as_written(text.substr(h[0].w.begin, h[last].w.end - h[0].w.begin)), reads;
    std::size_t at = h[0].w.begin;
    for (std::size_t i = 0; i <= last; ++i) {
        reads += text.substr(at, h[i].w.begin - at);
        reads += h[i].converted;
        at = h[i].w.end;
    }
    const std::size_t more = h.size() - (last + 1);
    throw InputError(file, line_column(text, h[0].w.begin),
                     more ? tr("legacy-text-pasted", "the text \"{}\" is {} text pasted into a UTF-8 file (it reads \"{}\") and {} more "
                                                     "word(s) like it; type it again in Unicode, or convert it to Unicode (e.g. with "
                                                     "Unikey's converter) before pasting it",
                               as_written, encoding_title(kLegacy[k]), reads, more)
                          : tr("legacy-text-pasted", "the text \"{}\" is {} text pasted into a UTF-8 file (it reads \"{}\"); type it "
                                                     "again in Unicode, or convert it to Unicode (e.g. with Unikey's converter) before "
                                                     "pasting it",
                               as_written, encoding_title(kLegacy[k]), reads));
}

std::string from_utf16(std::string_view raw, bool little, const std::string& file) {
    std::string out;
    out.reserve(raw.size());
    auto unit = [&](std::size_t i) {
        auto a = static_cast<unsigned char>(raw[i]), b = static_cast<unsigned char>(raw[i + 1]);
        return static_cast<char32_t>(little ? (b << 8 | a) : (a << 8 | b));
    };
    std::size_t i = 2;
    for (; i + 1 < raw.size(); i += 2) {
        char32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < raw.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) <= 0xDFFF) {
            u = 0x10000 + ((u - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
            i += 2;
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            throw InputError(file, line_column(out, out.size()),
                             tr("utf16-broken", "the file is UTF-16 ({}-endian) but holds a broken character (a lone surrogate); "
                                                "save it again as UTF-8", little ? "little" : "big"));
        }
        vntext::append_utf8(out, u);
    }
    if (i < raw.size())
        throw InputError(file, line_column(out, out.size()),
                         tr("utf16-broken", "the file is UTF-16 but ends in the middle of a character (an odd number of bytes); "
                                            "it was cut short: save it again as UTF-8"));
    return out;
}

}  // namespace

std::optional<Encoding> encoding_named(std::string_view name) {
    if (name == "utf8" || name == "utf-8") return Encoding::utf8;
    if (name == "cp1258" || name == "windows-1258") return Encoding::cp1258;
    if (name == "tcvn3" || name == "abc") return Encoding::tcvn3;
    if (name == "vni") return Encoding::vni;
    return std::nullopt;
}

const char* encoding_title(Encoding e) {
    switch (e) {
        case Encoding::cp1258: return "Windows-1258";
        case Encoding::tcvn3: return "TCVN3 (ABC)";
        case Encoding::vni: return "VNI";
        default: return "UTF-8";
    }
}

const char* encoding_flag(Encoding e) {
    switch (e) {
        case Encoding::cp1258: return "cp1258";
        case Encoding::tcvn3: return "tcvn3";
        case Encoding::vni: return "vni";
        default: return "utf8";
    }
}

std::string from_legacy(std::string_view bytes, Encoding e, std::size_t* bad) {
    if (bad) *bad = npos;
    switch (e) {
        case Encoding::cp1258: return from_iconv(bytes, "CP1258", bad);
        case Encoding::tcvn3: return from_iconv(bytes, "TCVN5712-1", bad);
        case Encoding::vni: return from_vni(bytes, bad);
        default: return std::string(bytes);
    }
}

std::string text_of(std::string_view raw, const std::string& file, Encoding declared) {
    if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0xFF && static_cast<unsigned char>(raw[1]) == 0xFE)
        return from_utf16(raw, true, file);
    if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0xFE && static_cast<unsigned char>(raw[1]) == 0xFF)
        return from_utf16(raw, false, file);
    if (raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
    if (declared != Encoding::utf8 && !(has_non_ascii(raw) && !vntext::find_invalid_utf8(raw))) {
        // A file that is valid UTF-8 beyond ASCII is taken as UTF-8 even so (a
        // template kept in UTF-8 beside legacy data): legacy Vietnamese text
        // never pairs all its letters into UTF-8 sequences.
        std::size_t bad = npos;
        std::string out = from_legacy(raw, declared, &bad);
        if (bad != npos)
            throw InputError(file, line_column(raw, bad),
                             tr("encoding-byte", "the byte {} is not a character of {} (--input-encoding {}); check which encoding "
                                                 "the file is in, or save it as UTF-8",
                                hex_byte(static_cast<unsigned char>(raw[bad])), encoding_title(declared), encoding_flag(declared)));
        return out;
    }
    if (auto bad = vntext::find_invalid_utf8(raw)) refuse_not_utf8(raw, *bad, file);
    refuse_pasted_legacy(raw, file);
    return std::string(raw);
}

}  // namespace vanban::sources

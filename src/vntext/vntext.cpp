// vanban_vntext: see the module header.
//
// UTF-8 handling is done here directly (decoding is on the hot path of every
// line of text); utf8proc supplies normalisation, case tables and categories.
#include "vntext/vntext.hpp"

#include <utf8proc.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace vanban::vntext {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

/// Decodes one code point starting at s[i]. On success returns the number of
/// bytes consumed and sets cp. On failure returns the negated length of the
/// maximal ill-formed prefix (at least 1), so that decoding can resume after it.
inline int next_code_point(std::string_view s, std::size_t i, char32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    int len;
    char32_t value;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        value = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        value = b0 & 0x0F;
        if (b0 == 0xE0) lo = 0xA0;        // overlong
        else if (b0 == 0xED) hi = 0x9F;   // surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        value = b0 & 0x07;
        if (b0 == 0xF0) lo = 0x90;        // overlong
        else if (b0 == 0xF4) hi = 0x8F;   // above U+10FFFF
    } else {
        return -1;  // stray continuation byte, C0/C1 (overlong) or F5..FF
    }
    const std::size_t n = s.size();
    for (int k = 1; k < len; ++k) {
        if (i + k >= n) return -k;
        const auto b = static_cast<unsigned char>(s[i + k]);
        if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) return -k;
        value = (value << 6) | (b & 0x3F);
    }
    cp = value;
    return len;
}

/// Calls f(code point) for every code point of s; ill-formed sequences are
/// reported as U+FFFD (one per maximal ill-formed subsequence).
template <class F>
inline void for_each_code_point(std::string_view s, F&& f) {
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        char32_t cp;
        const int r = next_code_point(s, i, cp);
        if (r > 0) {
            f(cp);
            i += static_cast<std::size_t>(r);
        } else {
            f(kReplacement);
            i += static_cast<std::size_t>(-r);
        }
    }
}

inline bool is_ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

/// True when a code point can never take part in canonical composition or
/// reordering, so a string made only of such code points is already NFC.
/// Covers ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers,
/// Latin Extended Additional (all precomposed Vietnamese letters) and the
/// common punctuation U+2010..U+2027.
inline bool nfc_inert(char32_t cp) {
    return cp < 0x300 || (cp >= 0x1E00 && cp < 0x1F00) || (cp >= 0x2010 && cp < 0x2028);
}

inline bool is_letter(char32_t cp) {
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
        case UTF8PROC_CATEGORY_LU:
        case UTF8PROC_CATEGORY_LL:
        case UTF8PROC_CATEGORY_LT:
        case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_LO:
            return true;
        default:
            return false;
    }
}

inline bool is_number(char32_t cp) {
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
        case UTF8PROC_CATEGORY_ND:
        case UTF8PROC_CATEGORY_NL:
        case UTF8PROC_CATEGORY_NO:
            return true;
        default:
            return false;
    }
}

inline bool is_mark(char32_t cp) {
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
        case UTF8PROC_CATEGORY_MN:
        case UTF8PROC_CATEGORY_MC:
        case UTF8PROC_CATEGORY_ME:
            return true;
        default:
            return false;
    }
}

/// True when no code point of valid UTF-8 `s` can change under NFC.
bool all_nfc_inert(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        if (!nfc_inert(vntext::next_code_point(s, i))) return false;
    }
    return true;
}

/// NFC of a string that is known to be valid UTF-8.
std::string nfc_valid(std::string_view s);

/// The same, keeping the string itself when NFC leaves it as it is.
std::string nfc_valid(std::string&& s) {
    if (all_nfc_inert(s)) return std::move(s);
    return nfc_valid(std::string_view(s));
}

std::string nfc_valid(std::string_view s) {
    if (all_nfc_inert(s)) return std::string(s);

    utf8proc_uint8_t* out = nullptr;
    const utf8proc_ssize_t len = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
        &out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (len < 0 || out == nullptr) {
        std::free(out);
        return std::string(s);
    }
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> holder(out, &std::free);
    return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
}

/// Valid UTF-8 copy of s (ill-formed sequences replaced by U+FFFD).
std::string sanitize(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    for_each_code_point(s, [&](char32_t cp) { append_utf8(out, cp); });
    return out;
}

enum class Case { upper, lower };

/// utf8proc's simple case mapping of `cp`; the code points below U+2000
/// (Latin with the Vietnamese letters, Greek, Cyrillic) come from tables
/// filled from utf8proc once.
char32_t mapped(char32_t cp, Case which) {
    constexpr char32_t kTabled = 0x2000;
    using Table = std::array<char32_t, kTabled>;
    auto fill = [](Case c) {
        Table t{};
        for (char32_t k = 0; k < kTabled; ++k) {
            const auto v = static_cast<utf8proc_int32_t>(k);
            t[k] = static_cast<char32_t>(c == Case::upper ? utf8proc_toupper(v) : utf8proc_tolower(v));
        }
        return t;
    };
    if (cp < kTabled) {
        static const Table upper_table = fill(Case::upper), lower_table = fill(Case::lower);
        return (which == Case::upper ? upper_table : lower_table)[cp];
    }
    const auto v = static_cast<utf8proc_int32_t>(cp);
    return static_cast<char32_t>(which == Case::upper ? utf8proc_toupper(v) : utf8proc_tolower(v));
}

std::string map_case(std::string_view s, Case which) {
    // The output is the input's length give or take a few bytes: it is
    // written through a pointer into a buffer grown when needed.
    std::string out(s.size() + 8, '\0');
    std::size_t n = 0;
    const char from = which == Case::upper ? 'a' : 'A', to = which == Case::upper ? 'A' : 'a';
    for (std::size_t i = 0; i < s.size();) {
        if (out.size() < n + 8) out.resize(out.size() * 2);
        const char c = s[i];
        if (static_cast<unsigned char>(c) < 0x80) {
            out[n++] = c >= from && c <= from + 25 ? static_cast<char>(c - from + to) : c;
            ++i;
            continue;
        }
        char32_t cp = mapped(vntext::next_code_point(s, i), which);
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
        if (cp < 0x800) {
            out[n++] = static_cast<char>(cp < 0x80 ? cp : 0xC0 | (cp >> 6));
            if (cp >= 0x80) out[n++] = static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[n++] = static_cast<char>(0xE0 | (cp >> 12));
            out[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out[n++] = static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out[n++] = static_cast<char>(0xF0 | (cp >> 18));
            out[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out[n++] = static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    out.resize(n);
    return nfc_valid(std::move(out));
}

}  // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view s) {
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        // Byte by byte: Vietnamese text has a letter beyond ASCII every few
        // bytes, so skipping eight ASCII bytes at a time seldom pays.
        char32_t cp;
        if (const int common = next_code_point_common(s, i, cp)) {
            i += static_cast<std::size_t>(common);
            continue;
        }
        const int r = next_code_point(s, i, cp);
        if (r < 0) return i;
        i += static_cast<std::size_t>(r);
    }
    return std::nullopt;
}

std::u32string decode(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for_each_code_point(s, [&](char32_t cp) { out.push_back(cp); });
    return out;
}

char32_t next_code_point_multibyte(std::string_view s, std::size_t& i) {
    char32_t cp;
    const int r = next_code_point(s, i, cp);
    if (r > 0) {
        i += static_cast<std::size_t>(r);
        return cp;
    }
    i += static_cast<std::size_t>(-r);
    return kReplacement;
}

std::string code_point_number(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return buf;
}

std::string code_point_name(char32_t cp) {
    std::string s = code_point_number(cp);
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0xD800 && cp < 0xE000) || cp > 0x10FFFF) return s;
    s += " \"";
    append_utf8(s, cp);
    return s + "\"";
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string encode(std::u32string_view s) {
    std::string out;
    out.reserve(s.size() + s.size() / 2);
    for (char32_t cp : s) append_utf8(out, cp);
    return out;
}

std::vector<std::size_t> grapheme_breaks(std::string_view s) {
    std::vector<std::size_t> out;
    utf8proc_int32_t state = 0;
    char32_t prev = 0;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t at = i;
        const char32_t cp = next_code_point(s, i);
        if (at > 0 && utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(prev),
                                                       static_cast<utf8proc_int32_t>(cp), &state))
            out.push_back(at);
        prev = cp;
    }
    return out;
}

std::string nfc(std::string_view s) {
    if (is_ascii(s)) return std::string(s);
    if (find_invalid_utf8(s)) return nfc_valid(sanitize(s));
    return nfc_valid(s);
}

std::string nfc_of_valid(std::string_view s) { return nfc_valid(s); }

std::string upper(std::string_view s) { return map_case(s, Case::upper); }

std::string lower(std::string_view s) { return map_case(s, Case::lower); }

bool lower_equals(std::string_view s, std::string_view lowered) {
    std::size_t i = 0, j = 0;
    while (i < s.size() && j < lowered.size()) {
        const auto a = static_cast<unsigned char>(s[i]);
        if (a < 0x80) {
            const char c = a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : static_cast<char>(a);
            if (c != lowered[j]) return false;
            ++i, ++j;
            continue;
        }
        const char32_t cs = vntext::next_code_point(s, i), cl = vntext::next_code_point(lowered, j);
        if (cs != cl && mapped(cs, Case::lower) != cl) return false;
    }
    return i == s.size() && j == lowered.size();
}

std::string capitalize_first(std::string_view s) {
    // Find the first letter or digit; everything before it (spaces, quotes,
    // brackets, punctuation) is kept. A leading digit means nothing changes.
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        char32_t cp;
        const int r = next_code_point(s, i, cp);
        if (r < 0) {
            i += static_cast<std::size_t>(-r);
            continue;
        }
        if (is_number(cp)) return nfc(s);
        if (is_letter(cp)) {
            std::string out;
            out.reserve(n + 2);
            out.append(s.substr(0, i));
            append_utf8(out, static_cast<char32_t>(utf8proc_totitle(static_cast<utf8proc_int32_t>(cp))));
            out.append(s.substr(i + static_cast<std::size_t>(r)));
            if (cp < 0x80 && is_ascii(s)) return out;
            return nfc(out);
        }
        i += static_cast<std::size_t>(r);
    }
    return nfc(s);
}

std::string format_int(long long v) {
    // Work on the magnitude as unsigned so that LLONG_MIN is handled.
    unsigned long long mag = v < 0 ? 0ULL - static_cast<unsigned long long>(v)
                                   : static_cast<unsigned long long>(v);
    char buf[40];
    int pos = sizeof buf;
    int digits = 0;
    do {
        if (digits > 0 && digits % 3 == 0) buf[--pos] = '.';
        buf[--pos] = static_cast<char>('0' + mag % 10);
        mag /= 10;
        ++digits;
    } while (mag != 0);
    if (v < 0) buf[--pos] = '-';
    return std::string(buf + pos, sizeof buf - static_cast<std::size_t>(pos));
}

std::string format_decimal_string(std::string_view plain) {
    std::string out;
    out.reserve(plain.size() + plain.size() / 3 + 1);
    std::size_t i = 0;
    if (!plain.empty() && (plain[0] == '-' || plain[0] == '+')) {
        if (plain[0] == '-') out.push_back('-');
        i = 1;
    }
    const std::size_t point = plain.find('.', i);
    const std::string_view int_part =
        plain.substr(i, point == std::string_view::npos ? std::string_view::npos : point - i);
    bool all_digits = true;
    for (char c : int_part)
        if (c < '0' || c > '9') all_digits = false;
    if (all_digits) {
        const std::size_t len = int_part.size();
        for (std::size_t k = 0; k < len; ++k) {
            if (k > 0 && (len - k) % 3 == 0) out.push_back('.');
            out.push_back(int_part[k]);
        }
    } else {
        out.append(int_part);
    }
    if (point != std::string_view::npos) {
        out.push_back(',');
        out.append(plain.substr(point + 1));
    }
    return out;
}

std::string format_day(int day) {
    if (day >= 0 && day < 10) return std::string{'0', static_cast<char>('0' + day)};
    return std::to_string(day);
}

std::string format_month(int month) {
    if (month == 1 || month == 2) return std::string{'0', static_cast<char>('0' + month)};
    return std::to_string(month);
}

std::string date_phrase(int year, std::optional<int> month, std::optional<int> day) {
    // A missing day or month leaves six spaces between the words, wide enough
    // to write the number by hand on the printed draft.
    constexpr std::string_view blank = "    ";
    std::string out = "ngày ";
    if (day) out += format_day(*day);
    else out += blank;
    out += " tháng ";
    if (month) out += format_month(*month);
    else out += blank;
    out += " năm ";
    out += std::to_string(year);
    return out;
}

bool valid_date(int year, int month, int day) {
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    static constexpr int days_in_month[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max_day = days_in_month[month - 1];
    if (month == 2) {
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        if (leap) max_day = 29;
    }
    return day <= max_day;
}

std::string roman(int n) {
    if (n < 1 || n > 3999) return std::to_string(n);
    static constexpr struct {
        int value;
        const char* symbol;
    } table[] = {{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"},
                 {50, "L"},   {40, "XL"},  {10, "X"},  {9, "IX"},   {5, "V"},   {4, "IV"},
                 {1, "I"}};
    std::string out;
    for (const auto& entry : table) {
        while (n >= entry.value) {
            out += entry.symbol;
            n -= entry.value;
        }
    }
    return out;
}

std::string point_letter(int index) {
    static constexpr const char* letters[] = {"a", "b", "c", "d", "đ", "e", "g", "h",
                                              "i", "k", "l", "m", "n", "o", "p", "q",
                                              "r", "s", "t", "u", "v", "x", "y"};
    constexpr int count = static_cast<int>(sizeof letters / sizeof letters[0]);
    if (index < 0) return std::to_string(index);
    const std::string_view letter = letters[index % count];
    const int repeat = index / count + 1;
    std::string out;
    out.reserve(letter.size() * static_cast<std::size_t>(repeat));
    for (int k = 0; k < repeat; ++k) out.append(letter);
    return out;
}

std::string ascii_slug(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending_dash = false;
    auto put = [&](char c) {
        if (pending_dash && !out.empty()) out.push_back('-');
        pending_dash = false;
        out.push_back(c);
    };
    auto put_ascii = [&](char32_t cp) {
        if (cp >= 'A' && cp <= 'Z') put(static_cast<char>(cp - 'A' + 'a'));
        else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) put(static_cast<char>(cp));
        else pending_dash = true;
    };
    for_each_code_point(s, [&](char32_t cp) {
        if (cp < 0x80) {
            put_ascii(cp);
            return;
        }
        // đ Đ (and the look-alike Ð) have no decomposition: map them by hand.
        if (cp == 0x0111 || cp == 0x0110 || cp == 0x00D0 || cp == 0x00F0) {
            put('d');
            return;
        }
        if (is_mark(cp)) return;  // a combining mark of NFD input
        utf8proc_int32_t parts[32];
        int boundclass = 0;
        const utf8proc_ssize_t k = utf8proc_decompose_char(
            static_cast<utf8proc_int32_t>(cp), parts, 32,
            static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK), &boundclass);
        if (k <= 0 || k > 32) {
            pending_dash = true;
            return;
        }
        bool any = false;
        for (utf8proc_ssize_t j = 0; j < k; ++j) {
            if (parts[j] < 0x80) {
                put_ascii(static_cast<char32_t>(parts[j]));
                any = true;
            }
        }
        if (!any) pending_dash = true;
    });
    return out;
}

std::size_t display_width(std::string_view s) {
    std::size_t w = 0;
    for (char32_t cp : decode(s)) {
        const int c = utf8proc_charwidth(static_cast<utf8proc_int32_t>(cp));
        w += c > 0 ? static_cast<std::size_t>(c) : 0;
    }
    return w;
}

std::string excerpt(std::string_view s, std::size_t max_chars) {
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == max_chars) return std::string(s.substr(0, i)) + "…";
    return std::string(s);
}

}  // namespace vanban::vntext

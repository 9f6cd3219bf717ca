// vanban_vntext: is_syllable (see the module header).
#include <utf8proc.h>

#include <array>
#include <string_view>

#include "vntext/vntext.hpp"

namespace vanban::vntext {

namespace {

// Letters are kept as one char32_t each, lower case, without tone:
// a ă â b c d đ e ê … o ô ơ … u ư … y.
constexpr char32_t a_breve = 0x0103, a_circ = 0x00E2, e_circ = 0x00EA, o_circ = 0x00F4, o_horn = 0x01A1,
                   u_horn = 0x01B0, d_bar = 0x0111;

bool is_vowel(char32_t c) {
    return c == 'a' || c == a_breve || c == a_circ || c == 'e' || c == e_circ || c == 'i' || c == 'o' ||
           c == o_circ || c == o_horn || c == 'u' || c == u_horn || c == 'y';
}

// The initial consonants, the vowel nuclei and the final consonants of
// Vietnamese syllables, written with the letters above.
constexpr std::array<std::u32string_view, 27> kInitials = {
    U"ngh", U"ng", U"gh", U"gi", U"ch", U"kh", U"nh", U"ph", U"qu", U"th", U"tr", U"b", U"c", U"d",
    U"đ", U"g", U"h", U"k", U"l", U"m", U"n", U"p", U"r", U"s", U"t", U"v", U"x"};
constexpr std::array<std::u32string_view, 54> kNuclei = {
    U"a", U"ă", U"â", U"e", U"ê", U"i", U"o", U"ô", U"ơ", U"u", U"ư", U"y",
    U"ai", U"ao", U"au", U"ay", U"âu", U"ây", U"eo", U"êu", U"ia", U"iê", U"iu", U"oa", U"oă", U"oe",
    U"oi", U"ôi", U"ơi", U"oo", U"ua", U"uâ", U"uê", U"ui", U"uô", U"uơ", U"uy", U"ưa", U"ưi", U"ươ",
    U"ưu", U"yê", U"oai", U"oay", U"oeo", U"uây", U"uôi", U"uya", U"uyê", U"uyu", U"ươi", U"ươu", U"iêu", U"yêu"};
// Nuclei that end in a glide (or are ia, ưa, ua) take no final consonant.
constexpr std::array<std::u32string_view, 28> kOpenNuclei = {
    U"ai", U"ao", U"au", U"ay", U"âu", U"ây", U"eo", U"êu", U"iu", U"oi", U"ôi", U"ơi", U"ui", U"ưi",
    U"ưu", U"oai", U"oay", U"oeo", U"uây", U"uôi", U"ươi", U"ươu", U"iêu", U"yêu", U"uyu", U"ia", U"ưa", U"ua"};
constexpr std::array<std::u32string_view, 9> kFinals = {U"", U"c", U"ch", U"m", U"n", U"ng", U"nh", U"p", U"t"};

template <std::size_t N>
bool listed(const std::array<std::u32string_view, N>& list, std::u32string_view s) {
    for (auto x : list)
        if (x == s) return true;
    return false;
}

/// Vowel nucleus, then a final consonant.
bool rime(std::u32string_view s) {
    std::size_t v = 0;
    while (v < s.size() && is_vowel(s[v])) ++v;
    if (v == 0) return false;
    std::u32string_view nucleus = s.substr(0, v), final = s.substr(v);
    return listed(kNuclei, nucleus) && listed(kFinals, final) && (final.empty() || !listed(kOpenNuclei, nucleus));
}

}  // namespace

bool is_syllable(std::string_view word) {
    std::u32string base;
    int tones = 0, uppers = 0, letters = 0;
    bool first_upper = false;
    for (char32_t cp : decode(nfc(word))) {
        utf8proc_int32_t parts[8];
        int boundclass = 0;
        utf8proc_ssize_t k = 1;
        if (cp == 0x0110 || cp == 0x0111) parts[0] = static_cast<utf8proc_int32_t>(cp);
        else
            k = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), parts, 8,
                                        static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE), &boundclass);
        if (k <= 0 || k > 8) return false;
        for (utf8proc_ssize_t j = 0; j < k; ++j) {
            const auto c = static_cast<char32_t>(parts[j]);
            if (c >= 0x0300 && c <= 0x036F) {
                if (base.empty()) return false;
                char32_t& last = base.back();
                switch (c) {
                    case 0x0300: case 0x0301: case 0x0303: case 0x0309: case 0x0323:
                        if (!is_vowel(last)) return false;
                        ++tones;
                        break;
                    case 0x0302:
                        if (last == 'a') last = a_circ;
                        else if (last == 'e') last = e_circ;
                        else if (last == 'o') last = o_circ;
                        else return false;
                        break;
                    case 0x0306:
                        if (last != 'a') return false;
                        last = a_breve;
                        break;
                    case 0x031B:
                        if (last == 'o') last = o_horn;
                        else if (last == 'u') last = u_horn;
                        else return false;
                        break;
                    default: return false;
                }
                continue;
            }
            bool upper;
            char32_t lower;
            if (c >= 'a' && c <= 'z') upper = false, lower = c;
            else if (c >= 'A' && c <= 'Z') upper = true, lower = c - 'A' + 'a';
            else if (c == 0x0111) upper = false, lower = d_bar;
            else if (c == 0x0110) upper = true, lower = d_bar;
            else return false;
            if (upper) ++uppers;
            if (letters == 0) first_upper = upper;
            ++letters;
            base.push_back(lower);
        }
    }
    if (letters == 0 || tones > 1) return false;
    // all lower, all upper, or only the first letter upper
    if (uppers != 0 && uppers != letters && !(uppers == 1 && first_upper)) return false;
    std::u32string_view s = base;
    if (rime(s)) return true;
    for (auto init : kInitials)
        if (s.size() > init.size() && s.substr(0, init.size()) == init && rime(s.substr(init.size()))) return true;
    return false;
}

}  // namespace vanban::vntext

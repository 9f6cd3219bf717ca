// vntext: pure functions on Vietnamese text. No locale is ever consulted.
//
// UTF-8 in, UTF-8 out. NFC normalisation and case mapping use utf8proc; the
// number and date phrases follow Nghị định 30/2020 (see ../shared spec):
// "ngày 05 tháng 01 năm 2024", "tháng 4", 388.231, 8,11.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vanban::vntext {

/// Position of the first invalid byte of `s`, or nullopt when `s` is valid UTF-8
/// (overlong forms, surrogates and code points above U+10FFFF are invalid).
/// For a truncated or otherwise ill-formed sequence the offset of its lead byte
/// is returned; a stray continuation byte is reported at its own offset.
std::optional<std::size_t> find_invalid_utf8(std::string_view s);

/// Decodes valid UTF-8 into code points (precondition: find_invalid_utf8 is nullopt).
/// Ill-formed sequences, should any occur, come out as U+FFFD.
std::u32string decode(std::string_view s);
/// next_code_point for a lead byte of 0x80 or more (the ASCII case is inline).
char32_t next_code_point_multibyte(std::string_view s, std::size_t& i);
/// The common, well-formed sequences at s[i], decoded inline: ASCII, two
/// bytes (C2–DF xx: â ê ô ă đ ơ ư …) and the Latin Extended Additional block
/// (E1 xx xx: ạ ả ấ … ỹ). Returns their length and sets cp; 0 for anything
/// else (longer or ill-formed sequences, for the full decoder). i < s.size().
inline int next_code_point_common(std::string_view s, std::size_t i, char32_t& cp) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF && i + 1 < s.size()) {
        const auto c1 = static_cast<unsigned char>(s[i + 1]);
        if ((c1 & 0xC0) != 0x80) return 0;
        cp = (char32_t(c & 0x1F) << 6) | (c1 & 0x3F);
        return 2;
    }
    if (c == 0xE1 && i + 2 < s.size()) {
        const auto c1 = static_cast<unsigned char>(s[i + 1]), c2 = static_cast<unsigned char>(s[i + 2]);
        if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80) return 0;
        cp = 0x1000 | (char32_t(c1 & 0x3F) << 6) | (c2 & 0x3F);
        return 3;
    }
    return 0;
}
/// Decodes the code point starting at s[i] and moves i past it; an ill-formed
/// sequence comes out as U+FFFD and i moves past it (as decode does). i < s.size().
inline char32_t next_code_point(std::string_view s, std::size_t& i) {
    char32_t cp;
    if (const int n = next_code_point_common(s, i, cp)) {
        i += static_cast<std::size_t>(n);
        return cp;
    }
    return next_code_point_multibyte(s, i);
}
/// Encodes code points as UTF-8.
std::string encode(std::u32string_view s);
/// Appends one code point as UTF-8 (surrogates and values above U+10FFFF as U+FFFD).
void append_utf8(std::string& out, char32_t cp);
/// "U+0009": the code point's number as the Unicode standard writes it.
std::string code_point_number(char32_t cp);
/// "U+2603 \"☃\"": the number, then the character itself when it is printable
/// (not a control, not a surrogate).
std::string code_point_name(char32_t cp);

/// Byte offsets where `s` may be broken between user-perceived characters
/// (extended grapheme clusters, UAX #29): the start of every cluster after
/// the first. "Việt" (decomposed or not) has breaks only between letters.
std::vector<std::size_t> grapheme_breaks(std::string_view s);

/// Canonical composition (NFC). "Vie\u0323\u0302t" -> "Việt".
std::string nfc(std::string_view s);
/// nfc() of text already found valid UTF-8 (find_invalid_utf8 gave nullopt),
/// without checking it again.
std::string nfc_of_valid(std::string_view s);

/// Full upper-casing with diacritics kept: "ư"->"Ư", "đ"->"Đ", "ậ"->"Ậ"; result is NFC.
std::string upper(std::string_view s);
/// Lower-casing, result NFC.
std::string lower(std::string_view s);
/// True when `s` lower-cased equals `lowered` (itself lower-case NFC), without
/// building the lower-cased copy: lower(s) == lowered for NFC `s`.
bool lower_equals(std::string_view s, std::string_view lowered);
/// Upper-cases the first letter only ("thực hiện" -> "Thực hiện"); leading
/// spaces and punctuation are skipped, a leading digit leaves the text as is.
/// The rest keeps its case; the result is NFC.
std::string capitalize_first(std::string_view s);

/// Integer with "." as thousands separator: 388231 -> "388.231", -1200 -> "-1.200".
std::string format_int(long long v);

/// Groups the integer part of an already-computed decimal string written with
/// '.' as the decimal point ("10966.9345") into Vietnamese form ("10.966,9345").
/// A leading '-' is kept. Used by every module that prints exact decimals.
std::string format_decimal_string(std::string_view plain);

/// Day phrase part: 5 -> "05", 12 -> "12".
std::string format_day(int day);
/// Month as written after "tháng": 1 -> "01", 2 -> "02", 3..12 unpadded.
std::string format_month(int month);

/// "ngày 05 tháng 01 năm 2024". When day/month are absent (a draft), blanks are
/// left for hand-writing: "ngày      tháng      năm 2024".
std::string date_phrase(int year, std::optional<int> month, std::optional<int> day);

/// True when year-month-day is a real calendar date (leap years included).
bool valid_date(int year, int month, int day);

/// Roman numerals for outline sections and annexes: 1 -> "I", 4 -> "IV", 14 -> "XIV".
/// Outside 1..3999 the number is written in decimal digits.
std::string roman(int n);

/// Vietnamese point letters in order a b c d đ e g h i k l m n o p q r s t u v x y;
/// index 0 -> "a". Beyond "y" the sequence continues "aa", "bb", ... (doubling),
/// then "aaa", ... A negative index is written in decimal digits.
std::string point_letter(int index);

/// True when `word` is one Vietnamese syllable as a person types it: an
/// initial consonant, a vowel nucleus and a final consonant of the language,
/// at most one tone mark, and all lower case, all upper case or only the
/// first letter upper ("Nguyễn", "trường", "UBND" is not one). Used to tell
/// text in a legacy encoding from real text, not to spell-check.
bool is_syllable(std::string_view word);

/// Edit distance between two names, ignoring case: insertions, deletions,
/// substitutions and swaps of two neighbouring letters each count 1
/// (Damerau–Levenshtein, optimal string alignment), over code points.
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The candidate `name` is most likely a misspelling of (distance 1 or 2, and
/// less than half the longer name), else the one candidate `name` is the
/// beginning of or begins with (at least 4 letters: "body_size" for
/// "body_size_pt"); "" when none is, or two are as close.
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

/// ASCII slug of Vietnamese text for file names: "Huyện Đak Đoa" -> "huyen-dak-doa".
std::string ascii_slug(std::string_view s);

/// `s` cut after its first `max_chars` characters (code points), with "…"
/// after the cut, or `s` itself when it is not longer: for quoting input in a
/// message without copying a whole file into it.
std::string excerpt(std::string_view s, std::size_t max_chars);

/// The columns `s` takes in a terminal: combining marks take none, wide (CJK)
/// characters two, others one ("Tùy chọn" is 8 wide, 11 bytes in NFC).
std::size_t display_width(std::string_view s);

}  // namespace vanban::vntext

namespace vanban::vntext {

/// True when the syllables `a` and `b` (in this order, any case, trailing
/// punctuation of `b` ignored) form one word of administrative Vietnamese
/// ("rà soát", "chương trình", "kế hoạch"): a centred title is never broken
/// between them when another break will do. The list (words.cpp) holds the
/// two-syllable words common in the documents' titles and summaries; it is a
/// line-breaking aid, not a dictionary.
bool joins_word(std::string_view a, std::string_view b);

/// True when a line is best broken before `word` (a preposition or
/// conjunction that opens a phrase: "của", "về", "trên", "năm", …).
bool opens_phrase(std::string_view word);

}  // namespace vanban::vntext

// Unit tests for vntext: UTF-8 validation, NFC, case mapping, Vietnamese
// number and date phrases, numbering and slugs.
#include "vntext/vntext.hpp"

#include <doctest/doctest.h>

#include <utf8proc.h>

#include <climits>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace vanban::vntext;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {

/// NFC computed directly by utf8proc, with no shortcut.
std::string reference_nfc(std::string_view s) {
    utf8proc_uint8_t* out = nullptr;
    const auto len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                  static_cast<utf8proc_ssize_t>(s.size()), &out,
                                  static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (len < 0) return "<utf8proc error>";
    std::string r(reinterpret_cast<const char*>(out), static_cast<std::size_t>(len));
    std::free(out);
    return r;
}

std::string cp_utf8(char32_t cp) {
    std::string s;
    append_utf8(s, cp);
    return s;
}

}  // namespace

// ---------------------------------------------------------------------------
// find_invalid_utf8
// ---------------------------------------------------------------------------

TEST_CASE("find_invalid_utf8 accepts valid text") {
    CHECK_FALSE(find_invalid_utf8(""));
    CHECK_FALSE(find_invalid_utf8("hello world"));
    CHECK_FALSE(find_invalid_utf8("Cộng hòa xã hội chủ nghĩa Việt Nam"));
    CHECK_FALSE(find_invalid_utf8("Độc lập - Tự do - Hạnh phúc"));
    CHECK_FALSE(find_invalid_utf8("Vie\u0323\u0302t"));
    CHECK_FALSE(find_invalid_utf8("\x7F"));                 // DEL
    CHECK_FALSE(find_invalid_utf8("\xC2\x80"));             // U+0080
    CHECK_FALSE(find_invalid_utf8("\xDF\xBF"));             // U+07FF
    CHECK_FALSE(find_invalid_utf8("\xE0\xA0\x80"));         // U+0800
    CHECK_FALSE(find_invalid_utf8("\xED\x9F\xBF"));         // U+D7FF
    CHECK_FALSE(find_invalid_utf8("\xEE\x80\x80"));         // U+E000
    CHECK_FALSE(find_invalid_utf8("\xEF\xBF\xBD"));         // U+FFFD
    CHECK_FALSE(find_invalid_utf8("\xEF\xBF\xBF"));         // U+FFFF
    CHECK_FALSE(find_invalid_utf8("\xF0\x90\x80\x80"));     // U+10000
    CHECK_FALSE(find_invalid_utf8("\xF4\x8F\xBF\xBF"));     // U+10FFFF
    CHECK_FALSE(find_invalid_utf8("😀 emoji"));
    CHECK_FALSE(find_invalid_utf8(std::string_view("a\0b", 3)));  // NUL is valid UTF-8
}

TEST_CASE("find_invalid_utf8 rejects overlong encodings") {
    CHECK(find_invalid_utf8("\xC0\x80") == 0u);         // overlong NUL
    CHECK(find_invalid_utf8("\xC1\xBF") == 0u);         // overlong U+007F
    CHECK(find_invalid_utf8("\xE0\x80\x80") == 0u);     // overlong 3-byte
    CHECK(find_invalid_utf8("\xE0\x9F\xBF") == 0u);     // overlong U+07FF
    CHECK(find_invalid_utf8("\xF0\x80\x80\x80") == 0u); // overlong 4-byte
    CHECK(find_invalid_utf8("\xF0\x8F\xBF\xBF") == 0u); // overlong U+FFFF
    CHECK(find_invalid_utf8("ab\xC0\xAF") == 2u);       // overlong '/'
}

TEST_CASE("find_invalid_utf8 rejects surrogates") {
    CHECK(find_invalid_utf8("\xED\xA0\x80") == 0u);     // U+D800
    CHECK(find_invalid_utf8("\xED\xBF\xBF") == 0u);     // U+DFFF
    CHECK(find_invalid_utf8("\xED\xB0\x80") == 0u);     // U+DC00
    CHECK(find_invalid_utf8("xyz\xED\xA0\x80\xED\xB0\x80") == 3u);  // CESU-8 pair
}

TEST_CASE("find_invalid_utf8 rejects code points above U+10FFFF") {
    CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0u);  // U+110000
    CHECK(find_invalid_utf8("\xF5\x80\x80\x80") == 0u);
    CHECK(find_invalid_utf8("\xF7\xBF\xBF\xBF") == 0u);
    CHECK(find_invalid_utf8("\xF8\x88\x80\x80\x80") == 0u);  // old 5-byte form
    CHECK(find_invalid_utf8("\xFC\x84\x80\x80\x80\x80") == 0u);
    CHECK(find_invalid_utf8("\xFE") == 0u);
    CHECK(find_invalid_utf8("\xFF") == 0u);
}

TEST_CASE("find_invalid_utf8 rejects truncated sequences") {
    CHECK(find_invalid_utf8("\xC3") == 0u);
    CHECK(find_invalid_utf8("\xE1\xBB") == 0u);
    CHECK(find_invalid_utf8("\xF0\x9F\x98") == 0u);
    CHECK(find_invalid_utf8("Vi\xE1\xBB") == 2u);             // "Việ" cut inside ệ
    CHECK(find_invalid_utf8("Vi\xE1\xBBt") == 2u);            // continuation missing mid-text
    CHECK(find_invalid_utf8("\xC3 a") == 0u);
    CHECK(find_invalid_utf8("ok \xF0\x9F\x98\x80\xF0\x9F") == 7u);
}

TEST_CASE("find_invalid_utf8 rejects stray continuation bytes") {
    CHECK(find_invalid_utf8("\x80") == 0u);
    CHECK(find_invalid_utf8("\xBF") == 0u);
    CHECK(find_invalid_utf8("abc\x80") == 3u);
    CHECK(find_invalid_utf8("Việt\x80") == 6u);
    CHECK(find_invalid_utf8("\xC3\xA0\xA0") == 2u);  // à followed by an extra continuation
}

TEST_CASE("find_invalid_utf8 reports the first error in long text") {
    std::string s(100, 'a');
    s += "ệ";
    s += std::string(50, 'b');
    CHECK_FALSE(find_invalid_utf8(s));
    const std::size_t bad = s.size();
    s += "\xFF";
    s += "\x80";
    s += std::string(20, 'c');
    CHECK(find_invalid_utf8(s) == bad);
    // Every prefix ending inside a multi-byte character is invalid at that character.
    const std::string word = "Đoàn";
    CHECK(find_invalid_utf8(word.substr(0, 1)) == 0u);
    CHECK_FALSE(find_invalid_utf8(word.substr(0, 2)));
    CHECK(find_invalid_utf8(word.substr(0, 4)) == 3u);
}

TEST_CASE("find_invalid_utf8 agrees with utf8proc on every 1..3 byte sequence") {
    // Exhaustive over two-byte strings and over 3-byte strings with lead E0..EF.
    for (int a = 0; a < 256; ++a) {
        for (int b = 0; b < 256; ++b) {
            const char buf[2] = {static_cast<char>(a), static_cast<char>(b)};
            const std::string_view s(buf, 2);
            utf8proc_int32_t cp;
            bool ok = true;
            utf8proc_ssize_t i = 0;
            while (i < 2) {
                const auto r = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(buf) + i, 2 - i, &cp);
                if (r <= 0) {
                    ok = false;
                    break;
                }
                i += r;
            }
            if (ok != !find_invalid_utf8(s).has_value()) {
                FAIL("disagreement at ", a, " ", b);
            }
        }
    }
    for (int a = 0xE0; a <= 0xEF; ++a) {
        for (int b = 0x80; b < 0xC0; ++b) {
            for (int c = 0; c < 256; ++c) {
                const char buf[3] = {static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)};
                utf8proc_int32_t cp;
                const auto r = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(buf), 3, &cp);
                const bool ok = r == 3;
                if (ok != !find_invalid_utf8(std::string_view(buf, 3)).has_value()) {
                    FAIL("disagreement at ", a, " ", b, " ", c);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// decode / encode / append_utf8
// ---------------------------------------------------------------------------

TEST_CASE("next_code_point steps through valid and ill-formed UTF-8 as decode does") {
    for (std::string_view s : {"", "abc", "Việt Nam ₫ 😀", "a\xE1\xBAz", "\x80\xC3", "\xF0\x9F\x98"}) {
        std::u32string got;
        for (std::size_t i = 0; i < s.size();) got.push_back(next_code_point(s, i));
        CHECK(got == decode(s));
    }
}

TEST_CASE("decode and encode round-trip") {
    CHECK(decode("") == U"");
    CHECK(decode("abc") == U"abc");
    CHECK(decode("Việt Nam") == U"Việt Nam");
    CHECK(decode("đ") == std::u32string{0x0111});
    CHECK(decode("\xF4\x8F\xBF\xBF") == std::u32string{0x10FFFF});
    CHECK(decode("😀") == std::u32string{0x1F600});
    CHECK(encode(U"") == "");
    CHECK(encode(U"Cộng hòa") == "Cộng hòa");
    CHECK(encode(std::u32string{0x1F600}) == "😀");
    const std::string text = "Ủy ban nhân dân tỉnh Gia Lai — 2024 ₫ 😀";
    CHECK(encode(decode(text)) == text);
    CHECK(decode(text).size() == 39);
}

TEST_CASE("append_utf8 encodes each length class") {
    CHECK(cp_utf8(0x00) == std::string(1, '\0'));
    CHECK(cp_utf8(0x41) == "A");
    CHECK(cp_utf8(0x7F) == "\x7F");
    CHECK(cp_utf8(0x80) == "\xC2\x80");
    CHECK(cp_utf8(0x7FF) == "\xDF\xBF");
    CHECK(cp_utf8(0x800) == "\xE0\xA0\x80");
    CHECK(cp_utf8(0xFFFF) == "\xEF\xBF\xBF");
    CHECK(cp_utf8(0x10000) == "\xF0\x90\x80\x80");
    CHECK(cp_utf8(0x10FFFF) == "\xF4\x8F\xBF\xBF");
    CHECK(cp_utf8(0x1EC7) == "ệ");
    std::string s = "x";
    append_utf8(s, 0x01B0);
    CHECK(s == "xư");
}

TEST_CASE("append_utf8 never produces invalid UTF-8") {
    CHECK(cp_utf8(0xD800) == "\uFFFD");
    CHECK(cp_utf8(0xDFFF) == "\uFFFD");
    CHECK(cp_utf8(0x110000) == "\uFFFD");
    CHECK(cp_utf8(0xFFFFFFFF) == "\uFFFD");
}

TEST_CASE("decode and append_utf8 round-trip every scalar value") {
    std::string all;
    for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        append_utf8(all, cp);
    }
    CHECK_FALSE(find_invalid_utf8(all));
    const std::u32string cps = decode(all);
    REQUIRE(cps.size() == 0x110000u - 0x800u);
    bool ok = true;
    char32_t expected = 0;
    for (char32_t cp : cps) {
        if (expected == 0xD800) expected = 0xE000;
        if (cp != expected) {
            ok = false;
            break;
        }
        ++expected;
    }
    CHECK(ok);
    CHECK(encode(cps) == all);
}

TEST_CASE("decode replaces ill-formed sequences with U+FFFD") {
    CHECK(decode("a\x80" "b") == U"a\uFFFDb");
    CHECK(decode("\xE1\xBB") == U"\uFFFD");            // one maximal subpart
    CHECK(decode("\xE1\xBB" "a") == U"\uFFFDa");
    CHECK(decode("\xC0\x80") == U"\uFFFD\uFFFD");      // C0 is never valid, 80 is stray
    CHECK(decode("\xED\xA0\x80") == U"\uFFFD\uFFFD\uFFFD");
    CHECK(decode("\xFF") == U"\uFFFD");
}

// ---------------------------------------------------------------------------
// nfc
// ---------------------------------------------------------------------------

TEST_CASE("nfc composes Vietnamese") {
    CHECK(nfc("Vie\u0323\u0302t") == "Việt");
    CHECK(nfc("Vie\u0302\u0323t") == "Việt");        // marks in either order
    CHECK(nfc("Việt") == "Việt");
    CHECK(nfc("") == "");
    CHECK(nfc("ascii only") == "ascii only");
    CHECK(nfc("u\u031B") == "ư");
    CHECK(nfc("o\u031B\u0301") == "ớ");
    CHECK(nfc("a\u0306\u0323") == "ặ");
    CHECK(nfc("A\u0306\u0323") == "Ặ");
    CHECK(nfc("y\u0300") == "ỳ");
    CHECK(nfc("y\u0303") == "ỹ");
    CHECK(nfc("i\u0303") == "ĩ");
    CHECK(nfc("ho\u0300a") == "hòa");
    CHECK(nfc("Nghi\u0323 đi\u0323nh") == "Nghị định");
    CHECK(nfc("ê\u0323") == "ệ");                      // half-composed input
    CHECK(nfc("\u1EB9\u0302") == "ệ");                 // ẹ + circumflex
    CHECK(nfc("\u212B") == "\u00C5");                  // Angstrom sign singleton
    CHECK(nfc("\u2000") == "\u2002");                  // singleton in general punctuation
    CHECK(nfc("\u1100\u1161") == "\uAC00");            // Hangul L+V
}

TEST_CASE("nfc keeps marks that have no precomposed form") {
    CHECK(nfc("x\u0323") == "x\u0323");
    CHECK(nfc("q\u0302\u0323") == "q\u0323\u0302");    // canonical reordering
}

TEST_CASE("nfc output is valid UTF-8 even for ill-formed input") {
    const std::string r = nfc("Vie\u0323\u0302t\xFF");
    CHECK_FALSE(find_invalid_utf8(r));
    CHECK(r == "Việt\uFFFD");
    CHECK(nfc("\x80") == "\uFFFD");
}

TEST_CASE("nfc agrees with utf8proc on every single code point of the BMP") {
    bool ok = true;
    for (char32_t cp = 1; cp < 0x10000 && ok; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        const std::string s = cp_utf8(cp);
        if (nfc(s) != reference_nfc(s)) {
            ok = false;
            FAIL_CHECK("nfc differs for U+", static_cast<unsigned>(cp));
        }
    }
    CHECK(ok);
}

TEST_CASE("nfc agrees with utf8proc on pairs of Latin letters and marks") {
    // Every letter of Latin-1/Extended-A/B/Additional followed by every
    // combining diacritic U+0300..U+036F, and letter+letter pairs.
    bool ok = true;
    auto check = [&](const std::string& s) {
        if (ok && nfc(s) != reference_nfc(s)) {
            ok = false;
            FAIL_CHECK("nfc differs for ", s);
        }
    };
    for (char32_t a = 0x41; a < 0x250 && ok; ++a) {
        for (char32_t m = 0x300; m < 0x370; ++m) check(cp_utf8(a) + cp_utf8(m));
    }
    for (char32_t a = 0x1E00; a < 0x1F00 && ok; ++a) {
        for (char32_t m = 0x300; m < 0x370; ++m) check(cp_utf8(a) + cp_utf8(m));
    }
    for (char32_t a = 0x20; a < 0x300 && ok; a += 3) {
        for (char32_t b = 0x20; b < 0x300; ++b) check(cp_utf8(a) + cp_utf8(b));
    }
    CHECK(ok);
}

// ---------------------------------------------------------------------------
// upper / lower
// ---------------------------------------------------------------------------

TEST_CASE("upper maps Vietnamese letters with their diacritics") {
    CHECK(upper("ư") == "Ư");
    CHECK(upper("đ") == "Đ");
    CHECK(upper("ậ") == "Ậ");
    CHECK(upper("ệ") == "Ệ");
    CHECK(upper("ộ") == "Ộ");
    CHECK(upper("ặ") == "Ặ");
    CHECK(upper("ỳ") == "Ỳ");
    CHECK(upper("ỹ") == "Ỹ");
    CHECK(upper("ơ") == "Ơ");
    CHECK(upper("ă") == "Ă");
    CHECK(upper("ĩ") == "Ĩ");
    CHECK(upper("ũ") == "Ũ");
    CHECK(upper("ỷ") == "Ỷ");
    CHECK(upper("ự") == "Ự");
    CHECK(upper("ờ") == "Ờ");
    CHECK(upper("ẫ") == "Ẫ");
    CHECK(upper("ẩ") == "Ẩ");
    CHECK(upper("ỗ") == "Ỗ");
}

TEST_CASE("upper on whole phrases") {
    CHECK(upper("Cộng hòa xã hội chủ nghĩa Việt Nam") == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    CHECK(upper("ủy ban nhân dân tỉnh gia lai") == "ỦY BAN NHÂN DÂN TỈNH GIA LAI");
    CHECK(upper("kế hoạch") == "KẾ HOẠCH");
    CHECK(upper("quyết định") == "QUYẾT ĐỊNH");
    CHECK(upper("tờ trình") == "TỜ TRÌNH");
    CHECK(upper("Số: 498/KH-UBND") == "SỐ: 498/KH-UBND");
    CHECK(upper("") == "");
    CHECK(upper("abc xyz 123") == "ABC XYZ 123");
    CHECK(upper("ĐÃ HOA") == "ĐÃ HOA");
}

TEST_CASE("upper of NFD input gives NFC output") {
    CHECK(upper("Vie\u0323\u0302t") == "VIỆT");
    CHECK(upper("vie\u0302\u0323t nam") == "VIỆT NAM");
    CHECK(upper("thu\u031B\u0323c hie\u0323\u0302n") == "THỰC HIỆN");
    CHECK(upper("o\u0302\u0323") == "Ộ");
    CHECK(upper("a\u0306\u0323") == "Ặ");
    CHECK(upper("y\u0300") == "Ỳ");
    CHECK(upper("y\u0303") == "Ỹ");
    CHECK(upper("o\u031B") == "Ơ");
    CHECK(upper("u\u031B") == "Ư");
    CHECK(upper("a\u0306") == "Ă");
    CHECK(upper("i\u0303") == "Ĩ");
    CHECK(upper("u\u0303") == "Ũ");
    CHECK(upper("a\u0323\u0302") == "Ậ");
}

TEST_CASE("excerpt cuts after whole characters") {
    CHECK(excerpt("Việt Nam", 8) == "Việt Nam");
    CHECK(excerpt("Việt Nam", 4) == "Việt…");
    CHECK(excerpt("ệệệ", 1) == "ệ…");
    CHECK(excerpt("", 3).empty());
    CHECK(find_invalid_utf8(excerpt(std::string(100, 'x') + "ữ", 100)) == std::nullopt);
    CHECK(excerpt(std::string(1000000, 'a'), 80).size() == 80 + std::string("…").size());
}

TEST_CASE("lower_equals compares with a lower-cased word without copying") {
    for (const char* w : {"Chương", "CHƯƠNG", "chương", "ĐIỀU", "Điều", "Tháng", "NĂM", "Số:", "KHOẢN"})
        CHECK(lower_equals(w, lower(w)));
    CHECK(lower_equals("ĐIỀU", "điều"));
    CHECK_FALSE(lower_equals("ĐIỀU", "điều "));
    CHECK_FALSE(lower_equals("Điều", "điề"));
    CHECK_FALSE(lower_equals("Diều", "điều"));
    CHECK_FALSE(lower_equals("chuong", "chương"));
    CHECK_FALSE(lower_equals("", "số"));
    CHECK(lower_equals("", ""));
}

TEST_CASE("lower maps Vietnamese letters with their diacritics") {
    CHECK(lower("Ư") == "ư");
    CHECK(lower("Đ") == "đ");
    CHECK(lower("Ậ") == "ậ");
    CHECK(lower("Ệ") == "ệ");
    CHECK(lower("Ộ") == "ộ");
    CHECK(lower("Ặ") == "ặ");
    CHECK(lower("Ỳ") == "ỳ");
    CHECK(lower("Ỹ") == "ỹ");
    CHECK(lower("Ơ") == "ơ");
    CHECK(lower("Ă") == "ă");
    CHECK(lower("Ĩ") == "ĩ");
    CHECK(lower("Ũ") == "ũ");
    CHECK(lower("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == "cộng hòa xã hội chủ nghĩa việt nam");
    CHECK(lower("VIE\u0323\u0302T") == "việt");
    CHECK(lower("ABC-123") == "abc-123");
    CHECK(lower("") == "");
}

TEST_CASE("upper and lower round-trip over every Vietnamese letter") {
    const std::string lowers =
        "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ";
    const std::string uppers =
        "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ";
    CHECK(upper(lowers) == uppers);
    CHECK(lower(uppers) == lowers);
    CHECK(decode(lowers).size() == decode(uppers).size());
    CHECK(decode(lowers).size() == 89);
}

TEST_CASE("upper and lower keep non-letters and ill-formed input safe") {
    CHECK(upper("1.000.000 ₫ — “trích”") == "1.000.000 ₫ — “TRÍCH”");
    CHECK(upper("😀") == "😀");
    CHECK_FALSE(find_invalid_utf8(upper("ab\xFF" "c")));
    CHECK(upper("ab\xFF" "c") == "AB\uFFFDC");
    CHECK_FALSE(find_invalid_utf8(lower("\xC0\xAF")));
}

// ---------------------------------------------------------------------------
// capitalize_first
// ---------------------------------------------------------------------------

TEST_CASE("capitalize_first") {
    CHECK(capitalize_first("thực hiện") == "Thực hiện");
    CHECK(capitalize_first("đẩy mạnh") == "Đẩy mạnh");
    CHECK(capitalize_first("ủy ban") == "Ủy ban");
    CHECK(capitalize_first("ưu tiên") == "Ưu tiên");
    CHECK(capitalize_first("ộ") == "Ộ");
    CHECK(capitalize_first("Thực hiện") == "Thực hiện");
    CHECK(capitalize_first("") == "");
    CHECK(capitalize_first("a") == "A");
    CHECK(capitalize_first("abc DEF ghi") == "Abc DEF ghi");
}

TEST_CASE("capitalize_first leaves the rest unchanged") {
    CHECK(capitalize_first("thực hiện Nghị quyết số 05/NQ-HĐND") == "Thực hiện Nghị quyết số 05/NQ-HĐND");
    CHECK(capitalize_first("ủy ban nhân dân UBND") == "Ủy ban nhân dân UBND");
    CHECK(capitalize_first("việt NAM việt") == "Việt NAM việt");
}

TEST_CASE("capitalize_first on NFD input") {
    CHECK(capitalize_first("thu\u031B\u0323c hie\u0323\u0302n") == "Thực hiện");
    CHECK(capitalize_first("e\u0323\u0302 a") == "Ệ a");
    CHECK(capitalize_first("u\u031B\u0323") == "Ự");
    CHECK(capitalize_first("o\u0302\u0323ng") == "Ộng");
}

TEST_CASE("capitalize_first skips leading punctuation and spaces, not digits") {
    CHECK(capitalize_first("  thực hiện") == "  Thực hiện");
    CHECK(capitalize_first("“thực hiện”") == "“Thực hiện”");
    CHECK(capitalize_first("(đã ký)") == "(Đã ký)");
    CHECK(capitalize_first("- nội dung") == "- Nội dung");
    CHECK(capitalize_first("3 ngày") == "3 ngày");
    CHECK(capitalize_first("...") == "...");
}

// ---------------------------------------------------------------------------
// numbers
// ---------------------------------------------------------------------------

TEST_CASE("format_int") {
    CHECK(format_int(388231) == "388.231");
    CHECK(format_int(0) == "0");
    CHECK(format_int(-1200) == "-1.200");
    CHECK(format_int(999) == "999");
    CHECK(format_int(1000) == "1.000");
    CHECK(format_int(1) == "1");
    CHECK(format_int(-1) == "-1");
    CHECK(format_int(-999) == "-999");
    CHECK(format_int(-1000) == "-1.000");
    CHECK(format_int(12345) == "12.345");
    CHECK(format_int(100000) == "100.000");
    CHECK(format_int(999999) == "999.999");
    CHECK(format_int(1000000) == "1.000.000");
    CHECK(format_int(1234567890) == "1.234.567.890");
    CHECK(format_int(LLONG_MAX) == "9.223.372.036.854.775.807");
    CHECK(format_int(LLONG_MIN) == "-9.223.372.036.854.775.808");
}

TEST_CASE("format_decimal_string") {
    CHECK(format_decimal_string("10966.9345") == "10.966,9345");
    CHECK(format_decimal_string("8.11") == "8,11");
    CHECK(format_decimal_string("-1234") == "-1.234");
    CHECK(format_decimal_string("0.5") == "0,5");
    CHECK(format_decimal_string("0") == "0");
    CHECK(format_decimal_string("999") == "999");
    CHECK(format_decimal_string("1000") == "1.000");
    CHECK(format_decimal_string("388231") == "388.231");
    CHECK(format_decimal_string("1234567.001") == "1.234.567,001");
    CHECK(format_decimal_string("-0.25") == "-0,25");
    CHECK(format_decimal_string("-1000000.5") == "-1.000.000,5");
    CHECK(format_decimal_string("100.000") == "100,000");  // decimals are kept as given
    CHECK(format_decimal_string("") == "");
}

// ---------------------------------------------------------------------------
// dates
// ---------------------------------------------------------------------------

TEST_CASE("format_day and format_month") {
    CHECK(format_day(5) == "05");
    CHECK(format_day(1) == "01");
    CHECK(format_day(9) == "09");
    CHECK(format_day(10) == "10");
    CHECK(format_day(12) == "12");
    CHECK(format_day(31) == "31");
    CHECK(format_month(1) == "01");
    CHECK(format_month(2) == "02");
    CHECK(format_month(3) == "3");
    CHECK(format_month(9) == "9");
    CHECK(format_month(10) == "10");
    CHECK(format_month(12) == "12");
}

TEST_CASE("date_phrase for a full date") {
    CHECK(date_phrase(2024, 1, 5) == "ngày 05 tháng 01 năm 2024");
    CHECK(date_phrase(2024, 4, 1) == "ngày 01 tháng 4 năm 2024");
    CHECK(date_phrase(2024, 2, 29) == "ngày 29 tháng 02 năm 2024");
    CHECK(date_phrase(2023, 12, 31) == "ngày 31 tháng 12 năm 2023");
    CHECK(date_phrase(2020, 10, 10) == "ngày 10 tháng 10 năm 2020");
}

TEST_CASE("date_phrase for a draft leaves blanks of six spaces") {
    CHECK(date_phrase(2024, std::nullopt, std::nullopt) == "ngày      tháng      năm 2024");
    CHECK(date_phrase(2024, 4, std::nullopt) == "ngày      tháng 4 năm 2024");
    CHECK(date_phrase(2024, 1, std::nullopt) == "ngày      tháng 01 năm 2024");
    CHECK(date_phrase(2024, std::nullopt, 5) == "ngày 05 tháng      năm 2024");
    // The blanks are ordinary spaces only.
    const std::string d = date_phrase(2025, std::nullopt, std::nullopt);
    CHECK(d.find("ngày" + std::string(6, ' ') + "tháng") == 0u);
    CHECK(d.find("tháng" + std::string(6, ' ') + "năm") != std::string::npos);
    CHECK(d.find("\u00A0") == std::string::npos);
}

TEST_CASE("valid_date") {
    CHECK(valid_date(2024, 2, 29));
    CHECK_FALSE(valid_date(2023, 2, 29));
    CHECK_FALSE(valid_date(2024, 2, 30));
    CHECK_FALSE(valid_date(2024, 13, 1));
    CHECK_FALSE(valid_date(2024, 0, 1));
    CHECK_FALSE(valid_date(2024, 1, 0));
    CHECK_FALSE(valid_date(0, 1, 1));
    CHECK_FALSE(valid_date(-5, 1, 1));
    CHECK_FALSE(valid_date(2024, -1, 1));
    CHECK_FALSE(valid_date(2024, 1, -1));
    CHECK(valid_date(1, 1, 1));
    CHECK(valid_date(2000, 2, 29));   // divisible by 400
    CHECK_FALSE(valid_date(1900, 2, 29));  // divisible by 100 only
    CHECK_FALSE(valid_date(2100, 2, 29));
    CHECK(valid_date(2023, 2, 28));
    CHECK(valid_date(2024, 1, 31));
    CHECK(valid_date(2024, 3, 31));
    CHECK_FALSE(valid_date(2024, 4, 31));
    CHECK(valid_date(2024, 4, 30));
    CHECK_FALSE(valid_date(2024, 6, 31));
    CHECK_FALSE(valid_date(2024, 9, 31));
    CHECK_FALSE(valid_date(2024, 11, 31));
    CHECK(valid_date(2024, 12, 31));
    CHECK_FALSE(valid_date(2024, 12, 32));
    CHECK(valid_date(9999, 12, 31));
}

// ---------------------------------------------------------------------------
// roman / point_letter
// ---------------------------------------------------------------------------

TEST_CASE("roman numerals") {
    CHECK(roman(1) == "I");
    CHECK(roman(2) == "II");
    CHECK(roman(3) == "III");
    CHECK(roman(4) == "IV");
    CHECK(roman(5) == "V");
    CHECK(roman(6) == "VI");
    CHECK(roman(9) == "IX");
    CHECK(roman(10) == "X");
    CHECK(roman(14) == "XIV");
    CHECK(roman(19) == "XIX");
    CHECK(roman(40) == "XL");
    CHECK(roman(49) == "XLIX");
    CHECK(roman(90) == "XC");
    CHECK(roman(99) == "XCIX");
    CHECK(roman(400) == "CD");
    CHECK(roman(444) == "CDXLIV");
    CHECK(roman(900) == "CM");
    CHECK(roman(1994) == "MCMXCIV");
    CHECK(roman(2024) == "MMXXIV");
    CHECK(roman(3888) == "MMMDCCCLXXXVIII");
    CHECK(roman(3999) == "MMMCMXCIX");
}

TEST_CASE("roman out of range falls back to decimal digits") {
    CHECK(roman(0) == "0");
    CHECK(roman(-1) == "-1");
    CHECK(roman(-42) == "-42");
    CHECK(roman(4000) == "4000");
}

TEST_CASE("roman numerals are well formed over the whole range") {
    // Parse back and compare: every value round-trips and only uses I V X L C D M.
    auto value = [](char c) {
        switch (c) {
            case 'I': return 1;
            case 'V': return 5;
            case 'X': return 10;
            case 'L': return 50;
            case 'C': return 100;
            case 'D': return 500;
            case 'M': return 1000;
            default: return -100000;
        }
    };
    bool ok = true;
    for (int n = 1; n <= 3999 && ok; ++n) {
        const std::string r = roman(n);
        int total = 0;
        for (std::size_t i = 0; i < r.size(); ++i) {
            const int v = value(r[i]);
            if (i + 1 < r.size() && v < value(r[i + 1])) total -= v;
            else total += v;
        }
        if (total != n) {
            ok = false;
            FAIL_CHECK("roman(", n, ") = ", r);
        }
    }
    CHECK(ok);
}

TEST_CASE("point_letter follows the Vietnamese alphabet") {
    const char* expected[] = {"a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m",
                              "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"};
    for (int i = 0; i < 23; ++i) CHECK(point_letter(i) == expected[i]);
    CHECK(point_letter(0) == "a");
    CHECK(point_letter(3) == "d");
    CHECK(point_letter(4) == "đ");
    CHECK(point_letter(5) == "e");
    CHECK(point_letter(6) == "g");
    CHECK(point_letter(22) == "y");
    for (int i = 0; i < 23; ++i) {
        const std::string l = point_letter(i);
        CHECK(l != "f");
        CHECK(l != "j");
        CHECK(l != "w");
        CHECK(l != "z");
    }
}

TEST_CASE("point_letter doubles after y") {
    CHECK(point_letter(23) == "aa");
    CHECK(point_letter(24) == "bb");
    CHECK(point_letter(27) == "đđ");
    CHECK(point_letter(45) == "yy");
    CHECK(point_letter(46) == "aaa");
    CHECK(point_letter(68) == "yyy");
    CHECK(point_letter(69) == "aaaa");
    CHECK(point_letter(-1) == "-1");
}

// ---------------------------------------------------------------------------
// ascii_slug
// ---------------------------------------------------------------------------

TEST_CASE("ascii_slug") {
    CHECK(ascii_slug("Huyện Đak Đoa") == "huyen-dak-doa");
    CHECK(ascii_slug("Thị xã Ayun Pa") == "thi-xa-ayun-pa");
    CHECK(ascii_slug("498/KH-UBND") == "498-kh-ubnd");
    CHECK(ascii_slug("Cộng hòa xã hội chủ nghĩa Việt Nam") == "cong-hoa-xa-hoi-chu-nghia-viet-nam");
    CHECK(ascii_slug("ỦY BAN NHÂN DÂN TỈNH GIA LAI") == "uy-ban-nhan-dan-tinh-gia-lai");
    CHECK(ascii_slug("Thành phố Pleiku") == "thanh-pho-pleiku");
    CHECK(ascii_slug("ưu tiên đầu tư") == "uu-tien-dau-tu");
    CHECK(ascii_slug("ặ ỳ ỹ ơ ư ă ĩ ũ đ ộ ệ") == "a-y-y-o-u-a-i-u-d-o-e");
}

TEST_CASE("ascii_slug collapses and trims separators") {
    CHECK(ascii_slug("") == "");
    CHECK(ascii_slug("---") == "");
    CHECK(ascii_slug("  Kế   hoạch  ") == "ke-hoach");
    CHECK(ascii_slug("--a--b--") == "a-b");
    CHECK(ascii_slug("Số: 12/2024/QĐ-UBND, ngày 05") == "so-12-2024-qd-ubnd-ngay-05");
    CHECK(ascii_slug("a_b.c") == "a-b-c");
    CHECK(ascii_slug("“Báo cáo” — năm 2024!") == "bao-cao-nam-2024");
    CHECK(ascii_slug("😀 emoji 😀") == "emoji");
}

TEST_CASE("ascii_slug on NFD input") {
    CHECK(ascii_slug("Huye\u0323\u0302n Đak Đoa") == "huyen-dak-doa");
    CHECK(ascii_slug("Vie\u0323\u0302t Nam") == "viet-nam");
    CHECK(ascii_slug("thu\u031B\u0323c") == "thuc");
}

TEST_CASE("ascii_slug output is plain ASCII") {
    const std::string slug = ascii_slug("Ủy ban nhân dân ĐĂK ĐOA — Phụ lục IV ½ \xFF");
    for (char c : slug) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        CHECK(ok);
    }
    CHECK(slug.front() != '-');
    CHECK(slug.back() != '-');
}

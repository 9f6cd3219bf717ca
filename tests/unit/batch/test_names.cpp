// Tests of batch/names: safe file stems from arbitrary data, and the
// case-insensitive key used for collisions.
#include <doctest/doctest.h>

#include "batch/names.hpp"
#include "vntext/vntext.hpp"

using namespace vanban::batch;

namespace {
std::string S(std::string_view raw, bool ascii = false) {
    NameOptions o;
    o.ascii = ascii;
    auto r = sanitize_name(raw, o);
    return r ? *r : std::string("<none>");
}
}  // namespace

TEST_CASE("path separators and parent references never survive") {
    CHECK(S("../x") == "x");
    CHECK(S("a/b") == "a-b");
    CHECK(S("a\\b") == "a-b");
    CHECK(S("../../etc/passwd") == "etc-passwd");
    CHECK(S("a/../b") == "a-.-b");
    CHECK(S("a..b") == "a.b");
    CHECK(S("498/KH-UBND") == "498-KH-UBND");
    for (const char* raw : {"../x", "a/b", "..\\..\\x", "x/..", "....//....//y"}) {
        const std::string s = S(raw);
        CHECK_MESSAGE(s.find('/') == std::string::npos, raw);
        CHECK_MESSAGE(s.find('\\') == std::string::npos, raw);
        CHECK_MESSAGE(s.find("..") == std::string::npos, raw);
    }
}

TEST_CASE("leading dots and dashes, trailing dots and spaces") {
    CHECK(S(".hidden") == "hidden");
    CHECK(S("-rf") == "rf");
    CHECK(S(" - name") == "name");
    CHECK(S("name. ") == "name");
    CHECK(S("name...") == "name");
}

TEST_CASE("reserved and invisible characters are removed, spaces normalised") {
    CHECK(S("a:b*c?d\"e<f>g|h") == "abcdefgh");
    CHECK(S("a\tb\nc\r\nd") == "a b c d");
    CHECK(S("a\x01\x7f" "b") == "ab");
    CHECK(S("a\xc2\x85" "b") == "ab");                 // U+0085, a C1 control
    CHECK(S("a\xe2\x80\x8b" "b") == "ab");             // zero-width space
    CHECK(S("a\xe2\x80\xae" "b") == "ab");             // right-to-left override
    CHECK(S("a\xc2\xa0\xc2\xa0" "b") == "a b");        // no-break spaces
    CHECK(S("a\xff" "b") == "ab");                     // not UTF-8
    CHECK(S("Kế   hoạch") == "Kế hoạch");
}

TEST_CASE("Vietnamese names: kept in NFC, or as an ASCII slug") {
    CHECK(S("Huyện Đak Đoa") == "Huyện Đak Đoa");
    CHECK(S("Huye\xcc\xa3\xcc\x82n") == "Huyện");  // NFD in, NFC out
    CHECK(S("Huyện Đak Đoa", true) == "huyen-dak-doa");
    CHECK(S("Thị xã Ayun Pa / 2024", true) == "thi-xa-ayun-pa-2024");
    CHECK(S("../Kbang", true) == "kbang");
}

TEST_CASE("Windows device names get a suffix") {
    CHECK(S("CON") == "CON_");
    CHECK(S("con") == "con_");
    CHECK(S("Con", true) == "con_");
    CHECK(S("nul.txt") == "nul_.txt");
    CHECK(S("COM1") == "COM1_");
    CHECK(S("lpt9") == "lpt9_");
    CHECK(S("CONSOLE") == "CONSOLE");
    CHECK(S("COM10") == "COM10");
    CHECK(S("icon") == "icon");
}

TEST_CASE("nothing usable left is no name") {
    for (const char* raw : {"", "   ", "...", "///", "..", "-", "???", "\x01\x02", "\xe2\x80\x8b"})
        CHECK_MESSAGE(!sanitize_name(raw).has_value(), raw);
    CHECK(!sanitize_name("!!!", {true, 100}).has_value());
}

TEST_CASE("length limit cuts at a character boundary") {
    std::string raw;
    for (int i = 0; i < 300; ++i) raw += "ệ";  // 3 bytes each
    const std::string s = S(raw);
    CHECK(s.size() == 99);
    CHECK(!vanban::vntext::find_invalid_utf8(s).has_value());
    NameOptions o;
    o.max_bytes = 10;
    CHECK(*sanitize_name("abcdefghij.klm", o) == "abcdefghij");
    CHECK(*sanitize_name("abcdefghi.klm", o) == "abcdefghi");  // the trailing "." is trimmed
}

TEST_CASE("is_safe_name and name_key") {
    CHECK(is_safe_name("kbang"));
    CHECK(is_safe_name("Huyện Đak Đoa"));
    CHECK(is_safe_name("kbang.pdf"));
    CHECK_FALSE(is_safe_name(""));
    CHECK_FALSE(is_safe_name("a/b"));
    CHECK_FALSE(is_safe_name("../x"));
    CHECK_FALSE(is_safe_name(".vanban-manifest.json"));
    CHECK_FALSE(is_safe_name("CON"));
    CHECK_FALSE(is_safe_name("Huye\xcc\xa3\xcc\x82n"));  // not NFC
    CHECK_FALSE(is_safe_name("a\xff"));
    CHECK(name_key("KBANG") == name_key("kbang"));
    CHECK(name_key("ĐAK ĐOA") == name_key("đak đoa"));
    CHECK(name_key("Huye\xcc\xa3\xcc\x82n") == name_key("HUYỆN"));
    CHECK(name_key("kbang") != name_key("kbang2"));
}

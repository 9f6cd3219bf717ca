// Tests of sources/encoding: UTF-16 and byte-order marks taken, legacy
// Vietnamese encodings converted when declared and named when not, and
// legacy text pasted into UTF-8 found. The legacy bytes are produced here
// from UTF-8 with iconv (Windows-1258, TCVN3) and by hand (VNI).
#include <doctest/doctest.h>

#include <iconv.h>

#include <string>

#include "core/diagnostic.hpp"
#include "sources/encoding.hpp"
#include "sources/world.hpp"
#include "vntext/vntext.hpp"

using namespace vanban;
using sources::Encoding;

namespace {

const std::string kText = "Nguyễn Thị Hoa, Trưởng phòng Tài chính - Kế hoạch huyện Đắk Đoa\nQuyết định về việc giao chỉ tiêu\n";

/// UTF-8 -> `charset` with glibc iconv.
std::string iconv_to(const std::string& text, const char* charset) {
    iconv_t cd = iconv_open(charset, "UTF-8");
    REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
    std::string out(text.size() * 4, '\0');
    char* in = const_cast<char*>(text.data());
    std::size_t in_left = text.size(), out_left = out.size();
    char* o = out.data();
    REQUIRE(iconv(cd, &in, &in_left, &o, &out_left) != static_cast<std::size_t>(-1));
    iconv_close(cd);
    out.resize(out.size() - out_left);
    return out;
}

std::string utf16(const std::string& text, bool little) {
    std::string out = little ? std::string("\xFF\xFE") : std::string("\xFE\xFF");
    return out + iconv_to(text, little ? "UTF-16LE" : "UTF-16BE");
}

std::string error_of(const std::string& raw, Encoding e = Encoding::utf8) {
    try {
        sources::text_of(raw, "f.txt", e);
    } catch (const InputError& err) {
        REQUIRE(err.diagnostics().items().size() == 1);
        return err.diagnostics().items()[0].at.to_string() + ": " + err.diagnostics().items()[0].message;
    }
    FAIL("no error");
    return "";
}

// "Nguyễn Thị Hoa" and a few other words in VNI bytes, typed as the VNI
// keyboard layout stores them (a base letter, then a byte for its marks).
const std::string kVni = "Nguye\xE3n Th\xF2 Hoa, Tr\xF6\xF4\xFBng pho\xF8ng, \xD1o\xE0ng Nai";
}  // namespace

TEST_CASE("Vietnamese syllables are told from other words") {
    for (const char* w : {"Nguyễn", "thị", "Trưởng", "phòng", "nghiêng", "khuya", "quyết", "giữ", "gì", "Đoa",
                          "TỈNH", "hoà", "hòa", "người", "khuỷu"})
        CHECK_MESSAGE(vntext::is_syllable(w), std::string(w));
    for (const char* w : {"NguyÔn", "ThÞ", "Nguyeãn", "Thò̀", "tr­êng", "§ång", "Müller", "ViÖt", "Đak", "xyz", "nguYễn", "UBND", "taùc", "maiêng"})
        CHECK_MESSAGE(!vntext::is_syllable(w), std::string(w));
}

TEST_CASE("UTF-8 with a byte-order mark and UTF-16 with one are read as UTF-8") {
    CHECK(sources::text_of("\xEF\xBB\xBF" + kText, "f") == kText);
    CHECK(sources::text_of(utf16(kText, true), "f") == kText);
    CHECK(sources::text_of(utf16(kText, false), "f") == kText);
    const std::string emoji = "a \U0001F600 b\n";  // a surrogate pair
    CHECK(sources::text_of(utf16(emoji, true), "f") == emoji);
    std::string cut = utf16(kText, true);
    cut.pop_back();
    CHECK(error_of(cut).find("odd number of bytes") != std::string::npos);
    const std::string lone("\xFF\xFE" "a\0\n\0\x00\xD8" "x\0", 10);  // "a", a line feed, a lone surrogate
    std::string m = error_of(lone);
    CHECK(m.rfind("2:1: ", 0) == 0);
    CHECK(m.find("lone surrogate") != std::string::npos);
}

TEST_CASE("a declared legacy encoding is converted to NFC UTF-8") {
    CHECK(sources::text_of(iconv_to(kText, "CP1258"), "f", Encoding::cp1258) == kText);
    CHECK(sources::text_of(iconv_to(kText, "TCVN5712-1"), "f", Encoding::tcvn3) == kText);
    CHECK(sources::text_of(kVni, "f", Encoding::vni) == "Nguyễn Thị Hoa, Trưởng phòng, Đồng Nai");
    CHECK(sources::from_legacy("Vie\xE4t Nam, \xD1o\xE0ng Nai, TR\xD6\xD4\xD8NG", Encoding::vni) == "Việt Nam, Đồng Nai, TRƯỜNG");
    // UTF-8 beside legacy files stays UTF-8
    CHECK(sources::text_of(kText, "f", Encoding::tcvn3) == kText);
    // a byte Windows-1258 does not define
    CHECK(error_of("abc \x8A", Encoding::cp1258).find("0x8A is not a character of Windows-1258") != std::string::npos);
}

TEST_CASE("an undeclared legacy encoding is named, with the text it reads as") {
    std::string m = error_of("{\n  \"place\": \"" + iconv_to("Long Khánh, tỉnh Đồng Nai, Nguyễn Thị Hoa", "CP1258") + "\"\n}");
    CHECK(m.rfind("2:20: ", 0) == 0);
    CHECK(m.find("Windows-1258") != std::string::npos);
    CHECK(m.find("--input-encoding cp1258") != std::string::npos);
    CHECK(m.find("\"place\": \"Long Khánh, tỉnh Đồng Nai, Nguyễn Thị Hoa\"") != std::string::npos);

    m = error_of(iconv_to(kText, "TCVN5712-1"));
    CHECK(m.find("TCVN3 (ABC)") != std::string::npos);
    CHECK(m.find("--input-encoding tcvn3") != std::string::npos);
    CHECK(m.find("Nguyễn Thị Hoa") != std::string::npos);

    m = error_of(kVni);
    CHECK(m.find("the legacy Vietnamese encoding VNI") != std::string::npos);
    CHECK(m.find("--input-encoding vni") != std::string::npos);
    // bytes that read as nothing Vietnamese get the plain advice
    m = error_of("\x80\x81\x82 abc");
    CHECK(m.find("save the file as UTF-8") != std::string::npos);
}

TEST_CASE("TCVN3 or VNI text pasted into a UTF-8 file is found and shown converted") {
    // What a TCVN3 file shows as once opened as Western text and saved as UTF-8.
    std::string pasted = "Kính gửi: Ông NguyÔn ThÞ Hoa\n";
    std::string m = error_of("# Mục tiêu\n\n" + pasted);
    CHECK(m.rfind("3:15: ", 0) == 0);
    CHECK(m.find("\"NguyÔn ThÞ\" is TCVN3 (ABC) text pasted into a UTF-8 file") != std::string::npos);
    CHECK(m.find("it reads \"Nguyễn Thị\"") != std::string::npos);

    m = error_of("Ông Nguyeãn Thò Hoa, tröôûng phoøng\n");
    CHECK(m.find("VNI text pasted") != std::string::npos);
    CHECK(m.find("Nguyễn") != std::string::npos);
    CHECK(m.find("trưởng phòng") != std::string::npos);

    // real Vietnamese, names from elsewhere, symbols: nothing to say
    CHECK(sources::text_of(kText + "Müller, José, 25°C, « Đắk Lắk », Ea H'leo, M'Drắk\n", "f") ==
          kText + "Müller, José, 25°C, « Đắk Lắk », Ea H'leo, M'Drắk\n");
}

TEST_CASE("a World decodes a text file once and keeps the problem") {
    sources::MemoryWorld w;
    w.add("a.md", utf16(kText, true));
    w.add("b.md", iconv_to(kText, "TCVN5712-1"));
    CHECK(*w.read_text("a.md").bytes == kText);
    CHECK(*w.read_text("a.md").bytes == kText);
    CHECK(w.fetches() == 1);
    CHECK_THROWS_AS(w.read_text("b.md"), InputError);
    CHECK_THROWS_AS(w.read_text("b.md"), InputError);
    sources::MemoryWorld w2;
    w2.add("b.md", iconv_to(kText, "TCVN5712-1"));
    w2.set_input_encoding(Encoding::tcvn3);
    CHECK(*w2.read_text("b.md").bytes == kText);
}

// Tests for font/: faces loaded from bytes, the one file check, cmap look-ups
// and advance widths compared with FreeType's own answers.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H

#include "font/font.hpp"

using namespace vanban;

namespace {

const char* const kFiles[] = {"LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
                              "LiberationSerif-BoldItalic.ttf"};

std::string path_of(const char* name) { return std::string(VANBAN_FONTS_DIR "/") + name; }

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::shared_ptr<const font::FontFace> load(const std::string& bytes, const std::string& path = "test.ttf") {
    return std::make_shared<const font::FontFace>(std::make_shared<const std::string>(bytes), path);
}

void put32(std::string& s, std::size_t at, std::uint32_t v) {
    for (int k = 0; k < 4; ++k) s[at + k] = static_cast<char>((v >> (24 - 8 * k)) & 0xFF);
}

/// Offset of the table directory entry for `tag`.
std::size_t dir_entry(const std::string& font, const char* tag) {
    const auto* p = reinterpret_cast<const unsigned char*>(font.data());
    for (std::size_t i = 0; i < font::be16(p + 4); ++i)
        if (font.compare(12 + i * 16, 4, tag) == 0) return 12 + i * 16;
    FAIL("no table " << tag);
    return 0;
}

/// FreeType opened on the file itself, independently of the module.
struct FreeType {
    FT_Library lib = nullptr;
    FT_Face face = nullptr;
    explicit FreeType(const std::string& path) {
        REQUIRE(FT_Init_FreeType(&lib) == 0);
        REQUIRE(FT_New_Face(lib, path.c_str(), 0, &face) == 0);
        REQUIRE(FT_Select_Charmap(face, FT_ENCODING_UNICODE) == 0);
    }
    ~FreeType() {
        FT_Done_Face(face);
        FT_Done_FreeType(lib);
    }
};

}  // namespace

TEST_CASE("font: every shipped face loads from bytes") {
    const char* names[] = {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic",
                           "LiberationSerif-BoldItalic"};
    for (int i = 0; i < 4; ++i) {
        const std::string path = path_of(kFiles[i]);
        const std::string bytes = read(path);
        const auto face = load(bytes, path);
        CHECK(face->postscript_name() == names[i]);
        CHECK(face->family() == "Liberation Serif");
        CHECK(face->path() == path);
        CHECK(face->bytes() == bytes);
        CHECK(face->sfnt().units_per_em() == 2048);
        CHECK(face->ascent() > 0.8);
        CHECK(face->descent() > 0.1);
        CHECK(face->line_height() > face->ascent() + face->descent() - 1e-9);
    }
}

TEST_CASE("font: files that are not one glyf TrueType face are refused") {
    const std::string good = read(path_of(kFiles[0]));
    auto refused = [](const std::string& bytes, const char* why) {
        INFO(why);
        CHECK_THROWS_WITH_AS(load(bytes, "x.ttf"), doctest::Contains(why), std::runtime_error);
        CHECK_THROWS_WITH_AS(load(bytes, "x.ttf"), doctest::Contains("x.ttf"), std::runtime_error);
    };
    refused("", "empty");
    refused(std::string("ttcf\0\x01\0\0\0\0\0\x01", 12) + std::string(400, '\0'), ".ttc");
    refused(std::string("OTTO\0\x0a\0\0\0\0\0\0", 12) + std::string(400, '\0'), "CFF");
    refused("not a font at all, really", "not a TrueType");
    refused(good.substr(0, 200), "truncated");
    refused(good.substr(0, good.size() / 2), "outside the file (the file is truncated");
    refused(good.substr(0, 11), "too short");

    SUBCASE("a table pointing outside the file") {
        std::string bad = good;
        put32(bad, dir_entry(bad, "cmap") + 8, static_cast<std::uint32_t>(good.size() - 10));
        refused(bad, "table 'cmap' lies outside the file");
    }
    SUBCASE("a table length past the end") {
        std::string bad = good;
        put32(bad, dir_entry(bad, "glyf") + 12, static_cast<std::uint32_t>(good.size()));
        refused(bad, "table 'glyf' lies outside the file");
    }
    SUBCASE("loca pointing past glyf") {
        std::string bad = good;
        const auto* p = reinterpret_cast<const unsigned char*>(good.data());
        const std::size_t head = font::be32(p + dir_entry(good, "head") + 8);
        const std::size_t loca = font::be32(p + dir_entry(good, "loca") + 8);
        const std::size_t glyf_len = font::be32(p + dir_entry(good, "glyf") + 12);
        const bool long_loca = font::be16(p + head + 50) == 1;
        if (long_loca) put32(bad, loca + 4 * 5, static_cast<std::uint32_t>(glyf_len + 100));
        else bad[loca + 2 * 5] = bad[loca + 2 * 5 + 1] = '\xFF';
        refused(bad, "damaged 'loca'");
    }
    SUBCASE("no glyf outlines") {
        std::string bad = good;
        bad.replace(dir_entry(bad, "glyf"), 4, "gly_");
        refused(bad, "no 'glyf' outlines");
    }
    SUBCASE("no hmtx") {
        std::string bad = good;
        bad.replace(dir_entry(bad, "hmtx"), 4, "hmt_");
        refused(bad, "'hmtx'");
    }
}

TEST_CASE("font: glyph ids and advances are FreeType's") {
    for (const char* name : kFiles) {
        const std::string path = path_of(name);
        const auto face = load(read(path), path);
        FreeType ft(path);
        const double upem = ft.face->units_per_EM;
        std::vector<char32_t> cps;
        for (char32_t c = 0x20; c < 0x250; ++c) cps.push_back(c);
        for (char32_t c = 0x1EA0; c <= 0x1EF9; ++c) cps.push_back(c);
        for (char32_t c : {U'₫', U'–', U'—', U'…', U'“', U'”', U'\u00A0', U'漢', U'\U0001F600', U'\u2219', U'\u2212'})
            cps.push_back(c);
        for (char32_t cp : cps) {
            INFO("U+" << std::hex << static_cast<unsigned>(cp));
            const FT_UInt gid = FT_Get_Char_Index(ft.face, cp);
            FT_Fixed adv = 0;
            REQUIRE(FT_Get_Advance(ft.face, gid, FT_LOAD_NO_SCALE, &adv) == 0);
            CHECK(face->glyph(cp) == gid);
            CHECK(face->has_glyph(cp) == (gid != 0));
            CHECK(face->advance(cp) == static_cast<float>(adv / upem));
            CHECK(face->sfnt().advance_units(static_cast<std::uint16_t>(gid)) == adv);
        }
    }
}

TEST_CASE("font: Vietnamese letters have glyphs") {
    const std::string path = path_of(kFiles[0]);
    const auto face = load(read(path), path);
    for (char32_t cp : {U'ệ', U'Ệ', U'ộ', U'ặ', U'ỹ', U'Ỳ', U'đ', U'Đ', U'ơ', U'Ơ', U'ư', U'Ư', U'ă', U'ĩ', U'ũ', U'₫'}) {
        INFO("U+" << std::hex << static_cast<unsigned>(cp));
        CHECK(face->glyph(cp) != 0);
        CHECK(face->advance(cp) > 0);
    }
    CHECK(face->glyph(0x1EC7) != face->glyph(U'e'));
    CHECK_FALSE(face->has_glyph(U'漢'));
    CHECK(face->glyph(U'漢') == 0);
}

TEST_CASE("font: a book measures UTF-8 text and shares faces") {
    std::array<std::shared_ptr<const font::FontFace>, 4> faces;
    for (int i = 0; i < 4; ++i) faces[i] = load(read(path_of(kFiles[i])), path_of(kFiles[i]));
    faces[3] = faces[2];
    const font::FontBook book(faces);
    const font::FontFace& r = book.face(font::Face::regular);
    CHECK(book.width(font::Face::regular, 10, "Việt") ==
          doctest::Approx(10 * (r.advance(U'V') + r.advance(U'i') + r.advance(U'ệ') + r.advance(U't'))));
    CHECK(book.width(font::Face::bold, 10, "mm") > book.width(font::Face::regular, 10, "mm"));
    CHECK(&book.face(font::Face::bold_italic) == &book.face(font::Face::italic));
    CHECK(font::face_of(true, true) == font::Face::bold_italic);
    CHECK(book.width(font::Face::regular, 10, "") == 0);
}

TEST_CASE("font: look-ups outside the preloaded range from several threads") {
    const auto face = load(read(path_of(kFiles[0])), path_of(kFiles[0]));
    FreeType ft(path_of(kFiles[0]));
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (char32_t cp = 0x2200; cp < 0x2600; ++cp)
                if (face->glyph(cp) != face->glyph(cp) || face->advance(cp) < 0) ++wrong[t];
        });
    for (auto& th : threads) th.join();
    for (int w : wrong) CHECK(w == 0);
    for (char32_t cp = 0x2200; cp < 0x2600; ++cp) CHECK(face->glyph(cp) == FT_Get_Char_Index(ft.face, cp));
}

#include "font/subset.hpp"
#include FT_OUTLINE_H

TEST_CASE("font: a subset holds the used glyphs renumbered, with their outlines and advances, and loads again") {
    const std::string path = path_of(kFiles[0]);
    const std::string bytes = read(path);
    const auto face = load(bytes, path);
    std::vector<std::uint8_t> used(face->sfnt().num_glyphs(), 0);
    for (char32_t cp : std::u32string(U"Việt Nam ộặỹ ₫ 123")) used[face->glyph(cp)] = 1;
    std::vector<std::uint8_t> kept = used;
    std::vector<std::uint16_t> new_ids;
    const std::string sub = font::subset_truetype(*face, kept, new_ids);
    CHECK(sub.size() < bytes.size() / 20);
    std::size_t count = 0;
    for (std::size_t g = 0; g < used.size(); ++g) {
        if (used[g]) CHECK(kept[g]);
        if (kept[g]) CHECK(new_ids[g] == count++);  // in the order of the face's ids, .notdef first
        else CHECK(new_ids[g] == 0);
    }
    CHECK(kept[0]);

    // The subset passes the module's own check and holds only the kept glyphs.
    const auto again = load(sub, "subset.ttf");
    CHECK(again->sfnt().num_glyphs() == count);

    FT_Library lib = nullptr;
    REQUIRE(FT_Init_FreeType(&lib) == 0);
    FT_Face a = nullptr, b = nullptr;
    REQUIRE(FT_New_Memory_Face(lib, reinterpret_cast<const FT_Byte*>(bytes.data()), static_cast<FT_Long>(bytes.size()), 0, &a) == 0);
    REQUIRE(FT_New_Memory_Face(lib, reinterpret_cast<const FT_Byte*>(sub.data()), static_cast<FT_Long>(sub.size()), 0, &b) == 0);
    CHECK(b->num_glyphs == static_cast<FT_Long>(count));
    for (std::size_t g = 0; g < used.size(); ++g) {
        if (!kept[g]) continue;
        INFO("glyph " << g << ", now " << new_ids[g]);
        REQUIRE(FT_Load_Glyph(a, static_cast<FT_UInt>(g), FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING) == 0);
        REQUIRE(FT_Load_Glyph(b, static_cast<FT_UInt>(new_ids[g]), FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING) == 0);
        // Composite glyphs (ộ, ặ, ỹ) are loaded through their renumbered components.
        CHECK(a->glyph->advance.x == b->glyph->advance.x);
        REQUIRE(a->glyph->outline.n_points == b->glyph->outline.n_points);
        for (int k = 0; k < a->glyph->outline.n_points; ++k) {
            CHECK(a->glyph->outline.points[k].x == b->glyph->outline.points[k].x);
            CHECK(a->glyph->outline.points[k].y == b->glyph->outline.points[k].y);
        }
    }
    FT_Done_Face(a);
    FT_Done_Face(b);
    FT_Done_FreeType(lib);
}

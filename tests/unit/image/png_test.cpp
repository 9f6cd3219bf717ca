#include <doctest/doctest.h>

#include <png.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "image/png.hpp"

using vanban::image::PngError;
using vanban::image::read_png;

namespace {

std::string file(const std::string& name) {
    std::ifstream in(std::string(VANBAN_EXAMPLES_DIR) + "/van-ban-dien-tu/" + name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A PNG of `format` (libpng's simplified write API) holding `pixels`.
std::string encode(png_uint_32 format, png_uint_32 w, png_uint_32 h, const void* pixels) {
    png_image img;
    std::memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = w;
    img.height = h;
    img.format = format;
    png_alloc_size_t size = 0;
    REQUIRE(png_image_write_to_memory(&img, nullptr, &size, 0, pixels, 0, nullptr));
    std::string out(size, '\0');
    REQUIRE(png_image_write_to_memory(&img, out.data(), &size, 0, pixels, 0, nullptr));
    out.resize(size);
    return out;
}

std::string message(const std::string& bytes) {
    try {
        read_png(bytes);
    } catch (const PngError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("the example pictures: size, transparency and the declared resolution") {
    auto sig = read_png(file("chu-ky.png"));
    CHECK(sig.width == 600);
    CHECK(sig.height == 200);
    CHECK(sig.has_alpha);
    CHECK(sig.dpi_x == 0);
    CHECK(sig.rgb.size() == 600 * 200 * 3);
    CHECK(sig.alpha.size() == 600 * 200);
    CHECK(static_cast<unsigned char>(sig.alpha[0]) == 0);  // the corner is transparent
    auto seal = read_png(file("con-dau.png"));
    CHECK(seal.width / seal.dpi_x * 25.4 == doctest::Approx(36).epsilon(0.001));
}

TEST_CASE("every colour type comes out as 8-bit RGB and alpha") {
    const unsigned char gray[] = {0, 128, 255, 64};
    auto g = read_png(encode(PNG_FORMAT_GRAY, 2, 2, gray));
    CHECK_FALSE(g.has_alpha);
    CHECK(g.rgb == std::string("\x00\x00\x00\x80\x80\x80\xff\xff\xff\x40\x40\x40", 12));
    CHECK(g.alpha == std::string(4, '\xff'));
    const unsigned char rgba[] = {255, 0, 0, 255, 0, 0, 255, 0};
    auto c = read_png(encode(PNG_FORMAT_RGBA, 2, 1, rgba));
    CHECK(c.has_alpha);
    CHECK(c.rgb == std::string("\xff\x00\x00\x00\x00\xff", 6));
    CHECK(c.alpha == std::string("\xff\x00", 2));
    const std::uint16_t deep[] = {65535, 0, 0, 65535};  // 16-bit linear RGBA
    auto d = read_png(encode(PNG_FORMAT_LINEAR_RGB_ALPHA, 1, 1, deep));
    CHECK(d.alpha == std::string("\xff", 1));
    CHECK(static_cast<unsigned char>(d.rgb[0]) == 255);
    CHECK(d.rgb[1] == 0);
}

TEST_CASE("bad files are refused with the reason") {
    const std::string good = file("chu-ky.png");
    CHECK(message("GIF89a...") == "is not a PNG file (it does not start with the PNG signature)");
    CHECK(message(good.substr(0, good.size() / 2)).find("truncated") != std::string::npos);
    std::string corrupt = good;
    corrupt[40] = static_cast<char>(corrupt[40] ^ 0xFF);
    CHECK(message(corrupt).find("not a valid PNG") != std::string::npos);
    std::string huge = good;  // IHDR width 9000
    huge[16] = 0, huge[17] = 0, huge[18] = 0x23, huge[19] = 0x28;
    CHECK(message(huge).find("too large") != std::string::npos);
    CHECK(message(good + "trailing bytes") == "");  // what follows IEND is ignored
}

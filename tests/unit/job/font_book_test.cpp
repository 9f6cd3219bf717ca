// Tests for job::font_book: faces loaded from the bytes a bundle read, kept by
// path and content.
#include <doctest/doctest.h>

#include <array>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>

#include "job/render.hpp"

using namespace vanban;

namespace {

std::shared_ptr<const std::string> read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return std::make_shared<const std::string>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

model::FontFiles shipped() {
    const std::string dir = VANBAN_FONTS_DIR;
    model::FontFiles f{dir + "/LiberationSerif-Regular.ttf", dir + "/LiberationSerif-Bold.ttf",
                       dir + "/LiberationSerif-Italic.ttf", dir + "/LiberationSerif-BoldItalic.ttf", {}};
    f.bytes = {read(f.regular), read(f.bold), read(f.italic), read(f.bold_italic)};
    return f;
}

}  // namespace

TEST_CASE("font_book: the same files give the same book, read once or read again") {
    const model::FontFiles files = shipped();
    const auto book = job::font_book(files);
    REQUIRE(book);
    CHECK(book->face(font::Face::bold).postscript_name() == "LiberationSerif-Bold");
    CHECK(job::font_book(files) == book);

    // A new read of unchanged files (another World): other buffers, equal bytes.
    model::FontFiles again = files;
    for (auto& b : again.bytes) b = std::make_shared<const std::string>(*b);
    CHECK(job::font_book(again) == book);
}

TEST_CASE("font_book: a file whose bytes changed is loaded anew, the others are shared") {
    const model::FontFiles files = shipped();
    const auto book = job::font_book(files);
    model::FontFiles changed = files;
    changed.bytes[0] = files.bytes[1];  // the regular face's file now holds the bold font
    const auto other = job::font_book(changed);
    CHECK(other != book);
    CHECK(other->face(font::Face::regular).postscript_name() == "LiberationSerif-Bold");
    CHECK(other->face(font::Face::regular).path() == files.regular);
    CHECK(&other->face(font::Face::italic) == &book->face(font::Face::italic));
    CHECK(job::font_book(files) == book);
}

TEST_CASE("font_book: a font that could not be read is named") {
    model::FontFiles files = shipped();
    files.bytes[2] = nullptr;
    CHECK_THROWS_WITH_AS(job::font_book(files), doctest::Contains("LiberationSerif-Italic.ttf"), std::runtime_error);
    files = shipped();
    files.bytes[3] = std::make_shared<const std::string>("not a font");
    CHECK_THROWS_AS(job::font_book(files), std::runtime_error);
}

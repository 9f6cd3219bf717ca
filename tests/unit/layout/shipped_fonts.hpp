// The shipped Liberation Serif faces, loaded once for the layout tests.
#pragma once

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "font/font.hpp"

namespace vanban::layout::testing {

inline std::shared_ptr<const font::FontFace> shipped_face(const std::string& name) {
    const std::string path = std::string(VANBAN_FONTS_DIR "/") + name;
    std::ifstream in(path, std::ios::binary);
    auto bytes = std::make_shared<const std::string>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return std::make_shared<const font::FontFace>(bytes, path);
}

inline const std::shared_ptr<const font::FontBook>& book_ptr() {
    static const auto fb = std::make_shared<const font::FontBook>(std::array<std::shared_ptr<const font::FontFace>, 4>{
        shipped_face("LiberationSerif-Regular.ttf"), shipped_face("LiberationSerif-Bold.ttf"),
        shipped_face("LiberationSerif-Italic.ttf"), shipped_face("LiberationSerif-BoldItalic.ttf")});
    return fb;
}

inline const font::FontBook& book() { return *book_ptr(); }

}  // namespace vanban::layout::testing

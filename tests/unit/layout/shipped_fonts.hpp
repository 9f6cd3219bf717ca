// The shipped Liberation Serif faces, loaded once for the layout tests.
#pragma once

#include "layout/fonts.hpp"

namespace vanban::layout::testing {

inline const FontBook& book() {
    static FontBook fb({VANBAN_FONTS_DIR "/LiberationSerif-Regular.ttf", VANBAN_FONTS_DIR "/LiberationSerif-Bold.ttf",
                        VANBAN_FONTS_DIR "/LiberationSerif-Italic.ttf", VANBAN_FONTS_DIR "/LiberationSerif-BoldItalic.ttf"});
    return fb;
}

}  // namespace vanban::layout::testing

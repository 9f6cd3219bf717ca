// font/subset: the TrueType program embedded in a PDF for the glyphs a
// document draws.
//
// Glyph ids are kept (a PDF CIDFontType2 with /CIDToGIDMap /Identity draws CID
// n with glyph n): the outlines of unused glyphs are emptied, their advances
// zeroed, and 'loca' is rebuilt. Composite glyphs bring their components.
// Hinting (glyph instructions, 'fpgm', 'prep', 'cvt ') and the tables a PDF
// viewer does not read ('name', 'kern', 'GPOS', 'GSUB', glyph names in 'post',
// ...) are left out; 'cmap' is reduced to an empty Unicode map.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "font/font.hpp"

namespace vanban::font {

/// `used[g]` is non-zero for every glyph id drawn (its size is the face's
/// glyph count). Returns the font program; adds the components of used
/// composite glyphs to `used`. Glyph 0 (.notdef) is always kept.
std::string subset_truetype(const FontFace& face, std::vector<std::uint8_t>& used);

}  // namespace vanban::font

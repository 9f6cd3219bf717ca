// font/subset: the TrueType program embedded in a PDF for the glyphs a
// document draws.
//
// The kept glyphs are renumbered 0, 1, 2 … in the order of their ids, so that
// the program holds only them (a viewer loads a few hundred glyphs, not the
// face's 2,600); the PDF keeps the face's glyph ids as CIDs and maps them to
// the new ids with a /CIDToGIDMap stream. Composite glyphs bring their
// components, whose references are renumbered too.
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
/// composite glyphs to `used`, and sets `new_ids[g]` to the id glyph g has in
/// the program (0 for a glyph left out). Glyph 0 (.notdef) is always kept.
std::string subset_truetype(const FontFace& face, std::vector<std::uint8_t>& used, std::vector<std::uint16_t>& new_ids);

}  // namespace vanban::font

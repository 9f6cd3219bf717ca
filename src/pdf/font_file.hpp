// pdf/font_file: checks, before PoDoFo sees it, that a font file is a single
// glyf-based TrueType font — the only kind PoDoFo 0.9.8 can subset. CFF-flavoured
// OpenType (.otf) and collections (.ttc) are rejected with a clear message.
#pragma once

#include <string>

namespace vanban::pdf {

/// Throws std::runtime_error naming `path` and the reason unless the file is a
/// TrueType font (sfnt version 0x00010000 or 'true') with 'glyf', 'loca', 'cmap',
/// 'head', 'hhea', 'hmtx' and 'maxp' tables inside the file.
void check_truetype_font_file(const std::string& path);

}  // namespace vanban::pdf

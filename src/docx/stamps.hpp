// docx/stamps: the marks of Phụ lục I in Word's own constructs — the secrecy
// and urgency stamps [10a]/[10b], box 11 and DỰ THẢO in page 1's own page
// header, the address footer [13] in page 1's own page footer.
#pragma once

#include <string>
#include <vector>

#include "docx/xml.hpp"

namespace vanban::docx {

/// One stamp of a row: text in a single-line frame of `width` pt, or a spacer.
struct Stamp {
    std::string text;   ///< empty: a spacer cell without border
    double width = 0;   ///< pt
    std::string color;  ///< "FF0000", "000000"
};

/// The table properties every table shares (the header, the signature
/// block, the stamps, the annex tables): fixed column widths, the cell margins
/// (0 for the layout tables) and no conditional formatting from a table style
/// (tblLayout, tblCellMar, tblLook).
/// Cell margins of a table, in twentieths of a point.
struct CellMargins {
    long long top = 0, left = 0, bottom = 0, right = 0;
};
void fixed_table_props(Xml& x, const CellMargins& margins = {});

/// Stamp widths as in the PDF (layout/compose.cpp): urgency per PLI-1 §III.2.b, secrecy a generator default.
double mark_width_mm(const std::string& text);

/// Stamps as one table row indented `indent` pt: each a cell of its width,
/// 8 mm high (exact), with a single border in its ink and the text bold,
/// centred, `size` pt, in the same ink.
void stamp_table(Xml& x, const std::vector<Stamp>& stamps, double size, double indent);

}  // namespace vanban::docx

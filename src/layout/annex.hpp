// layout/annex: an annex table (table::ResolvedTable) -> pages appended to a PagedDocument.
//
// Follows Nghị định 30/2020/NĐ-CP, Phụ lục I, on annexes: the label ("Phụ lục I", 14 pt bold), the
// title (UPPER, bold), the italic "(Kèm theo …)" caption and a short rule,
// centred; then a bordered table with the merged multi-row header, the
// column-label row, right-aligned numbers and wrapped text. Column widths come
// from the declared hints or the measured content and always fill the text
// width; a table that cannot fit a portrait page goes landscape (margins
// rotated with the sheet). Long tables continue on further pages with the
// header rows repeated; a row is never split. Each annex numbers its own pages
// (no number on its first page, then 2, 3, … centred in the top margin).
// All single-line cells of a body row share the row's first baseline.
#pragma once

#include <string>

#include "font/font.hpp"
#include "layout/paged.hpp"
#include "table/resolved.hpp"

namespace vanban::layout {

struct AnnexStyle {
    /// Portrait margins in mm (landscape pages use them rotated with the sheet).
    double margin_top_mm = 20, margin_bottom_mm = 20, margin_left_mm = 30, margin_right_mm = 15;
    double title_size = 14;        ///< label, title and caption
    double cell_size = 12;         ///< table text; reduced (down to 9 pt) when the table is too wide
    double page_number_size = 13;
};

/// What compose_annex decided, for checks and dumps.
struct AnnexLayout {
    int first_page = 0;   ///< 0-based index in the document of the annex's first page
    int pages = 0;
    bool landscape = false;
    double cell_size = 12;
    std::vector<double> column_widths;  ///< pt, left to right; they add up to the text width
};

/// Lays out one annex after the pages already in `out`; adds a bookmark
/// ("Phụ lục I. BIỂU …") to its first page.
AnnexLayout compose_annex(const table::ResolvedTable& t, const AnnexStyle& style, const font::FontBook& fonts,
                          PagedDocument& out);

}  // namespace vanban::layout

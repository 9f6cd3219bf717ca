// layout/bounds: the invariant that nothing is drawn outside the text area.
//
// Every text run and rule of every page must lie inside the page's margins
// (portrait pages use the document's margins, landscape annex pages the same
// margins turned with the sheet); only the page number and the page's
// margin line (Page::margin_line) sit in the top margin. Layout keeps text
// inside by breaking lines, pages and over-long words; this check is the guarantee that a document that escaped anyway is
// refused instead of printed wrongly. It is run on every document.
#pragma once

#include <string>
#include <vector>

#include "layout/paged.hpp"
#include "model/document.hpp"

namespace vanban::layout {

struct Escape {
    int page = 0;        ///< 1-based
    std::string text;    ///< the line's text (or "rule")
    double x = 0, y = 0; ///< where it starts, pt from the top-left corner
    std::string side;    ///< "left", "right", "bottom", "top"
};

/// Everything drawn outside the text area (empty when the layout is sound).
std::vector<Escape> outside_text_area(const PagedDocument& doc, const model::LayoutOptions& margins);

}  // namespace vanban::layout

// layout/bounds: the invariants of a laid-out document — nothing is drawn
// outside the text area, and every character drawn has a glyph in its face.
//
// Every text run and rule of every page must lie inside the page's margins
// (portrait pages use the document's margins, landscape annex pages the same
// margins turned with the sheet); only the page number, the stamps of box 11
// and DỰ THẢO (text inside its frame) and the page's margin line
// (Page::margin_line) sit in the top margin. Layout keeps text inside by breaking lines, pages and over-long
// words; this check is the guarantee that a document that escaped anyway is
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

/// A character drawn in a face that has no glyph for it.
struct MissingGlyph {
    int page = 0;       ///< 1-based, where it is first drawn
    char32_t cp = 0;
    Face face = Face::regular;
    std::string text;   ///< the line it is drawn in
};

/// Each character (once per face) that a run draws in a face without a glyph
/// for it, in page order (empty when the fonts cover the document). The
/// check is made on what is drawn, so that no text escapes it.
std::vector<MissingGlyph> missing_glyphs(const PagedDocument& doc);

}  // namespace vanban::layout

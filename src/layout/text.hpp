// layout/text: measuring words and setting them into lines.
//
// Words are split at spaces only (Vietnamese needs no hyphenation), so document
// numbers and citations such as "728/QĐ-UBND" or "47-KH/TU" are never broken.
// Justified lines are placed word by word: all but the last end exactly at the
// right edge, and the exporter never depends on the PDF word-spacing operator.
#pragma once

#include <string>
#include <vector>

#include "font/font.hpp"
#include "layout/paged.hpp"
#include "model/document.hpp"

namespace vanban::layout {

struct Piece {
    Face face;
    std::string text;
    double width;
};

struct Word {
    std::vector<Piece> pieces;
    double width = 0;  ///< sum of pieces
    double space = 0;  ///< width of a space after the word (in its last face)
};

enum class Align { justify, left, center };

/// One set line: runs with x relative to the column's left edge.
struct SetLine {
    std::vector<Run> runs;
    double width = 0;  ///< natural width of the line's content (from the column's left edge)
};

/// Splits styled text into measured words.
std::vector<Word> split_words(const model::Inlines& text, double size, const font::FontBook& fonts);

/// Breaks words into lines of `width` with total-fit line breaking.
/// `first_indent` indents the first line; `hanging` indents every following line
/// (list items such as "- Sở Tài chính;" wrap under their text).
std::vector<SetLine> set_text(const std::vector<Word>& words, double width, double first_indent, Align align,
                              double size, double hanging = 0);

}  // namespace vanban::layout

// layout/text: measuring words and setting them into lines.
//
// Words are split at spaces only (Vietnamese needs no hyphenation), so document
// numbers and citations such as "728/QĐ-UBND" or "47-KH/TU" are never broken.
// Only a word wider than its whole line is broken, between user-perceived
// characters (grapheme clusters), so that nothing runs past the margin; each
// such word is noted (see WordBreakLog) so that the user is warned.
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
    const font::FontBook* fonts = nullptr;  ///< what measured it (a word too wide for its line is broken with it)
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
/// (list items such as "- Sở Tài chính;" wrap under their text). A word wider
/// than the line is broken between grapheme clusters (and noted in the
/// current WordBreakLog) unless `break_long_words` is false, when it is set
/// whole and the line is wider than `width` (the caller refuses it).
std::vector<SetLine> set_text(const std::vector<Word>& words, double width, double first_indent, Align align,
                              double size, double hanging = 0, bool break_long_words = true);

/// Collects, while it lives, the words that set_text broke on this thread
/// (each as written, in the order set). compose() and compose_annex() open
/// one and hand the words on in PagedDocument::broken_words.
class WordBreakLog {
public:
    WordBreakLog();
    ~WordBreakLog();
    WordBreakLog(const WordBreakLog&) = delete;
    WordBreakLog& operator=(const WordBreakLog&) = delete;
    std::vector<std::string> words;

private:
    WordBreakLog* outer_;
};

}  // namespace vanban::layout

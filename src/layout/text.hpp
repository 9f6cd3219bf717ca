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
    Face face = Face::regular;
    std::string text;
    double width = 0;
};

/// The pieces of a word, in order. Nearly every word has one (the face
/// changes inside a word only in the like of "**Điều** 3."): it is held in
/// place and only the others go to a vector, so that measuring a body
/// allocates nothing per word.
class Pieces {
public:
    std::size_t size() const { return n_; }
    bool empty() const { return n_ == 0; }
    Piece& operator[](std::size_t i) { return i == 0 ? first_ : rest_[i - 1]; }
    const Piece& operator[](std::size_t i) const { return i == 0 ? first_ : rest_[i - 1]; }
    Piece& front() { return first_; }
    const Piece& front() const { return first_; }
    Piece& back() { return (*this)[n_ - 1]; }
    const Piece& back() const { return (*this)[n_ - 1]; }
    void push_back(Piece p) {
        if (n_ == 0) first_ = std::move(p);
        else rest_.push_back(std::move(p));
        ++n_;
    }

    template <class Owner, class Value>
    class Iter {
    public:
        Iter(Owner* o, std::size_t i) : o_(o), i_(i) {}
        Value& operator*() const { return (*o_)[i_]; }
        Value* operator->() const { return &(*o_)[i_]; }
        Iter& operator++() {
            ++i_;
            return *this;
        }
        bool operator==(const Iter& b) const { return i_ == b.i_; }
        bool operator!=(const Iter& b) const { return i_ != b.i_; }

    private:
        Owner* o_;
        std::size_t i_;
    };
    using iterator = Iter<Pieces, Piece>;
    using const_iterator = Iter<const Pieces, const Piece>;
    iterator begin() { return {this, 0}; }
    iterator end() { return {this, n_}; }
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, n_}; }

private:
    Piece first_;
    std::vector<Piece> rest_;
    std::size_t n_ = 0;
};

struct Word {
    Pieces pieces;
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

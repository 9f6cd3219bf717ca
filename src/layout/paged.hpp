// layout/paged: the laid-out document — pages of positioned text runs and rules.
//
// This is the contract between layout/ and the exporters: everything is already
// placed, measured and justified; an exporter only draws. Units are PostScript
// points (1/72 in); the origin is the page's top-left corner, y grows downwards,
// and a line's y is its baseline.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "font/font.hpp"

namespace vanban::layout {

using Face = font::Face;
using FontBook = font::FontBook;
using font::face_of;

/// Short name used in dumps: "R", "B", "I", "BI".
const char* face_code(Face f);
/// The face's name as the document's "fonts" member writes it: "regular", "bold", "italic", "bold_italic".
const char* face_name(Face f);

/// One run of text in one face, drawn starting at x on its line's baseline.
/// Justified lines are split into one run per word, each with its own x, so that
/// the exporter never relies on the PDF word-spacing operator.
struct Run {
    double x = 0;
    Face face = Face::regular;
    double size = 14;
    std::string text;  ///< NFC UTF-8
    double width = 0;  ///< advance width as measured by layout (for checks)
    std::uint32_t color = 0;  ///< 0xRRGGBB; 0: black
};

struct Line {
    double y = 0;  ///< baseline
    std::vector<Run> runs;
};

/// A stroked rectangle (the frame of a stamp: urgency, secrecy, circulation, DỰ THẢO).
struct Frame {
    double x = 0, y = 0;  ///< top-left corner
    double w = 0, h = 0;
    double width = 0.6;        ///< line width
    std::uint32_t color = 0;   ///< 0xRRGGBB; 0: black
};

/// Bright red stamp ink ("đỏ tươi") of the urgency and secrecy marks.
constexpr std::uint32_t kStampRed = 0xFF0000;

/// A solid line segment (header rules, table borders).
struct Rule {
    double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    double width = 0.5;
};

/// A picture (signature or seal image) scaled into a box whose top-left
/// corner is (x, y). Layout knows only its pixel size; the bytes are the PNG
/// file as read, which the exporters decode (pdf) or embed as they are (docx).
struct Image {
    double x = 0, y = 0, width = 0, height = 0;
    std::shared_ptr<const std::string> png;
    int width_px = 0, height_px = 0;
    std::string name;  ///< the file's name, for dumps and the DOCX part name
    /// Non-empty on an electronic document: the name of the empty digital
    /// signature field laid over the image, for a signing tool to fill.
    std::string signature_field;
};

struct Page {
    double width = 595.2756;   ///< A4 portrait: 210 mm
    double height = 841.8898;  ///< 297 mm
    std::vector<Line> lines;
    std::vector<Frame> frames;
    std::vector<Rule> rules;
    std::vector<Image> images;  ///< in drawing order: a later image is drawn over an earlier one
    std::string number_label;  ///< printed page number ("" on page 1), for dumps/tests
    /// The one line the decree puts in the top margin of page 1, at its right
    /// (the electronic copy's signature line, box 14); "" when none.
    std::string margin_line;
};

/// Outline entry (PDF bookmark) for a top-level section or an annex.
struct Bookmark {
    std::string title;
    int page = 0;   ///< 0-based
    double y = 0;   ///< top of the heading
};

struct Metadata {
    std::string title;     ///< "Kế hoạch 498/KH-UBND"
    std::string author;    ///< issuer
    std::string subject;   ///< summary
    std::string keywords;  ///< document number "498/KH-UBND"
    std::string date;      ///< ISO date "2024-04-01" used for CreationDate/ModDate (deterministic)
};

/// A header line that cannot fit its column even at the smallest size the
/// decree allows: the document is refused, naming the field to shorten.
struct TooWide {
    enum Field { parent, issuer, number, place_date } field = issuer;
    std::size_t index = 0;  ///< which parent or issuer line
    std::string text;       ///< the line as it would be printed
    double excess = 0;      ///< pt beyond its column
};

struct PagedDocument {
    std::vector<Page> pages;
    /// Words wider than their line, broken between grapheme clusters (as written, in order set).
    std::vector<std::string> broken_words;
    std::vector<TooWide> too_wide;
    std::vector<Bookmark> bookmarks;
    Metadata meta;
    /// The faces the layout measured with (regular, bold, italic, bold italic):
    /// the exporters draw and embed exactly these.
    std::shared_ptr<const font::FontBook> fonts;
};

/// Plain-text dump: one line per text line, per rule, per image —
///   "page 1 line y=123.45 x=85.04 B 13 ỦY BAN NHÂN DÂN"
/// (runs of a line joined by single spaces; x of the first run; face and size of
/// the first run, with "+" when the line mixes faces). Golden layout tests compare it.
std::string dump(const PagedDocument& doc);

}  // namespace vanban::layout

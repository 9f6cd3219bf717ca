// import/wordml: reading a Word document (.docx) into a plain flow of
// paragraphs and tables, in reading order, with what recognition needs:
// run text with its effective bold and italic (direct formatting, character
// and paragraph styles, document defaults), paragraph alignment and outline
// level, the label Word's own numbering would print ("1.", "a)", "-"),
// table grids with merged cells and repeated header rows, and the
// orientation and margins of each section, and the paragraphs of the page
// header and footer that page 1 shows. Reading only: nothing here knows what
// an administrative document is.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vanban::import {

struct Run {
    std::string text;  ///< NFC; '\t' for a tab, '\n' for a line break
    bool bold = false;
    bool italic = false;
};

struct Para {
    std::vector<Run> runs;
    std::string style;       ///< paragraph style id
    int outline = -1;        ///< outline level from the style or paragraph (0 = Heading 1); -1 none
    std::string align;       ///< "left", "center", "right", "both" ("" = left)
    std::string list_label;  ///< what Word's numbering prints before the text ("1.", "a)", "-"); "" none
    double first_indent_pt = 0;  ///< first-line indent (negative: hanging)
    int number = 0;          ///< 1-based paragraph number in the document (tables included)
    int section = 0;         ///< index into Flow::sections

    std::string text() const;   ///< the runs' text
    bool blank() const;         ///< only spaces, tabs and breaks
    bool all_bold() const;      ///< every non-blank run bold (false when blank)
    bool all_italic() const;
};

struct Cell {
    std::vector<Para> paras;
    int span = 1;    ///< grid columns covered (gridSpan)
    int vmerge = 0;  ///< 0 none, 1 starts a vertical merge, 2 continues the one above
};

struct Row {
    std::vector<Cell> cells;
    bool header = false;  ///< repeated on every page (tblHeader)
};

struct Table {
    std::vector<Row> rows;
    std::vector<double> grid;  ///< column widths, pt
    int number = 0;            ///< 1-based table number in the document
    int first_para = 0;        ///< number of its first paragraph
    int section = 0;
};

struct Section {
    bool landscape = false;
    double margin_top_mm = 0, margin_bottom_mm = 0, margin_left_mm = 0, margin_right_mm = 0;
};

struct Item {
    std::optional<Para> para;
    std::optional<Table> table;
};

struct Flow {
    std::vector<Item> items;
    std::vector<Section> sections;
    double default_size_pt = 0;  ///< size of the default paragraph style (0 unknown)
    /// The paragraphs (those of tables included, in reading order) of the
    /// page header and footer shown on page 1: the first section's "first"
    /// ones when it has a different first page, else its "default" ones.
    /// Their `number` is 0.
    std::vector<Para> page_one_header, page_one_footer;
};

/// Parses word/document.xml with styles.xml and numbering.xml (either may be
/// empty). `rels_xml` is word/_rels/document.xml.rels and `parts` the header
/// and footer parts by path ("word/header1.xml"), for page 1's header and
/// footer (both may be empty). Throws InputError located in `file` for
/// malformed XML or a document.xml without a body.
Flow read_flow(const std::string& file, const std::string& document_xml, const std::string& styles_xml,
               const std::string& numbering_xml, const std::string& rels_xml = {},
               const std::map<std::string, std::string>& parts = {});

}  // namespace vanban::import

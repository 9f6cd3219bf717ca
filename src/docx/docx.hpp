// docx: resolve::Document -> a Word document (.docx, WordprocessingML), the
// only folder that writes WordprocessingML.
//
// The DOCX is built from the same resolved document the PDF comes from, in
// Word's own constructs so that a clerk can edit it: A4 sections with the
// document's margins, Times New Roman (Liberation Serif where it is missing),
// the two-column header and the "Nơi nhận" + signature block as borderless
// tables, the decree's rules as bottom borders of empty paragraphs indented to
// the rule's length, body paragraphs in the styles "Body Text" and "Heading
// 1–4" with the outline numbers as literal text, page numbers from page 2 in
// the page header (a different first page), and each annex in its own section
// (its orientation as laid out, numbering restarting) holding a real table:
// merged header cells, the label row, header rows repeated on every page. A
// paper copy's block follows in a section of its own; an electronic copy's
// line stands in page 1's own page header, beside box 11 and DỰ THẢO.
// What only the layout knows (header column widths, rule lengths, annex
// orientation, column widths and type size, a copy block's organisation
// column) comes in as Facts, read from the PDF's layout by facts_from_layout.
// Output is deterministic.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "docx/package.hpp"
#include "layout/annex.hpp"
#include "layout/paged.hpp"
#include "resolve/document.hpp"

namespace vanban::docx {

struct AnnexFacts {
    bool landscape = false;
    double cell_size = 12;              ///< pt
    std::vector<double> column_widths;  ///< pt, left to right
    double rule_length = 60;            ///< the short rule under the title block, pt
};

/// Geometry decided by the PDF layout, in points.
struct Facts {
    double left_column = 0;     ///< width of the header's organisation column (0: 40 % of the text width)
    double org_size = 13;       ///< parent and issuer lines
    double national_size = 13;  ///< "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    double date_size = 14;      ///< the place-date line
    double issuer_rule = 0;     ///< rule under the issuer (0: a third of the column)
    /// The organisation column's lines (parent, then issuer) as the PDF sets
    /// them — kept as given, or broken between words where a line is too
    /// long — with whether each is bold (empty: the input's lines).
    std::vector<std::pair<std::string, bool>> org_lines;
    double motto_rule = 0;      ///< rule under the motto (0: 150 pt)
    double summary_rule = 0;    ///< rule under the summary (0: 120 pt)
    double kinh_gui_x = -1;     ///< "Kính gửi:" x from the left margin, several addressees (-1: centred block unknown)
    double kinh_gui_items_x = -1;  ///< x of the "- " of each addressee
    /// The stamps in page 1's top margin (DỰ THẢO, box 11) as laid out: x from
    /// the left margin and width, pt, left to right (empty: estimated).
    std::vector<std::pair<double, double>> top_stamps;
    double copy_left_column = 0;  ///< a paper copy's organisation column (0: estimated)
    double copy_rule = 0;         ///< the rule under the copying organisation (0: estimated)
    /// The signature lines (authority, position, name; of every signer) that
    /// the PDF sets on more than one line, each with its lines, so that the
    /// DOCX breaks them at the same places (empty: Word's own wrapping).
    std::map<std::string, std::vector<std::string>> signature_breaks;
    std::vector<AnnexFacts> annexes;
};

/// Reads the facts from the laid-out main text (page 1) and the annex layouts.
/// Anything not found keeps its default.
Facts facts_from_layout(const resolve::Document& doc, const layout::PagedDocument& paged,
                        const std::vector<layout::AnnexLayout>& annexes);

/// A picture stored in the package (signature image, seal), once however
/// often it is drawn: its part, its relationship id in word/document.xml and
/// the PNG file's bytes, stored as they are.
struct Media {
    std::string part;    ///< "word/media/image1.png"
    std::string rel_id;  ///< "rIdImage1"
    std::shared_ptr<const std::string> png;
};

/// The document's pictures in drawing order (signature image, then seal;
/// then a paper copy's signature image and seal), each once.
std::vector<Media> media(const resolve::Document& doc);

/// The parts of the package, in the order they are stored.
std::vector<Part> build_parts(const resolve::Document& doc, const Facts& facts);

/// word/document.xml alone (for tests).
std::string document_xml(const resolve::Document& doc, const Facts& facts);

/// The <w:tbl> of one annex table (for tests).
std::string annex_table_xml(const table::ResolvedTable& t, const AnnexFacts& facts);

/// Whether page 1 has marks in its top margin (box 11, DỰ THẢO, an electronic
/// copy's line): then the main text's first page has its own page header,
/// page_one_header_xml.
bool has_page_one_header(const model::Document& d);
std::string page_one_header_xml(const resolve::Document& r, const Facts& facts);
/// The address footer [13] of page 1 (when marks.footer is given), and the
/// blank footer the other pages and sections name.
std::string page_one_footer_xml(const model::Document& d);
std::string blank_footer_xml();

/// Writes the document to `path` (temporary file, then rename). Throws PackageError.
void write_docx(const std::string& path, const resolve::Document& doc, const Facts& facts);

}  // namespace vanban::docx

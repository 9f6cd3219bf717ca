// xlsx: annex tables -> an Excel workbook (libxlsxwriter), one sheet per table.
//
// Drawn only from table::ResolvedTable, never from the input. Each sheet has
// the label, the title, the caption and subtitle lines merged across the table,
// the merged multi-row header and the column-label row, then the body: numbers
// are real numbers with US-notation formats ("#,##0", "#,##0.00") so that a
// Vietnamese-locale Excel shows 388.231 and 8,11; computed cells and totals are
// plain Excel formulas whose cached results are the values the PDF prints.
// Print setup: A4, landscape when the table is wide, one page wide, header rows
// repeated, the document's margins, page number in the header. The created
// date comes from the document, so identical input gives byte-identical files.
// The file is written to a temporary name in the same folder and renamed; on
// any error no file is left behind. No locale is consulted or changed.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "table/resolved.hpp"

namespace vanban::xlsx {

struct WorkbookMeta {
    std::string title;    ///< workbook title property (e.g. the document's summary)
    std::string subject;  ///< optional
    std::string author;   ///< the issuing organisation
    std::string company;  ///< optional
    /// Creation date stored in the file (fixed so that output is reproducible).
    /// Missing month/day count as 1.
    int year = 2000;
    std::optional<int> month;
    std::optional<int> day;
    /// Page margins in millimetres for portrait sheets (Nghị định 30: top/bottom
    /// 20–25, left 30–35, right 15–20). Landscape sheets use them rotated with
    /// the paper: top = left, bottom = right, left = bottom, right = top.
    double margin_top_mm = 20, margin_bottom_mm = 20, margin_left_mm = 30, margin_right_mm = 15;
    std::string font_name = "Times New Roman";
    /// Print orientation of each sheet, as the PDF lays the table out; tables
    /// past its end use their own `landscape`.
    std::vector<bool> landscape;
};

/// Thrown when the workbook cannot be written; nothing is left at the target path.
class XlsxError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Writes one sheet per table to `path`. Each table's `label` ("Phụ lục I") and
/// `caption` ("(Kèm theo …)") are printed as they are: the caller fills them
/// with the document's numbering and caption first (an absent or empty caption
/// prints no caption line). Sheet names come from sheet_name, else the label,
/// else the title; they are cut to 31 characters, stripped of []:*?/\ and made
/// unique ignoring case.
void write_workbook(const std::string& path, const std::vector<table::ResolvedTable>& tables,
                    const WorkbookMeta& meta);

/// The sheet names write_workbook would use for these tables, in order.
std::vector<std::string> sheet_names(const std::vector<table::ResolvedTable>& tables);

}  // namespace vanban::xlsx

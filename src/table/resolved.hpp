// table/resolved: an annex table after computation, ready to draw.
//
// The table engine (table/engine.hpp) turns a model::Annex into a ResolvedTable:
// every cell's display text in Vietnamese notation, its exact value, its
// alignment and weight, and — for computed cells and totals — the Excel formula
// that recomputes it. layout/ (PDF pages) and xlsx/ (workbook) draw only from
// this structure and never from the input.
//
// Grid coordinates: the header occupies `header_rows` rows; the label row (when
// `labels` is non-empty) follows; then `rows` (the body). Columns are 0-based,
// left to right, one per ResolvedColumn.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "model/table.hpp"

namespace vanban::table {

enum class Align { left, center, right };

enum class RowKind {
    data,      ///< one row of the input
    group,     ///< a group's heading row ("I", title); holds the subtotals when the table puts them there
    subtotal,  ///< a separate subtotal row after a group's data rows ("Cộng")
    total,     ///< the table total ("Tổng cộng", or e.g. "I | Tổng cộng toàn tỉnh")
};

/// A cell of the (multi-row) header; merged when rowspan or colspan > 1.
struct HeaderCell {
    int row = 0;      ///< 0-based header row
    int col = 0;      ///< 0-based first column
    int rowspan = 1;
    int colspan = 1;
    std::string text; ///< as written; may contain '\n' for a forced break
};

/// An Excel formula over cells of the body, independent of where the table
/// sits on a sheet. Parts are concatenated: literal text, a single cell, or a
/// vertical range of one column. Rows are indexes into ResolvedTable::rows.
struct Formula {
    struct Part {
        std::string text;   ///< literal Excel text, used when row < 0
        int row = -1;       ///< body row of the referenced cell (first row of a range)
        int row_last = -1;  ///< last body row of a range; == row for a single cell
        int col = -1;       ///< column of the reference
    };
    std::vector<Part> parts;

    bool empty() const { return parts.empty(); }
    /// Excel (A1, US-English) text without the leading '=', given the 0-based
    /// sheet row of body row 0 and the 0-based sheet column of column 0:
    /// "IFERROR(ROUND(D8/C8*100,2),\"-\")", "SUM(C8:C24)".
    std::string to_a1(int first_body_row, int first_col) const;
};

struct Cell {
    std::string text;              ///< display text: "388.231", "8,11", "-", "Huyện Kbang", "" (blank)
    std::optional<Decimal> value;  ///< exact number; absent for text, blank and "-" cells
    Align align = Align::left;
    bool bold = false;
    bool italic = false;
    Formula formula;               ///< non-empty for computed cells and sums
    /// Excel number format code (US notation) for a numeric cell: "#,##0",
    /// "#,##0.00", "#,##0.0000"; empty for text cells.
    std::string excel_format;
    /// The value is not known (given as null, or computed from such a cell):
    /// `text` is the column's mark ("-" or ""), the workbook cell is empty (or
    /// a formula whose result is "").
    bool unknown = false;
    /// The value rests on input that was rejected (and reported): it must not
    /// be quoted or compared.
    bool unsound = false;
};

struct ResolvedRow {
    RowKind kind = RowKind::data;
    std::vector<Cell> cells;  ///< exactly one per column
    bool bold = false;        ///< the whole row is bold (total, group, subtotal)
    std::string pointer;      ///< where the row comes from in the input
    /// Index in ResolvedTable::rows of the heading row of the group this row
    /// belongs to (a group's rows and sub-groups, and its "Cộng" row); -1 at the top.
    int parent = -1;
    int level = 0;            ///< nesting depth: 0 for top-level groups and the rows of an ungrouped table
    std::string id;           ///< the row's or group's id in the input ("$id" / "id"); may be empty
};

struct ResolvedColumn {
    std::string key;
    model::ValueFormat format = model::ValueFormat::integer;
    int decimals = 0;           ///< digits shown (money: at most this many)
    Align align = Align::right; ///< body alignment
    bool computed = false;      ///< has an expression
    double width = 0;           ///< declared relative width; 0 = fit to content
    /// Widest content in characters (code points): the longest header word,
    /// the label and every body cell. A measure for fitted widths.
    int content_chars = 0;
    bool numbering = false;     ///< the TT column (its text does not name a row)
};

/// A cell of this table that must equal a cell (or the sum of cells) of
/// another annex: {"equals": "II:total:tong"} in the input. Checked once every
/// annex is computed (resolve/).
struct CrossCheck {
    int row = 0;                        ///< body row of the stating cell
    int col = 0;                        ///< its column
    std::vector<std::string> refs;      ///< "II:total:tong", …: the cells whose sum it must equal
    std::string pointer;                ///< where the input states it
};

struct ResolvedTable {
    std::string label;                 ///< "Phụ lục I" as given in the input (empty: the document numbers it)
    std::string title;                 ///< as written; printed UPPER by the renderers
    std::optional<std::string> caption;///< the input's own "(Kèm theo …)" line; nullopt = the document's default
    std::vector<std::string> subtitle; ///< further lines under the caption ("Đơn vị tính: triệu đồng" included)
    std::vector<std::string> notes;    ///< lines under the table
    model::Orientation orientation = model::Orientation::automatic;  ///< as declared
    bool landscape = false;            ///< declared, or chosen because the table is wide
    std::string sheet_name;            ///< requested XLSX sheet name (the writer validates and de-duplicates)

    std::vector<ResolvedColumn> columns;
    int header_rows = 1;               ///< number of header rows (≥ 1)
    std::vector<HeaderCell> header;    ///< cells covering the header_rows × columns grid exactly once
    std::vector<std::string> labels;   ///< column label row ("A", "B", "1", "3=2/1"); empty = no label row
    std::vector<ResolvedRow> rows;     ///< body rows in print order
    std::vector<CrossCheck> checks;    ///< cells stated equal to cells of other annexes

    std::string source_file;           ///< for messages
    std::string pointer;               ///< "/annexes/0"

    /// Rows of the grid above the body: header_rows + (labels empty ? 0 : 1).
    int head_rows() const { return header_rows + (labels.empty() ? 0 : 1); }
};

}  // namespace vanban::table

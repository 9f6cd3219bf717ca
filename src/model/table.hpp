// model/table: annexes (Phụ lục) and their tables as declared in the input.
//
// Data only: the table engine (table/) compiles the expressions, computes the
// cells and totals, checks stated values and produces a table::ResolvedTable
// that layout/ and xlsx/ draw. Every element keeps the JSON pointer it came
// from so that the engine's messages point at the input.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.hpp"

namespace vanban::model {

/// How a column's numbers are shown (Vietnamese notation: 388.231; 8,11).
enum class ValueFormat {
    text,     ///< any text, no arithmetic
    integer,  ///< whole numbers: 388.231
    decimal,  ///< fixed `decimals` digits: 2,00
    percent,  ///< a percentage stored as the number shown (11,26 means 11,26 %), fixed `decimals` digits
    money,    ///< up to `decimals` digits, trailing zeros dropped: 10.966,9345; 246,3; 9.890
};

enum class Align { automatic, left, center, right };

/// What the total, group and subtotal rows hold in a column.
enum class TotalPolicy {
    automatic,  ///< sum for integer/decimal/money input columns, recompute for computed ones, none otherwise
    sum,        ///< sum of the rows below
    recompute,  ///< the column's expression applied to the total row's own cells
    none,       ///< left blank (or the value the input gives for that row)
};

/// Result of a computed cell whose expression divides by zero.
enum class DivZero { dash, zero };

/// How a column's unknown cells (`null` in the input) count where they are read.
enum class UnknownRule {
    unknown,  ///< a sum or an expression reading an unknown cell is unknown itself
    zero,     ///< unknown cells count as 0 (the sum is the known part)
};

enum class Orientation { automatic, portrait, landscape };

/// One leaf column of the table (left to right).
struct Column {
    std::string key;     ///< "c3"; referenced by expressions and by row objects
    std::string header;  ///< text of its own header cell: "Tỷ lệ (%)"
    std::string label;   ///< column label under the header: "3=2/1"; may be empty
    ValueFormat format = ValueFormat::integer;
    int decimals = 0;    ///< decimal/percent: fixed digits; money: most digits
    Align align = Align::automatic;
    std::string expr;    ///< non-empty: a computed column ("c2 / c1 * 100")
    TotalPolicy total = TotalPolicy::automatic;
    DivZero on_div_zero = DivZero::dash;
    std::string unknown_mark = "-";  ///< what an unknown cell prints: "-" or "" (blank)
    UnknownRule unknowns = UnknownRule::unknown;
    bool numbering = false;  ///< "TT" column: data rows 1, 2, …; group rows I, II, …
    double width = 0;        ///< relative width hint; 0 = fitted to the content
    std::string pointer;     ///< "/annexes/0/columns/3" (for nested headers the leaf's own pointer)
};

/// A header cell spanning several leaf columns, above their own headers.
struct HeaderGroup {
    std::string text;   ///< "Kết quả rà soát cuối năm 2023"
    int first = 0;      ///< index of the first leaf column covered
    int last = 0;       ///< index of the last leaf column covered (inclusive)
    int level = 0;      ///< 0 = top header row
};

/// One value given in the input for one cell: a number, a text, or null (in a
/// number column: the value is not known). Written as an object
/// {"value": …, "as_published": true, "equals": …} it may also keep a stated
/// value as published or state that the cell equals cells of other annexes.
struct CellInput {
    enum class Kind { text, number, null };
    Kind kind = Kind::null;
    std::string text;   ///< Kind::text: the string; Kind::number: the number as written
    Decimal number;     ///< Kind::number
    std::string pointer;  ///< "/annexes/0/rows/3/c2"
    /// A stated value that differs from the computed one is printed as given
    /// (a published figure reproduced), and the difference is a warning.
    bool as_published = false;
    /// The cell must equal the sum of these cells ("II:total:tong", …), checked
    /// once every annex is computed; empty: no such check.
    std::vector<std::string> equals;
    bool has_value = true;  ///< false for {"equals": …} without "value": only the check
};

/// Cells given for one row, by column key. For a computed column (or a summed
/// column in a total/group row) a given number is a *stated* value: the engine
/// still computes the cell and reports a mismatch.
using CellInputs = std::map<std::string, CellInput>;

struct Row {
    CellInputs cells;
    std::string id;       ///< "$id": names the row in references ([[I:#da4-tda1:tong]]); may be empty
    std::string pointer;  ///< "/annexes/0/rows/3"
};

/// Where subtotals of a group are written.
enum class SubtotalStyle {
    group_row,     ///< on the group's own row ("I | Khối thị trấn | 1.234 | …")
    separate_row,  ///< a row after the group's data rows ("Cộng")
    none,          ///< no subtotals
};

/// A group of rows (or of further groups) with its heading row. A group holds
/// rows or groups, or neither: then it is a leaf and its cells are its own
/// figures ("Dự án 2" with no sub-projects).
struct Group {
    std::string title;     ///< "Các xã"
    std::string id;        ///< names the group in references; may be empty
    CellInputs cells;      ///< values given for the group (and subtotal) row: stated subtotals, labels; a leaf's figures
    std::vector<Row> rows;
    std::vector<Group> groups;  ///< nested groups ("Dự án 3" → "Tiểu dự án 1" → rows)
    std::string pointer;   ///< "/annexes/0/groups/1"
    bool leaf = false;     ///< given without "rows" and "groups": `cells` are the group's own figures
};

struct TotalRow {
    bool present = false;
    bool at_top = true;    ///< printed before the data rows (as in most Vietnamese annex tables)
    CellInputs cells;      ///< label cells ("I", "Tổng cộng toàn tỉnh"), stated totals, values of "none" columns
    std::string pointer;   ///< "/annexes/0/total"
};

struct Table {
    std::vector<Column> columns;
    std::vector<HeaderGroup> header_groups;
    std::vector<Row> rows;        ///< used when the table has no groups
    std::vector<Group> groups;    ///< used when the table has groups (rows is then empty)
    SubtotalStyle subtotals = SubtotalStyle::group_row;
    std::string subtotal_label = "Cộng";
    bool numbering_restarts_in_group = true;
    TotalRow total;
    std::string pointer;  ///< the annex pointer
};

struct Annex {
    std::string title;                  ///< "BIỂU TỔNG HỢP CHỈ TIÊU GIẢM NGHÈO NĂM 2024" (as written)
    std::string label;                  ///< "Phụ lục I"; empty = numbered by the document
    std::vector<std::string> subtitle;  ///< lines under the caption, e.g. "Đơn vị tính: triệu đồng"
    std::optional<std::string> caption; ///< replaces the "(Kèm theo …)" line; "" = none
    std::string unit;                   ///< "triệu đồng"; shown as "Đơn vị tính: …" when set
    std::vector<std::string> notes;     ///< "Ghi chú" lines under the table
    Orientation orientation = Orientation::automatic;
    std::string sheet_name;             ///< XLSX sheet name; empty = derived from the title
    Table table;

    std::string source_file;  ///< file the annex was read from (for messages)
    std::string pointer;      ///< "/annexes/0"
};

}  // namespace vanban::model

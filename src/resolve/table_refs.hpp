// resolve/table_refs: figures in the text bound to annex table cells, and
// cells of one annex checked against cells of another.
//
// The body, and an annex's title, caption, subtitle and notes, may quote a
// table's figure through a reference instead of typing it:
//
//   [[I:total:thoat_ngheo]]             prints the computed cell ("207")
//   [[I:total:thoat_ngheo = 207]]       prints "207" and checks it against the table
//   [[2:Dự án 2:giao]]                  row named by the text of one of its cells
//   [[II:Dự án 4/Tiểu dự án 1:tong]]    row named by its path through its groups
//   [[II:#da4-tda1:tong]]               row named by its id ("$id" of a row, "id" of a group)
//
// The parts are: the annex (1-based number or Roman numeral: "2", "II") before
// the first ":", the column key after the last ":", and between them the row:
// "total", the text of a cell of that row (a unit's name, a group's title, a TT
// number such as "3"), a path of such names separated by "/" (each name an
// enclosing group's, in order, the last the row's own; levels may be skipped),
// or "#" and an id. Because only the first and the last ":" separate parts, a
// row name may itself contain ":" ("Tiểu dự án 1: Hỗ trợ phát triển sản
// xuất"); such a row also answers to its short name, the part before ": "
// ("Tiểu dự án 1"). Names are compared without regard to case. A reference
// that names several rows is an error listing them with their paths.
//
// A stated value (after "=") is written in Vietnamese notation ("2.319,6",
// "41,99") and must equal the computed value rounded to the decimals it shows;
// otherwise the reference is an error naming the table, row, column, the
// stated and the computed value. A cell that is not known (null in the table)
// cannot be quoted; a stated value for it is printed unchecked, with a warning.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "model/document.hpp"
#include "table/resolved.hpp"

namespace vanban::resolve {

/// A cell found by a reference.
struct CellRef {
    int annex = 0;  ///< 0-based index into the tables
    int row = 0;
    int col = 0;
};

/// Finds the cell "annex:row:column" (the text inside [[ ]], without a stated
/// value). On failure returns nullopt and sets `error` to a message saying why
/// (several rows named: the candidates with their paths).
std::optional<CellRef> find_cell(const std::string& ref, const std::vector<table::ResolvedTable>& tables,
                                 std::string& error);

/// The path of a row through its groups, by the names it prints: "Dự án 4/Tiểu dự án 1", "total".
std::string row_path(const table::ResolvedTable& t, int row);

/// Replaces every reference in `text` with its figure; problems are appended
/// to `diags` at (file, where). Returns the text with the references replaced.
std::string resolve_refs_in(const std::string& text, const std::vector<table::ResolvedTable>& tables,
                            const std::string& file, const Loc& where, Diagnostics& diags);

/// Replaces every reference in doc.body with its text; problems are appended
/// to `diags` (located at body file:line).
void resolve_table_refs(model::Document& doc, const std::vector<table::ResolvedTable>& tables, Diagnostics& diags);

/// Replaces the references in each annex's title, caption, subtitle and notes
/// (located in the annex's own file at "/title", "/notes/1", …).
void resolve_annex_text_refs(std::vector<table::ResolvedTable>& tables, Diagnostics& diags);

/// Checks every cell stated equal to cells of other annexes ({"equals": …});
/// a failure is an error at the stating cell that names both places.
void check_cross_tables(const std::vector<table::ResolvedTable>& tables, Diagnostics& diags);

/// Reads a number in Vietnamese notation ("2.319,6", "-3", "41,99"); nullopt if it is not one.
std::optional<Decimal> parse_vn_number(std::string_view text);

}  // namespace vanban::resolve

// resolve/table_refs: figures in the body text bound to annex table cells.
//
// The body may quote a table's figure through a reference instead of typing it:
//
//   [[I:total:thoat_ngheo]]          prints the computed cell ("207")
//   [[I:total:thoat_ngheo = 207]]    prints "207" and checks it against the table
//   [[2:Dự án 3:giao]]               row chosen by the text of one of its cells
//
// The three parts are: the annex (1-based number or Roman numeral: "2", "II"),
// the row ("total", or the exact text of a cell of that row: a unit's name, a
// group's title, a TT number such as "3"), and the column key. A stated value
// (after "=") is written in Vietnamese notation ("2.319,6", "41,99") and must
// equal the computed value rounded to the decimals it shows; otherwise the
// reference is an error naming the table, row, column, the stated and the
// computed value. Resolution happens once the annex tables are computed.
#pragma once

#include <vector>

#include "core/diagnostic.hpp"
#include "model/document.hpp"
#include "table/resolved.hpp"

namespace vanban::resolve {

/// Replaces every reference in doc.body with its text; problems are appended
/// to `diags` (located at body file:line).
void resolve_table_refs(model::Document& doc, const std::vector<table::ResolvedTable>& tables, Diagnostics& diags);

/// Reads a number in Vietnamese notation ("2.319,6", "-3", "41,99"); nullopt if it is not one.
std::optional<Decimal> parse_vn_number(std::string_view text);

}  // namespace vanban::resolve

// table/engine: computes and checks annex tables.
//
// resolve() compiles the computed columns' expressions, orders them by their
// dependencies (a cycle is an error naming it), computes every data row, the
// group subtotals and the total, checks every value the input states against
// the computed one, and formats every cell. Sums are exact (Decimal); a
// column's `total` policy says whether the total row sums it, recomputes it
// from the total row's own cells (ratios), or leaves it to the input.
#pragma once

#include <string>

#include "core/diagnostic.hpp"
#include "model/table.hpp"
#include "table/resolved.hpp"

namespace vanban::table {

/// Computes, checks and formats one annex. Every problem is reported into
/// `diags` (file: annex.source_file, location: the JSON pointer of the value or
/// declaration at fault) and processing goes on, so that one call reports all
/// problems; the returned table is then a best effort and must not be printed.
ResolvedTable resolve(const model::Annex& annex, Diagnostics& diags);

/// Display text of `v` in a column of the given format (Vietnamese notation):
/// integer 388231 -> "388.231"; percent/decimal (2) 8.1142 -> "8,11";
/// money (4) 20856.9345 -> "20.856,9345", 246.30 -> "246,3".
std::string format_value(const Decimal& v, model::ValueFormat format, int decimals);

/// The value as displayed (rounded half-up to the digits shown).
Decimal displayed_value(const Decimal& v, model::ValueFormat format, int decimals);

/// Excel number format code (US notation) that shows `v` as format_value does:
/// "#,##0", "#,##0.00", "#,##0.0000" (money: only the digits the value needs).
std::string excel_number_format(const Decimal& v, model::ValueFormat format, int decimals);

/// Excel column letters for a 0-based column: 0 -> "A", 26 -> "AA".
std::string excel_column(int col);

}  // namespace vanban::table

// import/table: a Word table -> the columns, rows, groups and total of an
// annex table (templates/annex.schema.json): the header rows (merged cells
// become nested column groups), the column-label row ("A", "B", "1",
// "3=2/1"), numbers in Vietnamese notation (388.231; 8,11) as numbers with
// their format and decimals, a total row and group rows ("I", "II") whose
// figures are kept as stated values — summed by vanban only where the Word
// table's own figures add up.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "core/diagnostic.hpp"
#include "import/wordml.hpp"

namespace vanban::import {

struct TableImport {
    nlohmann::ordered_json json;  ///< columns, rows or groups, total, subtotals, numbering
};

TableImport import_table(const Table& t, const std::string& file, Diagnostics& warnings);

/// "388.231" -> "388231", "8,11" -> "8.11", "-1.200,5" -> "-1200.5"; nullopt when
/// the text is not a number in Vietnamese notation. `decimals` receives the digits after ','.
std::optional<std::string> parse_vn_number(const std::string& text, int* decimals = nullptr);

}  // namespace vanban::import

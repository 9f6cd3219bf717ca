// input/table_input: one annex object of the input JSON -> model::Annex.
//
// Checks the structure and the types of an annex (the format is described in
// templates/annex.schema.json). What needs the computed table — expression
// errors, dependency cycles, missing cells, stated values that disagree with
// the computed ones — is reported when resolve/ computes it.
// Numbers are kept exact: JSON integers as they are, JSON numbers with decimals
// through their shortest round-trip text (at most 15 significant digits, more is
// an error), and strings such as "10966.9345" digit for digit.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/decimal.hpp"
#include "core/diagnostic.hpp"
#include "model/table.hpp"

namespace vanban::input {

/// Parses one annex object `j` found at `pointer` ("/annexes/0") in `file`.
/// Every problem is added to `diags` (with a JSON pointer such as
/// "/annexes/0/rows/3/c2") and parsing goes on; the returned annex is complete
/// only when no error was added.
model::Annex parse_annex(const nlohmann::json& j, const std::string& file, const std::string& pointer,
                         Diagnostics& diags);

/// The exact decimal a JSON value stands for: an integer, a number with
/// decimals of at most 15 significant digits, or a string such as "10966.9345".
/// nullopt (with `why` set) for anything else.
std::optional<Decimal> json_decimal(const nlohmann::json& j, std::string* why = nullptr);

}  // namespace vanban::input

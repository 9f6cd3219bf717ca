// bind/value: what a data value means to a template — whether it is missing,
// how it reads as an exact number, how it prints bare, whether a section
// counts it as true.
//
// Number reading rules (data files come from spreadsheets):
//   - a JSON number is numeric (one with decimals must have at most 15
//     significant digits, the most a JSON parser keeps exactly — write longer
//     numbers as strings);
//   - a string is numeric when, spaces around it ignored, it is an optional
//     sign, digits, and optionally one decimal mark ('.' or ',') followed by
//     digits: "18286", "-3", "8.11", "8,11" (Vietnamese-locale Excel).
//     There are no thousands separators: "388.231" reads as 388.231 (three
//     hundred eighty-eight point two three one), and "1.234.567" is not a
//     number. Exponents ("1e3") are not accepted.
//   - an empty string, a string of spaces, and null are *missing*.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/decimal.hpp"

namespace vanban::bind {

/// Reads text by the rules above; nullopt when it is not a number (or has
/// more than Decimal::max_scale decimals or Decimal::max_digits digits).
std::optional<Decimal> parse_number_text(std::string_view text);

/// True for null and for strings that are empty or only spaces/tabs.
bool is_missing(const nlohmann::json& v);

/// Reads a data value as a number. On failure returns nullopt and, when `why`
/// is given, sets it to a phrase completing "<name> …": "is empty",
/// "is \"Kbang\", not a number", "is a list, not a number", …
std::optional<Decimal> read_number(const nlohmann::json& v, std::string* why = nullptr);

/// How a number prints without a filter when it does not come as text: no
/// grouping, ',' as the decimal mark, trailing zeros dropped: 8.110 -> "8,11".
std::string plain_vietnamese(const Decimal& d);

/// Text of a scalar value for a bare placeholder: a string as written, a JSON
/// integer in digits ("18286"), a JSON number with decimals by
/// plain_vietnamese ("8,11"). nullopt for null, booleans, lists and objects.
std::optional<std::string> bare_text(const nlohmann::json& v);

/// Section truth: false for null, false, missing strings, empty lists and
/// numeric zero (0, "0", "0,0"); true otherwise.
bool is_truthy(const nlohmann::json& v);

/// The JSON number a whole-string bare placeholder becomes, or nullopt when the
/// value must stay text. JSON numbers stay numbers. A string becomes a number
/// only when written canonically: "-3", "498" -> integer; "8,11", "10966.9345"
/// -> number with decimals (at most 15 significant digits, so that it reads
/// back exactly). "007", "+3", "1.0e3", "0012,5" stay strings.
std::optional<nlohmann::json> as_json_number(const nlohmann::json& v);



}  // namespace vanban::bind

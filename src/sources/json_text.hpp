// sources/json_text: JSON text -> a tree, with the checks no JSON library
// makes for us. Used for every JSON file a document reads.
//
//  - valid UTF-8 (a legacy encoding is named in the message);
//  - syntax errors located at line:column and explained (explain_syntax);
//  - nesting at most Limits::max_json_depth levels deep (the tree is built
//    without recursion, so a hostile file cannot exhaust the stack);
//  - a key given twice in one object is an error naming both places
//    (JSON libraries silently keep the last);
//  - numbers that no double or 64-bit integer holds (1e400,
//    99999999999999999999999) are errors, not infinities or floats;
//  - control characters other than line feed in strings are errors, a tab
//    becomes a space;
//  - every string (keys too) is NFC-normalised.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/diagnostic.hpp"
#include "sources/limits.hpp"

namespace vanban::sources {

/// Parses `text` (named `file` in messages). Throws InputError with every
/// problem found (syntax errors stop at the first).
nlohmann::json parse_json_text(std::string_view text, const std::string& file);

/// A syntax error as the person who typed it would put it: where, and what
/// to write instead (a trailing, missing or extra comma, curly quotes from
/// Word, unquoted text, a number with a leading zero, a missing colon, an
/// unclosed brace, a comment, a lone backslash). Messages start "malformed
/// JSON: " (each with its code, "json-trailing-comma" …).
struct SyntaxProblem {
    std::size_t at;   ///< byte offset
    Message message;
};
/// The first syntax error of `text` (valid UTF-8), or nullopt when its syntax is right.
std::optional<SyntaxProblem> explain_syntax(std::string_view text);

/// Line and column (1-based; column counted in characters) of a byte offset in text.
TextPos line_column(std::string_view text, std::size_t byte_offset);

/// Byte offsets in `text` of the member named by `pointer` — of its key
/// inside an object (every occurrence, when a key is repeated), of the value
/// for an array element or the whole document. Empty when it is not there.
std::vector<std::size_t> locate(std::string_view text, std::string_view pointer);

}  // namespace vanban::sources

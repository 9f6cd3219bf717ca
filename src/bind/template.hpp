// bind/template: Mustache templates in document strings and body text, with
// filters for Vietnamese formatting; compiled once, rendered per record.
//
// Syntax (no HTML escaping is ever applied):
//   {{name}} {{{name}}} {{&name}}   the value, as written in the data
//   {{a.b}}                          field b of object a
//   {{.}}                            the current item of a section
//   {{name | number:2 | upper}}     filters, applied left to right
//   {{#name}}…{{/name}}              repeated for each item of a list; once
//                                    for another true value (see is_truthy)
//   {{^name}}…{{/name}}              only when the value is false or empty
//   {{! comment }}
// A section, inverted-section or comment tag alone on its line takes the
// whole line with it (Mustache "standalone" rule).
//
// Filters (numbers are exact Decimals, rounded half-up like Excel ROUND, and
// printed like the annex tables' cells):
//   number      2059 -> "2.059"; 8,105 -> "8,105" (every decimal it has)
//   number:d    d decimals, fixed: 8,105 | number:2 -> "8,11"
//   percent[:d] as number, then "%": "11,26%"
//   money[:d]   at most d decimals, trailing zeros dropped: "10.966,9345", "9.890"
//   date        "2024-04-01" or "01/04/2024" -> "ngày 01 tháng 4 năm 2024"
//   date:short  -> "01/4/2024" (day padded, month padded for 1 and 2)
//   upper lower capitalize   Vietnamese case mapping (vntext)
//   roman       4 -> "IV"
// number, percent, money, roman and date read the value itself and must come
// first in a chain; upper/lower/capitalize work on the text so far.
//
// Every problem is a Diagnostic located in the template — the JSON pointer of
// the string, or line:column of the tag in a text file — and names the data
// record ("data.csv:7") in its message. A name with no value, an empty cell or
// null is an error, never an empty string. Rendering reports every problem of
// a record and goes on.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bind/context.hpp"
#include "core/diagnostic.hpp"

namespace vanban::bind {

namespace detail {
struct RenderState;
}

/// Where a template text sits, for messages.
struct Origin {
    std::string file;     ///< the template file as the user named it
    /// JSON pointer of the string inside `file` ("/summary"). Empty: the text is
    /// a whole text file and tags are located by line:column.
    std::string pointer;
};

/// One compiled template string.
class Template {
public:
    Template() = default;

    /// Parses `text`; syntax errors (unclosed tag, mismatched section, unknown
    /// filter, bad filter argument, bad name) go to `diags`.
    static Template compile(std::string_view text, const Origin& origin, Diagnostics& diags);

    /// True when the text has at least one tag.
    bool has_tags() const;

    /// The text with every tag replaced.
    std::string render(const Context& ctx, Diagnostics& diags) const;

    /// For a string value of a JSON template. When the text is exactly one
    /// placeholder without filters: a number value gives a JSON number
    /// (as_json_number in bind/value.hpp: "498" -> 498, "007" stays text), a
    /// list, object or true/false value from JSON data is copied as it is.
    /// Otherwise the rendered string.
    nlohmann::json render_json(const Context& ctx, Diagnostics& diags) const;

    /// Names the template reads, as written (dotted), in order of first use;
    /// names inside a section are relative to its items.
    std::vector<std::string> references() const;

    struct Impl;

private:
    friend struct detail::RenderState;
    std::shared_ptr<const Impl> impl_;
};

/// Where an array element produced by `$each` came from: its pointer in the
/// bound document, the pointer of the `$item` it was made from in the
/// template, and the data record it was bound with ("data.csv:6").
struct Expansion {
    std::string pointer;
    std::string template_pointer;
    std::string source;
};

/// A whole JSON document compiled as a template: every string value is a
/// Template (object keys are left alone), and an array element
///   {"$each": "rows", "$item": {…}}
/// expands into one element per item of the list `rows` (any list value of the
/// context), `$item` being bound with the item's fields — for `rows`, a
/// record's fields, its `let` values and `index` — and `index` (1-based
/// position), over the outer context. The top-level "template" member is
/// dropped from the result.
class JsonTemplate {
public:
    JsonTemplate() = default;

    static JsonTemplate compile(const nlohmann::json& tree, const std::string& file, Diagnostics& diags);
    /// `expansions`, when given, receives where each `$each` element came from.
    nlohmann::json render(const Context& ctx, Diagnostics& diags, std::vector<Expansion>* expansions = nullptr) const;
    std::vector<std::string> references() const;

    struct Node;

private:
    friend struct detail::RenderState;
    std::shared_ptr<const Node> root_;
};

/// Compiles and renders `tree` in place (see JsonTemplate); errors are located
/// at the JSON pointer of each string.
void bind_json(nlohmann::json& tree, const Context& ctx, const std::string& file, Diagnostics& diags,
               std::vector<Expansion>* expansions = nullptr);

/// Problems found later in a bound document (e.g. a table cell that is not a
/// number) are located in the bound JSON; this moves those inside a `$each`
/// element of `file` to the template's `$item` and names the data record:
/// "/annexes/0/rows/4/c1" -> "/annexes/0/rows/0/$item/c1 … (data record data.csv:6)".
void locate_in_template(Diagnostics& diags, const std::string& file, const std::vector<Expansion>& expansions);

/// Compiles and renders a text file (the body); errors at line:column.
std::string bind_text(std::string_view text, const std::string& file, const Context& ctx, Diagnostics& diags);

/// Compiles and renders one string located by `origin`.
std::string bind_string(std::string_view text, const Origin& origin, const Context& ctx, Diagnostics& diags);

}  // namespace vanban::bind

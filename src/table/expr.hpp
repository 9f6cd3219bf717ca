// table/expr: the small expression language of computed columns and template values.
//
//   expr     := compare
//   compare  := sum [("<" | "<=" | ">" | ">=" | "=" | "==" | "!=" | "<>") sum]   (only as if()'s condition)
//   sum      := product (("+" | "-") product)*
//   product  := unary (("*" | "/") unary)*
//   unary    := "-" unary | "+" unary | primary
//   primary  := number | name | name "(" [expr ("," expr)*] ")" | "(" expr ")"
//
// Names are column keys ([A-Za-z_][A-Za-z0-9_]*). Functions: round(x, n)
// (n an integer literal 0..18, half-up as Excel ROUND), min(a, …), max(a, …),
// sum(a, …), abs(x), if(condition, a, b). Numbers are decimal literals
// ("100", "0.5"), read exactly. Evaluation uses Decimal arithmetic only;
// division keeps Decimal::division_scale digits. The same tree prints as a
// plain US-English Excel formula, so a spreadsheet recomputes what we computed.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "table/resolved.hpp"

namespace vanban::table {

/// A syntax error: 0-based byte offset into the expression text and a message.
struct ExprError {
    std::size_t offset = 0;
    std::string message;
};

/// Outcome of evaluating an expression.
struct Value {
    enum class Status {
        ok,        ///< `number` holds the result
        div_zero,  ///< a division by zero was reached
        missing,   ///< a referenced cell has no number (blank, text or "-")
    };
    Status status = Status::ok;
    Decimal number;
    std::string missing_key;  ///< Status::missing: the column key without a number

    bool ok() const { return status == Status::ok; }
};

/// A parsed expression (immutable, cheap to copy).
class Expr {
public:
    struct Node;

    /// Parses `text`; on failure returns nullopt and sets `error`.
    static std::optional<Expr> parse(std::string_view text, ExprError& error);

    /// The source text as given to parse().
    const std::string& text() const { return text_; }

    /// Every name referenced, with its byte offset, in order of appearance.
    struct Reference {
        std::string name;
        std::size_t offset = 0;
    };
    std::vector<Reference> references() const;

    /// True when evaluation can end in div_zero (the expression divides by
    /// something other than a non-zero literal).
    bool may_divide_by_zero() const;

    /// Top-level node is round(x, n): returns n.
    std::optional<int> top_level_round() const;

    /// Evaluates with `lookup` giving each referenced column's number (nullopt
    /// when the cell has none). if() evaluates only the chosen branch.
    Value evaluate(const std::function<std::optional<Decimal>(const std::string&)>& lookup) const;

    /// Excel formula text (no leading '=') with each name replaced by `ref(name)`.
    std::string to_excel(const std::function<std::string(const std::string&)>& ref) const;

    /// Same as to_excel, producing Formula parts: each name becomes the part
    /// returned by `ref(name)` (a cell reference), the rest literal text.
    void append_formula(Formula& out, const std::function<Formula::Part(const std::string&)>& ref) const;

private:
    std::string text_;
    std::shared_ptr<const Node> root_;
};

}  // namespace vanban::table

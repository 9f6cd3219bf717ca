// Fuzzes annex tables: the annex JSON through table_input and the table
// engine (formulas, totals, formatting), and the whole input as one
// expression through the expression parser, its evaluation and its Excel
// form. vanban::Error is a documented outcome; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/decimal.hpp"
#include "core/diagnostic.hpp"
#include "input/table_input.hpp"
#include "sources/json_text.hpp"
#include "table/engine.hpp"
#include "table/expr.hpp"

using namespace vanban;

namespace {

void expression(std::string_view text) {
    table::ExprError err;
    std::optional<table::Expr> e = table::Expr::parse(text, err);
    if (!e) return;
    (void)e->references();
    (void)e->may_divide_by_zero();
    (void)e->top_level_round();
    // Every name has a number but "trong", which is blank.
    auto lookup = [](const std::string& name) -> std::optional<Decimal> {
        if (name == "trong") return std::nullopt;
        return Decimal(static_cast<long long>(name.size()) * 1234567 - 5000000);
    };
    try {
        (void)e->evaluate(lookup);
    } catch (const DecimalOverflow&) {
        // documented: a result beyond Decimal's range; the engine reports it at its cell
    }
    (void)e->to_excel([](const std::string& name) { return "R" + std::to_string(name.size()) + "C1"; });
}

void annex(std::string_view text) {
    nlohmann::json j = sources::parse_json_text(text, "annex.json");
    Diagnostics diags;
    model::Annex a = input::parse_annex(j, "annex.json", "", diags);
    if (diags.has_errors()) return;
    table::ResolvedTable t = table::resolve(a, diags);
    for (const auto& row : t.rows) (void)row;
    (void)diags.to_string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        expression(text);
    } catch (const Error&) {
    }
    try {
        annex(text);
    } catch (const Error&) {
    }
    return 0;
}

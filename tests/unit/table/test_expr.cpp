// Tests of table/expr: parsing, evaluation and Excel output of expressions.
#include <doctest/doctest.h>

#include <map>

#include "table/expr.hpp"

using vanban::Decimal;
using vanban::table::Expr;
using vanban::table::ExprError;
using vanban::table::Value;

namespace {

Expr parse(const char* s) {
    ExprError err;
    auto e = Expr::parse(s, err);
    REQUIRE_MESSAGE(e.has_value(), s << ": " << err.message);
    return *e;
}

ExprError parse_error(const char* s) {
    ExprError err;
    auto e = Expr::parse(s, err);
    CHECK_MESSAGE(!e.has_value(), s);
    return err;
}

Value eval(const char* s, std::map<std::string, Decimal> vars) {
    return parse(s).evaluate([&](const std::string& k) -> std::optional<Decimal> {
        auto it = vars.find(k);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    });
}

std::string excel(const char* s) {
    return parse(s).to_excel([](const std::string& k) { return k == "c1" ? std::string("C8") : k == "c2" ? std::string("D8") : "X" + k; });
}

}  // namespace

TEST_CASE("evaluates with exact decimals") {
    auto v = eval("round(c2 / c1 * 100, 2)", {{"c1", 18286}, {"c2", 2059}});
    REQUIRE(v.ok());
    CHECK(v.number.to_plain_string() == "11.26");
    CHECK(eval("1 + 2 * 3", {}).number == Decimal(7));
    CHECK(eval("(1 + 2) * 3", {}).number == Decimal(9));
    CHECK(eval("10 - 4 - 3", {}).number == Decimal(3));
    CHECK(eval("-c1 + 5", {{"c1", 2}}).number == Decimal(3));
    CHECK(eval("- -2", {}).number == Decimal(2));
    CHECK(eval("100 / 8 / 5", {}).number.to_trimmed_string() == "2.5");
    CHECK(eval("0.1 + 0.2", {}).number.to_plain_string() == "0.3");
    CHECK(eval("min(3, c1, 7)", {{"c1", 1}}).number == Decimal(1));
    CHECK(eval("max(3, c1, 7)", {{"c1", 1}}).number == Decimal(7));
    CHECK(eval("sum(1, 2, 3.5)", {}).number.to_trimmed_string() == "6.5");
    CHECK(eval("abs(0 - 4)", {}).number == Decimal(4));
    CHECK(eval("if(c1 > 0, 1, 2)", {{"c1", 1}}).number == Decimal(1));
    CHECK(eval("if(c1 <> 0, 1, 2)", {{"c1", 0}}).number == Decimal(2));
    CHECK(eval("if(c1 = 0, 0, 10 / c1)", {{"c1", 0}}).number == Decimal(0));  // lazy branches
}

TEST_CASE("division by zero and missing values") {
    auto v = eval("c2 / c1 * 100", {{"c1", 0}, {"c2", 5}});
    CHECK(v.status == Value::Status::div_zero);
    auto m = eval("c2 / c1", {{"c1", 3}});
    CHECK(m.status == Value::Status::missing);
    CHECK(m.missing_key == "c2");
    CHECK(parse("c2 / c1").may_divide_by_zero());
    CHECK(!parse("c2 / 100").may_divide_by_zero());
    CHECK(parse("c2 / 0").may_divide_by_zero());
}

TEST_CASE("prints plain Excel formulas") {
    CHECK(excel("c2 / c1 * 100") == "D8/C8*100");
    CHECK(excel("round(c2 / c1 * 100, 2)") == "ROUND(D8/C8*100,2)");
    CHECK(excel("c1 - (c2 - 3)") == "C8-(D8-3)");
    CHECK(excel("c1 / (c2 * 3)") == "C8/(D8*3)");
    CHECK(excel("(c1 + c2) * 0.5") == "(C8+D8)*0.5");
    CHECK(excel("-(c1 + c2)") == "-(C8+D8)");
    CHECK(excel("if(c1 != 0, c2, 0)") == "IF(C8<>0,D8,0)");
    CHECK(excel("if(c1 == 0, c2, 0)") == "IF(C8=0,D8,0)");
    CHECK(excel("MIN(c1, c2)") == "MIN(C8,D8)");
    CHECK(excel("sum(c1, c2, c3)") == "SUM(C8,D8,Xc3)");
    CHECK(parse("round(c1, 2)").top_level_round() == 2);
    CHECK(!parse("c1 * 2").top_level_round().has_value());
}

TEST_CASE("references in order with offsets") {
    auto refs = parse("c2 / c1 * 100").references();
    REQUIRE(refs.size() == 2);
    CHECK(refs[0].name == "c2");
    CHECK(refs[0].offset == 0);
    CHECK(refs[1].name == "c1");
    CHECK(refs[1].offset == 5);
}

TEST_CASE("syntax errors are located") {
    auto e = parse_error("c2 / * c1");
    CHECK(e.offset == 5);
    CHECK(e.message.find("expected a number") != std::string::npos);
    CHECK(parse_error("(c1 + c2").message.find("')'") != std::string::npos);
    CHECK(parse_error("foo(c1)").message.find("unknown function 'foo'") != std::string::npos);
    CHECK(parse_error("round(c1)").message.find("2 arguments") != std::string::npos);
    CHECK(parse_error("round(c1, c2)").message.find("digits") != std::string::npos);
    CHECK(parse_error("c1 > 2").message.find("if(") != std::string::npos);
    CHECK(parse_error("if(c1, 1, 2)").message.find("comparison") != std::string::npos);
    CHECK(parse_error("").message.find("empty") != std::string::npos);
    CHECK(parse_error("c1 c2").offset == 3);
    CHECK(parse_error("1.2.3").offset == 0);
    CHECK(parse_error("c1 ; c2").message.find("';'") != std::string::npos);
}

TEST_CASE("deep nesting is an error, not a crash") {
    std::string deep(5000, '(');
    deep += "1";
    deep += std::string(5000, ')');
    CHECK(parse_error(deep.c_str()).message.find("nested too deeply") != std::string::npos);
    std::string minus(5000, '-');
    minus += "1";
    CHECK(parse_error(minus.c_str()).message.find("nested too deeply") != std::string::npos);
    std::string ok(50, '(');
    ok += "1";
    ok += std::string(50, ')');
    CHECK(eval(ok.c_str(), {}).number == Decimal(1));
}

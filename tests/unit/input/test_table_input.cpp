// Tests of input/table_input: annex objects from JSON, the example annexes,
// and one located error per kind of bad input.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "input/table_input.hpp"
#include "resolve/document.hpp"
#include "table/engine.hpp"
#include "../table/fixtures.hpp"

using namespace vanban;
using nlohmann::json;

namespace {

json load(const std::string& rel) {
    std::ifstream in(std::string(VANBAN_EXAMPLES_DIR) + "/" + rel);
    REQUIRE_MESSAGE(in.good(), rel);
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
}

using testing::texts;

bool has(const Diagnostics& d, const std::string& location, const std::string& part) {
    return testing::has_error(d, location, part, "annex.json");
}

/// A small valid annex to break in each test.
json small() {
    return json::parse(R"J({
      "title": "Biểu thử",
      "columns": [
        {"key": "ten", "header": "Đơn vị", "format": "text"},
        {"key": "c1", "header": "Tổng số hộ", "label": "1"},
        {"header": "Hộ nghèo", "columns": [
          {"key": "c2", "header": "Số hộ", "label": "2"},
          {"key": "c3", "header": "Tỷ lệ (%)", "label": "3=2/1", "format": "percent", "expr": "c2 / c1 * 100"}
        ]}
      ],
      "total": {"position": "bottom", "cells": {"c1": 300, "c2": 30, "c3": 10.00}},
      "rows": [
        {"ten": "Xã A", "c1": 100, "c2": 10},
        {"ten": "Xã B", "c1": 200, "c2": 20, "c3": 10}
      ]
    })J");
}

/// Parses the annex, then computes it as resolve/ does: structural problems
/// and what the computed table finds, in one list.
Diagnostics parse(const json& j) {
    Diagnostics d;
    auto a = input::parse_annex(j, "annex.json", "/annexes/0", d);
    if (!a.table.columns.empty()) (void)resolve::compute_annex(a, d);
    return d;
}

}  // namespace

TEST_CASE("the small annex is valid") {
    Diagnostics d;
    auto a = input::parse_annex(small(), "annex.json", "/annexes/0", d);
    INFO(d.to_string());
    CHECK(d.empty());
    CHECK(a.table.columns.size() == 4);
    REQUIRE(a.table.header_groups.size() == 1);
    CHECK(a.table.header_groups[0].first == 2);
    CHECK(a.table.header_groups[0].last == 3);
    CHECK(a.table.columns[3].pointer == "/annexes/0/columns/2/columns/1");
    CHECK(a.table.columns[3].decimals == 2);
    CHECK(a.table.rows[1].cells.at("c3").pointer == "/annexes/0/rows/1/c3");
}

TEST_CASE("example: Gia Lai annex") {
    Diagnostics d;
    auto a = input::parse_annex(load("gia-lai/annex-bieu-tong-hop.json"), "annex-bieu-tong-hop.json", "", d);
    INFO(d.to_string());
    REQUIRE(d.empty());
    auto t = table::resolve(a, d);
    // The province total is kept as published: 7.449 printed, 7.450 computed, a warning.
    REQUIRE(d.items().size() == 1);
    CHECK(d.items()[0].severity == Severity::warning);
    CHECK(d.items()[0].at.to_string() == "/total/cells/c5");
    REQUIRE(t.rows.size() == 18);
    CHECK(texts(t.rows[0]) == std::vector<std::string>{"I", "Tổng cộng toàn tỉnh", "388.231", "31.502", "8,11", "2,00", "7.449"});
    CHECK(texts(t.rows[1]) == std::vector<std::string>{"1", "Huyện Kbang", "18.286", "2.059", "11,26", "2,68", "493"});
    CHECK(texts(t.rows[3])[4] == "1,44");
    CHECK(texts(t.rows[17])[4] == "10,19");
    CHECK(t.sheet_name == "Chỉ tiêu giảm nghèo 2024");
    CHECK(t.header_rows == 3);
}

TEST_CASE("example: Kbang results by groups of communes") {
    Diagnostics d;
    auto a = input::parse_annex(load("bao-cao-6-thang/annex-ket-qua.json"), "annex-ket-qua.json", "/annexes/0", d);
    INFO(d.to_string());
    REQUIRE(d.empty());
    auto t = table::resolve(a, d);
    REQUIRE(t.rows.size() == 17);
    CHECK(texts(t.rows[0]) ==
          std::vector<std::string>{"", "Toàn huyện", "18.286", "2.059", "11,26", "493", "207", "41,99", "1.852"});
    CHECK(t.rows[1].kind == table::RowKind::group);
    CHECK(texts(t.rows[1])[0] == "I");
    CHECK(texts(t.rows[1])[1] == "Thị trấn");
    CHECK(t.rows[3].kind == table::RowKind::group);
    CHECK(texts(t.rows[3])[0] == "II");
    CHECK(texts(t.rows[3])[1] == "Các xã");
    CHECK(texts(t.rows[3])[2] == "14.178");
    CHECK(texts(t.rows[4])[0] == "1");
    CHECK(t.landscape);
}

TEST_CASE("example: Kbang budget in triệu đồng adds up exactly") {
    Diagnostics d;
    auto a = input::parse_annex(load("bao-cao-6-thang/annex-kinh-phi.json"), "annex-kinh-phi.json", "/annexes/1", d);
    INFO(d.to_string());
    REQUIRE(d.empty());
    auto t = table::resolve(a, d);
    CHECK(texts(t.rows[0]) == std::vector<std::string>{"", "Tổng cộng", "1.135,8", "6.842,5", "6.220,5", "622", "7.978,3",
                                                       "2.319,6", "29,07"});
    CHECK(texts(t.rows[2])[2] == "769,1197");
    CHECK(texts(t.rows[2])[6] == "3.554,7197");
    CHECK(t.subtitle.back() == "Đơn vị tính: triệu đồng");
}

TEST_CASE("bad input: an expression naming an unknown column") {
    json j = small();
    j["columns"][2]["columns"][1]["expr"] = "c2 / c9 * 100";
    auto d = parse(j);
    INFO(d.to_string());
    CHECK(has(d, "/annexes/0/columns/2/columns/1/expr", "names unknown column \"c9\" (at character 6)"));
    CHECK(has(d, "/annexes/0/columns/2/columns/1/expr", "the columns are: ten, c1, c2, c3"));
}

TEST_CASE("bad input: a cycle between computed columns") {
    json j = small();
    j["columns"][1]["expr"] = "c3 * 2";
    auto d = parse(j);
    INFO(d.to_string());
    bool found = has(d, "/annexes/0/columns/1/expr", "cycle: c1 -> c3 -> c1") ||
                 has(d, "/annexes/0/columns/2/columns/1/expr", "cycle: c3 -> c1 -> c3");
    CHECK(found);
}

TEST_CASE("bad input: a syntax error in an expression") {
    json j = small();
    j["columns"][2]["columns"][1]["expr"] = "c2 / (c1 * 100";
    auto d = parse(j);
    CHECK(has(d, "/annexes/0/columns/2/columns/1/expr", "expected ')'"));
    CHECK(has(d, "/annexes/0/columns/2/columns/1/expr", "(at character 15)"));
}

TEST_CASE("bad input: a value of the wrong type") {
    json j = small();
    j["rows"][0]["c1"] = true;
    j["rows"][1]["c2"] = "hai mươi";
    auto d = parse(j);
    INFO(d.to_string());
    CHECK(has(d, "/annexes/0/rows/0/c1", "expected a number, a string, null or a cell object, found a boolean"));
    CHECK(has(d, "/annexes/0/rows/1/c2", "expects a number"));
    CHECK(has(d, "/annexes/0/rows/1/c2", "found \"hai mươi\""));
}

TEST_CASE("bad input: a row with missing cells") {
    json j = small();
    j["rows"][1].erase("c2");
    auto d = parse(j);
    INFO(d.to_string());
    CHECK(has(d, "/annexes/0/rows/1", "row 2 \"Xã B\" has no value for column c2 \"Số hộ\" (2)"));
}

TEST_CASE("bad input: a stated total that does not match") {
    json j = small();
    j["total"]["cells"]["c1"] = 301;
    auto d = parse(j);
    INFO(d.to_string());
    REQUIRE(d.items().size() == 1);
    CHECK(has(d, "/annexes/0/total/cells/c1", "in table \"Biểu thử\", total row \"Tổng cộng\", column c1 \"Tổng số hộ\" (1)"));
    CHECK(has(d, "/annexes/0/total/cells/c1", "the input states 301 but the table computes 300 (the sum of 2 row(s))"));
}

TEST_CASE("bad input: a stated rate that does not match") {
    json j = small();
    j["rows"][1]["c3"] = 10.5;
    auto d = parse(j);
    CHECK(has(d, "/annexes/0/rows/1/c3", "states 10,50 but the table computes 10,00 (\"c2 / c1 * 100\")"));
}

TEST_CASE("bad input: structure") {
    json j = small();
    j["colour"] = "đỏ";
    j["columns"][1]["format"] = "số";
    j["columns"][1]["decimals"] = 9;
    j["rows"][0]["c1"] = 0.12345678901234567;
    j["total"]["position"] = "middle";
    j["columns"][0]["key"] = "tên";
    auto d = parse(j);
    INFO(d.to_string());
    CHECK(has(d, "/annexes/0/colour", "unknown field \"colour\""));
    CHECK(has(d, "/annexes/0/columns/1/format", "expected one of \"integer\", \"decimal\", \"percent\", \"money\", \"text\""));
    CHECK(has(d, "/annexes/0/columns/1/decimals", "from 0 to 6"));
    CHECK(has(d, "/annexes/0/rows/0/c1", "more than 15 significant digits"));
    CHECK(has(d, "/annexes/0/total/position", "\"top\", \"bottom\""));
    CHECK(has(d, "/annexes/0/columns/0/key", "ASCII letters"));
    CHECK(parse(json::array()).items().size() == 1);
    CHECK(has(parse(json::parse(R"({"columns": []})")), "/annexes/0", "needs a \"title\""));
}

TEST_CASE("numbers: JSON numbers and strings are both exact") {
    std::string why;
    CHECK(input::json_decimal(json::parse("10966.9345"))->to_plain_string() == "10966.9345");
    CHECK(input::json_decimal(json("10966.9345"))->to_plain_string() == "10966.9345");
    CHECK(input::json_decimal(json::parse("388231"))->to_plain_string() == "388231");
    CHECK(input::json_decimal(json::parse("2.00"))->to_trimmed_string() == "2");
    CHECK(input::json_decimal(json::parse("0.1"))->to_plain_string() == "0.1");
    CHECK(!input::json_decimal(json("10.966,9345"), &why));
    CHECK(why.find("'.' as the decimal point") != std::string::npos);
    CHECK(!input::json_decimal(json::parse("123456789.123456789"), &why));
}

TEST_CASE("nested groups, leaf groups, ids and cell objects are read") {
    json j = json::parse(R"J({
      "title": "Phân bổ",
      "columns": [
        {"key": "tt", "header": "TT", "numbering": true},
        {"key": "nd", "header": "Nội dung", "format": "text"},
        {"key": "tw", "header": "Trung ương", "format": "money", "unknown_mark": "", "unknown_counts_as": "zero"},
        {"key": "dp", "header": "Địa phương", "format": "money"}
      ],
      "total": {"cells": {"tw": {"equals": ["II:total:a", "II:total:b"]}}},
      "groups": [
        {"title": "Dự án 2", "id": "da2", "cells": {"tw": 9000, "dp": null}},
        {"title": "Dự án 3", "groups": [
          {"title": "Tiểu dự án 1", "rows": [{"$id": "x-1", "nd": "Xã A", "tw": 1, "dp": {"value": 2}}]}
        ], "cells": {"dp": {"value": 2, "as_published": true}}}
      ]
    })J");
    Diagnostics d;
    auto a = input::parse_annex(j, "annex.json", "/annexes/0", d);
    INFO(d.to_string());
    CHECK(d.empty());
    const auto& t = a.table;
    CHECK(t.columns[2].unknown_mark.empty());
    CHECK(t.columns[2].unknowns == model::UnknownRule::zero);
    CHECK(t.columns[3].unknown_mark == "-");
    CHECK(t.columns[3].unknowns == model::UnknownRule::unknown);
    REQUIRE(t.groups.size() == 2);
    CHECK(t.groups[0].leaf);
    CHECK(t.groups[0].id == "da2");
    CHECK(t.groups[0].cells.at("dp").kind == model::CellInput::Kind::null);
    CHECK(t.groups[0].cells.at("dp").has_value);
    CHECK(!t.groups[1].leaf);
    REQUIRE(t.groups[1].groups.size() == 1);
    CHECK(t.groups[1].groups[0].pointer == "/annexes/0/groups/1/groups/0");
    const auto& r = t.groups[1].groups[0].rows.at(0);
    CHECK(r.id == "x-1");
    CHECK(r.cells.count("$id") == 0);
    CHECK(r.cells.at("dp").kind == model::CellInput::Kind::number);
    CHECK(r.cells.at("dp").pointer == "/annexes/0/groups/1/groups/0/rows/0/dp");
    CHECK(t.groups[1].cells.at("dp").as_published);
    const auto& eq = t.total.cells.at("tw");
    CHECK(!eq.has_value);
    CHECK(eq.equals == std::vector<std::string>{"II:total:a", "II:total:b"});
}

TEST_CASE("bad nested groups and cell objects") {
    json j = small();
    j.erase("rows");
    j["groups"] = json::parse(R"J([
      {"title": "A", "rows": [], "groups": []},
      {"title": "B"},
      {"title": "C", "id": "có dấu", "cells": {"c1": 1, "c2": 1}},
      {"title": "D", "groups": [{"title": "E", "rows": [
        {"ten": "x", "c1": {"value": 1, "colour": "red"}, "c2": {"as_published": true}},
        {"ten": "y", "c1": {"equals": 5}, "c2": {"value": {"a": 1}}},
        {"ten": "z", "c1": true, "c2": 1, "$id": 7}
      ]}]}
    ])J");
    Diagnostics d;
    input::parse_annex(j, "annex.json", "/annexes/0", d);
    INFO(d.to_string());
    CHECK(has(d, "/annexes/0/groups/0/groups", "either \"rows\" or \"groups\", not both"));
    CHECK(has(d, "/annexes/0/groups/1", "carries its own figures: give them in \"cells\""));
    CHECK(has(d, "/annexes/0/groups/2/id", "an id is ASCII letters"));
    CHECK(has(d, "/annexes/0/groups/3/groups/0/rows/0/c1/colour", "unknown field"));
    CHECK(has(d, "/annexes/0/groups/3/groups/0/rows/0/c2", "needs \"value\""));
    CHECK(has(d, "/annexes/0/groups/3/groups/0/rows/0/c2/as_published", "give the value"));
    CHECK(has(d, "/annexes/0/groups/3/groups/0/rows/1/c1/equals", "a reference such as \"II:total:tong\""));
    CHECK(has(d, "/annexes/0/groups/3/groups/0/rows/1/c2/value", "found an object"));
    CHECK(has(d, "/annexes/0/groups/3/groups/0/rows/2/c1", "found a boolean"));
    CHECK(has(d, "/annexes/0/groups/3/groups/0/rows/2/$id", "expected a string"));

    json k = small();
    k["columns"][1]["unknown_mark"] = "?";
    k["columns"][1]["unknown_counts_as"] = "nothing";
    Diagnostics e;
    input::parse_annex(k, "annex.json", "/annexes/0", e);
    CHECK(has(e, "/annexes/0/columns/1/unknown_mark", "expected one of \"-\", \"\""));
    CHECK(has(e, "/annexes/0/columns/1/unknown_counts_as", "expected one of \"unknown\", \"zero\""));
}

TEST_CASE("null is an unknown value; a missing one is still an error") {
    json j = small();
    j["rows"][0]["c2"] = nullptr;
    j["total"]["cells"].erase("c2");
    j["total"]["cells"].erase("c3");
    auto d = parse(j);
    INFO(d.to_string());
    CHECK(!d.has_errors());
    Diagnostics d2;
    auto a = input::parse_annex(j, "annex.json", "/annexes/0", d2);
    auto t = resolve::compute_annex(a, d2);
    CHECK(texts(t.rows[0]) == std::vector<std::string>{"Xã A", "100", "-", "-"});
    CHECK(texts(t.rows[2]) == std::vector<std::string>{"Tổng cộng", "300", "-", "-"});
    j["rows"][1].erase("c2");
    auto bad = parse(j);
    CHECK(has(bad, "/annexes/0/rows/1", "write 0 when there is none, or null when it is not known"));
}

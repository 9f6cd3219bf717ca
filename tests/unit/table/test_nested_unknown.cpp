// Tests of table/engine: nested groups and groups with their own figures,
// unknown cells, stated figures over unknowns, published figures kept as
// published, and cells stated equal to other annexes.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "table/engine.hpp"
#include "fixtures.hpp"

using namespace vanban;
using model::ValueFormat;
using table::RowKind;

using namespace vanban::testing;

namespace {

model::CellInput unknown_cell(const std::string& ptr) {
    model::CellInput c;
    c.kind = model::CellInput::Kind::null;
    c.pointer = ptr;
    return c;
}

model::Group group(const std::string& ptr, const std::string& title) {
    model::Group g;
    g.title = title;
    g.pointer = ptr;
    return g;
}

/// A budget by project: Dự án 2 has no sub-projects (its own figures), Dự án 3
/// has two sub-projects, the first with two rows of its own.
model::Annex budget() {
    model::Annex a;
    a.title = "Phân bổ kinh phí";
    a.source_file = "phan-bo.json";
    auto& t = a.table;
    t.columns = {numbering(), col("nd", "Nội dung", "B", ValueFormat::text),
                 col("tw", "Trung ương", "1", ValueFormat::money, 4), col("dp", "Địa phương", "2", ValueFormat::money, 4),
                 col("tong", "Tổng", "3=1+2", ValueFormat::money, 4, "tw + dp")};
    model::Group da2 = group("/groups/0", "Dự án 2");
    da2.leaf = true;
    da2.cells["tw"] = num("9000", "/groups/0/cells/tw");
    da2.cells["dp"] = num("558", "/groups/0/cells/dp");
    model::Group da3 = group("/groups/1", "Dự án 3");
    model::Group tda1 = group("/groups/1/groups/0", "Tiểu dự án 1");
    tda1.id = "da3-tda1";
    tda1.rows = {row("/groups/1/groups/0/rows/0", {{"nd", "Xã A"}, {"tw", "1000"}, {"dp", "10.5"}}),
                 row("/groups/1/groups/0/rows/1", {{"nd", "Xã B"}, {"tw", "2000"}, {"dp", "20"}})};
    model::Group tda2 = group("/groups/1/groups/1", "Tiểu dự án 2");
    tda2.leaf = true;
    tda2.cells["tw"] = num("989.5", "/groups/1/groups/1/cells/tw");
    tda2.cells["dp"] = num("0", "/groups/1/groups/1/cells/dp");
    da3.groups = {tda1, tda2};
    t.groups = {da2, da3};
    t.total.present = true;
    t.total.pointer = "/total";
    return a;
}

}  // namespace

TEST_CASE("nested groups: subtotals at every level, leaf groups carry their own figures") {
    Diagnostics d;
    auto r = table::resolve(budget(), d);
    INFO(d.to_string());
    CHECK(d.empty());
    REQUIRE(r.rows.size() == 7);
    CHECK(texts(r.rows[0]) == std::vector<std::string>{"", "Tổng cộng", "12.989,5", "588,5", "13.578"});
    CHECK(texts(r.rows[1]) == std::vector<std::string>{"I", "Dự án 2", "9.000", "558", "9.558"});
    CHECK(texts(r.rows[2]) == std::vector<std::string>{"II", "Dự án 3", "3.989,5", "30,5", "4.020"});
    CHECK(texts(r.rows[3]) == std::vector<std::string>{"1", "Tiểu dự án 1", "3.000", "30,5", "3.030,5"});
    CHECK(texts(r.rows[4]) == std::vector<std::string>{"a", "Xã A", "1.000", "10,5", "1.010,5"});
    CHECK(texts(r.rows[5]) == std::vector<std::string>{"b", "Xã B", "2.000", "20", "2.020"});
    CHECK(texts(r.rows[6]) == std::vector<std::string>{"2", "Tiểu dự án 2", "989,5", "0", "989,5"});
    // Kinds, nesting and ids.
    CHECK(r.rows[1].kind == RowKind::group);
    CHECK(r.rows[6].kind == RowKind::group);
    CHECK(r.rows[4].kind == RowKind::data);
    CHECK(r.rows[3].parent == 2);
    CHECK(r.rows[4].parent == 3);
    CHECK(r.rows[6].parent == 2);
    CHECK(r.rows[2].parent == -1);
    CHECK(r.rows[4].level == 2);
    CHECK(r.rows[3].id == "da3-tda1");
    // Formulas: the total adds the top-level rows, a group its sub-groups' rows.
    CHECK(r.rows[0].cells[2].formula.to_a1(0, 0) == "SUM(C2:C3)");
    CHECK(r.rows[2].cells[2].formula.to_a1(0, 0) == "SUM(C4,C7)");
    CHECK(r.rows[3].cells[2].formula.to_a1(0, 0) == "SUM(C5:C6)");
    CHECK(r.rows[1].cells[2].formula.empty());  // a leaf group's figure is data
    CHECK(r.rows[1].cells[4].formula.to_a1(0, 0) == "ROUND(C2+D2,4)");
    CHECK(r.rows[6].cells[4].formula.to_a1(0, 0) == "ROUND(C7+D7,4)");
}

TEST_CASE("nested groups with separate subtotal rows") {
    auto a = budget();
    a.table.subtotals = model::SubtotalStyle::separate_row;
    Diagnostics d;
    auto r = table::resolve(a, d);
    INFO(d.to_string());
    CHECK(d.empty());
    std::vector<std::vector<std::string>> got;
    for (const auto& row : r.rows) got.push_back({texts(row)[1], texts(row)[2]});
    CHECK(got == std::vector<std::vector<std::string>>{{"Tổng cộng", "12.989,5"},
                                                       {"Dự án 2", "9.000"},
                                                       {"Dự án 3", ""},
                                                       {"Tiểu dự án 1", ""},
                                                       {"Xã A", "1.000"},
                                                       {"Xã B", "2.000"},
                                                       {"Cộng", "3.000"},
                                                       {"Tiểu dự án 2", "989,5"},
                                                       {"Cộng", "3.989,5"}});
    CHECK(r.rows[6].kind == RowKind::subtotal);
    CHECK(r.rows[6].parent == 3);
    CHECK(r.rows[8].parent == 2);
    CHECK(r.rows[8].cells[2].formula.to_a1(0, 0) == "SUM(C7:C8)");
    CHECK(r.rows[0].cells[2].formula.to_a1(0, 0) == "SUM(C2,C9)");
}

TEST_CASE("a stated subtotal of a nested group is checked and names the group by its path") {
    auto a = budget();
    a.table.groups[1].groups[0].cells["tw"] = num("3001", "/groups/1/groups/0/cells/tw");
    Diagnostics d;
    table::resolve(a, d);
    CHECK(has_error(d, "/groups/1/groups/0/cells/tw", "group row 2.1 \"Tiểu dự án 1\""));
    CHECK(has_error(d, "/groups/1/groups/0/cells/tw", "states 3.001 but the table computes 3.000 (the sum of 2 row(s))"));
}

TEST_CASE("a leaf group must give its figures") {
    auto a = budget();
    a.table.groups[0].cells.erase("dp");
    Diagnostics d;
    table::resolve(a, d);
    CHECK(has_error(d, "/groups/0", "group row 1 \"Dự án 2\" has no value for column dp"));
    CHECK(has_error(d, "/groups/0", "or null when it is not known"));
}

TEST_CASE("unknown cells print the column's mark; what depends on them is unknown") {
    auto a = budget();
    auto& tda1 = a.table.groups[1].groups[0];
    tda1.rows[1].cells["dp"] = unknown_cell("/groups/1/groups/0/rows/1/dp");
    Diagnostics d;
    auto r = table::resolve(a, d);
    INFO(d.to_string());
    CHECK(d.empty());
    // The row, its sub-project, its project and the total are unknown in column dp and in tong.
    CHECK(texts(r.rows[5]) == std::vector<std::string>{"b", "Xã B", "2.000", "-", "-"});
    CHECK(r.rows[5].cells[3].unknown);
    CHECK(!r.rows[5].cells[3].value);
    CHECK(r.rows[5].cells[3].formula.empty());
    CHECK(r.rows[5].cells[3].align == table::Align::center);
    CHECK(r.rows[5].cells[4].unknown);
    CHECK(r.rows[5].cells[4].formula.to_a1(0, 0) == "IF(COUNT(D6)<1,\"\",ROUND(C6+D6,4))");
    CHECK(texts(r.rows[3])[3] == "-");
    CHECK(r.rows[3].cells[3].formula.to_a1(0, 0) == "IF(COUNT(D5:D6)<2,\"\",SUM(D5:D6))");
    CHECK(texts(r.rows[2])[3] == "-");
    CHECK(texts(r.rows[0])[3] == "-");
    CHECK(texts(r.rows[0])[4] == "-");
    // Known columns are unaffected.
    CHECK(texts(r.rows[0])[2] == "12.989,5");
    CHECK(r.rows[0].cells[2].formula.to_a1(0, 0) == "SUM(C2:C3)");

    // A blank mark.
    a.table.columns[3].unknown_mark = "";
    Diagnostics d2;
    auto b = table::resolve(a, d2);
    CHECK(texts(b.rows[5])[3] == "");
    CHECK(b.rows[5].cells[3].unknown);
}

TEST_CASE("unknown cells that count as zero: the sums are the known part") {
    auto a = budget();
    a.table.columns[3].unknowns = model::UnknownRule::zero;
    a.table.groups[1].groups[0].rows[1].cells["dp"] = unknown_cell("/groups/1/groups/0/rows/1/dp");
    Diagnostics d;
    auto r = table::resolve(a, d);
    INFO(d.to_string());
    CHECK(d.empty());
    CHECK(texts(r.rows[5]) == std::vector<std::string>{"b", "Xã B", "2.000", "-", "2.000"});
    CHECK(r.rows[5].cells[4].formula.to_a1(0, 0) == "ROUND(C6+N(D6),4)");
    CHECK(texts(r.rows[3])[3] == "10,5");
    CHECK(r.rows[3].cells[3].formula.to_a1(0, 0) == "SUM(D5:D6)");
    CHECK(texts(r.rows[0])[3] == "568,5");
}

TEST_CASE("a stated total over unknown cells is checked against the known part and printed") {
    auto a = budget();
    auto& tda1 = a.table.groups[1].groups[0];
    tda1.rows[1].cells["dp"] = unknown_cell("/groups/1/groups/0/rows/1/dp");
    tda1.cells["dp"] = num("30.5", "/groups/1/groups/0/cells/dp");
    Diagnostics d;
    auto r = table::resolve(a, d);
    INFO(d.to_string());
    CHECK(!d.has_errors());
    CHECK(has_error(d, "/groups/1/groups/0/cells/dp", "1 of the 2 cells it sums are unknown"));
    CHECK(has_error(d, "/groups/1/groups/0/cells/dp", "known part, 10,5"));
    REQUIRE(d.items().size() == 1);
    CHECK(d.items()[0].severity == Severity::warning);
    // The stated figure stands in: the sub-project, the project and the total are known again.
    CHECK(texts(r.rows[3])[3] == "30,5");
    CHECK(r.rows[3].cells[3].value->to_plain_string() == "30.5");
    CHECK(r.rows[3].cells[3].formula.to_a1(0, 0) == "IF(COUNT(D5:D6)<2,30.5,SUM(D5:D6))");
    CHECK(texts(r.rows[2])[3] == "30,5");
    CHECK(texts(r.rows[0])[3] == "588,5");
    CHECK(texts(r.rows[3])[4] == "3.030,5");

    // Less than the known part: an error.
    tda1.cells["dp"] = num("9", "/groups/1/groups/0/cells/dp");
    Diagnostics bad;
    table::resolve(a, bad);
    CHECK(has_error(bad, "/groups/1/groups/0/cells/dp", "the known cells it sums already add up to 10,5"));
    CHECK(bad.has_errors());
}

TEST_CASE("a published figure kept as published: a warning, printed as given, no formula") {
    auto a = gia_lai();
    a.table.columns[6].total = model::TotalPolicy::automatic;  // column 5 is summed and checked
    Diagnostics plain;
    table::resolve(a, plain);
    CHECK(has_error(plain, "/annexes/0/total/cells/c5", "states 7.449 but the table computes 7.450 (the sum of 17 row(s))"));
    CHECK(has_error(plain, "/annexes/0/total/cells/c5", "\"as_published\": true"));

    a.table.total.cells["c5"].as_published = true;
    Diagnostics d;
    auto r = table::resolve(a, d);
    INFO(d.to_string());
    CHECK(!d.has_errors());
    REQUIRE(d.items().size() == 1);
    CHECK(d.items()[0].severity == Severity::warning);
    CHECK(d.items()[0].at.to_string() == "/annexes/0/total/cells/c5");
    CHECK(d.items()[0].message.find("states 7.449 as published, but the table computes 7.450 (the sum of 17 row(s)); "
                                    "the published figure is printed") != std::string::npos);
    CHECK(texts(r.rows[0])[6] == "7.449");
    CHECK(r.rows[0].cells[6].value == Decimal(7449));
    CHECK(r.rows[0].cells[6].formula.empty());
    // A published figure that matches is not mentioned.
    a.table.total.cells["c5"] = num("7450", "/annexes/0/total/cells/c5");
    a.table.total.cells["c5"].as_published = true;
    Diagnostics same;
    auto s = table::resolve(a, same);
    CHECK(same.empty());
    CHECK(s.rows[0].cells[6].formula.to_a1(6, 0) == "SUM(G8:G24)");
}

TEST_CASE("cells stated equal to other annexes are handed on; null in a computed cell is explained") {
    auto a = budget();
    model::CellInput eq;
    eq.has_value = false;
    eq.equals = {"II:total:tong"};
    eq.pointer = "/total/cells/tong";
    a.table.total.cells["tong"] = eq;
    a.table.groups[0].cells["tong"] = unknown_cell("/groups/0/cells/tong");
    Diagnostics d;
    auto r = table::resolve(a, d);
    REQUIRE(r.checks.size() == 1);
    CHECK(r.checks[0].row == 0);
    CHECK(r.checks[0].col == 4);
    CHECK(r.checks[0].refs == std::vector<std::string>{"II:total:tong"});
    CHECK(r.checks[0].pointer == "/total/cells/tong");
    CHECK(texts(r.rows[0])[4] == "13.578");  // no stated value: only the check
    CHECK(has_error(d, "/groups/0/cells/tong", "null marks an input value that is not known, and this cell is computed"));
}

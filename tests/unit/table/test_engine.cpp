// Tests of table/engine: computed columns, totals, groups, checks and formatting.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "table/engine.hpp"
#include "fixtures.hpp"

using namespace vanban;
using model::ValueFormat;
using table::RowKind;

using namespace vanban::testing;


TEST_CASE("Gia Lai: every rendered value matches the published table") {
    Diagnostics d;
    auto t = table::resolve(gia_lai(), d);
    INFO(d.to_string());
    CHECK(d.empty());
    REQUIRE(t.rows.size() == 18);
    CHECK(t.rows[0].kind == RowKind::total);
    CHECK(t.rows[0].bold);
    CHECK(texts(t.rows[0]) ==
          std::vector<std::string>{"I", "Tổng cộng toàn tỉnh", "388.231", "31.502", "8,11", "2,00", "7.449"});
    CHECK(texts(t.rows[1]) == std::vector<std::string>{"1", "Huyện Kbang", "18.286", "2.059", "11,26", "2,68", "493"});
    CHECK(texts(t.rows[2]) == std::vector<std::string>{"2", "Huyện Đak Đoa", "31.740", "2.622", "8,26", "2,00", "640"});
    CHECK(texts(t.rows[3])[4] == "1,44");
    CHECK(texts(t.rows[6])[4] == "0,24");
    CHECK(texts(t.rows[7])[4] == "33,78");
    CHECK(texts(t.rows[17]) == std::vector<std::string>{"17", "Huyện Đức Cơ", "19.628", "2.001", "10,19", "2,20", "435"});
    // Exact values and formulas.
    CHECK(t.rows[0].cells[2].value == Decimal(388231));
    CHECK(t.rows[0].cells[4].value->to_plain_string() == "8.11");
    CHECK(t.rows[0].cells[2].formula.to_a1(6, 0) == "SUM(C8:C24)");
    CHECK(t.rows[0].cells[4].formula.to_a1(6, 0) == "IFERROR(ROUND(D7/C7*100,2),\"-\")");
    CHECK(t.rows[1].cells[4].formula.to_a1(6, 0) == "IFERROR(ROUND(D8/C8*100,2),\"-\")");
    CHECK(t.rows[0].cells[6].formula.empty());  // "none": the published figure as given
    CHECK(t.rows[1].cells[2].formula.empty());  // data
    CHECK(t.rows[1].cells[4].excel_format == "#,##0.00");
    CHECK(t.rows[1].cells[2].excel_format == "#,##0");
    CHECK(t.rows[1].cells[1].excel_format.empty());
    CHECK(t.rows[1].cells[2].align == table::Align::right);
    CHECK(t.rows[1].cells[0].align == table::Align::center);
    CHECK(t.rows[1].cells[1].align == table::Align::left);
}

TEST_CASE("Gia Lai: header grid and label row") {
    Diagnostics d;
    auto t = table::resolve(gia_lai(), d);
    CHECK(t.header_rows == 3);
    CHECK(t.head_rows() == 4);
    CHECK(t.labels == std::vector<std::string>{"A", "B", "1", "2", "3=2/1", "4", "5"});
    auto find = [&](int r, int c) -> const table::HeaderCell* {
        for (const auto& h : t.header)
            if (h.row == r && h.col == c) return &h;
        return nullptr;
    };
    REQUIRE(find(0, 0));
    CHECK(find(0, 0)->rowspan == 3);
    CHECK(find(0, 0)->text == "TT");
    REQUIRE(find(0, 3));
    CHECK(find(0, 3)->text == "Kết quả rà soát cuối năm 2023");
    CHECK(find(0, 3)->colspan == 2);
    REQUIRE(find(1, 3));
    CHECK(find(1, 3)->text == "Hộ nghèo");
    CHECK(find(1, 3)->colspan == 2);
    REQUIRE(find(2, 3));
    CHECK(find(2, 3)->text == "Số hộ");
    CHECK(find(2, 4)->text == "Tỷ lệ (%)");
    CHECK(find(0, 5)->rowspan == 3);
    // Each grid cell covered exactly once.
    int covered = 0;
    for (const auto& h : t.header) covered += h.rowspan * h.colspan;
    CHECK(covered == 3 * 7);
}

TEST_CASE("Gia Lai: the published total of column 5 is not the sum of its rows") {
    auto a = gia_lai();
    a.table.columns[6].total = model::TotalPolicy::sum;
    Diagnostics d;
    auto t = table::resolve(a, d);
    CHECK(t.rows[0].cells[6].text == "7.450");
    REQUIRE(d.items().size() == 1);
    const auto& e = d.items()[0];
    CHECK(e.file == "gia-lai.json");
    CHECK(e.at.to_string() == "/annexes/0/total/cells/c5");
    CHECK(e.message.find("BIỂU TỔNG HỢP CHỈ TIÊU GIẢM NGHÈO NĂM 2024") != std::string::npos);
    CHECK(e.message.find("total row \"Tổng cộng toàn tỉnh\"") != std::string::npos);
    CHECK(e.message.find("c5") != std::string::npos);
    CHECK(e.message.find("states 7.449") != std::string::npos);
    CHECK(e.message.find("computes 7.450") != std::string::npos);
}

TEST_CASE("a published rate that does not match is reported with row and column") {
    auto a = gia_lai();
    a.table.rows[0].cells["c3"] = num("11.27", "/annexes/0/rows/0/c3");
    a.table.rows[5].cells["c3"] = num("0.25", "/annexes/0/rows/5/c3");
    Diagnostics d;
    table::resolve(a, d);
    REQUIRE(d.items().size() == 2);  // all of them at once
    CHECK(has_error(d, "/annexes/0/rows/0/c3", "row 1 \"Huyện Kbang\""));
    CHECK(has_error(d, "/annexes/0/rows/0/c3", "states 11,27 but the table computes 11,26"));
    CHECK(has_error(d, "/annexes/0/rows/0/c3", "\"Tỷ lệ (%)\""));
    CHECK(has_error(d, "/annexes/0/rows/5/c3", "states 0,25 but the table computes 0,24"));
}

TEST_CASE("stated values within display rounding are accepted") {
    auto a = gia_lai();
    a.table.rows[0].cells["c3"] = num("11.2599", "/annexes/0/rows/0/c3");  // 11,26 once rounded
    Diagnostics d;
    table::resolve(a, d);
    CHECK(d.empty());
}

TEST_CASE("ratio totals are recomputed, never summed") {
    model::Annex a;
    a.title = "T";
    auto& t = a.table;
    t.columns = {col("name", "Tên", "", ValueFormat::text), col("n", "N", "", ValueFormat::integer),
                 col("k", "K", "", ValueFormat::integer),
                 col("r", "Tỷ lệ", "", ValueFormat::percent, 2, "k / n * 100")};
    t.rows = {row("/rows/0", {{"name", "a"}, {"n", "3"}, {"k", "1"}}),
              row("/rows/1", {{"name", "b"}, {"n", "1"}, {"k", "1"}})};
    t.total.present = true;
    t.total.at_top = false;
    Diagnostics d;
    auto r = table::resolve(a, d);
    CHECK(d.empty());
    CHECK(texts(r.rows[0])[3] == "33,33");
    CHECK(texts(r.rows[1])[3] == "100,00");
    CHECK(texts(r.rows[2]) == std::vector<std::string>{"Tổng cộng", "4", "2", "50,00"});  // not 133,33
    CHECK(r.rows[2].kind == RowKind::total);
    CHECK(r.rows[2].cells[3].formula.to_a1(3, 0) == "IFERROR(ROUND(C6/B6*100,2),\"-\")");
    CHECK(r.rows[2].cells[1].formula.to_a1(3, 0) == "SUM(B4:B5)");
}

TEST_CASE("division by zero gives what the column declares") {
    model::Annex a;
    a.title = "T";
    auto& t = a.table;
    t.columns = {col("n", "N", "", ValueFormat::integer), col("k", "K", "", ValueFormat::integer),
                 col("r", "R", "", ValueFormat::percent, 2, "k / n * 100"),
                 col("z", "Z", "", ValueFormat::decimal, 1, "k / n"),
                 col("d", "D", "", ValueFormat::decimal, 1, "r + 1")};
    t.columns[3].on_div_zero = model::DivZero::zero;
    t.rows = {row("/rows/0", {{"n", "0"}, {"k", "5"}})};
    Diagnostics d;
    auto r = table::resolve(a, d);
    CHECK(d.empty());
    CHECK(texts(r.rows[0]) == std::vector<std::string>{"0", "5", "-", "0,0", "-"});
    CHECK(!r.rows[0].cells[2].value.has_value());
    CHECK(r.rows[0].cells[3].value == Decimal(0));
    CHECK(r.rows[0].cells[2].formula.to_a1(0, 0) == "IFERROR(ROUND(B1/A1*100,2),\"-\")");
    CHECK(r.rows[0].cells[3].formula.to_a1(0, 0) == "IFERROR(ROUND(B1/A1,1),0)");
    CHECK(r.rows[0].cells[4].formula.to_a1(0, 0) == "IFERROR(ROUND(C1+1,1),\"-\")");
}

TEST_CASE("a stated value against a \"-\" cell says why the cell has no number") {
    model::Annex a;
    a.title = "T";
    auto& t = a.table;
    t.columns = {col("n", "N", "", ValueFormat::integer), col("k", "K", "", ValueFormat::integer),
                 col("r", "R", "", ValueFormat::percent, 2, "k / n * 100"),
                 col("d", "D", "", ValueFormat::decimal, 1, "r + 1")};
    t.rows = {row("/rows/0", {{"n", "0"}, {"k", "5"}, {"r", "3"}, {"d", "4"}})};
    for (auto& [key, cell] : t.rows[0].cells) cell.pointer = "/rows/0/" + key;
    Diagnostics d;
    table::resolve(a, d);
    INFO(d.to_string());
    REQUIRE(d.items().size() == 2);
    CHECK(has_error(d, "/rows/0/r", "computes \"-\" (\"k / n * 100\" divides by zero)"));
    CHECK(has_error(d, "/rows/0/d", "computes \"-\" (\"r + 1\" reads column r, which has no number in this row)"));
}

TEST_CASE("a rejected input cell is reported once, not again through the cells computed from it") {
    auto a = gia_lai();
    a.table.rows[0].cells["c1"] = num("18.286", "/annexes/0/rows/0/c1");  // a decimal point typed as grouping
    Diagnostics d;
    table::resolve(a, d);
    INFO(d.to_string());
    REQUIRE(d.items().size() == 1);
    CHECK(has_error(d, "/annexes/0/rows/0/c1", "holds whole numbers; found 18.286"));
}

TEST_CASE("money is exact and shows only the digits it needs") {
    model::Annex a;
    a.title = "Kinh phí";
    a.unit = "triệu đồng";
    auto& t = a.table;
    t.columns = {col("nd", "Nội dung", "", ValueFormat::text), col("ns", "Ngân sách", "", ValueFormat::money, 4)};
    t.rows = {row("/rows/0", {{"nd", "a"}, {"ns", "10966.9345"}}), row("/rows/1", {{"nd", "b"}, {"ns", "9890"}}),
              row("/rows/2", {{"nd", "c"}, {"ns", "769.1197"}}), row("/rows/3", {{"nd", "d"}, {"ns", "246.3"}})};
    t.total.present = true;
    t.total.cells["ns"] = num("21872.3542", "/total/cells/ns");
    Diagnostics d;
    auto r = table::resolve(a, d);
    INFO(d.to_string());
    CHECK(d.empty());
    CHECK(r.subtitle == std::vector<std::string>{"Đơn vị tính: triệu đồng"});
    CHECK(texts(r.rows[0])[1] == "21.872,3542");
    CHECK(r.rows[0].cells[1].value->to_plain_string() == "21872.3542");
    CHECK(texts(r.rows[1])[1] == "10.966,9345");
    CHECK(texts(r.rows[2])[1] == "9.890");
    CHECK(r.rows[2].cells[1].excel_format == "#,##0");
    CHECK(texts(r.rows[4])[1] == "246,3");
    CHECK(r.rows[4].cells[1].excel_format == "#,##0.0");
    CHECK(r.rows[1].cells[1].excel_format == "#,##0.0000");

    t.total.cells["ns"] = num("21872.3543", "/total/cells/ns");
    Diagnostics bad;
    table::resolve(a, bad);
    CHECK(has_error(bad, "/total/cells/ns", "states 21.872,3543 but the table computes 21.872,3542"));
}

TEST_CASE("groups: Roman group rows with subtotals, numbering restarts") {
    model::Annex a;
    a.title = "Kết quả";
    auto& t = a.table;
    t.columns = {numbering(), col("dv", "Đơn vị", "B", ValueFormat::text), col("kh", "Kế hoạch", "1", ValueFormat::integer),
                 col("th", "Thực hiện", "2", ValueFormat::integer),
                 col("tl", "Tỷ lệ hoàn thành (%)", "3=2/1", ValueFormat::percent, 2, "th / kh * 100")};
    model::Group g1;
    g1.title = "Thị trấn";
    g1.pointer = "/groups/0";
    g1.rows = {row("/groups/0/rows/0", {{"dv", "Thị trấn Kbang"}, {"kh", "20"}, {"th", "12"}})};
    model::Group g2;
    g2.title = "Các xã";
    g2.pointer = "/groups/1";
    g2.rows = {row("/groups/1/rows/0", {{"dv", "Xã Đông"}, {"kh", "30"}, {"th", "15"}}),
               row("/groups/1/rows/1", {{"dv", "Xã Nghĩa An"}, {"kh", "50"}, {"th", "40"}})};
    g2.cells["kh"] = num("80", "/groups/1/cells/kh");
    t.groups = {g1, g2};
    t.total.present = true;
    t.total.pointer = "/total";
    Diagnostics d;
    auto r = table::resolve(a, d);
    INFO(d.to_string());
    CHECK(d.empty());
    REQUIRE(r.rows.size() == 6);
    CHECK(r.rows[0].kind == RowKind::total);
    CHECK(texts(r.rows[0]) == std::vector<std::string>{"", "Tổng cộng", "100", "67", "67,00"});
    CHECK(r.rows[1].kind == RowKind::group);
    CHECK(texts(r.rows[1]) == std::vector<std::string>{"I", "Thị trấn", "20", "12", "60,00"});
    CHECK(texts(r.rows[2]) == std::vector<std::string>{"1", "Thị trấn Kbang", "20", "12", "60,00"});
    CHECK(texts(r.rows[3]) == std::vector<std::string>{"II", "Các xã", "80", "55", "68,75"});
    CHECK(texts(r.rows[4])[0] == "1");
    CHECK(texts(r.rows[5])[0] == "2");
    CHECK(r.rows[3].bold);
    CHECK(!r.rows[4].bold);
    CHECK(r.rows[0].cells[2].formula.to_a1(4, 0) == "SUM(C6,C8)");
    CHECK(r.rows[3].cells[2].formula.to_a1(4, 0) == "SUM(C9:C10)");
    CHECK(r.rows[3].cells[4].formula.to_a1(4, 0) == "IFERROR(ROUND(D8/C8*100,2),\"-\")");

    // Separate subtotal rows.
    t.subtotals = model::SubtotalStyle::separate_row;
    t.total.at_top = false;
    Diagnostics d2;
    auto s = table::resolve(a, d2);
    INFO(d2.to_string());
    REQUIRE(s.rows.size() == 8);
    CHECK(texts(s.rows[0]) == std::vector<std::string>{"I", "Thị trấn", "", "", ""});
    CHECK(s.rows[2].kind == RowKind::subtotal);
    CHECK(texts(s.rows[2]) == std::vector<std::string>{"", "Cộng", "20", "12", "60,00"});
    CHECK(s.rows[7].kind == RowKind::total);
    CHECK(s.rows[7].cells[2].formula.to_a1(0, 0) == "SUM(C3,C7)");
    // The stated subtotal of group 2 now sits on a row without sums: it is shown as given.
    CHECK(texts(s.rows[3])[2] == "80");
}

TEST_CASE("a stated group subtotal that does not match") {
    model::Annex a;
    a.title = "Kết quả";
    auto& t = a.table;
    t.columns = {col("dv", "Đơn vị", "", ValueFormat::text), col("kh", "Kế hoạch", "", ValueFormat::integer)};
    model::Group g;
    g.title = "Các xã";
    g.pointer = "/groups/0";
    g.rows = {row("/groups/0/rows/0", {{"dv", "a"}, {"kh", "30"}}), row("/groups/0/rows/1", {{"dv", "b"}, {"kh", "50"}})};
    g.cells["kh"] = num("81", "/groups/0/cells/kh");
    t.groups = {g};
    Diagnostics d;
    table::resolve(a, d);
    CHECK(has_error(d, "/groups/0/cells/kh", "group row 1 \"Các xã\""));
    CHECK(has_error(d, "/groups/0/cells/kh", "states 81 but the table computes 80 (the sum of 2 row(s))"));
}

TEST_CASE("bad declarations: unknown column, cycle, syntax, text arithmetic") {
    model::Annex a;
    a.title = "T";
    a.source_file = "x.json";
    auto& t = a.table;
    t.columns = {col("name", "Tên", "", ValueFormat::text), col("n", "N", "", ValueFormat::integer),
                 col("a", "A", "", ValueFormat::decimal, 2, "b + n"), col("b", "B", "", ValueFormat::decimal, 2, "a * 2"),
                 col("u", "U", "", ValueFormat::decimal, 2, "n / cx"), col("s", "S", "", ValueFormat::decimal, 2, "n / * 2"),
                 col("w", "W", "", ValueFormat::decimal, 2, "name + 1")};
    t.rows = {row("/rows/0", {{"name", "x"}, {"n", "1"}})};
    Diagnostics d;
    table::resolve(a, d);
    INFO(d.to_string());
    CHECK(has_error(d, "/columns/u/expr", "names unknown column \"cx\" (at character 5)"));
    CHECK(has_error(d, "/columns/u/expr", "the columns are: name, n, a, b, u, s, w"));
    CHECK((has_error(d, "/columns/a/expr", "cycle: a -> b -> a") || has_error(d, "/columns/b/expr", "cycle: b -> a -> b")));
    CHECK(has_error(d, "/columns/s/expr", "(at character 5)"));
    CHECK(has_error(d, "/columns/w/expr", "text column \"name\""));
    for (const auto& i : d.items()) CHECK(i.file == "x.json");
}

TEST_CASE("bad rows: missing cells, wrong types, unknown keys, too many decimals") {
    model::Annex a;
    a.title = "T";
    auto& t = a.table;
    t.columns = {col("name", "Tên", "", ValueFormat::text), col("n", "N", "", ValueFormat::integer),
                 col("m", "M", "", ValueFormat::money, 4)};
    t.rows = {row("/rows/0", {{"name", "x"}, {"n", "1"}}),
              row("/rows/1", {{"name", "y"}, {"n", "nhiều"}, {"m", "1"}}),
              row("/rows/2", {{"name", "z"}, {"n", "1.5"}, {"m", "1.23456"}, {"q", "1"}})};
    Diagnostics d;
    table::resolve(a, d);
    INFO(d.to_string());
    CHECK(has_error(d, "/rows/0", "row 1 \"x\" has no value for column m \"M\""));
    CHECK(has_error(d, "/rows/1/n", "expects a number (a number such as 1234 or \"10966.9345\"), found \"nhiều\""));
    CHECK(has_error(d, "/rows/2/n", "holds whole numbers; found 1.5"));
    CHECK(has_error(d, "/rows/2/m", "at most 4 decimal(s); found 1.23456"));
    CHECK(has_error(d, "/rows/2/q", "unknown column \"q\""));
}

TEST_CASE("a string number is read digit for digit") {
    model::Annex a;
    a.title = "T";
    auto& t = a.table;
    t.columns = {col("m", "M", "", ValueFormat::money, 4)};
    t.rows = {row("/rows/0", {{"m", "x"}})};
    t.rows[0].cells["m"] = txt("10966.9345", "/rows/0/m");
    Diagnostics d;
    auto r = table::resolve(a, d);
    CHECK(d.empty());
    CHECK(r.rows[0].cells[0].text == "10.966,9345");
}

TEST_CASE("recomputing from a column without total is reported") {
    model::Annex a;
    a.title = "T";
    auto& t = a.table;
    t.columns = {col("p", "P", "", ValueFormat::percent, 2), col("n", "N", "", ValueFormat::integer),
                 col("k", "K", "", ValueFormat::integer, 0, "n * p / 100")};
    t.rows = {row("/rows/0", {{"p", "2.5"}, {"n", "400"}})};
    t.total.present = true;
    Diagnostics d;
    auto r = table::resolve(a, d);
    CHECK(texts(r.rows[1])[2] == "10");
    CHECK(has_error(d, "/columns/k/total", "from column p, which has no total"));
}

TEST_CASE("orientation: declared or chosen by width") {
    auto a = gia_lai();
    Diagnostics d;
    CHECK(!table::resolve(a, d).landscape);
    a.orientation = model::Orientation::landscape;
    CHECK(table::resolve(a, d).landscape);
    for (int i = 0; i < 6; ++i) {
        std::string key(1, 'x');  // built by appending: GCC 12 misreads "x" + std::string as overlapping
        key += std::to_string(i);
        auto c = col(key, "Cột thêm", "", ValueFormat::integer);
        c.total = model::TotalPolicy::none;
        a.table.columns.push_back(c);
        for (auto& r : a.table.rows) r.cells[key] = num("1");
    }
    a.orientation = model::Orientation::automatic;
    Diagnostics d2;
    CHECK(table::resolve(a, d2).landscape);
}

TEST_CASE("formatting helpers") {
    using model::ValueFormat;
    CHECK(table::format_value(*Decimal::parse("388231"), ValueFormat::integer, 0) == "388.231");
    CHECK(table::format_value(*Decimal::parse("8.114"), ValueFormat::percent, 2) == "8,11");
    CHECK(table::format_value(*Decimal::parse("2"), ValueFormat::decimal, 2) == "2,00");
    CHECK(table::format_value(*Decimal::parse("-1200.5"), ValueFormat::integer, 0) == "-1.201");
    CHECK(table::format_value(*Decimal::parse("20856.93450"), ValueFormat::money, 4) == "20.856,9345");
    CHECK(table::excel_column(0) == "A");
    CHECK(table::excel_column(25) == "Z");
    CHECK(table::excel_column(26) == "AA");
    CHECK(table::excel_column(701) == "ZZ");
    CHECK(table::excel_column(702) == "AAA");
}

TEST_CASE("numbers too large to compute are reported, not thrown") {
    model::Annex a;
    a.title = "T";
    a.pointer = "/annexes/0";
    auto& t = a.table;
    t.columns = {col("n", "N", "", ValueFormat::decimal, 6), col("m", "M", "", ValueFormat::decimal, 6, "n * n * n")};
    t.rows = {row("/rows/0", {{"n", "999999999999999999999999999999"}})};
    t.total.present = true;
    Diagnostics d;
    CHECK_NOTHROW(table::resolve(a, d));
    CHECK(d.has_errors());
}

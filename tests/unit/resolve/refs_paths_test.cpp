// Tests of resolve/table_refs on computed tables: rows named by path or id,
// ambiguous names, names with ":", references in annex texts, cross-table
// checks, unknown cells.
#include <doctest/doctest.h>

#include "resolve/table_refs.hpp"
#include "table/engine.hpp"
#include "../table/fixtures.hpp"

using namespace vanban;
using model::ValueFormat;
using namespace vanban::testing;

namespace {

model::Group group(const std::string& ptr, const std::string& title, std::vector<model::Row> rows) {
    model::Group g;
    g.title = title;
    g.pointer = ptr;
    g.rows = std::move(rows);
    return g;
}

/// Every project has a "Tiểu dự án 1"; the names carry ":" as published.
table::ResolvedTable allocation() {
    model::Annex a;
    a.title = "Phân bổ kinh phí";
    a.label = "Phụ lục I";
    a.source_file = "phan-bo.json";
    auto& t = a.table;
    t.columns = {numbering(), col("nd", "Nội dung", "B", ValueFormat::text),
                 col("tong", "Tổng", "1", ValueFormat::money, 4)};
    model::Group da2 = group("/groups/0", "Dự án 2: Đa dạng hóa sinh kế", {});
    da2.leaf = true;
    da2.cells["tong"] = num("9558", "/groups/0/cells/tong");
    model::Group da3 = group("/groups/1", "Dự án 3", {});
    da3.groups = {group("/groups/1/groups/0", "Tiểu dự án 1: Hỗ trợ phát triển sản xuất",
                        {row("/groups/1/groups/0/rows/0", {{"nd", "Xã A"}, {"tong", "4000"}}),
                         row("/groups/1/groups/0/rows/1", {{"nd", "Xã B"}, {"tong", "20"}})}),
                  group("/groups/1/groups/1", "Tiểu dự án 2", {row("/groups/1/groups/1/rows/0", {{"nd", "Xã A"}, {"tong", "7"}})})};
    model::Group da4 = group("/groups/2", "Dự án 4", {row("/groups/2/rows/0", {{"nd", "Tiểu dự án 1"}, {"tong", "3310"}})});
    da4.rows[0].id = "da4-tda1";
    model::Group da6 = group("/groups/3", "Dự án 6", {row("/groups/3/rows/0", {{"nd", "Tiểu dự án 1"}, {"tong", "620"}})});
    t.groups = {da2, da3, da4, da6};
    t.total.present = true;
    t.total.pointer = "/total";
    Diagnostics d;
    auto r = table::resolve(a, d);
    REQUIRE(d.empty());
    return r;
}

table::ResolvedTable sources(const std::string& central) {
    model::Annex a;
    a.title = "Nguồn vốn";
    a.label = "Phụ lục II";
    a.source_file = "nguon-von.json";
    auto& t = a.table;
    t.columns = {col("nguon", "Nguồn", "A", ValueFormat::text), col("so_tien", "Số tiền", "1", ValueFormat::money, 4)};
    t.rows = {row("/rows/0", {{"nguon", "Ngân sách tỉnh"}, {"so_tien", "9890"}}),
              row("/rows/1", {{"nguon", "Ngân sách trung ương"}, {"so_tien", central}})};
    t.total.present = true;
    t.total.pointer = "/total";
    model::CellInput eq;
    eq.has_value = false;
    eq.equals = {"I:total:tong"};
    eq.pointer = "/total/cells/so_tien";
    t.total.cells["so_tien"] = eq;
    Diagnostics d;
    auto r = table::resolve(a, d);
    REQUIRE(d.empty());
    return r;
}

std::string resolve_text(const std::string& text, const std::vector<table::ResolvedTable>& tables, Diagnostics& d) {
    return resolve::resolve_refs_in(text, tables, "body.md", TextPos{3, 0}, d);
}

}  // namespace

TEST_CASE("a name that several rows carry is an error listing them by path") {
    std::vector<table::ResolvedTable> tables{allocation()};
    Diagnostics d;
    resolve_text("[[I:Tiểu dự án 1:tong = 4.020]]", tables, d);
    REQUIRE(d.items().size() == 1);
    const std::string& m = d.items()[0].message;
    INFO(m);
    CHECK(m.find("\"Tiểu dự án 1\" names 3 rows of Phụ lục I") != std::string::npos);
    CHECK(m.find("\"Dự án 3/Tiểu dự án 1: Hỗ trợ phát triển sản xuất\"") != std::string::npos);
    CHECK(m.find("\"Dự án 4/Tiểu dự án 1\" (#da4-tda1)") != std::string::npos);
    CHECK(m.find("\"Dự án 6/Tiểu dự án 1\"") != std::string::npos);
    CHECK(m.find("computes") == std::string::npos);  // the ambiguity, not a wrong figure
    CHECK(m.find("e.g. [[I:Dự án 4/Tiểu dự án 1:tong]]") != std::string::npos);

    Diagnostics x;
    resolve_text("[[I:Xã A:tong]]", tables, x);
    REQUIRE(x.items().size() == 1);
    CHECK(x.items()[0].message.find("\"Dự án 3/Tiểu dự án 1: Hỗ trợ phát triển sản xuất/Xã A\"") != std::string::npos);
    CHECK(x.items()[0].message.find("\"Dự án 3/Tiểu dự án 2/Xã A\"") != std::string::npos);
}

TEST_CASE("rows named by path, by id, with ':' in their names") {
    std::vector<table::ResolvedTable> tables{allocation()};
    Diagnostics d;
    std::string out = resolve_text(
        "[[I:Dự án 4/Tiểu dự án 1:tong]] [[I:dự án 6 / tiểu dự án 1:tong = 620]] [[I:#da4-tda1:tong]] "
        "[[I:Dự án 2: Đa dạng hóa sinh kế:tong]] [[II:Tiểu dự án 1: Hỗ trợ phát triển sản xuất:tong]] "
        "[[I:Tiểu dự án 2/Xã A:tong]] [[I:Dự án 3/Xã B:tong]] [[I:Dự án 3:tong = 4.027]] [[I:total:tong]]",
        {tables[0], tables[0]}, d);
    INFO(d.to_string());
    CHECK(d.empty());
    CHECK(out == "3.310 620 3.310 9.558 4.020 7 20 4.027 17.515");

    // A published name "Dự án 2: Đa dạng hóa sinh kế" also answers to "Dự án 2"; "Tiểu dự án 1" is
    // now the short name of three rows.
    Diagnostics s;
    CHECK(resolve_text("[[I:Dự án 2:tong]] [[I:Dự án 3/Tiểu dự án 1:tong]]", tables, s) == "9.558 4.020");
    CHECK(s.empty());
    resolve_text("[[I:Tiểu dự án 1:tong]]", tables, s);
    REQUIRE(s.items().size() == 1);
    CHECK(s.items()[0].message.find("names 3 rows") != std::string::npos);
}

TEST_CASE("a reference without annexes, or to an unknown cell, is an error") {
    Diagnostics d;
    std::string out = resolve_text("[[I:total:c9]]", {}, d);
    REQUIRE(d.items().size() == 1);
    CHECK(d.items()[0].message.find("the document has no annex tables") != std::string::npos);
    CHECK(out == "[[I:total:c9]]");

    model::Annex a;
    a.title = "T";
    a.table.columns = {col("ten", "Tên", "", ValueFormat::text), col("n", "N", "", ValueFormat::integer)};
    a.table.rows = {row("/rows/0", {{"ten", "Xã A"}, {"n", "1"}})};
    a.table.rows[0].cells["n"].kind = model::CellInput::Kind::null;
    Diagnostics e;
    std::vector<table::ResolvedTable> tables{table::resolve(a, e)};
    REQUIRE(e.empty());
    resolve_text("[[1:Xã A:n]]", tables, e);
    CHECK(has_error(e, "3", "is not known (null in the table)"));
    Diagnostics w;
    CHECK(resolve_text("[[1:Xã A:n = 5]]", tables, w) == "5");
    REQUIRE(w.items().size() == 1);
    CHECK(w.items()[0].severity == Severity::warning);
    CHECK(w.items()[0].message.find("printed unchecked") != std::string::npos);
}

TEST_CASE("references in annex titles, captions, subtitles and notes") {
    std::vector<table::ResolvedTable> tables{allocation(), sources("10966.9345")};
    tables[1].title = "Nguồn vốn thực hiện ([[I:total:tong]] triệu đồng)";
    tables[1].notes = {"Gồm Dự án 2: [[I:Dự án 2: Đa dạng hóa sinh kế:tong]] triệu đồng.", "[[I:nowhere:tong]]"};
    tables[1].pointer = "";
    Diagnostics d;
    resolve::resolve_annex_text_refs(tables, d);
    CHECK(tables[1].title == "Nguồn vốn thực hiện (17.515 triệu đồng)");
    CHECK(tables[1].notes[0] == "Gồm Dự án 2: 9.558 triệu đồng.");
    REQUIRE(d.items().size() == 1);
    CHECK(d.items()[0].file == "nguon-von.json");
    CHECK(d.items()[0].at.to_string() == "/notes/1");
}

TEST_CASE("cross-table checks report both places") {
    {
        std::vector<table::ResolvedTable> tables{allocation(), sources("7625")};  // 9.890 + 7.625 = 17.515
        Diagnostics d;
        resolve::check_cross_tables(tables, d);
        INFO(d.to_string());
        CHECK(d.empty());
    }
    std::vector<table::ResolvedTable> tables{allocation(), sources("7625.1")};
    Diagnostics d;
    resolve::check_cross_tables(tables, d);
    REQUIRE(d.items().size() == 1);
    const auto& e = d.items()[0];
    CHECK(e.file == "nguon-von.json");
    CHECK(e.at.to_string() == "/total/cells/so_tien");
    INFO(e.message);
    CHECK(e.message.find("Phụ lục II (\"NGUỒN VỐN\"), row \"total\", column so_tien: 17.515,1 must equal Phụ lục I "
                         "(\"PHÂN BỔ KINH PHÍ\"), row \"total\", column tong (phan-bo.json:/total), which is 17.515") !=
          std::string::npos);
    CHECK(e.message.find("(this cell: nguon-von.json:/total)") != std::string::npos);

    // A sum of cells, and a reference that names nothing.
    tables[1].checks[0].refs = {"[[I:Dự án 2: Đa dạng hóa sinh kế:tong]]", "I:Dự án 3:tong", "I:#da4-tda1:tong",
                                "I:Dự án 6/Tiểu dự án 1:tong"};
    Diagnostics sum;
    resolve::check_cross_tables(tables, sum);
    REQUIRE(sum.items().size() == 1);
    CHECK(sum.items()[0].message.find("must equal the sum of") != std::string::npos);
    CHECK(sum.items()[0].message.find("their sum is 17.515") != std::string::npos);
    tables[1].checks[0].refs = {"I:Dự án 9:tong"};
    Diagnostics none;
    resolve::check_cross_tables(tables, none);
    CHECK(has_error(none, "/total/cells/so_tien", "\"equals\": I:Dự án 9:tong: no row \"Dự án 9\""));
}

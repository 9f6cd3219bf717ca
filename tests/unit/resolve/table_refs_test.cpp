#include <doctest/doctest.h>

#include "resolve/table_refs.hpp"

using namespace vanban;

namespace {

table::Cell cell(std::string text, std::optional<Decimal> value = std::nullopt) {
    table::Cell c;
    c.text = std::move(text);
    c.value = value;
    return c;
}

table::ResolvedTable small_table() {
    table::ResolvedTable t;
    t.label = "Phụ lục I";
    t.title = "Kết quả";
    t.columns = {{"ten", model::ValueFormat::text}, {"so", model::ValueFormat::integer},
                 {"ty_le", model::ValueFormat::percent, 2}};
    auto row = [](table::RowKind k, std::string name, long long n, const char* rate, const char* rate_text) {
        table::ResolvedRow r;
        r.kind = k;
        r.cells.push_back(cell(std::move(name)));
        r.cells.push_back(cell(std::to_string(n), Decimal(n)));
        r.cells.push_back(cell(rate_text, Decimal::parse(rate)));
        return r;
    };
    t.rows.push_back(row(table::RowKind::total, "Toàn huyện", 2319, "41.99", "41,99"));
    t.rows.push_back(row(table::RowKind::data, "Xã Krong", 22, "44.00", "44,00"));
    return t;
}

model::Document doc_with(std::string text) {
    model::Document d;
    d.body_file = "body.md";
    model::Block b;
    b.line = 7;
    b.text.push_back({std::move(text)});
    d.body.push_back(std::move(b));
    return d;
}

}  // namespace

TEST_CASE("parse_vn_number reads Vietnamese notation only") {
    CHECK(resolve::parse_vn_number("2.319,6")->to_plain_string() == "2319.6");
    CHECK(resolve::parse_vn_number("41,99")->to_plain_string() == "41.99");
    CHECK(resolve::parse_vn_number("-3")->to_plain_string() == "-3");
    CHECK(resolve::parse_vn_number("1.234.567")->to_plain_string() == "1234567");
    CHECK_FALSE(resolve::parse_vn_number("2.31,6"));   // groups of three
    CHECK_FALSE(resolve::parse_vn_number("2319.6"));   // '.' is not a decimal point here
    CHECK_FALSE(resolve::parse_vn_number("12,"));
    CHECK_FALSE(resolve::parse_vn_number(""));
    CHECK_FALSE(resolve::parse_vn_number("12a"));
}

TEST_CASE("table references print the computed cell or check the stated one") {
    std::vector<table::ResolvedTable> tables{small_table()};
    {
        auto d = doc_with("có [[I:total:so]] hộ, đạt [[1:Toàn huyện:ty_le = 41,99]]%; xã Krong [[I:xã krong:so = 22]] hộ.");
        Diagnostics diags;
        resolve::resolve_table_refs(d, tables, diags);
        CHECK(diags.empty());
        CHECK(d.body[0].text[0].text == "có 2319 hộ, đạt 41,99%; xã Krong 22 hộ.");
    }
    {
        // A stated value rounded to fewer decimals than the table shows is accepted.
        auto d = doc_with("đạt [[I:total:ty_le = 42]]%");
        Diagnostics diags;
        resolve::resolve_table_refs(d, tables, diags);
        CHECK(diags.empty());
        CHECK(d.body[0].text[0].text == "đạt 42%");
    }
    {
        auto d = doc_with("[[I:total:so = 2.320]] [[II:total:so]] [[I:Xã B:so]] [[I:total]] [[I:total:ty_le = 4l]");
        Diagnostics diags;
        resolve::resolve_table_refs(d, tables, diags);
        REQUIRE(diags.items().size() == 5);
        CHECK(diags.items()[0].to_string() ==
              "body.md:7: error: table reference [[I:total:so = 2.320]]: the text states 2.320 but Phụ lục I (\"KẾT QUẢ\") "
              "computes 2319 (row \"total\", column so)");
        CHECK(diags.items()[1].message.find("no annex \"II\"") != std::string::npos);
        CHECK(diags.items()[2].message.find("no row \"Xã B\"") != std::string::npos);
        CHECK(diags.items()[3].message.find("expected [[annex:row:column]]") != std::string::npos);
        CHECK(diags.items()[4].message.find("unclosed table reference") != std::string::npos);
    }
}

// Tests of bind/data and bind/value: CSV and JSON data files, number reading.
#include <doctest/doctest.h>

#include <string>

#include "bind/data.hpp"
#include "bind/value.hpp"
#include "helpers.hpp"

namespace { vanban::sources::DiskWorld disk; }
using namespace vanban;
using namespace vanban::bind;
using vanban::bind_test::has_error;
using nlohmann::json;

namespace {

std::string field(const Record& r, const char* name) { return r.fields.at(name).get<std::string>(); }

Diagnostic thrown(const std::string& text, const std::string& file = "data.csv") {
    try {
        parse_csv(text, file);
    } catch (const InputError& e) {
        REQUIRE(!e.diagnostics().items().empty());
        return e.diagnostics().items().front();
    }
    FAIL("expected InputError for: " << text);
    return {};
}

}  // namespace

TEST_CASE("CSV as Vietnamese-locale Excel saves it: BOM, CRLF, ';', quotes, embedded line break") {
    DataSet d = load_data(disk, VANBAN_SOURCE_DIR "/tests/unit/bind/data/huyen.csv");
    INFO(d.problems.to_string());
    CHECK(d.problems.empty());
    CHECK(d.fields == std::vector<std::string>{"ma_huyen", "ten_huyen", "tong_ho", "ho_ngheo", "ty_le_giam", "ghi_chu"});
    REQUIRE(d.records.size() == 3);  // the line of only delimiters and the blank line are skipped
    CHECK(field(d.records[0], "ma_huyen") == "001");
    CHECK(field(d.records[0], "ten_huyen") == "Huyện Kbang");
    CHECK(field(d.records[0], "ghi_chu") == "Vùng khó khăn; xã \"đặc biệt\"");
    CHECK(field(d.records[1], "ghi_chu") == "Hai dòng\nghi chú");
    CHECK(field(d.records[2], "ghi_chu") == "");
    CHECK(field(d.records[2], "ty_le_giam") == "1,00");
    // Record locations are the line each record starts on; record 2 spans lines 3-4.
    CHECK(d.records[0].source() == VANBAN_SOURCE_DIR "/tests/unit/bind/data/huyen.csv:2");
    CHECK(d.records[1].location.to_string() == "3");
    CHECK(d.records[2].location.to_string() == "5");
}

TEST_CASE("CSV with ',' and LF, no BOM; blank trailing lines ignored; spaces around fields dropped") {
    DataSet d = parse_csv("ten,so\nKbang, 12\n\"Đak Đoa\" ,7\n\n\n", "d.csv");
    CHECK(d.problems.empty());
    REQUIRE(d.records.size() == 2);
    CHECK(field(d.records[0], "so") == "12");
    CHECK(field(d.records[1], "ten") == "Đak Đoa");
    CHECK(d.records[1].source() == "d.csv:3");
    // Lone CR line ends (old spreadsheet programs).
    DataSet cr = parse_csv("a;b\r1;2\r3;4\r", "cr.csv");
    REQUIRE(cr.records.size() == 2);
    CHECK(cr.records[1].location.to_string() == "3");
}

TEST_CASE("CSV delimiter is detected from the header line") {
    // ';' wins: the commas are decimal marks in the records, and none is on the header line.
    DataSet d = parse_csv("ten;ty_le\nKbang;11,26\n", "d.csv");
    CHECK(field(d.records[0], "ty_le") == "11,26");
    DataSet c = parse_csv("ten,ghi_chu\nKbang,\"a;b\"\n", "d.csv");
    CHECK(field(c.records[0], "ghi_chu") == "a;b");
}

TEST_CASE("CSV values are NFC") {
    // "Việt" written decomposed (e + combining dot below + combining circumflex).
    DataSet d = parse_csv("ten\nVie\xCC\xA3\xCC\x82t\n", "d.csv");
    CHECK(field(d.records[0], "ten") == "Việt");
}

TEST_CASE("CSV rows with a wrong field count are reported with line:column and dropped; the rest is kept") {
    DataSet d = parse_csv("ten;a;b;c\nKbang;1;2;3\nĐak Đoa;1;2\nIa Pa;1;2;3;4\nPleiku;5;6;7\n", "d.csv");
    REQUIRE(d.records.size() == 2);
    CHECK(field(d.records[0], "ten") == "Kbang");
    CHECK(field(d.records[1], "ten") == "Pleiku");
    REQUIRE(d.problems.items().size() == 2);
    // Too few: at the end of the row (code-point column: "Đak Đoa;1;2" has 11 characters).
    CHECK(has_error(d.problems, "d.csv", "3:12", {"3 field(s)", "the header has 4", "expected 4, found 3"}));
    // Too many: at the first extra field.
    CHECK(has_error(d.problems, "d.csv", "4:13", {"expected 4, found 5", "must be enclosed in quotes"}));
}

TEST_CASE("CSV quoting errors") {
    SUBCASE("stray quote in an unquoted field drops that record only") {
        DataSet d = parse_csv("ten,so\nab\"c,1\nKbang,2\n", "d.csv");
        REQUIRE(d.records.size() == 1);
        CHECK(field(d.records[0], "ten") == "Kbang");
        CHECK(has_error(d.problems, "d.csv", "2:3", {"stray quote inside an unquoted field"}));
    }
    SUBCASE("text after a closing quote") {
        DataSet d = parse_csv("ten,so\n\"ab\"c,1\n", "d.csv");
        CHECK(d.records.empty());
        CHECK(has_error(d.problems, "d.csv", "2:5", {"expected the delimiter ','", "found 'c'"}));
    }
    SUBCASE("unterminated quote: reported at the opening quote, earlier records kept") {
        DataSet d = parse_csv("ten,so\nKbang,1\n\"Ia Pa,2\nPleiku,3\n", "d.csv");
        REQUIRE(d.records.size() == 1);
        CHECK(has_error(d.problems, "d.csv", "3:1", {"unterminated quoted field", "never closed"}));
    }
}

TEST_CASE("CSV file-level errors throw with file:line:column") {
    SUBCASE("legacy TCVN3 bytes are not UTF-8") {
        Diagnostic e = thrown("ten\nHuy\xAAn Kbang\n");
        CHECK(e.file == "data.csv");
        CHECK(e.at.to_string() == "2:4");
        CHECK(e.message.find("invalid UTF-8 (byte 0xAA)") != std::string::npos);
        CHECK(e.message.find("TCVN3") != std::string::npos);
    }
    SUBCASE("header names that are not names") {
        Diagnostic e = thrown("ma;Tên huyện\n1;Kbang\n");
        CHECK(e.at.to_string() == "1:4");
        CHECK(e.message.find("\"Tên huyện\", which is not usable as a name") != std::string::npos);
        CHECK(e.message.find("e.g. ten_huyen") != std::string::npos);
    }
    SUBCASE("empty header name") {
        Diagnostic e = thrown("ma,,so\n1,2,3\n");
        CHECK(e.at.to_string() == "1:4");
        CHECK(e.message.find("column 2 is empty") != std::string::npos);
    }
    SUBCASE("duplicate header name") {
        Diagnostic e = thrown("ma,so, so \n1,2,3\n");
        CHECK(e.at.to_string() == "1:8");
        CHECK(e.message.find("so appears twice (columns 2 and 3)") != std::string::npos);
    }
    SUBCASE("empty file") {
        Diagnostic e = thrown("\xEF\xBB\xBF\r\n");
        CHECK(e.message.find("expected a header line") != std::string::npos);
    }
}

TEST_CASE("JSON data: array of objects, object, and errors") {
    DataSet a = parse_json_data(R"J([{"ten": "Kbang", "so": 12}, 5, {"ten": "Ia Pa", "ghi_chu": "x"}])J", "d.json");
    REQUIRE(a.records.size() == 2);
    CHECK(a.records[0].source() == "d.json:/0");
    CHECK(a.records[1].source() == "d.json:/2");
    CHECK(a.records[0].fields.at("so").is_number_integer());  // JSON values keep their type
    CHECK(a.fields == std::vector<std::string>{"so", "ten", "ghi_chu"});
    CHECK(has_error(a.problems, "d.json", "/1", {"expected an object", "found a number"}));
    CHECK(!a.single_object);

    DataSet o = load_data(disk, VANBAN_SOURCE_DIR "/tests/unit/bind/data/tinh.json");
    CHECK(o.single_object);
    REQUIRE(o.records.size() == 1);
    CHECK(o.records[0].source() == VANBAN_SOURCE_DIR "/tests/unit/bind/data/tinh.json");
    CHECK(o.records[0].fields.at("huyen").size() == 2);

    try {
        parse_json_data("{\n  \"ten\": \"Kbang\",\n  \"so\": 12,\n}", "bad.json");
        FAIL("expected InputError");
    } catch (const InputError& e) {
        // located at the comma to remove, not at the brace after it
        CHECK(e.diagnostics().items()[0].at.to_string() == "3:11");
        CHECK(e.diagnostics().items()[0].message.find("malformed JSON: there is a comma after the last field") !=
              std::string::npos);
    }
    // A duplicate key before broken text further on: reported, never a hang.
    CHECK_THROWS_AS(parse_json_data("[{\"a\": 1, \"a\": 2}, }}]", "dup.json"), InputError);
    CHECK_THROWS_AS(parse_json_data("[{\"a\": 1, \"a\": 2}, {\"n}}}} \"b\": 1}]", "dup.json"), InputError);
    CHECK_THROWS_WITH_AS(parse_json_data("\"x\"", "s.json"),
                         doctest::Contains("expected an object (one record) or an array of objects"), InputError);
    sources::DiskWorld world;
    CHECK_THROWS_WITH_AS(load_data(world, "data.ods"), doctest::Contains("expected a data file ending in .csv, .xlsx or .json"),
                         InputError);
    CHECK_THROWS_WITH_AS(load_data(world, "data.csv", "Sheet1"), doctest::Contains("only in an .xlsx workbook"), InputError);
    CHECK_THROWS_WITH_AS(xlsx_sheet_csv("a,b\n1,2\n", "d.xlsx", ""), doctest::Contains("not an XLSX workbook"), InputError);
    CHECK_THROWS_WITH_AS(load_data(world, "/nonexistent/d.csv"), doctest::Contains("cannot read the data file"), InputError);
}

TEST_CASE("numbers from data: sign, digits, '.' or ',' decimal mark, no grouping") {
    CHECK(parse_number_text("8,11")->to_plain_string() == "8.11");
    CHECK(parse_number_text("8.11")->to_plain_string() == "8.11");
    CHECK(parse_number_text("-3") == Decimal(-3));
    CHECK(parse_number_text("+2,5")->to_plain_string() == "2.5");
    CHECK(parse_number_text(" 18286 ") == Decimal(18286));
    CHECK(parse_number_text("388.231")->to_plain_string() == "388.231");  // a decimal, not 388231
    CHECK(!parse_number_text(""));
    CHECK(!parse_number_text("1.234.567"));
    CHECK(!parse_number_text("1,234.5"));
    CHECK(!parse_number_text("1e3"));
    CHECK(!parse_number_text(",5"));
    CHECK(!parse_number_text("5,"));
    CHECK(!parse_number_text("12 hộ"));

    std::string why;
    CHECK(!read_number(json(""), &why));
    CHECK(why == "is empty");
    CHECK(!read_number(json("1.234.567"), &why));
    CHECK(why.find("is \"1.234.567\", not a number (thousands separators are not read") == 0);
    CHECK(!read_number(json("Kbang"), &why));
    CHECK(why.find("is \"Kbang\", not a number (expected digits") == 0);
    CHECK(!read_number(json::array(), &why));
    CHECK(why == "is an array, not a number");
    CHECK(read_number(json(8.11))->to_plain_string() == "8.11");
    CHECK(read_number(json(2059)) == Decimal(2059));
    CHECK(!read_number(json(0.1234567890123456789), &why));
    CHECK(why.find("more than 15 significant digits") != std::string::npos);
}

TEST_CASE("values: missing, truth, bare text, JSON numbers") {
    CHECK(is_missing(json("")));
    CHECK(is_missing(json("  ")));
    CHECK(is_missing(json(nullptr)));
    CHECK(!is_missing(json("0")));
    CHECK(!is_truthy(json("0")));
    CHECK(!is_truthy(json("0,00")));
    CHECK(!is_truthy(json(0)));
    CHECK(!is_truthy(json::array()));
    CHECK(!is_truthy(json(false)));
    CHECK(is_truthy(json("Kbang")));
    CHECK(is_truthy(json::array({1})));
    CHECK(*bare_text(json(18286)) == "18286");
    CHECK(*bare_text(json(8.11)) == "8,11");
    CHECK(*bare_text(json("8.11")) == "8.11");  // text prints as written
    CHECK(!bare_text(json::array()));
    CHECK(plain_vietnamese(Decimal::parse("11.2600").value()) == "11,26");

    CHECK(as_json_number(json("498")) == json(498));
    CHECK(as_json_number(json("498"))->is_number_integer());
    CHECK(as_json_number(json("-3")) == json(-3));
    CHECK(as_json_number(json("8,11"))->dump() == "8.11");
    CHECK(as_json_number(json("10966.9345"))->dump() == "10966.9345");
    CHECK(!as_json_number(json("007")));
    CHECK(!as_json_number(json("+3")));
    CHECK(!as_json_number(json("Kbang")));
    CHECK(!as_json_number(json("0,1234567890123456")));  // 16 significant digits would not read back exactly
}

TEST_CASE("CSV read only as far as a record: the records before it counted, not kept; a long file read in pieces") {
    std::string csv = "ma,ten\n";
    for (int i = 1; i <= 40000; ++i) csv += "m" + std::to_string(i) + ",\"Tên " + std::to_string(i) + "\nhai dòng\"\n";
    vanban::sources::MemoryWorld world;
    world.add("/d/data.csv", csv);
    auto d = vanban::bind::load_data_head(world, "/d/data.csv", "", 30000, 30000);
    CHECK(d.partial);
    CHECK(d.skipped == 29999);
    REQUIRE(d.records.size() == 1);
    CHECK(d.records[0].fields["ma"] == "m30000");
    CHECK(d.records[0].fields["ten"] == "Tên 30000\nhai dòng");
    CHECK(d.records[0].source() == "/d/data.csv:" + std::to_string(2 + 2 * 29999));
    auto first = vanban::bind::load_data_head(world, "/d/data.csv", "", 2);
    CHECK((first.partial && first.skipped == 0 && first.records.size() == 2));
    auto beyond = vanban::bind::load_data_head(world, "/d/data.csv", "", 50000, 50000);
    CHECK((beyond.partial && beyond.skipped == 40000 && beyond.records.empty()));
}

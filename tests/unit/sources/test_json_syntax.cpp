// Tests of sources/json_text: syntax errors as a clerk makes them, each
// located where it is fixed and said in words that tell how to fix it.
#include <doctest/doctest.h>

#include <string>

#include "sources/json_text.hpp"

using namespace vanban;

namespace {

/// The one diagnostic parse_json_text reports for `text`, as "line:column: message".
std::string error_of(const std::string& text) {
    try {
        sources::parse_json_text(text, "d.json");
    } catch (const InputError& e) {
        REQUIRE(e.diagnostics().items().size() == 1);
        const Diagnostic& d = e.diagnostics().items()[0];
        return d.at.to_string() + ": " + d.message;
    }
    FAIL("no error for: " << text);
    return "";
}

}  // namespace

TEST_CASE("a trailing comma is located at the comma and is to be removed") {
    std::string m = error_of("{\n  \"type\": \"KH\",\n  \"place\": \"Kbang\",\n}\n");
    CHECK(m.rfind("3:19: ", 0) == 0);
    CHECK(m.find("comma after the last field") != std::string::npos);
    CHECK(m.find("remove this comma") != std::string::npos);
    m = error_of("{\"recipients\": [\"Sở Tài chính\", \"Sở Nội vụ\",]}");
    CHECK_MESSAGE(m.rfind("1:44: ", 0) == 0, m);
    CHECK(m.find("comma after the last element") != std::string::npos);
}

TEST_CASE("a missing comma is located at the end of the value it should follow") {
    std::string m = error_of("{\n  \"type\": \"KH\"\n  \"place\": \"Kbang\"\n}\n");
    CHECK(m.rfind("2:15: ", 0) == 0);
    CHECK(m.find("a comma is missing after this value") != std::string::npos);
    CHECK(m.find("at 3:3") != std::string::npos);
    CHECK(m.find("add \",\"") != std::string::npos);
    m = error_of("{\"recipients\": [\"A\" \"B\"]}");
    CHECK(m.rfind("1:20: ", 0) == 0);
    CHECK(m.find("comma is missing") != std::string::npos);
}

TEST_CASE("an extra comma is located at itself") {
    std::string m = error_of("{\n  \"type\": \"KH\",\n  \"number\": 498,,\n}\n");
    CHECK(m.rfind("3:17: ", 0) == 0);
    CHECK(m.find("an extra comma") != std::string::npos);
    m = error_of("{\"recipients\": [, \"A\"]}");
    CHECK_MESSAGE(m.rfind("1:17: ", 0) == 0, m);
    CHECK(m.find("an extra comma") != std::string::npos);
}

TEST_CASE("curly quotes are named, never printed broken, with the straight quote to write") {
    std::string m = error_of("{\"place\": \u201CLong Kh\u00E1nh\u201D}");
    CHECK(m.rfind("1:11: ", 0) == 0);
    CHECK(m.find("\u201CLong Khánh\u201D is in curly quotes \u201C \u201D") != std::string::npos);
    CHECK(m.find("write \"Long Khánh\"") != std::string::npos);
    CHECK(m.find("\xEF\xBF\xBD") == std::string::npos);
    // a text opened straight and closed curly
    m = error_of("{\n  \"place\": \"Long Kh\u00E1nh\u201D,\n  \"type\": \"KH\"\n}");
    CHECK(m.rfind("2:23: ", 0) == 0);
    CHECK(m.find("closed with the curly quote \u201D") != std::string::npos);
    CHECK(m.find("replace \u201D with \"") != std::string::npos);
    // a curly quote as a field name's quotes
    m = error_of("{\u201Cplace\u201D: \"x\"}");
    CHECK(m.find("curly quotes") != std::string::npos);
}

TEST_CASE("unquoted text, field names, single quotes and literals") {
    std::string m = error_of("{\"place\": Long Khánh}");
    CHECK(m.rfind("1:11: ", 0) == 0);
    CHECK(m.find("the text Long Khánh is not in quotes") != std::string::npos);
    CHECK(m.find("\"Long Khánh\"") != std::string::npos);
    m = error_of("{place: \"Kbang\"}");
    CHECK(m.rfind("1:2: ", 0) == 0);
    CHECK(m.find("the field name place is not in quotes") != std::string::npos);
    m = error_of("{'place': 'Kbang'}");
    CHECK(m.find("not single quotes") != std::string::npos);
    m = error_of("{\"nhu_dieu\": False}");
    CHECK(m.find("lower case: false") != std::string::npos);
}

TEST_CASE("a leading zero says what to write") {
    std::string m = error_of("{\n  \"number\": 07\n}");
    CHECK(m.rfind("2:13: ", 0) == 0);
    CHECK(m.find("the number 07 starts with a zero") != std::string::npos);
    CHECK(m.find("write 7") != std::string::npos);
    CHECK(m.find("\"07\"") != std::string::npos);
    CHECK(error_of("{\"n\": 007}").find("write 7") != std::string::npos);
    CHECK(error_of("{\"n\": -05}").find("write -5") != std::string::npos);
}

TEST_CASE("colons, unclosed braces, comments and backslashes") {
    CHECK(error_of("{\"place\" \"Kbang\"}").find("a colon is missing after the field name \"place\"") != std::string::npos);
    CHECK(error_of("{\"x\": 1, \"place\": , \"y\": 2}").find("the field \"place\" has no value") != std::string::npos);
    CHECK(error_of("{\"x\": 1, \"place\": }").find("the field \"place\" has no value") != std::string::npos);
    std::string m = error_of("{\n  \"signature\": {\"name\": \"A\"\n");
    CHECK(m.find("the object opened at 2:16 is closed") != std::string::npos);
    CHECK(error_of("{\"a\": [1, 2}").find("does not match the \"[\" opened at 1:7") != std::string::npos);
    CHECK(error_of("{\"a\": 1} // note").find("no comments") != std::string::npos);
    CHECK(error_of("{\"file\": \"C:\\Users\\body.md\"}").find("double it") != std::string::npos);
    CHECK(error_of("").find("the file is empty") != std::string::npos);
    CHECK(error_of("{\"a\": 1}\n{\"b\": 2}").find("a file holds one JSON object") != std::string::npos);
}

TEST_CASE("valid JSON is not questioned by the explanation") {
    CHECK(!sources::explain_syntax("{\"a\": [1, -2.5e3, \"x\\n\\u00e1\", true, null, {}], \"b\": {\"c\": []}}"));
    CHECK(!sources::explain_syntax("  [ ]  "));
}

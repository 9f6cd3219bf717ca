#include <doctest/doctest.h>

#include <thread>

#include "core/diagnostic.hpp"
#include "core/i18n.hpp"

using namespace vanban;

TEST_CASE("format_message: {} in order, {N} by index, other braces as written") {
    CHECK(format_message("{} of {}", {"a", "b"}) == "a of b");
    CHECK(format_message("{1} before {0}", {"a", "b"}) == "b before a");
    CHECK(format_message("\"{{ma_huyen}}-ke-hoach\" {}", {"x"}) == "\"{{ma_huyen}}-ke-hoach\" x");
    CHECK(format_message("{\"value\": {}}", {"3"}) == "{\"value\": 3}");
    CHECK(format_message("no arguments", {}) == "no arguments");
}

TEST_CASE("parse_lang and Accept-Language") {
    CHECK(parse_lang("vi") == Lang::vi);
    CHECK(parse_lang("EN") == Lang::en);
    CHECK(parse_lang("en_US.UTF-8") == Lang::en);
    CHECK(parse_lang("vi-VN") == Lang::vi);
    CHECK_FALSE(parse_lang("fr").has_value());
    CHECK(lang_from_accept("fr-FR, en-US;q=0.8, vi;q=0.5") == Lang::en);
    CHECK(lang_from_accept("vi-VN,vi;q=0.9") == Lang::vi);
    CHECK_FALSE(lang_from_accept("de, fr").has_value());
}

TEST_CASE("tr: the code stays, the text follows the language") {
    // The test program runs in English (tests/unit/doctest_main.cpp).
    Message en = tr("missing-field", "missing required field \"{}\"", "summary");
    CHECK(en.code == "missing-field");
    CHECK(en.text == "missing required field \"summary\"");
    LanguageScope vi(Lang::vi);
    Message m = tr("missing-field", "missing required field \"{}\"", "summary");
    CHECK(m.code == "missing-field");
    CHECK(m.text == "thiếu trường bắt buộc \"summary\"");
    CHECK(tx("{} documents", 3) == "3 văn bản");
    // A text the catalogue does not have is shown as written.
    CHECK(tx("no such text {}", 1) == "no such text 1");
}

TEST_CASE("a Vietnamese diagnostic reads \"file:location: lỗi: …\"") {
    Diagnostics d;
    d.error("a.json", "/date", tr("date-impossible-day", "impossible date \"{}\": {}-{} has no day {}", "2024-02-30", "2024", "02", 30));
    CHECK(d.items()[0].code == "date-impossible-day");
    CHECK(d.to_string() == "a.json:/date: error: impossible date \"2024-02-30\": 2024-02 has no day 30\n");
    LanguageScope vi(Lang::vi);
    Diagnostics v;
    v.warning("a.json", "/date", tr("date-impossible-day", "impossible date \"{}\": {}-{} has no day {}", "2024-02-30", "2024", "02", 30));
    CHECK(v.to_string() == "a.json:/date: cảnh báo: ngày \"2024-02-30\" không có thật: tháng 02 năm 2024 không có ngày 30\n");
}

TEST_CASE("LanguageScope applies to its thread only") {
    LanguageScope vi(Lang::vi);
    std::string other;
    std::thread t([&] { other = tx("{} documents", 2); });
    t.join();
    CHECK(other == "2 documents");
    CHECK(tx("{} documents", 2) == "2 văn bản");
}

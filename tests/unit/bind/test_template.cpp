// Tests of bind/template: placeholders, filters, sections, errors, JSON binding.
#include <doctest/doctest.h>

#include <string>

#include "bind/template.hpp"
#include "helpers.hpp"
#include "sources/limits.hpp"

using namespace vanban;
using namespace vanban::bind;
using vanban::bind_test::has_error;
using nlohmann::json;

namespace {

/// A context like a CSV record's: strings, located at data.csv:7, over a shared scope.
Context record_context(json fields) {
    Context c;
    c.push(std::make_shared<const json>(json{{"count", 3}}), "data.csv", true);
    c.push(std::make_shared<const json>(std::move(fields)), "data.csv:7", false);
    return c;
}

std::string render(const std::string& text, const json& fields) {
    Diagnostics d;
    std::string out = bind_text(text, "body.md", record_context(fields), d);
    INFO(text << "\n" << d.to_string());
    CHECK(d.empty());
    return out;
}

Diagnostics errors(const std::string& text, const json& fields) {
    Diagnostics d;
    bind_text(text, "body.md", record_context(fields), d);
    return d;
}

}  // namespace

TEST_CASE("bare placeholders print values as written, with no HTML escaping") {
    json f = {{"tong_ho", "18286"}, {"ty_le", "8,11"}, {"ten", "Sở LĐ-TB&XH <tỉnh> \"Gia Lai\""}};
    CHECK(render("{{tong_ho}} hộ", f) == "18286 hộ");
    CHECK(render("{{ty_le}}", f) == "8,11");
    CHECK(render("{{ten}}", f) == "Sở LĐ-TB&XH <tỉnh> \"Gia Lai\"");
    CHECK(render("{{{ten}}}|{{&ten}}|{{ ten }}", f) ==
          "Sở LĐ-TB&XH <tỉnh> \"Gia Lai\"|Sở LĐ-TB&XH <tỉnh> \"Gia Lai\"|Sở LĐ-TB&XH <tỉnh> \"Gia Lai\"");
    CHECK(render("{{n}} / {{x}}", {{"n", 18286}, {"x", 8.11}}) == "18286 / 8,11");
    CHECK(render("no tags at all", f) == "no tags at all");
}

TEST_CASE("number filters format exact decimals as the annex tables do (half-up)") {
    json f = {{"a", "7449"},        {"b", "8,105"},   {"c", "10966.9345"}, {"d", "9890"}, {"e", "246,30"},
              {"neg", "-0,005"},    {"big", "388231"}, {"t", "11,2599"},   {"j", 2059},   {"jf", 8.105}};
    CHECK(render("{{a | number}}", f) == "7.449");
    CHECK(render("{{j | number}}", f) == "2.059");
    CHECK(render("{{b | number}}", f) == "8,105");       // no argument: every decimal the value has
    CHECK(render("{{b | number:2}}", f) == "8,11");      // half-up
    CHECK(render("{{jf | number:2}}", f) == "8,11");     // a JSON number is read from its text, exactly
    CHECK(render("{{a | number:2}}", f) == "7.449,00");  // fixed decimals
    CHECK(render("{{big|number:0}}", f) == "388.231");
    CHECK(render("{{neg | number:2}}", f) == "-0,01");   // half away from zero, like Excel ROUND
    CHECK(render("{{t | percent:2}}", f) == "11,26%");
    CHECK(render("{{b | percent}}", f) == "8,105%");
    CHECK(render("{{c | money:4}}", f) == "10.966,9345");
    CHECK(render("{{c | money:2}}", f) == "10.966,93");
    CHECK(render("{{d | money:4}}", f) == "9.890");      // trailing zeros dropped
    CHECK(render("{{e | money:4}}", f) == "246,3");
    CHECK(render("{{a | roman}}", {{"a", "4"}}) == "IV");
    CHECK(render("{{a | roman}}", {{"a", 14}}) == "XIV");
}

TEST_CASE("date filters") {
    json f = {{"ngay", "2024-04-01"}, {"vn", "05/01/2024"}, {"thang", "2024-04"}, {"nam", "2024"}};
    CHECK(render("{{ngay | date}}", f) == "ngày 01 tháng 4 năm 2024");
    CHECK(render("{{ngay | date:short}}", f) == "01/4/2024");
    CHECK(render("{{vn | date}}", f) == "ngày 05 tháng 01 năm 2024");
    CHECK(render("{{vn | date:short}}", f) == "05/01/2024");
    CHECK(render("{{thang | date}}", f) == "ngày      tháng 4 năm 2024");  // a draft: the day left blank
    CHECK(render("{{nam | date}}", f) == "ngày      tháng      năm 2024");
}

TEST_CASE("case filters, Vietnamese diacritics kept; filters chain left to right") {
    json f = {{"ten", "thành phố Pleiku"}, {"hoa", "ỦY BAN NHÂN DÂN"}, {"so", "2059"}};
    CHECK(render("{{ten | upper}}", f) == "THÀNH PHỐ PLEIKU");
    CHECK(render("{{hoa | lower}}", f) == "ủy ban nhân dân");
    CHECK(render("{{ten | capitalize}}", f) == "Thành phố Pleiku");
    CHECK(render("{{hoa | lower | capitalize}}", f) == "Ủy ban nhân dân");
    CHECK(render("{{so | number | upper}}", f) == "2.059");
}

TEST_CASE("dotted names, sections, inverted sections, comments") {
    json f = {{"tinh", {{"ten", "Gia Lai"}, {"ma", "64"}}},
              {"huyen", json::array({{{"ten", "Kbang"}, {"so", "2059"}}, {{"ten", "Ia Pa"}, {"so", "2174"}}})},
              {"nhan", json::array({"Sở Tài chính", "Sở Nội vụ"})},
              {"ghi_chu", ""},
              {"co", true},
              {"khong", false},
              {"moi", "0"}};
    CHECK(render("Tỉnh {{tinh.ten}} ({{tinh.ma}})", f) == "Tỉnh Gia Lai (64)");
    CHECK(render("{{#huyen}}{{index}}. {{ten}}: {{so | number}}; {{/huyen}}", f) == "1. Kbang: 2.059; 2. Ia Pa: 2.174; ");
    CHECK(render("{{#nhan}}- {{.}}\n{{/nhan}}", f) == "- Sở Tài chính\n- Sở Nội vụ\n");
    CHECK(render("{{#tinh}}{{ten}}{{/tinh}}", f) == "Gia Lai");
    CHECK(render("{{#co}}có{{/co}}{{#khong}}không{{/khong}}", f) == "có");
    CHECK(render("{{^ghi_chu}}(không){{/ghi_chu}}{{#ghi_chu}}{{ghi_chu}}{{/ghi_chu}}", f) == "(không)");
    CHECK(render("{{#moi}}có hộ mới{{/moi}}{{^moi}}không có hộ mới{{/moi}}", f) == "không có hộ mới");
    CHECK(render("a{{! chú thích }}b", f) == "ab");
    // Outer names stay visible inside a section.
    CHECK(render("{{#huyen}}{{ten}} ({{tinh.ten}}) {{/huyen}}", f) == "Kbang (Gia Lai) Ia Pa (Gia Lai) ");
}

TEST_CASE("standalone section and comment lines leave no blank line in the body") {
    json f = {{"huyen", json::array({{{"ten", "Kbang"}}, {{"ten", "Ia Pa"}}})}};
    std::string body = "# Danh sách\n\n{{! một dòng cho mỗi huyện }}\n{{#huyen}}\n- {{ten}};\n  {{/huyen}}\r\nHết.\n";
    CHECK(render(body, f) == "# Danh sách\n\n- Kbang;\n- Ia Pa;\nHết.\n");
    // Not standalone when other text shares the line.
    CHECK(render("x {{#huyen}}{{ten}}{{/huyen}}\n", f) == "x KbangIa Pa\n");
    CHECK(render("{{#huyen}}\n- {{ten}}\n{{/huyen}}", f) == "- Kbang\n- Ia Pa\n");
    CHECK(render("{{^khong_co}}\r\nkhông\r\n{{/khong_co}}\r\n", {{"khong_co", ""}}) == "không\r\n");
}

TEST_CASE("a missing value is an error naming the template location and the data record") {
    SUBCASE("absent name in a text file: line:column of the tag, suggestion") {
        Diagnostics d = errors("Kế hoạch\n\nHuyện {{ten_huyn}} có", {{"ten_huyen", "Kbang"}, {"so", "1"}});
        REQUIRE(d.items().size() == 1);
        CHECK(has_error(d, "body.md", "3:7", {"{{ten_huyn}}: no value named 'ten_huyn' in data.csv:7", "did you mean 'ten_huyen'?"}));
    }
    SUBCASE("empty cell") {
        Diagnostics d = errors("{{ghi_chu}}", {{"ghi_chu", ""}});
        CHECK(has_error(d, "body.md", "1:1", {"'ghi_chu' in data.csv:7 is empty", "{{#ghi_chu}}…{{/ghi_chu}}"}));
    }
    SUBCASE("in a JSON string: the string's pointer") {
        Diagnostics d;
        json s = bind::Template::compile("Huyện {{ten}}", Origin{"doc.json", "/summary"}, d)
                     .render_json(record_context({{"ma", "1"}}), d);
        CHECK(s == "Huyện ");
        CHECK(has_error(d, "doc.json", "/summary", {"{{ten}}: no value named 'ten' in data.csv:7", "available are: ma"}));
    }
    SUBCASE("a field missing inside an object, and a value inside a list item names its own record") {
        Context c;
        auto shared = std::make_shared<const json>(json{{"rows", json::array({{{"ten", "Kbang"}}, {{"ten", ""}}})}});
        c.push(shared, "data.csv", true);
        c.describe_list(shared->at("rows"), std::make_shared<const std::vector<std::string>>(
                                                 std::vector<std::string>{"data.csv:2", "data.csv:3"}));
        Diagnostics d;
        std::string out = bind_text("{{#rows}}{{ten}};{{/rows}}", "body.md", c, d);
        CHECK(out == "Kbang;;");
        CHECK(has_error(d, "body.md", "1:10", {"'ten' in data.csv:3 is empty"}));
        Diagnostics d2;
        bind_text("{{tinh.ma}}", "body.md", Context(json{{"tinh", {{"ten", "Gia Lai"}}}}, "d.json"), d2);
        CHECK(has_error(d2, "body.md", "1:1", {"'tinh' in d.json has no field 'ma'", "its fields are: ten"}));
    }
    SUBCASE("every problem of a record is reported") {
        Diagnostics d = errors("{{a}} {{b}}\n{{c | number}}", {{"a", ""}, {"c", "Kbang"}});
        CHECK(d.items().size() == 3);
        CHECK(has_error(d, "body.md", "1:1", {"'a' in data.csv:7 is empty"}));
        CHECK(has_error(d, "body.md", "1:7", {"no value named 'b'"}));
        CHECK(has_error(d, "body.md", "2:1",
                        {"{{c | number}}: 'c' in data.csv:7 is \"Kbang\", not a number", "the filter 'number' needs a number"}));
    }
}

TEST_CASE("value errors: thousands separators, lists, dates, roman") {
    json f = {{"so", "1.234.567"}, {"ds", json::array({1})}, {"ngay", "2024-13-01"}, {"r", "0"}, {"b", true}};
    CHECK(has_error(errors("{{so | number}}", f), "body.md", "1:1", {"thousands separators are not read"}));
    CHECK(has_error(errors("{{ds}}", f), "body.md", "1:1", {"'ds' in data.csv:7 is an array", "{{#ds}}…{{/ds}}"}));
    CHECK(has_error(errors("{{ngay | date}}", f), "body.md", "1:1", {"\"2024-13-01\", not a date", "YYYY-MM-DD"}));
    CHECK(has_error(errors("{{r | roman}}", f), "body.md", "1:1", {"whole number from 1 to 3999"}));
    CHECK(has_error(errors("{{b}}", f), "body.md", "1:1", {"is a boolean", "{{#b}}…{{/b}}"}));
}

TEST_CASE("syntax errors are located and reported at compile time") {
    auto compile_errors = [](const std::string& text) {
        Diagnostics d;
        Template::compile(text, Origin{"body.md", ""}, d);
        return d;
    };
    CHECK(has_error(compile_errors("a\n  {{ten | numbr}}"), "body.md", "2:3",
                    {"unknown filter 'numbr' (did you mean 'number'?)", "known filters: number, percent"}));
    CHECK(has_error(compile_errors("{{x | number:abc}}"), "body.md", "1:1",
                    {"the filter 'number' takes a count of decimals 0..18", "found 'abc'"}));
    CHECK(has_error(compile_errors("{{x | date:long}}"), "body.md", "1:1", {"'date' takes no argument or 'short'"}));
    CHECK(has_error(compile_errors("{{x | upper:2}}"), "body.md", "1:1", {"'upper' takes no argument"}));
    CHECK(has_error(compile_errors("{{x | upper | number}}"), "body.md", "1:1",
                    {"'number' reads the value itself and must come first"}));
    CHECK(has_error(compile_errors("xin {{ten\nchào"), "body.md", "1:5", {"unclosed tag", "no matching '}}'"}));
    CHECK(has_error(compile_errors("{{a}\n{{b}}"), "body.md", "1:1", {"unclosed tag", "before the next '{{'"}));
    CHECK(has_error(compile_errors("{{#a}}\n{{#b}}x{{/a}}"), "body.md", "2:8",
                    {"{{/a}}: does not match {{#b}} opened at 2:1; expected {{/b}}"}));
    CHECK(has_error(compile_errors("x{{/a}}"), "body.md", "1:2", {"closes a section that was never opened"}));
    Diagnostics typo = compile_errors("{{#rows}}x{{/row}}");
    CHECK(typo.items().size() == 1);  // taken as a misspelling: the section is not reported as unclosed too
    CHECK(has_error(typo, "body.md", "1:11", {"{{/row}}: does not match {{#rows}} opened at 1:1; expected {{/rows}}"}));
    CHECK(has_error(compile_errors("\n {{#rows}}x"), "body.md", "2:2", {"{{#rows}}: the section is never closed; expected {{/rows}}"}));
    CHECK(has_error(compile_errors("{{a..b}}"), "body.md", "1:1", {"expected a name such as ten_huyen"}));
    CHECK(has_error(compile_errors("{{> p}}"), "body.md", "1:1", {"partials"}));
    CHECK(has_error(compile_errors("{{}}"), "body.md", "1:1", {"empty tag"}));
    CHECK(has_error(compile_errors("{{#a | upper}}{{/a}}"), "body.md", "1:1", {"a section takes a name only"}));
    CHECK(compile_errors("{{a}} {{#b}}{{c.d | number:2 | upper}}{{/b}}").empty());
}

TEST_CASE("references lists the names a template reads") {
    Diagnostics d;
    auto t = Template::compile("{{a}} {{#rows}}{{ten}} {{a}}{{.}}{{/rows}} {{tinh.ten | upper}}", Origin{"b.md", ""}, d);
    CHECK(t.references() == std::vector<std::string>{"a", "rows", "ten", "tinh.ten"});
    CHECK(t.has_tags());
    CHECK(!Template::compile("plain", Origin{"b.md", ""}, d).has_tags());
}

TEST_CASE("reading shared data is recorded") {
    Context c = record_context({{"ten", "Kbang"}});
    Diagnostics d;
    bind_text("{{ten}}", "b.md", c, d);
    CHECK(!c.used_shared());
    bind_text("{{ten}} / {{count}}", "b.md", c, d);
    CHECK(c.used_shared());
    c.reset_used_shared();
    CHECK(!c.used_shared());
    CHECK(d.empty());
}

TEST_CASE("bind_json: strings bound at their pointer, keys kept, lone numbers and lists keep their type, template removed") {
    json doc = json::parse(R"J({
      "template": {"name": "{{ma}}"},
      "number": "{{so}}",
      "ratio": "{{ty_le}}",
      "code": "{{ma}}",
      "summary": "Kế hoạch {{ten | upper}} năm {{nam}}",
      "symbol": "{{so}}/KH",
      "formatted": "{{so | number}}",
      "{{key}}": "kept",
      "list": ["{{ten}}", 3, {"deep": ["{{nam}}"]}],
      "plain": {"a": [1, "b"]},
      "kinh_gui": "{{nhan}}",
      "kinh_gui_text": "{{#nhan}}{{.}}; {{/nhan}}"
    })J");
    Diagnostics d;
    bind_json(doc, record_context({{"so", "498"}, {"ty_le", "8,11"}, {"ma", "001"}, {"ten", "Long Khánh"}, {"nam", "2024"},
                             {"nhan", json::array({"UBND tỉnh", "Sở Tài chính"})}}),
              "doc.json", d);
    INFO(d.to_string());
    CHECK(d.empty());
    CHECK(!doc.contains("template"));
    CHECK(doc["number"] == json(498));
    CHECK(doc["number"].is_number_integer());
    CHECK(doc["ratio"].dump() == "8.11");
    CHECK(doc["code"] == "001");  // leading zero: stays text
    CHECK(doc["summary"] == "Kế hoạch LONG KHÁNH năm 2024");
    CHECK(doc["symbol"] == "498/KH");
    CHECK(doc["formatted"] == "498");
    CHECK(doc["{{key}}"] == "kept");
    CHECK(doc["list"] == json::parse(R"J([ "Long Khánh", 3, {"deep": [2024]} ])J"));
    CHECK(doc["plain"] == json::parse(R"J({"a": [1, "b"]})J"));
    CHECK(doc["kinh_gui"] == json::array({"UBND tỉnh", "Sở Tài chính"}));  // a lone list from JSON data
    CHECK(doc["kinh_gui_text"] == "UBND tỉnh; Sở Tài chính; ");
}

TEST_CASE("$each expands one array element per item, with index, over the outer context") {
    json rows = json::array({{{"ten", "Huyện Kbang"}, {"tong_ho", "18286"}, {"ho_ngheo", "2059"}},
                             {{"ten", "Huyện Đak Đoa"}, {"tong_ho", "31740"}, {"ho_ngheo", "2622"}}});
    auto shared = std::make_shared<const json>(json{{"rows", rows}, {"tinh", "Gia Lai"}});
    Context c;
    c.push(shared, "data.csv", true);
    c.describe_list(shared->at("rows"), std::make_shared<const std::vector<std::string>>(
                                             std::vector<std::string>{"data.csv:2", "data.csv:3"}));
    json annex = json::parse(R"J({"rows": [
        {"tt": "I", "ten": "Tỉnh {{tinh}}"},
        {"$each": "rows", "$item": {"tt": "{{index}}", "ten": "{{ten}}", "c1": "{{tong_ho}}", "c2": "{{ho_ngheo}}"}},
        {"ten": "end"}
    ]})J");
    Diagnostics d;
    JsonTemplate t = JsonTemplate::compile(annex, "annex.json", d);
    json out = t.render(c, d);
    INFO(d.to_string());
    CHECK(d.empty());
    CHECK(out == json::parse(R"J({"rows": [
        {"tt": "I", "ten": "Tỉnh Gia Lai"},
        {"tt": 1, "ten": "Huyện Kbang", "c1": 18286, "c2": 2059},
        {"tt": 2, "ten": "Huyện Đak Đoa", "c1": 31740, "c2": 2622},
        {"ten": "end"}
    ]})J"));
    CHECK(t.references() == std::vector<std::string>{"tinh", "rows", "tong_ho", "ho_ngheo", "ten", "index"});

    SUBCASE("later problems inside expanded elements are moved to $item and name the record") {
        std::vector<Expansion> ex;
        Diagnostics none;
        t.render(c, none, &ex);
        REQUIRE(ex.size() == 2);
        CHECK(ex[0].pointer == "/rows/1");
        CHECK(ex[0].template_pointer == "/rows/1/$item");
        CHECK(ex[0].source == "data.csv:2");
        CHECK(ex[1].pointer == "/rows/2");
        CHECK(ex[1].source == "data.csv:3");
        Diagnostics later;
        later.error("annex.json", "/rows/2/c1", Message{"cell-not-number", "expects a number"});
        later.error("annex.json", "/rows/0/ten", Message{"too-long", "too long"});     // not from $each: unchanged
        later.error("other.json", "/rows/2/c1", Message{"elsewhere", "elsewhere"});     // another file: unchanged
        locate_in_template(later, "annex.json", ex);
        CHECK(later.items()[0].at.to_string() == "/rows/1/$item/c1");
        CHECK(later.items()[0].message == "expects a number (data record data.csv:3)");
        CHECK(later.items()[1].at.to_string() == "/rows/0/ten");
        CHECK(later.items()[1].message == "too long");
        CHECK(later.items()[2].at.to_string() == "/rows/2/c1");
    }
    SUBCASE("errors inside $item name the template pointer and the item's record") {
        json bad = json::parse(R"J([{"$each": "rows", "$item": {"x": "{{ma}}"}}])J");
        Diagnostics e;
        JsonTemplate::compile(bad, "annex.json", e).render(c, e);
        CHECK(has_error(e, "annex.json", "/0/$item/x", {"no value named 'ma' in data.csv:2"}));
        CHECK(has_error(e, "annex.json", "/0/$item/x", {"no value named 'ma' in data.csv:3"}));
    }
    SUBCASE("$each errors") {
        Diagnostics e;
        JsonTemplate::compile(json::parse(R"J([{"$each": "row", "$item": {}}])J"), "a.json", e).render(c, e);
        CHECK(has_error(e, "a.json", "/0/$each", {"no value named 'row' in data.csv", "did you mean 'rows'?"}));
        Diagnostics e2;
        JsonTemplate::compile(json::parse(R"J([{"$each": "tinh", "$item": {}}])J"), "a.json", e2).render(c, e2);
        CHECK(has_error(e2, "a.json", "/0/$each", {"'tinh' in data.csv is a string, expected a list"}));
        Diagnostics e3;
        JsonTemplate::compile(json::parse(R"J([{"$each": "rows", "$iten": {}}])J"), "a.json", e3);
        CHECK(has_error(e3, "a.json", "/0/$iten", {"unexpected member \"$iten\""}));
        CHECK(has_error(e3, "a.json", "/0", {"\"$each\" needs \"$item\""}));
        Diagnostics e4;
        JsonTemplate::compile(json::parse(R"J({"rows": {"$each": "rows", "$item": {}}})J"), "a.json", e4);
        CHECK(has_error(e4, "a.json", "/rows/$each", {"put this object inside an array"}));
    }
}

TEST_CASE("limits: sections nested too deep, and an expansion that grows past the limit, are errors") {
    const sources::Limits saved = sources::limits();
    sources::Limits l = saved;
    l.max_section_depth = 3;
    l.max_template_bytes = 1 << 20;
    sources::set_limits(l);
    json rows = json::array();
    for (int i = 0; i < 17; ++i) rows.push_back({{"ten", "Huyện " + std::to_string(i)}});
    // Four sections inside each other: refused when the template is compiled.
    auto deep = errors("{{#rows}}{{#rows}}{{#rows}}{{#rows}}x{{/rows}}{{/rows}}{{/rows}}{{/rows}}", {{"rows", rows}});
    CHECK(has_error(deep, "body.md", "1:28", {"nested more than 3 deep", "--max-section-depth"}));
    // Three levels over 17 rows of a long text: 17³ × 300 bytes > 1 MB, stopped at the limit.
    const std::string text = "{{#rows}}{{#rows}}{{#rows}}" + std::string(300, 'x') + "{{/rows}}{{/rows}}{{/rows}}";
    auto big = errors(text, {{"rows", rows}});
    CHECK(big.items().size() == 1);
    CHECK(has_error(big, "body.md", "1:1", {"{{#rows}}", "expands to more than 1 MB", "--max-template-mb"}));
    sources::set_limits(saved);
}

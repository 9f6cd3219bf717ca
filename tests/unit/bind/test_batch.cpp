// Tests of bind/spec and bind/batch: let values, per-record contexts, whole-data contexts.
#include <doctest/doctest.h>

#include <string>

#include "bind/batch.hpp"
#include "bind/template.hpp"
#include "helpers.hpp"

namespace { vanban::sources::DiskWorld disk; }
using namespace vanban;
using namespace vanban::bind;
using vanban::bind_test::has_error;
using nlohmann::json;

namespace {

const char* kCsv =
    "ma_huyen;ten_huyen;tong_ho;ho_ngheo;ty_le_giam\n"
    "001;Huyện Kbang;18286;2059;2,68\n"
    "002;Huyện Đak Đoa;31740;2622;2,00\n"
    "003;Thị xã Ayun Pa;0;144;1,00\n";

TemplateSpec spec_of(const std::string& doc, Diagnostics& d) {
    return read_template_spec(json::parse(doc), "tpl.json", d);
}

}  // namespace

TEST_CASE("template spec: let, name, per") {
    Diagnostics d;
    // Written in an order where each reads the next: evaluation order follows the dependencies.
    TemplateSpec s = spec_of(R"J({"template": {
        "let": {"a_giam": "round(b_ty_le * 2, 1)", "b_ty_le": "round(ho_ngheo / tong_ho * 100, 2)"},
        "name": "{{ma_huyen}}-ke-hoach", "per": "all"}})J", d);
    CHECK(d.empty());
    CHECK(s.present);
    REQUIRE(s.lets.size() == 2);
    CHECK(s.lets[0].name == "b_ty_le");
    CHECK(s.lets[1].name == "a_giam");
    CHECK(s.lets[1].pointer == "/template/let/a_giam");
    CHECK(s.name == "{{ma_huyen}}-ke-hoach");
    CHECK(s.per == Per::all);

    TemplateSpec none = spec_of(R"J({"type": "KH"})J", d);
    CHECK(!none.present);
    CHECK(none.per == Per::row);

    Diagnostics e;
    spec_of(R"J({"template": {"let": {"x": "round(a / , 2)", "y": 3, "z": "z + 1", "p": "q", "q": "p * 2"},
                              "per": "each", "nam": "x"}})J", e);
    CHECK(has_error(e, "tpl.json", "/template/let/x", {"syntax error at offset 10 of \"round(a / , 2)\""}));
    CHECK(has_error(e, "tpl.json", "/template/let/y", {"expected an expression as a string", "found a number"}));
    CHECK(has_error(e, "tpl.json", "/template/let/z", {"read each other in a circle: z -> z"}));
    CHECK(has_error(e, "tpl.json", "/template/let/p", {"read each other in a circle: p -> q -> p"}));
    CHECK(has_error(e, "tpl.json", "/template/per", {"expected one of \"row\", \"all\"", "found \"each\""}));
    CHECK(has_error(e, "tpl.json", "/template/nam", {"unknown field \"nam\"", "let, name, per"}));
}

TEST_CASE("let values are computed exactly per record; a record's problems do not stop the others") {
    DataSet data = parse_csv(kCsv, "data.csv");
    Diagnostics d;
    TemplateSpec spec = spec_of(R"J({"template": {"let": {
        "ty_le": "round(ho_ngheo / tong_ho * 100, 2)",
        "giam_ho": "round(ho_ngheo * ty_le_giam / 100, 0)",
        "so_thu_tu": "index * 10"}}})J", d);
    Batch batch(data, spec, d);
    INFO(d.to_string());
    CHECK(d.empty());
    REQUIRE(batch.size() == 3);

    CHECK(batch.problems(0).empty());
    CHECK(batch.values(0)["ty_le"] == "11,26");   // 2059 / 18286 * 100 = 11.2599…
    CHECK(batch.values(0)["giam_ho"] == "55");    // 2059 * 2.68 / 100 = 55.18
    CHECK(batch.values(0)["index"] == 1);
    CHECK(batch.values(1)["ty_le"] == "8,26");
    CHECK(batch.values(1)["so_thu_tu"] == "20");
    CHECK(batch.source(1) == "data.csv:3");

    // Ayun Pa: tong_ho = 0.
    CHECK(has_error(batch.problems(2), "tpl.json", "/template/let/ty_le",
                    {"ty_le = round(ho_ngheo / tong_ho * 100, 2): division by zero with the values of data.csv:4",
                     "ho_ngheo = \"144\", tong_ho = \"0\""}));
    CHECK(batch.problems(2).items().size() == 1);
    CHECK(batch.values(2)["giam_ho"] == "1");      // unaffected lets are still computed
    CHECK(!batch.values(2).contains("ty_le"));
    // A placeholder naming it is told why it has no value.
    Diagnostics miss;
    bind_text("{{ty_le | number:2}}", "body.md", batch.row(2), miss);
    CHECK(has_error(miss, "body.md", "1:1",
                    {"'ty_le' has no value in data.csv:4: its let expression failed for this record "
                     "(tpl.json:/template/let/ty_le)"}));
    Diagnostics miss_all;
    bind_text("{{#rows}}{{ty_le}}{{/rows}}", "body.md", batch.all(), miss_all);
    CHECK(miss_all.items().size() == 1);
    CHECK(has_error(miss_all, "body.md", "1:10", {"'ty_le' has no value in data.csv:4: its let expression failed"}));

    // Bound per record with the Mustache template.
    Diagnostics r;
    Context c = batch.row(0);
    std::string text = bind_text("{{ten_huyen | upper}}: {{ho_ngheo | number}}/{{tong_ho | number}} hộ, "
                                 "tỷ lệ {{ty_le | percent:2}}, giảm {{giam_ho}} hộ ({{ty_le}})",
                                 "body.md", c, r);
    INFO(r.to_string());
    CHECK(r.empty());
    CHECK(text == "HUYỆN KBANG: 2.059/18.286 hộ, tỷ lệ 11,26%, giảm 55 hộ (11,26)");
    CHECK(!c.used_shared());
    Diagnostics r2;
    bind_text("{{index}}/{{count}}", "body.md", c, r2);
    CHECK(c.used_shared());
}

TEST_CASE("let errors: unknown name, not a number, empty, name clashes") {
    DataSet data = parse_csv("ten;tong_ho;ho_ngheo\nKbang;18286;2059\nIa Pa;1.234;\nPleiku;x;1\n", "data.csv");
    Diagnostics d;
    TemplateSpec spec = spec_of(R"J({"template": {"let": {
        "a": "ho_nghe + 1", "b": "ho_ngheo * 2", "c": "tong_ho - 1", "ten": "1", "rows": "2", "d": "a + 1"}}})J", d);
    Batch batch(data, spec, d);
    CHECK(has_error(d, "tpl.json", "/template/let/a",
                    {"unknown name 'ho_nghe' at offset 0 of \"ho_nghe + 1\"", "did you mean 'ho_ngheo'?",
                     "data.csv has the fields: ten, tong_ho, ho_ngheo"}));
    CHECK(has_error(d, "tpl.json", "/template/let/ten", {"'ten' is already a field of data.csv"}));
    CHECK(has_error(d, "tpl.json", "/template/let/rows", {"'rows' is reserved"}));
    CHECK(d.items().size() == 3);  // d reads a: not reported again
    CHECK(batch.problems(0).empty());
    CHECK(batch.values(0)["b"] == "4118");
    CHECK(!batch.values(0).contains("a"));
    CHECK(!batch.values(0).contains("d"));
    Diagnostics miss;
    bind_text("{{d}}", "body.md", batch.row(0), miss);
    CHECK(has_error(miss, "body.md", "1:1",
                    {"'d' has no value in data.csv:2: its let expression is in error (tpl.json:/template/let/d)"}));
    CHECK(has_error(batch.problems(1), "tpl.json", "/template/let/b", {"b = ho_ngheo * 2: 'ho_ngheo' in data.csv:3 is empty"}));
    CHECK(batch.values(1)["c"] == "0,234");  // "1.234" is one point two three four
    CHECK(has_error(batch.problems(2), "tpl.json", "/template/let/c",
                    {"'tong_ho' in data.csv:4 is \"x\", not a number"}));

    DataSet json_data = parse_json_data(R"J([{"a1": 1}, {"b1": 2}])J", "d.json");
    Diagnostics d2;
    Batch jb(json_data, spec_of(R"J({"template": {"let": {"x": "a1 * 2"}}})J", d2), d2);
    CHECK(d2.empty());
    CHECK(jb.values(0)["x"] == "2");
    CHECK(has_error(jb.problems(1), "tpl.json", "/template/let/x", {"d.json:/1 has no field 'a1'"}));
}

TEST_CASE("per: all — one document from every record: rows, count, $each with lets") {
    DataSet data = parse_csv(kCsv, "data.csv");
    Diagnostics d;
    TemplateSpec spec = spec_of(R"J({"template": {"per": "all", "let": {"ty_le": "if(tong_ho = 0, 0, round(ho_ngheo / tong_ho * 100, 2))"}}})J", d);
    Batch batch(data, spec, d);
    REQUIRE(d.empty());
    Context all = batch.all();
    Diagnostics r;
    std::string body = bind_text("Tổng hợp {{count}} đơn vị:\n{{#rows}}\n{{index}}. {{ten_huyen}}: {{ty_le | number:2}}%\n{{/rows}}\n",
                                 "body.md", all, r);
    INFO(r.to_string());
    CHECK(r.empty());
    CHECK(body == "Tổng hợp 3 đơn vị:\n1. Huyện Kbang: 11,26%\n2. Huyện Đak Đoa: 8,26%\n3. Thị xã Ayun Pa: 0,00%\n");

    json annex = json::parse(R"J({"template": {"per": "all"}, "rows": [{"$each": "rows", "$item": {"ten": "{{ten_huyen}}", "c1": "{{tong_ho}}", "c3": "{{ty_le}}"}}]})J");
    bind_json(annex, all, "annex.json", r);
    CHECK(r.empty());
    CHECK(annex.dump() ==
          R"J({"rows":[{"c1":18286,"c3":11.26,"ten":"Huyện Kbang"},{"c1":31740,"c3":8.26,"ten":"Huyện Đak Đoa"},{"c1":0,"c3":0,"ten":"Thị xã Ayun Pa"}]})J");

    // A missing value inside rows names the record it belongs to.
    Diagnostics e;
    bind_text("{{#rows}}{{ghi_chu}}{{/rows}}", "body.md", all, e);
    CHECK(has_error(e, "body.md", "1:10", {"no value named 'ghi_chu' in data.csv:2"}));
    CHECK(has_error(e, "body.md", "1:10", {"no value named 'ghi_chu' in data.csv:4"}));
}

TEST_CASE("a JSON object data file: its fields are shared, its own rows win") {
    DataSet data = load_data(disk, VANBAN_SOURCE_DIR "/tests/unit/bind/data/tinh.json");
    Diagnostics d;
    Batch batch(data, spec_of(R"J({"template": {"per": "all", "let": {"nam_sau": "nam + 1"}}})J", d), d);
    REQUIRE(d.empty());
    Diagnostics r;
    std::string s = bind_text("Tỉnh {{tinh}}, {{ngay | date}}, năm {{nam_sau}}: {{#huyen}}{{ten}} ({{ho_ngheo | number}}); {{/huyen}}",
                              "body.md", batch.all(), r);
    INFO(r.to_string());
    CHECK(r.empty());
    CHECK(s == "Tỉnh Gia Lai, ngày 01 tháng 4 năm 2024, năm 2025: Huyện Kbang (2.059); Huyện Đak Đoa (2.622); ");
}

// Fuzzes templates: the input as a text template (Template::compile and
// render), and, when it is JSON, as a document template (JsonTemplate), both
// against a fixed context: one record, a list of rows and shared values.
// vanban::Error is a documented outcome; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bind/context.hpp"
#include "bind/template.hpp"
#include "core/diagnostic.hpp"
#include "sources/json_text.hpp"

using namespace vanban;
using nlohmann::json;

namespace {

bind::Context make_context() {
    json shared = {
        {"tinh", {{"ten", "Gia Lai"}, {"ma", "GL"}}},
        {"count", 3},
        {"rows", json::array({
                     {{"ten", "Kbang"}, {"ho", 18286}, {"ty_le", 2.68}, {"xa", json::array({"A", "B"})}},
                     {{"ten", "Đak Đoa"}, {"ho", 31740}, {"ty_le", "2.00"}, {"xa", json::array()}},
                     {{"ten", ""}, {"ho", nullptr}, {"ty_le", false}, {"xa", json::array({"C"})}},
                 })},
    };
    json record = {
        {"ten", "Kbang"}, {"don_vi", "Huyện Kbang"}, {"so", 498}, {"ty_le", 2.5}, {"co", true},
        {"khong", false}, {"rong", ""}, {"danh_sach", json::array({"một", "hai", "ba"})},
        {"a", {{"b", {{"c", "sâu"}}}}},
    };
    bind::Context c;
    c.push(std::make_shared<const json>(std::move(shared)), "data.csv", true);
    c.push(std::make_shared<const json>(std::move(record)), "data.csv:2");
    return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bind::Context ctx = make_context();
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        Diagnostics diags;
        bind::Template t = bind::Template::compile(text, bind::Origin{"body.md", ""}, diags);
        if (!diags.has_errors()) {
            (void)t.has_tags();
            (void)t.references();
            bind::Context c = ctx;
            (void)t.render(c, diags);
        }
    } catch (const Error&) {
    }
    try {
        json tree = sources::parse_json_text(text, "template.json");
        Diagnostics diags;
        bind::JsonTemplate t = bind::JsonTemplate::compile(tree, "template.json", diags);
        if (!diags.has_errors()) {
            (void)t.references();
            bind::Context c = ctx;
            std::vector<bind::Expansion> exp;
            json out = t.render(c, diags, &exp);
            (void)out.dump();
        }
    } catch (const Error&) {
    }
    return 0;
}

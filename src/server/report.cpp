#include "server/report.hpp"

namespace vanban::server {

using nlohmann::json;

json diagnostic_json(const Diagnostic& d) {
    json j = json::object();
    j["file"] = d.file;
    j["at"] = d.at.to_string();
    if (d.at.is_text()) {
        j["line"] = d.at.line;
        j["column"] = d.at.column;
    } else if (!d.at.pointer.empty()) {
        j["pointer"] = d.at.pointer;
    }
    j["severity"] = d.severity == Severity::error ? "error" : "warning";
    j["code"] = d.code.empty() ? "unclassified" : d.code;
    j["message"] = d.message;
    return j;
}

json report_json(const Diagnostics& d) {
    json items = json::array();
    for (const auto& x : d.items()) items.push_back(diagnostic_json(x));
    return json{{"ok", !d.has_errors()}, {"diagnostics", std::move(items)}};
}

void add_summary(json& report, const resolve::Document& doc, int pages) {
    report["type"] = doc.model.type.name;
    report["stem"] = doc.stem;
    report["number"] = doc.number_code;
    report["blocks"] = doc.model.body.size();
    report["pages"] = pages;
}

namespace {

const char* kind_name(table::RowKind k) {
    switch (k) {
        case table::RowKind::data: return "data";
        case table::RowKind::group: return "group";
        case table::RowKind::subtotal: return "subtotal";
        case table::RowKind::total: return "total";
    }
    return "data";
}

}  // namespace

json table_json(const table::ResolvedTable& t) {
    json cols = json::array();
    for (const auto& c : t.columns) cols.push_back({{"key", c.key}, {"computed", c.computed}});
    json header = json::array();
    for (const auto& h : t.header)
        header.push_back({{"row", h.row}, {"col", h.col}, {"rowspan", h.rowspan}, {"colspan", h.colspan}, {"text", h.text}});
    json rows = json::array();
    for (const auto& r : t.rows) {
        json cells = json::array();
        for (const auto& c : r.cells) cells.push_back(c.text);
        rows.push_back({{"kind", kind_name(r.kind)}, {"pointer", r.pointer}, {"cells", std::move(cells)}});
    }
    return {{"label", t.label},
            {"title", t.title},
            {"pointer", t.pointer},
            {"columns", std::move(cols)},
            {"header_rows", t.header_rows},
            {"header", std::move(header)},
            {"labels", t.labels},
            {"rows", std::move(rows)}};
}

json tables_json(const resolve::Document& doc) {
    json out = json::array();
    for (const auto& t : doc.annexes) out.push_back(table_json(t));
    return out;
}

}  // namespace vanban::server

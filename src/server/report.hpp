// server/report: problems and outcomes as JSON — the one shape shared by
// `vanban check --json` and the HTTP API (422 bodies, /api/check).
//
//   {"ok": false,
//    "diagnostics": [
//      {"file": "document.json", "at": "/date", "pointer": "/date",
//       "severity": "error", "message": "…"},
//      {"file": "body.md", "at": "12:5", "line": 12, "column": 5,
//       "severity": "error", "message": "…"}]}
//
// `at` is Loc::to_string() (the location as the text output prints it);
// `pointer` is present for a JSON pointer (possibly "" for the whole file),
// `line`/`column` for a text position (column 0 = the whole line); a
// diagnostic about a whole file has neither.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/diagnostic.hpp"
#include "resolve/document.hpp"

namespace vanban::server {

nlohmann::json diagnostic_json(const Diagnostic& d);

/// {"ok": !has_errors, "diagnostics": [...]}
nlohmann::json report_json(const Diagnostics& d);

/// What `check` says of a good document, added to the report: type name,
/// stem, body blocks and pages.
void add_summary(nlohmann::json& report, const resolve::Document& doc, int pages);

/// The resolved annex tables as the page's grid shows them: per table its
/// leaf columns (key, computed), the header and label rows, and every body
/// row's display text with its kind and input pointer.
nlohmann::json tables_json(const resolve::Document& doc);

/// One resolved table in that shape.
nlohmann::json table_json(const table::ResolvedTable& t);

}  // namespace vanban::server

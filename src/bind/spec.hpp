// bind/spec: reads the "template" member of a template document — its derived
// values (`let`), the output name and whether it makes one document per record
// or one document from all records.
//
//   "template": {
//     "let":  {"ty_le": "round(ho_ngheo / tong_ho * 100, 2)"},
//     "name": "{{ma_huyen}}-ke-hoach",
//     "per":  "row"
//   }
//
// `let` values are expressions of the annex expression language
// (table/expr.hpp) over a record's numeric fields, `index` and other `let`
// values; they are evaluated after the values they read, whatever order they
// are written in (a circle is an error). `name` and `per` are kept as data for
// the caller: `name` is itself a template string (render it with bind_string
// at /template/name); `per` is "row" (default) or "all".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/diagnostic.hpp"
#include "table/expr.hpp"

namespace vanban::bind {

struct Let {
    std::string name;                 ///< "ty_le"
    std::string text;                 ///< the expression as written
    std::string pointer;              ///< "/template/let/ty_le"
    std::optional<table::Expr> expr;  ///< nullopt when it has a syntax error (reported)
    std::vector<std::string> lets_read;  ///< the other `let` values it reads
};

enum class Per {
    row,  ///< one document per record
    all,  ///< one document from all records
};

struct TemplateSpec {
    bool present = false;       ///< the document has a "template" member
    std::string file;           ///< the template document, for messages
    std::vector<Let> lets;      ///< in evaluation order; lets in a circle are left out (reported)
    /// Let names left out: a syntax error or a circle (reported). Values that
    /// read them are not computed either.
    std::vector<std::string> failed;
    std::string name;           ///< as written, e.g. "{{ma_huyen}}-ke-hoach"; empty when not given
    std::string name_pointer = "/template/name";
    Per per = Per::row;
};

/// Reads tree["template"] (absent: a default spec with present == false).
/// Problems (wrong types, unknown members, expression syntax errors with their
/// offset, circles among `let` values) go to `diags`, located in `file`.
TemplateSpec read_template_spec(const nlohmann::json& tree, const std::string& file, Diagnostics& diags);

}  // namespace vanban::bind

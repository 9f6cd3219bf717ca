// bind/batch: turns a data set and a template's `let` values into the
// contexts that documents are bound with — one per record, or one for all.
//
// Each record becomes a scope holding its fields, its `let` values and
// `index` (1-based position among the records; a field named "index" wins).
// Every document also sees a shared scope:
//   rows   the list of all record scopes (for {{#rows}} sections and $each)
//   count  the number of records
// and, when the data file is one JSON object, that object's fields (its own
// "rows"/"count", if any, win). `let` values are numbers kept exactly; a bare
// placeholder prints them without grouping and with ',' as the decimal mark.
//
// Per record (Per::row): the record's scope over the shared one. Reading
// anything from the shared scope (rows, count, a JSON object's fields) sets
// Context::used_shared(). Binding costs tens of microseconds, so a batch can
// bind a document's files first and then build its cache key: the record
// alone when used_shared() is false, the whole data set when it is true (or,
// simplest, the bound text itself). `index` counts as the record's own data:
// a key built from a record should include its index.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bind/context.hpp"
#include "bind/data.hpp"
#include "bind/spec.hpp"
#include "core/diagnostic.hpp"

namespace vanban::bind {

class Batch {
public:
    /// Evaluates `spec.lets` for every record of `data`. Problems of the
    /// template as a whole (a name that no record has, a let named like a
    /// field) go to `diags`; a record's own problems (a value that is not a
    /// number, a division by zero) are kept in problems(i), so that the
    /// other records can still be bound.
    Batch(const DataSet& data, const TemplateSpec& spec, Diagnostics& diags);

    std::size_t size() const { return sources_->size(); }
    /// "data.csv:7"
    const std::string& source(std::size_t i) const { return (*sources_)[i]; }
    /// Problems computing record i's `let` values (empty when it has none).
    const Diagnostics& problems(std::size_t i) const { return problems_[i]; }
    /// Record i's scope: fields, `let` values, index.
    const nlohmann::json& values(std::size_t i) const { return (*records_)[i]; }

    /// The context of one document per record.
    Context row(std::size_t i) const;
    /// The context of one document from all records.
    Context all() const;

private:
    std::string file_;
    std::shared_ptr<nlohmann::json> records_;  ///< array of record scopes
    std::shared_ptr<nlohmann::json> shared_;   ///< rows, count, object fields
    std::shared_ptr<std::vector<std::string>> sources_;
    std::vector<Diagnostics> problems_;
    std::shared_ptr<const Context::Unavailable> unavailable_;
    bool rows_are_records_ = true;  ///< shared_["rows"] holds the record scopes
};

}  // namespace vanban::bind

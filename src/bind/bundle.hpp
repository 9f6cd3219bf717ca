// bind/bundle: a template's bundle, compiled once and bound per record.
//
// A template document is gathered once (sources/bundle.hpp) like any other
// document; BundleTemplate compiles each of its files once — the document
// JSON and annex files as JsonTemplates, the body as a text Template — and
// bind() fills them for one record's Context, giving the bound Bundle that
// input/ interprets and batch/ hashes. File names must not hold placeholders:
// a template reads the same files for every record.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bind/context.hpp"
#include "bind/template.hpp"
#include "core/diagnostic.hpp"
#include "sources/bundle.hpp"

namespace vanban::bind {

/// A bundle bound for one record, with where its `$each` elements came from.
struct BoundBundle {
    sources::Bundle bundle;
    std::map<std::string, std::vector<Expansion>> expansions;  ///< by file
    /// Moves problems found later in the bound files (located in the bound
    /// JSON) back to the template's `$item` and names the data record.
    void relocate(Diagnostics& diags) const;
};

class BundleTemplate {
public:
    BundleTemplate() = default;
    /// Compiles every file of `raw`. Syntax errors of the templates and
    /// placeholders in file names go to `diags`.
    static BundleTemplate compile(sources::Bundle raw, Diagnostics& diags);

    /// The bundle filled from `ctx`; this record's problems go to `diags`.
    BoundBundle bind(const Context& ctx, Diagnostics& diags) const;

    const sources::Bundle& raw() const { return raw_; }

private:
    sources::Bundle raw_;
    JsonTemplate document_;
    std::optional<Template> body_;
    std::map<std::string, JsonTemplate> annexes_;
};

}  // namespace vanban::bind

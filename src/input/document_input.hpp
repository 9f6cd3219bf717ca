// input/document_input: a document JSON file -> model::Document.
//
// Interprets a bundle (sources/bundle.hpp: the document's JSON tree, body
// text and annex files, already read and syntax-checked): validates every
// field against templates/document.schema.json's rules and the decree's
// ranges (JSON pointer on failure) and parses the outline. It reads no file.
// All problems are collected and thrown together as one InputError.
#pragma once

#include <functional>
#include <string>
#include <string_view>


#include "core/diagnostic.hpp"
#include "model/document.hpp"
#include "sources/bundle.hpp"

namespace vanban::input {

struct LoadOptions {
    /// Strict mode: layout values outside the decree's ranges are errors.
    /// Off: they are warnings and the value is used as given.
    bool strict = true;
    /// Folder holding the shipped fonts (LiberationSerif-*.ttf), for load_document.
    std::string fonts_dir;
};

/// Interprets a gathered (and, for a template, bound) bundle as a document.
/// Every problem, the bundle's own included (files that could not be read),
/// is appended to `diags` and parsing goes on, so that later stages can add
/// theirs; the document is complete only when no error was added. Throws
/// InputError only when the document cannot be interpreted at all (not a JSON
/// object, or a template given without data).
model::Document parse_document(const sources::Bundle& bundle, const LoadOptions& opts, Diagnostics& diags);

/// Gathers `path` from the filesystem and parses it, throwing InputError on
/// any error (tests, one-off tools).
model::Document load_document(const std::string& path, const LoadOptions& opts,
                              Diagnostics* warnings = nullptr);

/// The embedded JSON Schema of the input (templates/document.schema.json).
std::string_view document_schema();
/// The embedded JSON Schema of one annex table (templates/annex.schema.json).
std::string_view annex_schema();

}  // namespace vanban::input

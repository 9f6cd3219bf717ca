// input/document_input: a document JSON file -> model::Document.
//
// Reads the file, checks that it is valid UTF-8 and valid JSON (line:column on
// failure), normalises every string to NFC, validates every field against
// templates/document.schema.json's rules and the decree's ranges (JSON pointer
// on failure), reads the body file it references, and parses the outline.
// All problems are collected and thrown together as one InputError.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/diagnostic.hpp"
#include "model/document.hpp"

namespace vanban::input {

/// A step applied to every file a document reads, after it is read and before
/// it is interpreted: templates fill their placeholders here (bind/), and the
/// batch runner learns which files a document depends on. `json` gets the
/// parsed document and each annex file (and may change the tree in place);
/// `text` gets the body file's text and returns the text to parse. Problems go
/// to the Diagnostics given; the file is then not interpreted further.
struct Preprocess {
    std::function<void(nlohmann::json& tree, const std::string& file, Diagnostics& diags)> json;
    std::function<std::string(std::string text, const std::string& file, Diagnostics& diags)> text;
};

struct LoadOptions {
    /// Strict mode: layout values outside the decree's ranges are errors.
    /// Off: they are warnings and the value is used as given.
    bool strict = true;
    /// Folder holding the shipped fonts (LiberationSerif-*.ttf).
    std::string fonts_dir;
    /// Optional: see Preprocess.
    Preprocess preprocess;
};

/// Loads and validates `path`. Throws InputError carrying every error found.
/// Warnings (strict mode off) are appended to `warnings` when given.
model::Document load_document(const std::string& path, const LoadOptions& opts,
                              Diagnostics* warnings = nullptr);

/// Same from text already in memory; `base_dir` resolves relative body/font paths.
model::Document parse_document(std::string_view json_text, const std::string& file,
                               const std::string& base_dir, const LoadOptions& opts,
                               Diagnostics* warnings = nullptr);

/// Reads a whole file; throws InputError (file, "cannot read …") when it cannot.
std::string read_file(const std::string& path);

/// Line and column (1-based; column counted in characters) of a byte offset in text.
TextPos line_column(std::string_view text, std::size_t byte_offset);

/// The embedded JSON Schema of the input (templates/document.schema.json).
std::string_view document_schema();
/// The embedded JSON Schema of one annex table (templates/annex.schema.json).
std::string_view annex_schema();

}  // namespace vanban::input

// import: an administrative document made in Word (any office's, not only
// vanban's) -> vanban's input: document.json, body.md (the outline format) and
// one annex JSON file per table.
//
//   package (ZIP parts) -> wordml (paragraphs and tables) -> recognise (the
//   decree's elements) -> write (JSON through nlohmann-json, atomically)
//
// Recognised: parent and issuer, number and symbol, place and date, type name
// and summary or "V/v", Kính gửi, the body outline (typed or Word-numbered
// I. / 1. / 1.1. / a) / - / + become outline levels; bold and italic kept),
// Nơi nhận and the Lưu line, the signature block, annex tables (header rows,
// the label row, numbers in Vietnamese notation as numbers, stated totals), a
// joint document's issuers and signatures side by side, the marks (10a/10b
// stamps, box 11 and DỰ THẢO in page 1's page header, box 12 on the Lưu line,
// the address footer 13 in page 1's page footer) and a paper copy's block.
// Nothing is dropped silently: text that cannot be placed goes into the body
// with a warning naming its paragraph. A .doc file is converted with
// LibreOffice when it is installed.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"
#include "import/wordml.hpp"

namespace vanban::import {

struct Result {
    nlohmann::ordered_json document;  ///< document.json
    std::string body;                 ///< body.md
    std::vector<std::pair<std::string, nlohmann::ordered_json>> annexes;  ///< file name -> annex JSON
    std::vector<std::pair<std::string, std::string>> texts;  ///< file name -> body of a text the decision issues (Quy chế …)
    Diagnostics warnings;             ///< what could not be placed, and where it went
    std::vector<std::string> summary; ///< what was recognised, one line each
};

/// Recognises the decree's elements in a document read by read_flow.
/// `file` names the input in messages.
Result recognise(const Flow& flow, const std::string& file);

/// Reads and recognises FILE.docx (or FILE.doc through LibreOffice). Throws
/// InputError (not a ZIP, not a Word document, malformed XML), or
/// UnsupportedError for a .doc file when LibreOffice is not installed.
Result import_file(const std::string& path);

/// Writes document.json, body.md and the annex files into `out_dir` (created
/// if missing); each file is written to a temporary name and renamed, and on
/// failure none of them is left. Returns the paths written.
std::vector<std::string> write_result(const Result& r, const std::string& out_dir);

}  // namespace vanban::import

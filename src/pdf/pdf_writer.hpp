// pdf: PagedDocument -> PDF file, through PoDoFo 0.9.8. The only module that
// includes PoDoFo. It draws what layout/ placed and nothing else.
//
// Guarantees: the four faces embedded as subsets with Identity-H encoding (text
// extracts as NFC Vietnamese); document info (Title, Author, Subject, Keywords,
// CreationDate/ModDate from Metadata::date — never the clock); bookmarks; byte-
// identical output for identical input; the file is written to a temporary
// name in the target folder and renamed, so no partial file is ever left.
#pragma once

#include <string>
#include <vector>

#include "layout/paged.hpp"

namespace vanban::pdf {

/// What ended up embedded, for reporting ("fonts actually embedded").
struct EmbeddedFont {
    std::string file;             ///< the face's file, as named in messages
    std::string postscript_name;  ///< BaseFont without subset tag, e.g. "LiberationSerif-Bold"
};

struct WriteResult {
    /// One entry per embedded font file, in face order (regular, bold, italic,
    /// bold italic); a file shared by several faces, or a face never drawn, adds none.
    std::vector<EmbeddedFont> fonts;
};

/// Writes `doc` to `path`, embedding the faces of `doc.fonts`. Throws
/// std::runtime_error with a clear message on failure (no file is left behind):
/// no fonts, a code point the face's font has no glyph for, malformed UTF-8, non-finite coordinates,
/// a bookmark to a missing page, a date that is not YYYY-MM-DD, an unwritable path.
WriteResult write_pdf(const layout::PagedDocument& doc, const std::string& path);

}  // namespace vanban::pdf

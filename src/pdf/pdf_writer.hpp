// pdf: PagedDocument -> PDF file. It draws what layout/ placed and nothing else,
// and writes the file's objects itself, in one pass over the pages (time and
// memory grow linearly with the document).
//
// Guarantees: the faces of the document's font book embedded as subsets
// (font/subset) with Identity-H encoding and a ToUnicode map (text extracts as
// NFC Vietnamese); document info (Title, Author, Subject, Keywords,
// CreationDate/ModDate from Metadata::date — never the clock); bookmarks; byte-
// identical output for identical input; write_pdf writes to a temporary name in
// the target folder and renames it, so no partial file is ever left.
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

/// A rendered PDF: the file's bytes and the fonts embedded in it — one entry
/// per embedded font, in face order (regular, bold, italic, bold italic); a
/// font shared by several faces, or a face never drawn, adds none.
struct Rendered {
    std::string bytes;
    std::vector<EmbeddedFont> fonts;
};

/// Renders `doc`, embedding the faces of `doc.fonts`. Throws std::runtime_error
/// with a clear message: no fonts, a code point the face's font has no glyph
/// for, malformed UTF-8, non-finite coordinates, a bookmark to a missing page,
/// a date that is not YYYY-MM-DD, no pages.
Rendered render_pdf(const layout::PagedDocument& doc);

struct WriteResult {
    std::vector<EmbeddedFont> fonts;  ///< as Rendered::fonts
};

/// Renders `doc` and writes it to `path`. Throws std::runtime_error naming the
/// file on any failure of render_pdf or an unwritable path; no file is left behind.
WriteResult write_pdf(const layout::PagedDocument& doc, const std::string& path);

}  // namespace vanban::pdf

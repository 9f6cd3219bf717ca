// pdf: PagedDocument -> PDF file. It draws what layout/ placed and nothing else.
//
// The file's object structure is PoDoFo's (PdfMemDocument): the catalog and
// info, a flat page tree (one /Pages node whose /Kids are made here, not
// through PdfPagesTree), page objects and their resources, the font objects
// (Type0 / CIDFontType2 / FontDescriptor / FontFile2 / ToUnicode) and the
// outline (PdfOutlines); PoDoFo numbers the objects and writes the file, its
// cross-reference table and trailer. This module makes what PoDoFo would make
// slowly or too big: the content streams (text built here, one TJ array per
// line), the font subsets (font/subset, from the font module's bytes) and
// their /W widths, all streams deflated here by libdeflate and handed to
// PoDoFo as raw, already filtered data. Time and memory grow linearly with
// the document.
//
// Guarantees: the faces of the document's font book embedded as subsets
// with Identity-H encoding and a ToUnicode map (text extracts as NFC
// Vietnamese); document info (Title, Author, Subject, Keywords,
// CreationDate/ModDate from Metadata::date — never the clock); bookmarks; byte-
// identical output for identical input (subset tags and the trailer /ID are
// hashes of the content); write_pdf writes to a temporary name in the target
// folder and renames it, so no partial file is ever left.
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

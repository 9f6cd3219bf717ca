// job: one document through the pipeline —
//   sources (gather) → [bind] → input (parse) → resolve → layout → export.
// It adds the checks that need several stages (characters the chosen fonts
// cannot draw) and is the only module that writes to the output folder. The
// CLI and the batch runner sit on top of it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "layout/annex.hpp"
#include "font/font.hpp"
#include "layout/paged.hpp"
#include "model/document.hpp"
#include "pdf/pdf_writer.hpp"
#include "resolve/document.hpp"
#include "sources/bundle.hpp"
#include "xlsx/xlsx.hpp"

namespace vanban::job {

/// Which files render() writes (--format pdf,xlsx,docx).
struct Formats {
    bool pdf = true;
    bool xlsx = true;   ///< written only when the document has annexes
    bool docx = false;
    std::string names() const;  ///< "pdf,xlsx"
};

/// Parses a comma-separated list of format names ("pdf,xlsx,docx"); on an
/// unknown or empty name returns nullopt and sets `error`.
std::optional<Formats> parse_formats(std::string_view list, std::string& error);

struct Options {
    bool strict = true;
    std::string fonts_dir;  ///< empty: found next to the executable or in the source tree
    /// Folders besides its own from which a document may read files (--allow-paths).
    std::vector<std::string> allow_paths;
    Formats formats;
    /// The encoding of the text files read (--input-encoding); UTF-8 by default.
    sources::Encoding input_encoding = sources::Encoding::utf8;
};

/// The folder holding LiberationSerif-*.ttf: `preferred` if given, else $VANBAN_FONTS_DIR,
/// else a "fonts" folder next to or above the executable, else the source tree's.
std::string find_fonts_dir(const std::string& preferred);

/// The document's four faces, loaded from the bytes its bundle read
/// (model::FontFiles::bytes). Faces are kept for the process, by path and
/// content: a batch (or a server re-reading the same files) loads each font
/// once, and a file that changed on disk is loaded anew. Throws
/// std::runtime_error naming the file when one could not be read or is not a
/// usable TrueType font.
std::shared_ptr<const font::FontBook> font_book(const model::FontFiles& files);

/// Reads `path` and every file it references through `world` (a template is
/// refused: it needs data, see bind/bundle.hpp).
sources::Bundle gather(sources::World& world, const std::string& path, const Options& opts);

/// Parses, resolves and checks a gathered (or bound) bundle: every field,
/// the annex tables, the figures bound to annex cells, the annex mentions and
/// the glyph coverage. Throws InputError with every problem found; warnings
/// go to `warnings`.
resolve::Document load(const sources::Bundle& bundle, const Options& opts, Diagnostics& warnings);

/// Every character of the bundle's texts that a face cannot draw, with where
/// it occurs: every string of the document and annex files (but comments and
/// file names) and every line of the body files — no list of fields, so that
/// no field escapes. What layout draws is checked again, face by face, after
/// layout (lay_out).
Diagnostics check_coverage(const sources::Bundle& bundle, const font::FontBook& fonts);

/// A laid-out document: the main text's pages followed by each annex's pages,
/// and the orientation each annex was laid out in (the workbook's print setup follows it).
struct Laid {
    layout::PagedDocument paged;
    std::vector<bool> annex_landscape;
    std::vector<layout::AnnexLayout> annexes;  ///< what each annex's layout decided (the DOCX follows it)
    Diagnostics warnings;  ///< what layout had to do to the text (a word wider than its line broken), located
};

/// Something would be drawn outside the text area although layout breaks
/// lines, words and pages: the guarantee of layout/bounds.hpp refusing it.
/// Input can only reach it by a fault of layout (fuzzing treats it as a finding).
class TextOutsideArea : public InputError {
public:
    using InputError::InputError;
};

/// Lays out a resolved document and its annexes. Throws InputError when a
/// header line (parent or issuer name, number, place and date) cannot fit
/// its column, naming the field and how much too wide it is, or when the
/// document has more pages than the limit; TextOutsideArea when something
/// would be drawn outside the text area. A word wider than its line is
/// broken and named in Laid::warnings.
Laid lay_out(const resolve::Document& doc);

/// Workbook properties and print setup from the document and its layout.
xlsx::WorkbookMeta workbook_meta(const resolve::Document& doc, const Laid& laid);

struct Written {
    std::vector<std::string> files;
    std::vector<pdf::EmbeddedFont> fonts;
    int pages = 0;
    Diagnostics warnings;  ///< from layout (Laid::warnings)
};

/// Renders `doc` into `out_dir` (created if missing) as <stem>.pdf, <stem>.xlsx
/// (one sheet per annex table) when it has annexes, and <stem>.docx, as
/// `formats` asks. On failure nothing written by this call is left behind.
/// `laid_out`, when given, receives the layout that was written (for dumps).
Written render(const resolve::Document& doc, const std::string& out_dir, const std::string& stem,
               Laid* laid_out = nullptr, const Formats& formats = {});

}  // namespace vanban::job

// job: input -> layout -> export for one document, with the checks that need
// more than one stage (e.g. characters the chosen fonts cannot draw).
// The CLI and the batch runner sit on top of this; it is the only module that
// touches the output folder.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bind/context.hpp"
#include "core/diagnostic.hpp"
#include "font/font.hpp"
#include "layout/paged.hpp"
#include "model/document.hpp"
#include "pdf/pdf_writer.hpp"
#include "table/resolved.hpp"
#include "xlsx/xlsx.hpp"

namespace vanban::job {

struct Options {
    bool strict = true;
    std::string fonts_dir;  ///< empty: found next to the executable or in the source tree
};

/// The folder holding LiberationSerif-*.ttf: `preferred` if given, else $VANBAN_FONTS_DIR,
/// else a "fonts" folder next to or above the executable, else the source tree's.
std::string find_fonts_dir(const std::string& preferred);

/// Fonts are read and loaded once per process and shared by every document that
/// uses the same files. Throws std::runtime_error naming the file when one is
/// missing, unreadable or not a usable TrueType font.
std::shared_ptr<const font::FontBook> font_book(const model::FontFiles& files);

/// Loads, validates and checks a document (including glyph coverage, annex
/// mentions and figures bound to annex cells). With `data`, the document is a
/// template (bind/): its JSON, annex files and body are filled from `data`
/// before they are read; without it, a template is refused with a message.
/// Throws InputError with every problem found; warnings go to `warnings`.
model::Document load(const std::string& path, const Options& opts, Diagnostics& warnings,
                     const bind::Context* data = nullptr);

/// Every character of the document that a face cannot draw, with where it occurs.
Diagnostics check_coverage(const model::Document& doc, const font::FontBook& fonts);

/// A laid-out document: the main text's pages followed by each annex's pages,
/// and the annex tables as laid out (numbered, captioned, with the orientation
/// the PDF uses, which the workbook's print setup follows).
struct Laid {
    layout::PagedDocument paged;
    std::vector<table::ResolvedTable> annexes;
};

/// Lays out a loaded document and its annexes.
Laid lay_out(const model::Document& doc);

/// Every annex must be mentioned in the main text (nd30-layout.md "Annexes"):
/// by its label ("Phụ lục II", whole words, any case), by its title, or — for an
/// unlabelled "BIỂU …" table — by the title's first three words ("Biểu tổng hợp").
/// `tables` are the document's annexes as resolve_annexes() numbers them.
/// Returns one diagnostic per annex that is not (errors when strict, else warnings).
Diagnostics check_annex_mentions(const model::Document& doc, const std::vector<table::ResolvedTable>& tables,
                                 bool strict);

/// Safe output file stem from the document number: "498/KH-UBND" -> "498-kh-ubnd";
/// a draft -> "du-thao-kh-ubnd". Never contains a path separator or "..".
std::string output_stem(const model::Document& doc);

/// "(Kèm theo Kế hoạch số 498/KH-UBND ngày 01 tháng 4 năm 2024 của …)"; blanks on a draft.
std::string annex_caption(const model::Document& doc);

/// Resolves every annex table, numbering them ("Phụ lục I", "Phụ lục II" when
/// several) and filling the caption from the document unless the input gave one.
std::vector<table::ResolvedTable> resolve_annexes(const model::Document& doc);

/// Workbook properties and print margins from the document.
xlsx::WorkbookMeta workbook_meta(const model::Document& doc);

struct Written {
    std::vector<std::string> files;
    std::vector<pdf::EmbeddedFont> fonts;
    int pages = 0;
};

/// Renders `doc` into `out_dir` (created if missing) as <stem>.pdf, and <stem>.xlsx
/// (one sheet per annex table) when it has annexes. On failure
/// nothing written by this call is left behind. `laid_out`, when given,
/// receives the layout that was written (for dumps).
Written render(const model::Document& doc, const std::string& out_dir, const std::string& stem,
               Laid* laid_out = nullptr);

}  // namespace vanban::job

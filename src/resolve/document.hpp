// resolve: a parsed document -> everything an exporter needs, resolved once.
//
// resolve() computes each annex table once (table/engine), numbers the
// annexes ("Phụ lục I", "Phụ lục II") and gives them the caption built from
// the document, replaces figures quoted in the body and in the annexes' texts
// ([[I:total:c5]]) by the cells they name, checks cells stated equal across
// annexes, checks that the text mentions every annex, and derives the
// lines and names that depend on several fields: the number and place-date
// lines, the document's metadata and the output file stem. layout/ and the
// exporters (pdf via layout, xlsx) read a resolve::Document and nothing else;
// nothing downstream resolves a table again.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "model/document.hpp"
#include "table/resolved.hpp"

namespace vanban::resolve {

/// Document properties written into every output file.
struct Metadata {
    std::string title;     ///< "Kế hoạch thực hiện …" / "Công văn V/v …"
    std::string author;    ///< the issuer, as named in running text
    std::string subject;   ///< the summary
    std::string keywords;  ///< the number "498/KH-UBND" ("/KH-UBND" on a draft)
    std::string type_name; ///< "Kế hoạch"
    /// The document's date (missing parts of a draft count as 1): the files'
    /// creation date, so that output never depends on the clock.
    int year = 2000, month = 1, day = 1;
    std::string iso_date() const;  ///< "2024-04-01"
};

struct Document {
    model::Document model;                    ///< the document, body references replaced by their figures
    std::vector<table::ResolvedTable> annexes;///< computed, labelled and captioned, in order
    std::string number_code;                  ///< "498/KH-UBND", "05/KH-UBND"; "/KH-UBND" on a draft
    std::string number_line;                  ///< "Số: 498/KH-UBND"; "Số:      /KH-UBND" on a draft
    std::string place_date_line;              ///< "Long Khánh, ngày 01 tháng 4 năm 2024"
    Metadata meta;
    std::string stem;                         ///< safe output file stem: "498-kh-ubnd", "du-thao-kh-ubnd"

    // Decisions and resolutions (Quyết định, Nghị quyết: PLIII M1.1–M1.3).
    std::string authority_line;               ///< "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH GIA LAI"; empty when none
    /// "Căn cứ …;" lines then "Theo đề nghị của ….": every line ends with ";", the last with ".".
    std::vector<std::string> basis_lines;
    std::string operative_word;               ///< "QUYẾT ĐỊNH:" / "QUYẾT NGHỊ:"; empty for other types
    /// The Nơi nhận entries as printed, in order: "- Như trên;", "- Như Điều 3;",
    /// the recipients "- …;", and the archive line "- Lưu: VT, TH (VX)."
    std::vector<std::string> recipient_lines;
    /// For each attached text: "(Kèm theo Quyết định số 15/QĐ-UBND ngày … của …)".
    std::vector<std::string> attached_notes;

    // A copy (model::Document::copy): its number "Số: 05/SY-VP" and place-date
    // line, its Nơi nhận lines ("- …;", "- Lưu: VT."), and the electronic copy
    // line "SAO Y; Văn phòng UBND tỉnh Gia Lai; 05/01/2024; 10:22:33 +07:00".
    std::string copy_number_line;
    std::string copy_place_date_line;
    std::vector<std::string> copy_recipient_lines;
    std::string copy_line;
};

/// Resolves `doc`. Problems (table errors, references in the body and in the
/// annexes' texts, cross-table checks, missing mentions — errors when
/// `strict`, else warnings for mentions — and text that would print a
/// reference or a placeholder as written) are appended to `diags`, all in one
/// run: references are checked against the computed values even when a table
/// has errors of its own. An annex that could not be read stays in
/// Document::annexes as an empty table, so that the others keep their numbers.
Document resolve(model::Document doc, bool strict, Diagnostics& diags);

/// Computes one annex table (table/engine), appending its problems to
/// `diags`; when `diags` already holds structural errors of this annex, only
/// what does not repeat them is added.
table::ResolvedTable compute_annex(const model::Annex& annex, Diagnostics& diags);

/// Computes the derived lines of `r` (authority, bases, operative word,
/// recipients, attached notes) from `doc`; r.number_code must be set.
void derive_lines(const model::Document& doc, Document& r);

/// "(Kèm theo Kế hoạch số 498/KH-UBND ngày 01 tháng 4 năm 2024 của …)"; blanks on a draft.
std::string annex_caption(const model::Document& doc, const std::string& number_code);

/// Every annex must be mentioned in the main text (Nghị định 30/2020/NĐ-CP, Phụ lục I: an annex is named in the text):
/// by its label ("Phụ lục II", whole words, any case), by its title, or — for an
/// unlabelled "BIỂU …" table — by the title's first three words ("Biểu tổng hợp").
Diagnostics check_annex_mentions(const model::Document& doc, const std::vector<table::ResolvedTable>& tables,
                                 bool strict);

}  // namespace vanban::resolve

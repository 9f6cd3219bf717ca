// layout/compose: resolve::Document -> PagedDocument, following Nghị định 30/2020/NĐ-CP, Phụ lục I
// (the numbers in brackets, [5a] … [9b], are the boxes of its layout diagram).
//
// Page 1 header (two columns: organisation / national title, "Số:" and the
// place-date line on one baseline), type name and summary with their rules,
// "Kính gửi", the justified body with the computed outline numbers, then the
// "Nơi nhận" + signature block kept together with the end of the body; page
// numbers centred in the top margin from page 2. Knows nothing of PDF.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "font/font.hpp"
#include "layout/paged.hpp"
#include "resolve/document.hpp"

namespace vanban::layout {

/// Lays out the main text of a resolved document (the annexes are laid out
/// by compose_annex) with `fonts`, which the result keeps (PagedDocument::fonts)
/// for the exporters. Throws std::runtime_error only on internal failure.
PagedDocument compose(const resolve::Document& doc, const FontBook& fonts);

/// The copy made of the document (model::Document::copy), added to `out`
/// once everything copied (main text, attached texts, annexes) is laid out:
/// on paper, the copy block on a new page after it (PLI-2 §II); for an
/// electronic copy, the copy line at the top right of page 1 (PLI-2 §I.3).
void compose_copy(const resolve::Document& doc, const FontBook& fonts, PagedDocument& out);

}  // namespace vanban::layout

// layout/compose: model::Document -> PagedDocument, following nd30-layout.md.
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
#include "model/document.hpp"

namespace vanban::layout {

/// Lays out the whole document with `fonts` (which the result keeps, for the
/// exporters). Throws std::runtime_error only on internal failure.
PagedDocument compose(const model::Document& doc, const std::shared_ptr<const font::FontBook>& fonts);

/// "Số: 498/KH-UBND" ("Số: 05/…" below 10; "Số:      /KH-UBND" on a draft).
std::string number_line(const model::Document& doc);
/// "498/KH-UBND", or "/KH-UBND" on a draft.
std::string number_code(const model::Document& doc);
/// "Long Khánh, ngày 01 tháng 4 năm 2024".
std::string place_date_line(const model::Document& doc);

}  // namespace vanban::layout

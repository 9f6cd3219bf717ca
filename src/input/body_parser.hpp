// input/body_parser: outline text -> numbered body blocks.
//
// The body of a plan or report is written as readable outline text (see
// README.md, "The body"): "#" sections, "##" clauses, "###" sub-clauses,
// "####" points, "=" parts, "- " and "+ " bullets, plain paragraphs, with
// **bold** and *italic* inline. Numbers ("I.", "1.", "1.1.", "đ)", "Phần II")
// are computed here, so inserting a section never means renumbering by hand.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "model/document.hpp"

namespace vanban::input {

/// Parses NFC text into blocks. Problems (e.g. a sub-clause outside any clause,
/// too many '#') are reported as "file:line:column" diagnostics; parsing goes on.
/// "# [III.] Tổ chức thực hiện" keeps a published number as typed (the next
/// heading continues from it).
std::vector<model::Block> parse_body(std::string_view text, const std::string& file,
                                     Diagnostics& diags);

/// Parses inline markup (**bold**, *italic*, ***both***, backslash escapes) into spans.
model::Inlines parse_inlines(std::string_view text);

/// Reports every heading that starts with a number typed in an outline style
/// ("# I. Mục tiêu" would print "I. I. MỤC TIÊU", "## 3. Tổ chức" "1. 3. …"),
/// saying to remove it: an error when `strict`, else a warning.
void check_typed_numbers(const std::vector<model::Block>& blocks, const std::string& file, bool strict,
                         Diagnostics& diags);

}  // namespace vanban::input

// bind/detail: small text helpers shared by the bind module's sources —
// line:column positions, name checks, "did you mean" suggestions. Internal to
// src/bind; not part of the module's public interface.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"

namespace vanban::bind::detail {

/// Byte offsets where the lines of `text` start. A line ends at "\n", "\r\n"
/// or a lone "\r" (as old spreadsheet programs write it).
class LineIndex {
public:
    explicit LineIndex(std::string_view text);
    /// 1-based line of a byte offset.
    std::size_t line(std::size_t offset) const;
    /// "line:column"; the column counts code points from 1, as editors do.
    TextPos line_column(std::size_t offset) const;

private:
    std::string_view text_;
    std::vector<std::size_t> starts_;
};

/// True for [A-Za-z_][A-Za-z0-9_]* — the names the expression language accepts.
bool is_identifier(std::string_view s);

/// Spaces and tabs removed at both ends.
std::string_view trim(std::string_view s);

/// The candidate closest to `name` when it is a plausible misspelling
/// (edit distance at most 2, and less than half the name); empty otherwise.
std::string closest(std::string_view name, const std::vector<std::string>& candidates);

/// "a, b, c" — at most `limit` names, then ", …" and how many more.
std::string join_names(const std::vector<std::string>& names, std::size_t limit = 12);

/// "0xC3" for messages about bytes.
std::string hex_byte(unsigned char c);

}  // namespace vanban::bind::detail

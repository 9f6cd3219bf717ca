// vanban_bind: see bind/detail.hpp.
#include "bind/detail.hpp"

#include "sources/json_text.hpp"
#include "vntext/vntext.hpp"

#include <algorithm>

namespace vanban::bind::detail {

LineIndex::LineIndex(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            starts_.push_back(i + 1);
        } else if (text[i] == '\r') {
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
            starts_.push_back(i + 1);
        }
    }
}

std::size_t LineIndex::line(std::size_t offset) const {
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    return static_cast<std::size_t>(it - starts_.begin());
}

TextPos LineIndex::line_column(std::size_t offset) const {
    const std::size_t ln = line(offset);
    const std::size_t start = std::min(starts_[ln - 1], text_.size());
    // No line ends between the line's start and `offset`: only the column is counted.
    const TextPos in_line = sources::line_column(std::string_view(text_).substr(start), offset - start);
    return {static_cast<int>(ln), in_line.column};
}

bool is_identifier(std::string_view s) {
    if (s.empty()) return false;
    auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
    if (!alpha(s[0])) return false;
    for (char c : s)
        if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string closest(std::string_view name, const std::vector<std::string>& candidates) {
    return vntext::closest_name(name, candidates);
}

std::string join_names(const std::vector<std::string>& names, std::size_t limit) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < limit; ++i) {
        if (i > 0) out += ", ";
        out += names[i];
    }
    if (names.size() > limit) out += ", … (" + std::to_string(names.size() - limit) + " more)";
    return out;
}

std::string hex_byte(unsigned char c) {
    static constexpr char digits[] = "0123456789ABCDEF";
    return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

}  // namespace vanban::bind::detail

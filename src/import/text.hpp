// import/text: small text helpers shared by the recognisers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vanban::import {

/// Whitespace runs (space, tab, line break, no-break space) to one space; trimmed.
std::string squash(std::string_view s);
std::string replace_all(std::string s, std::string_view from, std::string_view to);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::vector<std::string> split(const std::string& s, char sep);
/// Text for the outline format: "*" and "\" escaped.
std::string escape_md(std::string_view s);

}  // namespace vanban::import

// input/json_util: the JSON reading shared by the document and annex parsers —
// UTF-8 check, parsing with line:column on failure, NFC normalisation, and the
// wording used for "expected X, found Y" messages.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace vanban::input {

/// "a string", "an array", "a number with decimals", ... for messages.
const char* json_kind(const nlohmann::json& j);

}  // namespace vanban::input

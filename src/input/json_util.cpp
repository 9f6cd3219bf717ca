#include "input/json_util.hpp"

#include <cstdio>

#include "core/diagnostic.hpp"
#include "input/document_input.hpp"
#include "vntext/vntext.hpp"

namespace vanban::input {

using nlohmann::json;

const char* json_kind(const json& j) {
    switch (j.type()) {
        case json::value_t::null: return "null";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::string: return "a string";
        case json::value_t::array: return "an array";
        case json::value_t::object: return "an object";
        case json::value_t::number_float: return "a number with decimals";
        default: return "a number";
    }
}

namespace {

/// Recursively NFC-normalises every string (keys and values).
void normalise(json& j) {
    if (j.is_string()) {
        j = vntext::nfc(j.get_ref<const std::string&>());
    } else if (j.is_array()) {
        for (auto& e : j) normalise(e);
    } else if (j.is_object()) {
        json out = json::object();
        for (auto& [k, v] : j.items()) {
            normalise(v);
            out[vntext::nfc(k)] = std::move(v);
        }
        j = std::move(out);
    }
}

}  // namespace

json parse_json_text(std::string_view text, const std::string& file) {
    if (auto bad = vntext::find_invalid_utf8(text)) {
        char byte[8];
        std::snprintf(byte, sizeof byte, "%02X", static_cast<unsigned char>(text[*bad]));
        throw InputError(file, line_column(text, *bad),
                         std::string("invalid UTF-8 (byte 0x") + byte +
                             "); save the file as UTF-8 (legacy TCVN3/VNI encodings are not accepted)");
    }
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..."
        std::string what = e.what();
        auto p = what.find(": ");
        std::string reason = p == std::string::npos ? what : what.substr(p + 2);
        throw InputError(file, line_column(text, e.byte > 0 ? e.byte - 1 : 0), "malformed JSON: " + reason);
    }
    normalise(j);
    return j;
}

}  // namespace vanban::input

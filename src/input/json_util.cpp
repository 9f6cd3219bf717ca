#include "input/json_util.hpp"


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

}  // namespace vanban::input

#include "input/fields.hpp"

#include <set>

#include "vntext/vntext.hpp"

namespace vanban::input {

using nlohmann::json;

const char* json_kind(const json& j) {
    switch (j.type()) {
        case json::value_t::null: return translate(nullptr, N_("null"));
        case json::value_t::boolean: return translate(nullptr, N_("a boolean"));
        case json::value_t::string: return translate(nullptr, N_("a string"));
        case json::value_t::array: return translate(nullptr, N_("an array"));
        case json::value_t::object: return translate(nullptr, N_("an object"));
        case json::value_t::number_float: return translate(nullptr, N_("a number with decimals"));
        default: return translate(nullptr, N_("a number"));
    }
}

std::string Fields::trimmed(const std::string& s) {
    std::size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    std::size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& names) {
    std::string near = vntext::closest_name(name, names);
    return near.empty() ? "" : tx("; did you mean \"{}\"?", near);
}

void Fields::expected(const std::string& ptr, const std::string& what, const json& j) {
    error(ptr, tr("expected-type", "expected {}, found {}", what, json_kind(j)));
}

void Fields::only(const json& obj, const std::string& ptr, std::initializer_list<const char*> keys) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        bool ok = it.key() == "$schema" || it.key() == "$comment";
        for (const char* k : keys) ok = ok || it.key() == k;
        if (ok) continue;
        std::string list;
        std::vector<std::string> names;
        for (const char* k : keys) {
            list += std::string(list.empty() ? "" : ", ") + k;
            if (k[0] != '$') names.emplace_back(k);
        }
        error(at(ptr, it.key()),
              tr("unknown-field", "unknown field \"{}\"{} (expected one of: {})", it.key(), did_you_mean(it.key(), names), list));
    }
}

const json* Fields::member(const json& obj, const std::string& ptr, const char* key, bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
        if (required) error(at(ptr, key), tr("missing-field", "missing required field \"{}\"", key));
        return nullptr;
    }
    return &*it;
}

std::optional<std::string> Fields::string(const json& j, const std::string& ptr, bool allow_empty) {
    if (!j.is_string()) {
        expected(ptr, tx("a string"), j);
        return std::nullopt;
    }
    const std::string& s = j.get_ref<const std::string&>();
    if (!allow_empty && trimmed(s).empty()) {
        error(ptr, tr("empty", "must not be empty"));
        return std::nullopt;
    }
    return s;
}

std::optional<std::string> Fields::string_member(const json& obj, const std::string& ptr, const char* key, bool required,
                                                 bool allow_empty) {
    const json* v = member(obj, ptr, key, required);
    if (!v) return std::nullopt;
    auto s = string(*v, at(ptr, key), allow_empty);
    if (!s) return std::nullopt;
    return trimmed(*s);
}

std::vector<std::string> Fields::string_array(const json& obj, const std::string& ptr, const char* key, bool required) {
    std::vector<std::string> out;
    const json* v = member(obj, ptr, key, required);
    if (!v) return out;
    std::string p = at(ptr, key);
    if (!v->is_array()) {
        expected(p, tx("an array of strings"), *v);
        return out;
    }
    for (std::size_t i = 0; i < v->size(); ++i)
        if (auto s = string((*v)[i], at(p, i), false)) out.push_back(trimmed(*s));
    return out;
}

std::vector<std::string> Fields::lines(const json& j, const std::string& ptr) {
    std::vector<std::string> out;
    if (j.is_string()) {
        out.push_back(j.get<std::string>());
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i)
            if (auto s = string(j[i], at(ptr, i))) out.push_back(*s);
    } else {
        expected(ptr, tx("a string or an array of strings"), j);
    }
    return out;
}

std::optional<bool> Fields::boolean(const json& j, const std::string& ptr) {
    if (!j.is_boolean()) {
        expected(ptr, tx("true or false"), j);
        return std::nullopt;
    }
    return j.get<bool>();
}

std::optional<long long> Fields::integer(const json& j, const std::string& ptr, long long lo, long long hi) {
    bool whole = j.is_number_integer() || j.is_number_unsigned();
    if (!whole || (j.is_number_unsigned() && j.get<unsigned long long>() > static_cast<unsigned long long>(hi)) ||
        j.get<long long>() < lo || j.get<long long>() > hi) {
        error(ptr, tr("expected-whole-number", "expected a whole number from {} to {}, found {}", lo, hi,
                      j.is_number() ? j.dump() : std::string(json_kind(j))));
        return std::nullopt;
    }
    return j.get<long long>();
}

}  // namespace vanban::input

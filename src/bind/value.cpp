// vanban_bind: see bind/value.hpp.
#include "bind/value.hpp"

#include "input/fields.hpp"

#include <charconv>

#include "bind/detail.hpp"

namespace vanban::bind {

using nlohmann::json;

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Splits a numeric string: returns false unless it is sign? digits ([.,] digits)?
struct NumberShape {
    bool negative = false;
    bool plus = false;
    std::string_view int_part;
    std::string_view frac_part;
    bool has_mark = false;
};

bool shape_of(std::string_view t, NumberShape& out) {
    std::size_t i = 0;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
        out.negative = t[i] == '-';
        out.plus = t[i] == '+';
        ++i;
    }
    std::size_t start = i;
    while (i < t.size() && is_digit(t[i])) ++i;
    if (i == start) return false;
    out.int_part = t.substr(start, i - start);
    if (i < t.size() && (t[i] == '.' || t[i] == ',')) {
        out.has_mark = true;
        std::size_t f = ++i;
        while (i < t.size() && is_digit(t[i])) ++i;
        if (i == f) return false;
        out.frac_part = t.substr(f, i - f);
    }
    return i == t.size();
}

int significant_digits(std::string_view digits) {
    std::size_t a = digits.find_first_not_of('0');
    if (a == std::string_view::npos) return 1;
    std::size_t b = digits.find_last_not_of('0');
    return static_cast<int>(b - a + 1);
}

/// Decimal of a JSON number (integer: exact; float: its shortest text, checked).
std::optional<Decimal> json_number(const json& v, std::string* why) {
    if (v.is_number_integer() || v.is_number_unsigned()) return Decimal::parse(v.dump());
    std::string text = v.dump();
    std::string digits;
    for (char c : text) {
        if (c == 'e' || c == 'E') break;
        if (is_digit(c)) digits += c;
    }
    if (text.find_first_of("eE") != std::string::npos || significant_digits(digits) > 15) {
        if (why)
            *why = tx("is the JSON number {}, which cannot be read exactly (more than 15 significant digits, or an exponent); "
                      "write it as a string such as \"10966.9345\"", text);
        return std::nullopt;
    }
    auto d = Decimal::parse(text);
    if (!d && why) *why = tx("is the JSON number {}, which is out of range", text);
    return d;
}

}  // namespace

std::optional<Decimal> parse_number_text(std::string_view text) {
    std::string_view t = detail::trim(text);
    NumberShape s;
    if (!shape_of(t, s)) return std::nullopt;
    std::string canon;
    canon.reserve(t.size());
    if (s.negative) canon += '-';
    canon += s.int_part;
    if (s.has_mark) {
        canon += '.';
        canon += s.frac_part;
    }
    return Decimal::parse(canon);
}

bool is_missing(const json& v) {
    if (v.is_null()) return true;
    if (!v.is_string()) return false;
    return detail::trim(v.get_ref<const std::string&>()).empty();
}


std::optional<Decimal> read_number(const json& v, std::string* why) {
    if (v.is_number()) return json_number(v, why);
    if (is_missing(v)) {
        if (why) *why = v.is_null() ? tx("is null") : tx("is empty");
        return std::nullopt;
    }
    if (v.is_string()) {
        const std::string& s = v.get_ref<const std::string&>();
        if (auto d = parse_number_text(s)) return d;
        if (why) {
            std::string_view t = detail::trim(s);
            std::size_t marks = 0;
            bool digits_and_marks = true;
            for (char c : t) {
                if (c == '.' || c == ',') ++marks;
                else if (!is_digit(c) && c != '-' && c != '+') digits_and_marks = false;
            }
            if (digits_and_marks && marks > 1)
                *why = tx("is \"{}\", not a number (thousands separators are not read: write digits with at most one decimal mark, "
                          "e.g. 1234567 or 8,11)", s);
            else
                *why = tx("is \"{}\", not a number (expected digits with an optional ',' or '.' decimal mark, e.g. 2059 or 8,11)", s);
        }
        return std::nullopt;
    }
    if (why) *why = tx("is {}, not a number", input::json_kind(v));
    return std::nullopt;
}

std::string plain_vietnamese(const Decimal& d) {
    std::string s = d.to_trimmed_string();
    for (char& c : s)
        if (c == '.') c = ',';
    return s;
}

std::optional<std::string> bare_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
    if (v.is_number_float()) {
        if (auto d = json_number(v, nullptr)) return plain_vietnamese(*d);
        std::string s = v.dump();  // beyond 15 digits: as the JSON parser kept it
        for (char& c : s)
            if (c == '.') c = ',';
        return s;
    }
    return std::nullopt;
}

bool is_truthy(const json& v) {
    if (v.is_null()) return false;
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_array()) return !v.empty();
    if (v.is_object()) return true;
    if (is_missing(v)) return false;
    if (auto d = read_number(v)) return !d->is_zero();
    return true;
}

std::optional<json> as_json_number(const json& v) {
    if (v.is_number()) return v;
    if (!v.is_string()) return std::nullopt;
    const std::string& s = v.get_ref<const std::string&>();
    NumberShape shape;
    if (!shape_of(s, shape) || shape.plus) return std::nullopt;
    if (shape.int_part.size() > 1 && shape.int_part[0] == '0') return std::nullopt;
    if (!shape.has_mark) {
        long long n = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
        return json(n);
    }
    std::string digits = std::string(shape.int_part) + std::string(shape.frac_part);
    if (significant_digits(digits) > 15) return std::nullopt;
    std::string canon = s;
    for (char& c : canon)
        if (c == ',') c = '.';
    // The value travels as a JSON number only to be read back from its
    // shortest text (15 significant digits at most round-trip exactly).
    double d = 0;
    auto [p, ec] = std::from_chars(canon.data(), canon.data() + canon.size(), d);
    if (ec != std::errc() || p != canon.data() + canon.size()) return std::nullopt;
    return json(d);
}

}  // namespace vanban::bind

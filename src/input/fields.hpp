// input/fields: the one JSON field reader. Every structured JSON input — the
// document, its annex tables, a template's "template" member, the batch
// manifest — is read through Fields, so that a problem is worded the same way
// wherever it occurs and is always located by file and JSON pointer:
//   missing required field "summary"
//   unknown field "recipents"; did you mean "recipients"? (expected one of: type, parent, …)
//   expected a string, found a number
//   expected one of "row", "all", found "rows"
// A reader reports and goes on; the caller decides what an error means.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/diagnostic.hpp"

namespace vanban::input {

/// "; did you mean \"recipients\"?" when `name` is a likely misspelling of
/// one of `names` (vntext::closest_name), else "".
std::string did_you_mean(const std::string& name, const std::vector<std::string>& names);

/// "a string", "an array", "a number with decimals", … for messages.
const char* json_kind(const nlohmann::json& j);

class Fields {
public:
    Fields(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

    const std::string& file() const { return file_; }
    Diagnostics& diagnostics() { return diags_; }
    void error(const std::string& ptr, Message msg) { diags_.error(file_, ptr, std::move(msg)); }
    void warning(const std::string& ptr, Message msg) { diags_.warning(file_, ptr, std::move(msg)); }

    /// JSON pointers of a member and of an element.
    static std::string at(const std::string& ptr, const std::string& key) { return ptr + "/" + json_pointer_token(key); }
    static std::string at(const std::string& ptr, std::size_t i) { return ptr + "/" + std::to_string(i); }

    /// "expected <what>, found <kind of j>" at ptr.
    void expected(const std::string& ptr, const std::string& what, const nlohmann::json& j);

    /// Reports members of `obj` not in `keys` ("$schema" and "$comment" are always allowed).
    void only(const nlohmann::json& obj, const std::string& ptr, std::initializer_list<const char*> keys);

    /// The member `key` of `obj` (at `ptr`), or nullptr; reports it missing when `required`.
    const nlohmann::json* member(const nlohmann::json& obj, const std::string& ptr, const char* key, bool required);

    /// A string value; with `allow_empty` false, "" (or only spaces) is an error.
    std::optional<std::string> string(const nlohmann::json& j, const std::string& ptr, bool allow_empty = true);
    /// A string member, trimmed; absent: nullopt (reported when `required`); empty: an error unless allowed.
    std::optional<std::string> string_member(const nlohmann::json& obj, const std::string& ptr, const char* key,
                                             bool required, bool allow_empty = false);
    /// An array of non-empty strings, each trimmed.
    std::vector<std::string> string_array(const nlohmann::json& obj, const std::string& ptr, const char* key, bool required);
    /// A string or an array of strings (lines).
    std::vector<std::string> lines(const nlohmann::json& j, const std::string& ptr);
    /// true or false.
    std::optional<bool> boolean(const nlohmann::json& j, const std::string& ptr);
    /// A whole number from lo to hi.
    std::optional<long long> integer(const nlohmann::json& j, const std::string& ptr, long long lo, long long hi);

    /// One of the listed strings.
    template <class E>
    std::optional<E> choice(const nlohmann::json& j, const std::string& ptr,
                            std::initializer_list<std::pair<const char*, E>> opts) {
        if (j.is_string()) {
            const std::string& s = j.get_ref<const std::string&>();
            for (const auto& o : opts)
                if (s == o.first) return o.second;
        }
        std::string list;
        for (const auto& o : opts) list += std::string(list.empty() ? "\"" : ", \"") + o.first + "\"";
        error(ptr, tr("expected-choice", "expected one of {}, found {}", list,
                      j.is_string() ? "\"" + j.get<std::string>() + "\"" : json_kind(j)));
        return std::nullopt;
    }

    /// `s` without leading and trailing white space.
    static std::string trimmed(const std::string& s);

private:
    std::string file_;
    Diagnostics& diags_;
};

}  // namespace vanban::input

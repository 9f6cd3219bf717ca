// bind/context: the values a template can read, as a stack of scopes.
//
// A name is looked up in the innermost scope first, then outwards (Mustache
// rules); a dotted name a.b.c looks up `a` that way and then descends into
// it. Each scope has a source that names it in messages ("data.csv:7") and
// may be marked *shared*: data that is not the current record's own (the list
// of all records, the count). Reading a name that resolves in a shared scope
// sets used_shared(), so that a batch can tell whether a document depends on
// its record alone.
//
// A Context is cheap to copy (scopes are shared, immutable JSON). Rendering
// marks used_shared() on the Context it is given, so one Context should not be
// rendered from several threads at once.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace vanban::bind {

class Context {
public:
    struct Scope {
        std::shared_ptr<const nlohmann::json> values;  ///< normally an object: its members are names
        std::string source;                            ///< "data.csv:7", "data.csv"; may be empty
        bool shared = false;
    };

    Context() = default;
    /// A context of one scope holding `values` (an object).
    explicit Context(nlohmann::json values, std::string source = {}, bool shared = false);

    /// Adds a scope looked up before the ones added earlier.
    void push(std::shared_ptr<const nlohmann::json> values, std::string source, bool shared = false);

    /// Tells where each element of `list` comes from, so that messages about a
    /// value inside element i name sources[i]. `list` must live inside one of
    /// the scopes (the context keeps them alive).
    void describe_list(const nlohmann::json& list, std::shared_ptr<const std::vector<std::string>> sources);
    /// The sources of `list`'s elements, or nullptr when not described.
    const std::vector<std::string>* list_sources(const nlohmann::json& list) const;

    const std::vector<Scope>& scopes() const { return scopes_; }

    /// Names that a scope object should have but does not, with the reason
    /// ("its let expression failed for this record (…)"), so that a
    /// placeholder naming one is told why rather than "no value named …".
    using Unavailable = std::unordered_map<const nlohmann::json*, std::map<std::string, std::string>>;
    void set_unavailable(std::shared_ptr<const Unavailable> names) { unavailable_ = std::move(names); }
    /// The reason `name` is missing from `scope`, or nullptr.
    const std::string* unavailable_reason(const nlohmann::json& scope, const std::string& name) const;

    /// True once a rendering with this context read a name from a shared scope.
    bool used_shared() const { return used_shared_; }
    void reset_used_shared() const { used_shared_ = false; }
    void mark_used_shared() const { used_shared_ = true; }

private:
    struct ListSources {
        const nlohmann::json* list;
        std::shared_ptr<const std::vector<std::string>> sources;
    };
    std::vector<Scope> scopes_;
    std::vector<ListSources> lists_;
    std::shared_ptr<const Unavailable> unavailable_;
    mutable bool used_shared_ = false;
};

}  // namespace vanban::bind

// vanban_bind: see bind/context.hpp.
#include "bind/context.hpp"

namespace vanban::bind {

Context::Context(nlohmann::json values, std::string source, bool shared) {
    push(std::make_shared<const nlohmann::json>(std::move(values)), std::move(source), shared);
}

void Context::push(std::shared_ptr<const nlohmann::json> values, std::string source, bool shared) {
    scopes_.push_back({std::move(values), std::move(source), shared});
}

void Context::describe_list(const nlohmann::json& list, std::shared_ptr<const std::vector<std::string>> sources) {
    lists_.push_back({&list, std::move(sources)});
}

const std::vector<std::string>* Context::list_sources(const nlohmann::json& list) const {
    for (const auto& l : lists_)
        if (l.list == &list) return l.sources.get();
    return nullptr;
}

const std::string* Context::unavailable_reason(const nlohmann::json& scope, const std::string& name) const {
    if (!unavailable_) return nullptr;
    auto it = unavailable_->find(&scope);
    if (it == unavailable_->end()) return nullptr;
    auto jt = it->second.find(name);
    return jt == it->second.end() ? nullptr : &jt->second;
}

}  // namespace vanban::bind

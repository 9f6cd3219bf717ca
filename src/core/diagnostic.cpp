#include "core/diagnostic.hpp"

namespace vanban {

std::string Diagnostic::to_string() const {
    std::string out;
    if (!file.empty()) out += file;
    if (!location.empty()) {
        if (!out.empty()) out += ':';
        out += location;
    }
    if (!out.empty()) out += ": ";
    out += severity == Severity::error ? "error: " : "warning: ";
    out += message;
    return out;
}

void Diagnostics::error(std::string file, std::string location, std::string message) {
    items_.push_back({std::move(file), std::move(location), std::move(message), Severity::error});
}

void Diagnostics::warning(std::string file, std::string location, std::string message) {
    items_.push_back({std::move(file), std::move(location), std::move(message), Severity::warning});
}

void Diagnostics::append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::has_errors() const {
    for (const auto& d : items_)
        if (d.severity == Severity::error) return true;
    return false;
}

std::string Diagnostics::to_string() const {
    std::string out;
    for (const auto& d : items_) {
        out += d.to_string();
        out += '\n';
    }
    return out;
}

static std::string first_message(const Diagnostics& d) {
    return d.items().empty() ? std::string("invalid input") : d.items().front().to_string();
}

InputError::InputError(Diagnostics d) : std::runtime_error(first_message(d)), diags_(std::move(d)) {}

InputError::InputError(std::string file, std::string location, std::string message)
    : InputError([&] {
          Diagnostics d;
          d.error(std::move(file), std::move(location), std::move(message));
          return d;
      }()) {}

std::string json_pointer_token(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

}  // namespace vanban

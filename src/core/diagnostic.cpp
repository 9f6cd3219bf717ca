#include "core/diagnostic.hpp"

namespace vanban {

Loc::Loc(std::string json_pointer) : pointer(std::move(json_pointer)) {
    if (!pointer.empty() && pointer[0] != '/') throw std::logic_error("not a JSON pointer: \"" + pointer + "\"");
}

std::string Loc::to_string() const {
    if (line > 0) return column > 0 ? std::to_string(line) + ":" + std::to_string(column) : std::to_string(line);
    return pointer;
}

std::string Diagnostic::place() const {
    std::string at_text = at.to_string();
    if (file.empty()) return at_text;
    return at_text.empty() ? file : file + ":" + at_text;
}

std::string Diagnostic::to_string() const {
    std::string out = place();
    if (!out.empty()) out += ": ";
    out += severity == Severity::error ? tx("error: ") : tx("warning: ");
    out += message;
    return out;
}

void Diagnostics::error(std::string file, Loc at, Message message) {
    items_.push_back({std::move(file), std::move(at), std::move(message.text), Severity::error, std::move(message.code)});
}

void Diagnostics::warning(std::string file, Loc at, Message message) {
    items_.push_back({std::move(file), std::move(at), std::move(message.text), Severity::warning, std::move(message.code)});
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

int exit_status(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::bad_input: return 1;
        case ErrorKind::io: return 4;
        case ErrorKind::unsupported: return 5;
        case ErrorKind::internal: return 3;
    }
    return 3;
}

static std::string first_message(const Diagnostics& d) {
    for (const auto& i : d.items())
        if (i.severity == Severity::error) return i.to_string();
    return d.items().empty() ? tx("invalid input") : d.items().front().to_string();
}

Error::Error(ErrorKind kind, Diagnostics d) : std::runtime_error(first_message(d)), kind_(kind), diags_(std::move(d)) {}

Error::Error(ErrorKind kind, std::string file, Loc at, Message message)
    : Error(kind, [&] {
          Diagnostics d;
          d.error(std::move(file), std::move(at), std::move(message));
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

bool pointer_within(std::string_view pointer, std::string_view prefix) {
    return pointer.substr(0, prefix.size()) == prefix && (pointer.size() == prefix.size() || pointer[prefix.size()] == '/');
}

}  // namespace vanban

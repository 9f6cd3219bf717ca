// core/diagnostic: the one vocabulary for "what is wrong with the input, and where".
//
// Every module that rejects input reports Diagnostics: the file, a location
// (a JSON pointer such as "/signature/name", or "line:column" for text files),
// and a message that says what was found and what was expected. The CLI prints
// them as "file:location: error: message" and exits with status 1.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace vanban {

enum class Severity { error, warning };

struct Diagnostic {
    std::string file;      ///< path of the input file as the user named it (may be empty)
    std::string location;  ///< JSON pointer ("/date") or "line:column" ("12:5"); may be empty
    std::string message;   ///< what is wrong and what was expected
    Severity severity = Severity::error;

    /// "file:location: error: message" (parts that are empty are left out).
    std::string to_string() const;
};

/// A collector: modules append to it and keep going, so that one run reports
/// every problem at once.
class Diagnostics {
public:
    void error(std::string file, std::string location, std::string message);
    void warning(std::string file, std::string location, std::string message);
    void add(Diagnostic d) { items_.push_back(std::move(d)); }
    void append(const Diagnostics& other);

    bool has_errors() const;
    bool empty() const { return items_.empty(); }
    const std::vector<Diagnostic>& items() const { return items_; }
    std::string to_string() const;  ///< one diagnostic per line

private:
    std::vector<Diagnostic> items_;
};

/// Thrown when input cannot be turned into a document. Carries every error found.
class InputError : public std::runtime_error {
public:
    explicit InputError(Diagnostics d);
    InputError(std::string file, std::string location, std::string message);
    const Diagnostics& diagnostics() const { return diags_; }

private:
    Diagnostics diags_;
};

/// Escapes one reference token for a JSON pointer ("~" -> "~0", "/" -> "~1").
std::string json_pointer_token(const std::string& key);

}  // namespace vanban

// core/diagnostic: the one vocabulary for "what is wrong, where, and what kind
// of failure it is".
//
// A Diagnostic names a structured Location — a file plus either a JSON pointer
// ("/signature/name") or a line:column in a text file — a severity and a
// message that says what was found and what was expected. Modules append them
// to a Diagnostics collector and keep going, so that one run reports every
// problem at once. A failure that stops the work is an Error of one kind:
//   bad_input    the user's input is wrong            (exit status 1)
//   io           the environment failed: an output that cannot be written,
//                a full disk, a shipped file missing (exit status 4)
//   unsupported  valid, but something vanban does not do (exit status 5)
//   internal     a bug in vanban                      (exit status 3)
// Status 2 is bad usage (the command line), 130 an interrupted batch.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.hpp"

namespace vanban {

enum class Severity { error, warning };

/// A position in a text file: 1-based line and column (column counted in
/// characters; 0 = the whole line).
struct TextPos {
    int line = 0;
    int column = 0;
};

/// Where in a file: a JSON pointer, or a text position, or the whole file.
struct Loc {
    std::string pointer;  ///< JSON pointer ("/date", "" = the whole document) when line == 0
    int line = 0;         ///< text position when > 0
    int column = 0;

    Loc() = default;
    /// A JSON pointer: "" or starting with "/" (anything else is a bug: a text
    /// position must be given as a TextPos).
    Loc(std::string json_pointer);
    Loc(const char* json_pointer) : Loc(std::string(json_pointer)) {}
    /// A text position.
    Loc(TextPos p) : line(p.line), column(p.column) {}

    bool is_text() const { return line > 0; }
    bool empty() const { return line == 0 && pointer.empty(); }
    /// "/date", "12:5", "12" or "".
    std::string to_string() const;
    friend bool operator==(const Loc&, const Loc&) = default;
};

struct Diagnostic {
    std::string file;     ///< the input file as the user named it (may be empty)
    Loc at;               ///< where in it
    std::string message;  ///< what is wrong and what was expected
    Severity severity = Severity::error;
    std::string code;     ///< stable kind of problem ("date-impossible"), never translated; may be empty

    /// "file:/date", "file:12:5", "file" (parts that are empty are left out).
    std::string place() const;
    /// "file:location: lỗi: message" ("error:" in English).
    std::string to_string() const;
};

/// A collector: modules append to it and keep going. Every message comes
/// from tr() (or names its code as a Message), so that every diagnostic has
/// a stable code: there is no overload for a bare string.
class Diagnostics {
public:
    void error(std::string file, Loc at, Message message);
    void warning(std::string file, Loc at, Message message);
    void add(Diagnostic d) { items_.push_back(std::move(d)); }
    void append(const Diagnostics& other);

    bool has_errors() const;
    bool empty() const { return items_.empty(); }
    const std::vector<Diagnostic>& items() const { return items_; }
    std::vector<Diagnostic>& items() { return items_; }
    std::string to_string() const;  ///< one diagnostic per line

private:
    std::vector<Diagnostic> items_;
};

enum class ErrorKind { bad_input, io, unsupported, internal };

/// The exit status documented for a kind of error (1, 4, 5, 3).
int exit_status(ErrorKind kind);

/// A failure that stops the work, of one kind, carrying its diagnostics.
class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, Diagnostics d);
    Error(ErrorKind kind, std::string file, Loc at, Message message);
    ErrorKind kind() const { return kind_; }
    const Diagnostics& diagnostics() const { return diags_; }

private:
    ErrorKind kind_;
    Diagnostics diags_;
};

/// The input cannot be turned into a document. Carries every error found.
class InputError : public Error {
public:
    explicit InputError(Diagnostics d) : Error(ErrorKind::bad_input, std::move(d)) {}
    InputError(std::string file, Loc at, Message message)
        : Error(ErrorKind::bad_input, std::move(file), std::move(at), std::move(message)) {}
};

/// The environment failed: a file that cannot be read or written, a full disk.
class IoError : public Error {
public:
    explicit IoError(Diagnostics d) : Error(ErrorKind::io, std::move(d)) {}
    IoError(std::string file, Message message) : Error(ErrorKind::io, std::move(file), Loc{}, std::move(message)) {}
};

/// Valid input asking for something vanban does not do.
class UnsupportedError : public Error {
public:
    UnsupportedError(std::string file, Loc at, Message message)
        : Error(ErrorKind::unsupported, std::move(file), std::move(at), std::move(message)) {}
};

/// Escapes one reference token for a JSON pointer ("~" -> "~0", "/" -> "~1").
std::string json_pointer_token(const std::string& key);

/// True when `pointer` is `prefix` or lies inside it ("/a/b" is inside "/a", "/ab" is not).
bool pointer_within(std::string_view pointer, std::string_view prefix);

}  // namespace vanban

// core/i18n: the language of every message vanban shows a person.
//
// Messages are written in English in the source, wrapped in tr() (a
// diagnostic: a stable code plus the text) or tx() (any other text: help,
// progress lines), and translated at run time from the Vietnamese catalogue
// po/vi.po, which the build compiles with msgfmt and embeds in the binary.
// Vietnamese is the default; English is chosen with --lang en or
// VANBAN_LANG=en. The machine's locale (LANG, LC_ALL) is never consulted.
//
// Placeholders are "{}" (the next argument) or "{N}" (argument N, from 0), so
// a translation may reorder them; nothing else in braces is special
// ("{{ma_huyen}}" stays as written).
//
// The language is per process (set_language) and may be overridden for one
// thread (LanguageScope), so that the server answers each request in its own
// language.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

/// Marks a text for the catalogue where it is translated later with translate().
#define N_(text) text

namespace vanban {

enum class Lang { vi, en };

/// "vi", "en", also "vi-VN", "en_US", "EN"; nullopt for anything else.
std::optional<Lang> parse_lang(std::string_view s);
/// The language of the first supported tag of an Accept-Language header
/// ("en-US,en;q=0.9"), or nullopt.
std::optional<Lang> lang_from_accept(std::string_view header);
/// "vi" or "en".
const char* lang_name(Lang l);

/// The process's language (default Vietnamese).
void set_language(Lang l);
/// The language in effect on this thread.
Lang language();

/// Sets this thread's language until it is set again (a server thread, per request).
void set_thread_language(Lang l);

/// Sets this thread's language for the lifetime of the object.
class LanguageScope {
public:
    explicit LanguageScope(Lang l);
    ~LanguageScope();
    LanguageScope(const LanguageScope&) = delete;
    LanguageScope& operator=(const LanguageScope&) = delete;

private:
    int previous_;
};

/// The translation of `msgid` (with context `code`, may be null) in the
/// current language; `msgid` itself in English or when the catalogue has none.
const char* translate(const char* code, const char* msgid);

/// Replaces "{}" and "{N}" in `fmt` by `args`.
std::string format_message(std::string_view fmt, const std::vector<std::string>& args);

/// A diagnostic text with its stable, never translated code ("date-impossible").
struct Message {
    std::string code;
    std::string text;
    operator const std::string&() const { return text; }
};

namespace i18n_detail {
inline std::string arg(const std::string& s) { return s; }
inline std::string arg(std::string_view s) { return std::string(s); }
inline std::string arg(const char* s) { return s ? s : ""; }
inline std::string arg(char c) { return std::string(1, c); }
inline std::string arg(const Message& m) { return m.text; }
template <class T>
    requires std::is_arithmetic_v<T>
std::string arg(T v) {
    return std::to_string(v);
}
}  // namespace i18n_detail

/// A diagnostic message: `code` is the gettext context and the stable code of
/// `check --json`; `fmt` the English text.
template <class... A>
Message tr(const char* code, const char* fmt, const A&... a) {
    return {code, format_message(translate(code, fmt), {i18n_detail::arg(a)...})};
}

/// Any other text shown to a person (help, progress, summaries).
template <class... A>
std::string tx(const char* fmt, const A&... a) {
    return format_message(translate(nullptr, fmt), {i18n_detail::arg(a)...});
}

}  // namespace vanban

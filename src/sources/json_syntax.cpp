// sources/json_syntax: what is wrong with JSON text that does not parse, in
// the words of the person who typed it (see json_text.hpp, explain_syntax).
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "sources/json_text.hpp"
#include "vntext/vntext.hpp"

namespace vanban::sources {

namespace {

/// What the grammar allows next.
enum class Want { document, value, value_or_close, key_or_close, key, colon, comma_or_close, end };

struct Open {
    char c;  ///< '{' or '['
    std::size_t at;
};

std::string where(std::string_view t, std::size_t at) {
    TextPos p = line_column(t, at);
    return std::to_string(p.line) + ":" + std::to_string(p.column);
}

/// A curly (typographic) quote at t[i], or "".
std::string_view curly_quote(std::string_view t, std::size_t i) {
    static constexpr std::string_view quotes[] = {"\u201C", "\u201D", "\u2018", "\u2019", "\u201E", "\u2033", "\u00AB", "\u00BB"};
    for (std::string_view q : quotes)
        if (t.substr(i, q.size()) == q) return q;
    return {};
}

bool delimiter(char c) {
    return c == ',' || c == ':' || c == '{' || c == '}' || c == '[' || c == ']' || c == '"' || c == '\n' || c == '\r';
}

/// How many characters of the input a message quotes at most.
constexpr std::size_t kQuoted = 80;

/// The unquoted text at t[i]: up to a delimiter or a curly quote, trailing spaces dropped.
std::string_view bare_text(std::string_view t, std::size_t i) {
    std::size_t e = i;
    while (e < t.size() && !delimiter(t[e]) && curly_quote(t, e).empty()) ++e;
    while (e > i && (t[e - 1] == ' ' || t[e - 1] == '\t')) --e;
    return t.substr(i, e - i);
}

class Scanner {
public:
    explicit Scanner(std::string_view t) : t_(t) {}

    std::optional<SyntaxProblem> run() {
        while (true) {
            ws();
            if (i_ >= t_.size()) return at_end();
            const char c = t_[i_];
            std::optional<SyntaxProblem> p;
            if (c == '{' || c == '[') p = open(c);
            else if (c == '}' || c == ']') p = close(c);
            else if (c == ':') p = colon();
            else if (c == ',') p = comma();
            else if (c == '"') p = string();
            else if (c == '-' || (c >= '0' && c <= '9')) p = number();
            else if (!curly_quote(t_, i_).empty()) p = curly(curly_quote(t_, i_));
            else if (c == '/' && i_ + 1 < t_.size() && (t_[i_ + 1] == '/' || t_[i_ + 1] == '*'))
                p = fail(i_, tr("json-comment", "JSON has no comments; remove the comment, or keep the note in a \"$comment\" field"));
            else if (c == '\'') p = fail(i_, tr("json-single-quotes", "text in JSON is written between straight double quotes \"…\", not single quotes '…'; replace the single quotes with \""));
            else p = word();
            if (p) return p;
        }
    }

private:
    static SyntaxProblem fail(std::size_t at, const Message& m) { return {at, {m.code, tx("malformed JSON: {}", m.text)}}; }

    void ws() {
        while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
    }

    bool in_object() const { return !stack_.empty() && stack_.back().c == '{'; }

    std::optional<SyntaxProblem> at_end() {
        if (want_ == Want::document) return fail(0, tr("json-empty", "the file is empty; a document is a JSON object: { … }"));
        if (!stack_.empty()) {
            const Open& o = stack_.back();
            if (o.c == '{')
                return fail(t_.size(), tr("json-unclosed", "the file ends before the object opened at {} is closed; add \"}\" at its end "
                                                           "(or find the one missing above)", where(t_, o.at)));
            return fail(t_.size(), tr("json-unclosed", "the file ends before the array opened at {} is closed; add \"]\" at its end "
                                                       "(or find the one missing above)", where(t_, o.at)));
        }
        return std::nullopt;
    }

    /// Something that is not where the grammar is: the usual mistakes first.
    std::optional<SyntaxProblem> misplaced(std::size_t at, const std::string& what) {
        switch (want_) {
            case Want::comma_or_close:
                return fail(last_end_, tr("json-missing-comma", "a comma is missing after this value, before {} at {}; add \",\" here "
                                                                "(every member but the last is followed by a comma)", what, where(t_, at)));
            case Want::colon:
                return fail(at, tr("json-missing-colon", "a colon is missing after the field name \"{0}\"; write \"{0}\": followed by its value", key_));
            case Want::key:
            case Want::key_or_close:
                return fail(at, tr("json-expected-name", "expected a field name in straight double quotes (\"name\": value), found {}", what));
            case Want::end:
                return fail(at, tr("json-after-end", "the document ended at {}, but {} follows; a file holds one JSON object: remove it, "
                                                     "or move it inside the braces", where(t_, last_end_ - 1), what));
            default:
                return fail(at, tr("json-unexpected", "unexpected {}", what));
        }
    }

    /// A value (of `what`, from at to end) where the grammar wants one.
    std::optional<SyntaxProblem> value(std::size_t at, std::size_t end, const std::string& what) {
        if (want_ != Want::document && want_ != Want::value && want_ != Want::value_or_close) return misplaced(at, what);
        after_value(end);
        return std::nullopt;
    }

    void after_value(std::size_t end) {
        want_ = stack_.empty() ? Want::end : Want::comma_or_close;
        last_end_ = end;
    }

    std::optional<SyntaxProblem> open(char c) {
        const std::string what = c == '{' ? tx("an object \"{\"") : tx("an array \"[\"");
        if (want_ != Want::document && want_ != Want::value && want_ != Want::value_or_close) return misplaced(i_, what);
        stack_.push_back({c, i_});
        want_ = c == '{' ? Want::key_or_close : Want::value_or_close;
        ++i_;
        return std::nullopt;
    }

    std::optional<SyntaxProblem> close(char c) {
        const char opener = c == '}' ? '{' : '[';
        if (want_ == Want::key || (want_ == Want::value && !in_object() && last_comma_ != std::string_view::npos))
            return fail(last_comma_, c == '}' ? tr("json-trailing-comma", "there is a comma after the last field, before the closing \"}\" "
                                                                          "at {}; remove this comma", where(t_, i_))
                                              : tr("json-trailing-comma", "there is a comma after the last element, before the closing "
                                                                          "\"]\" at {}; remove this comma", where(t_, i_)));
        if (want_ == Want::colon)
            return fail(i_, tr("json-missing-value", "the field name \"{0}\" has no value; write \"{0}\": followed by its value", key_));
        if (want_ == Want::value)
            return fail(i_, tr("json-missing-value", "the field \"{}\" has no value after its colon; write its value, or remove the field", key_));
        if (stack_.empty() || want_ == Want::document || want_ == Want::end)
            return fail(i_, tr("json-unmatched-close", "this \"{}\" closes nothing that is open; remove it", c));
        if (stack_.back().c != opener)
            return fail(i_, tr("json-unmatched-close", "this \"{}\" does not match the \"{}\" opened at {}; close it with \"{}\"", c,
                               stack_.back().c, where(t_, stack_.back().at), stack_.back().c == '{' ? '}' : ']'));
        stack_.pop_back();
        ++i_;
        after_value(i_);
        return std::nullopt;
    }

    std::optional<SyntaxProblem> colon() {
        if (want_ != Want::colon) {
            if (want_ == Want::comma_or_close && !in_object())
                return fail(i_, tr("json-field-in-array", "an array holds values, not \"name\": value fields; use braces { … } for fields"));
            return misplaced(i_, tx("a colon"));
        }
        want_ = Want::value;
        ++i_;
        return std::nullopt;
    }

    std::optional<SyntaxProblem> comma() {
        if (want_ == Want::comma_or_close) {
            want_ = in_object() ? Want::key : Want::value;
            last_comma_ = i_++;
            return std::nullopt;
        }
        if (want_ == Want::value && in_object())  // after a colon
            return fail(i_, tr("json-missing-value", "the field \"{}\" has no value before this comma; write its value", key_));
        if (want_ == Want::key || want_ == Want::key_or_close || want_ == Want::value || want_ == Want::value_or_close)
            return fail(i_, tr("json-extra-comma", "an extra comma, with no value before it; remove it"));
        return misplaced(i_, tx("a comma"));
    }

    std::optional<SyntaxProblem> string() {
        const std::size_t start = i_;
        std::size_t j = i_ + 1;
        while (j < t_.size() && t_[j] != '"') {
            const char c = t_[j];
            if (c == '\n' || c == '\r') {
                // Not closed on its line: usually a curly quote typed as the closing one.
                for (std::size_t k = start + 1; k < j; ++k)
                    if (std::string_view q = curly_quote(t_, k); !q.empty())
                        return fail(k, tr("json-curly-quote", "the text {0} is closed with the curly quote {1} (as Word types it); JSON "
                                                              "needs the straight quote \": replace {1} with \" (and turn off \"smart "
                                                              "quotes\" in the editor)",
                                          vntext::excerpt(t_.substr(start, k + q.size() - start), kQuoted), q));
                return fail(start, tr("json-unclosed-text", "this text is not closed by a straight double quote \" on its line; add the "
                                                            "closing \" (a line break inside a text is written \\n)"));
            }
            if (c == '\\') {
                const char e = j + 1 < t_.size() ? t_[j + 1] : '\0';
                if (std::string_view("\"\\/bfnrtu").find(e) == std::string_view::npos || e == '\0')
                    return fail(j, tr("json-backslash", "a backslash \\ inside a text starts an escape (\\n, \\\", \\\\); to write a "
                                                        "backslash itself, double it: \\\\ (in a file name, write / instead)"));
                ++j;
            } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
                return fail(j, tr("control-character", "the text holds a control character, which cannot be printed; remove it"));
            }
            ++j;
        }
        if (j >= t_.size())
            return fail(start, tr("json-unclosed-text", "this text is never closed by a straight double quote \"; add the closing \""));
        const std::size_t end = j + 1;
        std::string text(t_.substr(start, end - start));
        i_ = end;
        if (want_ == Want::key || want_ == Want::key_or_close) {
            key_ = text.substr(1, text.size() - 2);
            want_ = Want::colon;
            return std::nullopt;
        }
        return value(start, end, tx("the text {}", vntext::excerpt(text, kQuoted)));
    }

    std::optional<SyntaxProblem> number() {
        const std::size_t start = i_;
        std::size_t j = i_;
        while (j < t_.size() && std::string_view("+-0123456789.eE").find(t_[j]) != std::string_view::npos) ++j;
        std::string n(t_.substr(start, j - start));
        i_ = j;
        const std::size_t digits = n[0] == '-' ? 1 : 0;
        if (n.size() > digits + 1 && n[digits] == '0' && n[digits + 1] >= '0' && n[digits + 1] <= '9') {
            std::size_t k = digits;
            while (k + 1 < n.size() && n[k] == '0' && n[k + 1] >= '0' && n[k + 1] <= '9') ++k;
            const std::string plain = n.substr(0, digits) + n.substr(k);
            return fail(start, tr("json-leading-zero", "the number {0} starts with a zero, which JSON numbers cannot; write {1} (vanban "
                                                       "prints the leading zero where the decree wants one), or write it as text: \"{0}\"",
                                  vntext::excerpt(n, kQuoted), vntext::excerpt(plain, kQuoted)));
        }
        // A number the grammar does not allow ("1.", "1e", "--1") is left to the parser's own message.
        if (n == "-" || n.back() == '.' || n.back() == 'e' || n.back() == 'E' || n.back() == '-' || n.back() == '+')
            return fail(start, tr("json-not-a-number", "\"{}\" is not a number; write digits, with \".\" before decimals (12.5)", vntext::excerpt(n, kQuoted)));
        return value(start, j, tx("the number {}", vntext::excerpt(n, kQuoted)));
    }

    std::optional<SyntaxProblem> curly(std::string_view q) {
        // A text quoted with curly quotes: “Long Khánh”.
        std::size_t e = i_ + q.size();
        while (e < t_.size() && t_[e] != '\n' && curly_quote(t_, e).empty()) ++e;
        const std::string inside = vntext::excerpt(t_.substr(i_ + q.size(), e - i_ - q.size()), kQuoted);
        std::string close = e < t_.size() ? std::string(curly_quote(t_, e)) : "";
        return fail(i_, tr("json-curly-quote", "the text {0} is in curly quotes {1} (as Word types them); JSON needs straight quotes: "
                                               "write \"{2}\" (and turn off \"smart quotes\" in the editor)",
                           std::string(q) + inside + close,
                           std::string(q) + (close.empty() || close == std::string(q) ? "" : " " + close), inside));
    }

    std::optional<SyntaxProblem> word() {
        const std::size_t start = i_;
        std::string_view w = bare_text(t_, i_);
        if (w.empty()) {  // a character no JSON token starts with
            std::size_t k = i_;
            char32_t cp = vntext::next_code_point(t_, k);
            char code[12];
            std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
            return fail(i_, tr("json-unexpected", "unexpected character {}; remove it", code));
        }
        i_ += w.size();
        if (w == "true" || w == "false" || w == "null") return value(start, i_, std::string(w));
        for (std::string_view lit : {"true", "false", "null"})
            if (w.size() == lit.size() && vntext::lower(w) == lit)
                return fail(start, tr("json-literal-case", "{} must be written in lower case: {}", w, lit));
        const std::string text = vntext::excerpt(w, kQuoted);
        if (want_ == Want::key || want_ == Want::key_or_close)
            return fail(start, tr("json-unquoted", "the field name {0} is not in quotes; write it between straight double quotes: \"{0}\"", text));
        if (want_ == Want::value || want_ == Want::value_or_close || want_ == Want::document)
            return fail(start, tr("json-unquoted", "the text {0} is not in quotes; write it between straight double quotes: \"{0}\"", text));
        return misplaced(start, tx("the text {}", text));
    }

    std::string_view t_;
    std::size_t i_ = 0;
    Want want_ = Want::document;
    std::vector<Open> stack_;
    std::size_t last_end_ = 0;
    std::size_t last_comma_ = std::string_view::npos;
    std::string key_;
};

}  // namespace

std::optional<SyntaxProblem> explain_syntax(std::string_view text) { return Scanner(text).run(); }

}  // namespace vanban::sources

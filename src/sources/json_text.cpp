#include "sources/json_text.hpp"

#include <cmath>
#include <cstdio>
#include <set>

#include "vntext/vntext.hpp"

namespace vanban::sources {

using nlohmann::json;

TextPos line_column(std::string_view text, std::size_t byte_offset) {
    int line = 1, col = 1;
    for (std::size_t i = 0; i < byte_offset && i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            col = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++col;
        }
    }
    return {line, col};
}

namespace {


/// Builds the tree from the parser's events, with the checks listed in the header.
class Builder : public nlohmann::json_sax<json> {
public:
    Builder(const std::string& file, std::string_view text, Diagnostics& problems)
        : file_(file), text_(text), problems_(problems), max_depth_(limits().max_json_depth) {}

    json root;

    bool null() override { return put(json(nullptr)); }
    bool boolean(bool v) override { return put(json(v)); }
    bool number_integer(number_integer_t v) override { return put(json(v)); }
    bool number_unsigned(number_unsigned_t v) override {
        if (v > static_cast<number_unsigned_t>(INT64_MAX)) {
            problem(tr("json-number-too-large", "the number {} is too large (at most 9223372036854775807)", v));
            return put(json(nullptr));
        }
        return put(json(static_cast<number_integer_t>(v)));
    }
    bool number_float(number_float_t v, const string_t& s) override {
        if (s.find_first_of(".eE") == std::string::npos) {
            problem(tr("json-number-too-large", "the number {} is too large (at most 9223372036854775807)", s));
            return put(json(nullptr));
        }
        if (!std::isfinite(v)) {
            problem(tr("json-number-too-large", "the number {} is too large to be read exactly", s));
            return put(json(nullptr));
        }
        return put(json(v));
    }
    bool string(string_t& v) override { return put(json(clean(v))); }
    bool binary(binary_t&) override { return put(json(nullptr)); }

    bool start_object(std::size_t) override { return open(json::object()); }
    bool start_array(std::size_t) override { return open(json::array()); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t& k) override {
        Frame& f = stack_.back();
        f.key = vntext::nfc(k);
        if (!f.keys.insert(f.key).second) duplicates_.push_back(member_pointer());
        return true;
    }

    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
        // "[json.exception.parse_error.101] parse error at line 3, column 5: syntax error ..."
        std::string what = e.what();
        const TextPos at = line_column(text_, position > 0 ? position - 1 : 0);
        if (e.id == 406) {  // a number no double holds: "number overflow parsing '1e400'"
            auto q = what.find('\'');
            std::string number = q == std::string::npos ? "" : what.substr(q + 1, what.rfind('\'') - q - 1);
            problems_.error(file_, at, tr("json-number-too-large", "the number {} is too large to be read exactly", number));
            return false;
        }
        if (auto explained = explain_syntax(text_)) {
            problems_.error(file_, line_column(text_, explained->at), explained->message);
            return false;
        }
        auto p = what.find(": ");
        std::string reason = p == std::string::npos ? what : what.substr(p + 2);
        problems_.error(file_, at, tr("json-syntax", "malformed JSON: {}", reason));
        return false;
    }

    const std::vector<std::string>& duplicates() const { return duplicates_; }

private:
    struct Frame {
        json* node;
        std::string pointer;
        std::string key;            ///< objects: the member being read
        std::set<std::string> keys; ///< objects: the keys seen
    };

    /// Pointer of the value about to be added.
    std::string member_pointer() const {
        if (stack_.empty()) return "";
        const Frame& f = stack_.back();
        if (f.node->is_object()) return f.pointer + "/" + json_pointer_token(f.key);
        return f.pointer + "/" + std::to_string(f.node->size());
    }

    void problem(Message message) { problems_.error(file_, member_pointer(), std::move(message)); }

    /// Control characters: a tab becomes a space, CR LF a line feed; others are errors.
    std::string clean(const std::string& s) {
        std::string out;
        out.reserve(s.size());
        for (std::size_t i = 0; i < s.size(); ++i) {
            unsigned char c = static_cast<unsigned char>(s[i]);
            if (c >= 0x20 || c == '\n') {
                out += s[i];
            } else if (c == '\t') {
                out += ' ';
            } else if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
                continue;
            } else {
                char code[8];
                std::snprintf(code, sizeof code, "U+%04X", c);
                problem(c == '\r' ? tr("control-character", "the text holds the control character {} (a carriage return), which "
                                                             "cannot be printed; remove it", code)
                                  : tr("control-character", "the text holds the control character {}, which cannot be printed; "
                                                             "remove it", code));
                return vntext::nfc(out);
            }
        }
        return vntext::nfc(out);
    }

    json* add(json&& v) {
        if (stack_.empty()) {
            root = std::move(v);
            return &root;
        }
        Frame& f = stack_.back();
        if (f.node->is_object()) {
            json& slot = (*f.node)[f.key];
            slot = std::move(v);
            return &slot;
        }
        f.node->push_back(std::move(v));
        return &f.node->back();
    }

    bool put(json&& v) {
        add(std::move(v));
        return true;
    }

    bool open(json&& container) {
        std::string pointer = member_pointer();
        if (stack_.size() >= max_depth_) {
            problems_.error(file_, pointer,
                            tr("json-too-deep", "the JSON is nested more than {} levels deep; no document needs that (raise the limit "
                                                "with --max-json-depth)", max_depth_));
            return false;
        }
        json* node = add(std::move(container));
        stack_.push_back(Frame{node, std::move(pointer), {}, {}});
        return true;
    }

    bool close() {
        stack_.pop_back();
        return true;
    }

    const std::string& file_;
    std::string_view text_;
    Diagnostics& problems_;
    std::size_t max_depth_;
    std::vector<Frame> stack_;
    std::vector<std::string> duplicates_;
};

/// Splits a JSON pointer into its unescaped tokens.
std::vector<std::string> tokens_of(std::string_view pointer) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < pointer.size() && pointer[i] == '/') {
        std::size_t j = pointer.find('/', i + 1);
        if (j == std::string_view::npos) j = pointer.size();
        std::string t;
        for (std::size_t k = i + 1; k < j; ++k) {
            if (pointer[k] == '~' && k + 1 < j) {
                t += pointer[k + 1] == '1' ? '/' : '~';
                ++k;
            } else {
                t += pointer[k];
            }
        }
        out.push_back(std::move(t));
        i = j;
    }
    return out;
}

/// A small scanner over JSON text that has been parsed up to the places it looks
/// for; it always moves forward, whatever follows.
class Locator {
public:
    explicit Locator(std::string_view t) : t_(t) {}

    void find(const std::vector<std::string>& tokens, std::size_t k, std::vector<std::size_t>& out) {
        ws();
        if (k == tokens.size()) {
            out.push_back(i_);
            skip_value();
            return;
        }
        if (at('{')) {
            ++i_;
            for (ws(); i_ < t_.size() && !at('}');) {
                std::size_t key_at = i_;
                std::string key = string_token();
                ws();
                ++i_;  // ':'
                if (key == tokens[k] && k + 1 == tokens.size()) {
                    out.push_back(key_at);
                    ws();
                    skip_value();
                } else if (key == tokens[k]) {
                    find(tokens, k + 1, out);
                } else {
                    ws();
                    skip_value();
                }
                ws();
                if (at(',')) ++i_, ws();
            }
            if (at('}')) ++i_;
        } else if (at('[')) {
            ++i_;
            std::size_t index = 0;
            for (ws(); i_ < t_.size() && !at(']'); ++index) {
                const std::size_t before = i_;
                if (std::to_string(index) == tokens[k]) find(tokens, k + 1, out);
                else skip_value();
                ws();
                if (at(',')) ++i_, ws();
                // The text may be broken further on (duplicates are located
                // even when parsing stopped later): a stray '}' is no element.
                if (i_ == before) break;
            }
            if (at(']')) ++i_;
        } else {
            skip_value();
        }
    }

private:
    bool at(char c) const { return i_ < t_.size() && t_[i_] == c; }
    void ws() {
        while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
    }
    /// Reads a string token at i_ and returns its decoded, NFC text.
    std::string string_token() {
        std::size_t start = i_++;
        while (i_ < t_.size() && t_[i_] != '"') i_ += t_[i_] == '\\' ? 2 : 1;
        ++i_;
        try {
            return vntext::nfc(json::parse(t_.substr(start, i_ - start)).get<std::string>());
        } catch (const json::exception&) {
            return {};
        }
    }
    /// Skips one value (iteratively: nesting is counted, not recursed into).
    void skip_value() {
        int depth = 0;
        while (i_ < t_.size()) {
            char c = t_[i_];
            if (c == '"') {
                string_token();
            } else if (c == '{' || c == '[') {
                ++depth, ++i_;
            } else if (c == '}' || c == ']') {
                if (depth == 0) return;
                --depth, ++i_;
            } else if (c == ',' && depth == 0) {
                return;
            } else {
                ++i_;
            }
            if (depth == 0 && (c == '"' || c == '}' || c == ']')) return;
            if (depth == 0 && c != '"' && c != '{' && c != '[') {
                // a scalar: runs until a delimiter
                while (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '}' && t_[i_] != ']' && t_[i_] != '\n' && t_[i_] != ' ')
                    ++i_;
                return;
            }
        }
    }

    std::string_view t_;
    std::size_t i_ = 0;
};

}  // namespace

std::vector<std::size_t> locate(std::string_view text, std::string_view pointer) {
    std::vector<std::size_t> out;
    Locator(text).find(tokens_of(pointer), 0, out);
    return out;
}

json parse_json_text(std::string_view text, const std::string& file) {
    if (auto bad = vntext::find_invalid_utf8(text)) {
        char byte[8];
        std::snprintf(byte, sizeof byte, "%02X", static_cast<unsigned char>(text[*bad]));
        throw InputError(file, line_column(text, *bad),
                         tr("invalid-utf8", "invalid UTF-8 (byte 0x{}); save the file as UTF-8 (legacy TCVN3/VNI encodings are not accepted)",
                            byte));
    }
    Diagnostics problems;
    Builder b(file, text, problems);
    json::sax_parse(text, &b);
    for (const std::string& p : b.duplicates()) {
        std::vector<std::size_t> at = locate(text, p);
        std::string places;
        for (std::size_t off : at) {
            TextPos pos = line_column(text, off);
            places += (places.empty() ? "" : tx(" and ")) + std::to_string(pos.line) + ":" + std::to_string(pos.column);
        }
        std::string key = p.substr(p.rfind('/') + 1);
        problems.error(file, p,
                       at.size() >= 2
                           ? tr("json-duplicate-field", "the field \"{}\" is given twice in the same object (at {}); keep one of them", key, places)
                           : tr("json-duplicate-field", "the field \"{}\" is given twice in the same object; keep one of them", key));
    }
    if (problems.has_errors()) throw InputError(std::move(problems));
    return std::move(b.root);
}

}  // namespace vanban::sources

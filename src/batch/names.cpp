#include "batch/names.hpp"

#include <array>

#include "vntext/vntext.hpp"

namespace vanban::batch {

namespace {

bool is_space_like(char32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0x00A0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000;
}

bool is_removed(char32_t cp) {
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return true;  // C0, DEL, C1
    switch (cp) {
        case '<': case '>': case ':': case '"': case '|': case '?': case '*':  // reserved by Windows
        case 0x00AD:                                                          // soft hyphen
        case 0x061C: case 0x180E: case 0xFEFF: case 0xFFFD:
            return true;
        default:
            break;
    }
    return (cp >= 0x200B && cp <= 0x200F) ||  // zero-width characters, LRM, RLM
           (cp >= 0x202A && cp <= 0x202E) ||  // bidi embeddings and overrides
           (cp >= 0x2060 && cp <= 0x206F) ||  // word joiner, invisible operators, bidi isolates
           (cp >= 0xFFF9 && cp <= 0xFFFB) ||  // interlinear annotation
           (cp >= 0xE000 && cp <= 0xF8FF) ||  // private use
           (cp >= 0xFE00 && cp <= 0xFE0F);    // variation selectors
}

bool is_trimmed(char c) { return c == '.' || c == '-' || c == ' '; }

void trim(std::string& s) {
    std::size_t b = 0;
    while (b < s.size() && is_trimmed(s[b])) ++b;
    std::size_t e = s.size();
    while (e > b && is_trimmed(s[e - 1])) --e;
    s = s.substr(b, e - b);
}

/// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
void truncate_utf8(std::string& s, std::size_t max) {
    if (s.size() <= max) return;
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
}

/// Length of a Windows device name at the start of `s` when it is the whole
/// stem or is followed by "." (where Windows still takes it as the device), else 0.
std::size_t device_name_length(const std::string& s) {
    static constexpr std::array<std::string_view, 4> kThree = {"con", "prn", "aux", "nul"};
    std::size_t dot = s.find('.');
    std::string head = s.substr(0, dot);
    while (!head.empty() && head.back() == ' ') head.pop_back();
    for (char& c : head)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (head.size() == 3) {
        for (auto d : kThree)
            if (head == d) return 3;
    }
    if (head.size() == 4 && (head.compare(0, 3, "com") == 0 || head.compare(0, 3, "lpt") == 0) && head[3] >= '0' &&
        head[3] <= '9')
        return 4;
    return 0;
}

}  // namespace

std::optional<std::string> sanitize_name(std::string_view raw, const NameOptions& opts) {
    const std::size_t max = opts.max_bytes < 8 ? 8 : opts.max_bytes;
    std::string out;
    if (opts.ascii) {
        out = vntext::ascii_slug(raw);  // a-z, 0-9 and single "-" only
    } else {
        // decode() turns ill-formed bytes into U+FFFD, which is removed below.
        const std::u32string cps = vntext::decode(raw);
        std::u32string kept;
        kept.reserve(cps.size());
        for (char32_t cp : cps) {
            if (cp == '/' || cp == '\\') cp = '-';
            else if (is_space_like(cp)) cp = ' ';
            else if (is_removed(cp)) continue;
            if ((cp == ' ' || cp == '-' || cp == '.') && !kept.empty() && kept.back() == cp) continue;
            kept.push_back(cp);
        }
        out = vntext::nfc(vntext::encode(kept));
    }
    trim(out);
    truncate_utf8(out, max);
    trim(out);
    if (out.empty()) return std::nullopt;
    if (const std::size_t n = device_name_length(out)) {
        out = out.substr(0, n) + "_" + out.substr(n);
        if (out.size() > max) {
            truncate_utf8(out, max);
            trim(out);
        }
    }
    return out;
}

bool is_safe_name(std::string_view name) {
    if (vntext::find_invalid_utf8(name)) return false;
    NameOptions opts;
    opts.max_bytes = 200;
    auto s = sanitize_name(name, opts);
    return s && *s == name;
}

std::string name_key(std::string_view name) { return vntext::lower(vntext::nfc(name)); }

}  // namespace vanban::batch

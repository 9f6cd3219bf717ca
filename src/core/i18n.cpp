#include "core/i18n.hpp"

#include <atomic>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <unordered_map>

#include "vanban/catalogue.hpp"

namespace vanban {

namespace {

std::atomic<int> g_language{static_cast<int>(Lang::vi)};
thread_local int t_language = -1;  // -1: the process's language

std::uint32_t read_u32(std::string_view mo, std::size_t at, bool swap) {
    if (at + 4 > mo.size()) throw std::logic_error("vi.mo: truncated");
    std::uint32_t v;
    std::memcpy(&v, mo.data() + at, 4);
    if (swap) v = __builtin_bswap32(v);
    return v;
}

std::string_view mo_string(std::string_view mo, std::size_t table, std::uint32_t i, bool swap) {
    std::uint32_t len = read_u32(mo, table + 8 * std::size_t(i), swap);
    std::uint32_t off = read_u32(mo, table + 8 * std::size_t(i) + 4, swap);
    if (std::size_t(off) + len > mo.size()) throw std::logic_error("vi.mo: string out of range");
    return mo.substr(off, len);
}

/// The GNU .mo file compiled from po/vi.po: "context\x04msgid" (or "msgid") -> msgstr.
const std::unordered_map<std::string_view, std::string_view>& vietnamese() {
    static const auto table = [] {
        std::unordered_map<std::string_view, std::string_view> t;
        std::string_view mo = embedded::vi_mo;
        std::uint32_t magic = read_u32(mo, 0, false);
        bool swap = magic == 0xde120495u;
        if (!swap && magic != 0x950412deu) throw std::logic_error("vi.mo: not a GNU message catalogue");
        std::uint32_t n = read_u32(mo, 8, swap);
        std::size_t originals = read_u32(mo, 12, swap), translations = read_u32(mo, 16, swap);
        for (std::uint32_t i = 0; i < n; ++i) {
            auto key = mo_string(mo, originals, i, swap);
            if (key.empty()) continue;  // the header
            t.emplace(key, mo_string(mo, translations, i, swap));
        }
        return t;
    }();
    return table;
}

}  // namespace

std::optional<Lang> parse_lang(std::string_view s) {
    std::string low;
    for (char c : s) low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view v = low;
    auto primary = v.substr(0, v.find_first_of("-_"));
    if (primary == "vi") return Lang::vi;
    if (primary == "en") return Lang::en;
    return std::nullopt;
}

std::optional<Lang> lang_from_accept(std::string_view header) {
    while (!header.empty()) {
        auto comma = header.find(',');
        auto item = header.substr(0, comma);
        item = item.substr(0, item.find(';'));
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (auto l = parse_lang(item)) return l;
        if (comma == std::string_view::npos) break;
        header.remove_prefix(comma + 1);
    }
    return std::nullopt;
}

const char* lang_name(Lang l) { return l == Lang::en ? "en" : "vi"; }

void set_language(Lang l) { g_language = static_cast<int>(l); }

Lang language() { return static_cast<Lang>(t_language >= 0 ? t_language : g_language.load()); }

void set_thread_language(Lang l) { t_language = static_cast<int>(l); }

LanguageScope::LanguageScope(Lang l) : previous_(t_language) { t_language = static_cast<int>(l); }

LanguageScope::~LanguageScope() { t_language = previous_; }

const char* translate(const char* code, const char* msgid) {
    if (language() == Lang::en) return msgid;
    std::string key = code ? std::string(code) + '\x04' + msgid : std::string(msgid);
    const auto& t = vietnamese();
    auto it = t.find(key);
    // The embedded catalogue lives for the whole run and its strings end in NUL.
    return it == t.end() || it->second.empty() ? msgid : it->second.data();
}

std::string format_message(std::string_view fmt, const std::vector<std::string>& args) {
    std::string out;
    std::size_t next = 0;
    for (std::size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] == '{') {
            std::size_t j = i + 1;
            while (j < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[j]))) ++j;
            if (j < fmt.size() && fmt[j] == '}') {
                std::size_t index = j == i + 1 ? next++ : std::stoul(std::string(fmt.substr(i + 1, j - i - 1)));
                if (index < args.size()) out += args[index];
                i = j;
                continue;
            }
        }
        out += fmt[i];
    }
    return out;
}

}  // namespace vanban

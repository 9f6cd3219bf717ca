// vanban_bind: see bind/template.hpp.
#include "bind/template.hpp"

#include "sources/limits.hpp"
#include "input/fields.hpp"

#include <algorithm>
#include <optional>

#include "bind/detail.hpp"
#include "bind/value.hpp"
#include "core/decimal.hpp"
#include "model/table.hpp"
#include "table/engine.hpp"
#include "vntext/vntext.hpp"

namespace vanban::bind {

using nlohmann::json;

namespace detail {

enum class FilterKind { number, percent, money, date, upper, lower, capitalize, roman };

struct Filter {
    FilterKind kind = FilterKind::number;
    std::string name;           ///< as written, for messages
    std::optional<int> digits;  ///< number/percent/money
    bool short_date = false;    ///< date:short
    bool reads_value() const {
        return kind == FilterKind::number || kind == FilterKind::percent || kind == FilterKind::money ||
               kind == FilterKind::date || kind == FilterKind::roman;
    }
};

struct TNode {
    enum class Kind { text, variable, section, inverted };
    Kind kind = Kind::text;
    std::string text;               ///< text: the literal
    std::vector<std::string> path;  ///< variable/section: the name split at '.'; empty for "."
    std::string name;               ///< the name as written ("a.b", ".")
    std::string tag;                ///< the tag as written, for messages: "{{ho_ngheo | number}}"
    std::vector<Filter> filters;
    std::vector<TNode> children;    ///< section bodies
    Loc location;                   ///< JSON pointer or line:column
};

}  // namespace detail

struct Template::Impl {
    Origin origin;
    std::vector<detail::TNode> nodes;
    bool tags = false;
};

struct JsonTemplate::Node {
    enum class Kind { literal, string, object, array, each };
    Kind kind = Kind::literal;
    json literal;                     ///< literal: the value as is
    Template tpl;                     ///< string
    std::vector<std::string> keys;    ///< object: member names, parallel to `children`
    std::vector<Node> children;       ///< object members / array elements / each: the one $item
    std::vector<std::string> path;    ///< each: the list's name, split at '.'
    std::string name;                 ///< each: as written
    std::string pointer;              ///< each: the pointer of the "$each" object
    std::string file;                 ///< each: the template file
};

namespace {

using detail::Filter;
using detail::FilterKind;
using detail::TNode;

constexpr const char* kKnownFilters = "number, percent, money, date, upper, lower, capitalize, roman";

std::string_view trim_all(std::string_view s) {
    auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && ws(s.front())) s.remove_prefix(1);
    while (!s.empty() && ws(s.back())) s.remove_suffix(1);
    return s;
}

bool name_char(unsigned char c) {
    if (c >= 0x80) return true;  // names may be Vietnamese JSON keys
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
    return c == '_' || c == '-' || c == '$';
}

/// "a.b.c" -> {"a","b","c"}; "." -> {}; nullopt when malformed.
std::optional<std::vector<std::string>> split_name(std::string_view name) {
    if (name == ".") return std::vector<std::string>{};
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        std::size_t dot = name.find('.', start);
        std::string_view seg = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (seg.empty()) return std::nullopt;
        for (char c : seg)
            if (!name_char(static_cast<unsigned char>(c))) return std::nullopt;
        out.emplace_back(seg);
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return out;
}

class Compiler {
public:
    Compiler(std::string_view s, const Origin& origin, Diagnostics& diags)
        : s_(s), origin_(origin), diags_(diags) {
        if (origin.pointer.empty()) lines_.emplace(s);
    }

    Template::Impl run() {
        Template::Impl impl;
        impl.origin = origin_;
        impl_ = &impl;
        std::size_t pos = 0;
        for (;;) {
            std::size_t open = s_.find("{{", pos);
            if (open == std::string_view::npos) {
                emit_text(pos, s_.size());
                break;
            }
            const bool triple = s_.compare(open, 3, "{{{") == 0;
            const std::string_view closer = triple ? "}}}" : "}}";
            const std::size_t body = open + (triple ? 3 : 2);
            std::size_t close = s_.find(closer, body);
            std::size_t next_open = s_.find("{{", body);
            if (close == std::string_view::npos || (next_open != std::string_view::npos && next_open < close)) {
                error(open, close == std::string_view::npos
                                ? tr("template-tag", "unclosed tag: '{}' here has no matching '{}' before the end of the text",
                                     triple ? "{{{" : "{{", closer)
                                : tr("template-tag", "unclosed tag: '{}' here has no matching '{}' before the next '{{'",
                                     triple ? "{{{" : "{{", closer));
                emit_text(pos, open + 2);  // kept as text; the error stops the document anyway
                pos = open + 2;
                continue;
            }
            impl.tags = true;
            const std::size_t end = close + closer.size();
            const std::string tag(s_.substr(open, end - open));
            std::string_view content = trim_all(s_.substr(body, close - body));
            char sigil = (!triple && !content.empty()) ? content[0] : '\0';

            // Standalone section/comment tags take their whole line.
            std::size_t text_end = open, resume = end;
            if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!') standalone(pos, open, end, text_end, resume);
            emit_text(pos, text_end);
            pos = resume;

            if (content.empty()) {
                error(open, tr("template-tag", "{}: empty tag; expected a name such as {{ten_huyen}}", tag));
                continue;
            }
            switch (sigil) {
                case '!': break;
                case '>': error(open, tr("template-tag", "{}: partials ({{> name}}) are not supported", tag)); break;
                case '=': error(open, tr("template-tag", "{}: changing the delimiters ({{=<% %>=}}) is not supported", tag)); break;
                case '#':
                case '^': open_section(content.substr(1), sigil, tag, open); break;
                case '/': close_section(content.substr(1), tag, open); break;
                case '&': variable(content.substr(1), tag, open); break;
                default: variable(content, tag, open); break;
            }
        }
        while (!open_.empty()) {
            const Open& o = open_.back();
            error(o.offset, tr("template-section", "{}: the section is never closed; expected {{/{}}}", o.node.tag, o.node.name));
            pop_into_parent();
        }
        impl_ = nullptr;
        return impl;
    }

private:
    struct Open {
        TNode node;
        std::size_t offset;
    };

    Loc location(std::size_t offset) const { return lines_ ? Loc(lines_->line_column(offset)) : Loc(origin_.pointer); }

    void error(std::size_t offset, Message message) { diags_.error(origin_.file, location(offset), std::move(message)); }

    std::vector<TNode>& target() { return open_.empty() ? impl_->nodes : open_.back().node.children; }

    void emit_text(std::size_t from, std::size_t to) {
        if (to <= from) return;
        auto& out = target();
        if (!out.empty() && out.back().kind == TNode::Kind::text) {
            out.back().text.append(s_.substr(from, to - from));
            return;
        }
        TNode t;
        t.kind = TNode::Kind::text;
        t.text = std::string(s_.substr(from, to - from));
        out.push_back(std::move(t));
    }

    /// When the tag [open, end) is alone on its line (only spaces or tabs
    /// around it, and no other tag before it on the line), widens it to the
    /// whole line including its line break.
    void standalone(std::size_t pos, std::size_t open, std::size_t end, std::size_t& text_end, std::size_t& resume) const {
        // Back to the line start, not past the end of the previous tag.
        std::size_t b = open;
        while (b > pos && (s_[b - 1] == ' ' || s_[b - 1] == '\t')) --b;
        if (b > 0 && s_[b - 1] != '\n' && s_[b - 1] != '\r') return;
        std::size_t e = end;
        while (e < s_.size() && (s_[e] == ' ' || s_[e] == '\t')) ++e;
        if (e < s_.size()) {
            if (s_[e] == '\r') {
                ++e;
                if (e < s_.size() && s_[e] == '\n') ++e;
            } else if (s_[e] == '\n') {
                ++e;
            } else {
                return;
            }
        }
        text_end = b;
        resume = e;
    }

    bool parse_name(std::string_view name, const std::string& tag, std::size_t offset, TNode& n) {
        auto path = split_name(name);
        if (!path) {
            error(offset, tr("template-tag", "{}: expected a name such as ten_huyen or huyen.ten, found '{}'", tag, name));
            return false;
        }
        n.path = std::move(*path);
        n.name = std::string(name);
        return true;
    }

    void open_section(std::string_view content, char sigil, const std::string& tag, std::size_t offset) {
        std::string_view name = trim_all(content);
        TNode n;
        n.kind = sigil == '#' ? TNode::Kind::section : TNode::Kind::inverted;
        n.tag = tag;
        n.location = location(offset);
        if (name.find('|') != std::string_view::npos) {
            error(offset, tr("template-section", "{}: a section takes a name only, no filters", tag));
            name = trim_all(name.substr(0, name.find('|')));
        }
        if (!parse_name(name, tag, offset, n)) n.name = std::string(name);
        const std::size_t max_depth = sources::limits().max_section_depth;
        if (open_.size() == max_depth)
            error(offset, tr("template-section", "{}: sections are nested more than {} deep; each level repeats everything inside it "
                                                 "(raise the limit with --max-section-depth)", tag, max_depth));
        open_.push_back({std::move(n), offset});
    }

    void close_section(std::string_view content, const std::string& tag, std::size_t offset) {
        std::string name(trim_all(content));
        if (open_.empty()) {
            error(offset, tr("template-section", "{}: closes a section that was never opened (expected {{#{}}} before it)", tag, name));
            return;
        }
        if (open_.back().node.name != name) {
            error(offset, tr("template-section", "{}: does not match {} opened at {}; expected {{/{}}}", tag, open_.back().node.tag,
                             location(open_.back().offset).to_string(), open_.back().node.name));
            // Closing an outer section: the inner ones end here too. Otherwise
            // the name is taken as a misspelling and the innermost one ends.
            bool outer = false;
            for (const auto& o : open_)
                if (o.node.name == name) outer = true;
            if (outer)
                while (open_.back().node.name != name) pop_into_parent();
        }
        pop_into_parent();
    }

    void pop_into_parent() {
        TNode n = std::move(open_.back().node);
        open_.pop_back();
        target().push_back(std::move(n));
    }

    void variable(std::string_view content, const std::string& tag, std::size_t offset) {
        TNode n;
        n.kind = TNode::Kind::variable;
        n.tag = tag;
        n.location = location(offset);
        std::size_t bar = content.find('|');
        std::string_view name = trim_all(content.substr(0, bar));
        bool ok = parse_name(name, tag, offset, n);
        while (bar != std::string_view::npos) {
            std::size_t next = content.find('|', bar + 1);
            std::string_view f = trim_all(content.substr(bar + 1, next == std::string_view::npos ? next : next - bar - 1));
            ok = filter(f, tag, offset, n) && ok;
            bar = next;
        }
        for (std::size_t i = 1; i < n.filters.size(); ++i) {
            if (n.filters[i].reads_value()) {
                error(offset, tr("template-filter", "{}: the filter '{}' reads the value itself and must come first, before '{}'", tag,
                                 n.filters[i].name, n.filters[0].name));
                ok = false;
            }
        }
        if (ok) target().push_back(std::move(n));
    }

    bool filter(std::string_view f, const std::string& tag, std::size_t offset, TNode& n) {
        std::size_t colon = f.find(':');
        std::string name(trim_all(f.substr(0, colon)));
        std::optional<std::string> arg;
        if (colon != std::string_view::npos) arg = std::string(trim_all(f.substr(colon + 1)));
        Filter flt;
        flt.name = name;
        if (name.empty()) {
            error(offset, tr("template-filter", "{}: empty filter after '|'; expected one of {}", tag, kKnownFilters));
            return false;
        }
        if (name == "number") flt.kind = FilterKind::number;
        else if (name == "percent") flt.kind = FilterKind::percent;
        else if (name == "money") flt.kind = FilterKind::money;
        else if (name == "date") flt.kind = FilterKind::date;
        else if (name == "upper") flt.kind = FilterKind::upper;
        else if (name == "lower") flt.kind = FilterKind::lower;
        else if (name == "capitalize") flt.kind = FilterKind::capitalize;
        else if (name == "roman") flt.kind = FilterKind::roman;
        else {
            static const std::vector<std::string> known = {"number", "percent", "money", "date",
                                                           "upper",  "lower",   "capitalize", "roman"};
            std::string near = detail::closest(name, known);
            error(offset, near.empty() ? tr("template-filter", "{}: unknown filter '{}'; known filters: {}", tag, name, kKnownFilters)
                                       : tr("template-filter", "{}: unknown filter '{}' (did you mean '{}'?); known filters: {}", tag,
                                            name, near, kKnownFilters));
            return false;
        }
        switch (flt.kind) {
            case FilterKind::number:
            case FilterKind::percent:
            case FilterKind::money:
                if (arg) {
                    bool digits = !arg->empty() && arg->size() <= 2 &&
                                  std::all_of(arg->begin(), arg->end(), [](char c) { return c >= '0' && c <= '9'; });
                    int d = digits ? std::stoi(*arg) : -1;
                    if (d < 0 || d > Decimal::max_scale) {
                        error(offset, tr("template-filter", "{0}: the filter '{1}' takes a count of decimals 0..{2} (e.g. {1}:2), found '{3}'",
                                         tag, name, Decimal::max_scale, *arg));
                        return false;
                    }
                    flt.digits = d;
                }
                break;
            case FilterKind::date:
                if (arg) {
                    if (*arg != "short") {
                        error(offset, tr("template-filter", "{}: the filter 'date' takes no argument or 'short' (date:short writes "
                                                            "01/4/2024), found '{}'", tag, *arg));
                        return false;
                    }
                    flt.short_date = true;
                }
                break;
            default:
                if (arg) {
                    error(offset, tr("template-filter", "{}: the filter '{}' takes no argument, found ':{}'", tag, name, *arg));
                    return false;
                }
                break;
        }
        n.filters.push_back(std::move(flt));
        return true;
    }

    std::string_view s_;
    const Origin& origin_;
    Diagnostics& diags_;
    std::optional<detail::LineIndex> lines_;
    std::vector<Open> open_;
    Template::Impl* impl_ = nullptr;
};

/// A parsed date: year, and month and day when given.
struct Ymd {
    int year = 0;
    std::optional<int> month, day;
};

std::optional<int> small_number(std::string_view s, std::size_t min_len, std::size_t max_len) {
    if (s.size() < min_len || s.size() > max_len) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

/// "2024-04-01", "2024-04", "2024" (ISO, as the document's date), or
/// "01/04/2024", "1/4/2024" (day/month/year, as Vietnamese spreadsheets write it).
std::optional<Ymd> parse_date(std::string_view s) {
    s = detail::trim(s);
    Ymd d;
    if (s.find('/') != std::string_view::npos) {
        std::size_t a = s.find('/'), b = s.find('/', a + 1);
        if (b == std::string_view::npos) return std::nullopt;
        auto day = small_number(s.substr(0, a), 1, 2);
        auto month = small_number(s.substr(a + 1, b - a - 1), 1, 2);
        auto year = small_number(s.substr(b + 1), 4, 4);
        if (!day || !month || !year) return std::nullopt;
        d.year = *year;
        d.month = month;
        d.day = day;
    } else {
        auto year = small_number(s.substr(0, 4), 4, 4);
        if (!year) return std::nullopt;
        d.year = *year;
        if (s.size() > 4) {
            if (s[4] != '-') return std::nullopt;
            std::size_t b = s.find('-', 5);
            auto month = small_number(s.substr(5, b == std::string_view::npos ? b : b - 5), 1, 2);
            if (!month) return std::nullopt;
            d.month = month;
            if (b != std::string_view::npos) {
                auto day = small_number(s.substr(b + 1), 1, 2);
                if (!day) return std::nullopt;
                d.day = day;
            }
        }
    }
    if (d.month && (*d.month < 1 || *d.month > 12)) return std::nullopt;
    if (d.day && !vntext::valid_date(d.year, *d.month, *d.day)) return std::nullopt;
    if (d.year < 1) return std::nullopt;
    return d;
}

std::string quoted(const std::string& s) {
    std::string out;
    out.reserve(s.size() + 2);
    out.append(1, '"').append(s).append(1, '"');
    return out;
}

std::string grouped(const Decimal& d) { return vntext::format_decimal_string(d.trimmed().to_plain_string()); }

}  // namespace

namespace detail {

/// The scope stack and the diagnostics of one rendering.
struct RenderState {
    struct Frame {
        const json* values;
        const std::string* source;
        bool shared;
    };

    const Context& ctx;
    Diagnostics& diags;
    std::vector<Frame> frames;
    std::vector<Expansion>* expansions = nullptr;  ///< where $each elements come from (optional)
    std::string out_pointer;                       ///< pointer of the JSON value being produced
    std::uint64_t produced = 0;                    ///< text produced so far (bytes), against the limit
    bool over = false;                             ///< the limit was reached: stop expanding

    /// Counts `bytes` of produced text; past the limit, reports once at `n` and stops the expansion.
    void grow(std::size_t bytes, const TNode& n, const std::string& file) {
        produced += bytes;
        const std::uint64_t limit = sources::limits().max_template_bytes;
        if (over || produced <= limit) return;
        over = true;
        // Reported at the outermost section being expanded: that is what multiplies the text.
        const TNode& at = open_sections.empty() ? n : *open_sections.front();
        diags.error(file, at.location,
                    tr("template-too-large", "{}the template expands to more than {} MB of text; sections inside sections repeat "
                                             "everything they hold (raise the limit with --max-template-mb)",
                       at.tag.empty() ? std::string() : at.tag + ": ", limit >> 20));
    }
    std::vector<const TNode*> open_sections;  ///< sections being expanded, outermost first


    RenderState(const Context& c, Diagnostics& d) : ctx(c), diags(d) {
        frames.reserve(c.scopes().size() + 8);
        for (const auto& s : c.scopes())
            if (s.values) frames.push_back({s.values.get(), &s.source, s.shared});
    }

    // ---- lookup -------------------------------------------------------------

    struct Found {
        const json* value = nullptr;
        const Frame* frame = nullptr;
    };

    /// The source naming the frame (or the nearest outer frame that has one).
    std::string source_of(const Frame* f) const {
        if (f && !f->source->empty()) return *f->source;
        std::size_t i = f ? static_cast<std::size_t>(f - frames.data()) : frames.size();
        while (i-- > 0)
            if (!frames[i].source->empty()) return *frames[i].source;
        return {};
    }

    static std::string in(const std::string& source) { return source.empty() ? std::string() : tx(" in {}", source); }

    std::vector<std::string> visible_names() const {
        std::vector<std::string> out;
        for (std::size_t i = frames.size(); i-- > 0;) {
            const json& v = *frames[i].values;
            if (!v.is_object()) continue;
            for (auto it = v.begin(); it != v.end(); ++it)
                if (std::find(out.begin(), out.end(), it.key()) == out.end()) out.push_back(it.key());
        }
        return out;
    }

    bool quiet_ = false;  ///< lookup() reports nothing (see lookup_quiet)
    void report(const std::string& file, const Loc& location, const Message& msg) {
        if (!quiet_) diags.error(file, location, msg);
    }

    /// Resolves `path`; on failure reports "<tag>: <why>" at `file`/`location`.
    bool lookup(const std::vector<std::string>& path, const std::string& tag, const std::string& file,
                const Loc& location, Found& out) {
        if (path.empty()) {
            if (frames.empty()) {
                report(file, location, tr("template-value", "{}: '.' names the current item, but there is none here", tag));
                return false;
            }
            out = {frames.back().values, &frames.back()};
            return true;
        }
        for (std::size_t i = frames.size(); i-- > 0;) {
            const json& v = *frames[i].values;
            if (!v.is_object()) continue;
            auto it = v.find(path[0]);
            if (it == v.end()) continue;
            if (frames[i].shared) ctx.mark_used_shared();
            const json* cur = &*it;
            std::string walked = path[0];
            for (std::size_t k = 1; k < path.size(); ++k) {
                if (!cur->is_object()) {
                    report(file, location,
                           tr("template-value", "{}: '{}'{} is {}, which has no field '{}'", tag, walked, in(source_of(&frames[i])),
                              input::json_kind(*cur), path[k]));
                    return false;
                }
                auto jt = cur->find(path[k]);
                if (jt == cur->end()) {
                    std::vector<std::string> keys;
                    for (auto kt = cur->begin(); kt != cur->end(); ++kt) keys.push_back(kt.key());
                    std::string near = detail::closest(path[k], keys);
                    const std::string where = in(source_of(&frames[i]));
                    report(file, location,
                           !near.empty()   ? tr("template-value", "{}: '{}'{} has no field '{}'; did you mean '{}'?", tag, walked, where,
                                                path[k], near)
                           : !keys.empty() ? tr("template-value", "{}: '{}'{} has no field '{}'; its fields are: {}", tag, walked, where,
                                                path[k], detail::join_names(keys))
                                           : tr("template-value", "{}: '{}'{} has no field '{}'", tag, walked, where, path[k]));
                    return false;
                }
                cur = &*jt;
                walked += "." + path[k];
            }
            out = {cur, &frames[i]};
            return true;
        }
        for (std::size_t i = frames.size(); i-- > 0;) {
            if (const std::string* why = ctx.unavailable_reason(*frames[i].values, path[0])) {
                report(file, location,
                       tr("template-value", "{}: '{}' has no value{}: {}", tag, path[0], in(source_of(&frames[i])), *why));
                return false;
            }
        }
        std::vector<std::string> names = visible_names();
        std::string near = detail::closest(path[0], names);
        const std::string where = in(source_of(nullptr));
        report(file, location,
               !near.empty()    ? tr("template-value", "{}: no value named '{}'{}; did you mean '{}'?", tag, path[0], where, near)
               : !names.empty() ? tr("template-value", "{}: no value named '{}'{}; the names available are: {}", tag, path[0], where,
                                     detail::join_names(names))
                                : tr("template-value", "{}: no value named '{}'{}", tag, path[0], where));
        return false;
    }

    // ---- text templates -----------------------------------------------------

    void render(const std::vector<TNode>& nodes, const std::string& file, std::string& out) {
        for (const TNode& n : nodes) {
            if (over) return;
            const std::size_t before = out.size();
            switch (n.kind) {
                case TNode::Kind::text:
                    out += n.text;
                    grow(out.size() - before, n, file);
                    break;
                case TNode::Kind::variable:
                    variable(n, file, out);
                    grow(out.size() - before, n, file);
                    break;
                case TNode::Kind::section:
                case TNode::Kind::inverted: section(n, file, out); break;
            }
        }
    }

    template <class Body>
    void each_item(const json& list, const Frame* where, Body&& body) {
        const std::vector<std::string>* sources = ctx.list_sources(list);
        const std::string* inherited = where ? where->source : nullptr;
        if (!inherited || inherited->empty()) {
            for (std::size_t i = frames.size(); i-- > 0;)
                if (!frames[i].source->empty()) {
                    inherited = frames[i].source;
                    break;
                }
        }
        static const std::string none;
        if (!inherited) inherited = &none;
        const bool shared = where && where->shared;
        for (std::size_t i = 0; i < list.size() && !over; ++i) {
            const json& item = list[i];
            const std::string* src = sources && i < sources->size() ? &(*sources)[i] : inherited;
            json index;
            bool with_index = !(item.is_object() && item.contains("index"));
            if (with_index) {
                index = json::object();
                index["index"] = i + 1;
                frames.push_back({&index, src, false});
            }
            frames.push_back({&item, src, shared});
            body();
            frames.pop_back();
            if (with_index) frames.pop_back();
        }
    }

    void section(const TNode& n, const std::string& file, std::string& out) {
        open_sections.push_back(&n);
        expand_section(n, file, out);
        open_sections.pop_back();
    }

    void expand_section(const TNode& n, const std::string& file, std::string& out) {
        Found f;
        if (!lookup(n.path, n.tag, file, n.location, f)) return;
        const json& v = *f.value;
        const bool truthy = is_truthy(v);
        if (n.kind == TNode::Kind::inverted) {
            if (!truthy) render(n.children, file, out);
            return;
        }
        if (!truthy) return;
        if (v.is_array()) {
            each_item(v, f.frame, [&] { render(n.children, file, out); });
            return;
        }
        frames.push_back({&v, f.frame->source, f.frame->shared});
        render(n.children, file, out);
        frames.pop_back();
    }

    void variable(const TNode& n, const std::string& file, std::string& out) {
        Found f;
        if (!lookup(n.path, n.tag, file, n.location, f)) return;
        if (auto text = value_text(n, *f.value, source_of(f.frame), file)) out += *text;
    }

    /// The value through the filters; nullopt after reporting a problem.
    std::optional<std::string> value_text(const TNode& n, const json& v, const std::string& source,
                                          const std::string& file) {
        const std::string what = "'" + n.name + "'" + in(source);
        auto fail = [&](const Message& msg) -> std::optional<std::string> {
            diags.error(file, n.location, Message{msg.code, n.tag + ": " + msg.text});
            return std::nullopt;
        };
        if (is_missing(v)) {
            if (n.path.empty())
                return fail(v.is_null() ? tr("template-value-missing", "{} is null; fill it in the data", what)
                                        : tr("template-value-missing", "{} is empty; fill it in the data", what));
            return fail(v.is_null() ? tr("template-value-missing", "{0} is null; fill it in the data or write {{#{1}}}…{{/{1}}} around "
                                                                   "the text that needs it", what, n.name)
                                    : tr("template-value-missing", "{0} is empty; fill it in the data or write {{#{1}}}…{{/{1}}} around "
                                                                   "the text that needs it", what, n.name));
        }
        std::optional<std::string> text;
        for (const Filter& flt : n.filters) {
            switch (flt.kind) {
                case FilterKind::number:
                case FilterKind::percent:
                case FilterKind::money:
                case FilterKind::roman: {
                    std::string why;
                    auto d = read_number(v, &why);
                    if (!d) return fail(tr("template-filter-value", "{} {}; the filter '{}' needs a number", what, why, flt.name));
                    try {
                        if (flt.kind == FilterKind::roman) {
                            auto k = d->to_int();
                            if (!k || *k < 1 || *k > 3999)
                                return fail(tr("template-filter-value", "{} is {}; the filter 'roman' needs a whole number from 1 to 3999",
                                               what, plain_vietnamese(*d)));
                            text = vntext::roman(static_cast<int>(*k));
                        } else if (!flt.digits) {
                            text = grouped(*d);
                        } else if (flt.kind == FilterKind::money) {
                            text = table::format_value(*d, model::ValueFormat::money, *flt.digits);
                        } else {
                            text = table::format_value(*d, model::ValueFormat::decimal, *flt.digits);
                        }
                    } catch (const DecimalOverflow&) {
                        return fail(tr("template-filter-value", "{} is too large to show with {} decimals", what,
                                       flt.digits.value_or(0)));
                    }
                    if (flt.kind == FilterKind::percent) *text += "%";
                    break;
                }
                case FilterKind::date: {
                    std::optional<Ymd> d;
                    if (v.is_string()) d = parse_date(v.get_ref<const std::string&>());
                    if (!d) {
                        std::string found = v.is_string() ? quoted(v.get<std::string>()) : std::string(input::json_kind(v));
                        return fail(tr("template-filter-value", "{} is {}, not a date; expected YYYY-MM-DD (2024-04-01) or DD/MM/YYYY "
                                                                "(01/04/2024)", what, found));
                    }
                    if (flt.short_date) {
                        if (!d->day) return fail(tr("template-filter-value", "{} is a date without a day; 'date:short' needs a full date", what));
                        text = vntext::format_day(*d->day) + "/" + vntext::format_month(*d->month) + "/" +
                               std::to_string(d->year);
                    } else {
                        if (d->day && !d->month) d->day.reset();
                        text = vntext::date_phrase(d->year, d->month, d->day);
                    }
                    break;
                }
                case FilterKind::upper:
                case FilterKind::lower:
                case FilterKind::capitalize: {
                    if (!text) {
                        text = bare(n, v, what, file);
                        if (!text) return std::nullopt;
                    }
                    if (flt.kind == FilterKind::upper) text = vntext::upper(*text);
                    else if (flt.kind == FilterKind::lower) text = vntext::lower(*text);
                    else text = vntext::capitalize_first(*text);
                    break;
                }
            }
        }
        if (!text) text = bare(n, v, what, file);
        return text;
    }

    std::optional<std::string> bare(const TNode& n, const json& v, const std::string& what, const std::string& file) {
        if (auto t = bare_text(v)) return t;
        const char* kind = input::json_kind(v);
        if (v.is_array()) {
            diags.error(file, n.location, tr("template-value-kind", "{0}: {1} is {2}; write {{#{3}}}…{{/{3}}} to repeat text for each item",
                                             n.tag, what, kind, n.name));
        } else if (v.is_object()) {
            std::string field = v.empty() ? std::string("name") : v.begin().key();
            diags.error(file, n.location, tr("template-value-kind", "{}: {} is {}; name one of its fields, e.g. {{{}.{}}}", n.tag, what,
                                             kind, n.name, field));
        } else if (v.is_boolean()) {
            diags.error(file, n.location, tr("template-value-kind", "{0}: {1} is {2}; use it as a section: {{#{3}}}…{{/{3}}}", n.tag, what,
                                             kind, n.name));
        } else {
            diags.error(file, n.location, tr("template-value-kind", "{}: {} is {}", n.tag, what, kind));
        }
        return std::nullopt;
    }

    // ---- JSON templates -----------------------------------------------------

    json string_value(const Template& t) {
        const Template::Impl& impl = *t.impl_;
        if (impl.nodes.size() == 1 && impl.nodes[0].kind == TNode::Kind::variable && impl.nodes[0].filters.empty()) {
            // A lone placeholder: a number stays a number.
            Found f;
            if (lookup_quiet(impl.nodes[0].path, f) && !is_missing(*f.value)) {
                const json& v = *f.value;
                if (v.is_array() || v.is_object() || v.is_boolean()) return v;
                if (auto num = as_json_number(v)) return *num;
            }
        }
        std::string out;
        render(impl.nodes, impl.origin.file, out);
        return out;
    }

    /// lookup() without reporting (the caller reports through the normal path).
    bool lookup_quiet(const std::vector<std::string>& path, Found& out) {
        quiet_ = true;
        bool found = lookup(path, {}, {}, {}, out);
        quiet_ = false;
        return found;
    }

    json node(const JsonTemplate::Node& n) {
        using K = JsonTemplate::Node::Kind;
        switch (n.kind) {
            case K::literal: return n.literal;
            case K::string: return string_value(n.tpl);
            case K::object: {
                json out = json::object();
                for (std::size_t i = 0; i < n.keys.size(); ++i) {
                    const std::size_t mark = out_pointer.size();
                    out_pointer += "/" + json_pointer_token(n.keys[i]);
                    out[n.keys[i]] = node(n.children[i]);
                    out_pointer.resize(mark);
                }
                return out;
            }
            case K::array: {
                json out = json::array();
                for (const auto& c : n.children) {
                    if (c.kind == K::each) {
                        expand(c, out);
                    } else {
                        const std::size_t mark = out_pointer.size();
                        out_pointer += "/" + std::to_string(out.size());
                        out.push_back(node(c));
                        out_pointer.resize(mark);
                    }
                }
                return out;
            }
            case K::each: {
                json out = json::array();
                expand(n, out);
                return out;
            }
        }
        return nullptr;
    }

    void expand(const JsonTemplate::Node& n, json& out) {
        const std::string tag = "\"$each\": \"" + n.name + "\"";
        const std::string where = n.pointer + "/$each";
        Found f;
        if (!lookup(n.path, tag, n.file, where, f)) return;
        if (!f.value->is_array()) {
            diags.error(n.file, where,
                        tr("template-each", "{}: '{}'{} is {}, expected a list to repeat \"$item\" for each of its items", tag, n.name,
                           in(source_of(f.frame)), input::json_kind(*f.value)));
            return;
        }
        each_item(*f.value, f.frame, [&] {
            const std::size_t mark = out_pointer.size();
            out_pointer += "/" + std::to_string(out.size());
            if (expansions) expansions->push_back({out_pointer, n.pointer + "/$item", *frames.back().source});
            out.push_back(node(n.children[0]));
            out_pointer.resize(mark);
        });
    }
};

}  // namespace detail

// ---- Template ---------------------------------------------------------------

Template Template::compile(std::string_view text, const Origin& origin, Diagnostics& diags) {
    Template t;
    t.impl_ = std::make_shared<const Impl>(Compiler(text, origin, diags).run());
    return t;
}

bool Template::has_tags() const { return impl_ && impl_->tags; }

std::string Template::render(const Context& ctx, Diagnostics& diags) const {
    std::string out;
    if (!impl_) return out;
    detail::RenderState st(ctx, diags);
    st.render(impl_->nodes, impl_->origin.file, out);
    return out;
}

json Template::render_json(const Context& ctx, Diagnostics& diags) const {
    if (!impl_) return "";
    detail::RenderState st(ctx, diags);
    return st.string_value(*this);
}

namespace {

void collect(const std::vector<TNode>& nodes, std::vector<std::string>& out) {
    for (const auto& n : nodes) {
        if (n.kind != TNode::Kind::text && !n.path.empty() &&
            std::find(out.begin(), out.end(), n.name) == out.end())
            out.push_back(n.name);
        collect(n.children, out);
    }
}

void collect(const JsonTemplate::Node& n, std::vector<std::string>& out) {
    if (n.kind == JsonTemplate::Node::Kind::string) {
        for (auto& name : n.tpl.references())
            if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    if (n.kind == JsonTemplate::Node::Kind::each && std::find(out.begin(), out.end(), n.name) == out.end())
        out.push_back(n.name);
    for (const auto& c : n.children) collect(c, out);
}

}  // namespace

std::vector<std::string> Template::references() const {
    std::vector<std::string> out;
    if (impl_) collect(impl_->nodes, out);
    return out;
}

// ---- JsonTemplate -----------------------------------------------------------

namespace {

class JsonCompiler {
public:
    JsonCompiler(const std::string& file, Diagnostics& diags) : file_(file), diags_(diags) {}

    JsonTemplate::Node compile(const json& j, const std::string& ptr, bool top) {
        using K = JsonTemplate::Node::Kind;
        JsonTemplate::Node n;
        if (j.is_string()) {
            const std::string& s = j.get_ref<const std::string&>();
            if (s.find("{{") == std::string::npos) {
                n.literal = j;
                return n;
            }
            n.kind = K::string;
            n.tpl = Template::compile(s, Origin{file_, ptr}, diags_);
            return n;
        }
        if (j.is_object()) {
            if (j.contains("$each")) {
                diags_.error(file_, ptr + "/$each",
                             tr("template-each", "\"$each\" expands into the elements of an array; put this object inside an array "
                                                 "([{\"$each\": \"rows\", \"$item\": {…}}])"));
            }
            n.kind = K::object;
            bool all_literal = true;
            for (auto it = j.begin(); it != j.end(); ++it) {
                if (top && it.key() == "template") continue;
                n.keys.push_back(it.key());
                n.children.push_back(compile(it.value(), ptr + "/" + json_pointer_token(it.key()), false));
                all_literal = all_literal && n.children.back().kind == K::literal;
            }
            if (all_literal) return literal(j, top);
            return n;
        }
        if (j.is_array()) {
            n.kind = K::array;
            bool all_literal = true;
            for (std::size_t i = 0; i < j.size(); ++i) {
                std::string p = ptr + "/" + std::to_string(i);
                if (j[i].is_object() && j[i].contains("$each")) n.children.push_back(each(j[i], p));
                else n.children.push_back(compile(j[i], p, false));
                all_literal = all_literal && n.children.back().kind == K::literal;
            }
            if (all_literal) return literal(j, false);
            return n;
        }
        n.literal = j;
        return n;
    }

private:
    static JsonTemplate::Node literal(const json& j, bool top) {
        JsonTemplate::Node n;
        n.literal = j;
        if (top && n.literal.is_object()) n.literal.erase("template");
        return n;
    }

    JsonTemplate::Node each(const json& j, const std::string& ptr) {
        JsonTemplate::Node n;
        n.kind = JsonTemplate::Node::Kind::each;
        n.pointer = ptr;
        n.file = file_;
        for (auto it = j.begin(); it != j.end(); ++it)
            if (it.key() != "$each" && it.key() != "$item")
                diags_.error(file_, ptr + "/" + json_pointer_token(it.key()),
                             tr("template-each", "unexpected member \"{}\" beside \"$each\"; expected only \"$each\" (the list's name) "
                                                 "and \"$item\" (the element to repeat)", it.key()));
        const json& name = j["$each"];
        std::optional<std::vector<std::string>> path;
        if (name.is_string()) path = split_name(name.get_ref<const std::string&>());
        if (!path || path->empty()) {
            diags_.error(file_, ptr + "/$each",
                         tr("template-each", "expected the name of a list, such as \"rows\", found {}",
                            name.is_string() ? quoted(name.get<std::string>()) : std::string(input::json_kind(name))));
            n.kind = JsonTemplate::Node::Kind::literal;
            n.literal = json::array();
            n.children.clear();
            return n;
        }
        n.path = std::move(*path);
        n.name = name.get<std::string>();
        if (!j.contains("$item")) {
            diags_.error(file_, ptr, tr("template-each", "\"$each\" needs \"$item\": the element to repeat for each item of '{}'", n.name));
            n.children.push_back(literal(json::object(), false));
        } else {
            n.children.push_back(compile(j["$item"], ptr + "/$item", false));
        }
        return n;
    }

    const std::string& file_;
    Diagnostics& diags_;
};

}  // namespace

JsonTemplate JsonTemplate::compile(const json& tree, const std::string& file, Diagnostics& diags) {
    JsonTemplate t;
    t.root_ = std::make_shared<const Node>(JsonCompiler(file, diags).compile(tree, "", true));
    return t;
}

json JsonTemplate::render(const Context& ctx, Diagnostics& diags, std::vector<Expansion>* expansions) const {
    if (!root_) return nullptr;
    detail::RenderState st(ctx, diags);
    st.expansions = expansions;
    return st.node(*root_);
}

std::vector<std::string> JsonTemplate::references() const {
    std::vector<std::string> out;
    if (root_) collect(*root_, out);
    return out;
}

// ---- one-call forms -----------------------------------------------------------

void bind_json(json& tree, const Context& ctx, const std::string& file, Diagnostics& diags,
               std::vector<Expansion>* expansions) {
    JsonTemplate t = JsonTemplate::compile(tree, file, diags);
    tree = t.render(ctx, diags, expansions);
}

void locate_in_template(Diagnostics& diags, const std::string& file, const std::vector<Expansion>& expansions) {
    Diagnostics out;
    for (Diagnostic d : diags.items()) {
        if (d.file == file) {
            // The deepest expansion whose pointer is a prefix of the location.
            const Expansion* best = nullptr;
            for (const auto& e : expansions)
                if (!d.at.is_text() && pointer_within(d.at.pointer, e.pointer) &&
                    (!best || e.pointer.size() > best->pointer.size()))
                    best = &e;
            if (best) {
                d.at.pointer = best->template_pointer + d.at.pointer.substr(best->pointer.size());
                if (!best->source.empty()) d.message += tx(" (data record {})", best->source);
            }
        }
        out.add(std::move(d));
    }
    diags = std::move(out);
}

std::string bind_text(std::string_view text, const std::string& file, const Context& ctx, Diagnostics& diags) {
    return Template::compile(text, Origin{file, ""}, diags).render(ctx, diags);
}

std::string bind_string(std::string_view text, const Origin& origin, const Context& ctx, Diagnostics& diags) {
    return Template::compile(text, origin, diags).render(ctx, diags);
}

}  // namespace vanban::bind

#include "resolve/table_refs.hpp"

#include <algorithm>

#include "vntext/vntext.hpp"

namespace vanban::resolve {

namespace {

std::string trim(std::string_view s) {
    std::size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

/// 1-based annex number from "2" or "II"; 0 when neither.
int annex_number(const std::string& s) {
    if (s.empty()) return 0;
    if (s.find_first_not_of("0123456789") == std::string::npos) return s.size() < 4 ? std::stoi(s) : 0;
    for (int n = 1; n <= 50; ++n)
        if (vntext::roman(n) == vntext::upper(s)) return n;
    return 0;
}

std::string table_name(const table::ResolvedTable& t, int n) {
    std::string name = t.label.empty() ? "annex " + std::to_string(n) : t.label;
    return name + " (\"" + vntext::upper(t.title) + "\")";
}

}  // namespace

std::optional<Decimal> parse_vn_number(std::string_view text) {
    std::string s = trim(text), plain;
    if (s.empty()) return std::nullopt;
    std::size_t i = 0;
    if (s[0] == '-' || s[0] == '+') plain += s[i++];
    // Integer part: digits, optionally grouped by '.' in threes.
    std::size_t start = i, group = 0;
    bool grouped = false;
    for (; i < s.size() && s[i] != ','; ++i) {
        if (s[i] == '.') {
            if (i == start || (grouped && group != 3) || (!grouped && group > 3)) return std::nullopt;
            grouped = true;
            group = 0;
        } else if (s[i] >= '0' && s[i] <= '9') {
            plain += s[i];
            ++group;
        } else {
            return std::nullopt;
        }
    }
    if (group == 0 || (grouped && group != 3)) return std::nullopt;
    if (i < s.size()) {
        plain += '.';
        if (++i == s.size()) return std::nullopt;
        for (; i < s.size(); ++i) {
            if (s[i] < '0' || s[i] > '9') return std::nullopt;
            plain += s[i];
        }
    }
    return Decimal::parse(plain);
}

void resolve_table_refs(model::Document& doc, const std::vector<table::ResolvedTable>& tables, Diagnostics& diags) {
    for (auto& block : doc.body) {
        for (auto& span : block.text) {
            std::string& text = span.text;
            std::size_t pos = 0;
            while ((pos = text.find("[[", pos)) != std::string::npos) {
                std::size_t end = text.find("]]", pos + 2);
                const TextPos where{block.line, 0};
                if (end == std::string::npos) {
                    diags.error(doc.body_file, where,
                                "unclosed table reference \"" + text.substr(pos, 40) + "\": expected \"[[annex:row:column]]\"");
                    break;
                }
                const std::string ref = text.substr(pos, end + 2 - pos);
                std::string inner = text.substr(pos + 2, end - pos - 2);
                std::optional<std::string> stated;
                if (auto eq = inner.find('='); eq != std::string::npos) {
                    stated = trim(inner.substr(eq + 1));
                    inner = inner.substr(0, eq);
                }
                std::vector<std::string> parts;
                for (std::size_t a = 0;;) {
                    std::size_t b = inner.find(':', a);
                    parts.push_back(trim(inner.substr(a, b == std::string::npos ? std::string::npos : b - a)));
                    if (b == std::string::npos) break;
                    a = b + 1;
                }
                std::string replacement = ref;
                auto fail = [&](const std::string& msg) { diags.error(doc.body_file, where, "table reference " + ref + ": " + msg); };
                if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) {
                    fail("expected [[annex:row:column]] or [[annex:row:column = stated value]], e.g. [[I:total:c5]]");
                } else if (int n = annex_number(parts[0]); n < 1 || n > int(tables.size())) {
                    fail("no annex \"" + parts[0] + "\"; the document has " + std::to_string(tables.size()) +
                         " annex table(s), numbered 1.." + std::to_string(tables.size()) + " (or I, II, …)");
                } else {
                    const auto& t = tables[std::size_t(n - 1)];
                    int col = -1;
                    std::string keys;
                    for (std::size_t c = 0; c < t.columns.size(); ++c) {
                        if (t.columns[c].key == parts[2]) col = int(c);
                        keys += (keys.empty() ? "" : ", ") + t.columns[c].key;
                    }
                    const table::ResolvedRow* row = nullptr;
                    const std::string want = vntext::lower(parts[1]);
                    for (const auto& r : t.rows) {
                        const bool match =
                            want == "total" ? r.kind == table::RowKind::total
                                            : std::any_of(r.cells.begin(), r.cells.end(), [&](const table::Cell& c) {
                                                  return !c.text.empty() && vntext::lower(c.text) == want;
                                              });
                        if (match) {
                            row = &r;
                            break;
                        }
                    }
                    if (col < 0) {
                        fail("no column \"" + parts[2] + "\" in " + table_name(t, n) + "; its columns are " + keys);
                    } else if (!row) {
                        fail("no row \"" + parts[1] + "\" in " + table_name(t, n) +
                             "; name a row by the text of one of its cells, or \"total\"");
                    } else {
                        const auto& cell = row->cells[std::size_t(col)];
                        replacement = cell.text.empty() ? "" : cell.text;
                        if (cell.text.empty()) fail("the cell " + parts[1] + " / " + parts[2] + " of " + table_name(t, n) + " is blank");
                        if (stated) {
                            auto sv = parse_vn_number(*stated);
                            if (!sv) {
                                fail("the stated value \"" + *stated +
                                     "\" is not a number in Vietnamese notation (e.g. \"2.319,6\", \"41,99\")");
                            } else if (!cell.value) {
                                fail("the cell holds \"" + cell.text + "\", not a number, but the text states " + *stated);
                            } else if (cell.value->round(sv->scale()) != *sv) {
                                fail("the text states " + *stated + " but " + table_name(t, n) + " computes " + cell.text +
                                     " (row \"" + parts[1] + "\", column " + parts[2] + ")");
                            }
                            replacement = *stated;
                        }
                    }
                }
                text.replace(pos, end + 2 - pos, replacement);
                pos += replacement.size();
            }
        }
    }
}

}  // namespace vanban::resolve

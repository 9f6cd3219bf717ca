#include "resolve/table_refs.hpp"

#include <algorithm>

#include "table/engine.hpp"
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
    std::string name = t.label.empty() ? tx("annex {}", n) : t.label;
    return name + " (\"" + vntext::upper(t.title) + "\")";
}

/// The names a row answers to, lower case: the text of each of its text
/// cells (the TT number included) and, for a text such as "Dự án 3: Hỗ trợ
/// phát triển sản xuất", its short name before ": " as well; "#id"; and
/// "total" for the total row.
std::vector<std::string> names_of(const table::ResolvedTable& t, int r) {
    std::vector<std::string> out;
    const auto& row = t.rows[std::size_t(r)];
    for (std::size_t c = 0; c < row.cells.size() && c < t.columns.size(); ++c)
        if (t.columns[c].format == model::ValueFormat::text && !row.cells[c].text.empty()) {
            std::string name = vntext::lower(trim(row.cells[c].text));
            if (auto colon = name.find(": "); colon != std::string::npos && colon > 0)
                out.push_back(trim(std::string_view(name).substr(0, colon)));
            out.push_back(std::move(name));
        }
    if (!row.id.empty()) out.push_back("#" + vntext::lower(row.id));
    if (row.kind == table::RowKind::total) out.push_back("total");
    return out;
}

/// When `path` ends with the segment `name` after a "/", sets `rest` to what
/// precedes the "/" (spaces around it ignored).
bool ends_with_segment(const std::string& path, const std::string& name, std::string& rest) {
    if (name.empty() || path.size() <= name.size() || path.compare(path.size() - name.size(), name.size(), name) != 0)
        return false;
    std::size_t i = path.size() - name.size();
    while (i > 0 && path[i - 1] == ' ') --i;
    if (i == 0 || path[i - 1] != '/') return false;
    rest = trim(std::string_view(path).substr(0, i - 1));
    return !rest.empty();
}

/// `path` names ancestors of a row, innermost last, starting the search at row `a`.
bool ancestors_match(const table::ResolvedTable& t, const std::string& path, int a) {
    for (int x = a; x >= 0; x = t.rows[std::size_t(x)].parent) {
        for (const auto& n : names_of(t, x)) {
            std::string rest;
            if (path == n) return true;
            if (ends_with_segment(path, n, rest) && ancestors_match(t, rest, t.rows[std::size_t(x)].parent)) return true;
        }
    }
    return false;
}

bool row_matches(const table::ResolvedTable& t, const std::string& path, int r) {
    for (const auto& n : names_of(t, r)) {
        std::string rest;
        if (path == n) return true;
        if (ends_with_segment(path, n, rest) && ancestors_match(t, rest, t.rows[std::size_t(r)].parent)) return true;
    }
    return false;
}

/// The name a row prints: its first text cell other than the TT number.
std::string row_label(const table::ResolvedTable& t, int r) {
    const auto& row = t.rows[std::size_t(r)];
    if (row.kind == table::RowKind::total) return "total";
    for (std::size_t c = 0; c < row.cells.size() && c < t.columns.size(); ++c)
        if (t.columns[c].format == model::ValueFormat::text && !t.columns[c].numbering && !row.cells[c].text.empty())
            return row.cells[c].text;
    for (std::size_t c = 0; c < row.cells.size() && c < t.columns.size(); ++c)
        if (t.columns[c].numbering && !row.cells[c].text.empty()) return row.cells[c].text;
    return "row " + std::to_string(r + 1);
}

std::string row_place(const table::ResolvedTable& t, int r) {
    std::string where = t.source_file;
    const std::string& p = t.rows[std::size_t(r)].pointer;
    if (!p.empty()) where += (where.empty() ? "" : ":") + p;
    return where;
}

}  // namespace

std::string row_path(const table::ResolvedTable& t, int row) {
    std::string path = row_label(t, row);
    for (int a = t.rows[std::size_t(row)].parent; a >= 0; a = t.rows[std::size_t(a)].parent)
        path = row_label(t, a) + "/" + path;
    return path;
}

std::optional<CellRef> find_cell(const std::string& ref, const std::vector<table::ResolvedTable>& tables,
                                 std::string& error) {
    const std::size_t first = ref.find(':'), last = ref.rfind(':');
    const std::string syntax = tx("expected [[annex:row:column]] or [[annex:row:column = stated value]], e.g. [[I:total:c5]]");
    if (first == std::string::npos || first == last) {
        error = syntax;
        return std::nullopt;
    }
    const std::string annex = trim(std::string_view(ref).substr(0, first));
    const std::string row = trim(std::string_view(ref).substr(first + 1, last - first - 1));
    const std::string column = trim(std::string_view(ref).substr(last + 1));
    if (annex.empty() || row.empty() || column.empty()) {
        error = syntax;
        return std::nullopt;
    }
    const int n = annex_number(annex);
    if (tables.empty()) {
        error = tx("the document has no annex tables; add the annex, or write the figure itself");
        return std::nullopt;
    }
    if (n < 1 || n > int(tables.size())) {
        error = tx("no annex \"{0}\"; the document has {1} annex table(s), numbered 1..{1} (or I, II, …)", annex, tables.size());
        return std::nullopt;
    }
    const auto& t = tables[std::size_t(n - 1)];
    if (t.columns.empty()) {  // the annex could not be read: reported already
        error.clear();
        return std::nullopt;
    }
    CellRef out{n - 1, -1, -1};
    std::string keys;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        if (t.columns[c].key == column) out.col = int(c);
        keys += (keys.empty() ? "" : ", ") + t.columns[c].key;
    }
    const std::string want = vntext::lower(row);
    std::vector<int> found;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        bool match = want == "total" ? t.rows[r].kind == table::RowKind::total : row_matches(t, want, int(r));
        if (match) found.push_back(int(r));
    }
    if (out.col < 0) {
        error = tx("no column \"{}\" in {}; its columns are {}", column, table_name(t, n), keys);
        return std::nullopt;
    }
    if (found.empty()) {
        error = tx("no row \"{}\" in {}; name a row by the text of one of its cells, by its path through its groups "
                   "(\"Dự án 4/Tiểu dự án 1\"), by \"#\" and its id, or \"total\"",
                   row, table_name(t, n));
        return std::nullopt;
    }
    if (found.size() > 1) {
        std::string list;
        for (std::size_t i = 0; i < found.size(); ++i) {
            if (i == 6) {
                list += ", … " + tx("({} in all)", found.size());
                break;
            }
            list += std::string(i ? ", " : "") + "\"" + row_path(t, found[i]) + "\"";
            if (!t.rows[std::size_t(found[i])].id.empty()) list += " (#" + t.rows[std::size_t(found[i])].id + ")";
        }
        error = tx("\"{}\" names {} rows of {}: {}; write the path of the one you mean (e.g. {}) or its \"#id\"", row, found.size(),
                   table_name(t, n), list, "[[" + annex + ":" + row_path(t, found[1]) + ":" + column + "]]");
        return std::nullopt;
    }
    out.row = found[0];
    // A group whose subtotals sit on a separate "Cộng" row: that row holds the figure.
    const auto& hit = t.rows[std::size_t(out.row)];
    if (hit.kind == table::RowKind::group && hit.cells[std::size_t(out.col)].text.empty())
        for (std::size_t r = std::size_t(out.row) + 1; r < t.rows.size(); ++r)
            if (t.rows[r].kind == table::RowKind::subtotal && t.rows[r].parent == out.row) {
                out.row = int(r);
                break;
            }
    return out;
}

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

std::string resolve_refs_in(const std::string& input, const std::vector<table::ResolvedTable>& tables,
                            const std::string& file, const Loc& where, Diagnostics& diags) {
    std::string text = input;
    std::size_t pos = 0;
    while ((pos = text.find("[[", pos)) != std::string::npos) {
        std::size_t end = text.find("]]", pos + 2);
        if (end == std::string::npos) {
            diags.error(file, where,
                        tr("table-reference", "unclosed table reference \"{}\": expected \"[[annex:row:column]]\"", text.substr(pos, 40)));
            break;
        }
        const std::string ref = text.substr(pos, end + 2 - pos);
        std::string inner = text.substr(pos + 2, end - pos - 2);
        std::optional<std::string> stated;
        // The stated value follows the column key, after the last ':'.
        const std::size_t last = inner.rfind(':');
        if (auto eq = inner.find('=', last == std::string::npos ? 0 : last); eq != std::string::npos) {
            stated = trim(std::string_view(inner).substr(eq + 1));
            inner = inner.substr(0, eq);
        }
        std::string replacement = ref;
        auto fail = [&](const std::string& msg) { diags.error(file, where, tr("table-reference", "table reference {}: {}", ref, msg)); };
        std::string why;
        auto found = find_cell(inner, tables, why);
        if (!found) {
            if (!why.empty()) fail(why);
        } else {
            const auto& t = tables[std::size_t(found->annex)];
            const int n = found->annex + 1;
            const auto& cell = t.rows[std::size_t(found->row)].cells[std::size_t(found->col)];
            const std::string row_name = row_path(t, found->row);
            const std::string& key = t.columns[std::size_t(found->col)].key;
            std::optional<Decimal> sv;
            if (stated) {
                sv = parse_vn_number(*stated);
                if (!sv)
                    fail(tx("the stated value \"{}\" is not a number in Vietnamese notation (e.g. \"2.319,6\", \"41,99\")", *stated));
            }
            if (cell.unsound) {
                replacement = stated ? *stated : cell.text;  // the table's own error says why
            } else if (cell.unknown) {
                if (stated) {
                    replacement = *stated;
                    if (sv)
                        diags.warning(file, where, tr("table-reference", "table reference {}: {}", ref,
                                                      tx("the cell (row \"{}\", column {}) of {} is not known (null), so the stated {} is printed unchecked",
                                                         row_name, key, table_name(t, n), *stated)));
                } else {
                    fail(tx("the cell (row \"{}\", column {}) of {} is not known (null in the table); a figure that is not known cannot be "
                            "quoted: fill in the table, or state the figure ([[… = value]])",
                            row_name, key, table_name(t, n)));
                }
            } else {
                replacement = cell.text;
                if (cell.text.empty())
                    fail(tx("the cell {} / {} of {} is blank", row_name, key, table_name(t, n)));
                if (stated) {
                    if (!sv) {
                    } else if (!cell.value) {
                        fail(tx("the cell holds \"{}\", not a number, but the text states {}", cell.text, *stated));
                    } else if (cell.value->round(sv->scale()) != *sv) {
                        fail(tx("the text states {} but {} computes {} (row \"{}\", column {})", *stated, table_name(t, n), cell.text,
                                row_name, key));
                    }
                    replacement = *stated;
                }
            }
        }
        text.replace(pos, end + 2 - pos, replacement);
        pos += replacement.size();
    }
    return text;
}

void resolve_table_refs(model::Document& doc, const std::vector<table::ResolvedTable>& tables, Diagnostics& diags) {
    for (auto& block : doc.body)
        for (auto& span : block.text)
            if (span.text.find("[[") != std::string::npos)
                span.text = resolve_refs_in(span.text, tables, doc.body_file, TextPos{block.line, 0}, diags);
}

void resolve_annex_text_refs(std::vector<table::ResolvedTable>& tables, Diagnostics& diags) {
    for (auto& t : tables) {
        auto one = [&](std::string& s, const std::string& member) {
            if (s.find("[[") != std::string::npos) s = resolve_refs_in(s, tables, t.source_file, t.pointer + member, diags);
        };
        one(t.title, "/title");
        if (t.caption) one(*t.caption, "/caption");
        for (std::size_t i = 0; i < t.subtitle.size(); ++i) one(t.subtitle[i], "/subtitle/" + std::to_string(i));
        for (std::size_t i = 0; i < t.notes.size(); ++i) one(t.notes[i], "/notes/" + std::to_string(i));
    }
}

void check_cross_tables(const std::vector<table::ResolvedTable>& tables, Diagnostics& diags) {
    for (std::size_t ti = 0; ti < tables.size(); ++ti) {
        const auto& t = tables[ti];
        for (const auto& ch : t.checks) {
            const auto& cell = t.rows[std::size_t(ch.row)].cells[std::size_t(ch.col)];
            const auto& col = t.columns[std::size_t(ch.col)];
            const std::string self = tx("{}, row \"{}\", column {}", table_name(t, int(ti) + 1), row_path(t, ch.row), col.key);
            auto fail = [&](const Message& msg) { diags.error(t.source_file, ch.pointer, Message{msg.code, self + ": " + msg.text}); };
            if (cell.unsound) continue;
            Decimal sum;
            std::string parts;
            bool ok = true, unknown = cell.unknown;
            for (const auto& raw : ch.refs) {
                std::string ref = trim(raw);
                if (ref.size() >= 4 && ref.rfind("[[", 0) == 0 && ref.compare(ref.size() - 2, 2, "]]") == 0)
                    ref = trim(std::string_view(ref).substr(2, ref.size() - 4));
                std::string why;
                auto found = find_cell(ref, tables, why);
                if (!found) {
                    if (!why.empty()) fail(tr("equals-reference", "\"equals\": {}: {}", raw, why));
                    ok = false;
                    continue;
                }
                const auto& ot = tables[std::size_t(found->annex)];
                const auto& oc = ot.rows[std::size_t(found->row)].cells[std::size_t(found->col)];
                if (oc.unsound) {
                    ok = false;
                    continue;
                }
                std::string desc = tx("{}, row \"{}\", column {} ({})", table_name(ot, found->annex + 1), row_path(ot, found->row),
                                      ot.columns[std::size_t(found->col)].key, row_place(ot, found->row));
                if (oc.unknown) {
                    unknown = true;
                } else if (!oc.value) {
                    fail(tr("equals-not-number", "\"equals\": {} names a cell without a number (\"{}\"): {}", raw, oc.text, desc));
                    ok = false;
                    continue;
                } else {
                    sum += *oc.value;
                    desc += tx(", which is {}", oc.text);
                }
                parts += (parts.empty() ? "" : " + ") + desc;
            }
            if (!ok) continue;
            if (unknown) {
                diags.warning(t.source_file, ch.pointer,
                              tr("equals-unknown", "{}: not checked against {}: a cell on one side is not known (null)", self, parts));
                continue;
            }
            if (!cell.value) {
                fail(tr("equals-not-number", "\"equals\" needs a number in this cell, found \"{}\"", cell.text));
                continue;
            }
            const int digits = col.decimals;
            if (sum.round(digits) == cell.value->round(digits)) continue;
            if (ch.refs.size() > 1)
                fail(tr("equals-mismatch", "{} must equal the sum of {}; their sum is {} (this cell: {})", cell.text, parts,
                        table::format_value(sum, col.format, col.decimals), row_place(t, ch.row)));
            else
                fail(tr("equals-mismatch", "{} must equal {} (this cell: {})", cell.text, parts, row_place(t, ch.row)));
        }
    }
}

}  // namespace vanban::resolve

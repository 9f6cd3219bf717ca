#include "import/table.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <regex>
#include <set>

#include "core/decimal.hpp"
#include "import/text.hpp"
#include "vntext/vntext.hpp"

namespace vanban::import {

using json = nlohmann::ordered_json;

std::optional<std::string> parse_vn_number(const std::string& text, int* decimals) {
    static const std::regex grouped(R"(^(-?)([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?$)");
    std::smatch m;
    std::string t = squash(text);
    if (!std::regex_match(t, m, grouped)) return std::nullopt;
    std::string digits = replace_all(m[2], ".", "");
    std::string out = m[1].str() + digits;
    if (m[3].matched) out += "." + m[3].str();
    if (decimals) *decimals = m[3].matched ? int(m[3].length()) : 0;
    return out;
}

namespace {

struct Origin {
    int row = 0, col = 0, rowspan = 1, colspan = 1;
    std::string text;  ///< paragraphs joined by '\n' (header) — body text is squashed
    bool bold = false;
    std::string align;
};

std::string cell_text(const Cell& c) {
    std::string s;
    for (const auto& p : c.paras) {
        std::string t;
        for (const auto& line : split(p.text(), '\n')) {
            std::string q = squash(line);
            if (!q.empty()) t += (t.empty() ? "" : "\n") + q;
        }
        if (!t.empty()) s += (s.empty() ? "" : "\n") + t;
    }
    return s;
}

bool cell_bold(const Cell& c) {
    bool any = false;
    for (const auto& p : c.paras) {
        if (p.blank()) continue;
        if (!p.all_bold()) return false;
        any = true;
    }
    return any;
}

bool is_label_text(const std::string& t) {
    static const std::regex re(R"(^([A-Z]|\(?[0-9]+\)?|\(?[0-9]+\)?\s*=.+)$)");
    return std::regex_match(t, re);
}

/// "-" (or an en or em dash) alone in a cell: a figure the table does not give.
bool is_dash(const std::string& t) { return t == "-" || t == "\u2013" || t == "\u2014"; }

bool is_roman(const std::string& t) {
    static const std::regex re(R"(^[IVXL]+$)");
    return !t.empty() && std::regex_match(t, re);
}

/// An exact value scaled to `scale` digits (for sums).
long long scaled(const std::string& plain, int scale) {
    auto d = Decimal::parse(plain);
    if (!d) return 0;
    std::string s = d->round(scale).to_plain_string();
    bool neg = !s.empty() && s[0] == '-';
    if (neg) s = s.substr(1);
    auto dot = s.find('.');
    std::string ip = dot == std::string::npos ? s : s.substr(0, dot);
    std::string fp = dot == std::string::npos ? "" : s.substr(dot + 1);
    fp.resize(std::size_t(scale), '0');
    long long v = std::stoll(ip + fp);
    return neg ? -v : v;
}

json number_json(const std::string& plain) {
    if (plain.find('.') == std::string::npos && plain.size() < 16) return json(std::stoll(plain));
    return json(plain);
}

}  // namespace

TableImport import_table(const Table& t, const std::string& file, Diagnostics& warnings) {
    TableImport out;
    const int nrows = int(t.rows.size());
    int ncols = int(t.grid.size());
    for (const auto& r : t.rows) {
        int w = 0;
        for (const auto& c : r.cells) w += c.span;
        ncols = std::max(ncols, w);
    }
    std::vector<Origin> origins;
    std::vector<std::vector<int>> own(std::size_t(nrows), std::vector<int>(std::size_t(ncols), -1));
    for (int r = 0; r < nrows; ++r) {
        int c = 0;
        for (const auto& cell : t.rows[std::size_t(r)].cells) {
            if (c >= ncols) break;
            int o;
            if (cell.vmerge == 2 && r > 0 && own[std::size_t(r - 1)][std::size_t(c)] >= 0) {
                o = own[std::size_t(r - 1)][std::size_t(c)];
                origins[std::size_t(o)].rowspan = r - origins[std::size_t(o)].row + 1;
            } else {
                Origin og;
                og.row = r;
                og.col = c;
                og.colspan = std::min(cell.span, ncols - c);
                og.text = cell_text(cell);
                og.bold = cell_bold(cell);
                for (const auto& p : cell.paras)
                    if (!p.blank()) {
                        og.align = p.align;
                        break;
                    }
                origins.push_back(og);
                o = int(origins.size()) - 1;
            }
            for (int k = c; k < c + cell.span && k < ncols; ++k) own[std::size_t(r)][std::size_t(k)] = o;
            c += cell.span;
        }
    }
    auto at = [&](int r, int c) -> const Origin* {
        int o = own[std::size_t(r)][std::size_t(c)];
        if (o < 0) return nullptr;
        const Origin& og = origins[std::size_t(o)];
        return og.row == r && og.col == c ? &og : nullptr;
    };
    auto text_at = [&](int r, int c) {
        const Origin* o = at(r, c);
        return o ? squash(o->text) : std::string();
    };
    auto label_row = [&](int r) {
        if (r < 0 || r >= nrows) return false;
        int filled = 0;
        for (int c = 0; c < ncols; ++c) {
            int o = own[std::size_t(r)][std::size_t(c)];
            if (o < 0) continue;
            const Origin& og = origins[std::size_t(o)];
            if (og.rowspan != 1 || og.row != r) return false;
            std::string tx = squash(og.text);
            if (tx.empty()) continue;
            if (!is_label_text(tx)) return false;
            ++filled;
        }
        return filled * 2 >= ncols && filled > 0;
    };

    // Header rows and the label row.
    int H = 0;
    while (H < nrows && t.rows[std::size_t(H)].header) ++H;
    int labels = -1;
    if (H > 0 && label_row(H - 1) && H > 1) labels = --H;
    if (H == 0) {
        for (int r = 1; r < std::min(nrows, 6); ++r)
            if (label_row(r)) {
                H = r;
                labels = r;
                break;
            }
    }
    if (H == 0) {
        H = 1;
        for (int c = 0; c < ncols; ++c)
            if (int o = own[0][std::size_t(c)]; o >= 0) H = std::max(H, origins[std::size_t(o)].rowspan);
        H = std::min(H, nrows);
    }
    if (labels < 0 && label_row(H)) labels = H;
    const int body_start = H + (labels >= 0 ? 1 : 0);

    // Keys: "tt" for the numbering column, c1 … cN for the others.
    std::vector<std::string> header_of(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
        int o = own[std::size_t(H - 1)][std::size_t(c)];
        if (o >= 0 && origins[std::size_t(o)].colspan == 1) header_of[std::size_t(c)] = origins[std::size_t(o)].text;
    }
    std::string h0 = vntext::upper(squash(header_of[0]));
    bool numbering = h0 == "TT" || h0 == "STT" || h0 == "SỐ TT";
    std::vector<std::string> keys(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) keys[std::size_t(c)] = c == 0 && numbering ? "tt" : "c" + std::to_string(c + 1);

    // Body rows and what they are.
    enum class Kind { data, total, group, subtotal, subgroup };
    std::vector<int> body;
    for (int r = body_start; r < nrows; ++r) body.push_back(r);
    std::vector<Kind> kind(body.size(), Kind::data);
    auto row_label = [&](int r) {
        for (int c = numbering ? 1 : 0; c < ncols; ++c) {
            std::string s = text_at(r, c);
            if (!s.empty() && !parse_vn_number(s)) return s;
        }
        return std::string();
    };
    auto totalish = [&](const std::string& s) {
        std::string l = vntext::lower(s);
        return l.rfind("tổng", 0) == 0 || l.rfind("toàn", 0) == 0 || l.rfind("cộng", 0) == 0;
    };
    int total_index = -1;
    if (!body.empty() && totalish(row_label(body.front())) && vntext::lower(row_label(body.front())) != "cộng") total_index = 0;
    else if (body.size() > 1 && totalish(row_label(body.back()))) total_index = int(body.size()) - 1;
    if (total_index >= 0) kind[std::size_t(total_index)] = Kind::total;
    bool groups = false;
    if (numbering)
        for (std::size_t k = 0; k < body.size(); ++k)
            if (kind[k] == Kind::data && is_roman(text_at(body[k], 0)) && !row_label(body[k]).empty()) {
                kind[k] = Kind::group;
                groups = true;
            }
    bool separate = false;
    if (groups) {
        bool in_group = false;
        for (std::size_t k = 0; k < body.size(); ++k) {
            if (kind[k] == Kind::group) in_group = true;
            else if (kind[k] == Kind::data && vntext::lower(row_label(body[k])) == "cộng" && in_group) {
                kind[k] = Kind::subtotal;
                separate = true;
            } else if (kind[k] == Kind::data && !in_group) {
                groups = false;  // data rows before the first group: read every row as data
            }
        }
        if (!groups)
            for (auto& k : kind)
                if (k == Kind::group || k == Kind::subtotal) k = Kind::data;
        separate = separate && groups;
    }
    // Sub-groups: inside a group, a bold row numbered 1, 2, … heads the rows
    // after it ("Dự án 3" → "Tiểu dự án 1" → rows) or carries its own figures.
    // Read so only when every group that has them starts with one.
    if (groups && !separate) {
        auto arabic = [](const std::string& t) {
            return !t.empty() && t.size() < 4 && t.find_first_not_of("0123456789") == std::string::npos;
        };
        auto label_bold = [&](int r) {
            const Origin* o = at(r, 1);
            return o && o->bold && !o->text.empty();
        };
        std::vector<Kind> nested = kind;
        bool ok = true, any = false;
        for (std::size_t k = 0; k < body.size(); ++k) {
            if (kind[k] != Kind::group) continue;
            std::size_t e = k + 1;
            while (e < body.size() && kind[e] == Kind::data) ++e;
            int heads = 0;
            for (std::size_t m = k + 1; m < e; ++m)
                if (label_bold(body[m]) && arabic(text_at(body[m], 0))) nested[m] = Kind::subgroup, ++heads;
            if (heads && nested[k + 1] != Kind::subgroup) ok = false;  // rows before the first sub-group
            any = any || heads > 0;
        }
        if (ok && any) kind = nested;
    }

    // Column formats from the data rows.
    struct ColInfo {
        std::string format = "text";
        int decimals = 0;
        std::string align;
    };
    std::vector<ColInfo> info(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
        if (c == 0 && numbering) continue;
        bool all_num = true, any = false, trailing_zero = false;
        std::set<int> decs;
        std::map<std::string, int> aligns;
        for (std::size_t k = 0; k < body.size(); ++k) {
            std::string s = text_at(body[k], c);
            if (kind[k] != Kind::data) {
                // Totals and subtotals show the column's digits too (money drops trailing zeros).
                int d = 0;
                if (!s.empty() && parse_vn_number(s, &d)) {
                    decs.insert(d);
                    if (d > 0 && s.back() == '0') trailing_zero = true;
                }
                continue;
            }
            if (const Origin* o = at(body[k], c); o && !s.empty()) ++aligns[o->align];
            if (is_dash(s)) continue;  // a figure not given: an unknown cell of a number column
            int d = 0;
            if (s.empty() || !parse_vn_number(s, &d)) {
                all_num = false;
                continue;
            }
            any = true;
            decs.insert(d);
            if (d > 0 && s.back() == '0') trailing_zero = true;
        }
        ColInfo& ci = info[std::size_t(c)];
        int best = 0;
        for (const auto& [a, n] : aligns)
            if (n > best) best = n, ci.align = a;
        if (all_num && any) {
            int maxd = *decs.rbegin();
            std::string head = vntext::lower(header_of[std::size_t(c)]);
            bool pct = head.find('%') != std::string::npos || head.find("tỷ lệ") != std::string::npos;
            if (decs.size() == 1) {
                ci.format = maxd == 0 ? (pct ? "percent" : "integer") : pct ? "percent" : "decimal";
                ci.decimals = maxd;
            } else if (!trailing_zero) {
                ci.format = "money";
                ci.decimals = maxd;
            }
        }
    }
    auto numeric = [&](int c) { return info[std::size_t(c)].format != "text"; };

    // Totals: vanban sums a column only where the table's own figures add up.
    std::vector<std::size_t> group_rows;
    for (std::size_t k = 0; k < body.size(); ++k)
        if (kind[k] == Kind::group) group_rows.push_back(k);
    bool group_numbers = false;
    for (std::size_t g : group_rows)
        for (int c = 0; c < ncols; ++c)
            if (numeric(c) && !text_at(body[g], c).empty()) group_numbers = true;
    std::string subtotals = !groups ? "" : separate ? "separate_row" : group_numbers ? "group_row" : "none";
    std::vector<bool> sums(static_cast<std::size_t>(ncols), false);
    for (int c = 0; c < ncols; ++c) {
        const ColInfo& ci = info[std::size_t(c)];
        if (!numeric(c) || ci.format == "percent") continue;
        int scale = std::max(ci.decimals, 0);
        auto value = [&](std::size_t k, bool& ok) -> long long {
            auto p = parse_vn_number(text_at(body[k], c));
            if (!p) {
                ok = false;
                return 0;
            }
            return scaled(*p, scale);
        };
        bool ok = true;
        long long total = 0;
        long long group_sum = 0;
        std::optional<std::size_t> holder;  // the row holding the current group's subtotal
        auto close_group = [&] {
            if (holder) {
                bool hok = true;
                long long v = value(*holder, hok);
                if (!hok || v != group_sum) ok = false;
            }
            holder.reset();
            group_sum = 0;
        };
        if (subtotals == "group_row") {
            // Each group (and sub-group) row holds the sum of what it holds; a
            // group that holds nothing carries its own figure.
            for (std::size_t k = 0; k < body.size();) {
                if (kind[k] != Kind::group) {
                    ++k;
                    continue;
                }
                std::size_t e = k + 1;
                while (e < body.size() && (kind[e] == Kind::data || kind[e] == Kind::subgroup)) ++e;
                long long gsum = 0;
                for (std::size_t m = k + 1; m < e;) {
                    if (kind[m] == Kind::subgroup) {
                        std::size_t f = m + 1;
                        long long ssum = 0;
                        while (f < e && kind[f] == Kind::data) ssum += value(f++, ok);
                        if (f == m + 1) ssum = value(m, ok);
                        else if (value(m, ok) != ssum) ok = false;
                        gsum += ssum;
                        m = f;
                    } else {
                        gsum += value(m++, ok);
                    }
                }
                if (e == k + 1) gsum = value(k, ok);
                else if (value(k, ok) != gsum) ok = false;
                total += gsum;
                k = e;
            }
        } else {
            for (std::size_t k = 0; k < body.size(); ++k) {
                if (kind[k] == Kind::group) {
                    close_group();
                } else if (kind[k] == Kind::subtotal) {
                    holder = k;
                    close_group();
                } else if (kind[k] == Kind::data) {
                    bool dok = true;
                    long long v = value(k, dok);
                    total += v;
                    group_sum += v;
                }
            }
            close_group();
        }
        if (total_index >= 0) {
            bool tok = true;
            long long v = value(std::size_t(total_index), tok);
            if (!tok || v != total) ok = false;
        }
        sums[std::size_t(c)] = ok;
    }

    // Columns (header groups nest).
    double total_w = 0;
    for (double w : t.grid) total_w += w;
    auto leaf = [&](int c, const std::string& header) {
        json l;
        l["key"] = keys[std::size_t(c)];
        l["header"] = header;
        if (labels >= 0) l["label"] = text_at(labels, c);
        if (c == 0 && numbering) {
            l["numbering"] = true;
        } else {
            const ColInfo& ci = info[std::size_t(c)];
            if (ci.format != "integer") l["format"] = ci.format;
            bool default_decimals = ci.format == "money" ? ci.decimals == 4 : ci.decimals == 2;
            if ((ci.format == "decimal" || ci.format == "percent" || ci.format == "money") && !default_decimals)
                l["decimals"] = ci.decimals;
            if (ci.format == "text" && (ci.align == "center" || ci.align == "right")) l["align"] = ci.align;
            if (ci.format != "text" && ci.align == "center") l["align"] = "center";
            if (numeric(c) && !sums[std::size_t(c)] && ci.format != "percent") l["total"] = "none";
        }
        if (total_w > 0 && std::size_t(c) < t.grid.size()) l["width"] = std::round(t.grid[std::size_t(c)] / total_w * 10000) / 100;
        return l;
    };
    std::function<json(int, int, int)> build = [&](int r, int c0, int c1) {
        json cols = json::array();
        for (int c = c0; c < c1;) {
            int o = own[std::size_t(r)][std::size_t(c)];
            const Origin* og = o >= 0 ? &origins[std::size_t(o)] : nullptr;
            int span = og ? std::max(1, std::min(og->colspan - (c - og->col), c1 - c)) : 1;
            int below = og ? og->row + og->rowspan : r + 1;
            std::string header = og && og->row == r && og->col == c ? og->text : "";
            if (below >= H) {
                // Reaches the last header row: one leaf per column it covers.
                for (int k = 0; k < span; ++k) cols.push_back(leaf(c + k, k == 0 ? header : ""));
            } else {
                json g;
                g["header"] = header;
                g["columns"] = build(below, c, c + span);
                cols.push_back(g);
            }
            c += span;
        }
        return cols;
    };
    json& j = out.json;
    j["columns"] = build(0, 0, ncols);

    // Cells of one row: numbers as numbers, text as written.
    auto cells = [&](int r, bool data_row, const std::string& number) {
        json cs = json::object();
        for (int c = 0; c < ncols; ++c) {
            std::string s = text_at(r, c);
            if (c == 0 && numbering) {
                if (data_row) {
                    if (s != number) cs[keys[0]] = s;
                } else if (!s.empty()) {
                    cs[keys[0]] = s;
                }
                continue;
            }
            if (numeric(c)) {
                if (auto p = parse_vn_number(s)) cs[keys[std::size_t(c)]] = number_json(*p);
                else if (is_dash(s)) cs[keys[std::size_t(c)]] = nullptr;  // unknown, printed "-"
                else if (data_row) cs[keys[std::size_t(c)]] = 0;
            } else if (data_row || !s.empty()) {
                cs[keys[std::size_t(c)]] = s;
            }
        }
        return cs;
    };
    // Numbering: restarting in each group (vanban's default) or straight through.
    auto numbers_match = [&](bool restart) {
        std::size_t n = 0;
        for (std::size_t k = 0; k < body.size(); ++k) {
            if (kind[k] == Kind::group && restart) n = 0;
            if (kind[k] != Kind::data) continue;
            if (text_at(body[k], 0) != std::to_string(++n)) return false;
        }
        return true;
    };
    bool restart = !groups || numbers_match(true) || !numbers_match(false);
    if (groups && !restart) j["numbering"] = "continuous";
    if (!subtotals.empty() && subtotals != "group_row") j["subtotals"] = subtotals;
    if (separate) {
        for (std::size_t k = 0; k < body.size(); ++k)
            if (kind[k] == Kind::subtotal && row_label(body[k]) != "Cộng") j["subtotal_label"] = row_label(body[k]);
    }
    if (total_index >= 0) {
        int r = body[std::size_t(total_index)];
        json tc = cells(r, false, "");
        bool has_text = false;
        for (int c = numbering ? 1 : 0; c < ncols; ++c)
            if (!numeric(c) && !text_at(r, c).empty()) has_text = true;
        if (!has_text)
            for (int c = numbering ? 1 : 0; c < ncols; ++c)
                if (!numeric(c)) {
                    tc[keys[std::size_t(c)]] = "";
                    break;
                }
        json total;
        if (total_index != 0) total["position"] = "bottom";
        total["cells"] = tc;
        j["total"] = total;
    }
    if (groups) {
        json gs = json::array();
        std::size_t n = 0;
        int sub_n = 0;
        for (std::size_t k = 0; k < body.size(); ++k) {
            if (kind[k] == Kind::group) {
                json g;
                std::string title = row_label(body[k]);
                g["title"] = title;
                g["rows"] = json::array();
                json gc = cells(body[k], false, "");
                // The title is printed from "title"; the numeral is computed.
                for (int c = numbering ? 1 : 0; c < ncols; ++c)
                    if (!numeric(c) && text_at(body[k], c) == title) {
                        gc.erase(keys[std::size_t(c)]);
                        break;
                    }
                if (gc.contains("tt") && gc["tt"] == vntext::roman(int(gs.size()) + 1)) gc.erase("tt");
                if (subtotals == "separate_row")
                    for (int c = 0; c < ncols; ++c)
                        if (numeric(c)) gc.erase(keys[std::size_t(c)]);
                if (!gc.empty()) g["cells"] = gc;
                gs.push_back(g);
                if (restart) n = 0;
            } else if (kind[k] == Kind::subgroup && !gs.empty()) {
                json sg;
                std::string title = row_label(body[k]);
                sg["title"] = title;
                sg["rows"] = json::array();
                json sc = cells(body[k], false, "");
                for (int c = numbering ? 1 : 0; c < ncols; ++c)
                    if (!numeric(c) && text_at(body[k], c) == title) {
                        sc.erase(keys[std::size_t(c)]);
                        break;
                    }
                json& subs = gs.back()["groups"];
                if (subs.is_null()) subs = json::array();
                if (sc.contains("tt") && sc["tt"] == std::to_string(subs.size() + 1)) sc.erase("tt");
                if (!sc.empty()) sg["cells"] = sc;
                subs.push_back(sg);
                sub_n = 0;
            } else if (kind[k] == Kind::data && !gs.empty()) {
                if (gs.back().contains("groups"))
                    gs.back()["groups"].back()["rows"].push_back(cells(body[k], true, vntext::point_letter(sub_n++)));
                else
                    gs.back()["rows"].push_back(cells(body[k], true, std::to_string(++n)));
            } else if (kind[k] == Kind::subtotal && !gs.empty()) {
                json sc = cells(body[k], false, "");
                for (int c = 0; c < ncols; ++c)
                    if (numeric(c) && sc.contains(keys[std::size_t(c)])) gs.back()["cells"][keys[std::size_t(c)]] = sc[keys[std::size_t(c)]];
            }
        }
        // A group that holds nothing carries its own figures: it has no "rows".
        auto leaves = [](json& g) {
            if (g.contains("groups")) g.erase("rows");
            else if (g["rows"].empty() && g.contains("cells")) g.erase("rows");
        };
        for (auto& g : gs) {
            leaves(g);
            if (g.contains("groups"))
                for (auto& sg : g["groups"]) leaves(sg);
        }
        j["groups"] = gs;
    } else {
        json rows = json::array();
        std::size_t n = 0;
        for (std::size_t k = 0; k < body.size(); ++k)
            if (kind[k] == Kind::data) rows.push_back(cells(body[k], true, std::to_string(++n)));
        j["rows"] = rows;
    }
    if (body.empty())
        warnings.warning(file, "", tr("import-table", "table {} has header rows only; its annex has no rows", t.number));
    return out;
}

}  // namespace vanban::import

#include "import/table.hpp"

#include <algorithm>
#include <cmath>
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
/// What a body row is.
enum class Kind { data, total, group, subtotal, subgroup };

/// How a column's figures are written, read from its data rows.
struct ColInfo {
    std::string format = "text";
    int decimals = 0;
    std::string align;
};

/// One Word table read into an annex table step by step. The members hold
/// what the steps share: the grid of merged cells, the header rows, the
/// columns and what each body row is.
class TableImporter {
public:
    explicit TableImporter(const Table& t) : t_(t), nrows_(int(t.rows.size())) {}

    /// The steps in order; returns the annex table's JSON.
    json run() {
        build_grid();
        find_header_rows();
        read_column_keys();
        find_total_row();
        find_groups();
        find_subgroups();
        read_column_formats();
        check_sums();
        const bool restart = !groups_ || numbers_match(true) || !numbers_match(false);
        json j;
        j["columns"] = column_tree(0, 0, ncols_);
        if (groups_ && !restart) j["numbering"] = "continuous";
        if (!subtotals_.empty() && subtotals_ != "group_row") j["subtotals"] = subtotals_;
        if (separate_) {
            for (std::size_t k = 0; k < body_.size(); ++k)
                if (kind_[k] == Kind::subtotal && row_label(body_[k]) != "Cộng") j["subtotal_label"] = row_label(body_[k]);
        }
        if (total_index_ >= 0) j["total"] = total_json();
        if (groups_) j["groups"] = groups_json(restart);
        else j["rows"] = rows_json();
        return j;
    }

    /// True when the table has header rows only.
    bool no_body() const { return body_.empty(); }

private:
    const Table& t_;
    const int nrows_;
    int ncols_ = 0;
    std::vector<Origin> origins_;          ///< one per cell as written (merged cells once)
    std::vector<std::vector<int>> own_;    ///< [row][col] -> index into origins_, -1 none
    int header_rows_ = 0;                  ///< rows above the column-label row and the body
    int labels_ = -1;                      ///< the column-label row ("A", "B", "1"), -1 none
    std::vector<std::string> header_of_;   ///< each column's header in the last header row
    bool numbering_ = false;               ///< the first column is "TT"/"STT"
    std::vector<std::string> keys_;        ///< "tt", c1 … cN
    std::vector<int> body_;                ///< the body rows' indices
    std::vector<Kind> kind_;               ///< what each body row is
    int total_index_ = -1;                 ///< index into body_ of the total row, -1 none
    bool groups_ = false;                  ///< rows grouped under "I", "II" rows
    bool separate_ = false;                ///< groups closed by "Cộng" subtotal rows
    std::vector<ColInfo> info_;
    std::string subtotals_;                ///< "", "separate_row", "group_row" or "none"
    std::vector<bool> sums_;               ///< the column's figures add up

    // ---- the grid ------------------------------------------------------------------------

    /// Counts the grid columns and records each cell once, merged cells with their spans.
    void build_grid() {
        ncols_ = int(t_.grid.size());
        for (const auto& r : t_.rows) {
            int w = 0;
            for (const auto& c : r.cells) w += c.span;
            ncols_ = std::max(ncols_, w);
        }
        own_.assign(std::size_t(nrows_), std::vector<int>(std::size_t(ncols_), -1));
        for (int r = 0; r < nrows_; ++r) {
            int c = 0;
            for (const auto& cell : t_.rows[std::size_t(r)].cells) {
                if (c >= ncols_) break;
                int o;
                if (cell.vmerge == 2 && r > 0 && own_[std::size_t(r - 1)][std::size_t(c)] >= 0) {
                    o = own_[std::size_t(r - 1)][std::size_t(c)];
                    origins_[std::size_t(o)].rowspan = r - origins_[std::size_t(o)].row + 1;
                } else {
                    origins_.push_back(origin_of(cell, r, c));
                    o = int(origins_.size()) - 1;
                }
                for (int k = c; k < c + cell.span && k < ncols_; ++k) own_[std::size_t(r)][std::size_t(k)] = o;
                c += cell.span;
            }
        }
    }

    /// A cell written at row r, column c: its span, text, boldness and alignment.
    Origin origin_of(const Cell& cell, int r, int c) const {
        Origin og;
        og.row = r;
        og.col = c;
        og.colspan = std::min(cell.span, ncols_ - c);
        og.text = cell_text(cell);
        og.bold = cell_bold(cell);
        for (const auto& p : cell.paras)
            if (!p.blank()) {
                og.align = p.align;
                break;
            }
        return og;
    }

    /// The cell that starts at (r, c), or nullptr (none, or covered by a merge).
    const Origin* at(int r, int c) const {
        int o = own_[std::size_t(r)][std::size_t(c)];
        if (o < 0) return nullptr;
        const Origin& og = origins_[std::size_t(o)];
        return og.row == r && og.col == c ? &og : nullptr;
    }

    /// The squashed text of the cell that starts at (r, c); "" when none does.
    std::string text_at(int r, int c) const {
        const Origin* o = at(r, c);
        return o ? squash(o->text) : std::string();
    }

    // ---- header rows and columns ---------------------------------------------------------

    /// Row r holds column labels only ("A", "B", "1", "3=2/1") in at least half the columns.
    bool label_row(int r) const {
        if (r < 0 || r >= nrows_) return false;
        int filled = 0;
        for (int c = 0; c < ncols_; ++c) {
            int o = own_[std::size_t(r)][std::size_t(c)];
            if (o < 0) continue;
            const Origin& og = origins_[std::size_t(o)];
            if (og.rowspan != 1 || og.row != r) return false;
            std::string tx = squash(og.text);
            if (tx.empty()) continue;
            if (!is_label_text(tx)) return false;
            ++filled;
        }
        return filled * 2 >= ncols_ && filled > 0;
    }

    /// The header rows (repeated rows, else those above a label row, else the first
    /// row's merged height), the label row, and the body rows after them.
    void find_header_rows() {
        int H = 0;
        while (H < nrows_ && t_.rows[std::size_t(H)].header) ++H;
        if (H > 0 && label_row(H - 1) && H > 1) labels_ = --H;
        if (H == 0) {
            for (int r = 1; r < std::min(nrows_, 6); ++r)
                if (label_row(r)) {
                    H = r;
                    labels_ = r;
                    break;
                }
        }
        if (H == 0) {
            H = 1;
            for (int c = 0; c < ncols_; ++c)
                if (int o = own_[0][std::size_t(c)]; o >= 0) H = std::max(H, origins_[std::size_t(o)].rowspan);
            H = std::min(H, nrows_);
        }
        if (labels_ < 0 && label_row(H)) labels_ = H;
        header_rows_ = H;
        const int body_start = H + (labels_ >= 0 ? 1 : 0);
        for (int r = body_start; r < nrows_; ++r) body_.push_back(r);
        kind_.assign(body_.size(), Kind::data);
    }

    /// Each column's header and key: "tt" for the numbering column, c1 … cN for the others.
    void read_column_keys() {
        header_of_.assign(std::size_t(ncols_), std::string());
        for (int c = 0; c < ncols_; ++c) {
            int o = own_[std::size_t(header_rows_ - 1)][std::size_t(c)];
            if (o >= 0 && origins_[std::size_t(o)].colspan == 1) header_of_[std::size_t(c)] = origins_[std::size_t(o)].text;
        }
        std::string h0 = vntext::upper(squash(header_of_[0]));
        numbering_ = h0 == "TT" || h0 == "STT" || h0 == "SỐ TT";
        keys_.assign(std::size_t(ncols_), std::string());
        for (int c = 0; c < ncols_; ++c) keys_[std::size_t(c)] = c == 0 && numbering_ ? "tt" : "c" + std::to_string(c + 1);
    }

    // ---- what the body rows are ----------------------------------------------------------

    /// A row's first text that is not a number (after the numbering column).
    std::string row_label(int r) const {
        for (int c = numbering_ ? 1 : 0; c < ncols_; ++c) {
            std::string s = text_at(r, c);
            if (!s.empty() && !parse_vn_number(s)) return s;
        }
        return std::string();
    }

    /// A label that names a total ("Tổng cộng", "Toàn tỉnh", "Cộng").
    static bool totalish(const std::string& s) {
        std::string l = vntext::lower(s);
        return l.rfind("tổng", 0) == 0 || l.rfind("toàn", 0) == 0 || l.rfind("cộng", 0) == 0;
    }

    /// The total row: the first body row (not a bare "Cộng") or the last one.
    void find_total_row() {
        if (!body_.empty() && totalish(row_label(body_.front())) && vntext::lower(row_label(body_.front())) != "cộng")
            total_index_ = 0;
        else if (body_.size() > 1 && totalish(row_label(body_.back())))
            total_index_ = int(body_.size()) - 1;
        if (total_index_ >= 0) kind_[std::size_t(total_index_)] = Kind::total;
    }

    /// Group rows ("I", "II" with a title) and the "Cộng" rows that close them; none
    /// when data rows come before the first group.
    void find_groups() {
        if (numbering_)
            for (std::size_t k = 0; k < body_.size(); ++k)
                if (kind_[k] == Kind::data && is_roman(text_at(body_[k], 0)) && !row_label(body_[k]).empty()) {
                    kind_[k] = Kind::group;
                    groups_ = true;
                }
        if (!groups_) return;
        bool in_group = false;
        for (std::size_t k = 0; k < body_.size(); ++k) {
            if (kind_[k] == Kind::group) in_group = true;
            else if (kind_[k] == Kind::data && vntext::lower(row_label(body_[k])) == "cộng" && in_group) {
                kind_[k] = Kind::subtotal;
                separate_ = true;
            } else if (kind_[k] == Kind::data && !in_group) {
                groups_ = false;  // data rows before the first group: read every row as data
            }
        }
        if (!groups_)
            for (auto& k : kind_)
                if (k == Kind::group || k == Kind::subtotal) k = Kind::data;
        separate_ = separate_ && groups_;
    }

    /// Sub-groups: inside a group, a bold row numbered 1, 2, … heads the rows
    /// after it ("Dự án 3" → "Tiểu dự án 1" → rows) or carries its own figures.
    /// Read so only when every group that has them starts with one.
    void find_subgroups() {
        if (!groups_ || separate_) return;
        auto arabic = [](const std::string& t) {
            return !t.empty() && t.size() < 4 && t.find_first_not_of("0123456789") == std::string::npos;
        };
        auto label_bold = [&](int r) {
            const Origin* o = at(r, 1);
            return o && o->bold && !o->text.empty();
        };
        std::vector<Kind> nested = kind_;
        bool ok = true, any = false;
        for (std::size_t k = 0; k < body_.size(); ++k) {
            if (kind_[k] != Kind::group) continue;
            std::size_t e = k + 1;
            while (e < body_.size() && kind_[e] == Kind::data) ++e;
            int heads = 0;
            for (std::size_t m = k + 1; m < e; ++m)
                if (label_bold(body_[m]) && arabic(text_at(body_[m], 0))) nested[m] = Kind::subgroup, ++heads;
            if (heads && nested[k + 1] != Kind::subgroup) ok = false;  // rows before the first sub-group
            any = any || heads > 0;
        }
        if (ok && any) kind_ = nested;
    }

    // ---- column formats ------------------------------------------------------------------

    /// Every column's format, decimals and alignment.
    void read_column_formats() {
        info_.assign(std::size_t(ncols_), ColInfo());
        for (int c = 0; c < ncols_; ++c) {
            if (c == 0 && numbering_) continue;
            info_[std::size_t(c)] = column_format(c);
        }
    }

    /// Column c's format from its data rows: numbers with one count of decimals
    /// (integer, decimal, percent) or several without trailing zeros (money), else text.
    ColInfo column_format(int c) const {
        bool all_num = true, any = false, trailing_zero = false;
        std::set<int> decs;
        std::map<std::string, int> aligns;
        for (std::size_t k = 0; k < body_.size(); ++k) {
            std::string s = text_at(body_[k], c);
            if (kind_[k] != Kind::data) {
                // Totals and subtotals show the column's digits too (money drops trailing zeros).
                int d = 0;
                if (!s.empty() && parse_vn_number(s, &d)) {
                    decs.insert(d);
                    if (d > 0 && s.back() == '0') trailing_zero = true;
                }
                continue;
            }
            if (const Origin* o = at(body_[k], c); o && !s.empty()) ++aligns[o->align];
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
        ColInfo ci;
        int best = 0;
        for (const auto& [a, n] : aligns)
            if (n > best) best = n, ci.align = a;
        if (all_num && any) {
            int maxd = *decs.rbegin();
            std::string head = vntext::lower(header_of_[std::size_t(c)]);
            bool pct = head.find('%') != std::string::npos || head.find("tỷ lệ") != std::string::npos;
            if (decs.size() == 1) {
                ci.format = maxd == 0 ? (pct ? "percent" : "integer") : pct ? "percent" : "decimal";
                ci.decimals = maxd;
            } else if (!trailing_zero) {
                ci.format = "money";
                ci.decimals = maxd;
            }
        }
        return ci;
    }

    /// Column c holds numbers.
    bool numeric(int c) const { return info_[std::size_t(c)].format != "text"; }

    // ---- totals --------------------------------------------------------------------------

    /// How groups show their sums, and which columns vanban may sum: only those
    /// where the table's own figures add up.
    void check_sums() {
        bool group_numbers = false;
        for (std::size_t k = 0; k < body_.size(); ++k)
            if (kind_[k] == Kind::group)
                for (int c = 0; c < ncols_; ++c)
                    if (numeric(c) && !text_at(body_[k], c).empty()) group_numbers = true;
        subtotals_ = !groups_ ? "" : separate_ ? "separate_row" : group_numbers ? "group_row" : "none";
        sums_.assign(std::size_t(ncols_), false);
        for (int c = 0; c < ncols_; ++c) {
            const ColInfo& ci = info_[std::size_t(c)];
            if (!numeric(c) || ci.format == "percent") continue;
            const int scale = std::max(ci.decimals, 0);
            bool ok = true;
            long long total = subtotals_ == "group_row" ? sum_group_rows(c, scale, ok) : sum_subtotal_rows(c, scale, ok);
            if (total_index_ >= 0) {
                bool tok = true;
                long long v = value(std::size_t(total_index_), c, scale, tok);
                if (!tok || v != total) ok = false;
            }
            sums_[std::size_t(c)] = ok;
        }
    }

    /// Body row k's figure in column c scaled to `scale` digits; clears `ok` when it is no number.
    long long value(std::size_t k, int c, int scale, bool& ok) const {
        auto p = parse_vn_number(text_at(body_[k], c));
        if (!p) {
            ok = false;
            return 0;
        }
        return scaled(*p, scale);
    }

    /// Column c's sum when each group (and sub-group) row holds the sum of what
    /// it holds; a group that holds nothing carries its own figure. Clears `ok`
    /// where a group's figure differs.
    long long sum_group_rows(int c, int scale, bool& ok) const {
        long long total = 0;
        for (std::size_t k = 0; k < body_.size();) {
            if (kind_[k] != Kind::group) {
                ++k;
                continue;
            }
            std::size_t e = k + 1;
            while (e < body_.size() && (kind_[e] == Kind::data || kind_[e] == Kind::subgroup)) ++e;
            long long gsum = 0;
            for (std::size_t m = k + 1; m < e;) {
                if (kind_[m] == Kind::subgroup) {
                    std::size_t f = m + 1;
                    long long ssum = 0;
                    while (f < e && kind_[f] == Kind::data) ssum += value(f++, c, scale, ok);
                    if (f == m + 1) ssum = value(m, c, scale, ok);
                    else if (value(m, c, scale, ok) != ssum) ok = false;
                    gsum += ssum;
                    m = f;
                } else {
                    gsum += value(m++, c, scale, ok);
                }
            }
            if (e == k + 1) gsum = value(k, c, scale, ok);
            else if (value(k, c, scale, ok) != gsum) ok = false;
            total += gsum;
            k = e;
        }
        return total;
    }

    /// Column c's sum of its data rows; clears `ok` where a "Cộng" row differs
    /// from the sum of its group's rows.
    long long sum_subtotal_rows(int c, int scale, bool& ok) const {
        long long total = 0;
        long long group_sum = 0;
        std::optional<std::size_t> holder;  // the row holding the current group's subtotal
        auto close_group = [&] {
            if (holder) {
                bool hok = true;
                long long v = value(*holder, c, scale, hok);
                if (!hok || v != group_sum) ok = false;
            }
            holder.reset();
            group_sum = 0;
        };
        for (std::size_t k = 0; k < body_.size(); ++k) {
            if (kind_[k] == Kind::group) {
                close_group();
            } else if (kind_[k] == Kind::subtotal) {
                holder = k;
                close_group();
            } else if (kind_[k] == Kind::data) {
                bool dok = true;
                long long v = value(k, c, scale, dok);
                total += v;
                group_sum += v;
            }
        }
        close_group();
        return total;
    }

    // ---- the JSON ------------------------------------------------------------------------

    /// The columns under header row r from column c0 to c1 (header groups nest).
    json column_tree(int r, int c0, int c1) const {
        json cols = json::array();
        for (int c = c0; c < c1;) {
            int o = own_[std::size_t(r)][std::size_t(c)];
            const Origin* og = o >= 0 ? &origins_[std::size_t(o)] : nullptr;
            int span = og ? std::max(1, std::min(og->colspan - (c - og->col), c1 - c)) : 1;
            int below = og ? og->row + og->rowspan : r + 1;
            std::string header = og && og->row == r && og->col == c ? og->text : "";
            if (below >= header_rows_) {
                // Reaches the last header row: one leaf per column it covers.
                for (int k = 0; k < span; ++k) cols.push_back(leaf(c + k, k == 0 ? header : ""));
            } else {
                json g;
                g["header"] = header;
                g["columns"] = column_tree(below, c, c + span);
                cols.push_back(g);
            }
            c += span;
        }
        return cols;
    }

    /// Column c as a leaf column: key, header, label, format, decimals, alignment, total, width.
    json leaf(int c, const std::string& header) const {
        json l;
        l["key"] = keys_[std::size_t(c)];
        l["header"] = header;
        if (labels_ >= 0) l["label"] = text_at(labels_, c);
        if (c == 0 && numbering_) {
            l["numbering"] = true;
        } else {
            const ColInfo& ci = info_[std::size_t(c)];
            if (ci.format != "integer") l["format"] = ci.format;
            bool default_decimals = ci.format == "money" ? ci.decimals == 4 : ci.decimals == 2;
            if ((ci.format == "decimal" || ci.format == "percent" || ci.format == "money") && !default_decimals)
                l["decimals"] = ci.decimals;
            if (ci.format == "text" && (ci.align == "center" || ci.align == "right")) l["align"] = ci.align;
            if (ci.format != "text" && ci.align == "center") l["align"] = "center";
            if (numeric(c) && !sums_[std::size_t(c)] && ci.format != "percent") l["total"] = "none";
        }
        double total_w = 0;
        for (double w : t_.grid) total_w += w;
        if (total_w > 0 && std::size_t(c) < t_.grid.size()) l["width"] = std::round(t_.grid[std::size_t(c)] / total_w * 10000) / 100;
        return l;
    }

    /// Cells of row r: numbers as numbers, text as written; a data row's number
    /// is left out when it is the one vanban prints (`number`).
    json cells(int r, bool data_row, const std::string& number) const {
        json cs = json::object();
        for (int c = 0; c < ncols_; ++c) {
            std::string s = text_at(r, c);
            if (c == 0 && numbering_) {
                if (data_row) {
                    if (s != number) cs[keys_[0]] = s;
                } else if (!s.empty()) {
                    cs[keys_[0]] = s;
                }
                continue;
            }
            if (numeric(c)) {
                if (auto p = parse_vn_number(s)) cs[keys_[std::size_t(c)]] = number_json(*p);
                else if (is_dash(s)) cs[keys_[std::size_t(c)]] = nullptr;  // unknown, printed "-"
                else if (data_row) cs[keys_[std::size_t(c)]] = 0;
            } else if (data_row || !s.empty()) {
                cs[keys_[std::size_t(c)]] = s;
            }
        }
        return cs;
    }

    /// The data rows are numbered 1, 2, … restarting in each group (vanban's default) or straight through.
    bool numbers_match(bool restart) const {
        std::size_t n = 0;
        for (std::size_t k = 0; k < body_.size(); ++k) {
            if (kind_[k] == Kind::group && restart) n = 0;
            if (kind_[k] != Kind::data) continue;
            if (text_at(body_[k], 0) != std::to_string(++n)) return false;
        }
        return true;
    }

    /// The total row's cells, with an empty text cell when it shows no text.
    json total_json() const {
        int r = body_[std::size_t(total_index_)];
        json tc = cells(r, false, "");
        bool has_text = false;
        for (int c = numbering_ ? 1 : 0; c < ncols_; ++c)
            if (!numeric(c) && !text_at(r, c).empty()) has_text = true;
        if (!has_text)
            for (int c = numbering_ ? 1 : 0; c < ncols_; ++c)
                if (!numeric(c)) {
                    tc[keys_[std::size_t(c)]] = "";
                    break;
                }
        json total;
        if (total_index_ != 0) total["position"] = "bottom";
        total["cells"] = tc;
        return total;
    }

    /// A group or sub-group read from its row r: its title and no rows yet; `cs`
    /// receives the row's cells but the one that holds the title (printed from "title").
    json titled(int r, json& cs) const {
        json g;
        std::string title = row_label(r);
        g["title"] = title;
        g["rows"] = json::array();
        cs = cells(r, false, "");
        for (int c = numbering_ ? 1 : 0; c < ncols_; ++c)
            if (!numeric(c) && text_at(r, c) == title) {
                cs.erase(keys_[std::size_t(c)]);
                break;
            }
        return g;
    }

    /// The groups with their sub-groups and rows; `restart`: numbering restarts in each group.
    json groups_json(bool restart) const {
        json gs = json::array();
        std::size_t n = 0;
        int sub_n = 0;
        for (std::size_t k = 0; k < body_.size(); ++k) {
            if (kind_[k] == Kind::group) {
                gs.push_back(group_json(body_[k], gs.size()));
                if (restart) n = 0;
            } else if (kind_[k] == Kind::subgroup && !gs.empty()) {
                add_subgroup(gs.back(), body_[k]);
                sub_n = 0;
            } else if (kind_[k] == Kind::data && !gs.empty()) {
                if (gs.back().contains("groups"))
                    gs.back()["groups"].back()["rows"].push_back(cells(body_[k], true, vntext::point_letter(sub_n++)));
                else
                    gs.back()["rows"].push_back(cells(body_[k], true, std::to_string(++n)));
            } else if (kind_[k] == Kind::subtotal && !gs.empty()) {
                json sc = cells(body_[k], false, "");
                for (int c = 0; c < ncols_; ++c)
                    if (numeric(c) && sc.contains(keys_[std::size_t(c)])) gs.back()["cells"][keys_[std::size_t(c)]] = sc[keys_[std::size_t(c)]];
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
        return gs;
    }

    /// Group row r, the `before`-th group: its title, and cells other than the
    /// title, the computed numeral and (with "Cộng" rows) its figures.
    json group_json(int r, std::size_t before) const {
        json gc;
        json g = titled(r, gc);
        // The numeral is computed.
        if (gc.contains("tt") && gc["tt"] == vntext::roman(int(before) + 1)) gc.erase("tt");
        if (subtotals_ == "separate_row")
            for (int c = 0; c < ncols_; ++c)
                if (numeric(c)) gc.erase(keys_[std::size_t(c)]);
        if (!gc.empty()) g["cells"] = gc;
        return g;
    }

    /// Adds sub-group row r to group g: its title, and cells other than the title and the computed number.
    void add_subgroup(json& g, int r) const {
        json sc;
        json sg = titled(r, sc);
        json& subs = g["groups"];
        if (subs.is_null()) subs = json::array();
        if (sc.contains("tt") && sc["tt"] == std::to_string(subs.size() + 1)) sc.erase("tt");
        if (!sc.empty()) sg["cells"] = sc;
        subs.push_back(sg);
    }

    /// The data rows of a table without groups.
    json rows_json() const {
        json rows = json::array();
        std::size_t n = 0;
        for (std::size_t k = 0; k < body_.size(); ++k)
            if (kind_[k] == Kind::data) rows.push_back(cells(body_[k], true, std::to_string(++n)));
        return rows;
    }
};

}  // namespace

TableImport import_table(const Table& t, const std::string& file, Diagnostics& warnings) {
    TableImport out;
    TableImporter importer(t);
    out.json = importer.run();
    if (importer.no_body())
        warnings.warning(file, "", tr("import-table", "table {} has header rows only; its annex has no rows", t.number));
    return out;
}

}  // namespace vanban::import

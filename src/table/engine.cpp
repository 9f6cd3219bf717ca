// vanban_table: see table/engine.hpp.
#include "table/engine.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "table/expr.hpp"
#include "vntext/vntext.hpp"

namespace vanban::table {

using model::TotalPolicy;
using model::ValueFormat;

std::string excel_column(int col) {
    std::string s;
    int n = col + 1;
    while (n > 0) {
        int r = (n - 1) % 26;
        s.insert(s.begin(), char('A' + r));
        n = (n - 1) / 26;
    }
    return s;
}

std::string Formula::to_a1(int first_body_row, int first_col) const {
    std::string out;
    for (const auto& p : parts) {
        if (p.row < 0) {
            out += p.text;
            continue;
        }
        std::string c = excel_column(first_col + p.col);
        out += c + std::to_string(first_body_row + p.row + 1);
        int last = p.row_last < 0 ? p.row : p.row_last;
        if (last != p.row) out += ":" + c + std::to_string(first_body_row + last + 1);
    }
    return out;
}

static int shown_decimals(ValueFormat f, int decimals) {
    if (f == ValueFormat::integer || f == ValueFormat::text) return 0;
    return std::clamp(decimals, 0, Decimal::max_scale);
}

Decimal displayed_value(const Decimal& v, ValueFormat format, int decimals) {
    Decimal r = v.round(shown_decimals(format, decimals));
    if (format == ValueFormat::money) r = r.trimmed();
    return r;
}

std::string format_value(const Decimal& v, ValueFormat format, int decimals) {
    return vntext::format_decimal_string(displayed_value(v, format, decimals).to_plain_string());
}

std::string excel_number_format(const Decimal& v, ValueFormat format, int decimals) {
    int d = format == ValueFormat::money ? displayed_value(v, format, decimals).scale()
                                         : shown_decimals(format, decimals);
    std::string s = "#,##0";
    if (d > 0) s += "." + std::string(std::size_t(d), '0');
    return s;
}

namespace {

struct Val {
    enum class K { blank, number, text, dash };
    K k = K::blank;
    Decimal num;
    std::string text;
    Formula formula;
    bool may_dash = false;  ///< the formula is wrapped in IFERROR(…,"-")
    /// K::dash from an expression that read a column with no number here (not
    /// a division by zero): that column's key.
    std::string missing_key;
};

struct Stated {
    int slot = 0;
    int col = 0;
    Decimal value;
    std::string pointer;
};

struct Slot {
    RowKind kind = RowKind::data;
    const model::CellInputs* cells = nullptr;
    std::string pointer;
    int group = -1;         ///< group index (group/subtotal/data rows of a group)
    int number = 0;         ///< data rows: 1-based running number
    int input_index = 0;    ///< data rows: index inside its rows array
    bool holds_subtotals = false;
};

std::size_t utf8_length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

std::size_t longest_word(const std::string& s) {
    std::size_t best = 0, cur = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == ' ' || c == '\n' || c == '\t') {
            best = std::max(best, cur);
            cur = 0;
        } else if ((c & 0xC0) != 0x80) {
            ++cur;
        }
    }
    return std::max(best, cur);
}

class Engine {
public:
    Engine(const model::Annex& a, Diagnostics& d) : annex_(a), t_(a.table), diags_(d) {}

    ResolvedTable run() {
        ResolvedTable out;
        out.label = annex_.label;
        out.title = annex_.title;
        out.caption = annex_.caption;
        out.subtitle = annex_.subtitle;
        if (!annex_.unit.empty()) out.subtitle.push_back("Đơn vị tính: " + annex_.unit);
        out.notes = annex_.notes;
        out.orientation = annex_.orientation;
        out.sheet_name = annex_.sheet_name;
        out.source_file = annex_.source_file;
        out.pointer = annex_.pointer;

        if (t_.columns.empty()) {
            error(annex_.pointer + "/columns", "the table has no columns; declare at least one column");
            return out;
        }
        index_columns();
        compile();
        resolve_policies();
        build_slots();
        vals_.assign(slots_.size(), std::vector<Val>(t_.columns.size()));
        fill_data_rows();
        fill_aggregate_rows();
        check_stated();
        emit(out);
        return out;
    }

private:
    // ---- reporting -----------------------------------------------------------
    void error(const std::string& pointer, const std::string& msg) { diags_.error(annex_.source_file, pointer, msg); }

    std::string table_name() const {
        std::string n = annex_.title.empty() ? annex_.label : annex_.title;
        return n.empty() ? std::string("table at ") + annex_.pointer : "table \"" + n + "\"";
    }

    std::string column_name(int c) const {
        const auto& col = t_.columns[std::size_t(c)];
        std::string s = "column " + col.key;
        if (!col.header.empty()) s += " \"" + col.header + "\"";
        if (!col.label.empty()) s += " (" + col.label + ")";
        return s;
    }

    std::string row_name(int slot) const {
        const Slot& s = slots_[std::size_t(slot)];
        std::string name;
        for (std::size_t c = 0; c < t_.columns.size(); ++c) {
            const auto& col = t_.columns[c];
            if (col.format != ValueFormat::text || col.numbering) continue;
            const Val& v = vals_[std::size_t(slot)][c];
            if (v.k == Val::K::text && !v.text.empty()) {
                name = v.text;
                break;
            }
        }
        std::string what;
        switch (s.kind) {
            case RowKind::data: what = "row " + std::to_string(s.input_index + 1); break;
            case RowKind::group: what = "group row " + std::to_string(s.group + 1); break;
            case RowKind::subtotal: what = "subtotal row of group " + std::to_string(s.group + 1); break;
            case RowKind::total: what = "total row"; break;
        }
        if (!name.empty()) what += " \"" + name + "\"";
        return what;
    }

    std::string known_columns() const {
        std::string s;
        for (const auto& c : t_.columns) {
            if (!s.empty()) s += ", ";
            s += c.key;
        }
        return s;
    }

    // ---- columns and expressions ------------------------------------------------
    void index_columns() {
        for (std::size_t i = 0; i < t_.columns.size(); ++i) {
            const auto& c = t_.columns[i];
            if (c.key.empty()) {
                error(c.pointer + "/key", "a column needs a key (a name such as \"c1\" used by rows and expressions)");
                continue;
            }
            if (!index_.emplace(c.key, int(i)).second)
                error(c.pointer + "/key", "column key \"" + c.key + "\" is used twice; keys must be unique");
        }
    }

    int col_of(const std::string& key) const {
        auto it = index_.find(key);
        return it == index_.end() ? -1 : it->second;
    }

    bool is_numeric(int c) const { return t_.columns[std::size_t(c)].format != ValueFormat::text; }
    bool is_computed(int c) const { return exprs_[std::size_t(c)].has_value(); }

    void compile() {
        const std::size_t n = t_.columns.size();
        exprs_.assign(n, std::nullopt);
        deps_.assign(n, {});
        computed_decl_.assign(n, false);
        rejected_.assign(n, false);
        std::vector<std::optional<Expr>> parsed(n);
        std::vector<bool> refs_ok(n, true);
        for (std::size_t i = 0; i < n; ++i) {
            const auto& c = t_.columns[i];
            if (c.expr.empty()) continue;
            computed_decl_[i] = true;
            std::string where = c.pointer + "/expr";
            if (c.format == ValueFormat::text) {
                error(c.pointer + "/format", "column " + c.key + " is computed (\"" + c.expr +
                                                  "\") and needs a number format, not \"text\"");
                continue;
            }
            if (c.numbering) {
                error(c.pointer, "column " + c.key + " cannot both number the rows and be computed");
                continue;
            }
            ExprError err;
            parsed[i] = Expr::parse(c.expr, err);
            if (!parsed[i]) {
                error(where, "expression \"" + c.expr + "\" of column " + c.key + ": " + err.message +
                                 " (at character " + std::to_string(err.offset + 1) + ")");
                continue;
            }
            for (const auto& r : parsed[i]->references()) {
                int d = col_of(r.name);
                if (d < 0) {
                    error(where, "expression \"" + c.expr + "\" of column " + c.key + " names unknown column \"" +
                                     r.name + "\" (at character " + std::to_string(r.offset + 1) +
                                     "); the columns are: " + known_columns());
                    refs_ok[i] = false;
                } else if (!is_numeric(d)) {
                    error(where, "expression \"" + c.expr + "\" of column " + c.key + " uses text column \"" +
                                     r.name + "\" (at character " + std::to_string(r.offset + 1) +
                                     "); only number columns can be computed with");
                    refs_ok[i] = false;
                } else if (std::find(deps_[i].begin(), deps_[i].end(), d) == deps_[i].end()) {
                    deps_[i].push_back(d);
                }
            }
        }
        // Dependency order over every parsed expression; each cycle is reported
        // once, naming its columns.
        std::vector<int> state(n, 0);  // 0 new, 1 on stack, 2 done
        std::vector<int> stack;
        std::vector<bool> in_cycle(n, false);
        std::vector<int> order;
        std::function<void(int)> visit = [&](int v) {
            state[std::size_t(v)] = 1;
            stack.push_back(v);
            for (int d : deps_[std::size_t(v)]) {
                if (!parsed[std::size_t(d)]) continue;
                if (state[std::size_t(d)] == 1) {
                    auto it = std::find(stack.begin(), stack.end(), d);
                    std::string path;
                    for (auto p = it; p != stack.end(); ++p) {
                        path += t_.columns[std::size_t(*p)].key + " -> ";
                        in_cycle[std::size_t(*p)] = true;
                    }
                    path += t_.columns[std::size_t(d)].key;
                    error(t_.columns[std::size_t(d)].pointer + "/expr",
                          "computed columns depend on each other in a cycle: " + path +
                              "; one of them must be given as data");
                } else if (state[std::size_t(d)] == 0) {
                    visit(d);
                }
            }
            stack.pop_back();
            state[std::size_t(v)] = 2;
            order.push_back(v);
        };
        for (std::size_t i = 0; i < n; ++i)
            if (parsed[i] && state[i] == 0) visit(int(i));
        // A column is evaluated when it, and everything it depends on, is sound.
        std::vector<bool> usable(n, false);
        for (int c : order) {
            std::size_t i = std::size_t(c);
            bool ok = parsed[i] && refs_ok[i] && !in_cycle[i];
            for (int d : deps_[i])
                if (computed_decl_[std::size_t(d)] && !usable[std::size_t(d)]) ok = false;
            usable[i] = ok;
            if (ok) {
                exprs_[i] = parsed[i];
                order_.push_back(c);
            }
        }
    }

    void resolve_policies() {
        policy_.assign(t_.columns.size(), TotalPolicy::none);
        for (std::size_t i = 0; i < t_.columns.size(); ++i) {
            const auto& c = t_.columns[i];
            TotalPolicy p = c.total;
            if (p == TotalPolicy::automatic) {
                if (c.format == ValueFormat::text) p = TotalPolicy::none;
                else if (computed_decl_[i]) p = TotalPolicy::recompute;
                else if (c.format == ValueFormat::percent) p = TotalPolicy::none;
                else p = TotalPolicy::sum;
            }
            if (c.format == ValueFormat::text && p != TotalPolicy::none) {
                error(c.pointer + "/total", "column " + c.key + " holds text and cannot be totalled; use \"none\"");
                p = TotalPolicy::none;
            }
            if (p == TotalPolicy::recompute && !computed_decl_[i]) {
                error(c.pointer + "/total", "column " + c.key +
                                                " has total \"recompute\" but no expression; use \"sum\" or \"none\"");
                p = TotalPolicy::none;
            }
            policy_[i] = p;
        }
    }

    // ---- row order ------------------------------------------------------------------
    void build_slots() {
        if (t_.total.present && t_.total.at_top) add_total_slot();
        int number = 0;
        if (!t_.groups.empty()) {
            for (std::size_t g = 0; g < t_.groups.size(); ++g) {
                const auto& grp = t_.groups[g];
                Slot gs;
                gs.kind = RowKind::group;
                gs.cells = &grp.cells;
                gs.pointer = grp.pointer;
                gs.group = int(g);
                gs.holds_subtotals = t_.subtotals == model::SubtotalStyle::group_row;
                slots_.push_back(gs);
                if (t_.numbering_restarts_in_group) number = 0;
                std::vector<int> members;
                for (std::size_t r = 0; r < grp.rows.size(); ++r) {
                    Slot s;
                    s.kind = RowKind::data;
                    s.cells = &grp.rows[r].cells;
                    s.pointer = grp.rows[r].pointer;
                    s.group = int(g);
                    s.number = ++number;
                    s.input_index = int(r);
                    members.push_back(int(slots_.size()));
                    slots_.push_back(s);
                }
                group_members_.push_back(members);
                int holder = int(slots_.size()) - int(grp.rows.size()) - 1;
                if (t_.subtotals == model::SubtotalStyle::separate_row) {
                    Slot st;
                    st.kind = RowKind::subtotal;
                    st.cells = &empty_cells_;
                    st.pointer = grp.pointer;
                    st.group = int(g);
                    st.holds_subtotals = true;
                    holder = int(slots_.size());
                    slots_.push_back(st);
                }
                subtotal_holder_.push_back(t_.subtotals == model::SubtotalStyle::none ? -1 : holder);
            }
        } else {
            for (std::size_t r = 0; r < t_.rows.size(); ++r) {
                Slot s;
                s.kind = RowKind::data;
                s.cells = &t_.rows[r].cells;
                s.pointer = t_.rows[r].pointer;
                s.number = ++number;
                s.input_index = int(r);
                slots_.push_back(s);
            }
        }
        if (t_.total.present && !t_.total.at_top) add_total_slot();
    }

    void add_total_slot() {
        Slot s;
        s.kind = RowKind::total;
        s.cells = &t_.total.cells;
        s.pointer = t_.total.pointer;
        s.holds_subtotals = true;
        total_slot_ = int(slots_.size());
        slots_.push_back(s);
    }

    // ---- cell values ------------------------------------------------------------------
    /// A number from an input cell, or nullopt after reporting why not.
    std::optional<Decimal> number_of(const model::CellInput& in, int c, const std::string& role) {
        const auto& col = t_.columns[std::size_t(c)];
        std::optional<Decimal> d;
        if (in.kind == model::CellInput::Kind::number) d = in.number;
        else if (in.kind == model::CellInput::Kind::text) d = Decimal::parse(in.text);
        if (!d) {
            std::string found = in.kind == model::CellInput::Kind::null ? std::string("null")
                                                                        : "\"" + in.text + "\"";
            error(in.pointer, column_name(c) + " expects " + role + " (a number such as 1234 or \"10966.9345\"), found " +
                                  found);
            return std::nullopt;
        }
        int allowed = shown_decimals(col.format, col.decimals);
        if (d->significant_scale() > allowed && role == "a number") {
            std::string what = col.format == ValueFormat::integer
                                   ? "holds whole numbers"
                                   : "shows at most " + std::to_string(allowed) + " decimal(s)";
            error(in.pointer, column_name(c) + " " + what + "; found " + d->to_trimmed_string() +
                                  " (declare more \"decimals\" or round the value)");
            return std::nullopt;
        }
        return d;
    }

    std::string text_of(const model::CellInput& in) {
        return in.text;  // numbers keep the text they were written with
    }

    void fill_data_rows() {
        for (std::size_t s = 0; s < slots_.size(); ++s) {
            const Slot& slot = slots_[s];
            if (slot.kind != RowKind::data) continue;
            const auto& cells = *slot.cells;
            for (const auto& [key, in] : cells)
                if (col_of(key) < 0)
                    error(in.pointer, "unknown column \"" + key + "\" in " + row_name(int(s)) +
                                          "; the columns are: " + known_columns());
            for (std::size_t c = 0; c < t_.columns.size(); ++c) {
                const auto& col = t_.columns[c];
                Val& v = vals_[s][c];
                auto it = cells.find(col.key);
                const model::CellInput* in = it == cells.end() ? nullptr : &it->second;
                if (col.numbering) {
                    if (in && in->kind != model::CellInput::Kind::null) {
                        v.k = Val::K::text;
                        v.text = text_of(*in);
                    } else {
                        v.k = Val::K::text;
                        v.text = std::to_string(slot.number);
                    }
                    continue;
                }
                if (computed_decl_[c]) {
                    if (in) {
                        if (auto d = number_of(*in, int(c), "a stated number")) stated_.push_back({int(s), int(c), *d, in->pointer});
                    }
                    continue;
                }
                if (!in) {
                    error(slot.pointer, row_name(int(s)) + " has no value for " + column_name(int(c)) +
                                            (col.format == ValueFormat::text ? "; write \"\" for an empty cell"
                                                                             : "; write 0 when there is none"));
                    rejected_[c] = true;
                    continue;
                }
                if (col.format == ValueFormat::text) {
                    if (in->kind != model::CellInput::Kind::null) {
                        v.k = Val::K::text;
                        v.text = text_of(*in);
                    }
                    continue;
                }
                if (auto d = number_of(*in, int(c), "a number")) {
                    v.k = Val::K::number;
                    v.num = *d;
                } else {
                    rejected_[c] = true;
                }
            }
            compute_row(int(s), false);
        }
    }

    /// Evaluates the computed columns of one row (all of them for data rows,
    /// those with policy "recompute" for aggregate rows).
    void compute_row(int s, bool aggregate) {
        for (int c : order_) {
            if (aggregate && policy_[std::size_t(c)] != TotalPolicy::recompute) continue;
            const auto& col = t_.columns[std::size_t(c)];
            const Expr& e = *exprs_[std::size_t(c)];
            auto lookup = [&](const std::string& key) -> std::optional<Decimal> {
                int k = col_of(key);
                const Val& x = vals_[std::size_t(s)][std::size_t(k)];
                if (x.k == Val::K::number) return x.num;
                return std::nullopt;
            };
            Val& v = vals_[std::size_t(s)][std::size_t(c)];
            Value r;
            try {
                r = e.evaluate(lookup);
            } catch (const DecimalOverflow&) {
                error(slots_[std::size_t(s)].pointer, "in " + row_name(s) + ", " + column_name(c) + ": \"" +
                                                          col.expr + "\" gives a number too large to compute exactly");
                continue;
            }
            if (r.ok()) {
                v.k = Val::K::number;
                v.num = r.number.round(shown_decimals(col.format, col.decimals));
            } else {
                if (aggregate && r.status == Value::Status::missing) {
                    int k = col_of(r.missing_key);
                    if (k >= 0 && policy_[std::size_t(k)] == TotalPolicy::none &&
                        vals_[std::size_t(s)][std::size_t(k)].k == Val::K::blank && warned_recompute_.insert(c).second)
                        error(col.pointer + "/total", column_name(c) + " recomputes its " +
                                                          (slots_[std::size_t(s)].kind == RowKind::total ? "total" : "subtotal") +
                                                          " from column " + r.missing_key +
                                                          ", which has no total; give column " + r.missing_key +
                                                          " \"total\": \"sum\", or state its value in that row");
                }
                if (col.on_div_zero == model::DivZero::zero) {
                    v.k = Val::K::number;
                    v.num = Decimal(0).round(shown_decimals(col.format, col.decimals));
                } else {
                    v.k = Val::K::dash;
                    v.text = "-";
                }
                if (r.status == Value::Status::missing) v.missing_key = r.missing_key;
            }
            v.formula = formula_for(s, c);
        }
    }

    Formula formula_for(int s, int c) {
        const auto& col = t_.columns[std::size_t(c)];
        const Expr& e = *exprs_[std::size_t(c)];
        int d = shown_decimals(col.format, col.decimals);
        bool can_fail = e.may_divide_by_zero();
        for (int dep : deps_[std::size_t(c)])
            if (is_computed(dep) && t_.columns[std::size_t(dep)].on_div_zero == model::DivZero::dash) can_fail = true;
        if (slots_[std::size_t(s)].kind != RowKind::data)
            for (int dep : deps_[std::size_t(c)])
                if (policy_[std::size_t(dep)] == TotalPolicy::none) can_fail = true;
        Formula f;
        auto lit = [&](const std::string& text) {
            if (!f.parts.empty() && f.parts.back().row < 0) f.parts.back().text += text;
            else f.parts.push_back({text, -1, -1, -1});
        };
        if (can_fail) lit("IFERROR(");
        bool wrap = e.top_level_round() != d;
        if (wrap) lit("ROUND(");
        e.append_formula(f, [&](const std::string& key) { return Formula::Part{{}, s, s, col_of(key)}; });
        if (wrap) lit("," + std::to_string(d) + ")");
        if (can_fail) lit(col.on_div_zero == model::DivZero::zero ? ",0)" : ",\"-\")");
        return f;
    }

    void fill_aggregate_rows() {
        // Groups first (the total may sum their subtotal cells), then the total.
        for (std::size_t s = 0; s < slots_.size(); ++s)
            if (slots_[s].kind == RowKind::group || slots_[s].kind == RowKind::subtotal) fill_aggregate(int(s));
        if (total_slot_ >= 0) fill_aggregate(total_slot_);
    }

    void fill_aggregate(int s) {
        const Slot& slot = slots_[std::size_t(s)];
        const auto& cells = *slot.cells;
        for (const auto& [key, in] : cells)
            if (col_of(key) < 0)
                error(in.pointer, "unknown column \"" + key + "\" in " + row_name(s) + "; the columns are: " +
                                      known_columns());
        int first_label = -1;
        bool any_text = false;
        for (std::size_t c = 0; c < t_.columns.size(); ++c) {
            const auto& col = t_.columns[c];
            if (col.format == ValueFormat::text && !col.numbering && first_label < 0) first_label = int(c);
            auto it = cells.find(col.key);
            if (col.format == ValueFormat::text && it != cells.end() && it->second.kind != model::CellInput::Kind::null)
                any_text = true;
        }
        std::vector<int> members;
        if (slot.kind == RowKind::total) {
            for (std::size_t g = 0; g < slots_.size(); ++g)
                if (slots_[g].kind == RowKind::data) members.push_back(int(g));
        } else {
            members = group_members_[std::size_t(slot.group)];
        }
        for (std::size_t c = 0; c < t_.columns.size(); ++c) {
            const auto& col = t_.columns[c];
            Val& v = vals_[std::size_t(s)][c];
            auto it = cells.find(col.key);
            const model::CellInput* in = it == cells.end() ? nullptr : &it->second;
            if (col.format == ValueFormat::text) {
                if (in && in->kind != model::CellInput::Kind::null) {
                    v.k = Val::K::text;
                    v.text = text_of(*in);
                } else if (col.numbering && slot.kind == RowKind::group) {
                    v.k = Val::K::text;
                    v.text = vntext::roman(slot.group + 1);
                } else if (int(c) == first_label && !any_text) {
                    v.k = Val::K::text;
                    if (slot.kind == RowKind::group) v.text = t_.groups[std::size_t(slot.group)].title;
                    else if (slot.kind == RowKind::subtotal) v.text = t_.subtotal_label;
                    else v.text = "Tổng cộng";
                }
                continue;
            }
            TotalPolicy p = slot.holds_subtotals ? policy_[c] : TotalPolicy::none;
            if (p == TotalPolicy::none) {
                if (in && in->kind != model::CellInput::Kind::null) {
                    if (auto d = number_of(*in, int(c), "a number")) {
                        v.k = Val::K::number;
                        v.num = *d;
                    }
                }
                continue;
            }
            if (in) {
                if (auto d = number_of(*in, int(c), "a stated number")) stated_.push_back({s, int(c), *d, in->pointer});
            }
            if (p == TotalPolicy::sum) sum_cell(s, int(c), members);
        }
        if (slot.holds_subtotals) compute_row(s, true);
    }

    void sum_cell(int s, int c, const std::vector<int>& members) {
        Val& v = vals_[std::size_t(s)][std::size_t(c)];
        Decimal total;
        for (int m : members) {
            const Val& x = vals_[std::size_t(m)][std::size_t(c)];
            if (x.k == Val::K::number) {
                try {
                    total += x.num;
                } catch (const DecimalOverflow&) {
                    error(slots_[std::size_t(s)].pointer, "the sum of " + column_name(c) + " is too large");
                }
            }
        }
        v.k = Val::K::number;
        v.num = total;
        // Excel: the total of a grouped table adds the subtotal cells; otherwise ranges of data rows.
        std::vector<std::pair<int, int>> ranges;
        const Slot& slot = slots_[std::size_t(s)];
        bool via_subtotals = slot.kind == RowKind::total && !t_.groups.empty() &&
                             t_.subtotals != model::SubtotalStyle::none;
        if (via_subtotals) {
            for (int h : subtotal_holder_) ranges.push_back({h, h});
        } else {
            for (int m : members) {
                if (!ranges.empty() && ranges.back().second + 1 == m) ranges.back().second = m;
                else ranges.push_back({m, m});
            }
        }
        Formula f;
        if (ranges.empty()) {
            f.parts.push_back({"0", -1, -1, -1});
        } else {
            f.parts.push_back({"SUM(", -1, -1, -1});
            for (std::size_t i = 0; i < ranges.size(); ++i) {
                if (i) f.parts.push_back({",", -1, -1, -1});
                f.parts.push_back({{}, ranges[i].first, ranges[i].second, c});
            }
            f.parts.push_back({")", -1, -1, -1});
        }
        v.formula = std::move(f);
    }

    // ---- consistency checks ----------------------------------------------------------------
    /// Column c's value in slot s is built on an input cell that was rejected
    /// (and reported): in that row for a data row, anywhere for a total or
    /// subtotal. Comparing a stated value with it would only repeat that error.
    bool rests_on_rejected(int s, int c) const {
        std::vector<bool> seen(t_.columns.size(), false);  // each column once, cycles included
        return rests_on_rejected(s, c, seen);
    }
    bool rests_on_rejected(int s, int c, std::vector<bool>& seen) const {
        if (seen[std::size_t(c)]) return false;
        seen[std::size_t(c)] = true;
        const bool data = slots_[std::size_t(s)].kind == RowKind::data;
        if (!computed_decl_[std::size_t(c)])
            return data ? vals_[std::size_t(s)][std::size_t(c)].k == Val::K::blank : bool(rejected_[std::size_t(c)]);
        for (int d : deps_[std::size_t(c)])
            if (rests_on_rejected(s, d, seen)) return true;
        return !data && rejected_[std::size_t(c)];
    }

    void check_stated() {
        for (const auto& st : stated_) {
            if (rests_on_rejected(st.slot, st.col)) continue;
            const auto& col = t_.columns[std::size_t(st.col)];
            const Val& v = vals_[std::size_t(st.slot)][std::size_t(st.col)];
            std::string stated_text = format_value(st.value, col.format, col.decimals);
            std::string how;
            if (policy_[std::size_t(st.col)] == TotalPolicy::sum && slots_[std::size_t(st.slot)].kind != RowKind::data) {
                const Slot& sl = slots_[std::size_t(st.slot)];
                std::size_t n = 0;
                if (sl.kind == RowKind::total) {
                    for (const auto& x : slots_) n += x.kind == RowKind::data;
                } else {
                    n = group_members_[std::size_t(sl.group)].size();
                }
                how = "the sum of " + std::to_string(n) + " row(s)";
            } else {
                how = "\"" + col.expr + "\"";
            }
            if (v.k == Val::K::blank) continue;  // nothing computed (an error was reported already)
            if (v.k == Val::K::dash) {
                std::string why = how + " divides by zero";
                if (!v.missing_key.empty()) why = how + " reads column " + v.missing_key + ", which has no number in this row";
                error(st.pointer, "in " + table_name() + ", " + row_name(st.slot) + ", " + column_name(st.col) +
                                      ": the input states " + stated_text + " but the table computes \"-\" (" + why +
                                      ")");
                continue;
            }
            Decimal a = displayed_value(st.value, col.format, col.decimals);
            Decimal b = displayed_value(v.num, col.format, col.decimals);
            if (a != b)
                error(st.pointer, "in " + table_name() + ", " + row_name(st.slot) + ", " + column_name(st.col) +
                                      ": the input states " + stated_text + " but the table computes " +
                                      format_value(v.num, col.format, col.decimals) + " (" + how + ")");
        }
    }

    // ---- output ------------------------------------------------------------------------
    void emit(ResolvedTable& out) {
        const std::size_t n = t_.columns.size();
        for (std::size_t c = 0; c < n; ++c) {
            const auto& col = t_.columns[c];
            ResolvedColumn rc;
            rc.key = col.key;
            rc.format = col.format;
            rc.decimals = shown_decimals(col.format, col.decimals);
            rc.computed = computed_decl_[c];
            rc.width = col.width;
            rc.align = align_of(col);
            out.columns.push_back(rc);
        }
        // Header grid.
        int depth = 0;
        for (const auto& g : t_.header_groups) {
            if (g.first < 0 || g.last >= int(n) || g.first > g.last || g.level < 0) {
                error(annex_.pointer + "/columns", "header group \"" + g.text + "\" covers no valid columns");
                continue;
            }
            depth = std::max(depth, g.level + 1);
        }
        out.header_rows = depth + 1;
        std::vector<int> leaf_top(n, 0);
        for (const auto& g : t_.header_groups) {
            if (g.first < 0 || g.last >= int(n) || g.first > g.last || g.level < 0) continue;
            out.header.push_back({g.level, g.first, 1, g.last - g.first + 1, g.text});
            for (int c = g.first; c <= g.last; ++c) leaf_top[std::size_t(c)] = std::max(leaf_top[std::size_t(c)], g.level + 1);
        }
        for (std::size_t c = 0; c < n; ++c)
            out.header.push_back({leaf_top[c], int(c), out.header_rows - leaf_top[c], 1, t_.columns[c].header});
        std::sort(out.header.begin(), out.header.end(), [](const HeaderCell& a, const HeaderCell& b) {
            return a.row != b.row ? a.row < b.row : a.col < b.col;
        });
        bool any_label = false;
        for (const auto& col : t_.columns) any_label = any_label || !col.label.empty();
        if (any_label)
            for (const auto& col : t_.columns) out.labels.push_back(col.label);

        // Body.
        for (std::size_t s = 0; s < slots_.size(); ++s) {
            ResolvedRow row;
            row.kind = slots_[s].kind;
            row.pointer = slots_[s].pointer;
            row.bold = row.kind != RowKind::data;
            for (std::size_t c = 0; c < n; ++c) {
                const auto& col = t_.columns[c];
                const Val& v = vals_[s][c];
                Cell cell;
                cell.align = out.columns[c].align;
                cell.bold = row.bold;
                cell.formula = v.formula;
                switch (v.k) {
                    case Val::K::blank: break;
                    case Val::K::text: cell.text = v.text; break;
                    case Val::K::dash:
                        cell.text = "-";
                        if (col.format != ValueFormat::text) cell.align = Align::center;
                        break;
                    case Val::K::number:
                        cell.value = displayed_value(v.num, col.format, col.decimals);
                        cell.text = format_value(v.num, col.format, col.decimals);
                        cell.excel_format = excel_number_format(v.num, col.format, col.decimals);
                        break;
                }
                row.cells.push_back(std::move(cell));
            }
            out.rows.push_back(std::move(row));
        }

        // Content widths and orientation.
        for (std::size_t c = 0; c < n; ++c) {
            std::size_t w = std::max(longest_word(t_.columns[c].header), utf8_length(t_.columns[c].label));
            for (const auto& r : out.rows) w = std::max(w, utf8_length(r.cells[c].text));
            out.columns[c].content_chars = int(w);
        }
        switch (annex_.orientation) {
            case model::Orientation::landscape: out.landscape = true; break;
            case model::Orientation::portrait: out.landscape = false; break;
            case model::Orientation::automatic: {
                int est = 0;
                for (const auto& rc : out.columns) est += std::min(std::max(rc.content_chars, 4), 30) + 2;
                out.landscape = n > 8 || est > 90;
                break;
            }
        }
    }

    static Align align_of(const model::Column& col) {
        switch (col.align) {
            case model::Align::left: return Align::left;
            case model::Align::center: return Align::center;
            case model::Align::right: return Align::right;
            case model::Align::automatic: break;
        }
        if (col.numbering) return Align::center;
        return col.format == ValueFormat::text ? Align::left : Align::right;
    }

    const model::Annex& annex_;
    const model::Table& t_;
    Diagnostics& diags_;

    std::map<std::string, int> index_;
    std::vector<std::optional<Expr>> exprs_;
    std::vector<std::vector<int>> deps_;
    std::vector<bool> computed_decl_;
    std::vector<bool> rejected_;  ///< per column: some data row's input was rejected (and reported)
    std::vector<int> order_;
    std::vector<TotalPolicy> policy_;

    std::vector<Slot> slots_;
    std::vector<std::vector<int>> group_members_;
    std::vector<int> subtotal_holder_;
    int total_slot_ = -1;
    model::CellInputs empty_cells_;

    std::vector<std::vector<Val>> vals_;
    std::vector<Stated> stated_;
    std::set<int> warned_recompute_;
};

}  // namespace

ResolvedTable resolve(const model::Annex& annex, Diagnostics& diags) {
    try {
        Engine e(annex, diags);
        return e.run();
    } catch (const DecimalOverflow&) {
        diags.error(annex.source_file, annex.pointer,
                    "table \"" + annex.title + "\" holds numbers too large to compute exactly "
                    "(at most 36 digits, 18 after the decimal point)");
        ResolvedTable t;
        t.title = annex.title;
        t.source_file = annex.source_file;
        t.pointer = annex.pointer;
        return t;
    }
}

}  // namespace vanban::table

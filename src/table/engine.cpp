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
    enum class K { blank, number, text, dash, unknown };
    K k = K::blank;
    Decimal num;  ///< K::number: the value; K::unknown: the known part (the sum of the known cells below)
    std::string text;
    Formula formula;
    bool may_dash = false;  ///< the formula is wrapped in IFERROR(…,"-")
    /// K::dash from an expression that read a column with no number here (not
    /// a division by zero): that column's key.
    std::string missing_key;
};

/// A value the input gives for a computed cell, a subtotal or the total.
struct Stated {
    int slot = 0;
    int col = 0;
    Decimal value;
    std::string pointer;
    bool as_published = false;  ///< printed as given even when it differs (a warning)
    bool settled = false;       ///< handled where it was computed (printed as stated, warned)
};

/// One printed row, in print order, with where it sits in the group tree.
struct Slot {
    RowKind kind = RowKind::data;
    const model::CellInputs* cells = nullptr;
    std::string pointer;
    std::string id;
    std::string title;        ///< a group's title
    std::string where;        ///< "row 3", "group row 2.1", "subtotal row of group 2", "total row"
    std::string number;       ///< text of the numbering column: "1", "II", "a"
    int parent = -1;          ///< slot of the enclosing group's heading row
    int depth = 0;            ///< 0: top-level groups and the rows of an ungrouped table
    bool leaf = false;        ///< its cells are figures: data rows and groups without rows
    bool holds_subtotals = false;
    std::vector<int> members; ///< holders: the slots whose cells are summed here
    int leaves = 0;           ///< holders: the number of figure rows below (for messages)
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
            error(annex_.pointer + "/columns", tr("table-no-columns", "the table has no columns; declare at least one column"));
            return out;
        }
        index_columns();
        compile();
        resolve_policies();
        build_slots();
        vals_.assign(slots_.size(), std::vector<Val>(t_.columns.size()));
        find_unknowns();
        fill_leaves();
        fill_aggregate_rows();
        check_stated();
        emit(out);
        return out;
    }

private:
    // ---- reporting -----------------------------------------------------------
    void error(const std::string& pointer, Message msg) { diags_.error(annex_.source_file, pointer, std::move(msg)); }
    void warning(const std::string& pointer, Message msg) { diags_.warning(annex_.source_file, pointer, std::move(msg)); }

    std::string table_name() const {
        std::string n = annex_.title.empty() ? annex_.label : annex_.title;
        return n.empty() ? tx("table at {}", annex_.pointer) : tx("table \"{}\"", n);
    }

    std::string column_name(int c) const {
        const auto& col = t_.columns[std::size_t(c)];
        std::string s = tx("column {}", col.key);
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
        if (name.empty() && !s.title.empty()) name = s.title;
        std::string what = s.where;
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
                error(c.pointer + "/key", tr("column-key-missing", "a column needs a key (a name such as \"c1\" used by rows and expressions)"));
                continue;
            }
            if (!index_.emplace(c.key, int(i)).second)
                error(c.pointer + "/key", tr("column-key-twice", "column key \"{}\" is used twice; keys must be unique", c.key));
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
                error(c.pointer + "/format", tr("column-format", "column {} is computed (\"{}\") and needs a number format, not \"text\"", c.key, c.expr));
                continue;
            }
            if (c.numbering) {
                error(c.pointer, tr("column-format", "column {} cannot both number the rows and be computed", c.key));
                continue;
            }
            ExprError err;
            parsed[i] = Expr::parse(c.expr, err);
            if (!parsed[i]) {
                error(where, tr("expr-syntax", "expression \"{}\" of column {}: {} (at character {})", c.expr, c.key, err.message,
                                err.offset + 1));
                continue;
            }
            for (const auto& r : parsed[i]->references()) {
                int d = col_of(r.name);
                if (d < 0) {
                    error(where, tr("expr-unknown-column", "expression \"{}\" of column {} names unknown column \"{}\" (at character {}); the columns are: {}",
                                    c.expr, c.key, r.name, r.offset + 1, known_columns()));
                    refs_ok[i] = false;
                } else if (!is_numeric(d)) {
                    error(where, tr("expr-text-column", "expression \"{}\" of column {} uses text column \"{}\" (at character {}); only number columns can be computed with",
                                    c.expr, c.key, r.name, r.offset + 1));
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
                          tr("expr-cycle", "computed columns depend on each other in a cycle: {}; one of them must be given as data", path));
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
                error(c.pointer + "/total", tr("column-total", "column {} holds text and cannot be totalled; use \"none\"", c.key));
                p = TotalPolicy::none;
            }
            if (p == TotalPolicy::recompute && !computed_decl_[i]) {
                error(c.pointer + "/total", tr("column-total", "column {} has total \"recompute\" but no expression; use \"sum\" or \"none\"", c.key));
                p = TotalPolicy::none;
            }
            policy_[i] = p;
        }
    }


    // ---- row order ------------------------------------------------------------------
    /// Text of the numbering column for the n-th (1-based) group or row among
    /// its siblings: groups I, II at the top, 1, 2 inside them, a, b below,
    /// "-" deeper; rows 1, 2 in an ungrouped table or a top-level group, a, b
    /// one level down, "-" deeper.
    static std::string number_text(int depth, bool group, int n) {
        switch (group ? depth : std::max(depth, 1)) {
            case 0: return vntext::roman(n);
            case 1: return std::to_string(n);
            case 2: return vntext::point_letter(n - 1);
            default: return "-";
        }
    }

    void build_slots() {
        if (t_.total.present && t_.total.at_top) add_total_slot();
        std::vector<int> top;
        if (!t_.groups.empty()) {
            int continuous = 0;
            for (std::size_t g = 0; g < t_.groups.size(); ++g) {
                auto m = add_group(t_.groups[g], -1, 0, int(g) + 1, std::to_string(g + 1), continuous);
                top.insert(top.end(), m.begin(), m.end());
            }
        } else {
            for (std::size_t r = 0; r < t_.rows.size(); ++r) top.push_back(add_row(t_.rows[r], -1, 0, int(r), int(r) + 1));
        }
        if (t_.total.present && !t_.total.at_top) add_total_slot();
        if (total_slot_ >= 0) {
            slots_[std::size_t(total_slot_)].members = top;
            slots_[std::size_t(total_slot_)].leaves = count_leaves(top);
        }
    }

    int count_leaves(const std::vector<int>& members) const {
        int n = 0;
        for (int m : members) n += slots_[std::size_t(m)].leaf ? 1 : slots_[std::size_t(m)].leaves;
        return n;
    }

    int add_row(const model::Row& row, int parent, int depth, int index, int number) {
        Slot s;
        s.kind = RowKind::data;
        s.cells = &row.cells;
        s.pointer = row.pointer;
        s.id = row.id;
        s.where = tx("row {}", index + 1);
        s.number = number_text(depth, false, number);
        s.parent = parent;
        s.depth = depth;
        s.leaf = true;
        slots_.push_back(s);
        return int(slots_.size()) - 1;
    }

    /// Adds a group's heading row, its rows or sub-groups and its subtotal row;
    /// returns the slots the enclosing group (or the total) sums for it: its
    /// subtotal holder, itself for a leaf, or what it holds when the table has
    /// no subtotals.
    std::vector<int> add_group(const model::Group& grp, int parent, int depth, int n, const std::string& path,
                               int& continuous) {
        Slot gs;
        gs.kind = RowKind::group;
        gs.cells = &grp.cells;
        gs.pointer = grp.pointer;
        gs.id = grp.id;
        gs.title = grp.title;
        gs.where = tx("group row {}", path);
        gs.number = number_text(depth, true, n);
        gs.parent = parent;
        gs.depth = depth;
        gs.leaf = grp.leaf;
        const int head = int(slots_.size());
        slots_.push_back(gs);
        if (grp.leaf) return {head};
        slots_[std::size_t(head)].holds_subtotals = t_.subtotals == model::SubtotalStyle::group_row;
        std::vector<int> members;
        if (!grp.groups.empty()) {
            for (std::size_t i = 0; i < grp.groups.size(); ++i) {
                auto m = add_group(grp.groups[i], head, depth + 1, int(i) + 1, path + "." + std::to_string(i + 1),
                                   continuous);
                members.insert(members.end(), m.begin(), m.end());
            }
        } else {
            for (std::size_t r = 0; r < grp.rows.size(); ++r) {
                int number = !t_.numbering_restarts_in_group && depth == 0 ? ++continuous : int(r) + 1;
                members.push_back(add_row(grp.rows[r], head, depth + 1, int(r), number));
            }
        }
        int holder = slots_[std::size_t(head)].holds_subtotals ? head : -1;
        if (t_.subtotals == model::SubtotalStyle::separate_row) {
            Slot st;
            st.kind = RowKind::subtotal;
            st.cells = &empty_cells_;
            st.pointer = grp.pointer;
            st.where = tx("subtotal row of group {}", path);
            st.parent = head;
            st.depth = depth + 1;
            st.holds_subtotals = true;
            holder = int(slots_.size());
            slots_.push_back(st);
        }
        if (holder < 0) return members;  // no subtotals: the enclosing level sums what the group holds
        slots_[std::size_t(holder)].members = members;
        slots_[std::size_t(holder)].leaves = count_leaves(members);
        holders_.push_back(holder);  // children before their parents
        return {holder};
    }

    void add_total_slot() {
        Slot s;
        s.kind = RowKind::total;
        s.cells = &t_.total.cells;
        s.pointer = t_.total.pointer;
        s.where = tx("total row");
        s.holds_subtotals = true;
        total_slot_ = int(slots_.size());
        slots_.push_back(s);
    }

    // ---- unknown cells ----------------------------------------------------------------
    model::UnknownRule rule(int c) const { return t_.columns[std::size_t(c)].unknowns; }
    /// Unknown cells of column c make what reads them unknown.
    bool propagates(int c) const { return admits_unknown_[std::size_t(c)] && rule(c) == model::UnknownRule::unknown; }

    /// Which columns can hold unknown cells: those given null somewhere, and
    /// the computed columns reading one whose unknowns propagate.
    void find_unknowns() {
        admits_unknown_.assign(t_.columns.size(), false);
        for (const auto& s : slots_)
            for (const auto& [key, in] : *s.cells) {
                int c = col_of(key);
                if (c >= 0 && is_numeric(c) && !computed_decl_[std::size_t(c)] && in.has_value &&
                    in.kind == model::CellInput::Kind::null)
                    admits_unknown_[std::size_t(c)] = true;
            }
        for (int c : order_)
            for (int d : deps_[std::size_t(c)])
                if (propagates(d)) admits_unknown_[std::size_t(c)] = true;
    }

    // ---- cell values ------------------------------------------------------------------
    /// The input of a cell when it gives a value ({"equals": …} alone gives none).
    const model::CellInput* given(const model::CellInputs& cells, const std::string& key) const {
        auto it = cells.find(key);
        return it == cells.end() || !it->second.has_value ? nullptr : &it->second;
    }

    /// The first text column that is not a numbering one, and whether the row
    /// gives any text (in a numbering column too, when `numbering_counts`).
    struct LabelScan {
        int first_label = -1;
        bool any_text = false;
    };
    LabelScan scan_labels(const model::CellInputs& cells, bool numbering_counts) const {
        LabelScan out;
        for (std::size_t c = 0; c < t_.columns.size(); ++c) {
            const auto& col = t_.columns[c];
            if (col.format != ValueFormat::text) continue;
            if (!col.numbering && out.first_label < 0) out.first_label = int(c);
            const auto* in = given(cells, col.key);
            if ((numbering_counts || !col.numbering) && in && in->kind != model::CellInput::Kind::null) out.any_text = true;
        }
        return out;
    }

    /// A number from an input cell, or nullopt after reporting why not.
    std::optional<Decimal> number_of(const model::CellInput& in, int c, const std::string& role) {
        const auto& col = t_.columns[std::size_t(c)];
        std::optional<Decimal> d;
        if (in.kind == model::CellInput::Kind::number) d = in.number;
        else if (in.kind == model::CellInput::Kind::text) d = Decimal::parse(in.text);
        if (!d) {
            if (in.kind == model::CellInput::Kind::null) {
                error(in.pointer, tr("cell-null-computed",
                                     "{} expects {}, found null; null marks an input value that is not known, and this cell is "
                                     "computed: leave it out",
                                     column_name(c), translate(nullptr, role.c_str())));
                return std::nullopt;
            }
            error(in.pointer, tr("cell-not-number", "{} expects {} (a number such as 1234 or \"10966.9345\"), found \"{}\"",
                                 column_name(c), translate(nullptr, role.c_str()), in.text));
            return std::nullopt;
        }
        int allowed = shown_decimals(col.format, col.decimals);
        if (d->significant_scale() > allowed && role == "a number") {
            if (col.format == ValueFormat::integer)
                error(in.pointer, tr("cell-decimals", "{} holds whole numbers; found {} (declare more \"decimals\" or round the value)",
                                     column_name(c), d->to_trimmed_string()));
            else
                error(in.pointer, tr("cell-decimals",
                                     "{} shows at most {} decimal(s); found {} (declare more \"decimals\" or round the value)",
                                     column_name(c), allowed, d->to_trimmed_string()));
            return std::nullopt;
        }
        return d;
    }

    std::string text_of(const model::CellInput& in) {
        return in.text;  // numbers keep the text they were written with
    }

    void stated(int s, int c, const model::CellInput& in) {
        if (auto d = number_of(in, c, N_("a stated number"))) {
            stated_index_[{s, c}] = stated_.size();
            stated_.push_back({s, c, *d, in.pointer, in.as_published});
        }
    }

    void report_unknown_keys(int s) {
        for (const auto& [key, in] : *slots_[std::size_t(s)].cells)
            if (col_of(key) < 0)
                error(in.pointer, tr("unknown-column", "unknown column \"{}\" in {}; the columns are: {}", key, row_name(s), known_columns()));
    }

    /// Data rows and leaf groups: their cells are figures.
    void fill_leaves() {
        for (std::size_t s = 0; s < slots_.size(); ++s) {
            const Slot& slot = slots_[s];
            if (!slot.leaf) continue;
            const auto& cells = *slot.cells;
            const bool group = slot.kind == RowKind::group;
            const auto [first_label, any_text] = scan_labels(cells, false);
            for (std::size_t c = 0; c < t_.columns.size(); ++c) {
                const auto& col = t_.columns[c];
                Val& v = vals_[s][c];
                const model::CellInput* in = given(cells, col.key);
                if (col.numbering) {
                    v.k = Val::K::text;
                    v.text = in && in->kind != model::CellInput::Kind::null ? text_of(*in) : slot.number;
                    continue;
                }
                if (computed_decl_[c]) {
                    if (in) stated(int(s), int(c), *in);
                    continue;
                }
                if (col.format == ValueFormat::text) {
                    if (in && in->kind != model::CellInput::Kind::null) {
                        v.k = Val::K::text;
                        v.text = text_of(*in);
                    } else if (group && int(c) == first_label && !any_text) {
                        v.k = Val::K::text;
                        v.text = slot.title;
                    } else if (!in && !group) {
                        error(slot.pointer, tr("cell-missing", "{} has no value for {}; write \"\" for an empty cell", row_name(int(s)), column_name(int(c))));
                    }
                    continue;
                }
                if (!in) {
                    error(slot.pointer, tr("cell-missing", "{} has no value for {}; write 0 when there is none, or null when it is not known",
                                           row_name(int(s)), column_name(int(c))));
                    rejected_[c] = true;
                    continue;
                }
                if (in->kind == model::CellInput::Kind::null) {
                    v.k = Val::K::unknown;
                    v.num = Decimal(0);
                    continue;
                }
                if (auto d = number_of(*in, int(c), N_("a number"))) {
                    v.k = Val::K::number;
                    v.num = *d;
                } else {
                    rejected_[c] = true;
                }
            }
            report_unknown_keys(int(s));
            compute_row(int(s), false);
        }
    }

    /// Evaluates the computed columns of one row (all of them for figure rows,
    /// those with policy "recompute" for aggregate rows).
    void compute_row(int s, bool aggregate) {
        for (int c : order_) {
            if (aggregate && policy_[std::size_t(c)] != TotalPolicy::recompute) continue;
            const auto& col = t_.columns[std::size_t(c)];
            const Expr& e = *exprs_[std::size_t(c)];
            Val& v = vals_[std::size_t(s)][std::size_t(c)];
            bool unknown = false;
            for (int d : deps_[std::size_t(c)])
                unknown = unknown || (vals_[std::size_t(s)][std::size_t(d)].k == Val::K::unknown &&
                                      rule(d) == model::UnknownRule::unknown);
            if (unknown) {
                v.k = Val::K::unknown;
                v.num = Decimal(0);
                v.formula = formula_for(s, c);
                settle(s, c);
                continue;
            }
            auto lookup = [&](const std::string& key) -> std::optional<Decimal> {
                int k = col_of(key);
                const Val& x = vals_[std::size_t(s)][std::size_t(k)];
                if (x.k == Val::K::number) return x.num;
                if (x.k == Val::K::unknown) return Decimal(0);  // a column whose unknowns count as zero
                return std::nullopt;
            };
            Value r;
            try {
                r = e.evaluate(lookup);
            } catch (const DecimalOverflow&) {
                error(slots_[std::size_t(s)].pointer, tr("number-too-large", "in {}, {}: \"{}\" gives a number too large to compute exactly",
                                                         row_name(s), column_name(c), col.expr));
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
                        error(col.pointer + "/total",
                              slots_[std::size_t(s)].kind == RowKind::total
                                  ? tr("column-total", "{0} recomputes its total from column {1}, which has no total; give column {1} "
                                                       "\"total\": \"sum\", or state its value in that row", column_name(c), r.missing_key)
                                  : tr("column-total", "{0} recomputes its subtotal from column {1}, which has no total; give column {1} "
                                                       "\"total\": \"sum\", or state its value in that row", column_name(c), r.missing_key));
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
            settle(s, c);
        }
    }

    /// The Excel formula of computed cell (s, c). Columns whose unknowns count
    /// as zero are read through N() (an unknown is an empty cell or ""); when
    /// a column read holds unknowns that propagate, the result is `fallback`
    /// ("" unless a stated figure stands in) while any of them is empty.
    Formula formula_for(int s, int c, const std::string& fallback = "\"\"") {
        const auto& col = t_.columns[std::size_t(c)];
        const Expr& e = *exprs_[std::size_t(c)];
        int d = shown_decimals(col.format, col.decimals);
        bool can_fail = e.may_divide_by_zero();
        for (int dep : deps_[std::size_t(c)])
            if (is_computed(dep) && t_.columns[std::size_t(dep)].on_div_zero == model::DivZero::dash) can_fail = true;
        if (!slots_[std::size_t(s)].leaf)
            for (int dep : deps_[std::size_t(c)])
                if (policy_[std::size_t(dep)] == TotalPolicy::none) can_fail = true;
        Formula f;
        auto lit = [&](const std::string& text) {
            if (!f.parts.empty() && f.parts.back().row < 0) f.parts.back().text += text;
            else f.parts.push_back({text, -1, -1, -1});
        };
        std::vector<int> guard;
        for (int dep : deps_[std::size_t(c)])
            if (propagates(dep)) guard.push_back(dep);
        if (!guard.empty()) {
            lit("IF(COUNT(");
            for (std::size_t i = 0; i < guard.size(); ++i) {
                if (i) lit(",");
                f.parts.push_back({{}, s, s, guard[i]});
            }
            lit(")<" + std::to_string(guard.size()) + "," + fallback + ",");
        }
        if (can_fail) lit("IFERROR(");
        bool wrap = e.top_level_round() != d;
        if (wrap) lit("ROUND(");
        Formula body;
        e.append_formula(body, [&](const std::string& key) { return Formula::Part{{}, s, s, col_of(key)}; });
        for (const auto& p : body.parts) {
            if (p.row < 0) {
                lit(p.text);
            } else if (admits_unknown_[std::size_t(p.col)] && rule(p.col) == model::UnknownRule::zero) {
                lit("N(");
                f.parts.push_back(p);
                lit(")");
            } else {
                f.parts.push_back(p);
            }
        }
        if (wrap) lit("," + std::to_string(d) + ")");
        if (can_fail) lit(col.on_div_zero == model::DivZero::zero ? ",0)" : ",\"-\")");
        if (!guard.empty()) lit(")");
        return f;
    }

    void fill_aggregate_rows() {
        // Innermost groups first (a group sums its sub-groups' subtotals), then
        // the heading rows that hold nothing, then the total.
        for (int h : holders_) fill_aggregate(h);
        for (std::size_t s = 0; s < slots_.size(); ++s)
            if ((slots_[s].kind == RowKind::group || slots_[s].kind == RowKind::subtotal) && !slots_[s].leaf &&
                !slots_[s].holds_subtotals)
                fill_aggregate(int(s));
        if (total_slot_ >= 0) fill_aggregate(total_slot_);
    }

    void fill_aggregate(int s) {
        const Slot& slot = slots_[std::size_t(s)];
        const auto& cells = *slot.cells;
        report_unknown_keys(s);
        const auto [first_label, any_text] = scan_labels(cells, true);
        for (std::size_t c = 0; c < t_.columns.size(); ++c) {
            const auto& col = t_.columns[c];
            Val& v = vals_[std::size_t(s)][c];
            const model::CellInput* in = given(cells, col.key);
            if (col.format == ValueFormat::text) {
                if (in && in->kind != model::CellInput::Kind::null) {
                    v.k = Val::K::text;
                    v.text = text_of(*in);
                } else if (col.numbering && slot.kind == RowKind::group) {
                    v.k = Val::K::text;
                    v.text = slot.number;
                } else if (int(c) == first_label && !any_text) {
                    v.k = Val::K::text;
                    if (slot.kind == RowKind::group) v.text = slot.title;
                    else if (slot.kind == RowKind::subtotal) v.text = t_.subtotal_label;
                    else v.text = "Tổng cộng";
                }
                continue;
            }
            TotalPolicy p = slot.holds_subtotals ? policy_[c] : TotalPolicy::none;
            if (p == TotalPolicy::none) {
                if (in && in->kind == model::CellInput::Kind::null) {
                    v.k = Val::K::unknown;
                    v.num = Decimal(0);
                } else if (in) {
                    if (auto d = number_of(*in, int(c), N_("a number"))) {
                        v.k = Val::K::number;
                        v.num = *d;
                    }
                }
                continue;
            }
            if (in) stated(s, int(c), *in);
            if (p == TotalPolicy::sum) {
                sum_cell(s, int(c));
                settle(s, int(c));
            }
        }
        if (slot.holds_subtotals) compute_row(s, true);
    }

    void sum_cell(int s, int c) {
        Val& v = vals_[std::size_t(s)][std::size_t(c)];
        Decimal total;
        bool unknown = false;
        for (int m : slots_[std::size_t(s)].members) {
            const Val& x = vals_[std::size_t(m)][std::size_t(c)];
            if (x.k != Val::K::number && x.k != Val::K::unknown) continue;
            if (x.k == Val::K::unknown && rule(c) == model::UnknownRule::unknown) unknown = true;
            try {
                total += x.num;
            } catch (const DecimalOverflow&) {
                error(slots_[std::size_t(s)].pointer, tr("number-too-large", "the sum of {} is too large", column_name(c)));
            }
        }
        v.k = unknown ? Val::K::unknown : Val::K::number;
        v.num = total;
        v.formula = sum_formula(s, c);
    }

    /// SUM over the slot's members (contiguous rows as ranges); when the
    /// column's unknowns propagate, `fallback` while any of them is empty.
    Formula sum_formula(int s, int c, const std::string& fallback = "\"\"") const {
        const auto& members = slots_[std::size_t(s)].members;
        std::vector<std::pair<int, int>> ranges;
        for (int m : members) {
            if (!ranges.empty() && ranges.back().second + 1 == m) ranges.back().second = m;
            else ranges.push_back({m, m});
        }
        Formula f;
        if (ranges.empty()) {
            f.parts.push_back({"0", -1, -1, -1});
            return f;
        }
        auto list = [&] {
            for (std::size_t i = 0; i < ranges.size(); ++i) {
                if (i) f.parts.push_back({",", -1, -1, -1});
                f.parts.push_back({{}, ranges[i].first, ranges[i].second, c});
            }
        };
        const bool guard = propagates(c);
        if (guard) {
            f.parts.push_back({"IF(COUNT(", -1, -1, -1});
            list();
            f.parts.push_back({")<" + std::to_string(members.size()) + "," + fallback + ",", -1, -1, -1});
        }
        f.parts.push_back({"SUM(", -1, -1, -1});
        list();
        f.parts.push_back({guard ? "))" : ")", -1, -1, -1});
        return f;
    }

    /// A stated value for (s, c) that cannot be compared as usual: the
    /// computed cell is unknown (the stated figure stands in for it, checked
    /// against the known part), or a published figure that differs (printed as
    /// published). Both are printed as stated, with a warning.
    void settle(int s, int c) {
        auto it = stated_index_.find({s, c});
        if (it == stated_index_.end()) return;
        Stated& st = stated_[it->second];
        Val& v = vals_[std::size_t(s)][std::size_t(c)];
        const auto& col = t_.columns[std::size_t(c)];
        const std::string stated_text = format_value(st.value, col.format, col.decimals);
        const std::string place = tx("in {}, {}, {}: ", table_name(), row_name(s), column_name(c));
        const bool summed = !slots_[std::size_t(s)].leaf && policy_[std::size_t(c)] == TotalPolicy::sum;
        const std::string literal = st.value.to_plain_string();
        if (v.k == Val::K::unknown) {
            st.settled = true;
            if (summed) {
                int unknown = 0;
                bool all_positive = true;
                for (int m : slots_[std::size_t(s)].members) {
                    const Val& x = vals_[std::size_t(m)][std::size_t(c)];
                    unknown += x.k == Val::K::unknown;
                    all_positive = all_positive && (x.k != Val::K::number || !x.num.is_negative());
                }
                const std::string known = format_value(v.num, col.format, col.decimals);
                if (all_positive && displayed_value(v.num, col.format, col.decimals) >
                                        displayed_value(st.value, col.format, col.decimals))
                    error(st.pointer, tr("stated-over-known", "{}the input states {}, but the known cells it sums already add up to {} ({} of them unknown)",
                                         place, stated_text, known, unknown));
                else
                    warning(st.pointer, tr("stated-over-unknown",
                                           "{}the input states {}; {} of the {} cells it sums are unknown, so it is checked only against "
                                           "their known part, {}; the stated figure is printed",
                                           place, stated_text, unknown, slots_[std::size_t(s)].members.size(), known));
                v.formula = sum_formula(s, c, literal);
            } else {
                std::string cols;
                for (int d : deps_[std::size_t(c)])
                    if (vals_[std::size_t(s)][std::size_t(d)].k == Val::K::unknown && rule(d) == model::UnknownRule::unknown)
                        cols += (cols.empty() ? "" : ", ") + t_.columns[std::size_t(d)].key;
                warning(st.pointer, tr("stated-over-unknown",
                                       "{}the input states {}; \"{}\" reads {}, unknown in this row, so it cannot be checked; the stated "
                                       "figure is printed",
                                       place, stated_text, col.expr, cols));
                v.formula = formula_for(s, c, literal);
            }
            v.k = Val::K::number;
            v.num = st.value;
            return;
        }
        if (!st.as_published) return;
        if (v.k == Val::K::number && displayed_value(v.num, col.format, col.decimals) ==
                                         displayed_value(st.value, col.format, col.decimals))
            return;
        if (v.k != Val::K::number && v.k != Val::K::dash) return;
        if (rests_on_rejected(s, c)) return;
        st.settled = true;
        std::string computed = v.k == Val::K::dash ? std::string("\"-\"") : format_value(v.num, col.format, col.decimals);
        std::string how = summed ? tx("the sum of {} row(s)", slots_[std::size_t(s)].leaves) : "\"" + col.expr + "\"";
        warning(st.pointer, tr("published-differs",
                               "{}the input states {} as published, but the table computes {} ({}); the published figure is printed",
                               place, stated_text, computed, how));
        v.k = Val::K::number;
        v.num = st.value;
        v.formula = {};
    }

    // ---- consistency checks ----------------------------------------------------------------
    /// Column c's value in slot s is built on an input cell that was rejected
    /// (and reported): in that row for a figure row, anywhere for a total or
    /// subtotal. Comparing a stated value with it would only repeat that error.
    bool rests_on_rejected(int s, int c) const {
        std::vector<bool> seen(t_.columns.size(), false);  // each column once, cycles included
        return rests_on_rejected(s, c, seen);
    }
    bool rests_on_rejected(int s, int c, std::vector<bool>& seen) const {
        if (seen[std::size_t(c)]) return false;
        seen[std::size_t(c)] = true;
        const bool data = slots_[std::size_t(s)].leaf;
        if (!computed_decl_[std::size_t(c)])
            return data ? vals_[std::size_t(s)][std::size_t(c)].k == Val::K::blank : bool(rejected_[std::size_t(c)]);
        for (int d : deps_[std::size_t(c)])
            if (rests_on_rejected(s, d, seen)) return true;
        return !data && rejected_[std::size_t(c)];
    }

    void check_stated() {
        for (const auto& st : stated_) {
            if (st.settled || rests_on_rejected(st.slot, st.col)) continue;
            const auto& col = t_.columns[std::size_t(st.col)];
            const Slot& sl = slots_[std::size_t(st.slot)];
            const Val& v = vals_[std::size_t(st.slot)][std::size_t(st.col)];
            std::string stated_text = format_value(st.value, col.format, col.decimals);
            std::string how;
            if (policy_[std::size_t(st.col)] == TotalPolicy::sum && !sl.leaf)
                how = tx("the sum of {} row(s)", sl.leaves);
            else
                how = "\"" + col.expr + "\"";
            if (v.k == Val::K::blank) continue;  // nothing computed (an error was reported already)
            if (v.k == Val::K::dash) {
                std::string why = tx("{} divides by zero", how);
                if (!v.missing_key.empty()) why = tx("{} reads column {}, which has no number in this row", how, v.missing_key);
                error(st.pointer, tr("stated-mismatch", "in {}, {}, {}: the input states {} but the table computes \"-\" ({})",
                                     table_name(), row_name(st.slot), column_name(st.col), stated_text, why));
                continue;
            }
            Decimal a = displayed_value(st.value, col.format, col.decimals);
            Decimal b = displayed_value(v.num, col.format, col.decimals);
            if (a != b)
                error(st.pointer,
                      st.as_published
                          ? tr("stated-mismatch", "in {}, {}, {}: the input states {} but the table computes {} ({})", table_name(),
                               row_name(st.slot), column_name(st.col), stated_text, format_value(v.num, col.format, col.decimals), how)
                          : tr("stated-mismatch",
                               "in {}, {}, {}: the input states {} but the table computes {} ({}); to print a published figure "
                               "as it was published, write {\"value\": {}, \"as_published\": true}",
                               table_name(), row_name(st.slot), column_name(st.col), stated_text,
                               format_value(v.num, col.format, col.decimals), how, st.value.to_plain_string()));
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
            rc.numbering = col.numbering;
            out.columns.push_back(rc);
        }
        // Header grid.
        int depth = 0;
        for (const auto& g : t_.header_groups) {
            if (g.first < 0 || g.last >= int(n) || g.first > g.last || g.level < 0) {
                error(annex_.pointer + "/columns", tr("annex-structure", "header group \"{}\" covers no valid columns", g.text));
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
            row.parent = slots_[s].parent;
            row.level = slots_[s].depth;
            row.id = slots_[s].id;
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
                    case Val::K::unknown:
                        cell.unknown = true;
                        cell.text = col.unknown_mark;
                        cell.align = Align::center;
                        cell.excel_format = excel_number_format(Decimal(0), col.format, col.decimals);
                        break;
                    case Val::K::number:
                        cell.value = displayed_value(v.num, col.format, col.decimals);
                        cell.text = format_value(v.num, col.format, col.decimals);
                        cell.excel_format = excel_number_format(v.num, col.format, col.decimals);
                        break;
                }
                if (col.format != ValueFormat::text && diags_.has_errors()) cell.unsound = rests_on_rejected(int(s), int(c));
                row.cells.push_back(std::move(cell));
            }
            out.rows.push_back(std::move(row));
        }
        // Cells stated equal to cells of other annexes.
        for (std::size_t s = 0; s < slots_.size(); ++s)
            for (const auto& [key, in] : *slots_[s].cells)
                if (!in.equals.empty() && col_of(key) >= 0)
                    out.checks.push_back({int(s), col_of(key), in.equals, in.pointer});

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
    std::vector<bool> rejected_;  ///< per column: some figure row's input was rejected (and reported)
    std::vector<bool> admits_unknown_;  ///< per column: some cell may be unknown
    std::vector<int> order_;
    std::vector<TotalPolicy> policy_;

    std::vector<Slot> slots_;
    std::vector<int> holders_;  ///< slots holding subtotals, innermost groups first
    int total_slot_ = -1;
    model::CellInputs empty_cells_;

    std::vector<std::vector<Val>> vals_;
    std::vector<Stated> stated_;
    std::map<std::pair<int, int>, std::size_t> stated_index_;
    std::set<int> warned_recompute_;
};

}  // namespace

ResolvedTable resolve(const model::Annex& annex, Diagnostics& diags) {
    try {
        Engine e(annex, diags);
        return e.run();
    } catch (const DecimalOverflow&) {
        diags.error(annex.source_file, annex.pointer,
                    tr("number-too-large", "table \"{}\" holds numbers too large to compute exactly (at most 36 digits, 18 after the "
                                           "decimal point)", annex.title));
        ResolvedTable t;
        t.title = annex.title;
        t.source_file = annex.source_file;
        t.pointer = annex.pointer;
        return t;
    }
}

}  // namespace vanban::table

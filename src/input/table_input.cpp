// vanban_input: see input/table_input.hpp.
#include "input/table_input.hpp"

#include "input/fields.hpp"

#include <cctype>
#include <cmath>
#include <set>

#include "vntext/vntext.hpp"

namespace vanban::input {

using json = nlohmann::json;

namespace {

int significant_digits(const std::string& s) {
    int n = 0;
    bool started = false;
    for (char c : s) {
        if (c == 'e' || c == 'E') break;
        if (c < '0' || c > '9') continue;
        if (c != '0') started = true;
        if (started) ++n;
    }
    // Trailing zeros of a fraction written by the dump ("2.0") are not significant.
    return n;
}

class AnnexReader : public Fields {
public:
    using Fields::Fields;

    /// Reports unknown members; `what` names the object in the message.
    void only(const json& j, const std::string& ptr, std::initializer_list<const char*> keys, const char*) {
        Fields::only(j, ptr, keys);
    }

    /// Strings are compared with the text of other files: keep them NFC.
    std::optional<std::string> string(const json& j, const std::string& ptr, bool allow_empty = true) {
        auto s = Fields::string(j, ptr, allow_empty);
        return s ? std::optional<std::string>(vntext::nfc(*s)) : std::nullopt;
    }

    std::vector<std::string> lines(const json& j, const std::string& ptr) {
        std::vector<std::string> out;
        for (auto& s : Fields::lines(j, ptr)) out.push_back(vntext::nfc(s));
        return out;
    }

    std::optional<int> integer(const json& j, const std::string& ptr, int lo, int hi) {
        auto v = Fields::integer(j, ptr, lo, hi);
        return v ? std::optional<int>(int(*v)) : std::nullopt;
    }

    /// A cell's value: a number, a string, null (a number not known), or an
    /// object {"value": …, "as_published": true, "equals": "II:total:tong" | […]}.
    model::CellInput cell(const json& j, const std::string& ptr) {
        if (j.is_object()) {
            only(j, ptr, {"value", "as_published", "equals"}, "a cell");
            model::CellInput c;
            if (const json* v = member(j, ptr, "value", false)) {
                if (v->is_object()) {
                    error(at(ptr, "value"), tr("expected-type", "expected a number, a string or null, found an object"));
                } else {
                    c = cell(*v, at(ptr, "value"));
                }
            } else {
                c.has_value = false;
                if (!j.contains("equals"))
                    error(ptr, tr("annex-structure", "a cell object needs \"value\" (the cell's value) or \"equals\" (cells it must equal)"));
            }
            c.pointer = ptr;
            if (const json* p = member(j, ptr, "as_published", false)) {
                if (auto b = boolean(*p, at(ptr, "as_published"))) c.as_published = *b;
                if (!c.has_value) error(at(ptr, "as_published"), tr("annex-structure", "\"as_published\" keeps a stated \"value\"; give the value"));
            }
            if (const json* e = member(j, ptr, "equals", false)) {
                const std::string ep = at(ptr, "equals");
                if (e->is_string()) {
                    c.equals.push_back(Fields::trimmed(vntext::nfc(e->get<std::string>())));
                } else if (e->is_array() && !e->empty()) {
                    for (std::size_t i = 0; i < e->size(); ++i)
                        if (auto s = string((*e)[i], at(ep, i), false)) c.equals.push_back(Fields::trimmed(*s));
                } else {
                    expected(ep, tx("a reference such as \"II:total:tong\", or a non-empty array of references (their sum)"), *e);
                }
                for (const auto& r : c.equals)
                    if (r.empty()) error(ep, tr("annex-structure", "a reference must not be empty"));
            }
            return c;
        }
        model::CellInput c;
        c.pointer = ptr;
        if (j.is_null()) {
            c.kind = model::CellInput::Kind::null;
        } else if (j.is_string()) {
            c.kind = model::CellInput::Kind::text;
            c.text = vntext::nfc(j.get<std::string>());
        } else if (j.is_number()) {
            std::string why;
            auto d = json_decimal(j, &why);
            if (!d) {
                error(ptr, Message{"cell-not-number", why});
                c.kind = model::CellInput::Kind::null;
            } else {
                c.kind = model::CellInput::Kind::number;
                c.number = *d;
                c.text = j.is_number_float() ? d->to_trimmed_string() : j.dump();
            }
        } else {
            error(ptr, tr("expected-type", "expected {}, found {}", tx("a number, a string, null or a cell object"), json_kind(j)));
        }
        return c;
    }

    /// A row or a group's cells; a row's "$id" goes to `id` (when given).
    model::CellInputs cells(const json& j, const std::string& ptr, std::string* id = nullptr) {
        model::CellInputs out;
        if (!j.is_object()) {
            error(ptr, tr("expected-type", "expected {}, found {}", tx("an object mapping column keys to values"), json_kind(j)));
            return out;
        }
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (it.key() == "$comment") continue;
            if (it.key() == "$id" && id) {
                if (auto s = row_id(it.value(), at(ptr, "$id"))) *id = *s;
                continue;
            }
            out[it.key()] = cell(it.value(), at(ptr, it.key()));
        }
        return out;
    }

    /// A row or group id: letters, digits, '-', '_' and '.', used in references as "#id".
    std::optional<std::string> row_id(const json& j, const std::string& ptr) {
        auto s = Fields::string(j, ptr, false);
        if (!s) return std::nullopt;
        bool ok = true;
        for (char ch : *s) ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.');
        if (!ok) {
            error(ptr, tr("row-id", "an id is ASCII letters, digits, '-', '_' and '.' (e.g. \"da4-tda1\"), found \"{}\"", *s));
            return std::nullopt;
        }
        return s;
    }

    /// A group: a title, and rows, or nested groups, or neither (then its
    /// cells are its own figures).
    model::Group group(const json& g, const std::string& gp) {
        model::Group grp;
        grp.pointer = gp;
        if (!g.is_object()) {
            error(gp, tr("expected-type", "expected {}, found {}", tx("a group object {\"title\", \"rows\"}"), json_kind(g)));
            return grp;
        }
        only(g, gp, {"title", "id", "rows", "groups", "cells"}, "a group");
        if (!g.contains("title")) error(gp, tr("annex-structure", "a group needs a \"title\""));
        else if (auto s = string(g["title"], gp + "/title", false)) grp.title = *s;
        if (g.contains("id"))
            if (auto s = row_id(g["id"], gp + "/id")) grp.id = *s;
        const bool has_rows = g.contains("rows"), has_groups = g.contains("groups");
        if (has_rows && has_groups)
            error(gp + "/groups", tr("annex-structure", "a group holds either \"rows\" or \"groups\", not both; make the rows a group of their own"));
        if (has_rows) grp.rows = rows(g["rows"], gp + "/rows");
        if (has_groups && !has_rows) {
            const json& sub = g["groups"];
            if (!sub.is_array()) {
                error(gp + "/groups", tr("expected-type", "expected {}, found {}", tx("an array of groups"), json_kind(sub)));
            } else {
                for (std::size_t i = 0; i < sub.size(); ++i) grp.groups.push_back(group(sub[i], at(gp + "/groups", i)));
            }
        }
        grp.leaf = !has_rows && !has_groups;
        if (g.contains("cells")) grp.cells = cells(g["cells"], gp + "/cells");
        else if (grp.leaf) error(gp, tr("annex-structure", "a group without \"rows\" or \"groups\" carries its own figures: give them in \"cells\""));
        return grp;
    }

    // ---- columns ------------------------------------------------------------------
    void columns(const json& j, const std::string& ptr, int level, model::Table& t) {
        if (!j.is_array() || j.empty()) {
            error(ptr, tr("table-no-columns", "expected a non-empty array of columns, found {}", j.is_array() ? tx("an empty array") : json_kind(j)));
            return;
        }
        for (std::size_t i = 0; i < j.size(); ++i) {
            const json& c = j[i];
            std::string cp = at(ptr, i);
            if (!c.is_object()) {
                error(cp, tr("expected-type", "expected {}, found {}", tx("a column object"), json_kind(c)));
                continue;
            }
            if (c.contains("columns")) {
                only(c, cp, {"header", "columns"}, "a column group");
                model::HeaderGroup g;
                if (c.contains("header")) {
                    if (auto s = string(c["header"], cp + "/header")) g.text = *s;
                } else {
                    error(cp, tr("annex-structure", "a column group needs a \"header\" (the merged cell's text)"));
                }
                g.level = level;
                g.first = int(t.columns.size());
                std::size_t index = t.header_groups.size();
                t.header_groups.push_back(g);
                columns(c["columns"], cp + "/columns", level + 1, t);
                t.header_groups[index].last = int(t.columns.size()) - 1;
                if (t.header_groups[index].last < t.header_groups[index].first)
                    t.header_groups.erase(t.header_groups.begin() + std::ptrdiff_t(index));
                continue;
            }
            t.columns.push_back(column(c, cp));
        }
    }

    model::Column column(const json& c, const std::string& cp) {
        only(c, cp, {"key", "header", "label", "format", "decimals", "align", "expr", "total", "div_zero", "unknown_mark",
                     "unknown_counts_as", "numbering", "width"},
             "a column");
        model::Column col;
        col.pointer = cp;
        if (!c.contains("key")) {
            error(cp, tr("annex-structure", "a column needs a \"key\" (a name such as \"c1\" used by rows and expressions)"));
        } else if (auto k = string(c["key"], cp + "/key", false)) {
            bool ok = std::isalpha(static_cast<unsigned char>((*k)[0])) || (*k)[0] == '_';
            for (char ch : *k) ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
            if (!ok)
                error(cp + "/key", tr("column-key", "column key \"{}\" must be ASCII letters, digits and '_', starting with a letter (e.g. "
                                                    "\"c1\", \"ho_ngheo\")", *k));
            col.key = *k;
        }
        if (c.contains("header"))
            if (auto s = string(c["header"], cp + "/header")) col.header = *s;
        if (c.contains("label")) {
            if (c["label"].is_number_integer()) col.label = c["label"].dump();
            else if (auto s = string(c["label"], cp + "/label")) col.label = *s;
        }
        if (c.contains("numbering")) {
            if (!c["numbering"].is_boolean()) error(cp + "/numbering", tr("expected-type", "expected {}, found {}", tx("true or false"), json_kind(c["numbering"])));
            else col.numbering = c["numbering"].get<bool>();
        }
        col.format = col.numbering ? model::ValueFormat::text : model::ValueFormat::integer;
        if (c.contains("format")) {
            if (auto f = choice<model::ValueFormat>(c["format"], cp + "/format",
                                                    {{"integer", model::ValueFormat::integer},
                                                     {"decimal", model::ValueFormat::decimal},
                                                     {"percent", model::ValueFormat::percent},
                                                     {"money", model::ValueFormat::money},
                                                     {"text", model::ValueFormat::text}}))
                col.format = *f;
        }
        if (col.numbering && col.format != model::ValueFormat::text)
            error(cp + "/format", tr("annex-structure", "a numbering column (\"numbering\": true) holds text; leave \"format\" out or use \"text\""));
        switch (col.format) {
            case model::ValueFormat::decimal:
            case model::ValueFormat::percent: col.decimals = 2; break;
            case model::ValueFormat::money: col.decimals = 4; break;
            default: col.decimals = 0; break;
        }
        if (c.contains("decimals")) {
            if (auto d = integer(c["decimals"], cp + "/decimals", 0, 6)) {
                if (col.format == model::ValueFormat::integer || col.format == model::ValueFormat::text) {
                    if (*d != 0)
                        error(cp + "/decimals", tr("cell-decimals", "\"decimals\" applies to the formats decimal, percent and money; this "
                                                                    "column is {}", col.format == model::ValueFormat::text ? "text" : "integer"));
                } else {
                    col.decimals = *d;
                }
            }
        }
        if (c.contains("align")) {
            if (auto a = choice<model::Align>(c["align"], cp + "/align",
                                              {{"auto", model::Align::automatic},
                                               {"left", model::Align::left},
                                               {"center", model::Align::center},
                                               {"right", model::Align::right}}))
                col.align = *a;
        }
        if (c.contains("expr"))
            if (auto s = string(c["expr"], cp + "/expr", false)) col.expr = *s;
        if (c.contains("total")) {
            if (auto p = choice<model::TotalPolicy>(c["total"], cp + "/total",
                                                    {{"auto", model::TotalPolicy::automatic},
                                                     {"sum", model::TotalPolicy::sum},
                                                     {"recompute", model::TotalPolicy::recompute},
                                                     {"none", model::TotalPolicy::none}}))
                col.total = *p;
        }
        if (c.contains("div_zero")) {
            const json& z = c["div_zero"];
            if (z.is_string() && z.get<std::string>() == "-") col.on_div_zero = model::DivZero::dash;
            else if (z.is_number_integer() && z.get<long long>() == 0) col.on_div_zero = model::DivZero::zero;
            else error(cp + "/div_zero", tr("expected-choice", "expected \"-\" or 0 (what a division by zero shows), found {}", z.dump()));
        }
        if (c.contains("unknown_mark")) {
            if (auto m = choice<std::string>(c["unknown_mark"], cp + "/unknown_mark", {{"-", "-"}, {"", ""}}))
                col.unknown_mark = *m;
        }
        if (c.contains("unknown_counts_as")) {
            if (auto u = choice<model::UnknownRule>(c["unknown_counts_as"], cp + "/unknown_counts_as",
                                                    {{"unknown", model::UnknownRule::unknown},
                                                     {"zero", model::UnknownRule::zero}}))
                col.unknowns = *u;
        }
        if (c.contains("width")) {
            const json& w = c["width"];
            if (!w.is_number() || w.get<double>() <= 0 || w.get<double>() > 100)
                error(cp + "/width", tr("column-width", "expected a relative width, a number above 0 and at most 100, found {}", w.dump()));
            else col.width = w.get<double>();
        }
        return col;
    }

    std::vector<model::Row> rows(const json& j, const std::string& ptr) {
        std::vector<model::Row> out;
        if (!j.is_array()) {
            error(ptr, tr("expected-type", "expected {}, found {}", tx("an array of rows"), json_kind(j)));
            return out;
        }
        for (std::size_t i = 0; i < j.size(); ++i) {
            model::Row r;
            r.pointer = at(ptr, i);
            r.cells = cells(j[i], r.pointer, &r.id);
            out.push_back(std::move(r));
        }
        return out;
    }
};

}  // namespace

std::optional<Decimal> json_decimal(const json& j, std::string* why) {
    auto fail = [&](std::string m) -> std::optional<Decimal> {
        if (why) *why = std::move(m);
        return std::nullopt;
    };
    if (j.is_number_integer()) return Decimal::parse(j.dump());
    if (j.is_number_float()) {
        double d = j.get<double>();
        if (!std::isfinite(d)) return fail(tx("expected a finite number"));
        std::string text = j.dump();
        if (significant_digits(text) > 15)
            return fail(tx("the number {} has more than 15 significant digits and cannot be read exactly; write it as a string, e.g. "
                           "\"10966.9345\"", text));
        auto v = Decimal::parse(text);
        if (!v) return fail(tx("the number {} is out of range", text));
        return v;
    }
    if (j.is_string()) {
        const std::string& s = j.get_ref<const std::string&>();
        auto v = Decimal::parse(s);
        if (!v)
            return fail(tx("expected a number written with '.' as the decimal point and no grouping (e.g. \"10966.9345\"), found \"{}\"", s));
        return v;
    }
    return fail(tx("expected a number, found {}", json_kind(j)));
}

model::Annex parse_annex(const json& j, const std::string& file, const std::string& pointer, Diagnostics& diags) {
    AnnexReader r(file, diags);
    model::Annex a;
    a.source_file = file;
    a.pointer = pointer;
    a.table.pointer = pointer;
    if (!j.is_object()) {
        r.error(pointer, tr("expected-type", "expected {}, found {}", tx("an annex object"), json_kind(j)));
        return a;
    }
    r.only(j, pointer,
           {"label", "title", "caption", "subtitle", "unit", "notes", "orientation", "sheet", "columns", "rows", "groups",
            "subtotals", "subtotal_label", "numbering", "total"},
           "an annex");
    auto P = [&](const char* key) { return AnnexReader::at(pointer, key); };

    if (!j.contains("title")) r.error(pointer, tr("annex-structure", "an annex needs a \"title\" (e.g. \"BIỂU TỔNG HỢP CHỈ TIÊU GIẢM NGHÈO NĂM 2024\")"));
    else if (auto s = r.string(j["title"], P("title"), false)) a.title = *s;
    if (j.contains("label"))
        if (auto s = r.string(j["label"], P("label"))) a.label = *s;
    if (j.contains("caption"))
        if (auto s = r.string(j["caption"], P("caption"))) a.caption = *s;
    if (j.contains("subtitle")) a.subtitle = r.lines(j["subtitle"], P("subtitle"));
    if (j.contains("unit"))
        if (auto s = r.string(j["unit"], P("unit"))) a.unit = *s;
    if (j.contains("notes")) a.notes = r.lines(j["notes"], P("notes"));
    if (j.contains("orientation")) {
        if (auto o = r.choice<model::Orientation>(j["orientation"], P("orientation"),
                                                  {{"auto", model::Orientation::automatic},
                                                   {"portrait", model::Orientation::portrait},
                                                   {"landscape", model::Orientation::landscape}}))
            a.orientation = *o;
    }
    if (j.contains("sheet"))
        if (auto s = r.string(j["sheet"], P("sheet"), false)) a.sheet_name = *s;

    model::Table& t = a.table;
    if (!j.contains("columns")) r.error(pointer, tr("annex-structure", "an annex needs \"columns\" (the table's columns, left to right)"));
    else r.columns(j["columns"], P("columns"), 0, t);

    bool has_rows = j.contains("rows"), has_groups = j.contains("groups");
    if (has_rows && has_groups)
        r.error(P("groups"), tr("annex-structure", "give either \"rows\" (a plain table) or \"groups\" (rows in groups), not both"));
    else if (!has_rows && !has_groups)
        r.error(pointer, tr("annex-structure", "an annex needs \"rows\" (an array of row objects) or \"groups\""));
    if (has_rows) t.rows = r.rows(j["rows"], P("rows"));
    if (has_groups && !has_rows) {
        const json& g = j["groups"];
        if (!g.is_array()) {
            r.error(P("groups"), tr("expected-type", "expected {}, found {}", tx("an array of groups"), json_kind(g)));
        } else {
            for (std::size_t i = 0; i < g.size(); ++i) t.groups.push_back(r.group(g[i], AnnexReader::at(P("groups"), i)));
        }
    }
    if (j.contains("subtotals")) {
        if (auto s = r.choice<model::SubtotalStyle>(j["subtotals"], P("subtotals"),
                                                    {{"group_row", model::SubtotalStyle::group_row},
                                                     {"separate_row", model::SubtotalStyle::separate_row},
                                                     {"none", model::SubtotalStyle::none}}))
            t.subtotals = *s;
    }
    if (j.contains("subtotal_label"))
        if (auto s = r.string(j["subtotal_label"], P("subtotal_label"))) t.subtotal_label = *s;
    if (j.contains("numbering")) {
        if (auto s = r.choice<bool>(j["numbering"], P("numbering"), {{"per_group", true}, {"continuous", false}}))
            t.numbering_restarts_in_group = *s;
    }
    if (j.contains("total")) {
        const json& tj = j["total"];
        std::string tp = P("total");
        t.total.pointer = tp;
        if (tj.is_boolean()) {
            t.total.present = tj.get<bool>();
        } else if (tj.is_object()) {
            t.total.present = true;
            r.only(tj, tp, {"position", "cells"}, "the total row");
            if (tj.contains("position")) {
                if (auto p = r.choice<bool>(tj["position"], tp + "/position", {{"top", true}, {"bottom", false}}))
                    t.total.at_top = *p;
            }
            if (tj.contains("cells")) t.total.cells = r.cells(tj["cells"], tp + "/cells");
        } else {
            r.error(tp, tr("expected-type", "expected {}, found {}", tx("true, false or an object {\"position\", \"cells\"}"), json_kind(tj)));
        }
    }

    return a;
}

}  // namespace vanban::input

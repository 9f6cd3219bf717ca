// vanban_bind: see bind/spec.hpp.
#include "bind/spec.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "bind/detail.hpp"
#include "bind/value.hpp"
#include "input/fields.hpp"

namespace vanban::bind {

using nlohmann::json;

namespace {

/// Orders `lets` so that each comes after the lets it reads; reports circles
/// and leaves their members out.
std::vector<Let> dependency_order(std::vector<Let> lets, const std::string& file, Diagnostics& diags,
                                  std::vector<std::string>& failed) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < lets.size(); ++i) index[lets[i].name] = i;
    std::vector<bool> placed(lets.size(), false);
    std::vector<Let> out;
    bool progress = true;
    while (progress) {
        progress = false;
        for (std::size_t i = 0; i < lets.size(); ++i) {
            if (placed[i]) continue;
            bool ready = true;
            for (const auto& r : lets[i].lets_read)
                if (!placed[index[r]]) ready = false;
            if (!ready) continue;
            placed[i] = true;
            out.push_back(lets[i]);
            progress = true;
        }
    }
    // What is left is in a circle or waits on one: report each circle once.
    for (std::size_t i = 0; i < lets.size(); ++i)
        if (!placed[i]) failed.push_back(lets[i].name);
    std::set<std::string> reported;
    for (std::size_t i = 0; i < lets.size(); ++i) {
        if (placed[i] || reported.count(lets[i].name)) continue;
        // Walk unplaced dependencies until a name repeats.
        std::vector<std::string> walk{lets[i].name};
        std::size_t cur = i;
        for (;;) {
            std::size_t next = lets.size();
            for (const auto& r : lets[cur].lets_read)
                if (!placed[index[r]]) {
                    next = index[r];
                    break;
                }
            if (next == lets.size()) break;
            const auto seen = static_cast<std::size_t>(std::find(walk.begin(), walk.end(), lets[next].name) - walk.begin());
            walk.push_back(lets[next].name);
            if (seen + 1 < walk.size()) {
                std::vector<std::string> circle(walk.begin() + static_cast<std::ptrdiff_t>(seen), walk.end());
                bool fresh = true;
                for (const auto& c : circle)
                    if (reported.count(c)) fresh = false;
                if (fresh) {
                    std::string text;
                    for (std::size_t k = 0; k < circle.size(); ++k) text += (k ? " -> " : "") + circle[k];
                    diags.error(file, lets[index[circle.front()]].pointer,
                                tr("let-cycle", "these let values read each other in a circle: {}; one of them must be computed "
                                                "from the data alone", text));
                    for (const auto& c : circle) reported.insert(c);
                }
                break;
            }
            cur = next;
        }
    }
    return out;
}

}  // namespace

TemplateSpec read_template_spec(const json& tree, const std::string& file, Diagnostics& diags) {
    TemplateSpec spec;
    spec.file = file;
    if (!tree.is_object()) return spec;
    auto it = tree.find("template");
    if (it == tree.end()) return spec;
    spec.present = true;
    const json& t = *it;
    input::Fields f(file, diags);
    if (!t.is_object()) {
        f.expected("/template", tx("an object with \"let\", \"name\" and \"per\""), t);
        return spec;
    }
    f.only(t, "/template", {"let", "name", "per"});
    if (const json* n = f.member(t, "/template", "name", false)) {
        if (n->is_string()) spec.name = n->get<std::string>();
        else f.expected("/template/name", tx("a string such as \"{{ma_huyen}}-ke-hoach\""), *n);
    }
    if (const json* p = f.member(t, "/template", "per", false))
        // "row": one document per record; "all": one document from all records.
        if (auto per = f.choice<Per>(*p, "/template/per", {{"row", Per::row}, {"all", Per::all}})) spec.per = *per;

    const json* l = f.member(t, "/template", "let", false);
    if (!l) return spec;
    if (!l->is_object()) {
        f.expected("/template/let", tx("an object mapping names to expressions, e.g. {\"ty_le\": \"round(a / b * 100, 2)\"}"), *l);
        return spec;
    }
    std::vector<Let> lets;
    for (auto e = l->begin(); e != l->end(); ++e) {
        Let let;
        let.name = e.key();
        let.pointer = "/template/let/" + json_pointer_token(e.key());
        if (!detail::is_identifier(let.name)) {
            diags.error(file, let.pointer,
                        tr("let-name", "the let name \"{}\" is not usable in expressions: expected letters A-Z a-z, digits and '_', "
                                       "starting with a letter or '_'", let.name));
            continue;
        }
        if (!e->is_string()) {
            f.expected(let.pointer, tx("an expression as a string, e.g. \"round(ho_ngheo / tong_ho * 100, 2)\""), *e);
            spec.failed.push_back(let.name);
            continue;
        }
        let.text = e->get<std::string>();
        table::ExprError err;
        let.expr = table::Expr::parse(let.text, err);
        if (!let.expr) {
            diags.error(file, let.pointer,
                        tr("expr-syntax", "syntax error at offset {} of \"{}\": {}", err.offset, let.text, err.message));
            spec.failed.push_back(let.name);
            continue;
        }
        lets.push_back(std::move(let));
    }
    std::set<std::string> names;
    for (const auto& x : lets) names.insert(x.name);
    for (auto& x : lets)
        for (const auto& r : x.expr->references())
            if (names.count(r.name) &&
                std::find(x.lets_read.begin(), x.lets_read.end(), r.name) == x.lets_read.end())
                x.lets_read.push_back(r.name);
    spec.lets = dependency_order(std::move(lets), file, diags, spec.failed);
    return spec;
}

}  // namespace vanban::bind

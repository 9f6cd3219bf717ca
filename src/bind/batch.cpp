// vanban_bind: see bind/batch.hpp.
#include "bind/batch.hpp"
#include "input/fields.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "bind/detail.hpp"
#include "bind/value.hpp"

namespace vanban::bind {

using nlohmann::json;

namespace {

/// What a record holds under `name`, for messages: "ho_ngheo = 2059".
std::string shown(const std::string& name, const json* v) {
    if (!v) return name + " absent";
    if (auto t = bare_text(*v)) return name + " = " + (v->is_string() ? "\"" + *t + "\"" : *t);
    return name + " = " + input::json_kind(*v);
}

}  // namespace

Batch::Batch(const DataSet& data, const TemplateSpec& spec, Diagnostics& diags)
    : file_(data.file),
      records_(std::make_shared<json>(json::array())),
      shared_(std::make_shared<json>(json::object())),
      sources_(std::make_shared<std::vector<std::string>>()) {
    // ---- checks of the template against the data as a whole ----------------
    std::set<std::string> fields(data.fields.begin(), data.fields.end());
    std::set<std::string> let_names;
    for (const auto& l : spec.lets) let_names.insert(l.name);
    std::set<std::string> skipped(spec.failed.begin(), spec.failed.end());
    std::vector<std::string> known(data.fields.begin(), data.fields.end());
    for (const auto& l : spec.lets) known.push_back(l.name);
    if (!fields.count("index")) known.push_back("index");

    std::vector<const Let*> lets;
    for (const auto& l : spec.lets) {
        bool ok = true;
        if (fields.count(l.name)) {
            diags.error(spec.file, l.pointer,
                        tr("let-name-taken", "the let name '{}' is already a field of {}; give the derived value another name", l.name,
                           data.file));
            ok = false;
        } else if (l.name == "index" || l.name == "rows" || l.name == "count") {
            diags.error(spec.file, l.pointer,
                        tr("let-name-taken", "the let name '{}' is reserved (index, rows and count are provided for every record); "
                                             "give the derived value another name", l.name));
            ok = false;
        }
        for (const auto& r : l.expr->references()) {
            if (skipped.count(r.name)) {
                ok = false;  // reads a value that could not be defined (reported there)
                continue;
            }
            if (fields.count(r.name) || let_names.count(r.name) || r.name == "index") continue;
            std::string near = detail::closest(r.name, known);
            diags.error(spec.file, l.pointer,
                        near.empty() ? tr("let-unknown-name", "unknown name '{}' at offset {} of \"{}\" ({} has the fields: {})", r.name,
                                          r.offset, l.text, data.file, detail::join_names(data.fields))
                                     : tr("let-unknown-name", "unknown name '{}' at offset {} of \"{}\"; did you mean '{}'? ({} has the "
                                                              "fields: {})",
                                          r.name, r.offset, l.text, near, data.file, detail::join_names(data.fields)));
            ok = false;
        }
        if (ok) lets.push_back(&l);
        else skipped.insert(l.name);
    }

    // ---- per record -----------------------------------------------------------
    problems_.resize(data.records.size());
    std::vector<std::set<std::string>> failed_lets(data.records.size());
    for (std::size_t i = 0; i < data.records.size(); ++i) {
        const Record& rec = data.records[i];
        const std::string src = rec.source();
        sources_->push_back(src);
        json scope = rec.fields;
        if (!scope.contains("index")) scope["index"] = data.skipped + i + 1;
        std::map<std::string, Decimal> computed;
        std::set<std::string> failed = skipped;

        for (const Let* l : lets) {
            bool blocked = false;
            for (const auto& r : l->lets_read)
                if (failed.count(r)) blocked = true;
            if (blocked) {
                failed.insert(l->name);
                continue;
            }
            auto number_of = [&](const std::string& name) -> std::optional<Decimal> {
                if (auto c = computed.find(name); c != computed.end()) return c->second;
                auto f = scope.find(name);
                if (f == scope.end()) return std::nullopt;
                return read_number(*f);
            };
            auto describe_inputs = [&] {
                std::string out;
                std::vector<std::string> seen;
                for (const auto& r : l->expr->references()) {
                    if (std::find(seen.begin(), seen.end(), r.name) != seen.end()) continue;
                    seen.push_back(r.name);
                    if (!out.empty()) out += ", ";
                    if (auto c = computed.find(r.name); c != computed.end())
                        out += r.name + " = " + plain_vietnamese(c->second);
                    else
                        out += shown(r.name, scope.contains(r.name) ? &scope[r.name] : nullptr);
                }
                return out;
            };
            table::Value v;
            try {
                v = l->expr->evaluate(number_of);
            } catch (const DecimalOverflow&) {
                problems_[i].error(spec.file, l->pointer,
                                   tr("let-failed", "{} = {}: the result is too large, with the values of {} ({})", l->name, l->text, src,
                                      describe_inputs()));
                failed.insert(l->name);
                continue;
            }
            switch (v.status) {
                case table::Value::Status::ok:
                    computed[l->name] = v.number;
                    scope[l->name] = plain_vietnamese(v.number);
                    break;
                case table::Value::Status::div_zero:
                    problems_[i].error(spec.file, l->pointer,
                                       tr("let-failed", "{} = {}: division by zero with the values of {} ({})", l->name, l->text, src,
                                          describe_inputs()));
                    failed.insert(l->name);
                    break;
                case table::Value::Status::missing: {
                    const std::string& key = v.missing_key;
                    std::string why;
                    auto f = scope.find(key);
                    if (f == scope.end()) {
                        problems_[i].error(spec.file, l->pointer,
                                           tr("let-failed", "{} = {}: {} has no field '{}'", l->name, l->text, src, key));
                    } else {
                        read_number(*f, &why);
                        problems_[i].error(spec.file, l->pointer,
                                           tr("let-failed", "{} = {}: '{}' in {} {}", l->name, l->text, key, src, why));
                    }
                    failed.insert(l->name);
                    break;
                }
            }
        }
        records_->push_back(std::move(scope));
        failed_lets[i] = std::move(failed);
    }

    // ---- the shared scope -------------------------------------------------------
    if (data.single_object && !records_->empty()) {
        *shared_ = (*records_)[0];
        shared_->erase("index");
    }
    if (!shared_->contains("rows")) (*shared_)["rows"] = *records_;
    else rows_are_records_ = false;
    if (!shared_->contains("count")) (*shared_)["count"] = records_->size();

    // Why a failed let has no value, for placeholders that name it.
    auto unavailable = std::make_shared<Context::Unavailable>();
    for (std::size_t i = 0; i < records_->size(); ++i) {
        for (const auto& name : failed_lets[i]) {
            const json& scope = (*records_)[i];
            if (scope.contains(name)) continue;  // a field of the same name (reported as a clash)
            std::string where = spec.file + ":/template/let/" + json_pointer_token(name);
            std::string why = skipped.count(name) ? tx("its let expression is in error ({})", where)
                                                  : tx("its let expression failed for this record ({})", where);
            (*unavailable)[&scope][name] = why;
            if (rows_are_records_) (*unavailable)[&shared_->at("rows")[i]][name] = why;
            if (data.single_object) (*unavailable)[shared_.get()][name] = why;
        }
    }
    unavailable_ = std::move(unavailable);
}

Context Batch::row(std::size_t i) const {
    Context c;
    c.push(shared_, file_, true);
    c.push(std::shared_ptr<const json>(records_, &(*records_)[i]), (*sources_)[i], false);
    if (rows_are_records_) c.describe_list(shared_->at("rows"), sources_);
    c.set_unavailable(unavailable_);
    return c;
}

Context Batch::all() const {
    Context c;
    c.push(shared_, file_, true);
    if (rows_are_records_) c.describe_list(shared_->at("rows"), sources_);
    c.set_unavailable(unavailable_);
    return c;
}

}  // namespace vanban::bind

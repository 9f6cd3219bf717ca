#include "batch/plan.hpp"

#include <filesystem>
#include <map>
#include <memory>

#include "batch/hasher.hpp"
#include "batch/names.hpp"
#include "bind/batch.hpp"
#include "bind/data.hpp"
#include "bind/spec.hpp"
#include "bind/template.hpp"
#include "input/document_input.hpp"
#include "input/json_util.hpp"

namespace vanban::batch {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string resolve(const std::string& base, const std::string& rel) {
    return (fs::path(base) / rel).lexically_normal().string();
}

/// Files a template reads, compiled once and bound per record.
class Sources {
public:
    explicit Sources(Diagnostics& errors) : errors_(errors) {}

    /// The compiled body text template of `path` (nullptr when unreadable: the
    /// render reports it, located in the document).
    const bind::Template* text(const std::string& path) {
        auto it = texts_.find(path);
        if (it != texts_.end()) return it->second.get();
        std::unique_ptr<bind::Template> t;
        try {
            std::string raw = input::read_file(path);
            Diagnostics d;
            t = std::make_unique<bind::Template>(bind::Template::compile(raw, {path, ""}, d));
            if (d.has_errors()) {
                errors_.append(d);
                t.reset();
            }
        } catch (const InputError&) {
        }
        return texts_.emplace(path, std::move(t)).first->second.get();
    }

    const bind::JsonTemplate* json_file(const std::string& path) {
        auto it = jsons_.find(path);
        if (it != jsons_.end()) return it->second.get();
        std::unique_ptr<bind::JsonTemplate> t;
        try {
            json tree = input::parse_json_text(input::read_file(path), path);
            Diagnostics d;
            t = std::make_unique<bind::JsonTemplate>(bind::JsonTemplate::compile(tree, path, d));
            if (d.has_errors()) {
                errors_.append(d);
                t.reset();
            }
        } catch (const InputError&) {
        }
        return jsons_.emplace(path, std::move(t)).first->second.get();
    }

    /// SHA-256 of a font file's contents ("" when unreadable: the render reports it).
    const std::string& font(const std::string& path) {
        auto it = fonts_.find(path);
        if (it != fonts_.end()) return it->second;
        std::string h;
        try {
            h = sha256_file_hex(path);
        } catch (const std::exception&) {
        }
        return fonts_.emplace(path, h).first->second;
    }

private:
    Diagnostics& errors_;
    std::map<std::string, std::unique_ptr<bind::Template>> texts_;
    std::map<std::string, std::unique_ptr<bind::JsonTemplate>> jsons_;
    std::map<std::string, std::string> fonts_;
};

/// Adds everything a bound document depends on to `h`.
void hash_document(Hasher& h, const json& doc, const std::string& base, const std::string& fonts_dir,
                   const bind::Context& ctx, Sources& src, Diagnostics& d) {
    h.add_field(doc.dump());
    if (doc.is_object() && doc.contains("body") && doc["body"].is_object() && doc["body"].contains("file") &&
        doc["body"]["file"].is_string()) {
        std::string path = resolve(base, doc["body"]["file"].get<std::string>());
        h.add_field(path);
        if (const bind::Template* t = src.text(path)) h.add_field(t->render(ctx, d));
    }
    if (doc.is_object() && doc.contains("annexes") && doc["annexes"].is_array())
        for (const auto& a : doc["annexes"])
            if (a.is_object() && a.size() == 1 && a.contains("file") && a["file"].is_string()) {
                std::string path = resolve(base, a["file"].get<std::string>());
                h.add_field(path);
                if (const bind::JsonTemplate* t = src.json_file(path)) h.add_field(t->render(ctx, d).dump());
            }
    // Fonts: the document's own, else the shipped ones.
    static const char* kKeys[] = {"regular", "bold", "italic", "bold_italic"};
    static const char* kFiles[] = {"LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
                                   "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"};
    for (int i = 0; i < 4; ++i) {
        std::string path = resolve(fonts_dir, kFiles[i]);
        if (doc.is_object() && doc.contains("fonts") && doc["fonts"].is_object() && doc["fonts"].contains(kKeys[i]) &&
            doc["fonts"][kKeys[i]].is_string())
            path = resolve(base, doc["fonts"][kKeys[i]].get<std::string>());
        h.add_field(src.font(path));
    }
}

struct TemplateFile {
    std::string path, base;
    json tree;
    bind::TemplateSpec spec;
    bind::JsonTemplate compiled;
    bind::Template name;
    bool ok = false;
};

TemplateFile read_template(const std::string& path, const std::string& pattern, Diagnostics& errors) {
    TemplateFile t;
    t.path = path;
    t.base = fs::path(path).parent_path().string();
    if (t.base.empty()) t.base = ".";
    Diagnostics d;
    try {
        t.tree = input::parse_json_text(input::read_file(path), path);
    } catch (const InputError& e) {
        errors.append(e.diagnostics());
        return t;
    }
    if (!t.tree.is_object()) {
        errors.error(path, "", "expected a document template (a JSON object), found " + std::string(input::json_kind(t.tree)));
        return t;
    }
    t.spec = bind::read_template_spec(t.tree, path, d);
    if (!t.spec.present)
        d.error(path, "/template",
                "not a template: a batch document needs a \"template\" member, e.g. {\"per\": \"row\", \"name\": \"{{ma_huyen}}-ke-hoach\"}");
    t.compiled = bind::JsonTemplate::compile(t.tree, path, d);
    if (!pattern.empty()) {
        t.name = bind::Template::compile(pattern, {"--name", ""}, d);
    } else if (!t.spec.name.empty()) {
        t.name = bind::Template::compile(t.spec.name, {path, t.spec.name_pointer}, d);
    } else {
        std::string fallback = fs::path(path).stem().string() + (t.spec.per == bind::Per::row ? "-{{index}}" : "");
        t.name = bind::Template::compile(fallback, {path, "/template"}, d);
    }
    t.ok = !d.has_errors();
    errors.append(d);
    return t;
}

/// The program itself: its version and the digest of its executable, so that a
/// rebuilt vanban (whose output may differ) never reuses another build's outputs.
const std::string& program_digest() {
    static const std::string digest = [] {
        std::string d = std::string("vanban ") + VANBAN_VERSION;
        try {
            d += " " + sha256_file_hex("/proc/self/exe");
        } catch (const std::exception&) {
        }
        return d;
    }();
    return digest;
}

std::string job_fingerprint(const job::Options& o) { return program_digest() + (o.strict ? " strict" : " lenient"); }

std::vector<std::string> render_one(const std::string& path, const bind::Context& ctx, const job::Options& opts,
                                    const std::string& out_dir, const std::string& stem) {
    Diagnostics warnings;
    model::Document doc = job::load(path, opts, warnings, &ctx);
    auto written = job::render(doc, out_dir, stem);
    std::vector<std::string> names;
    for (const auto& f : written.files) names.push_back(fs::path(f).filename().string());
    return names;
}

}  // namespace

Plan plan(const Request& req) {
    Plan p;
    bind::DataSet data;
    try {
        data = bind::load_data(req.data);
    } catch (const InputError& e) {
        p.errors.append(e.diagnostics());
        return p;
    }
    p.record_problems.append(data.problems);
    const std::string fonts_dir = job::find_fonts_dir(req.job.fonts_dir);
    NameOptions name_opts;
    name_opts.ascii = req.ascii_names;

    for (const auto& path : req.templates) {
        TemplateFile t = read_template(path, req.name_pattern, p.errors);
        if (!t.ok) continue;
        Diagnostics whole;
        bind::Batch batch(data, t.spec, whole);
        if (whole.has_errors()) {
            p.errors.append(whole);
            continue;
        }
        Sources src(p.errors);
        auto make = [&](bind::Context ctx, std::string source, const Diagnostics* problems) {
            Task task;
            task.source = source + (req.templates.size() > 1 ? " (" + path + ")" : "");
            Diagnostics d;
            if (problems) d.append(*problems);
            std::string raw_name = t.name.render(ctx, d);
            if (auto safe = sanitize_name(raw_name, name_opts)) task.name = *safe;
            else if (!d.has_errors())
                d.error(req.name_pattern.empty() ? path : "--name", req.name_pattern.empty() ? t.spec.name_pointer : "",
                        "the output name \"" + raw_name + "\" for " + source + " has nothing usable as a file name");
            json doc = t.compiled.render(ctx, d);
            Hasher h;
            h.add_field(job_fingerprint(req.job));
            hash_document(h, doc, t.base, fonts_dir, ctx, src, d);
            if (task.name.empty()) task.name = fs::path(path).stem().string() + "-" + std::to_string(p.tasks.size() + 1);
            if (d.has_errors()) {
                task.prepare_error = d;
            } else {
                task.input_hash = h.hex();
                auto shared_ctx = std::make_shared<bind::Context>(std::move(ctx));
                task.render = [path, shared_ctx, opts = req.job](const std::string& out_dir, const std::string& stem) {
                    return render_one(path, *shared_ctx, opts, out_dir, stem);
                };
            }
            p.tasks.push_back(std::move(task));
        };
        if (t.spec.per == bind::Per::all) {
            // A document made from all records is not made from some of them:
            // rows that could not be read fail it.
            make(batch.all(), data.file, data.problems.has_errors() ? &data.problems : nullptr);
        } else {
            for (std::size_t i = 0; i < batch.size(); ++i) make(batch.row(i), batch.source(i), &batch.problems(i));
            // Rows that could not be read at all still count, as failed documents
            // without a name (so their old outputs are never taken for stale).
            for (const auto& problem : data.problems.items()) {
                if (problem.severity != Severity::error) continue;
                Task task;
                task.source = problem.place() +
                              (req.templates.size() > 1 ? " (" + path + ")" : "");
                Diagnostics d;
                d.add(problem);
                task.prepare_error = std::move(d);
                p.tasks.push_back(std::move(task));
            }
        }
    }
    return p;
}

Single single(const std::string& template_path, const std::string& data_path, int row, const std::string& name_pattern,
              bool ascii_names) {
    Diagnostics errors;
    TemplateFile t = read_template(template_path, name_pattern, errors);
    if (!t.ok) throw InputError(std::move(errors));
    bind::DataSet data = bind::load_data(data_path);
    bind::Batch batch(data, t.spec, errors);
    if (errors.has_errors()) throw InputError(std::move(errors));
    Single s;
    std::size_t index = 0;
    if (t.spec.per == bind::Per::all) {
        if (data.problems.has_errors()) throw InputError(data.problems);
        s.context = batch.all();
    } else {
        if (row == 0 && batch.size() != 1) {
            std::string msg = "the data has " + std::to_string(batch.size()) +
                              " records and the template makes one document per record: choose one with --row N, "
                              "or render them all with vanban batch";
            if (data.problems.has_errors()) throw InputError(data.problems);
            throw InputError(data_path, "", msg);
        }
        index = row == 0 ? 0 : std::size_t(row - 1);
        if (index >= batch.size())
            throw InputError(data_path, "", "--row " + std::to_string(row) + ": the data has only " +
                                                std::to_string(batch.size()) + " readable records");
        if (batch.problems(index).has_errors()) throw InputError(batch.problems(index));
        s.context = batch.row(index);
    }
    Diagnostics d;
    std::string raw = t.name.render(s.context, d);
    if (d.has_errors()) throw InputError(std::move(d));
    if (!name_pattern.empty() || !t.spec.name.empty()) {
        NameOptions no;
        no.ascii = ascii_names;
        auto safe = sanitize_name(raw, no);
        if (!safe)
            throw InputError(name_pattern.empty() ? template_path : "--name", name_pattern.empty() ? t.spec.name_pointer : "",
                             "the output name \"" + raw + "\" has nothing usable as a file name");
        s.name = *safe;
    }
    return s;
}

}  // namespace vanban::batch

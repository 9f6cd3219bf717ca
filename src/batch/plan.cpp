#include "batch/plan.hpp"

#include <elf.h>
#include <link.h>

#include <cstring>

#include <filesystem>
#include <map>
#include <memory>

#include "batch/hasher.hpp"
#include "batch/names.hpp"
#include "bind/batch.hpp"
#include "bind/data.hpp"
#include "bind/spec.hpp"
#include "bind/template.hpp"
#include "sources/bundle.hpp"
#include "input/fields.hpp"

namespace vanban::batch {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// The SHA-256 of each font file's bytes, computed once per file.
class FontDigests {
public:
    const std::string& of(const sources::FontFile& f) {
        auto it = digests_.find(f.path);
        if (it != digests_.end()) return it->second;
        return digests_.emplace(f.path, f.bytes ? sha256_hex(*f.bytes) : std::string()).first->second;
    }

private:
    std::map<std::string, std::string> digests_;
};

/// Adds everything a bound document depends on to `h`: the files of its bundle.
void hash_bundle(Hasher& h, const sources::Bundle& b, FontDigests& fonts) {
    h.add_field(b.document.tree->dump());
    if (b.body) {
        h.add_field(b.body->path);
        h.add_field(*b.body->text);
    }
    for (const auto& [path, file] : b.annexes) {
        h.add_field(path);
        h.add_field(file.tree->dump());
    }
    for (const auto& [path, file] : b.texts) {
        h.add_field(path);
        h.add_field(*file.text);
    }
    for (const auto& [path, bytes] : b.images) {
        h.add_field(path);
        h.add_field(*bytes);
    }
    for (const auto& f : b.fonts) h.add_field(fonts.of(f));
}

struct TemplateFile {
    std::string path;
    bind::TemplateSpec spec;
    bind::BundleTemplate compiled;
    bind::Template name;
    bool ok = false;
};

/// Gathers and compiles one template (once for the whole batch).
TemplateFile read_template(sources::World& world, const std::string& path, const std::string& pattern,
                           const job::Options& opts, Diagnostics& errors) {
    TemplateFile t;
    t.path = path;
    Diagnostics d;
    sources::Bundle raw;
    try {
        raw = job::gather(world, path, opts);
    } catch (const InputError& e) {
        errors.append(e.diagnostics());
        return t;
    }
    const nlohmann::json& tree = *raw.document.tree;
    if (!tree.is_object()) {
        errors.error(path, "", tr("expected-type", "expected {}, found {}", tx("a document template (a JSON object)"), input::json_kind(tree)));
        return t;
    }
    t.spec = bind::read_template_spec(tree, path, d);
    if (!t.spec.present)
        d.error(path, "/template",
                tr("not-a-template", "not a template: a batch document needs a \"template\" member, e.g. {\"per\": \"row\", \"name\": \"{{ma_huyen}}-ke-hoach\"}"));
    t.compiled = bind::BundleTemplate::compile(std::move(raw), d);
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

/// The build ID is read from the program's PT_NOTE segments.
std::string build_id() {
    std::string id;
    dl_iterate_phdr(
        [](dl_phdr_info* info, std::size_t, void* out) -> int {
            // The first object is the program itself.
            for (int i = 0; i < info->dlpi_phnum; ++i) {
                const ElfW(Phdr)& ph = info->dlpi_phdr[i];
                if (ph.p_type != PT_NOTE) continue;
                const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
                const char* end = p + ph.p_memsz;
                while (p + sizeof(ElfW(Nhdr)) <= end) {
                    const auto* n = reinterpret_cast<const ElfW(Nhdr)*>(p);
                    const char* name = p + sizeof(ElfW(Nhdr));
                    const char* desc = name + ((n->n_namesz + 3) & ~3u);
                    if (desc + n->n_descsz > end) break;
                    if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
                        auto& hex = *static_cast<std::string*>(out);
                        static const char digits[] = "0123456789abcdef";
                        for (unsigned k = 0; k < n->n_descsz; ++k) {
                            const auto b = static_cast<unsigned char>(desc[k]);
                            hex += digits[b >> 4];
                            hex += digits[b & 15];
                        }
                        return 1;
                    }
                    p = desc + ((n->n_descsz + 3) & ~3u);
                }
            }
            return 1;  // only the program itself
        },
        &id);
    return id;
}

/// The program itself: its version and its build ID (else the digest of its
/// executable), so that a rebuilt vanban (whose output may differ) never
/// reuses another build's outputs. The build ID spares hashing the 4 MB
/// executable at the start of every batch.
const std::string& program_digest() {
    static const std::string digest = [] {
        std::string d = std::string("vanban ") + VANBAN_VERSION;
        if (const std::string id = build_id(); !id.empty()) return d + " build " + id;
        try {
            d += " " + sha256_file_hex("/proc/self/exe");
        } catch (const std::exception&) {
        }
        return d;
    }();
    return digest;
}

std::string job_fingerprint(const job::Options& o) {
    return program_digest() + (o.strict ? " strict" : " lenient") + " " + o.formats.names();
}

std::vector<std::string> render_one(const bind::BoundBundle& bound, const job::Options& opts, const std::string& out_dir,
                                    const std::string& stem) {
    Diagnostics warnings;
    resolve::Document doc = load_bound(bound, opts, warnings);
    auto written = job::render(doc, out_dir, stem, nullptr, opts.formats);
    std::vector<std::string> names;
    for (const auto& f : written.files) names.push_back(fs::path(f).filename().string());
    return names;
}

/// The tasks of one template over the data.
void plan_template(const TemplateFile& t, const bind::DataSet& data, const Request& req, Plan& p) {
    Diagnostics whole;
    bind::Batch batch(data, t.spec, whole);
    if (whole.has_errors()) {
        p.errors.append(whole);
        return;
    }
    NameOptions name_opts;
    name_opts.ascii = req.ascii_names;
    FontDigests fonts;
    const std::string& path = t.path;
    const std::string suffix = req.templates.size() > 1 ? " (" + path + ")" : "";
    auto make = [&](const bind::Context& ctx, const std::string& source, const Diagnostics* problems) {
        Task task;
        task.source = source + suffix;
        Diagnostics d;
        if (problems) d.append(*problems);
        std::string raw_name = t.name.render(ctx, d);
        if (auto safe = sanitize_name(raw_name, name_opts)) task.name = *safe;
        else if (!d.has_errors())
            d.error(req.name_pattern.empty() ? path : "--name", req.name_pattern.empty() ? t.spec.name_pointer : "",
                    tr("output-name-empty", "the output name \"{}\" for {} has nothing usable as a file name", raw_name, source));
        auto bound = std::make_shared<bind::BoundBundle>(t.compiled.bind(ctx, d));
        Hasher h;
        h.add_field(job_fingerprint(req.job));
        hash_bundle(h, bound->bundle, fonts);
        if (task.name.empty()) task.name = fs::path(path).stem().string() + "-" + std::to_string(p.tasks.size() + 1);
        if (d.has_errors()) {
            task.prepare_error = d;
        } else {
            task.input_hash = h.hex();
            task.render = [bound, opts = req.job](const std::string& out_dir, const std::string& stem) {
                return render_one(*bound, opts, out_dir, stem);
            };
        }
        p.tasks.push_back(std::move(task));
    };
    if (t.spec.per == bind::Per::all) {
        // A document made from all records is not made from some of them:
        // rows that could not be read fail it.
        make(batch.all(), data.file, data.problems.has_errors() ? &data.problems : nullptr);
        return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) make(batch.row(i), batch.source(i), &batch.problems(i));
    // Rows that could not be read at all still count, as failed documents
    // without a name (so their old outputs are never taken for stale).
    for (const auto& problem : data.problems.items()) {
        if (problem.severity != Severity::error) continue;
        Task task;
        task.source = problem.place() + suffix;
        Diagnostics d;
        d.add(problem);
        task.prepare_error = std::move(d);
        p.tasks.push_back(std::move(task));
    }
}

}  // namespace

resolve::Document load_bound(const bind::BoundBundle& bound, const job::Options& opts, Diagnostics& warnings) {
    try {
        return job::load(bound.bundle, opts, warnings);
    } catch (const InputError& e) {
        Diagnostics d = e.diagnostics();
        bound.relocate(d);
        throw InputError(std::move(d));
    }
}

Plan plan(sources::World& world, const Request& req) {
    Plan p;
    bind::DataSet data;
    try {
        data = bind::load_data(world, req.data, req.sheet);
    } catch (const InputError& e) {
        p.errors.append(e.diagnostics());
        return p;
    }
    p.record_problems.append(data.problems);
    for (const auto& path : req.templates) {
        TemplateFile t = read_template(world, path, req.name_pattern, req.job, p.errors);
        if (t.ok) plan_template(t, data, req, p);
    }
    return p;
}

Single single(sources::World& world, const std::string& template_path, const std::string& data_path, int row,
              const std::string& name_pattern, bool ascii_names, const job::Options& opts,
              const std::string& sheet) {
    Diagnostics errors;
    TemplateFile t = read_template(world, template_path, name_pattern, opts, errors);
    if (!t.ok) throw InputError(std::move(errors));
    // One document per record, --row N: the data is read only as far as
    // record N, and only that record is kept, unless the document turns out
    // to use the whole data (rows, count).
    const bool per_row = t.spec.per == bind::Per::row;
    bind::DataSet data = per_row && row > 0 ? bind::load_data_head(world, data_path, sheet, std::size_t(row), std::size_t(row))
                                            : bind::load_data(world, data_path, sheet);
    Single s;
    std::string name;
    for (;;) {
        Diagnostics problems;
        bind::Batch batch(data, t.spec, problems);
        if (problems.has_errors()) throw InputError(std::move(problems));
        bind::Context context;
        if (!per_row) {
            if (data.problems.has_errors()) throw InputError(data.problems);
            context = batch.all();
        } else {
            const std::size_t readable = data.skipped + batch.size();
            if (row == 0 && readable != 1) {
                Message msg = tr("row-needed", "the data has {} records and the template makes one document per record: choose one with --row N, "
                                 "or render them all with vanban batch",
                                 readable);
                if (data.problems.has_errors()) throw InputError(data.problems);
                throw InputError(data_path, "", msg);
            }
            const std::size_t at = row == 0 ? 0 : std::size_t(row - 1);  // among the readable records
            if (at >= readable)
                throw InputError(data_path, "", tr("row-range", "--row {}: the data has only {} readable records", row, readable));
            const std::size_t index = at - data.skipped;
            if (batch.problems(index).has_errors()) throw InputError(batch.problems(index));
            context = batch.row(index);
        }
        Diagnostics d;
        std::string raw = t.name.render(context, d);
        s.bound = t.compiled.bind(context, d);
        if (data.partial && context.used_shared()) {  // the document lists or counts the records: read them all
            data = bind::load_data(world, data_path, sheet);
            continue;
        }
        if (d.has_errors()) throw InputError(std::move(d));
        name = std::move(raw);
        break;
    }
    if (!name_pattern.empty() || !t.spec.name.empty()) {
        NameOptions no;
        no.ascii = ascii_names;
        auto safe = sanitize_name(name, no);
        if (!safe)
            throw InputError(name_pattern.empty() ? template_path : "--name", name_pattern.empty() ? t.spec.name_pointer : "",
                             tr("output-name-empty", "the output name \"{}\" has nothing usable as a file name", name));
        s.name = *safe;
    }
    return s;
}

std::string running_build_id() { return build_id(); }

}  // namespace vanban::batch

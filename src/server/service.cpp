#include "server/service.hpp"

#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "batch/plan.hpp"
#include "batch/runner.hpp"
#include "bind/data.hpp"
#include "input/table_input.hpp"
#include "server/report.hpp"
#include "sources/bundle.hpp"
#include "sources/json_text.hpp"
#include "sources/world.hpp"
#include "table/engine.hpp"

namespace vanban::server {

namespace fs = std::filesystem;
using nlohmann::json;

Reply Reply::json(int status, const nlohmann::json& j) {
    Reply r;
    r.status = status;
    r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

Reply Reply::error(int status, const std::string& message) {
    return json(status, nlohmann::json{{"ok", false}, {"error", message}});
}

std::string upload_name(const std::string& given) {
    std::string name = given;
    if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name = name.substr(slash + 1);
    if (name.empty() || name == "." || name == ".." || name[0] == '.') return "";
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f) return "";
    return name;
}

namespace {

/// The folder a request's files appear in. It does not exist on disk: the
/// path policy judges names against it (a name that leaves it, "../x", is
/// refused), and the files are served from memory. Messages name the files
/// without it.
const std::string kRoot = "/.vanban-request/";

std::string strip_root(std::string s) {
    for (std::size_t at; (at = s.find(kRoot)) != std::string::npos;) s.erase(at, kRoot.size());
    return s;
}

Diagnostics strip_root(const Diagnostics& in) {
    Diagnostics out;
    for (Diagnostic d : in.items()) {
        d.file = strip_root(d.file);
        d.message = strip_root(d.message);
        out.add(std::move(d));
    }
    return out;
}

/// Problems of a workspace document, naming files relative to the workspace.
Diagnostics relative_to(const Diagnostics& in, const std::string& workspace) {
    const std::string prefix = workspace + "/";
    auto strip = [&](std::string s) {
        for (std::size_t at; (at = s.find(prefix)) != std::string::npos;) s.erase(at, prefix.size());
        return s;
    };
    Diagnostics out;
    for (Diagnostic d : in.items()) {
        d.file = strip(d.file);
        d.message = strip(d.message);
        out.add(std::move(d));
    }
    return out;
}

/// The files of one request, from memory; the shipped fonts from disk.
class RequestWorld : public sources::MemoryWorld {
public:
    explicit RequestWorld(const std::string& fonts_dir) : fonts_(sources::shipped_fonts(fonts_dir)) {}

protected:
    sources::ReadResult fetch(const std::string& path) override {
        for (const auto& f : fonts_)
            if (f == path) return disk().read(path);
        return MemoryWorld::fetch(path);
    }

private:
    static sources::World& disk() {
        static sources::DiskWorld world;  // the four font files, read once per process
        return world;
    }
    std::array<std::string, 4> fonts_;
};

/// Removes a request's output folder however the request ends.
struct Scratch {
    std::string dir;
    ~Scratch() {
        std::error_code ec;
        if (!dir.empty()) fs::remove_all(dir, ec);
    }
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(path, tr("output-read", "cannot read an output file back"));
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string base64(const std::string& in) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
        out += t[v >> 18 & 63];
        out += t[v >> 12 & 63];
        out += t[v >> 6 & 63];
        out += t[v & 63];
    }
    if (i < in.size()) {
        unsigned v = (unsigned char)in[i] << 16 | (i + 1 < in.size() ? (unsigned char)in[i + 1] << 8 : 0);
        out += t[v >> 18 & 63];
        out += t[v >> 12 & 63];
        out += i + 1 < in.size() ? t[v >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

const char* content_type(const std::string& format) {
    if (format == "pdf") return "application/pdf";
    if (format == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (format == "docx") return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (format == "zip") return "application/zip";
    return "application/octet-stream";
}

std::optional<job::Formats> one_format(const std::string& format) {
    job::Formats f;
    f.pdf = format == "pdf";
    f.xlsx = format == "xlsx";
    f.docx = format == "docx";
    if (!f.pdf && !f.xlsx && !f.docx) return std::nullopt;
    return f;
}

Reply bad_format(const std::string& format) {
    return Reply::error(400, tx("unknown format \"{}\"; the formats are pdf, xlsx and docx", format));
}

/// A document loaded for a request, or every problem that stopped it.
struct Loaded {
    std::optional<resolve::Document> doc;
    Diagnostics diags;  ///< errors when doc is empty, else warnings
    bool internal = false;
};

template <class F>
Loaded guarded(F&& f) {
    Loaded l;
    try {
        f(l);
    } catch (const InputError& e) {
        l.diags = e.diagnostics();
    } catch (const UnsupportedError& e) {
        l.diags = e.diagnostics();
    }
    l.diags = strip_root(l.diags);
    return l;
}

bool below(const fs::path& path, const fs::path& dir) {
    auto p = path.begin();
    for (auto d = dir.begin(); d != dir.end(); ++d, ++p)
        if (p == path.end() || *p != *d) return false;
    return true;
}

/// A ZIP of `entries` (name, bytes) written to `path`.
void write_zip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries) {
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z) throw IoError(path, tr("zip-write", "cannot create the ZIP archive"));
    for (const auto& [name, bytes] : entries) {
        zip_source_t* src = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
        if (!src || zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
            if (src) zip_source_free(src);
            zip_discard(z);
            throw IoError(path, tr("zip-write", "cannot add {} to the ZIP archive", name));
        }
    }
    if (zip_close(z) != 0) {
        zip_discard(z);
        throw IoError(path, tr("zip-write", "cannot write the ZIP archive"));
    }
}

}  // namespace

Service::Service(std::string workspace, job::Options opts) : opts_(std::move(opts)) {
    opts_.fonts_dir = job::find_fonts_dir(opts_.fonts_dir);
    opts_.allow_paths.clear();
    workspace_ = fs::canonical(workspace).string();
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    // One folder per process, so that several servers may share a workspace.
    tmp_root_ = (fs::path(workspace_) / ".vanban-tmp" / (std::string(host) + "-" + std::to_string(getpid()))).string();
    std::error_code ec;
    fs::remove_all(tmp_root_, ec);
    fs::create_directories(tmp_root_);
}

Service::~Service() {
    std::error_code ec;
    fs::remove_all(tmp_root_, ec);
    fs::remove(fs::path(tmp_root_).parent_path(), ec);  // only when empty
}

std::string Service::scratch() {
    std::string dir = (fs::path(tmp_root_) / ("r" + std::to_string(++counter_))).string();
    fs::create_directories(dir);
    return dir;
}

namespace {

Loaded load_upload(const Upload& u, const job::Options& opts) {
    return guarded([&](Loaded& l) {
        RequestWorld world(opts.fonts_dir);
        world.add(kRoot + u.main_name, u.main);
        for (const auto& [name, text] : u.files) world.add(kRoot + name, text);
        sources::Bundle b = job::gather(world, kRoot + u.main_name, opts);
        Diagnostics warnings;
        l.doc = job::load(b, opts, warnings);
        l.diags = warnings;
    });
}

// The annex tables of a document that has errors, each computed on its own:
// while the clerk fixes a body line or a figure that another table or the
// text cross-checks, the grid still shows its computed cells and totals. A
// table with errors of its own (or given by file) is null; the cross-table and
// text checks, which need the whole document, are left to the full check.
json tables_alone(const Upload& u) {
    json out = json::array();
    json doc;
    try {
        doc = sources::parse_json_text(u.main, u.main_name);  // the depth limit and the other checks of every input
    } catch (const InputError&) {
        return out;
    }
    if (!doc.is_object() || !doc.contains("annexes") || !doc["annexes"].is_array()) return out;
    const json& annexes = doc["annexes"];
    for (std::size_t i = 0; i < annexes.size(); ++i) {
        Diagnostics d;
        model::Annex a = input::parse_annex(annexes[i], u.main_name, "/annexes/" + std::to_string(i), d);
        std::optional<table::ResolvedTable> t;
        if (!d.has_errors() && !(annexes[i].is_object() && annexes[i].contains("file"))) t = table::resolve(a, d);
        out.push_back(t && !d.has_errors() ? table_json(*t) : json(nullptr));
    }
    return out;
}

}  // namespace

Reply Service::check(const Upload& u) {
    Loaded l = load_upload(u, opts_);
    std::optional<job::Laid> laid;
    if (l.doc) {
        laid = job::lay_out(*l.doc);
        l.diags.append(laid->warnings);
    }
    json report = report_json(l.diags);
    if (l.doc) {
        add_summary(report, *l.doc, static_cast<int>(laid->paged.pages.size()));
        report["tables"] = tables_json(*l.doc);
    } else {
        report["tables"] = tables_alone(u);
    }
    return Reply::json(200, report);
}

Reply Service::render(const Upload& u, const std::string& format) {
    auto f = one_format(format);
    if (!f) return bad_format(format);
    Loaded l = load_upload(u, opts_);
    if (!l.doc) return Reply::json(422, report_json(l.diags));
    if (format == "xlsx" && l.doc->annexes.empty()) {
        Diagnostics d;
        d.error(u.main_name, "/annexes", tr("xlsx-no-annex", "the document has no annex tables; an XLSX workbook holds only annex tables"));
        return Reply::json(422, report_json(d));
    }
    Scratch s{scratch()};
    auto written = job::render(*l.doc, s.dir, l.doc->stem, nullptr, *f);
    if (written.files.empty()) throw IoError(s.dir, tr("nothing-written", "nothing was written"));
    Reply r;
    r.content_type = content_type(format);
    r.body = read_file(written.files.front());
    r.filename = l.doc->stem + "." + format;
    return r;
}

Reply Service::preview(const Upload& u) {
    Loaded l = load_upload(u, opts_);
    json report = report_json(l.diags);
    if (l.doc) {
        Scratch s{scratch()};
        job::Formats f;
        f.xlsx = false;
        auto written = job::render(*l.doc, s.dir, l.doc->stem, nullptr, f);
        l.diags.append(written.warnings);
        report["diagnostics"] = report_json(l.diags)["diagnostics"];
        add_summary(report, *l.doc, written.pages);
        report["tables"] = tables_json(*l.doc);
        report["pdf"] = base64(read_file(written.files.front()));
    } else {
        report["tables"] = tables_alone(u);
    }
    return Reply::json(200, report);
}


Reply Service::batch(const BatchUpload& b, const std::string& formats, const std::atomic<bool>* stop, int jobs) {
    if (b.templates.empty()) return Reply::error(400, tx("no template: send one or more files as \"template\""));
    if (b.data_name.empty()) return Reply::error(400, tx("no data: send a CSV, XLSX or JSON file as \"data\""));
    std::string error;
    auto f = job::parse_formats(formats, error);
    if (!f) return Reply::error(400, error);
    RequestWorld world(opts_.fonts_dir);
    for (const auto& [name, text] : b.templates) world.add(kRoot + name, text);
    for (const auto& [name, text] : b.files) world.add(kRoot + name, text);
    world.add(kRoot + b.data_name, b.data);
    batch::Request req;
    for (const auto& t : b.templates) req.templates.push_back(kRoot + t.first);
    req.data = kRoot + b.data_name;
    req.sheet = b.sheet;
    req.job = opts_;
    req.job.formats = *f;
    batch::Plan plan = batch::plan(world, req);
    if (plan.errors.has_errors()) return Reply::json(422, report_json(strip_root(plan.errors)));
    Scratch s{scratch()};
    std::string out = (fs::path(s.dir) / "out").string();
    batch::Options bo;
    bo.jobs = jobs;
    bo.silent = true;
    bo.terminal = false;
    bo.stop = stop;
    batch::Summary sum = batch::run(std::move(plan.tasks), out, bo);
    if (sum.interrupted) return Reply::error(504, tx("the batch took longer than the time limit and was stopped"));

    std::vector<std::pair<std::string, std::string>> entries;
    json docs = json::array();
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(out))
        if (e.is_regular_file() && e.path().filename().string()[0] != '.') names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
        entries.emplace_back(n, read_file((fs::path(out) / n).string()));
        docs.push_back(n);
    }
    std::string text = strip_root(batch::format_summary(sum, bo));
    if (!plan.record_problems.empty()) text += strip_root(plan.record_problems).to_string();
    json failures = json::array();
    for (const auto& fl : sum.failures) {
        json d = report_json(strip_root(fl.diagnostics))["diagnostics"];
        failures.push_back({{"name", fl.name}, {"source", strip_root(fl.source)}, {"internal", fl.internal}, {"diagnostics", d}});
    }
    json summary{{"documents", sum.selected},
                 {"written", sum.written},
                 {"failed", sum.failed},
                 {"files", docs},
                 {"failures", failures},
                 {"record_problems", report_json(strip_root(plan.record_problems))["diagnostics"]}};
    entries.emplace_back("summary.txt", text);
    entries.emplace_back("summary.json", summary.dump(2));
    std::string zip_path = (fs::path(s.dir) / "batch.zip").string();
    write_zip(zip_path, entries);
    Reply r;
    r.content_type = content_type("zip");
    r.body = read_file(zip_path);
    r.filename = "vanban-batch.zip";
    return r;
}

Reply Service::batch_preview(const BatchUpload& b, int row, const std::string& format) {
    if (b.templates.empty()) return Reply::error(400, tx("no template: send a file as \"template\""));
    if (b.data_name.empty()) return Reply::error(400, tx("no data: send a CSV, XLSX or JSON file as \"data\""));
    auto f = one_format(format);
    if (!f) return bad_format(format);
    std::string name;
    Loaded l = guarded([&](Loaded& l) {
        RequestWorld world(opts_.fonts_dir);
        for (const auto& [n, text] : b.templates) world.add(kRoot + n, text);
        for (const auto& [n, text] : b.files) world.add(kRoot + n, text);
        world.add(kRoot + b.data_name, b.data);
        batch::Single single = batch::single(world, kRoot + b.templates.front().first, kRoot + b.data_name, row, "", false,
                                             opts_, b.sheet);
        Diagnostics warnings;
        l.doc = batch::load_bound(single.bound, opts_, warnings);
        name = single.name;
    });
    if (!l.doc) return Reply::json(422, report_json(l.diags));
    if (format == "xlsx" && l.doc->annexes.empty()) {
        Diagnostics d;
        d.error(b.templates.front().first, "/annexes", tr("xlsx-no-annex", "the document has no annex tables; an XLSX workbook holds only annex tables"));
        return Reply::json(422, report_json(d));
    }
    std::string stem = name.empty() ? l.doc->stem : name;
    Scratch s{scratch()};
    auto written = job::render(*l.doc, s.dir, stem, nullptr, *f);
    Reply r;
    r.content_type = content_type(format);
    r.body = read_file(written.files.front());
    r.filename = stem + "." + format;
    return r;
}

Reply Service::data(const BatchUpload& b) {
    if (b.data_name.empty()) return Reply::error(400, tx("no data: send a CSV, XLSX or JSON file as \"data\""));
    RequestWorld world(opts_.fonts_dir);
    world.add(kRoot + b.data_name, b.data);
    try {
        bind::DataSet set = bind::load_data(world, kRoot + b.data_name, b.sheet);
        json records = json::array();
        for (std::size_t i = 0; i < set.records.size() && i < 5000; ++i)
            records.push_back({{"source", strip_root(set.records[i].source())}, {"fields", set.records[i].fields}});
        json out{{"ok", true}, {"fields", set.fields}, {"count", set.records.size()}, {"records", records},
                 {"diagnostics", report_json(strip_root(set.problems))["diagnostics"]}};
        return Reply::json(200, out);
    } catch (const InputError& e) {
        return Reply::json(422, report_json(strip_root(e.diagnostics())));
    }
}

Reply Service::open(const std::string& path) {
    if (path.empty() || fs::path(path).is_absolute())
        return Reply::error(400, tx("give the path of a document inside the workspace, e.g. ?path=ke-hoach/document.json"));
    const fs::path ws(workspace_);
    std::error_code ec;
    fs::path full = fs::weakly_canonical(ws / path, ec);
    if (ec || !below(full, ws) || below(full, fs::path(tmp_root_).parent_path()))
        return Reply::error(403, tx("\"{}\" lies outside the workspace", path));
    sources::DiskWorld world;
    try {
        sources::Bundle b = sources::gather(world, full.string(), opts_.fonts_dir, sources::PathPolicy{{workspace_}});
        if (b.problems.has_errors()) return Reply::json(422, report_json(relative_to(b.problems, workspace_)));
        json doc = *b.document.tree;
        if (doc.is_object()) {
            if (b.body && doc.contains("body")) doc["body"] = json{{"text", *b.body->text}};
            if (auto a = doc.find("annexes"); a != doc.end() && a->is_array())
                for (auto& e : *a)
                    if (e.is_object() && e.size() == 1 && e.contains("file") && e["file"].is_string())
                        if (const auto* f = b.annex(sources::join(b.base_dir, e["file"].get<std::string>()))) e = *f->tree;
        }
        return Reply::json(200, doc);
    } catch (const InputError& e) {
        return Reply::json(422, report_json(relative_to(e.diagnostics(), workspace_)));
    }
}

Reply Service::files() {
    json list = json::array();
    const fs::path ws(workspace_);
    std::error_code ec;
    fs::recursive_directory_iterator it(ws, fs::directory_options::skip_permission_denied, ec), end;
    std::size_t seen = 0;
    for (; !ec && it != end && seen < 5000 && list.size() < 500; it.increment(ec), ++seen) {
        const fs::path& p = it->path();
        std::string name = p.filename().string();
        if (!name.empty() && name[0] == '.') {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (it.depth() > 4) {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec) || p.extension() != ".json") continue;
        std::ifstream in(p, std::ios::binary);
        std::string head(65536, '\0');
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<std::size_t>(in.gcount()));
        // a document names its issuer ("issuer"), or its issuers ("issuers", a joint document)
        if (head.find("\"issuer\"") == std::string::npos && head.find("\"issuers\"") == std::string::npos) continue;
        list.push_back(fs::relative(p, ws).string());
    }
    std::sort(list.begin(), list.end());
    return Reply::json(200, json{{"files", list}});
}

}  // namespace vanban::server

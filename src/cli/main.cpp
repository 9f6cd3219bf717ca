// cli: the `vanban` command. Parses arguments (CLI11), runs a job, prints
// diagnostics, and maps outcomes to exit codes (core/diagnostic.hpp):
//   0 success · 1 bad input · 2 bad usage · 3 internal failure ·
//   4 I/O or environment · 5 unsupported · 130 interrupted batch.
#include <CLI/CLI.hpp>

#include <malloc.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <regex>

#include "batch/plan.hpp"
#include "batch/runner.hpp"
#include "cli/bench.hpp"
#include "cli/serve.hpp"
#include "core/diagnostic.hpp"
#include "core/i18n.hpp"
#include "import/import.hpp"
#include "input/document_input.hpp"
#include "sources/limits.hpp"
#include "sources/world.hpp"
#include "server/report.hpp"
#include "job/render.hpp"
#include "layout/paged.hpp"
#include "vntext/vntext.hpp"

namespace {

namespace fs = std::filesystem;
using namespace vanban;

constexpr int kOk = 0, kBadInput = 1, kUsage = 2, kInternal = 3;

void print_warnings(const Diagnostics& w) {
    for (const auto& d : w.items())
        if (d.severity == Severity::warning) std::cerr << d.to_string() << "\n";
}

struct DataOptions {
    std::string data;          ///< --data: the document is a template filled from this file
    int row = 0;               ///< --row N (1-based); 0 = the only record
    std::string name_pattern;  ///< --name
    bool ascii_names = false;  ///< --ascii-names
    std::string sheet;         ///< --sheet: the XLSX sheet of the data
};

/// A document, or a template bound with one record of its data (--data).
struct Loaded {
    resolve::Document doc;
    std::string name;  ///< the template's output name; empty: the document's stem
};

Loaded load(const std::string& input, const job::Options& opts, const DataOptions& data) {
    sources::DiskWorld world;
    world.set_input_encoding(opts.input_encoding);
    Diagnostics warnings;
    Loaded out;
    if (data.data.empty()) {
        out.doc = job::load(job::gather(world, input, opts), opts, warnings);
    } else {
        batch::Single s = batch::single(world, input, data.data, data.row, data.name_pattern, data.ascii_names, opts, data.sheet);
        out.doc = batch::load_bound(s.bound, opts, warnings);
        out.name = s.name;
    }
    print_warnings(warnings);
    return out;
}

/// Writes `text` to `path`, or to stdout for "-".
void write_text(const std::string& path, const std::string& text) {
    if (path == "-") {
        std::cout << text;
        return;
    }
    std::FILE* f = std::fopen(path.c_str(), "wb");
    bool ok = f && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (f && std::fclose(f) != 0) ok = false;
    if (!ok) throw IoError(path, tr("dump-write", "cannot write the layout dump: {}", std::strerror(errno)));
}

int cmd_render(const std::string& input, const std::string& out_dir, const std::string& dump_path,
               const job::Options& opts, bool quiet, const DataOptions& data) {
    std::error_code ec;
    if (fs::exists(out_dir, ec) && !fs::is_directory(out_dir, ec))
        throw IoError(out_dir, tr("output-is-file", "the output folder (-o) is an existing file; name a folder"));
    Loaded l = load(input, opts, data);
    const resolve::Document& doc = l.doc;
    std::string stem = l.name.empty() ? doc.stem : l.name;
    job::Laid laid;
    auto w = job::render(doc, out_dir, stem, dump_path.empty() ? nullptr : &laid, opts.formats);
    print_warnings(w.warnings);
    if (!dump_path.empty()) write_text(dump_path, layout::dump(laid.paged));
    if (!quiet) {
        for (const auto& f : w.files)
            std::cout << (f.size() > 4 && f.substr(f.size() - 4) == ".pdf" ? tx("wrote {} ({} pages)", f, w.pages) : tx("wrote {}", f)) << "\n";
        for (const auto& f : w.fonts) std::cout << "  " << tx("font {} <- {}", f.postscript_name, f.file) << "\n";
    }
    return kOk;
}

int cmd_import(const std::string& input, const std::string& out_dir, bool quiet) {
    import::Result r = import::import_file(input);
    auto files = import::write_result(r, out_dir);
    print_warnings(r.warnings);
    if (!quiet) {
        for (const auto& line : r.summary) std::cout << "  " << line << "\n";
        for (const auto& f : files) std::cout << tx("wrote {}", f) << "\n";
    }
    return kOk;
}

/// `check --json`: the report of server/report.hpp on stdout, warnings included; the exit status as without --json.
int cmd_check_json(const std::string& input, const job::Options& opts, const DataOptions& data) {
    nlohmann::json report;
    int status = kOk;
    try {
        sources::DiskWorld world;
        world.set_input_encoding(opts.input_encoding);
        Diagnostics warnings;
        resolve::Document doc;
        if (data.data.empty()) {
            doc = job::load(job::gather(world, input, opts), opts, warnings);
        } else {
            batch::Single s = batch::single(world, input, data.data, data.row, data.name_pattern, data.ascii_names, opts, data.sheet);
            doc = batch::load_bound(s.bound, opts, warnings);
        }
        auto laid = job::lay_out(doc);
        warnings.append(laid.warnings);
        report = server::report_json(warnings);
        server::add_summary(report, doc, static_cast<int>(laid.paged.pages.size()));
    } catch (const Error& e) {
        report = server::report_json(e.diagnostics());
        report["ok"] = false;
        status = exit_status(e.kind());
    }
    std::cout << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return status;
}

int cmd_check(const std::string& input, const job::Options& opts, const DataOptions& data) {
    Loaded l = load(input, opts, data);
    const resolve::Document& doc = l.doc;
    auto laid = job::lay_out(doc);
    print_warnings(laid.warnings);
    const auto& paged = laid.paged;
    std::cout << tx("{}: ok — {} {}, {} body blocks, {} pages", input, doc.model.type.name, doc.stem, doc.model.body.size(),
                    paged.pages.size())
              << "\n";
    return kOk;
}

struct BatchArgs {
    std::vector<std::string> templates;
    std::string data, out_dir, name_pattern, shard, sheet;
    bool ascii_names = false, force = false, prune = false, verify = false, quiet = false;
    int jobs = 0;
};

int cmd_batch(const BatchArgs& a, const job::Options& opts) {
    batch::Request req;
    req.templates = a.templates;
    req.data = a.data;
    req.sheet = a.sheet;
    req.name_pattern = a.name_pattern;
    req.ascii_names = a.ascii_names;
    req.job = opts;
    batch::Options bo;
    bo.jobs = a.jobs;
    bo.force = a.force;
    bo.prune = a.prune;
    bo.verify = a.verify;
    bo.quiet = a.quiet;
    if (!a.shard.empty()) {
        auto sh = batch::parse_shard(a.shard);
        if (!sh) {
            std::cerr << "vanban batch: " << tx("--shard expects I/N with 1 <= I <= N, e.g. 2/4; found \"{}\"", a.shard) << "\n";
            return kUsage;
        }
        bo.shard_index = sh->first;
        bo.shard_count = sh->second;
    }
    sources::DiskWorld world;
    world.set_input_encoding(opts.input_encoding);
    batch::Plan plan = batch::plan(world, req);
    if (plan.errors.has_errors()) {
        // A template or the data file itself is unusable: nothing is rendered.
        std::cerr << plan.errors.to_string();
        return kBadInput;
    }
    batch::InterruptGuard guard;
    batch::Summary sum = batch::run(std::move(plan.tasks), a.out_dir, bo);
    if (sum.interrupted) return 130;
    bool internal = false;
    for (const auto& f : sum.failures) internal = internal || f.internal;
    if (internal) return kInternal;
    return sum.ok() && !plan.record_problems.has_errors() ? kOk : kBadInput;
}

/// The language of messages: --lang (anywhere on the command line), else
/// VANBAN_LANG, else Vietnamese. The locale (LANG, LC_ALL) plays no part.
Lang language_from(int argc, char** argv) {
    Lang lang = Lang::vi;
    if (const char* env = std::getenv("VANBAN_LANG"))
        if (auto l = parse_lang(env)) lang = *l;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--") break;
        std::optional<Lang> l;
        if (a == "--lang" && i + 1 < argc) l = parse_lang(argv[i + 1]);
        else if (a.rfind("--lang=", 0) == 0) l = parse_lang(a.substr(7));
        if (l) lang = *l;
    }
    return lang;
}

CLI::Validator language_validator() {
    return CLI::Validator(
        [](std::string& v) -> std::string {
            return parse_lang(v) ? std::string() : tx("--lang expects vi or en, found \"{}\"", v);
        },
        "", "");
}

/// CLI11's help, with the descriptions in one column whatever the language:
/// CLI11 pads the left column by bytes, so a Vietnamese name or placeholder
/// ("TỆP", 2 bytes per letter with a mark) would push its description right.
/// This one pads by display width.
class HelpFormatter : public CLI::Formatter {
public:
    std::string make_option(const CLI::Option* opt, bool is_positional) const override {
        return line(make_option_name(opt, is_positional) + make_option_opts(opt), make_option_desc(opt));
    }
    std::string make_subcommand(const CLI::App* sub) const override {
        return line(sub->get_display_name(true), sub->get_description());
    }

private:
    std::string line(const std::string& left, const std::string& description) const {
        const std::string name = "  " + left;
        const std::size_t width = vntext::display_width(name);
        const std::string indent(column_width_, ' ');
        std::string out = name;
        if (!description.empty()) {
            if (width >= column_width_) out += "\n" + indent;
            else out += std::string(column_width_ - width, ' ');
            for (char c : description) {
                out += c;
                if (c == '\n') out += indent;
            }
        } else if (width < column_width_) {
            out += std::string(column_width_ - width, ' ');
        }
        return out + "\n";
    }
};

/// CLI11's own words in the help: labels, the default group, the help flag.
void translate_help(CLI::App& app) {
    app.formatter(std::make_shared<HelpFormatter>());
    auto f = app.get_formatter();
    for (const char* label : {N_("Usage"), N_("OPTIONS"), N_("SUBCOMMAND"), N_("SUBCOMMANDS"), N_("REQUIRED"), N_("Positionals"),
                              N_("Env"), N_("Needs"), N_("Excludes"), N_("TEXT"), N_("INT"), N_("UINT"), N_("FLOAT"),
                              N_("TEXT:FILE"), N_("TEXT:DIR")})
        f->label(label, translate(nullptr, label));
    app.option_defaults()->group(tx("Options"));
    app.set_help_flag("-h,--help", tx("Print this help message and exit"));
}

/// CLI11's parse errors, in the language of the other messages.
std::string usage_error_text(const std::string& what) {
    static const std::pair<const char*, const char*> patterns[] = {
        {R"(^A subcommand is required$)", N_("a command is required: render, batch, import, check, serve, dump, schema or bench")},
        {R"(^Requires at least \d+ subcommands?$)", N_("a command is required: render, batch, import, check, serve, dump, schema or bench")},
        {R"(^(\S+) is required$)", N_("{} is required")},
        {R"(^The following arguments? (?:was|were) not expected: (.*)$)", N_("not understood: {}")},
        {R"(^(\S+): File does not exist: (.*)$)", N_("{}: no such file: {}")},
        {R"(^(\S+): Directory does not exist: (.*)$)", N_("{}: no such folder: {}")},
        {R"(^Could not convert: (\S+) = (.*)$)", N_("{}: not a valid value: {}")},
        {R"(^(\S+): (\d+) required (\S+) missing$)", N_("{}: a value is missing")},
        {R"(^Expected exactly \d+ arguments? to (\S+), got \d+$)", N_("{}: a value is missing")},
        {R"(^(\S+): too many inputs for a flag$)", N_("{} takes no value")},
    };
    for (const auto& [pattern, message] : patterns) {
        std::smatch m;
        if (!std::regex_match(what, m, std::regex(pattern))) continue;
        std::vector<std::string> args;
        for (std::size_t i = 1; i < m.size(); ++i) args.push_back(m[i].str());
        return format_message(translate(nullptr, message), args);
    }
    return what;
}

/// A validator for a whole number from lo to hi with a message a person can read.
CLI::Validator whole_number_from(long long lo, long long hi, const std::string& flag) {
    return CLI::Validator(
        [lo, hi, flag](std::string& v) -> std::string {
            long long n = 0;
            std::size_t used = 0;
            try {
                n = std::stoll(v, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != v.size() || v.empty() || n < lo || n > hi)
                return tx("{} expects a whole number from {} to {}, found \"{}\"", flag, lo, hi, v);
            return {};
        },
        "", "");
}

/// The options the rendering commands share: --format, --no-strict,
/// --fonts-dir, --input-encoding, --allow-paths and the limits; one set of
/// values, whichever command gave them.
struct CommonArgs {
    job::Options opts;
    bool no_strict = false;
    std::string fonts_dir;
    std::string input_encoding = "utf8";
    sources::Limits limits;
    double max_file_mb = double(limits.max_file_bytes >> 20), max_template_mb = double(limits.max_template_bytes >> 20);
    std::string formats = "pdf,xlsx";
};

struct RenderArgs {
    std::string input, out_dir, dump_path;
    bool quiet = false;
    DataOptions data;
};

struct ImportArgs {
    std::string input, out_dir;
    bool quiet = false;
};

struct CheckArgs {
    std::string input;
    DataOptions data;
    bool json = false;
};

/// The values of every option of the command line, filled by the parser.
struct Args {
    std::string lang;  ///< --lang (read before parsing by language_from; kept for the parser)
    CommonArgs common;
    RenderArgs render;
    BatchArgs batch;
    ImportArgs import;
    CheckArgs check;
    cli::ServeArgs serve;
    std::string dump_input;
    bool annex_schema = false;
    cli::BenchOptions bench;
};

/// The subcommands, to learn which one the command line named.
struct Commands {
    CLI::App *render, *batch, *import, *check, *serve, *dump, *schema, *bench;
};

// The program's own options: --help, --version, --lang; a subcommand is required.
void add_program_options(CLI::App& app, std::string& lang) {
    translate_help(app);
    app.set_version_flag("--version", std::string("vanban ") + VANBAN_VERSION, tx("Display program version information and exit"));
    app.add_option("--lang", lang, tx("language of messages and help: vi (default) or en; also VANBAN_LANG"))
        ->check(language_validator());
    app.require_subcommand(1);
    app.fallthrough();  // --lang anywhere on the line
}

// `vanban render INPUT -o DIR`, with --dump, --quiet and the options of a template's data.
CLI::App* add_render(CLI::App& app, RenderArgs& a) {
    auto* render = app.add_subcommand("render", tx("Render a document to PDF"));
    render->add_option("input", a.input, tx("document JSON file"))->required()->check(CLI::ExistingFile);
    render->add_option("-o,--output", a.out_dir, tx("output folder (created if missing)"))->required();
    render->add_option("--dump", a.dump_path, tx("also write the layout dump (page, position, font, size, text) to FILE, or - for stdout"));
    render->add_flag("-q,--quiet", a.quiet, tx("print nothing on success"));
    render->add_option("--data", a.data.data, tx("the input is a template: fill it from this CSV or JSON data file"))
        ->check(CLI::ExistingFile);
    render->add_option("--row", a.data.row, tx("with --data: the record to use (1-based) when the data has several"))
        ->check(whole_number_from(1, 1 << 30, "--row"));
    render->add_option("--name", a.data.name_pattern, tx("with --data: output name pattern, e.g. \"{{ma_huyen}}-ke-hoach\""));
    render->add_flag("--ascii-names", a.data.ascii_names, tx("with --data: output names as ASCII slugs"));
    render->add_option("--sheet", a.data.sheet, tx("with --data FILE.xlsx: the sheet to read (default: the first)"));
    return render;
}

// `vanban batch TEMPLATE… --data FILE -o DIR`, with naming, parallelism, sharding and rebuilding options.
CLI::App* add_batch(CLI::App& app, BatchArgs& ba) {
    auto* batch_cmd = app.add_subcommand("batch", tx("Render one document per data record (or per template), in parallel and incrementally"));
    batch_cmd->add_option("templates", ba.templates, tx("template document files"))->required()->check(CLI::ExistingFile);
    batch_cmd->add_option("--data", ba.data, tx("CSV, XLSX or JSON data file"))->required()->check(CLI::ExistingFile);
    batch_cmd->add_option("--sheet", ba.sheet, tx("with an .xlsx data file: the sheet to read (default: the first)"));
    batch_cmd->add_option("-o,--output", ba.out_dir, tx("output folder (created if missing; holds the manifest)"))->required();
    batch_cmd->add_option("--name", ba.name_pattern, tx("output name pattern, e.g. \"{{ma_huyen}}-ke-hoach\" (default: the template's name)"));
    batch_cmd->add_flag("--ascii-names", ba.ascii_names, tx("output names as ASCII slugs (\"huyen-dak-doa\")"));
    batch_cmd->add_option("-j,--jobs", ba.jobs, tx("parallel jobs (default: all cores)"))->check(whole_number_from(0, 1024, "-j"));
    batch_cmd->add_option("--shard", ba.shard, tx("render only slice I of N (task k belongs to shard k mod N + 1), e.g. 2/4"));
    batch_cmd->add_flag("--force", ba.force, tx("rebuild every output, even when unchanged"));
    batch_cmd->add_flag("--prune", ba.prune, tx("delete outputs that the data no longer produces"));
    batch_cmd->add_flag("--verify", ba.verify, tx("hash every existing output again (not only those whose time or size changed)"));
    batch_cmd->add_flag("-q,--quiet", ba.quiet, tx("print only failures and the summary"));
    return batch_cmd;
}

// `vanban import WORD-FILE -o DIR`.
CLI::App* add_import(CLI::App& app, ImportArgs& a) {
    auto* import_cmd = app.add_subcommand("import", tx("Read a Word document (.docx, or .doc through LibreOffice) into document.json, body.md and annex tables"));
    import_cmd->add_option("input", a.input, tx("the Word file"))->required()->check(CLI::ExistingFile);
    import_cmd->add_option("-o,--output", a.out_dir, tx("output folder (created if missing)"))->required();
    import_cmd->add_flag("-q,--quiet", a.quiet, tx("print only warnings"));
    return import_cmd;
}

// `vanban check INPUT`, with the record of a template's data and --json.
CLI::App* add_check(CLI::App& app, CheckArgs& a) {
    auto* check = app.add_subcommand("check", tx("Validate a document and report every problem, without writing"));
    check->add_option("input", a.input, tx("document JSON file"))->required()->check(CLI::ExistingFile);
    check->add_option("--data", a.data.data, tx("the input is a template: fill it from this CSV or JSON data file"))
        ->check(CLI::ExistingFile);
    check->add_option("--row", a.data.row, tx("with --data: the record to check (1-based)"))
        ->check(whole_number_from(1, 1 << 30, "--row"));
    check->add_option("--sheet", a.data.sheet, tx("with --data FILE.xlsx: the sheet to read (default: the first)"));
    check->add_flag("--json", a.json, tx("print the report as JSON (file, location, severity, message of every problem)"));
    return check;
}

// `vanban serve`: the address, the workspace, the token and the server's limits.
CLI::App* add_serve(CLI::App& app, cli::ServeArgs& a) {
    server::Options& serve_opts = a.options;
    a.listen = "127.0.0.1:8080";
    a.max_request_mb = double(serve_opts.max_request_bytes >> 20);
    auto* serve = app.add_subcommand("serve", tx("Serve the web workspace and the HTTP API (loopback unless a token file is given)"));
    serve->add_option("--listen", a.listen, tx("HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any free port)"));
    serve->add_option("--workspace", serve_opts.workspace, tx("the folder documents may be opened from and outputs are made in (default: the current folder)"));
    serve->add_option("--token-file", serve_opts.token_file, tx("a file holding the access token; required to listen on a non-loopback address"));
    serve->add_option("--jobs", serve_opts.jobs, tx("rendering workers (default: all cores)"))->check(whole_number_from(0, 1024, "--jobs"));
    serve->add_option("--max-request-mb", a.max_request_mb, tx("limit: size of one request in MB (default 16)"))
        ->check(whole_number_from(1, 4096, "--max-request-mb"));
    serve->add_option("--timeout-ms", serve_opts.render_timeout_ms, tx("limit: time for one render in ms (default 20000)"))
        ->check(whole_number_from(1, 3600000, "--timeout-ms"));
    serve->add_option("--batch-timeout-ms", serve_opts.batch_timeout_ms, tx("limit: time for one batch in ms (default 120000)"))
        ->check(whole_number_from(1, 36000000, "--batch-timeout-ms"));
    serve->add_option("--assets-dir", serve_opts.assets_dir, tx("where Debian's libjs-pdf and libjs-codemirror are (default /usr/share/javascript)"));
    serve->add_flag("-q,--quiet", serve_opts.quiet, tx("no line per request"));
    return serve;
}

// `vanban dump INPUT`.
CLI::App* add_dump(CLI::App& app, std::string& input) {
    auto* dump = app.add_subcommand("dump", tx("Print the layout dump of a document (what golden tests compare)"));
    dump->add_option("input", input, tx("document JSON file"))->required()->check(CLI::ExistingFile);
    return dump;
}

// `vanban schema [--annex]`.
CLI::App* add_schema(CLI::App& app, bool& annex) {
    auto* schema = app.add_subcommand("schema", tx("Print the JSON Schema of the input"));
    schema->add_flag("--annex", annex, tx("print the schema of one annex table (annex.schema.json) instead"));
    return schema;
}

// `vanban bench INPUT`, with the counts of each measurement.
CLI::App* add_bench(CLI::App& app, cli::BenchOptions& bench_opts) {
    bench_opts.batch_example = (fs::path(VANBAN_SOURCE_DIR) / "examples" / "gia-lai-huyen").string();
    auto* bench = app.add_subcommand("bench", tx("Measure rendering speed and memory (not a test)"));
    bench->add_option("input", bench_opts.input, tx("document JSON file"))->required()->check(CLI::ExistingFile);
    bench->add_option("-n,--iterations", bench_opts.iterations, tx("in-process renders"))->check(whole_number_from(1, 1000000, "-n"));
    bench->add_option("--cold", bench_opts.cold, tx("whole `vanban render` processes to time"))->check(whole_number_from(0, 100000, "--cold"));
    bench->add_option("--annex-rows", bench_opts.annex_rows, tx("also render the document with a generated annex of N rows (0: skip)"))
        ->check(whole_number_from(0, 10000000, "--annex-rows"));
    bench->add_option("--batch", bench_opts.batch_rows, tx("also time `vanban batch` of N district plans and a no-change re-run (0: skip)"))
        ->check(whole_number_from(0, 10000000, "--batch"));
    bench->add_option("--batch-example", bench_opts.batch_example, tx("folder with template.json, body.md and data.csv for --batch"))
        ->check(CLI::ExistingDirectory);
    return bench;
}

// The options the rendering commands share, after each one's own.
void add_common_options(const Commands& c, CommonArgs& a) {
    for (auto* sc : {c.render, c.batch})
        sc->add_option("--format", a.formats, tx("files to write, comma-separated: pdf, xlsx (annex tables), docx (default: pdf,xlsx)"));

    for (auto* sc : {c.render, c.check, c.dump, c.bench, c.batch, c.serve}) {
        sc->add_flag("--no-strict", a.no_strict, tx("accept layout values outside the decree's ranges (with a warning)"));
        sc->add_option("--fonts-dir", a.fonts_dir, tx("folder with LiberationSerif-*.ttf"));
        sc->add_option("--input-encoding", a.input_encoding,
                       tx("the encoding of the input text files when they are not UTF-8: cp1258 (Windows-1258), "
                          "tcvn3 (TCVN3/ABC, .VnTime fonts) or vni (VNI-Windows fonts)"))
            ->check(CLI::IsMember({"utf8", "cp1258", "tcvn3", "vni"}));
        sc->add_option("--allow-paths", a.opts.allow_paths,
                       tx("a folder outside the document's own from which it may read files (repeatable)"));
        sc->add_option("--max-file-mb", a.max_file_mb, tx("limit: size of one input file in MB (default 64)"))
            ->check(whole_number_from(1, 1 << 20, "--max-file-mb"));
        sc->add_option("--max-json-depth", a.limits.max_json_depth, tx("limit: nesting of JSON arrays and objects (default 64)"))
            ->check(whole_number_from(2, 100000, "--max-json-depth"));
        sc->add_option("--max-template-mb", a.max_template_mb, tx("limit: text one template may expand to, in MB (default 64)"))
            ->check(whole_number_from(1, 1 << 20, "--max-template-mb"));
        sc->add_option("--max-section-depth", a.limits.max_section_depth, tx("limit: {{#…}} sections inside each other (default 8)"))
            ->check(whole_number_from(1, 1000, "--max-section-depth"));
        sc->add_option("--max-pages", a.limits.max_pages, tx("limit: pages of one document (default 2000)"))
            ->check(whole_number_from(1, 10000000, "--max-pages"));
    }
}

// Every subcommand with its options, listed in the help under "Commands".
Commands add_commands(CLI::App& app, Args& args) {
    Commands c{};
    c.render = add_render(app, args.render);
    c.batch = add_batch(app, args.batch);
    c.import = add_import(app, args.import);
    c.check = add_check(app, args.check);
    c.serve = add_serve(app, args.serve);
    c.dump = add_dump(app, args.dump_input);
    c.schema = add_schema(app, args.annex_schema);
    c.bench = add_bench(app, args.bench);
    add_common_options(c, args.common);

    for (auto* sc : app.get_subcommands({})) {
        sc->group(tx("Commands"));
        if (auto* h = sc->get_help_ptr()) h->group(tx("Options"));  // made before the group default reached it
    }
    return c;
}

// Parses the command line; an exit status when the program ends here (--help, --version, a usage error).
std::optional<int> parse(CLI::App& app, int argc, char** argv) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e) == 0 ? kOk : kUsage;
        std::cerr << "vanban: " << usage_error_text(e.what()) << "\n" << tx("Run with --help for more information.") << "\n";
        return kUsage;
    }
    return std::nullopt;
}

// Turns the shared options into the job's options and the process's limits; an exit status for a bad --format.
std::optional<int> apply_common(CommonArgs& a) {
    job::Options& opts = a.opts;
    opts.strict = !a.no_strict;
    opts.fonts_dir = a.fonts_dir;
    opts.input_encoding = *sources::encoding_named(a.input_encoding);
    a.limits.max_file_bytes = static_cast<std::uint64_t>(a.max_file_mb) << 20;
    a.limits.max_template_bytes = static_cast<std::uint64_t>(a.max_template_mb) << 20;
    sources::set_limits(a.limits);
    std::string error;
    auto f = job::parse_formats(a.formats, error);
    if (!f) {
        std::cerr << "vanban: --format: " << error << "\n";
        return kUsage;
    }
    opts.formats = *f;
    return std::nullopt;
}

// Runs the subcommand the command line named; errors become their exit status.
int dispatch(const Commands& c, Args& args, int argc, char** argv) {
    const job::Options& opts = args.common.opts;
    try {
        if (*c.render) {
            const RenderArgs& a = args.render;
            return cmd_render(a.input, a.out_dir, a.dump_path, opts, a.quiet, a.data);
        }
        if (*c.batch) return cmd_batch(args.batch, opts);
        if (*c.import) return cmd_import(args.import.input, args.import.out_dir, args.import.quiet);
        if (*c.check) {
            const CheckArgs& a = args.check;
            return a.json ? cmd_check_json(a.input, opts, a.data) : cmd_check(a.input, opts, a.data);
        }
        if (*c.serve) {
            args.serve.options.job = opts;
            return cli::serve(args.serve, argc, argv);
        }
        if (*c.dump) {
            std::cout << layout::dump(job::lay_out(load(args.dump_input, opts, {}).doc).paged);
            return kOk;
        }
        if (*c.schema) {
            std::cout << (args.annex_schema ? input::annex_schema() : input::document_schema());
            return kOk;
        }
        if (*c.bench) return cli::bench(args.bench, opts);
    } catch (const Error& e) {
        std::cerr << e.diagnostics().to_string();
        return exit_status(e.kind());
    } catch (const std::exception& e) {
        std::cerr << "vanban: " << tx("internal error: {}", e.what()) << "\n";
        return kInternal;
    }
    return kUsage;
}

}  // namespace

int main(int argc, char** argv) {
    // Every document loads font files and builds buffers of a few hundred KB:
    // keep such blocks in the heap for reuse instead of mapping and zeroing
    // fresh pages each time (a batch renders thousands of documents).
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
    set_language(language_from(argc, argv));
    Args args;
    CLI::App app{tx("vanban — Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP) from JSON to PDF")};
    add_program_options(app, args.lang);
    const Commands commands = add_commands(app, args);
    if (auto status = parse(app, argc, argv)) return *status;
    if (auto status = apply_common(args.common)) return *status;
    return dispatch(commands, args, argc, argv);
}

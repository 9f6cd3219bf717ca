// cli: the `vanban` command. Parses arguments (CLI11), runs a job, prints
// diagnostics, and maps outcomes to exit codes:
//   0 success · 1 bad input · 2 bad usage · 3 internal failure.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <iostream>
#include <optional>
#include <fcntl.h>
#include <malloc.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "batch/plan.hpp"
#include "batch/runner.hpp"
#include "core/diagnostic.hpp"
#include "input/document_input.hpp"
#include "job/render.hpp"
#include "layout/paged.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace vanban;

constexpr int kOk = 0, kBadInput = 1, kUsage = 2, kInternal = 3;

void print_warnings(const Diagnostics& w) {
    for (const auto& d : w.items())
        if (d.severity == Severity::warning) std::cerr << d.to_string() << "\n";
}

double cpu_ms() {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

long peak_rss_kb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

struct DataOptions {
    std::string data;          ///< --data: the document is a template filled from this file
    int row = 0;               ///< --row N (1-based); 0 = the only record
    std::string name_pattern;  ///< --name
    bool ascii_names = false;  ///< --ascii-names
};

int cmd_render(const std::string& input, const std::string& out_dir, const std::string& dump_path,
               const job::Options& opts, bool quiet, const DataOptions& data) {
    Diagnostics warnings;
    std::optional<batch::Single> bound;
    if (!data.data.empty()) bound = batch::single(input, data.data, data.row, data.name_pattern, data.ascii_names);
    model::Document doc = job::load(input, opts, warnings, bound ? &bound->context : nullptr);
    print_warnings(warnings);
    std::string stem = bound && !bound->name.empty() ? bound->name : job::output_stem(doc);
    job::Laid laid;
    auto w = job::render(doc, out_dir, stem, dump_path.empty() ? nullptr : &laid);
    if (!dump_path.empty()) {
        std::string text = layout::dump(laid.paged);
        if (dump_path == "-") std::cout << text;
        else {
            std::FILE* f = std::fopen(dump_path.c_str(), "wb");
            if (!f) throw std::runtime_error("cannot write " + dump_path);
            std::fwrite(text.data(), 1, text.size(), f);
            std::fclose(f);
        }
    }
    if (!quiet) {
        for (const auto& f : w.files)
            std::cout << "wrote " << f << (f.size() > 4 && f.substr(f.size() - 4) == ".pdf" ? " (" + std::to_string(w.pages) + " pages)" : "") << "\n";
        for (const auto& f : w.fonts) std::cout << "  font " << f.postscript_name << " <- " << f.file << "\n";
    }
    return kOk;
}

int cmd_check(const std::string& input, const job::Options& opts, const DataOptions& data) {
    Diagnostics warnings;
    std::optional<batch::Single> bound;
    if (!data.data.empty()) bound = batch::single(input, data.data, data.row, data.name_pattern, data.ascii_names);
    model::Document doc = job::load(input, opts, warnings, bound ? &bound->context : nullptr);
    print_warnings(warnings);
    auto paged = job::lay_out(doc).paged;
    std::cout << input << ": ok — " << doc.type.name << " " << job::output_stem(doc) << ", " << doc.body.size()
              << " body blocks, " << paged.pages.size() << " pages\n";
    return kOk;
}

/// Runs this executable with `args` and returns the wall time in ms; throws when it fails.
double spawn_ms(const std::vector<std::string>& args) {
    std::string exe = fs::read_symlink("/proc/self/exe").string();
    std::vector<const char*> argv{exe.c_str()};
    for (const auto& a : args) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t quiet;
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);  // its summary line
    auto t0 = std::chrono::steady_clock::now();
    pid_t pid;
    int rc = posix_spawn(&pid, exe.c_str(), &quiet, nullptr, const_cast<char**>(argv.data()), environ);
    posix_spawn_file_actions_destroy(&quiet);
    if (rc != 0) throw std::runtime_error("cannot start " + exe);
    int st = 0;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) throw std::runtime_error("`vanban " + args.at(0) + "` failed in the benchmark");
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

/// `vanban batch` of the district plan template of `example` over `rows`
/// generated districts (PDF + XLSX each), then the same command again with
/// nothing changed.
void bench_batch(int rows, const fs::path& example, const fs::path& tmp) {
    fs::path dir = tmp / "batch";
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(example))
        if (e.path().extension() == ".json" || e.path().extension() == ".md")
            fs::copy_file(e.path(), dir / e.path().filename(), fs::copy_options::overwrite_existing);
    // The 17 districts of the example, repeated with distinct codes and figures.
    std::vector<std::vector<std::string>> base;
    std::string header;
    {
        std::string text = input::read_file((example / "data.csv").string()), line;
        std::istringstream in(text);
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty()) continue;
            if (header.empty()) {
                header = line;
                continue;
            }
            std::vector<std::string> f;
            std::istringstream ls(line);
            for (std::string c; std::getline(ls, c, ',');) f.push_back(c);
            base.push_back(f);
        }
    }
    if (base.empty() || base[0].size() != 8) throw std::runtime_error("unexpected data.csv in " + example.string());
    std::string csv = header + "\n";
    for (int i = 0; i < rows; ++i) {
        auto f = base[std::size_t(i) % base.size()];
        int round = i / int(base.size());
        f[0] += "-" + std::to_string(round + 1);
        f[4] = std::to_string(std::stoll(f[4]) + round * 7);   // households
        f[5] = std::to_string(std::stoll(f[5]) + round % 13);  // poor households
        for (std::size_t k = 0; k < f.size(); ++k) csv += (k ? "," : "") + f[k];
        csv += "\n";
    }
    {
        std::ofstream out(dir / "data.csv", std::ios::binary);
        out << csv;
    }
    std::string out = (dir / "out").string();
    std::vector<std::string> args{"batch", (dir / "template.json").string(), "--data", (dir / "data.csv").string(), "-o", out, "-q"};
    double first = spawn_ms(args);
    double again = spawn_ms(args);
    std::printf("batch: %d district plans (PDF + XLSX each) on %u cores: %.0f ms, %.0f documents/s; "
                "no-change re-run: %.0f ms\n",
                rows, std::thread::hardware_concurrency(), first, rows / (first / 1000.0), again);
}

/// A generated annex of `rows` communes: TT, name, households, poor households,
/// a computed rate, a budget in triệu đồng with 4 decimals, and the total row.
model::Annex synthetic_annex(int rows) {
    model::Annex a;
    a.title = "Bảng kiểm tra tốc độ: " + std::to_string(rows) + " dòng";
    a.unit = "triệu đồng";
    a.subtitle = {"Đơn vị tính: triệu đồng"};
    a.pointer = "/annexes/0";
    auto col = [](std::string key, std::string header, std::string label, model::ValueFormat f, int dec = 0,
                  std::string expr = {}) {
        model::Column c;
        c.key = std::move(key);
        c.header = std::move(header);
        c.label = std::move(label);
        c.format = f;
        c.decimals = dec;
        c.expr = std::move(expr);
        c.pointer = "/annexes/0/columns/" + c.key;
        return c;
    };
    auto& t = a.table;
    t.columns.push_back(col("tt", "TT", "A", model::ValueFormat::text));
    t.columns.back().numbering = true;
    t.columns.push_back(col("ten", "Đơn vị", "B", model::ValueFormat::text));
    t.columns.push_back(col("ho", "Tổng số hộ dân cư", "1", model::ValueFormat::integer));
    t.columns.push_back(col("ngheo", "Số hộ nghèo", "2", model::ValueFormat::integer));
    t.columns.push_back(col("ty_le", "Tỷ lệ hộ nghèo (%)", "3=2/1", model::ValueFormat::percent, 2, "ngheo / ho * 100"));
    t.columns.push_back(col("kinh_phi", "Kinh phí hỗ trợ", "4", model::ValueFormat::money, 4));
    t.total.present = true;
    t.total.cells["ten"] = {model::CellInput::Kind::text, "Tổng cộng", {}, "/annexes/0/total/ten"};
    t.pointer = a.pointer;
    std::uint32_t seed = 12345;
    auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 8) % 100000; };
    for (int i = 0; i < rows; ++i) {
        model::Row r;
        r.pointer = "/annexes/0/rows/" + std::to_string(i);
        const long long ho = 500 + static_cast<long long>(next() % 5000);
        const long long ngheo = static_cast<long long>(next()) % (ho / 3 + 1);
        std::string money = std::to_string(next() % 5000) + "." + std::to_string(1000 + next() % 9000);
        r.cells["ten"] = {model::CellInput::Kind::text, "Xã số " + std::to_string(i + 1) + " huyện thử nghiệm", {}, r.pointer};
        r.cells["ho"] = {model::CellInput::Kind::number, std::to_string(ho), Decimal(ho), r.pointer};
        r.cells["ngheo"] = {model::CellInput::Kind::number, std::to_string(ngheo), Decimal(ngheo), r.pointer};
        r.cells["kinh_phi"] = {model::CellInput::Kind::number, money, *Decimal::parse(money), r.pointer};
        t.rows.push_back(std::move(r));
    }
    return a;
}

/// Renders the document with a generated annex of `rows` rows to PDF and XLSX.
void bench_big_annex(model::Document doc, int rows, const fs::path& tmp) {
    doc.annexes = {synthetic_annex(rows)};
    double c0 = cpu_ms();
    auto w0 = std::chrono::steady_clock::now();
    job::Laid laid;
    auto w = job::render(doc, tmp.string(), "bench-annex", &laid);
    double wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0).count();
    double cpu = cpu_ms() - c0;
    auto size = [](const std::string& f) { return fs::file_size(f) / 1048576.0; };
    std::printf("annex of %d rows: %.0f ms wall, %.0f ms CPU for PDF (%d pages, %.1f MB) + XLSX (%.1f MB); peak memory %.1f MB\n",
                rows, wall, cpu, w.pages, size(w.files.at(0)), size(w.files.at(1)), peak_rss_kb() / 1024.0);
}

int cmd_bench(const std::string& input, int iterations, int cold, int annex_rows, int batch_rows,
              const std::string& batch_example, const job::Options& opts) {
    fs::path tmp = fs::temp_directory_path() / ("vanban-bench-" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    Diagnostics warnings;

    // Warm-up (loads fonts once, as a batch does).
    job::Written w;
    {
        auto doc = job::load(input, opts, warnings);
        w = job::render(doc, tmp.string(), "bench");
    }
    double t0 = cpu_ms();
    auto wall0 = std::chrono::steady_clock::now();
    double t_load = 0, t_layout = 0;
    for (int i = 0; i < iterations; ++i) {
        double a = cpu_ms();
        auto doc = job::load(input, opts, warnings);
        double b = cpu_ms();
        auto paged = job::lay_out(doc).paged;
        double c = cpu_ms();
        t_load += b - a;
        t_layout += c - b;
        job::render(doc, tmp.string(), "bench");
    }
    double cpu = cpu_ms() - t0;
    double wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count();
    std::printf("document: %s (%d pages)\n", input.c_str(), w.pages);
    std::printf("in-process: %d renders, %.2f ms CPU per document (load %.2f, layout %.2f, layout+pdf %.2f), %.2f ms wall\n",
                iterations, cpu / iterations, t_load / iterations, t_layout / iterations,
                (cpu - t_load) / iterations, wall / iterations);
    std::printf("peak memory: %.1f MB\n", peak_rss_kb() / 1024.0);
    if (cold > 0) {
        double ms = 0;
        for (int i = 0; i < cold; ++i) ms += spawn_ms({"render", input, "-o", (tmp / "cold").string(), "--quiet"});
        rusage ch{};
        getrusage(RUSAGE_CHILDREN, &ch);
        double child_cpu = (ch.ru_utime.tv_sec + ch.ru_stime.tv_sec) * 1e3 + (ch.ru_utime.tv_usec + ch.ru_stime.tv_usec) / 1e3;
        std::printf("cold process: %d runs of `vanban render`, %.2f ms wall, %.2f ms CPU per process, peak %.1f MB\n", cold,
                    ms / cold, child_cpu / cold, ch.ru_maxrss / 1024.0);
    }
    if (batch_rows > 0) bench_batch(batch_rows, batch_example, tmp);
    // The large annex last: the process's peak memory is then the annex's (the
    // document alone needs far less), and the child processes above do not inherit it.
    if (annex_rows > 0) bench_big_annex(job::load(input, opts, warnings), annex_rows, tmp);
    fs::remove_all(tmp);
    return kOk;
}

struct BatchArgs {
    std::vector<std::string> templates;
    std::string data, out_dir, name_pattern, shard;
    bool ascii_names = false, force = false, prune = false, quiet = false;
    int jobs = 0;
};

int cmd_batch(const BatchArgs& a, const job::Options& opts) {
    batch::Request req;
    req.templates = a.templates;
    req.data = a.data;
    req.name_pattern = a.name_pattern;
    req.ascii_names = a.ascii_names;
    req.job = opts;
    batch::Options bo;
    bo.jobs = a.jobs;
    bo.force = a.force;
    bo.prune = a.prune;
    bo.quiet = a.quiet;
    if (!a.shard.empty()) {
        auto sh = batch::parse_shard(a.shard);
        if (!sh) {
            std::cerr << "vanban batch: --shard expects I/N with 1 <= I <= N, e.g. 2/4; found \"" << a.shard << "\"\n";
            return kUsage;
        }
        bo.shard_index = sh->first;
        bo.shard_count = sh->second;
    }
    batch::Plan plan = batch::plan(req);
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

}  // namespace

int main(int argc, char** argv) {
    // Every document loads font files and builds buffers of a few hundred KB:
    // keep such blocks in the heap for reuse instead of mapping and zeroing
    // fresh pages each time (a batch renders thousands of documents).
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
    CLI::App app{"vanban — Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP) from JSON to PDF"};
    app.set_version_flag("--version", std::string("vanban ") + VANBAN_VERSION);
    app.require_subcommand(1);

    job::Options opts;
    bool no_strict = false;
    std::string fonts_dir;

    std::string input, out_dir, dump_path;
    bool quiet = false;
    auto* render = app.add_subcommand("render", "Render a document to PDF");
    render->add_option("input", input, "document JSON file")->required()->check(CLI::ExistingFile);
    render->add_option("-o,--output", out_dir, "output folder (created if missing)")->required();
    render->add_option("--dump", dump_path, "also write the layout dump (page, position, font, size, text) to FILE, or - for stdout");
    render->add_flag("-q,--quiet", quiet, "print nothing on success");
    DataOptions data;
    render->add_option("--data", data.data, "the input is a template: fill it from this CSV or JSON data file")
        ->check(CLI::ExistingFile);
    render->add_option("--row", data.row, "with --data: the record to use (1-based) when the data has several")
        ->check(CLI::PositiveNumber);
    render->add_option("--name", data.name_pattern, "with --data: output name pattern, e.g. \"{{ma_huyen}}-ke-hoach\"");
    render->add_flag("--ascii-names", data.ascii_names, "with --data: output names as ASCII slugs");

    BatchArgs ba;
    auto* batch_cmd = app.add_subcommand("batch", "Render one document per data record (or per template), in parallel and incrementally");
    batch_cmd->add_option("templates", ba.templates, "template document files")->required()->check(CLI::ExistingFile);
    batch_cmd->add_option("--data", ba.data, "CSV or JSON data file")->required()->check(CLI::ExistingFile);
    batch_cmd->add_option("-o,--output", ba.out_dir, "output folder (created if missing; holds the manifest)")->required();
    batch_cmd->add_option("--name", ba.name_pattern, "output name pattern, e.g. \"{{ma_huyen}}-ke-hoach\" (default: the template's name)");
    batch_cmd->add_flag("--ascii-names", ba.ascii_names, "output names as ASCII slugs (\"huyen-dak-doa\")");
    batch_cmd->add_option("-j,--jobs", ba.jobs, "parallel jobs (default: all cores)")->check(CLI::NonNegativeNumber);
    batch_cmd->add_option("--shard", ba.shard, "render only slice I of N (task k belongs to shard k mod N + 1), e.g. 2/4");
    batch_cmd->add_flag("--force", ba.force, "rebuild every output, even when unchanged");
    batch_cmd->add_flag("--prune", ba.prune, "delete outputs that the data no longer produces");
    batch_cmd->add_flag("-q,--quiet", ba.quiet, "print only failures and the summary");

    std::string check_input;
    auto* check = app.add_subcommand("check", "Validate a document and report every problem, without writing");
    check->add_option("input", check_input, "document JSON file")->required()->check(CLI::ExistingFile);
    DataOptions check_data;
    check->add_option("--data", check_data.data, "the input is a template: fill it from this CSV or JSON data file")
        ->check(CLI::ExistingFile);
    check->add_option("--row", check_data.row, "with --data: the record to check (1-based)")->check(CLI::PositiveNumber);

    std::string dump_input;
    auto* dump = app.add_subcommand("dump", "Print the layout dump of a document (what golden tests compare)");
    dump->add_option("input", dump_input, "document JSON file")->required()->check(CLI::ExistingFile);

    bool annex_schema = false;
    auto* schema = app.add_subcommand("schema", "Print the JSON Schema of the input");
    schema->add_flag("--annex", annex_schema, "print the schema of one annex table (annex.schema.json) instead");

    std::string bench_input;
    int iterations = 200, cold = 20, annex_rows = 10000, batch_rows = 1000;
    std::string batch_example = (fs::path(VANBAN_SOURCE_DIR) / "examples" / "gia-lai-huyen").string();
    auto* bench = app.add_subcommand("bench", "Measure rendering speed and memory (not a test)");
    bench->add_option("input", bench_input, "document JSON file")->required()->check(CLI::ExistingFile);
    bench->add_option("-n,--iterations", iterations, "in-process renders")->check(CLI::PositiveNumber);
    bench->add_option("--cold", cold, "whole `vanban render` processes to time")->check(CLI::NonNegativeNumber);
    bench->add_option("--annex-rows", annex_rows, "also render the document with a generated annex of N rows (0: skip)")
        ->check(CLI::NonNegativeNumber);
    bench->add_option("--batch", batch_rows, "also time `vanban batch` of N district plans and a no-change re-run (0: skip)")
        ->check(CLI::NonNegativeNumber);
    bench->add_option("--batch-example", batch_example, "folder with template.json, body.md and data.csv for --batch")
        ->check(CLI::ExistingDirectory);

    for (auto* sc : {render, check, dump, bench, batch_cmd}) {
        sc->add_flag("--no-strict", no_strict, "accept layout values outside the decree's ranges (with a warning)");
        sc->add_option("--fonts-dir", fonts_dir, "folder with LiberationSerif-*.ttf");
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? kOk : kUsage;
    }
    opts.strict = !no_strict;
    opts.fonts_dir = fonts_dir;

    try {
        if (*render) return cmd_render(input, out_dir, dump_path, opts, quiet, data);
        if (*batch_cmd) return cmd_batch(ba, opts);
        if (*check) return cmd_check(check_input, opts, check_data);
        if (*dump) {
            Diagnostics w;
            auto doc = job::load(dump_input, opts, w);
            print_warnings(w);
            std::cout << layout::dump(job::lay_out(doc).paged);
            return kOk;
        }
        if (*schema) {
            std::cout << (annex_schema ? input::annex_schema() : input::document_schema());
            return kOk;
        }
        if (*bench) return cmd_bench(bench_input, iterations, cold, annex_rows, batch_rows, batch_example, opts);
    } catch (const Error& e) {
        std::cerr << e.diagnostics().to_string();
        return exit_status(e.kind());
    } catch (const std::exception& e) {
        std::cerr << "vanban: internal error: " << e.what() << "\n";
        return kInternal;
    }
    return kUsage;
}

// cli/bench: `vanban bench` — speed and memory of the whole pipeline, measured
// in this process and as separate processes (a benchmark, not a test).
#include "cli/bench.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "job/render.hpp"
#include "sources/bundle.hpp"
#include "sources/world.hpp"

extern char** environ;

namespace vanban::cli {

namespace {

namespace fs = std::filesystem;

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
        std::string text, line;
        {
            std::ifstream f(example / "data.csv", std::ios::binary);
            std::ostringstream ss;
            ss << f.rdbuf();
            text = ss.str();
        }
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
    t.total.cells["ten"] = {model::CellInput::Kind::text, "Tổng cộng", {}, "/annexes/0/total/ten", false, {}, true};
    t.pointer = a.pointer;
    std::uint32_t seed = 12345;
    auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 8) % 100000; };
    for (int i = 0; i < rows; ++i) {
        model::Row r;
        r.pointer = "/annexes/0/rows/" + std::to_string(i);
        const long long ho = 500 + static_cast<long long>(next() % 5000);
        const long long ngheo = static_cast<long long>(next()) % (ho / 3 + 1);
        std::string money = std::to_string(next() % 5000) + "." + std::to_string(1000 + next() % 9000);
        r.cells["ten"] = {model::CellInput::Kind::text, "Xã số " + std::to_string(i + 1) + " huyện thử nghiệm", {}, r.pointer, false, {}, true};
        r.cells["ho"] = {model::CellInput::Kind::number, std::to_string(ho), Decimal(ho), r.pointer, false, {}, true};
        r.cells["ngheo"] = {model::CellInput::Kind::number, std::to_string(ngheo), Decimal(ngheo), r.pointer, false, {}, true};
        r.cells["kinh_phi"] = {model::CellInput::Kind::number, money, *Decimal::parse(money), r.pointer, false, {}, true};
        t.rows.push_back(std::move(r));
    }
    return a;
}

/// Renders the document with a generated annex of `rows` rows to PDF and XLSX.
void bench_big_annex(resolve::Document doc, int rows, const fs::path& tmp) {
    Diagnostics unused;
    doc.model.annexes = {synthetic_annex(rows)};
    doc = resolve::resolve(std::move(doc.model), true, unused);
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

/// The document's files from disk at every read; the shipped fonts from a
/// World that keeps them.
class FreshWorld : public sources::DiskWorld {
public:
    FreshWorld(sources::World& fonts, const std::array<std::string, 4>& shipped) : fonts_(fonts), shipped_(shipped) {}

protected:
    sources::ReadResult fetch(const std::string& path) override {
        for (const auto& f : shipped_)
            if (f == path) return fonts_.read(path);
        return DiskWorld::fetch(path);
    }

private:
    sources::World& fonts_;
    const std::array<std::string, 4>& shipped_;
};

}  // namespace

int bench(const BenchOptions& b, const job::Options& opts) {
    const std::string& input = b.input;
    const int iterations = b.iterations, cold = b.cold, annex_rows = b.annex_rows, batch_rows = b.batch_rows;
    const std::string& batch_example = b.batch_example;
    fs::path tmp = fs::temp_directory_path() / ("vanban-bench-" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    Diagnostics warnings;

    // Every render reads the document's files afresh (as a server re-rendering
    // an edited document does); the shipped fonts are read once, as the
    // server and a batch read them.
    sources::DiskWorld font_world;
    const auto shipped = sources::shipped_fonts(job::find_fonts_dir(opts.fonts_dir));
    auto load = [&] {
        FreshWorld world(font_world, shipped);
        return job::load(job::gather(world, input, opts), opts, warnings);
    };
    job::Written w = job::render(load(), tmp.string(), "bench");
    // One document = load + render (layout, PDF, XLSX); the layout alone is
    // timed in a loop of its own, so that it is not counted twice.
    double t0 = cpu_ms();
    auto wall0 = std::chrono::steady_clock::now();
    double t_load = 0;
    for (int i = 0; i < iterations; ++i) {
        double a = cpu_ms();
        auto doc = load();
        t_load += cpu_ms() - a;
        job::render(doc, tmp.string(), "bench");
    }
    double cpu = cpu_ms() - t0;
    double wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count();
    const auto doc = load();
    double l0 = cpu_ms();
    for (int i = 0; i < iterations; ++i) job::lay_out(doc);
    const double t_layout = cpu_ms() - l0;
    std::printf("document: %s (%d pages)\n", input.c_str(), w.pages);
    std::printf("in-process: %d renders, %.2f ms CPU per document (load %.2f, render %.2f, of which layout %.2f), "
                "%.2f ms wall\n",
                iterations, cpu / iterations, t_load / iterations, (cpu - t_load) / iterations, t_layout / iterations,
                wall / iterations);
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
    if (annex_rows > 0) bench_big_annex(load(), annex_rows, tmp);
    fs::remove_all(tmp);
    return 0;
}


}  // namespace vanban::cli

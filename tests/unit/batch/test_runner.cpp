// Tests of batch/runner with fake tasks: incremental decisions, failures,
// collisions, shards, the manifest's contents, interruption, stale outputs,
// progress output, and the runner's own overhead.
#include <doctest/doctest.h>

#include <csignal>

#include "batch/runner.hpp"
#include "fixtures.hpp"

using namespace vanban::batch;
using namespace batch_test;

namespace {

std::vector<Task> make_tasks(int count, Recorder& rec, const std::string& salt = "", FakeSpec spec = {}) {
    std::vector<Task> out;
    for (int i = 0; i < count; ++i) {
        const std::string name = "doc-" + std::to_string(i);
        out.push_back(fake_task(name, hash_of(name + salt), rec, spec, "data.csv:" + std::to_string(i + 2)));
    }
    return out;
}

Manifest manifest_of(const TempDir& dir) {
    vanban::Diagnostics w;
    Manifest m = read_manifest(dir.str(), w);
    REQUIRE(w.empty());
    return m;
}

/// The files the manifest says are in the folder (outputs and obsolete files).
std::set<std::string> manifest_files(const Manifest& m) {
    std::set<std::string> out;
    for (const auto& [name, e] : m.entries) {
        for (const auto& [f, r] : e.files) out.insert(f);
        out.insert(e.obsolete.begin(), e.obsolete.end());
    }
    return out;
}

}  // namespace

TEST_CASE("first run writes everything and records it; a second run skips everything") {
    TempDir dir;
    Recorder rec;
    Summary s1 = run(make_tasks(5, rec), dir.str(), quiet_options());
    CHECK(s1.written == 5);
    CHECK(s1.skipped == 0);
    CHECK(s1.failed == 0);
    CHECK(s1.ok());
    CHECK(rec.total() == 5);
    const Manifest m = manifest_of(dir);
    REQUIRE(m.entries.size() == 5);
    const ManifestEntry& e = m.entries.at("doc-3");
    CHECK(e.input == hash_of("doc-3"));
    CHECK(e.tool == VANBAN_VERSION);
    REQUIRE(e.files.size() == 1);
    const std::string content = read_file(dir / "doc-3.txt");
    CHECK(e.files.at("doc-3.txt").size == content.size());
    CHECK(e.files.at("doc-3.txt").sha256 == sha256_hex(content));
    CHECK(files_in(dir.path) == manifest_files(m));

    const std::string bytes = read_file(dir / kManifestFileName);
    rec.reset();
    Summary s2 = run(make_tasks(5, rec), dir.str(), quiet_options());
    CHECK(s2.written == 0);
    CHECK(s2.skipped == 5);
    CHECK(s2.ok());
    CHECK(rec.total() == 0);
    CHECK(read_file(dir / kManifestFileName) == bytes);
}

TEST_CASE("a changed input hash rebuilds exactly that document") {
    TempDir dir;
    Recorder rec;
    run(make_tasks(6, rec), dir.str(), quiet_options());
    rec.reset();
    auto tasks = make_tasks(6, rec);
    tasks[4] = fake_task("doc-4", hash_of("doc-4 changed"), rec, {}, "data.csv:6");
    Summary s = run(std::move(tasks), dir.str(), quiet_options());
    CHECK(s.written == 1);
    CHECK(s.skipped == 5);
    CHECK(rec.names() == std::set<std::string>{"doc-4"});
    CHECK(manifest_of(dir).entries.at("doc-4").input == hash_of("doc-4 changed"));
    CHECK(read_file(dir / "doc-4.txt").find(hash_of("doc-4 changed")) != std::string::npos);
}

TEST_CASE("force rebuilds everything; another tool version rebuilds everything") {
    TempDir dir;
    Recorder rec;
    run(make_tasks(4, rec), dir.str(), quiet_options());
    rec.reset();
    Options o = quiet_options();
    o.force = true;
    Summary s = run(make_tasks(4, rec), dir.str(), o);
    CHECK(s.written == 4);
    CHECK(rec.total() == 4);

    rec.reset();
    Options v = quiet_options();
    v.tool_version = "9.9.9";
    Summary s2 = run(make_tasks(4, rec), dir.str(), v);
    CHECK(s2.written == 4);
    CHECK(manifest_of(dir).entries.at("doc-0").tool == "9.9.9");
}

TEST_CASE("a missing output file or a different size rebuilds that document only") {
    TempDir dir;
    Recorder rec;
    const FakeSpec two{{"pdf", "xlsx"}, 0};
    run(make_tasks(5, rec, "", two), dir.str(), quiet_options());
    fs::remove(dir / "doc-1.xlsx");
    write_file(dir / "doc-3.pdf", read_file(dir / "doc-3.pdf") + "tampered");
    rec.reset();
    Summary s = run(make_tasks(5, rec, "", two), dir.str(), quiet_options());
    CHECK(s.written == 2);
    CHECK(s.skipped == 3);
    CHECK(rec.names() == std::set<std::string>{"doc-1", "doc-3"});
    CHECK(fs::exists(dir / "doc-1.xlsx"));
    CHECK(read_file(dir / "doc-3.pdf").find("tampered") == std::string::npos);
}

TEST_CASE("a failing document never stops the others, and is reported with its source") {
    TempDir dir;
    Recorder rec;
    auto tasks = make_tasks(5, rec);
    tasks[1].render = [](const std::string&, const std::string&) -> std::vector<std::string> {
        throw vanban::InputError("data.csv", vanban::TextPos{3, 7}, vanban::Message{"cell-not-number", "found \"abc\" in column \"chi_tieu\", expected a number"});
    };
    tasks[3].render = [](const std::string&, const std::string&) -> std::vector<std::string> {
        throw std::runtime_error("PoDoFo exploded");
    };
    std::ostringstream log;
    Options o = quiet_options(3);
    o.silent = false;
    o.log = &log;
    o.terminal = false;
    Summary s = run(std::move(tasks), dir.str(), o);
    CHECK(s.written == 3);
    CHECK(s.failed == 2);
    CHECK_FALSE(s.ok());
    REQUIRE(s.failures.size() == 2);
    CHECK(s.failures[0].name == "doc-1");
    CHECK(s.failures[0].source == "data.csv:3");
    CHECK_FALSE(s.failures[0].internal);
    CHECK(s.failures[0].message() ==
          "data.csv:3:7: error: found \"abc\" in column \"chi_tieu\", expected a number\n");
    CHECK(s.failures[1].name == "doc-3");
    CHECK(s.failures[1].internal);
    CHECK(s.failures[1].message().find("PoDoFo exploded") != std::string::npos);
    CHECK(files_in(dir.path) == std::set<std::string>{"doc-0.txt", "doc-2.txt", "doc-4.txt"});
    const Manifest m = manifest_of(dir);
    CHECK(m.entries.count("doc-1") == 0);
    CHECK(m.entries.count("doc-3") == 0);

    const std::string out = log.str();
    CHECK(out.find("written doc-0 (data.csv:2)\n") != std::string::npos);
    CHECK(out.find("FAILED doc-1 (data.csv:3)\n") != std::string::npos);
    CHECK(out.find("5 documents: 3 written, 0 unchanged, 2 failed\n") != std::string::npos);
    CHECK(out.find("FAILED doc-1 (data.csv:3):\n  data.csv:3:7: error: found \"abc\"") != std::string::npos);
    CHECK(out.find("FAILED doc-3 (data.csv:5) (internal failure):\n") != std::string::npos);

    // The failed documents are tried again next time; the others are skipped.
    rec.reset();
    Summary again = run(make_tasks(5, rec), dir.str(), quiet_options());
    CHECK(again.written == 2);
    CHECK(again.skipped == 3);
    CHECK(rec.names() == std::set<std::string>{"doc-1", "doc-3"});
}

TEST_CASE("rows the caller could not prepare, unsafe names and bad render results fail alone") {
    TempDir dir;
    Recorder rec;
    auto tasks = make_tasks(5, rec);
    vanban::Diagnostics bad;
    bad.error("data.csv", vanban::TextPos{4, 1}, vanban::Message{"csv-field-count", "the row has 3 cells, expected 5"});
    tasks[2].prepare_error = bad;
    tasks[0].name = "../escape";
    tasks[4].render = [](const std::string&, const std::string&) {
        return std::vector<std::string>{"never-written.pdf"};
    };
    Summary s = run(std::move(tasks), dir.str(), quiet_options());
    CHECK(s.written == 2);
    CHECK(s.failed == 3);
    REQUIRE(s.failures.size() == 3);
    CHECK(s.failures[0].message().find("\"../escape\" is not a safe file name") != std::string::npos);
    CHECK(s.failures[1].message() == "data.csv:4:1: error: the row has 3 cells, expected 5\n");
    CHECK(s.failures[2].internal);
    CHECK(s.failures[2].message().find("no such file") != std::string::npos);
    CHECK(rec.count("doc-2") == 0);
    CHECK(!fs::exists(dir.path.parent_path() / "escape.txt"));
}

TEST_CASE("a run where every document fails leaves no new, empty output folder; an existing folder stays") {
    TempDir dir;
    Recorder rec;
    vanban::Diagnostics bad;
    bad.error("data.csv", vanban::TextPos{2, 1}, vanban::Message{"template-value", "no value named 'ma_huyn'"});
    auto all_bad = [&] {
        auto tasks = make_tasks(3, rec);
        for (auto& t : tasks) t.prepare_error = bad;
        return tasks;
    };
    const fs::path fresh = dir / "out";
    Summary s = run(all_bad(), fresh.string(), quiet_options());
    CHECK(s.failed == 3);
    CHECK(!fs::exists(fresh));
    fs::create_directories(fresh);
    run(all_bad(), fresh.string(), quiet_options());
    CHECK(fs::is_directory(fresh));  // the user's folder is never removed
}

TEST_CASE("names colliding without regard to case fail, naming both sources; the rest run") {
    TempDir dir;
    Recorder rec;
    std::vector<Task> tasks;
    tasks.push_back(fake_task("Kbang", hash_of("1"), rec, {}, "data.csv:2"));
    tasks.push_back(fake_task("Pleiku", hash_of("2"), rec, {}, "data.csv:3"));
    tasks.push_back(fake_task("KBANG", hash_of("3"), rec, {}, "data.csv:4"));
    tasks.push_back(fake_task("Đak Đoa", hash_of("4"), rec, {}, "data.csv:5"));
    tasks.push_back(fake_task("ĐAK ĐOA", hash_of("5"), rec, {}, "data.csv:6"));
    Summary s = run(std::move(tasks), dir.str(), quiet_options());
    CHECK(s.written == 1);
    CHECK(s.failed == 4);
    CHECK(rec.names() == std::set<std::string>{"Pleiku"});
    REQUIRE(s.failures.size() == 4);
    CHECK(s.failures[0].source == "data.csv:2");
    CHECK(s.failures[0].message().find("data.csv:4 (\"KBANG\")") != std::string::npos);
    CHECK(s.failures[1].message().find("data.csv:2 (\"Kbang\")") != std::string::npos);
    CHECK(s.failures[2].message().find("data.csv:6") != std::string::npos);

    // Across shards: row 0 is in shard 1, row 1 in shard 2.
    TempDir dir2;
    std::vector<Task> sharded;
    sharded.push_back(fake_task("same", hash_of("a"), rec, {}, "data.csv:2"));
    sharded.push_back(fake_task("SAME", hash_of("b"), rec, {}, "data.csv:3"));
    sharded.push_back(fake_task("other", hash_of("c"), rec, {}, "data.csv:4"));
    Options o = quiet_options();
    o.shard_index = 1;
    o.shard_count = 2;
    Summary s2 = run(std::move(sharded), dir2.str(), o);
    CHECK(s2.selected == 2);
    CHECK(s2.failed == 1);
    CHECK(s2.written == 1);
    REQUIRE(s2.failures.size() == 1);
    CHECK(s2.failures[0].message().find("data.csv:3") != std::string::npos);
}

TEST_CASE("shard slices: disjoint, and together every task once") {
    CHECK(parse_shard("1/1") == std::make_pair(1, 1));
    CHECK(parse_shard("2/5") == std::make_pair(2, 5));
    for (const char* bad : {"", "0/3", "4/3", "1/0", "1", "/3", "1/", "a/b", "-1/3", "1/3/4", " 1/3"})
        CHECK_MESSAGE(!parse_shard(bad).has_value(), bad);

    for (int count : {1, 3, 5, 7}) {
        std::vector<int> owner(23, 0);
        for (int shard = 1; shard <= count; ++shard)
            for (std::size_t k = 0; k < owner.size(); ++k)
                if (in_shard(k, shard, count)) ++owner[k];
        for (std::size_t k = 0; k < owner.size(); ++k) CHECK(owner[k] == 1);
    }
    CHECK(in_shard(0, 1, 3));
    CHECK(in_shard(4, 2, 3));
    CHECK(in_shard(5, 3, 3));

    // Runs: each shard renders its slice; the union is every task.
    TempDir dir;
    Recorder rec;
    std::set<std::string> seen;
    for (int shard = 1; shard <= 3; ++shard) {
        rec.reset();
        Options o = quiet_options();
        o.shard_index = shard;
        o.shard_count = 3;
        Summary s = run(make_tasks(10, rec), dir.str(), o);
        CHECK(s.total == 10);
        CHECK(s.selected == (shard == 1 ? 4 : 3));
        CHECK(s.written == s.selected);
        CHECK(s.stale.empty());  // other shards' outputs are not stale
        for (const std::string& n : rec.names()) CHECK(seen.insert(n).second);
    }
    CHECK(seen.size() == 10);
    rec.reset();
    Summary all = run(make_tasks(10, rec), dir.str(), quiet_options());
    CHECK(all.skipped == 10);
    CHECK(rec.total() == 0);

    Options bad = quiet_options();
    bad.shard_index = 4;
    bad.shard_count = 3;
    CHECK_THROWS_AS(run(make_tasks(2, rec), dir.str(), bad), std::invalid_argument);
}

TEST_CASE("shards running at the same time into one folder keep one complete manifest") {
    TempDir dir;
    Recorder rec;
    std::vector<Summary> sums(3);
    std::vector<std::thread> shards;
    for (int shard = 1; shard <= 3; ++shard) {
        shards.emplace_back([&, shard] {
            Options o = quiet_options(2);
            o.shard_index = shard;
            o.shard_count = 3;
            o.flush_interval = std::chrono::milliseconds(0);  // write after every batch of completions
            sums[shard - 1] = run(make_tasks(30, rec, "", {{"txt"}, 2}), dir.str(), o);
        });
    }
    for (auto& t : shards) t.join();
    for (const Summary& s : sums) CHECK(s.ok());
    const Manifest m = manifest_of(dir);
    CHECK(m.entries.size() == 30);
    CHECK(files_in(dir.path) == manifest_files(m));
}

TEST_CASE("a corrupt or foreign manifest is a warning and a rebuild, never a crash") {
    TempDir dir;
    Recorder rec;
    run(make_tasks(3, rec), dir.str(), quiet_options());
    for (const std::string& junk : {std::string("{ not json"), std::string("{\"format\":\"vanban-batch-manifest\","
                                                                            "\"version\":99,\"outputs\":{}}")}) {
        write_file(dir / kManifestFileName, junk);
        rec.reset();
        std::ostringstream log;
        Options o = quiet_options();
        o.silent = false;
        o.quiet = true;
        o.log = &log;
        Summary s = run(make_tasks(3, rec), dir.str(), o);
        CHECK(s.written == 3);
        CHECK(rec.total() == 3);
        REQUIRE(s.diagnostics.items().size() == 1);
        CHECK(s.diagnostics.items()[0].severity == vanban::Severity::warning);
        CHECK(s.diagnostics.items()[0].file == (dir / kManifestFileName).string());
        CHECK(s.ok());
        CHECK(log.str().find("warning:") != std::string::npos);
        CHECK(manifest_of(dir).entries.size() == 3);
    }
}

TEST_CASE("the manifest's bytes do not depend on the number of workers or the order of completion") {
    TempDir one, four;
    Recorder rec;
    auto tasks_with_jitter = [&] {
        std::vector<Task> tasks;
        for (int i = 0; i < 24; ++i) {
            const std::string name = "doc-" + std::to_string(i);
            // Later tasks finish sooner, so completion order differs from data order.
            tasks.push_back(fake_task(name, hash_of(name), rec, {{"pdf", "xlsx"}, (24 - i) % 5},
                                      "data.csv:" + std::to_string(i + 2)));
        }
        return tasks;
    };
    Options o1 = quiet_options(1);
    Options o4 = quiet_options(4);
    o4.flush_interval = std::chrono::milliseconds(0);
    run(tasks_with_jitter(), one.str(), o1);
    run(tasks_with_jitter(), four.str(), o4);
    // The files' modification times are the only thing that differs between the runs.
    auto without_times = [](std::string text) {
        for (std::size_t p; (p = text.find("\"mtime_ns\": ")) != std::string::npos;) {
            const std::size_t end = text.find_first_of(",\n}", p);
            text.erase(p, end - p);
        }
        return text;
    };
    const std::string a = without_times(read_file(one / kManifestFileName));
    const std::string b = without_times(read_file(four / kManifestFileName));
    CHECK(!a.empty());
    CHECK(a == b);
}

TEST_CASE("an entry is invalidated on disk before its outputs are replaced") {
    TempDir dir;
    Recorder rec;
    run(make_tasks(3, rec), dir.str(), quiet_options());
    auto tasks = make_tasks(3, rec);
    std::string seen_input = "not looked at";
    std::size_t seen_files = 0;
    Task changed = fake_task("doc-1", hash_of("doc-1 v2"), rec);
    auto inner = changed.render;
    changed.render = [&, inner](const std::string& out_dir, const std::string& stem) {
        vanban::Diagnostics w;
        const Manifest on_disk = read_manifest(out_dir, w);
        seen_input = on_disk.entries.at("doc-1").input;
        seen_files = on_disk.entries.at("doc-1").files.size();
        return inner(out_dir, stem);
    };
    tasks[1] = changed;
    Summary s = run(std::move(tasks), dir.str(), quiet_options());
    CHECK(s.written == 1);
    CHECK(seen_input.empty());  // invalidated, so never a reason to skip
    CHECK(seen_files == 1);     // but its files are still known
    CHECK(manifest_of(dir).entries.at("doc-1").input == hash_of("doc-1 v2"));
}

TEST_CASE("a stop request: running documents finish, no new one starts, the manifest lists exactly the files") {
    TempDir dir;
    Recorder rec;
    std::atomic<bool> stop{false};
    auto tasks = make_tasks(10, rec);
    auto inner = tasks[3].render;
    tasks[3].render = [&stop, inner](const std::string& out_dir, const std::string& stem) {
        stop = true;  // as the SIGINT handler would
        return inner(out_dir, stem);
    };
    Options o = quiet_options(1);
    o.stop = &stop;
    Summary s = run(std::move(tasks), dir.str(), o);
    CHECK(s.interrupted);
    CHECK_FALSE(s.ok());
    CHECK(s.written == 4);
    CHECK(s.not_started == 6);
    CHECK(format_summary(s, o).find("interrupted: 6 documents not started") != std::string::npos);
    const Manifest m = manifest_of(dir);
    CHECK(m.entries.size() == 4);
    CHECK(files_in(dir.path) == manifest_files(m));
    CHECK(files_in(dir.path) == std::set<std::string>{"doc-0.txt", "doc-1.txt", "doc-2.txt", "doc-3.txt"});

    // The next run builds only what is missing.
    rec.reset();
    Summary rest = run(make_tasks(10, rec), dir.str(), quiet_options());
    CHECK(rest.written == 6);
    CHECK(rest.skipped == 4);
    CHECK_FALSE(rest.interrupted);
}

TEST_CASE("after a stop, documents never started keep their earlier entries") {
    TempDir dir;
    Recorder rec;
    run(make_tasks(4, rec), dir.str(), quiet_options());
    const Manifest before = manifest_of(dir);
    std::atomic<bool> stop{false};
    auto tasks = make_tasks(4, rec, " v2");
    auto inner = tasks[0].render;
    tasks[0].render = [&stop, inner](const std::string& out_dir, const std::string& stem) {
        stop = true;
        return inner(out_dir, stem);
    };
    Options o = quiet_options(1);
    o.stop = &stop;
    Summary s = run(std::move(tasks), dir.str(), o);
    CHECK(s.written == 1);
    CHECK(s.not_started == 3);
    const Manifest after = manifest_of(dir);
    CHECK(after.entries.at("doc-0").input == hash_of("doc-0 v2"));
    for (const char* n : {"doc-1", "doc-2", "doc-3"}) CHECK(after.entries.at(n) == before.entries.at(n));
}

TEST_CASE("stale outputs are reported, and removed only with prune") {
    TempDir dir;
    Recorder rec;
    // doc-2 once had an annex workbook.
    auto first = make_tasks(4, rec);
    first[2] = fake_task("doc-2", hash_of("doc-2"), rec, {{"txt", "xlsx"}, 0}, "data.csv:4");
    run(std::move(first), dir.str(), quiet_options());
    CHECK(fs::exists(dir / "doc-2.xlsx"));

    // doc-3 is no longer in the data, doc-2 changed and lost its workbook.
    auto second = make_tasks(3, rec);
    second[2] = fake_task("doc-2", hash_of("doc-2 v2"), rec, {{"txt"}, 0}, "data.csv:4");
    std::ostringstream log;
    Options o = quiet_options();
    o.silent = false;
    o.log = &log;
    Summary s = run(second, dir.str(), o);
    CHECK(s.stale == std::vector<std::string>{"doc-2.xlsx", "doc-3.txt"});
    CHECK_FALSE(s.pruned);
    CHECK(fs::exists(dir / "doc-3.txt"));
    CHECK(fs::exists(dir / "doc-2.xlsx"));
    CHECK(log.str().find("stale: 2 outputs no longer produced (kept; pruning removes them): doc-2.xlsx, doc-3.txt") !=
          std::string::npos);
    // Still known on the next run.
    Summary again = run(second, dir.str(), quiet_options());
    CHECK(again.skipped == 3);
    CHECK(again.stale == s.stale);

    Options p = quiet_options();
    p.prune = true;
    Summary pruned = run(second, dir.str(), p);
    CHECK(pruned.pruned);
    CHECK(pruned.stale == s.stale);
    CHECK(files_in(dir.path) == std::set<std::string>{"doc-0.txt", "doc-1.txt", "doc-2.txt"});
    const Manifest m = manifest_of(dir);
    CHECK(m.entries.count("doc-3") == 0);
    CHECK(m.entries.at("doc-2").obsolete.empty());
    CHECK(run(second, dir.str(), quiet_options()).stale.empty());
}

TEST_CASE("prune is refused when a row has no usable name") {
    TempDir dir;
    Recorder rec;
    run(make_tasks(3, rec), dir.str(), quiet_options());
    auto tasks = make_tasks(3, rec);
    tasks[2].name.clear();  // e.g. the name column of that row is now empty
    vanban::Diagnostics d;
    d.error("data.csv", vanban::TextPos{4, 2}, vanban::Message{"empty", "the name column is empty"});
    tasks[2].prepare_error = d;
    Options p = quiet_options();
    p.prune = true;
    Summary s = run(std::move(tasks), dir.str(), p);
    CHECK(s.stale == std::vector<std::string>{"doc-2.txt"});
    CHECK_FALSE(s.pruned);
    CHECK(fs::exists(dir / "doc-2.txt"));
    REQUIRE(s.diagnostics.items().size() == 1);
    CHECK(s.diagnostics.items()[0].message.find("not removed") != std::string::npos);
}

TEST_CASE("progress: a live line on a terminal, plain lines otherwise, only failures and the summary when quiet") {
    Recorder rec;
    auto run_with = [&](bool terminal, bool quiet, std::ostringstream& log) {
        TempDir dir;
        auto tasks = make_tasks(3, rec, "", {{"txt"}, 15});
        tasks[1].render = [](const std::string&, const std::string&) -> std::vector<std::string> {
            throw vanban::InputError("data.csv", vanban::TextPos{3, 1}, vanban::Message{"row-failed", "bad row"});
        };
        Options o = quiet_options(1);
        o.silent = false;
        o.log = &log;
        o.terminal = terminal;
        o.quiet = quiet;
        return run(std::move(tasks), dir.str(), o);
    };
    std::ostringstream tty, plain, quiet;
    run_with(true, false, tty);
    run_with(false, false, plain);
    run_with(false, true, quiet);

    CHECK(tty.str().find("\r[3/3] ") != std::string::npos);
    CHECK(tty.str().find(" doc/s, ETA 0 s") != std::string::npos);
    CHECK(tty.str().find("written doc-0") == std::string::npos);
    CHECK(tty.str().find("FAILED doc-1 (data.csv:3)\n") != std::string::npos);

    CHECK(plain.str().find('\r') == std::string::npos);
    CHECK(plain.str().find("written doc-0 (data.csv:2)\nFAILED doc-1 (data.csv:3)\nwritten doc-2 (data.csv:4)\n") == 0);

    CHECK(quiet.str() ==
          "3 documents: 2 written, 0 unchanged, 1 failed\n"
          "FAILED doc-1 (data.csv:3):\n"
          "  data.csv:3:1: error: bad row\n");
}

TEST_CASE("InterruptGuard turns SIGINT into the stop flag and restores the previous handler") {
    struct sigaction before {};
    ::sigaction(SIGINT, nullptr, &before);
    {
        InterruptGuard guard;
        CHECK_FALSE(guard.interrupted());
        std::raise(SIGINT);
        CHECK(guard.interrupted());
        CHECK(InterruptGuard::flag().load());
        CHECK(InterruptGuard::signal_number() == SIGINT);
        // The runner, left to the process-wide flag, starts nothing.
        TempDir dir;
        Recorder rec;
        Options o = quiet_options();
        o.stop = nullptr;
        Summary s = run(make_tasks(3, rec), dir.str(), o);
        CHECK(s.interrupted);
        CHECK(s.not_started == 3);
        CHECK(rec.total() == 0);
    }
    struct sigaction after {};
    ::sigaction(SIGINT, nullptr, &after);
    CHECK((after.sa_handler == before.sa_handler));
    {
        InterruptGuard guard;  // a new guard starts with a clear flag
        CHECK_FALSE(guard.interrupted());
    }
}

TEST_CASE("overhead: 1,000 unchanged documents") {
    TempDir dir;
    Recorder rec;
    const FakeSpec two{{"pdf", "xlsx"}, 0};
    const auto t0 = std::chrono::steady_clock::now();
    Summary first = run(make_tasks(1000, rec, "", two), dir.str(), quiet_options());
    const auto t1 = std::chrono::steady_clock::now();
    CHECK(first.written == 1000);
    rec.reset();
    auto tasks = make_tasks(1000, rec, "", two);
    const auto t2 = std::chrono::steady_clock::now();
    Summary again = run(std::move(tasks), dir.str(), quiet_options());
    const auto t3 = std::chrono::steady_clock::now();
    CHECK(again.skipped == 1000);
    CHECK(rec.total() == 0);
    const auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count() / 1000.0; };
    MESSAGE("1,000 fake documents (2 files each): first run " << ms(t1 - t0) << " ms, unchanged re-run "
                                                              << ms(t3 - t2) << " ms");
    CHECK(t3 - t2 < std::chrono::milliseconds(500));
}

TEST_CASE("a renderer may report full paths inside the output folder, not outside it") {
    TempDir dir, elsewhere;
    Recorder rec;
    auto tasks = make_tasks(2, rec);
    auto inner = tasks[0].render;
    tasks[0].render = [inner](const std::string& out_dir, const std::string& stem) {
        std::vector<std::string> out;
        for (const std::string& f : inner(out_dir, stem)) out.push_back((fs::path(out_dir) / f).string());
        return out;
    };
    const std::string other = elsewhere.str();
    tasks[1].render = [other](const std::string&, const std::string& stem) {
        write_atomically(fs::path(other) / (stem + ".txt"), "x");
        return std::vector<std::string>{(fs::path(other) / (stem + ".txt")).string()};
    };
    Summary s = run(std::move(tasks), dir.str(), quiet_options());
    CHECK(s.written == 1);
    REQUIRE(s.failures.size() == 1);
    CHECK(s.failures[0].internal);
    CHECK(s.failures[0].message().find("not a file directly inside") != std::string::npos);
    CHECK(manifest_of(dir).entries.at("doc-0").files.count("doc-0.txt") == 1);
}

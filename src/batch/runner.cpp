#include "batch/runner.hpp"

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <sys/stat.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <unordered_map>

namespace vanban::batch {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

/// Size of a regular file, or nullopt when it is missing or not a regular file.
std::optional<std::uint64_t> regular_file_size(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return static_cast<std::uint64_t>(st.st_size);
}

bool exists_as_file(const fs::path& p) { return regular_file_size(p).has_value(); }

bool up_to_date(const ManifestEntry& e, const Task& t, const std::string& tool, const fs::path& dir) {
    if (e.input.empty() || e.input != t.input_hash || e.tool != tool || e.files.empty()) return false;
    for (const auto& [file, rec] : e.files) {
        const auto size = regular_file_size(dir / file);
        if (!size || *size != rec.size) return false;
    }
    return true;
}

/// What a worker hands back for one task.
struct Outcome {
    bool ok = false;
    bool internal = false;
    Diagnostics diagnostics;
    std::map<std::string, FileRecord> files;
};

Outcome execute(const Task& t, const std::string& out_dir) {
    Outcome o;
    auto internal = [&](const std::string& message) {
        o.ok = false;
        o.internal = true;
        o.diagnostics = Diagnostics();
        o.diagnostics.error(t.source, "", message);
    };
    std::vector<std::string> written;
    try {
        if (!t.render) throw std::logic_error("the task has no render function");
        written = t.render(out_dir, t.name);
    } catch (const InputError& e) {
        o.diagnostics = e.diagnostics();
        if (!o.diagnostics.has_errors()) o.diagnostics.error(t.source, "", e.what());
        return o;
    } catch (const std::exception& e) {
        internal(std::string("internal failure while rendering: ") + e.what());
        return o;
    } catch (...) {
        internal("internal failure while rendering (unknown exception)");
        return o;
    }
    if (written.empty()) {
        internal("rendering reported no output file (expected at least one file written into " + out_dir + ")");
        return o;
    }
    try {
        const fs::path dir(out_dir);
        for (const std::string& reported : written) {
            const fs::path p(reported);
            const std::string file = p.filename().string();
            std::error_code ec;
            const bool inside = !p.has_parent_path() || fs::equivalent(p.parent_path(), dir, ec);
            if (!inside || !is_safe_name(file)) {
                internal("rendering reported \"" + reported + "\", which is not a file directly inside " + out_dir);
                return o;
            }
            const auto size = regular_file_size(dir / file);
            if (!size) {
                internal("rendering reported \"" + file + "\", but there is no such file in " + out_dir);
                return o;
            }
            o.files[file] = FileRecord{*size, sha256_file_hex((dir / file).string())};
        }
    } catch (const std::exception& e) {
        internal(std::string("cannot record the files written: ") + e.what());
        return o;
    }
    o.ok = true;
    return o;
}

std::string label(const std::string& name, const std::string& source) {
    if (name.empty()) return source.empty() ? std::string("(unnamed)") : source;
    return source.empty() ? name : name + " (" + source + ")";
}

std::string plural(long long n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// "[ 412/1000] 231 doc/s, ETA 3 s"
std::string progress_line(std::size_t done, std::size_t total, milliseconds elapsed) {
    const std::string t = std::to_string(total);
    std::string d = std::to_string(done);
    if (d.size() < t.size()) d.insert(0, t.size() - d.size(), ' ');
    std::string line = "[" + d + "/" + t + "]";
    const long long ms = elapsed.count();
    if (done > 0 && ms > 0) {
        const long long rate = static_cast<long long>(done) * 1000 / ms;
        const long long remaining = static_cast<long long>(total - done);
        const long long eta_s = (remaining * ms + static_cast<long long>(done) * 1000 - 1) /
                                (static_cast<long long>(done) * 1000);
        line += " " + std::to_string(rate) + " doc/s, ETA " + std::to_string(eta_s) + " s";
    }
    return line;
}

}  // namespace

std::optional<std::pair<int, int>> parse_shard(std::string_view text) {
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto number = [](std::string_view s) -> std::optional<int> {
        if (s.empty() || s.size() > 6) return std::nullopt;
        int v = 0;
        for (char c : s) {
            if (c < '0' || c > '9') return std::nullopt;
            v = v * 10 + (c - '0');
        }
        return v;
    };
    const auto i = number(text.substr(0, slash));
    const auto n = number(text.substr(slash + 1));
    if (!i || !n || *i < 1 || *n < 1 || *i > *n) return std::nullopt;
    return std::make_pair(*i, *n);
}

bool in_shard(std::size_t index, int shard_index, int shard_count) {
    return index % static_cast<std::size_t>(shard_count) == static_cast<std::size_t>(shard_index - 1);
}

std::string format_summary(const Summary& s, const Options& opts) {
    std::string out = plural(s.selected, "document", "documents");
    if (opts.shard_count > 1)
        out += " (shard " + std::to_string(opts.shard_index) + "/" + std::to_string(opts.shard_count) + " of " +
               std::to_string(s.total) + ")";
    out += ": " + std::to_string(s.written) + " written, " + std::to_string(s.skipped) + " unchanged, " +
           std::to_string(s.failed) + " failed";
    if (s.not_started > 0) out += ", " + std::to_string(s.not_started) + " not started";
    out += "\n";
    for (const Failure& f : s.failures) {
        out += "FAILED " + label(f.name, f.source) + (f.internal ? " (internal failure)" : "") + ":\n";
        for (const Diagnostic& d : f.diagnostics.items()) out += "  " + d.to_string() + "\n";
    }
    if (!s.stale.empty()) {
        out += "stale: " + plural(static_cast<long long>(s.stale.size()), "output", "outputs") +
               " no longer produced";
        out += s.pruned ? ", removed: " : " (kept; pruning removes them): ";
        const std::size_t shown = std::min<std::size_t>(s.stale.size(), 10);
        for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + s.stale[i];
        if (s.stale.size() > shown) out += " and " + std::to_string(s.stale.size() - shown) + " more";
        out += "\n";
    }
    if (s.interrupted)
        out += "interrupted: " + plural(s.not_started, "document", "documents") +
               " not started; the manifest records what was written\n";
    return out;
}

Summary run(std::vector<Task> tasks, const std::string& out_dir, const Options& opts) {
    if (opts.shard_count < 1 || opts.shard_index < 1 || opts.shard_index > opts.shard_count)
        throw std::invalid_argument("shard " + std::to_string(opts.shard_index) + "/" +
                                    std::to_string(opts.shard_count) + ": expected I/N with 1 <= I <= N");
    if (opts.jobs < 0) throw std::invalid_argument("jobs " + std::to_string(opts.jobs) + ": expected 0 (all cores) or more");
    if (out_dir.empty()) throw std::invalid_argument("no output folder given");

    const auto t0 = Clock::now();
    std::ostream& log = opts.log ? *opts.log : std::cerr;
    const bool speak = !opts.silent;
    const bool tty = opts.terminal.value_or(opts.log == nullptr && ::isatty(STDERR_FILENO) == 1);
    const bool live = speak && tty && !opts.quiet;
    const std::atomic<bool>& stop = opts.stop ? *opts.stop : InterruptGuard::flag();
    const fs::path dir(out_dir);

    Summary s;
    s.total = static_cast<int>(tasks.size());
    std::error_code exists_ec;
    const bool created_here = !fs::exists(dir, exists_ec);
    {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec || !fs::is_directory(dir, ec))
            throw InputError(out_dir, "", "cannot create the output folder (" +
                                              (ec ? ec.message() : std::string("not a folder")) + ")");
    }

    {
        // Temporaries of a run that was killed: never taken for outputs, removed.
        FolderLock lock(out_dir);
        remove_leftover_temporaries(out_dir);
    }
    const Manifest base = read_manifest(out_dir, s.diagnostics);
    if (speak)
        for (const Diagnostic& d : s.diagnostics.items()) log << d.to_string() << "\n";
    const std::size_t reported_early = s.diagnostics.items().size();

    // ---- names and collisions, over every task of every shard -------------
    const std::size_t n = tasks.size();
    std::vector<std::string> keys(n);
    std::vector<char> named(n, 0);
    std::unordered_map<std::string, std::vector<std::size_t>> by_key;
    bool unnamed = false;  // some task has no usable name: its old outputs would look stale
    for (std::size_t i = 0; i < n; ++i) {
        if (!tasks[i].name.empty() && is_safe_name(tasks[i].name)) {
            named[i] = 1;
            keys[i] = name_key(tasks[i].name);
            by_key[keys[i]].push_back(i);
        } else {
            unnamed = true;
        }
    }
    std::unordered_map<std::string, std::vector<std::string>> base_by_key;
    for (const auto& [name, e] : base.entries) base_by_key[name_key(name)].push_back(name);
    auto variants_of = [&](const std::string& key) -> const std::vector<std::string>& {
        static const std::vector<std::string> none;
        auto it = base_by_key.find(key);
        return it == base_by_key.end() ? none : it->second;
    };

    // ---- decide ---------------------------------------------------------------
    // `owned`: the manifest entries this run decides (merged over the file on each write).
    std::map<std::string, std::optional<ManifestEntry>> owned;
    std::vector<std::pair<std::size_t, Failure>> failures;
    std::vector<std::size_t> to_run;
    bool dirty = false;
    auto fail = [&](std::size_t i, Diagnostics d, bool internal) {
        failures.emplace_back(i, Failure{tasks[i].name, tasks[i].source, std::move(d), internal});
        ++s.failed;
    };
    for (std::size_t i = 0; i < n; ++i) {
        if (!in_shard(i, opts.shard_index, opts.shard_count)) continue;
        ++s.selected;
        const Task& t = tasks[i];
        if (t.prepare_error) {
            Diagnostics d = *t.prepare_error;
            if (!d.has_errors()) d.error(t.source, "", "this row could not be turned into a document");
            fail(i, std::move(d), false);
            continue;
        }
        if (!named[i]) {
            Diagnostics d;
            if (t.name.empty())
                d.error(t.source, "", "the output name is empty (expected letters or digits to name the file)");
            else
                d.error(t.source, "", "the output name \"" + t.name +
                                          "\" is not a safe file name (expected no path separator, no leading "
                                          "\".\" or \"-\", no control or reserved character)");
            fail(i, std::move(d), false);
            continue;
        }
        const auto& group = by_key[keys[i]];
        if (group.size() > 1) {
            std::string others;
            for (std::size_t j : group) {
                if (j == i) continue;
                if (!others.empty()) others += ", ";
                others += tasks[j].source + " (\"" + tasks[j].name + "\")";
            }
            Diagnostics d;
            d.error(t.source, "", "the output name \"" + t.name + "\" is also the output name of " + others +
                                      " (expected a different name for every document; letter case does not "
                                      "count, as outputs may land on a case-insensitive file system)");
            fail(i, std::move(d), false);
            continue;
        }
        const auto it = base.entries.find(t.name);
        if (!opts.force && it != base.entries.end() && up_to_date(it->second, t, opts.tool_version, dir)) {
            ++s.skipped;
            owned[t.name] = it->second;
            continue;
        }
        to_run.push_back(i);
        // Invalidate before replacing: the entry of this output, and of any
        // name differing only in case (the same files on some file systems).
        for (const std::string& v : variants_of(keys[i])) {
            ManifestEntry e = base.entries.at(v);
            if (!e.input.empty()) {
                e.input.clear();
                dirty = true;
            }
            owned[v] = std::move(e);
        }
    }

    auto write_owned = [&] {
        FolderLock lock(out_dir);
        Diagnostics ignored;  // already reported at the start, or another shard's concern
        Manifest disk = read_manifest(out_dir, ignored);
        for (const auto& [name, e] : owned) {
            if (e) disk.entries[name] = *e;
            else disk.entries.erase(name);
        }
        write_manifest(out_dir, disk);
        dirty = false;
    };
    bool write_failed = false;
    auto try_write = [&] {
        try {
            write_owned();
        } catch (const std::exception& e) {
            if (!write_failed) s.diagnostics.error(manifest_path(out_dir), "", e.what());
            write_failed = true;
        }
    };
    if (dirty) write_owned();  // may throw: then nothing has been rendered

    // ---- render -------------------------------------------------------------
    const std::size_t m = to_run.size();
    std::vector<Outcome> outcomes(m);
    std::vector<char> started(m, 0);
    std::atomic<std::size_t> next{0};
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::size_t> finished_queue;
    std::size_t workers_left = 0;

    auto worker = [&] {
        for (;;) {
            if (stop.load(std::memory_order_relaxed)) break;
            const std::size_t k = next.fetch_add(1);
            if (k >= m) break;
            started[k] = 1;
            outcomes[k] = execute(tasks[to_run[k]], out_dir);
            {
                std::lock_guard<std::mutex> lk(mu);
                finished_queue.push_back(k);
            }
            cv.notify_one();
        }
        {
            std::lock_guard<std::mutex> lk(mu);
            --workers_left;
        }
        cv.notify_one();
    };

    std::vector<std::thread> threads;
    const auto work_start = Clock::now();
    if (m > 0) {
        unsigned want = opts.jobs > 0 ? static_cast<unsigned>(opts.jobs) : std::thread::hardware_concurrency();
        if (want == 0) want = 1;
        if (want > m) want = static_cast<unsigned>(m);
        workers_left = want;
        for (unsigned w = 0; w < want; ++w) {
            try {
                threads.emplace_back(worker);
            } catch (const std::system_error&) {
                std::lock_guard<std::mutex> lk(mu);
                workers_left -= want - w;  // run with the threads we have
                break;
            }
        }
        if (threads.empty()) {
            workers_left = 1;
            worker();  // no thread could be started: work on this one
        }
    }

    std::size_t done = 0;
    auto last_write = Clock::now();
    auto last_draw = Clock::time_point{};
    auto draw = [&](bool force_draw) {
        const auto now = Clock::now();
        if (!live || m == 0 || (!force_draw && now - last_draw < milliseconds(100))) return;
        last_draw = now;
        log << "\r" << progress_line(done, m, std::chrono::duration_cast<milliseconds>(now - work_start)) << "\033[K"
            << std::flush;
    };
    std::vector<std::size_t> batch;
    while (m > 0) {
        bool all_done;
        {
            std::unique_lock<std::mutex> lk(mu);
            cv.wait_for(lk, milliseconds(100), [&] { return !finished_queue.empty() || workers_left == 0; });
            batch.clear();
            batch.swap(finished_queue);
            all_done = workers_left == 0;
        }
        for (std::size_t k : batch) {
            ++done;
            const std::size_t i = to_run[k];
            const Task& t = tasks[i];
            Outcome& o = outcomes[k];
            if (o.ok) {
                ManifestEntry e;
                e.input = t.input_hash;
                e.tool = opts.tool_version;
                e.files = std::move(o.files);
                std::set<std::string> produced;
                for (const auto& [file, rec] : e.files) produced.insert(name_key(file));
                for (const std::string& v : variants_of(keys[i])) {
                    const ManifestEntry& old = base.entries.at(v);
                    auto keep_if_obsolete = [&](const std::string& file) {
                        if (!produced.count(name_key(file)) && exists_as_file(dir / file)) e.obsolete.insert(file);
                    };
                    for (const auto& [file, rec] : old.files) keep_if_obsolete(file);
                    for (const std::string& file : old.obsolete) keep_if_obsolete(file);
                    if (v != t.name) owned[v] = std::nullopt;
                }
                owned[t.name] = std::move(e);
                ++s.written;
                if (speak && !opts.quiet && !tty) log << "written " << label(t.name, t.source) << "\n";
            } else {
                // The entry (if any) stays invalidated: it keeps listing the old
                // files so that they are still known, but never allows a skip.
                fail(i, std::move(o.diagnostics), o.internal);
                if (speak && !opts.quiet)
                    log << (tty ? "\r\033[K" : "") << "FAILED " << label(t.name, t.source) << "\n";
            }
            dirty = true;
        }
        if (all_done) break;
        if (dirty && Clock::now() - last_write >= opts.flush_interval) {
            try_write();
            last_write = Clock::now();
        }
        draw(false);
    }
    for (std::thread& th : threads) th.join();
    if (live && m > 0) {
        draw(true);
        log << "\n";
    }

    // ---- documents never started: their entries are restored as they were ----
    for (std::size_t k = 0; k < m; ++k) {
        if (started[k]) continue;
        ++s.not_started;
        for (const std::string& v : variants_of(keys[to_run[k]])) owned[v] = base.entries.at(v);
        dirty = true;
    }
    s.interrupted = stop.load();

    // ---- stale outputs ----------------------------------------------------------
    std::set<std::string> task_keys;
    for (std::size_t i = 0; i < n; ++i)
        if (named[i]) task_keys.insert(keys[i]);
    std::map<std::string, const ManifestEntry*> view;  // the manifest as this run leaves it
    for (const auto& [name, e] : base.entries) view[name] = &e;
    for (const auto& [name, e] : owned) {
        if (e) view[name] = &*e;
        else view.erase(name);
    }
    std::set<std::string> protected_keys;  // files of current outputs: never stale
    std::vector<std::string> stale_names;
    for (const auto& [name, e] : view) {
        if (task_keys.count(name_key(name))) {
            for (const auto& [file, rec] : e->files) protected_keys.insert(name_key(file));
        } else {
            stale_names.push_back(name);
        }
    }
    std::set<std::string> stale;
    auto consider = [&](const std::string& file) {
        if (!protected_keys.count(name_key(file)) && exists_as_file(dir / file)) stale.insert(file);
    };
    for (const std::string& name : stale_names) {
        for (const auto& [file, rec] : view[name]->files) consider(file);
        for (const std::string& file : view[name]->obsolete) consider(file);
    }
    for (auto& [name, e] : owned) {
        if (!e || e->obsolete.empty()) continue;
        for (auto it = e->obsolete.begin(); it != e->obsolete.end();) {
            if (exists_as_file(dir / *it)) {
                consider(*it);
                ++it;
            } else {
                it = e->obsolete.erase(it);  // removed by hand since
                dirty = true;
            }
        }
    }
    s.stale.assign(stale.begin(), stale.end());
    if (opts.prune && !s.stale.empty()) {
        if (s.interrupted) {
            s.diagnostics.warning(out_dir, "", "stale outputs were not removed because the run was interrupted");
        } else if (unnamed) {
            s.diagnostics.warning(out_dir, "",
                                  "stale outputs were not removed: some rows have no usable output name, so their "
                                  "earlier outputs cannot be told apart from stale ones");
        } else {
            for (const std::string& file : s.stale) {
                std::error_code ec;
                fs::remove(dir / file, ec);
                if (ec) s.diagnostics.warning((dir / file).string(), "", "cannot remove stale output: " + ec.message());
            }
            for (const std::string& name : stale_names) owned[name] = std::nullopt;
            for (auto& [name, e] : owned)
                if (e && !e->obsolete.empty()) {
                    e->obsolete.clear();
                }
            s.pruned = true;
            dirty = true;
        }
    }

    if (dirty) try_write();
    if (created_here) {
        // A run that produced nothing (every document failed) leaves no empty folder behind.
        std::error_code ec;
        if (fs::is_empty(dir, ec) && !ec) fs::remove(dir, ec);
    }

    std::sort(failures.begin(), failures.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [i, f] : failures) s.failures.push_back(std::move(f));
    s.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - t0);
    if (speak) {
        const auto& items = s.diagnostics.items();
        for (std::size_t i = reported_early; i < items.size(); ++i) log << items[i].to_string() << "\n";
        log << format_summary(s, opts) << std::flush;
    }
    return s;
}

}  // namespace vanban::batch

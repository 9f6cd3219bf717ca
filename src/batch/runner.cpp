#include "batch/runner.hpp"

#include <cctype>

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

#include "job/output_set.hpp"

namespace vanban::batch {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

bool exists_as_file(const fs::path& p) { return stamp_of(p.string()).has_value(); }

/// True when the entry's outputs are what the task would write now. A file
/// whose size changed, or that is not a regular file any more, is out of
/// date; one whose modification time changed (or every one, with `verify`)
/// is hashed again and is out of date when its content differs. `e` gets the
/// times of files found unchanged.
bool up_to_date(ManifestEntry& e, const Task& t, const std::string& tool, const fs::path& dir, bool verify) {
    if (e.input.empty() || e.input != t.input_hash || e.tool != tool || e.files.empty()) return false;
    for (auto& [file, rec] : e.files) {
        const auto stamp = stamp_of((dir / file).string());
        if (!stamp || stamp->size != rec.size) return false;
        if (!verify && stamp->mtime_ns == rec.mtime_ns) continue;
        if (sha256_file_hex((dir / file).string()) != rec.sha256) return false;
        rec.mtime_ns = stamp->mtime_ns;
    }
    return true;
}

/// True when `file` is named as the outputs of `entry` are: "<entry>.<extension>"
/// ("kbang.pdf", "kbang.xlsx"), the extension being letters and digits.
bool follows_naming(const std::string& entry, const std::string& file) {
    if (file.size() < entry.size() + 2 || name_key(file.substr(0, entry.size())) != name_key(entry) ||
        file[entry.size()] != '.')
        return false;
    for (std::size_t k = entry.size() + 1; k < file.size(); ++k)
        if (!std::isalnum(static_cast<unsigned char>(file[k]))) return false;
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
        o.diagnostics.error(t.source, "", Message{"internal", message});
    };
    std::vector<std::string> written;
    try {
        if (!t.render) throw std::logic_error("the task has no render function");
        written = t.render(out_dir, t.name);
    } catch (const InputError& e) {
        o.diagnostics = e.diagnostics();
        if (!o.diagnostics.has_errors()) o.diagnostics.error(t.source, "", Message{"row-failed", e.what()});
        return o;
    } catch (const std::exception& e) {
        internal(tx("internal failure while rendering: {}", e.what()));
        return o;
    } catch (...) {
        internal(tx("internal failure while rendering (unknown exception)"));
        return o;
    }
    if (written.empty()) {
        internal(tx("rendering reported no output file (expected at least one file written into {})", out_dir));
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
                internal(tx("rendering reported \"{}\", which is not a file directly inside {}", reported, out_dir));
                return o;
            }
            const auto stamp = stamp_of((dir / file).string());
            if (!stamp) {
                internal(tx("rendering reported \"{}\", but there is no such file in {}", file, out_dir));
                return o;
            }
            o.files[file] = FileRecord{stamp->size, sha256_file_hex((dir / file).string()), stamp->mtime_ns};
        }
    } catch (const std::exception& e) {
        internal(tx("cannot record the files written: {}", e.what()));
        return o;
    }
    o.ok = true;
    return o;
}

std::string label(const std::string& name, const std::string& source) {
    if (name.empty()) return source.empty() ? tx("(unnamed)") : source;
    return source.empty() ? name : name + " (" + source + ")";
}

/// "1 document" / "3 documents" from the two catalogue texts (Vietnamese has one form).
std::string plural(long long n, const char* one, const char* many) {
    return n == 1 ? tx(one) : tx(many, n);
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
        line += " " + tx("{} doc/s, ETA {} s", rate, eta_s);
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
    std::string out = plural(s.selected, N_("1 document"), N_("{} documents"));
    if (opts.shard_count > 1) out += " " + tx("(shard {}/{} of {})", opts.shard_index, opts.shard_count, s.total);
    out += ": " + tx("{} written, {} unchanged, {} failed", s.written, s.skipped, s.failed);
    if (s.not_started > 0) out += ", " + tx("{} not started", s.not_started);
    out += "\n";
    for (const Failure& f : s.failures) {
        out += (f.internal ? tx("FAILED {} (internal failure):", label(f.name, f.source)) : tx("FAILED {}:", label(f.name, f.source))) + "\n";
        for (const Diagnostic& d : f.diagnostics.items()) out += "  " + d.to_string() + "\n";
    }
    if (!s.stale.empty()) {
        const std::string outputs = plural(static_cast<long long>(s.stale.size()), N_("1 output"), N_("{} outputs"));
        out += s.pruned ? tx("stale: {} no longer produced, removed: ", outputs)
                        : tx("stale: {} no longer produced (kept; pruning removes them): ", outputs);
        const std::size_t shown = std::min<std::size_t>(s.stale.size(), 10);
        for (std::size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + s.stale[i];
        if (s.stale.size() > shown) out += " " + tx("and {} more", s.stale.size() - shown);
        out += "\n";
    }
    if (s.interrupted)
        out += tx("interrupted: {} not started; the manifest records what was written",
                  plural(s.not_started, N_("1 document"), N_("{} documents"))) + "\n";
    return out;
}

namespace {

/// Refuses options run() cannot work with.
void check_options(const std::string& out_dir, const Options& opts) {
    if (opts.shard_count < 1 || opts.shard_index < 1 || opts.shard_index > opts.shard_count)
        throw std::invalid_argument(tx("shard {}/{}: expected I/N with 1 <= I <= N", opts.shard_index, opts.shard_count));
    if (opts.jobs < 0) throw std::invalid_argument(tx("jobs {}: expected 0 (all cores) or more", opts.jobs));
    if (out_dir.empty()) throw std::invalid_argument(tx("no output folder given"));
}

/// The output names of every task of every shard (collisions are judged over
/// the whole run), and the manifest's names, both by case-insensitive key.
struct Names {
    std::vector<std::string> keys;  ///< name_key of each named task
    std::vector<char> named;        ///< the task has a usable name
    std::unordered_map<std::string, std::vector<std::size_t>> by_key;
    bool unnamed = false;  // some task has no usable name: its old outputs would look stale
    std::unordered_map<std::string, std::vector<std::string>> base_by_key;

    /// The manifest's names with this key: the same output, up to letter case.
    const std::vector<std::string>& variants_of(const std::string& key) const {
        static const std::vector<std::string> none;
        auto it = base_by_key.find(key);
        return it == base_by_key.end() ? none : it->second;
    }
};

/// Indexes the tasks' names and the manifest's names by key.
Names index_names(const std::vector<Task>& tasks, const Manifest& base) {
    Names nm;
    const std::size_t n = tasks.size();
    nm.keys.resize(n);
    nm.named.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        if (!tasks[i].name.empty() && is_safe_name(tasks[i].name)) {
            nm.named[i] = 1;
            nm.keys[i] = name_key(tasks[i].name);
            nm.by_key[nm.keys[i]].push_back(i);
        } else {
            nm.unnamed = true;
        }
    }
    for (const auto& [name, e] : base.entries) nm.base_by_key[name_key(name)].push_back(name);
    return nm;
}

/// What the steps of one run share: the tasks and options, where to log, the
/// manifest as read, the plan of work, and the summary being filled in.
struct RunState {
    RunState(std::vector<Task> tasks_, const std::string& out_dir_, const Options& opts_)
        : tasks(std::move(tasks_)),
          out_dir(out_dir_),
          opts(opts_),
          log(opts.log ? *opts.log : std::cerr),
          speak(!opts.silent),
          tty(opts.terminal.value_or(opts.log == nullptr && ::isatty(STDERR_FILENO) == 1)),
          live(speak && tty && !opts.quiet),
          stop(opts.stop ? *opts.stop : InterruptGuard::flag()),
          dir(out_dir_) {
        summary.total = static_cast<int>(tasks.size());
    }

    const Clock::time_point t0 = Clock::now();
    std::vector<Task> tasks;
    const std::string& out_dir;
    const Options& opts;
    std::ostream& log;
    const bool speak;
    const bool tty;
    const bool live;
    const std::atomic<bool>& stop;
    const fs::path dir;

    Summary summary;
    std::optional<RunLock> run_lock;  ///< held for the whole run
    bool created_here = false;        ///< the output folder did not exist before this run
    Manifest base;                    ///< the manifest as read at the start
    std::size_t reported_early = 0;   ///< diagnostics already printed
    Names names;

    // `owned`: the manifest entries this run decides (merged over the file on each write).
    std::map<std::string, std::optional<ManifestEntry>> owned;
    std::vector<std::pair<std::size_t, Failure>> failures;
    std::vector<std::size_t> to_run;
    bool dirty = false;
    bool write_failed = false;

    /// Counts task i as failed with these diagnostics.
    void fail(std::size_t i, Diagnostics d, bool internal) {
        failures.emplace_back(i, Failure{tasks[i].name, tasks[i].source, std::move(d), internal});
        ++summary.failed;
    }

    /// Merges the owned entries over the manifest on disk, under the folder lock.
    void write_owned() {
        std::optional<FolderLock> lock;
        if (!run_lock) lock.emplace(out_dir);
        Diagnostics ignored;  // already reported at the start, or another shard's concern
        Manifest disk = read_manifest(out_dir, ignored);
        for (const auto& [name, e] : owned) {
            if (e) disk.entries[name] = *e;
            else disk.entries.erase(name);
        }
        write_manifest(out_dir, disk);
        dirty = false;
    }

    /// write_owned(), reporting the first failure instead of throwing.
    void try_write() {
        try {
            write_owned();
        } catch (const std::exception& e) {
            if (!write_failed) summary.diagnostics.error(manifest_path(out_dir), "", Message{"manifest-write", e.what()});
            write_failed = true;
        }
    }
};

/// Creates the output folder and removes the temporaries of a run that was killed.
void open_folder(RunState& st) {
    std::error_code exists_ec;
    st.created_here = !fs::exists(st.dir, exists_ec);
    {
        std::error_code ec;
        fs::create_directories(st.dir, ec);
        if (ec || !fs::is_directory(st.dir, ec))
            throw InputError(st.out_dir, "", tr("output-folder", "cannot create the output folder ({})",
                                                (ec ? ec.message() : tx("not a folder"))));
    }
    // A run over all tasks holds the folder to its end: a second run waits.
    // Shards of one run share the folder, locking it for each manifest write.
    if (st.opts.shard_count == 1)
        st.run_lock.emplace(st.out_dir, [&st] {
            if (st.speak)
                st.log << tx("waiting: another vanban batch is writing into {}", st.out_dir) << "\n" << std::flush;
        });
    {
        // Temporaries of a run that was killed: never taken for outputs, removed.
        std::optional<FolderLock> lock;
        if (!st.run_lock) lock.emplace(st.out_dir);
        remove_leftover_temporaries(st.out_dir);
    }
}

/// Reads the manifest and prints what was wrong with it.
void read_base_manifest(RunState& st) {
    st.base = read_manifest(st.out_dir, st.summary.diagnostics);
    if (st.speak)
        for (const Diagnostic& d : st.summary.diagnostics.items()) st.log << d.to_string() << "\n";
    st.reported_early = st.summary.diagnostics.items().size();
}

/// Why task i cannot be rendered at all (no document, unsafe or colliding name), or nothing.
std::optional<Diagnostics> refusal(const RunState& st, std::size_t i) {
    const Task& t = st.tasks[i];
    if (t.prepare_error) {
        Diagnostics d = *t.prepare_error;
        if (!d.has_errors()) d.error(t.source, "", tr("row-failed", "this row could not be turned into a document"));
        return d;
    }
    if (!st.names.named[i]) {
        Diagnostics d;
        if (t.name.empty())
            d.error(t.source, "", tr("output-name-empty", "the output name is empty (expected letters or digits to name the file)"));
        else
            d.error(t.source, "", tr("output-name-unsafe", "the output name \"{}\" is not a safe file name (expected no path separator, no leading "
                                     "\".\" or \"-\", no control or reserved character)", t.name));
        return d;
    }
    const auto& group = st.names.by_key.at(st.names.keys[i]);
    if (group.size() > 1) {
        std::string others;
        for (std::size_t j : group) {
            if (j == i) continue;
            if (!others.empty()) others += ", ";
            others += st.tasks[j].source + " (\"" + st.tasks[j].name + "\")";
        }
        Diagnostics d;
        d.error(t.source, "", tr("output-name-twice", "the output name \"{}\" is also the output name of {} (expected a different name for every document; letter case does not "
                                 "count, as outputs may land on a case-insensitive file system)", t.name, others));
        return d;
    }
    return std::nullopt;
}

/// Decides, for each task of the shard, whether it fails, is skipped or is rendered.
void decide(RunState& st) {
    for (std::size_t i = 0; i < st.tasks.size(); ++i) {
        if (!in_shard(i, st.opts.shard_index, st.opts.shard_count)) continue;
        ++st.summary.selected;
        if (auto d = refusal(st, i)) {
            st.fail(i, std::move(*d), false);
            continue;
        }
        const Task& t = st.tasks[i];
        const auto it = st.base.entries.find(t.name);
        if (!st.opts.force && it != st.base.entries.end()) {
            ManifestEntry e = it->second;
            if (up_to_date(e, t, st.opts.tool_version, st.dir, st.opts.verify)) {
                ++st.summary.skipped;
                if (!(e == it->second)) st.dirty = true;  // times of files found unchanged
                st.owned[t.name] = std::move(e);
                continue;
            }
        }
        st.to_run.push_back(i);
        // Invalidate before replacing: the entry of this output, and of any
        // name differing only in case (the same files on some file systems).
        for (const std::string& v : st.names.variants_of(st.names.keys[i])) {
            ManifestEntry e = st.base.entries.at(v);
            if (!e.input.empty()) {
                e.input.clear();
                st.dirty = true;
            }
            st.owned[v] = std::move(e);
        }
    }
}

/// Worker threads rendering the tasks to run; each finished one is queued for
/// the run's thread.
class Workers {
public:
    explicit Workers(const RunState& st) : outcomes(st.to_run.size()), started(st.to_run.size(), 0), st_(st) {}

    /// Starts the threads (as many as `jobs`, at most one per task), or works
    /// on this thread when none can be started.
    void start() {
        const std::size_t m = st_.to_run.size();
        unsigned want = st_.opts.jobs > 0 ? static_cast<unsigned>(st_.opts.jobs) : std::thread::hardware_concurrency();
        if (want == 0) want = 1;
        if (want > m) want = static_cast<unsigned>(m);
        workers_left_ = want;
        for (unsigned w = 0; w < want; ++w) {
            try {
                threads_.emplace_back([this, lang = language()] {
                    LanguageScope scope(lang);  // the messages in the language of whoever started the run
                    work();
                });
            } catch (const std::system_error&) {
                std::lock_guard<std::mutex> lk(mu_);
                workers_left_ -= want - w;  // run with the threads we have
                break;
            }
        }
        if (threads_.empty()) {
            workers_left_ = 1;
            work();  // no thread could be started: work on this one
        }
    }

    /// Waits up to 100 ms for finished tasks and swaps them into `batch`;
    /// true once every worker has stopped.
    bool wait(std::vector<std::size_t>& batch) {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait_for(lk, milliseconds(100), [&] { return !finished_queue_.empty() || workers_left_ == 0; });
        batch.clear();
        batch.swap(finished_queue_);
        return workers_left_ == 0;
    }

    void join() {
        for (std::thread& th : threads_) th.join();
    }

    std::vector<Outcome> outcomes;  ///< by position in to_run
    std::vector<char> started;      ///< by position in to_run

private:
    /// Renders tasks until none is left or a stop is requested.
    void work() {
        job::StagingScope staging;  // one staging folder for this worker's documents
        const std::size_t m = st_.to_run.size();
        for (;;) {
            if (st_.stop.load(std::memory_order_relaxed)) break;
            const std::size_t k = next_.fetch_add(1);
            if (k >= m) break;
            started[k] = 1;
            outcomes[k] = execute(st_.tasks[st_.to_run[k]], st_.out_dir);
            {
                std::lock_guard<std::mutex> lk(mu_);
                finished_queue_.push_back(k);
            }
            cv_.notify_one();
        }
        {
            std::lock_guard<std::mutex> lk(mu_);
            --workers_left_;
        }
        cv_.notify_one();
    }

    const RunState& st_;
    std::atomic<std::size_t> next_{0};
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::size_t> finished_queue_;
    std::size_t workers_left_ = 0;
    std::vector<std::thread> threads_;
};

/// The live progress line, redrawn at most every 100 ms unless forced.
class Progress {
public:
    Progress(const RunState& st, std::size_t total) : st_(st), total_(total) {}

    void draw(std::size_t done, bool force_draw) {
        const auto now = Clock::now();
        if (!st_.live || total_ == 0 || (!force_draw && now - last_draw_ < milliseconds(100))) return;
        last_draw_ = now;
        st_.log << "\r" << progress_line(done, total_, std::chrono::duration_cast<milliseconds>(now - start_))
                << "\033[K" << std::flush;
    }

private:
    const RunState& st_;
    const std::size_t total_;
    const Clock::time_point start_ = Clock::now();
    Clock::time_point last_draw_{};
};

/// Records a finished task: its new manifest entry, or its failure.
void record(RunState& st, std::size_t i, Outcome& o) {
    const Task& t = st.tasks[i];
    if (o.ok) {
        ManifestEntry e;
        e.input = t.input_hash;
        e.tool = st.opts.tool_version;
        e.files = std::move(o.files);
        std::set<std::string> produced;
        for (const auto& [file, rec] : e.files) produced.insert(name_key(file));
        for (const std::string& v : st.names.variants_of(st.names.keys[i])) {
            const ManifestEntry& old = st.base.entries.at(v);
            auto keep_if_obsolete = [&](const std::string& file) {
                if (!produced.count(name_key(file)) && exists_as_file(st.dir / file)) e.obsolete.insert(file);
            };
            for (const auto& [file, rec] : old.files) keep_if_obsolete(file);
            for (const std::string& file : old.obsolete) keep_if_obsolete(file);
            if (v != t.name) st.owned[v] = std::nullopt;
        }
        st.owned[t.name] = std::move(e);
        ++st.summary.written;
        if (st.speak && !st.opts.quiet && !st.tty) st.log << tx("written {}", label(t.name, t.source)) << "\n";
    } else {
        // The entry (if any) stays invalidated: it keeps listing the old
        // files so that they are still known, but never allows a skip.
        st.fail(i, std::move(o.diagnostics), o.internal);
        if (st.speak && !st.opts.quiet)
            st.log << (st.tty ? "\r\033[K" : "") << tx("FAILED {}", label(t.name, t.source)) << "\n";
    }
    st.dirty = true;
}

/// Renders the tasks to run on worker threads, recording each as it finishes and
/// writing the manifest every flush_interval; returns which tasks were started.
std::vector<char> render(RunState& st) {
    const std::size_t m = st.to_run.size();
    Workers workers(st);
    Progress progress(st, m);
    if (m > 0) workers.start();
    std::size_t done = 0;
    auto last_write = Clock::now();
    std::vector<std::size_t> batch;
    while (m > 0) {
        const bool all_done = workers.wait(batch);
        for (std::size_t k : batch) {
            ++done;
            record(st, st.to_run[k], workers.outcomes[k]);
        }
        if (all_done) break;
        if (st.dirty && Clock::now() - last_write >= st.opts.flush_interval) {
            st.try_write();
            last_write = Clock::now();
        }
        progress.draw(done, false);
    }
    workers.join();
    if (st.live && m > 0) {
        progress.draw(done, true);
        st.log << "\n";
    }
    return std::move(workers.started);
}

/// Restores the entries of documents never started as they were.
void restore_not_started(RunState& st, const std::vector<char>& started) {
    for (std::size_t k = 0; k < st.to_run.size(); ++k) {
        if (started[k]) continue;
        ++st.summary.not_started;
        for (const std::string& v : st.names.variants_of(st.names.keys[st.to_run[k]]))
            st.owned[v] = st.base.entries.at(v);
        st.dirty = true;
    }
}

/// The manifest as this run leaves it: the entries read, with the owned ones over them.
std::map<std::string, const ManifestEntry*> manifest_view(const RunState& st) {
    std::map<std::string, const ManifestEntry*> view;
    for (const auto& [name, e] : st.base.entries) view[name] = &e;
    for (const auto& [name, e] : st.owned) {
        if (e) view[name] = &*e;
        else view.erase(name);
    }
    return view;
}

/// Lists the stale outputs in the summary and forgets obsolete files that are
/// gone; returns the names whose manifest entries are stale.
std::vector<std::string> find_stale(RunState& st) {
    std::set<std::string> task_keys;
    for (std::size_t i = 0; i < st.tasks.size(); ++i)
        if (st.names.named[i]) task_keys.insert(st.names.keys[i]);
    std::map<std::string, const ManifestEntry*> view = manifest_view(st);
    std::set<std::string> protected_keys;  // files of current outputs: never stale
    std::vector<std::string> stale_names;
    for (const auto& [name, e] : view) {
        if (task_keys.count(name_key(name))) {
            for (const auto& [file, rec] : e->files) protected_keys.insert(name_key(file));
        } else {
            stale_names.push_back(name);
        }
    }
    // Only what a vanban run wrote is ever called stale: a file named as
    // vanban names the entry's outputs, unchanged since it was written (its
    // hash is checked) — never a file that an edited manifest merely names.
    std::set<std::string> stale;
    auto consider = [&](const std::string& entry, const std::string& file, const FileRecord* rec) {
        if (protected_keys.count(name_key(file)) || !follows_naming(entry, file)) return;
        const auto stamp = stamp_of((st.dir / file).string());
        if (!stamp) return;
        if (rec && (stamp->size != rec->size || sha256_file_hex((st.dir / file).string()) != rec->sha256)) return;
        stale.insert(file);
    };
    for (const std::string& name : stale_names) {
        for (const auto& [file, rec] : view[name]->files) consider(name, file, &rec);
        for (const std::string& file : view[name]->obsolete) consider(name, file, nullptr);
    }
    for (auto& [name, e] : st.owned) {
        if (!e || e->obsolete.empty()) continue;
        for (auto it = e->obsolete.begin(); it != e->obsolete.end();) {
            if (exists_as_file(st.dir / *it)) {
                consider(name, *it, nullptr);
                ++it;
            } else {
                it = e->obsolete.erase(it);  // removed by hand since
                st.dirty = true;
            }
        }
    }
    st.summary.stale.assign(stale.begin(), stale.end());
    return stale_names;
}

/// With `prune`, deletes the stale outputs and forgets them, unless that is unsafe.
void prune_stale(RunState& st, const std::vector<std::string>& stale_names) {
    Summary& s = st.summary;
    if (!st.opts.prune || s.stale.empty()) return;
    if (s.interrupted) {
        s.diagnostics.warning(st.out_dir, "", tr("prune-skipped", "stale outputs were not removed because the run was interrupted"));
    } else if (st.names.unnamed) {
        s.diagnostics.warning(st.out_dir, "",
                              tr("prune-skipped", "stale outputs were not removed: some rows have no usable output name, so their "
                                 "earlier outputs cannot be told apart from stale ones"));
    } else {
        for (const std::string& file : s.stale) {
            std::error_code ec;
            fs::remove(st.dir / file, ec);
            if (ec) s.diagnostics.warning((st.dir / file).string(), "", tr("prune-failed", "cannot remove stale output: {}", ec.message()));
        }
        for (const std::string& name : stale_names) st.owned[name] = std::nullopt;
        for (auto& [name, e] : st.owned)
            if (e && !e->obsolete.empty()) {
                e->obsolete.clear();
            }
        s.pruned = true;
        st.dirty = true;
    }
}

/// Writes what is left to the manifest and removes an output folder left empty.
void close_folder(RunState& st) {
    if (st.dirty) st.try_write();
    if (st.created_here) {
        // A run that produced nothing (every document failed) leaves no empty folder behind.
        std::error_code ec;
        if (fs::is_empty(st.dir, ec) && !ec) fs::remove(st.dir, ec);
    }
}

/// Completes the summary (failures in task order, time taken) and prints it.
void report(RunState& st) {
    Summary& s = st.summary;
    std::sort(st.failures.begin(), st.failures.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [i, f] : st.failures) s.failures.push_back(std::move(f));
    s.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - st.t0);
    if (st.speak) {
        const auto& items = s.diagnostics.items();
        for (std::size_t i = st.reported_early; i < items.size(); ++i) st.log << items[i].to_string() << "\n";
        st.log << format_summary(s, st.opts) << std::flush;
    }
}

}  // namespace

Summary run(std::vector<Task> tasks, const std::string& out_dir, const Options& opts) {
    check_options(out_dir, opts);
    RunState st(std::move(tasks), out_dir, opts);
    open_folder(st);
    read_base_manifest(st);
    st.names = index_names(st.tasks, st.base);
    decide(st);
    if (st.dirty) st.write_owned();  // may throw: then nothing has been rendered
    const std::vector<char> started = render(st);
    restore_not_started(st, started);
    st.summary.interrupted = st.stop.load();
    const std::vector<std::string> stale_names = find_stale(st);
    prune_stale(st, stale_names);
    close_folder(st);
    report(st);
    return std::move(st.summary);
}

}  // namespace vanban::batch

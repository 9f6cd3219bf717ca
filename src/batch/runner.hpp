// batch: runs many documents into one output folder — in parallel, optionally
// as one shard of a larger run, and incrementally: a document whose inputs
// and output files are unchanged since the last run is skipped.
//
// The caller (the `vanban batch` command) turns each data row into a Task with
// an output name, a digest of everything the output depends on, and a render
// function; run() decides what to build, builds it on worker threads, keeps the
// manifest (batch/manifest.hpp) in step with the files on disk, and reports.
// Nothing here knows what a document is.
//
// Decisions, for each task of the selected shard, in data order:
//  - the caller could not build it (prepare_error), its name is not a safe
//    stem, or its name collides with another task's (of any shard) without
//    regard to case: failed, nothing rendered;
//  - the manifest has an entry with the same input hash and tool version, and
//    every file it lists is a regular file with the recorded size and
//    content: skipped ("unchanged"). A file whose modification time differs
//    from the recorded one (or every file, with `verify`) is hashed again to
//    tell; the others are trusted;
//  - otherwise (or with `force`): rendered.
//
// Shards: task k (0-based, in the order given) belongs to shard k mod N + 1.
// Every shard sees every task, so collisions and stale outputs are judged over
// the whole run, and several shards may share one output folder at the same
// time (manifest updates are merged under a folder lock). A run over all tasks
// holds the folder for its whole duration: a second such run into the same
// folder waits for it (batch/manifest.hpp, RunLock).
//
// Manifest safety: before any rendering starts, the entries of every output
// about to be rebuilt are invalidated on disk (input hash cleared) in one
// write. Entries are recorded only after their files are complete, in batched
// writes (every `flush_interval` and at the end). So a crash or kill at any
// point can only leave entries that are invalid (rebuilt next time) or true;
// never an entry claiming old inputs for new files. Entries of documents that
// were never started (interrupted run) are restored as they were.
//
// Stale outputs: files listed in the manifest for names that no task of this
// run has, and files an output used to have but no longer produces — only
// files named as vanban names that entry's outputs (<name>.pdf/.xlsx/.docx)
// and, where the manifest records their hash, unchanged since written. They
// are reported; they are deleted only with `prune` (and never when the run was
// interrupted, or when some task has no usable name, since its old outputs
// would look stale).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "batch/hasher.hpp"
#include "batch/interrupt.hpp"
#include "batch/manifest.hpp"
#include "batch/names.hpp"
#include "core/diagnostic.hpp"

namespace vanban::batch {

struct Task {
    std::string name;        ///< output stem, already safe (see sanitize_name), e.g. "kbang-ke-hoach"
    std::string source;      ///< where the task comes from, for messages: "data.csv:5"
    std::string input_hash;  ///< digest of everything the output depends on (Hasher); empty = always rebuild
    /// Renders into `out_dir` with the given stem and returns the files written
    /// (plain names such as "x.pdf", or paths inside `out_dir`). Each file must be
    /// written atomically (temporary file in the same folder, then rename).
    /// Throws InputError for bad input of this task, any other exception for an
    /// internal failure. Called from a worker thread.
    std::function<std::vector<std::string>(const std::string& out_dir, const std::string& stem)> render;
    /// Set when the caller could not even build the task (a bad data row): reported as failed.
    std::optional<Diagnostics> prepare_error;
};

struct Options {
    int jobs = 0;  ///< worker threads; 0 = std::thread::hardware_concurrency()
    int shard_index = 1;
    int shard_count = 1;
    bool force = false;  ///< rebuild every task of the shard, whatever the manifest says
    bool prune = false;  ///< delete stale outputs (see the header comment)
    bool verify = false; ///< hash every existing output again, not only those whose time or size changed
    bool quiet = false;  ///< print only failures and the summary
    std::ostream* log = nullptr;      ///< progress, per-task lines and the summary; nullptr = std::cerr
    bool silent = false;              ///< print nothing at all (the Summary is still returned)
    std::optional<bool> terminal;     ///< live progress line; unset = isatty(stderr) when logging to std::cerr
    const std::atomic<bool>* stop = nullptr;  ///< stop request; nullptr = InterruptGuard::flag()
    std::string tool_version = VANBAN_VERSION;  ///< recorded per output; a different one forces a rebuild
    std::chrono::milliseconds flush_interval{500};  ///< how often completed tasks are written to the manifest
};

struct Failure {
    std::string name;          ///< output name (may be empty when the row could not be named)
    std::string source;        ///< Task::source
    Diagnostics diagnostics;   ///< every problem, each with file + location + message
    bool internal = false;     ///< true: the renderer failed (not the input)
    std::string message() const { return diagnostics.to_string(); }
};

struct Summary {
    int total = 0;        ///< tasks given (all shards)
    int selected = 0;     ///< tasks of this shard
    int written = 0;      ///< rendered now
    int skipped = 0;      ///< unchanged since the last run
    int failed = 0;
    int not_started = 0;  ///< left out because of a stop request
    bool interrupted = false;  ///< a stop was requested during the run (the caller exits 130)
    bool pruned = false;       ///< stale files were deleted
    std::vector<Failure> failures;   ///< in task order
    std::vector<std::string> stale;  ///< stale output files (sorted); deleted when `pruned`
    Diagnostics diagnostics;   ///< about the run itself: unreadable manifest (warning), manifest write failure (error)
    std::chrono::milliseconds elapsed{0};

    /// Nothing failed, nothing was left out, the manifest was written.
    bool ok() const { return failed == 0 && !interrupted && !diagnostics.has_errors(); }
};

/// Parses "I/N" (1 <= I <= N, decimal digits only): "2/5" -> {2, 5}.
std::optional<std::pair<int, int>> parse_shard(std::string_view text);

/// True when task `index` (0-based, in data order) belongs to shard `shard_index`/`shard_count`:
/// index mod shard_count == shard_index - 1.
bool in_shard(std::size_t index, int shard_index, int shard_count);

/// Runs the tasks of the selected shard into `out_dir` (created if missing),
/// prints progress and the summary (unless `silent`), and returns the summary.
/// A failing task never stops the others.
/// Throws std::invalid_argument for bad options, InputError when `out_dir`
/// cannot be created, std::runtime_error when the manifest cannot be updated
/// before rendering starts (then nothing has been rendered).
Summary run(std::vector<Task> tasks, const std::string& out_dir, const Options& opts);

/// The summary as printed at the end of run():
/// "1000 documents: 998 written, 0 unchanged, 2 failed", then every failure
/// with its source and full diagnostics, stale outputs, and the interruption.
std::string format_summary(const Summary& s, const Options& opts);

}  // namespace vanban::batch

// batch/manifest: the record, kept in the output folder, of which inputs
// produced which output files — what lets a batch re-run rebuild only what changed.
//
// File: OUTDIR/.vanban-manifest.json, UTF-8 JSON with sorted keys and a
// trailing newline, so the same state always gives the same bytes:
//
//   {
//     "format": "vanban-batch-manifest",
//     "outputs": {
//       "kbang": {
//         "files": { "kbang.pdf": { "sha256": "…", "size": 48213 } },
//         "input": "<SHA-256 of everything the output depends on>",
//         "obsolete": ["kbang.xlsx"],          (only when not empty)
//         "tool": "0.1.0"
//       }
//     },
//     "version": 1
//   }
//
// "input" is empty when the entry was invalidated (its outputs are being, or
// failed to be, replaced): such an entry never lets a document be skipped, but
// still lists files that exist so they can be reported when no longer produced.
// "obsolete" lists files the output used to have and no longer has (an annex
// workbook after the annexes were removed) that are still on disk.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <string_view>

#include "core/diagnostic.hpp"

namespace vanban::batch {

inline constexpr const char* kManifestFileName = ".vanban-manifest.json";
inline constexpr const char* kManifestFormat = "vanban-batch-manifest";
inline constexpr int kManifestVersion = 1;

struct FileRecord {
    std::uint64_t size = 0;
    std::string sha256;    ///< digest of the content when it was written
    std::int64_t mtime_ns = 0;  ///< modification time when it was written (0: unknown, so it is re-hashed)
    bool operator==(const FileRecord&) const = default;
};

/// Size and modification time of a regular file (not followed through a
/// link), or nullopt when there is no regular file at `path`.
struct FileStamp {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
};
std::optional<FileStamp> stamp_of(const std::string& path);

struct ManifestEntry {
    std::string input;                        ///< input hash; empty = invalidated
    std::string tool;                         ///< VANBAN_VERSION that wrote the files
    std::map<std::string, FileRecord> files;  ///< file name (in the output folder) -> record
    std::set<std::string> obsolete;           ///< former files of this output, still on disk
    bool operator==(const ManifestEntry&) const = default;
};

struct Manifest {
    std::map<std::string, ManifestEntry> entries;  ///< output name (file stem) -> entry
    bool operator==(const Manifest&) const = default;
};

/// The exact bytes written for `m`.
std::string manifest_to_json(const Manifest& m);

/// Parses manifest text. Anything but a valid manifest of kManifestVersion
/// (bad JSON, another format or version, a field of the wrong type, an unsafe
/// file name) adds one warning naming `path`, the place and what was expected,
/// and gives an empty manifest: every output is then rebuilt.
Manifest parse_manifest(std::string_view text, const std::string& path, Diagnostics& warnings);

/// Path of the manifest in `dir`.
std::string manifest_path(const std::string& dir);

/// Reads `dir`'s manifest; a missing file is an empty manifest (no warning).
Manifest read_manifest(const std::string& dir, Diagnostics& warnings);

/// Writes `dir`'s manifest atomically: a temporary file in `dir`, fsync,
/// rename over the old one, fsync of the folder. Readers see the old or the
/// new manifest, never a mix. Throws std::runtime_error (path and reason).
void write_manifest(const std::string& dir, const Manifest& m);

/// Holds an exclusive lock (flock) on a folder for as long as it lives, so that
/// several processes (shards) sharing one output folder update its manifest
/// one at a time. Throws std::runtime_error when the folder cannot be locked.
/// Removes temporary files that an interrupted run (killed, power loss) left
/// in `dir`: manifest temporaries (call it holding the FolderLock, under which
/// every manifest write happens) and output temporaries ("x.pdf.<pid>.tmp",
/// ".x.xlsx.tmp-<pid>", staging folders ".vanban-stage-<pid>-…") whose process
/// no longer exists. Returns the names removed.
std::vector<std::string> remove_leftover_temporaries(const std::string& dir);

/// Held for the whole of a batch run over all tasks (not a shard): the same
/// exclusive flock on the folder as FolderLock, so that a second run into the
/// folder, and the manifest writes of shards, wait until it ends. Its holder
/// takes no FolderLock (it already has the folder). `waiting` is called once
/// when the folder is busy, before waiting for it.
class RunLock {
public:
    RunLock(const std::string& dir, const std::function<void()>& waiting);
    ~RunLock();
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

private:
    int fd_ = -1;
};

class FolderLock {
public:
    explicit FolderLock(const std::string& dir);
    ~FolderLock();
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace vanban::batch

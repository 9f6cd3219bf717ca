#include "batch/manifest.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "batch/names.hpp"
#include "job/output_set.hpp"
#include "input/fields.hpp"
#include "sources/bundle.hpp"

namespace vanban::batch {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

bool is_hex_digest(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

/// A digest member: 64 lower-case hex digits (or "" where allowed).
std::string digest(input::Fields& f, const json& obj, const std::string& at, const char* key, bool allow_empty) {
    auto s = f.string_member(obj, at, key, true, true);
    if (!s || (allow_empty && s->empty())) return s.value_or("");
    if (!is_hex_digest(*s))
        f.error(input::Fields::at(at, key), allow_empty ? tr("manifest-invalid", "found \"{}\", expected 64 lower-case hex digits or \"\"", *s)
                                                        : tr("manifest-invalid", "found \"{}\", expected 64 lower-case hex digits", *s));
    return *s;
}

ManifestEntry read_entry(input::Fields& f, const json& v, const std::string& at) {
    ManifestEntry e;
    if (!v.is_object()) {
        f.expected(at, tx("an object with \"files\", \"input\" and \"tool\""), v);
        return e;
    }
    e.input = digest(f, v, at, "input", true);
    e.tool = f.string_member(v, at, "tool", true, true).value_or("");
    if (const json* files = f.member(v, at, "files", true)) {
        if (!files->is_object()) f.expected(at + "/files", tx("an object"), *files);
        else
            for (const auto& [name, rec] : files->items()) {
                const std::string fat = input::Fields::at(at + "/files", name);
                if (!is_safe_name(name)) f.error(fat, tr("manifest-invalid", "\"{}\" is not a plain file name", name));
                if (!rec.is_object()) {
                    f.expected(fat, tx("an object with \"size\" and \"sha256\""), rec);
                    continue;
                }
                FileRecord r;
                if (const json* size = f.member(rec, fat, "size", true)) {
                    if (size->is_number_unsigned() || (size->is_number_integer() && size->get<long long>() >= 0))
                        r.size = size->get<std::uint64_t>();
                    else
                        f.expected(fat + "/size", tx("a size in bytes"), *size);
                }
                r.sha256 = digest(f, rec, fat, "sha256", false);
                if (const json* mtime = f.member(rec, fat, "mtime_ns", false)) {
                    if (mtime->is_number_integer()) r.mtime_ns = mtime->get<std::int64_t>();
                    else f.expected(fat + "/mtime_ns", tx("a time in nanoseconds"), *mtime);
                }
                e.files[name] = r;
            }
    }
    if (const json* obsolete = f.member(v, at, "obsolete", false)) {
        if (!obsolete->is_array()) f.expected(at + "/obsolete", tx("an array of file names"), *obsolete);
        else
            for (std::size_t i = 0; i < obsolete->size(); ++i) {
                const std::string oat = input::Fields::at(at + "/obsolete", i);
                auto name = f.string((*obsolete)[i], oat);
                if (!name) continue;
                if (!is_safe_name(*name)) f.error(oat, tr("manifest-invalid", "\"{}\" is not a plain file name", *name));
                e.obsolete.insert(*name);
            }
    }
    return e;
}

Manifest read_manifest_json(input::Fields& f, const json& doc) {
    Manifest m;
    if (!doc.is_object()) {
        f.expected("", tx("an object"), doc);
        return m;
    }
    const json* format = f.member(doc, "", "format", true);
    if (format && !(format->is_string() && format->get<std::string>() == kManifestFormat))
        f.error("/format", tr("manifest-invalid", "expected \"{}\"", kManifestFormat));
    const json* version = f.member(doc, "", "version", true);
    if (version && !(version->is_number_integer() && version->get<long long>() == kManifestVersion))
        f.error("/version", tr("manifest-invalid", "found {}, expected {} (a manifest written by another version of vanban)",
                               version->dump(), kManifestVersion));
    const json* outputs = f.member(doc, "", "outputs", true);
    if (!outputs) return m;
    if (!outputs->is_object()) {
        f.expected("/outputs", tx("an object"), *outputs);
        return m;
    }
    for (const auto& [name, entry] : outputs->items()) {
        const std::string at = input::Fields::at("/outputs", name);
        if (!is_safe_name(name)) f.error(at, tr("manifest-invalid", "\"{}\" is not a safe output name", name));
        m.entries[name] = read_entry(f, entry, at);
    }
    return m;
}

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

std::string manifest_to_json(const Manifest& m) {
    json outputs = json::object();
    for (const auto& [name, e] : m.entries) {
        json files = json::object();
        for (const auto& [file, rec] : e.files)
            files[file] = {{"size", rec.size}, {"sha256", rec.sha256}, {"mtime_ns", rec.mtime_ns}};
        json entry = {{"input", e.input}, {"tool", e.tool}, {"files", std::move(files)}};
        if (!e.obsolete.empty()) entry["obsolete"] = json(std::vector<std::string>(e.obsolete.begin(), e.obsolete.end()));
        outputs[name] = std::move(entry);
    }
    json doc = {{"format", kManifestFormat}, {"version", kManifestVersion}, {"outputs", std::move(outputs)}};
    // nlohmann::json keeps object members in a std::map: keys come out sorted.
    return doc.dump(2, ' ', false, json::error_handler_t::strict) + "\n";
}

Manifest parse_manifest(std::string_view text, const std::string& path, Diagnostics& warnings) {
    json doc;
    try {
        doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        const std::size_t at = e.byte == 0 ? 0 : e.byte - 1;
        warnings.warning(path, sources::line_column(text, at),
                         tr("manifest-invalid", "the manifest is not valid JSON (expected the file written by vanban batch); the manifest "
                                                "is ignored and every output in this folder is rebuilt"));
        return {};
    }
    Diagnostics found;
    input::Fields f(path, found);
    Manifest m = read_manifest_json(f, doc);
    if (!found.has_errors()) return m;
    // One warning: the first problem, with its place.
    const Diagnostic& first = found.items().front();
    warnings.warning(path, first.at, tr("manifest-invalid", "{}; the manifest is ignored and every output in this folder is rebuilt",
                                        first.message));
    return {};
}

std::string manifest_path(const std::string& dir) { return (fs::path(dir) / kManifestFileName).string(); }

Manifest read_manifest(const std::string& dir, Diagnostics& warnings) {
    const std::string path = manifest_path(dir);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::error_code ec;
        if (fs::exists(path, ec) || (ec && ec != std::errc::no_such_file_or_directory))
            warnings.warning(path, "", tr("manifest-read", "cannot read the manifest; every output in this folder is rebuilt"));
        return {};
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
        warnings.warning(path, "", tr("manifest-read", "cannot read the manifest; every output in this folder is rebuilt"));
        return {};
    }
    return parse_manifest(ss.str(), path, warnings);
}

void write_manifest(const std::string& dir, const Manifest& m) {
    const std::string path = manifest_path(dir);
    const std::string tmp = path + "." + std::to_string(::getpid()) + ".tmp";
    const std::string bytes = manifest_to_json(m);
    // A name planted there (a link to another file) is removed, never written through.
    ::unlink(tmp.c_str());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error(tx("cannot create {}: {}", tmp, errno_text(errno)));
    auto fail = [&](int err) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw std::runtime_error(tx("cannot write {}: {}", tmp, errno_text(err)));
    };
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(errno);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail(errno);
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw std::runtime_error(tx("cannot write {}: {}", tmp, errno_text(err)));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw std::runtime_error(tx("cannot rename {} to {}: {}", tmp, path, errno_text(err)));
    }
    // Make the rename itself durable.
    const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// The pid of one of our temporaries — "<file>.<pid>.tmp" or ".<file>.tmp-<pid>"
/// where <file> is the manifest or a .pdf/.xlsx/.docx output — or 0 for any other name.
long temporary_pid(const std::string& name, const std::string& manifest) {
    auto digits = [](const std::string& t) {
        if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789") != std::string::npos) return 0L;
        return std::stol(t);
    };
    auto ours = [&](const std::string& file) {
        return file == manifest || ends_with(file, ".pdf") || ends_with(file, ".xlsx") || ends_with(file, ".docx");
    };
    if (ends_with(name, ".tmp")) {
        std::string stem = name.substr(0, name.size() - 4);
        auto dot = stem.rfind('.');
        if (dot != std::string::npos && ours(stem.substr(0, dot))) return digits(stem.substr(dot + 1));
    }
    auto at = name.rfind(".tmp-");
    if (at != std::string::npos && ours(name.substr(0, at))) return digits(name.substr(at + 5));
    return 0;
}

}  // namespace

std::vector<std::string> remove_leftover_temporaries(const std::string& dir) {
    std::vector<std::string> removed;
    const std::string manifest = fs::path(manifest_path(dir)).filename().string();
    std::error_code ec;
    for (fs::directory_iterator it(dir.empty() ? "." : dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(job::kStagePrefix, 0) == 0) {
            // A document's staging folder (job/output_set.hpp): ".vanban-stage-<pid>-XXXXXX".
            const long pid = std::strtol(name.c_str() + std::strlen(job::kStagePrefix), nullptr, 10);
            if (pid > 0 && pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
                std::error_code rm;
                if (fs::remove_all(it->path(), rm) > 0) removed.push_back(name);
            }
            continue;
        }
        const long pid = temporary_pid(name, manifest);
        if (pid <= 0) continue;
        const bool manifest_tmp = name.rfind(manifest + ".", 0) == 0;
        // Another process's output temporary is left alone while that process lives.
        const bool dead = pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
        if ((manifest_tmp && pid != ::getpid()) || (!manifest_tmp && dead)) {
            std::error_code rm;
            if (fs::remove(it->path(), rm)) removed.push_back(name);
        }
    }
    std::sort(removed.begin(), removed.end());
    return removed;
}

std::optional<FileStamp> stamp_of(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return FileStamp{static_cast<std::uint64_t>(st.st_size),
                     static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec};
}

RunLock::RunLock(const std::string& dir, const std::function<void()>& waiting) {
    fd_ = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error(tx("cannot open the folder {} to lock it: {}", dir, errno_text(errno)));
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
    if (errno != EWOULDBLOCK) {
        const int err = errno;
        ::close(fd_);
        throw std::runtime_error(tx("cannot lock the folder {}: {}", dir, errno_text(err)));
    }
    if (waiting) waiting();
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd_);
        throw std::runtime_error(tx("cannot lock the folder {}: {}", dir, errno_text(err)));
    }
}

RunLock::~RunLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
}

FolderLock::FolderLock(const std::string& dir) {
    fd_ = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error(tx("cannot open the folder {} to lock it: {}", dir, errno_text(errno)));
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd_);
        throw std::runtime_error(tx("cannot lock the folder {}: {}", dir, errno_text(err)));
    }
}

FolderLock::~FolderLock() {
    if (fd_ >= 0) {
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }
}

}  // namespace vanban::batch

#include "sources/world.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/i18n.hpp"
#include "sources/limits.hpp"

namespace vanban::sources {

ReadResult World::read(const std::string& path) {
    {
        std::lock_guard lock(mu_);
        ++reads_[path];
        if (auto it = cache_.find(path); it != cache_.end()) return it->second;
    }
    ReadResult r = fetch(path);  // outside the lock: other threads may read other files meanwhile
    std::lock_guard lock(mu_);
    ++fetches_;
    return cache_.emplace(path, std::move(r)).first->second;  // a racing fetch of the same path keeps the first
}

ReadResult World::read_text(const std::string& path) {
    {
        std::lock_guard lock(mu_);
        if (auto it = texts_.find(path); it != texts_.end()) {
            ++reads_[path];
            if (it->second.problems.has_errors()) throw InputError(it->second.problems);
            return it->second.result;
        }
    }
    Text t;
    t.result = read(path);
    if (t.result) {
        try {
            std::string text = text_of(*t.result.bytes, path, encoding_);
            if (text != *t.result.bytes) t.result.bytes = std::make_shared<const std::string>(std::move(text));
        } catch (const InputError& e) {
            t.problems = e.diagnostics();
            t.result.bytes = nullptr;
        }
    }
    std::lock_guard lock(mu_);
    const Text& kept = texts_.emplace(path, std::move(t)).first->second;
    if (kept.problems.has_errors()) throw InputError(kept.problems);
    return kept.result;
}

ReadResult World::read_head(const std::string& path, std::size_t max_bytes) {
    {
        std::lock_guard lock(mu_);
        ++reads_[path];
        ++fetches_;
    }
    return fetch_head(path, max_bytes);
}

ReadResult World::fetch_head(const std::string& path, std::size_t max_bytes) {
    ReadResult r = read(path);
    if (r && r.bytes->size() > max_bytes) r.bytes = std::make_shared<const std::string>(r.bytes->substr(0, max_bytes));
    return r;
}

std::size_t World::fetches() const {
    std::lock_guard lock(mu_);
    return fetches_;
}

std::size_t World::reads(const std::string& path) const {
    std::lock_guard lock(mu_);
    auto it = reads_.find(path);
    return it == reads_.end() ? 0 : it->second;
}

std::map<std::string, std::size_t> World::reads() const {
    std::lock_guard lock(mu_);
    return reads_;
}

namespace {

std::string too_large(std::uint64_t limit) {
    return tx("it is larger than the limit of {} MB for one input file (raise it with --max-file-mb)", limit >> 20);
}

}  // namespace

namespace {

/// Opens `path` for reading if it is a regular file (without blocking, so
/// that a FIFO cannot hang the process); -1 with the reason otherwise.
int open_regular(const std::string& path, ReadResult& r, struct stat& st) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        r.reason = errno == ENOENT ? tx("no such file") : std::strerror(errno);
        return -1;
    }
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        r.reason = S_ISDIR(st.st_mode) ? tx("it is a folder, not a file") : tx("it is a device or a pipe, not a regular file");
        ::close(fd);
        return -1;
    }
    return fd;
}

/// Reads from `fd` until its end or until more than `stop` bytes; false with the reason on an error.
bool read_into(int fd, std::string& text, std::uint64_t stop, ReadResult& r) {
    char buf[65536];
    while (text.size() <= stop) {
        const std::size_t room = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof buf, stop + 1 - text.size()));
        ssize_t n = ::read(fd, buf, room);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            r.reason = std::strerror(errno);
            return false;
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

ReadResult DiskWorld::fetch(const std::string& path) {
    ReadResult r;
    const std::uint64_t limit = limits().max_file_bytes;
    struct stat st {};
    const int fd = open_regular(path, r, st);
    if (fd < 0) return r;
    if (static_cast<std::uint64_t>(st.st_size) > limit) {
        r.reason = too_large(limit);
        ::close(fd);
        return r;
    }
    auto text = std::make_shared<std::string>();
    text->reserve(static_cast<std::size_t>(st.st_size));
    const bool ok = read_into(fd, *text, limit, r);
    ::close(fd);
    if (!ok) return r;
    if (text->size() > limit) {  // a file that grew while it was read
        r.reason = too_large(limit);
        return r;
    }
    r.bytes = std::move(text);
    return r;
}

ReadResult DiskWorld::fetch_head(const std::string& path, std::size_t max_bytes) {
    ReadResult r;
    struct stat st {};
    const int fd = open_regular(path, r, st);
    if (fd < 0) return r;
    auto text = std::make_shared<std::string>();
    text->reserve(static_cast<std::size_t>(std::min<std::uint64_t>(static_cast<std::uint64_t>(st.st_size), max_bytes)));
    const bool ok = max_bytes == 0 || read_into(fd, *text, max_bytes - 1, r);
    ::close(fd);
    if (!ok) return r;
    r.bytes = std::move(text);
    return r;
}

void MemoryWorld::add(const std::string& path, std::string contents) {
    files_[path] = std::make_shared<const std::string>(std::move(contents));
}

ReadResult MemoryWorld::fetch(const std::string& path) {
    ReadResult r;
    auto it = files_.find(path);
    if (it == files_.end()) r.reason = tx("no such file");
    else r.bytes = it->second;
    return r;
}

}  // namespace vanban::sources

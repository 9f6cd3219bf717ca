#include "sources/world.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

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
    return "it is larger than the limit of " + std::to_string(limit >> 20) +
           " MB for one input file (raise it with --max-file-mb)";
}

}  // namespace

ReadResult DiskWorld::fetch(const std::string& path) {
    ReadResult r;
    const std::uint64_t limit = limits().max_file_bytes;
    // Opened without blocking, so that a FIFO cannot hang the process; then
    // only a regular file is read.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        r.reason = errno == ENOENT ? "no such file" : std::strerror(errno);
        return r;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        r.reason = S_ISDIR(st.st_mode) ? "it is a folder, not a file" : "it is a device or a pipe, not a regular file";
        ::close(fd);
        return r;
    }
    if (static_cast<std::uint64_t>(st.st_size) > limit) {
        r.reason = too_large(limit);
        ::close(fd);
        return r;
    }
    auto text = std::make_shared<std::string>();
    text->reserve(static_cast<std::size_t>(st.st_size));
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            r.reason = std::strerror(errno);
            ::close(fd);
            return r;
        }
        if (n == 0) break;
        text->append(buf, static_cast<std::size_t>(n));
        if (text->size() > limit) {  // a file that grows while it is read
            r.reason = too_large(limit);
            ::close(fd);
            return r;
        }
    }
    ::close(fd);
    r.bytes = std::move(text);
    return r;
}

void MemoryWorld::add(const std::string& path, std::string contents) {
    files_[path] = std::make_shared<const std::string>(std::move(contents));
}

ReadResult MemoryWorld::fetch(const std::string& path) {
    ReadResult r;
    auto it = files_.find(path);
    if (it == files_.end()) r.reason = "no such file";
    else r.bytes = it->second;
    return r;
}

}  // namespace vanban::sources

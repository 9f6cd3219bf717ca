#include "sources/world.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

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

ReadResult DiskWorld::fetch(const std::string& path) {
    ReadResult r;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        r.reason = errno == ENOENT ? "no such file" : std::strerror(errno);
        return r;
    }
    if (S_ISDIR(st.st_mode)) {
        r.reason = "it is a folder, not a file";
        return r;
    }
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
        r.reason = std::strerror(errno);
        return r;
    }
    auto text = std::make_shared<std::string>();
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text->append(buf, n);
    bool failed = std::ferror(f);
    std::fclose(f);
    if (failed) {
        r.reason = "read error";
        return r;
    }
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

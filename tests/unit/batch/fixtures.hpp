// Test fixtures for the batch module: a temporary output folder, and fake
// tasks whose render functions write small files atomically and count calls.
#pragma once

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "batch/runner.hpp"

namespace batch_test {

namespace fs = std::filesystem;

/// A fresh folder under the system temporary folder, removed at the end.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "vanban-batch-test-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string str() const { return path.string(); }
    fs::path operator/(const std::string& name) const { return path / name; }
};

inline std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
}

/// Writes through a temporary file in the same folder and a rename, as the real renderers do.
inline void write_atomically(const fs::path& p, const std::string& bytes) {
    fs::path tmp = p;
    tmp += ".tmp";
    write_file(tmp, bytes);
    fs::rename(tmp, p);
}

/// Every regular file of `dir` except the manifest, sorted.
inline std::set<std::string> files_in(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().filename() != vanban::batch::kManifestFileName)
            out.insert(e.path().filename().string());
    return out;
}

/// Counts render calls per output name (renders run on worker threads).
class Recorder {
public:
    void hit(const std::string& name) {
        std::lock_guard<std::mutex> lk(mu_);
        ++counts_[name];
    }
    int count(const std::string& name) const {
        std::lock_guard<std::mutex> lk(mu_);
        auto it = counts_.find(name);
        return it == counts_.end() ? 0 : it->second;
    }
    int total() const {
        std::lock_guard<std::mutex> lk(mu_);
        int t = 0;
        for (const auto& [n, c] : counts_) t += c;
        return t;
    }
    std::set<std::string> names() const {
        std::lock_guard<std::mutex> lk(mu_);
        std::set<std::string> out;
        for (const auto& [n, c] : counts_) out.insert(n);
        return out;
    }
    void reset() {
        std::lock_guard<std::mutex> lk(mu_);
        counts_.clear();
    }

private:
    mutable std::mutex mu_;
    std::map<std::string, int> counts_;
};

struct FakeSpec {
    std::vector<std::string> extensions = {"txt"};
    int sleep_ms = 0;
};

/// A task writing <stem>.<ext> for each extension; the content depends on the input hash.
inline vanban::batch::Task fake_task(const std::string& name, const std::string& hash, Recorder& rec,
                                     FakeSpec spec = {}, std::string source = "") {
    vanban::batch::Task t;
    t.name = name;
    t.source = source.empty() ? "data.csv:" + name : source;
    t.input_hash = hash;
    t.render = [name, hash, spec, &rec](const std::string& out_dir, const std::string& stem) {
        rec.hit(stem);
        if (spec.sleep_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(spec.sleep_ms));
        std::vector<std::string> written;
        for (const std::string& ext : spec.extensions) {
            const std::string file = stem + "." + ext;
            write_atomically(fs::path(out_dir) / file, "document " + stem + "\ninput " + hash + "\n" + ext + "\n");
            written.push_back(file);
        }
        return written;
    };
    return t;
}

/// A 64-hex-digit input hash derived from a label.
inline std::string hash_of(const std::string& label) { return vanban::batch::sha256_hex(label); }

/// Options that print nothing and ignore the process-wide stop flag.
inline vanban::batch::Options quiet_options(int jobs = 2) {
    static const std::atomic<bool> never{false};
    vanban::batch::Options o;
    o.jobs = jobs;
    o.silent = true;
    o.stop = &never;
    return o;
}

}  // namespace batch_test

#include "job/output_set.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/diagnostic.hpp"

namespace vanban::job {

namespace fs = std::filesystem;

namespace {

bool exists_no_follow(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

/// This thread's staging folder while a StagingScope lives on it, kept empty
/// between documents for the next one in the same output folder.
struct ThreadStage {
    std::string out_dir, dir;
    bool in_use = false;
    int scopes = 0;
    ~ThreadStage() { drop(); }
    void drop() {
        std::error_code ec;
        if (!dir.empty()) fs::remove_all(dir, ec);
        out_dir.clear();
        dir.clear();
    }
};
thread_local ThreadStage t_stage;

/// A real folder (not a symbolic link) of this user's.
bool own_folder(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid();
}

}  // namespace

OutputSet::OutputSet(std::string out_dir) : out_dir_(std::move(out_dir)) {
    if (out_dir_.empty()) out_dir_ = ".";
    std::error_code ec;
    if (fs::exists(out_dir_, ec) && !fs::is_directory(out_dir_, ec))
        throw IoError(out_dir_, tr("output-is-file", "the output folder is an existing file; name a folder"));
    fs::create_directories(out_dir_, ec);
    if (ec) throw IoError(out_dir_, tr("output-folder", "cannot create the output folder: {}", ec.message()));
    const bool keep = t_stage.scopes > 0 && !t_stage.in_use;
    if (keep && t_stage.out_dir == out_dir_ && own_folder(t_stage.dir)) {
        stage_dir_ = t_stage.dir;
        shared_ = t_stage.in_use = true;
        return;
    }
    std::string tmpl = (fs::path(out_dir_) / (std::string(kStagePrefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr)
        throw IoError(out_dir_, tr("output-folder", "cannot write into the output folder: {}", std::strerror(errno)));
    stage_dir_ = tmpl;
    if (keep) {  // kept for this thread's next document
        t_stage.drop();
        t_stage.out_dir = out_dir_;
        t_stage.dir = stage_dir_;
        shared_ = t_stage.in_use = true;
    }
}

OutputSet::~OutputSet() {
    std::error_code ec;
    if (!shared_) {
        fs::remove_all(stage_dir_, ec);
        return;
    }
    // Emptied for the next document: the files not committed, the previous
    // outputs moved aside, anything a writer left.
    std::vector<fs::path> left;
    for (fs::directory_iterator it(stage_dir_, ec), end; !ec && it != end; it.increment(ec)) left.push_back(it->path());
    bool emptied = !ec;
    for (const auto& p : left) {
        fs::remove_all(p, ec);
        emptied = emptied && !ec;
    }
    t_stage.in_use = false;
    if (!emptied) t_stage.drop();  // not reused
}

std::string OutputSet::stage(const std::string& name) {
    names_.push_back(name);
    return (fs::path(stage_dir_) / name).string();
}

std::vector<std::string> OutputSet::commit() {
    struct Step {
        std::string staged, target, backup;
        bool had_previous = false, placed = false;
    };
    std::vector<Step> steps;
    for (const auto& n : names_) {
        Step s;
        s.staged = (fs::path(stage_dir_) / n).string();
        s.target = (fs::path(out_dir_) / n).string();
        s.backup = (fs::path(stage_dir_) / (n + ".previous")).string();
        if (exists_no_follow(s.staged)) steps.push_back(std::move(s));
    }
    // A folder where a file should go is never moved aside: refuse before changing anything.
    for (const auto& s : steps) {
        struct stat st {};
        if (::lstat(s.target.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
            throw IoError(s.target, tr("output-is-folder", "a folder has the name of this output; move it away (the previous outputs "
                                                           "of this document are left as they were)"));
    }
    auto roll_back = [&](std::size_t upto) {
        for (std::size_t j = upto; j-- > 0;) {
            Step& s = steps[j];
            if (s.placed) std::rename(s.target.c_str(), s.staged.c_str());
            if (s.had_previous) std::rename(s.backup.c_str(), s.target.c_str());
        }
    };
    for (std::size_t i = 0; i < steps.size(); ++i) {
        Step& s = steps[i];
        if (exists_no_follow(s.target)) {
            if (std::rename(s.target.c_str(), s.backup.c_str()) != 0) {
                const int err = errno;
                roll_back(i);
                throw IoError(s.target, tr("output-write", "cannot replace the file: {}; the previous outputs of this document are left "
                                                           "as they were", std::strerror(err)));
            }
            s.had_previous = true;
        }
        if (std::rename(s.staged.c_str(), s.target.c_str()) != 0) {
            const int err = errno;
            roll_back(i + 1);
            throw IoError(s.target, tr("output-write", "cannot write the file: {}; the previous outputs of this document are left as "
                                                       "they were", std::strerror(err)));
        }
        s.placed = true;
    }
    std::vector<std::string> out;
    for (const auto& s : steps) out.push_back(s.target);
    return out;  // the moved-aside previous files go with the staging folder
}

StagingScope::StagingScope() { ++t_stage.scopes; }

StagingScope::~StagingScope() {
    if (--t_stage.scopes == 0 && !t_stage.in_use) t_stage.drop();
}

}  // namespace vanban::job

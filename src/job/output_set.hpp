// job/output_set: the files of one document, replaced together or not at all.
//
// Writers never write into the output folder directly. An OutputSet makes a
// private staging folder inside it (mkdtemp, mode 0700:
// ".vanban-stage-<pid>-XXXXXX"), each writer writes its file there, and
// commit() moves them into place by rename. While a StagingScope lives on
// the thread (a batch worker), the folder is emptied after the document and
// kept for the thread's next document in the same output folder, and removed
// when the scope ends. A file already at a target is
// first moved aside, so that if any step fails every target is put back as it
// was: the previous PDF, XLSX and DOCX of a document survive a failure
// together. Nothing is ever opened through a name in the output folder, so a
// symbolic link planted there is replaced, never written through. A staging
// folder left by a killed process is removed by the next batch run
// (batch::remove_leftover_temporaries).
#pragma once

#include <string>
#include <vector>

namespace vanban::job {

/// The prefix of staging folders, for clean-up.
inline constexpr const char* kStagePrefix = ".vanban-stage-";

class OutputSet {
public:
    /// Creates `out_dir` if missing (throws IoError when it is not a folder or
    /// cannot be created) and the staging folder inside it.
    explicit OutputSet(std::string out_dir);
    ~OutputSet();
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;

    /// The path a writer must write `name` (a plain file name) to.
    std::string stage(const std::string& name);

    /// Moves every staged file into the output folder and returns their paths.
    /// Throws IoError when a file cannot be moved; the output folder is then as
    /// it was before.
    std::vector<std::string> commit();

private:
    std::string out_dir_, stage_dir_;
    std::vector<std::string> names_;
    bool shared_ = false;  ///< the thread's kept staging folder (emptied, not removed, at the end)
};

/// While one lives on a thread, that thread's OutputSets in one output folder
/// share one staging folder, emptied after each document and removed when the
/// scope ends. A batch worker holds one: making and removing a folder per
/// document (a directory inode for the file system to allocate and free)
/// took a tenth of a batch's time.
class StagingScope {
public:
    StagingScope();
    ~StagingScope();
    StagingScope(const StagingScope&) = delete;
    StagingScope& operator=(const StagingScope&) = delete;
};

}  // namespace vanban::job

// Tests of job/output_set: outputs replaced together, never through a link.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/diagnostic.hpp"
#include "job/output_set.hpp"

using namespace vanban;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string t = (fs::temp_directory_path() / "vanban-out-test-XXXXXX").string();
        REQUIRE(::mkdtemp(t.data()) != nullptr);
        path = t;
    }
    ~TempDir() { fs::remove_all(path); }
};

void write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }
std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
bool only_outputs(const fs::path& dir) {
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().rfind(job::kStagePrefix, 0) == 0) return false;
    return true;
}

}  // namespace

TEST_CASE("a symbolic link at an output's name is replaced, never written through") {
    TempDir t;
    fs::path victim = t.path / "victim.txt";
    write(victim, "keep");
    fs::path out = t.path / "out";
    fs::create_directories(out);
    fs::create_symlink(victim, out / "doc.pdf");
    {
        job::OutputSet set(out.string());
        write(set.stage("doc.pdf"), "%PDF new");
        auto files = set.commit();
        CHECK(files.size() == 1);
    }
    CHECK(read(victim) == "keep");
    CHECK_FALSE(fs::is_symlink(out / "doc.pdf"));
    CHECK(read(out / "doc.pdf") == "%PDF new");
    CHECK(only_outputs(out));
}

TEST_CASE("outputs are replaced together: a failure leaves the previous set") {
    TempDir t;
    fs::path out = t.path / "out";
    fs::create_directories(out / "doc.xlsx");  // a folder where the workbook should go
    write(out / "doc.pdf", "old pdf");
    {
        job::OutputSet set(out.string());
        write(set.stage("doc.pdf"), "new pdf");
        write(set.stage("doc.xlsx"), "new xlsx");
        CHECK_THROWS_AS(set.commit(), IoError);
    }
    CHECK(read(out / "doc.pdf") == "old pdf");
    CHECK(fs::is_directory(out / "doc.xlsx"));
    CHECK(only_outputs(out));
}

TEST_CASE("nothing staged and not committed leaves no trace; -o naming a file is refused") {
    TempDir t;
    fs::path out = t.path / "out";
    {
        job::OutputSet set(out.string());
        write(set.stage("doc.pdf"), "x");
    }
    CHECK(fs::is_empty(out));
    write(t.path / "file", "x");
    CHECK_THROWS_AS(job::OutputSet((t.path / "file").string()), IoError);
}

TEST_CASE("in a staging scope, one folder serves the thread's documents, emptied between them and removed at the end") {
    TempDir t;
    fs::path out = t.path / "out", other = t.path / "other";
    auto stages = [](const fs::path& dir) {
        std::vector<fs::path> found;
        if (fs::exists(dir))
            for (const auto& e : fs::directory_iterator(dir))
                if (e.path().filename().string().rfind(job::kStagePrefix, 0) == 0) found.push_back(e.path());
        return found;
    };
    {
        job::StagingScope scope;
        fs::path first;
        {
            job::OutputSet set(out.string());
            const fs::path staged = set.stage("a.pdf");
            first = staged.parent_path();
            write(staged, "a1");
            CHECK(set.commit().size() == 1);
        }
        REQUIRE(stages(out) == std::vector<fs::path>{first});
        CHECK(fs::is_empty(first));  // emptied after the document
        {
            job::OutputSet set(out.string());
            const fs::path staged = set.stage("a.pdf");
            CHECK(staged.parent_path() == first);  // the same folder, not a new one
            write(staged, "a2");
            write(set.stage("b.pdf"), "b");  // staged, never committed
            CHECK(set.commit().size() == 2);
        }
        CHECK(read(out / "a.pdf") == "a2");
        CHECK(fs::is_empty(first));  // the previous a.pdf, moved aside, is gone too
        {
            job::OutputSet set(out.string());
            write(set.stage("c.pdf"), "c");  // not committed: removed
        }
        CHECK(fs::is_empty(first));
        CHECK(!fs::exists(out / "c.pdf"));
        {
            // Two at once on one thread: the second gets a folder of its own, removed with it.
            job::OutputSet a(out.string()), b(out.string());
            CHECK(fs::path(a.stage("x.pdf")).parent_path() != fs::path(b.stage("x.pdf")).parent_path());
        }
        CHECK(stages(out).size() == 1);
        {
            // Another output folder: the thread's folder moves there.
            job::OutputSet set(other.string());
            write(set.stage("d.pdf"), "d");
            set.commit();
        }
        CHECK(stages(out).empty());
        CHECK(stages(other).size() == 1);
        // Removed from under it (a server removes a request's folder): a new one is made.
        fs::remove_all(stages(other).front());
        {
            job::OutputSet set(other.string());
            write(set.stage("e.pdf"), "e");
            CHECK(set.commit().size() == 1);
        }
        CHECK(read(other / "e.pdf") == "e");
    }
    CHECK(stages(out).empty());
    CHECK(stages(other).empty());  // removed with the scope
}

TEST_CASE("without a staging scope every document's folder is removed with it") {
    TempDir t;
    fs::path out = t.path / "out";
    for (int i = 0; i < 2; ++i) {
        job::OutputSet set(out.string());
        write(set.stage("a.pdf"), "a");
        set.commit();
        CHECK(!only_outputs(out));
    }
    CHECK(only_outputs(out));
}

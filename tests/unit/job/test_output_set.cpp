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

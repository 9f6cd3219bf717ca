// Tests of batch/plan: a batch reads every file once, through the World.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "batch/plan.hpp"
#include "fixtures.hpp"
#include "sources/bundle.hpp"

using namespace vanban;
namespace fs = std::filesystem;

TEST_CASE("a batch of N records reads each template, body and data file once, and renders without reading") {
    const std::string dir = VANBAN_EXAMPLES_DIR "/gia-lai-huyen";
    sources::DiskWorld world;
    batch::Request req;
    req.templates = {dir + "/template.json", dir + "/tong-hop.json"};
    req.data = dir + "/data.csv";
    req.job.fonts_dir = VANBAN_FONTS_DIR;
    batch::Plan plan = batch::plan(world, req);
    INFO(plan.errors.to_string());
    REQUIRE_FALSE(plan.errors.has_errors());
    REQUIRE(plan.tasks.size() == 18);  // 17 district plans + the provincial summary

    const auto reads = world.reads();
    for (const char* f : {"/template.json", "/body.md", "/tong-hop.json", "/tong-hop.md", "/data.csv"}) {
        const std::string path = fs::path(dir + f).lexically_normal().string();
        CHECK_MESSAGE(world.reads(path) == 1, path);
    }
    // The four shipped fonts: asked for once per template, fetched once.
    for (const auto& font : sources::shipped_fonts(VANBAN_FONTS_DIR)) CHECK(world.reads(font) == 2);
    CHECK(reads.size() == 9);
    CHECK(world.fetches() == 9);

    // Rendering the planned documents reads nothing more.
    batch_test::TempDir out;
    for (std::size_t i = 0; i < 3; ++i) {
        REQUIRE(plan.tasks[i].render);
        auto files = plan.tasks[i].render(out.str(), plan.tasks[i].name);
        CHECK(files.size() == 2);  // PDF and XLSX
    }
    CHECK(world.reads() == reads);
}

TEST_CASE("the running program's build ID is the one in its file, after the note's name \"GNU\"") {
    const std::string id = batch::running_build_id();
    REQUIRE(id.size() >= 32);
    REQUIRE(id.size() % 2 == 0);
    std::string bytes;
    for (std::size_t i = 0; i < id.size(); i += 2) bytes += static_cast<char>(std::stoi(id.substr(i, 2), nullptr, 16));
    std::ifstream in("/proc/self/exe", std::ios::binary);
    const std::string exe((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(exe.find(std::string("GNU\0", 4) + bytes) != std::string::npos);
    CHECK(batch::running_build_id() == id);
}

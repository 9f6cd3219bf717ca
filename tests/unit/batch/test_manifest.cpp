// Tests of batch/manifest: deterministic bytes, round trip, and every kind of
// unreadable manifest giving a warning and an empty manifest.
#include <doctest/doctest.h>

#include <unistd.h>

#include "batch/manifest.hpp"
#include "fixtures.hpp"

using namespace vanban::batch;
using batch_test::TempDir;

namespace {
Manifest sample() {
    Manifest m;
    ManifestEntry a;
    a.input = std::string(64, 'a');
    a.tool = "0.1.0";
    a.files["zeta.pdf"] = {123, std::string(64, '1')};
    a.files["zeta.xlsx"] = {45, std::string(64, '2')};
    a.obsolete = {"zeta.old"};
    m.entries["zeta"] = a;
    ManifestEntry b;
    b.tool = "0.1.0";  // invalidated: empty input
    b.files["Đak Đoa.pdf"] = {7, std::string(64, 'f')};
    m.entries["Đak Đoa"] = b;
    m.entries["alpha"] = a;
    return m;
}
}  // namespace

TEST_CASE("manifest round trip and sorted, stable bytes") {
    const Manifest m = sample();
    const std::string text = manifest_to_json(m);
    vanban::Diagnostics w;
    CHECK(parse_manifest(text, "m.json", w) == m);
    CHECK(w.empty());
    CHECK(text.back() == '\n');
    CHECK(text.find("\"alpha\"") < text.find("\"zeta\""));
    CHECK(text.find("\"files\"") < text.find("\"input\""));
    CHECK(text.find("\"format\"") < text.find("\"outputs\""));
    CHECK(text.find("\"outputs\"") < text.find("\"version\""));
    CHECK(text.find("Đak Đoa") != std::string::npos);  // UTF-8 kept, not escaped
    // Building the same state in another order gives the same bytes.
    Manifest again;
    again.entries["alpha"] = m.entries.at("alpha");
    again.entries["Đak Đoa"] = m.entries.at("Đak Đoa");
    again.entries["zeta"] = m.entries.at("zeta");
    CHECK(manifest_to_json(again) == text);
}

TEST_CASE("write_manifest and read_manifest; a missing manifest is empty without a warning") {
    TempDir dir;
    vanban::Diagnostics w;
    CHECK(read_manifest(dir.str(), w).entries.empty());
    CHECK(w.empty());
    write_manifest(dir.str(), sample());
    CHECK(read_manifest(dir.str(), w) == sample());
    CHECK(w.empty());
    CHECK(batch_test::read_file(dir / kManifestFileName) == manifest_to_json(sample()));
    CHECK(batch_test::files_in(dir.path).empty());  // no temporary file left behind
}

TEST_CASE("temporaries left by a killed run are removed; a living process's are kept") {
    TempDir dir;
    // A pid that cannot be running: above the kernel's pid limit.
    const std::string dead = "999999999";
    const std::string alive = std::to_string(::getppid());
    batch_test::write_file(dir / (std::string(kManifestFileName) + "." + dead + ".tmp"), "{");
    batch_test::write_file(dir / ("kbang.pdf." + dead + ".tmp"), "%PDF");
    batch_test::write_file(dir / (".kbang.xlsx.tmp-" + dead), "PK");
    batch_test::write_file(dir / ("pleiku.pdf." + alive + ".tmp"), "%PDF");  // another process still writing
    batch_test::write_file(dir / "kbang.pdf", "%PDF");                        // an output
    batch_test::write_file(dir / "notes.tmp", "x");                           // not ours: no pid
    batch_test::write_file(dir / ("report." + dead + ".tmp"), "x");           // not ours: not an output
    auto removed = remove_leftover_temporaries(dir.str());
    CHECK(removed == std::vector<std::string>{".kbang.xlsx.tmp-" + dead, std::string(kManifestFileName) + "." + dead + ".tmp",
                                              "kbang.pdf." + dead + ".tmp"});
    CHECK(std::filesystem::exists(dir / ("pleiku.pdf." + alive + ".tmp")));
    CHECK(std::filesystem::exists(dir / "kbang.pdf"));
    CHECK(std::filesystem::exists(dir / "notes.tmp"));
    CHECK(std::filesystem::exists(dir / ("report." + dead + ".tmp")));
}

TEST_CASE("unreadable manifests: one warning with the place, and an empty manifest") {
    const std::string good = manifest_to_json(sample());
    struct Case {
        std::string text;
        std::string location;
        std::string words;
    };
    auto replace = [&](std::string from, std::string to) {
        std::string t = good;
        const auto at = t.find(from);
        REQUIRE(at != std::string::npos);
        t.replace(at, from.size(), to);
        return t;
    };
    const std::vector<Case> cases = {
        {"{\"format\": ", "1:12", "not valid JSON"},
        {"garbage", "1:1", "not valid JSON"},
        {"[]", "", "expected an object"},
        {replace("\"version\": 1", "\"version\": 2"), "/version", "another version"},
        {replace("\"format\": \"vanban-batch-manifest\"", "\"format\": \"x\""), "/format", "vanban-batch-manifest"},
        {replace("\"zeta.old\"", "\"../etc/passwd\""), "/outputs/alpha/obsolete/0", "not a plain file name"},
        {replace("\"size\": 123", "\"size\": -1"), "/outputs/alpha/files/zeta.pdf/size", "size in bytes"},
        {replace("\"size\": 123", "\"size\": \"123\""), "/outputs/alpha/files/zeta.pdf/size", "found a string"},
        {replace("\"zeta\": {", "\"a/b\": {"), "/outputs/a~1b", "not a safe output name"},
        {replace(std::string("\"input\": \"") + std::string(64, 'a'), "\"input\": \"xyz"), "/outputs/alpha/input",
         "hex digits"},
    };
    for (const Case& c : cases) {
        vanban::Diagnostics w;
        const Manifest m = parse_manifest(c.text, "out/.vanban-manifest.json", w);
        CHECK_MESSAGE(m.entries.empty(), c.text);
        REQUIRE_MESSAGE(w.items().size() == 1, c.text);
        const auto& d = w.items()[0];
        CHECK(d.severity == vanban::Severity::warning);
        CHECK(d.file == "out/.vanban-manifest.json");
        CHECK_MESSAGE(d.at.to_string() == c.location, c.text);
        CHECK_MESSAGE(d.message.find(c.words) != std::string::npos, d.message);
        CHECK(d.message.find("rebuilt") != std::string::npos);
    }
}

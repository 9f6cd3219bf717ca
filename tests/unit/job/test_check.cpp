// Tests of job::load as `vanban check` uses it: every problem of a document —
// the tables' own, the body's references against the computed values, the
// cross-table checks, the mentions, typed numbers — reported in one run,
// ordered by file and by place in the file.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "job/render.hpp"
#include "sources/world.hpp"

using namespace vanban;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/vanban-job-XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
    }
};

const char* kDocument = R"J({
  "type": "BC",
  "issuer": {"name": ["Ủy ban nhân dân", "huyện Kbang"], "code": "UBND"},
  "number": 152,
  "date": "2024-06-14",
  "place": "Kbang",
  "summary": "Kết quả thực hiện",
  "body": {"file": "body.md"},
  "recipients": ["Sở Tài chính"],
  "archive": "VT",
  "signature": {"position": "Chủ tịch", "name": "Nguyễn Văn Hà"},
  "annexes": [{"file": "phan-bo.json"}, {"file": "nguon-von.json"}]
})J";

const char* kBody = R"(# Kết quả

Chi tiết tại Phụ lục I: tổng kinh phí [[I:total:tong = 20.856,9345]] triệu đồng.

## 3. Tổ chức

Dự án 4, Tiểu dự án 1: [[I:Tiểu dự án 1:tong = 3.310]] triệu đồng.
)";

const char* kAllocation = R"J({
  "title": "Phân bổ kinh phí",
  "columns": [
    {"key": "nd", "header": "Nội dung", "format": "text"},
    {"key": "tong", "header": "Tổng", "format": "money"}
  ],
  "total": {"cells": {"tong": "20856.9345"}},
  "groups": [
    {"title": "Dự án 2", "cells": {"tong": 9558}},
    {"title": "Dự án 4", "rows": [{"nd": "Tiểu dự án 1", "tong": 3310}]},
    {"title": "Dự án 6", "rows": [{"nd": "Tiểu dự án 1", "tong": "7988.8345"}]}
  ]
})J";

const char* kSources = R"J({
  "title": "Nguồn vốn",
  "columns": [
    {"key": "nguon", "header": "Nguồn", "format": "text"},
    {"key": "so_tien", "header": "Số tiền", "format": "money"}
  ],
  "total": {"cells": {"so_tien": {"equals": "I:total:tong"}}},
  "rows": [
    {"nguon": "Ngân sách tỉnh", "so_tien": 9890},
    {"nguon": "Ngân sách trung ương", "so_tien": "10966.9345"}
  ]
})J";

}  // namespace

TEST_CASE("check reports the tables' errors, the references, the cross-table checks and typed numbers at once, in order") {
    TempDir dir;
    dir.write("document.json", kDocument);
    dir.write("body.md", kBody);
    dir.write("phan-bo.json", kAllocation);
    dir.write("nguon-von.json", kSources);
    sources::DiskWorld world;
    job::Options opts;
    opts.fonts_dir = VANBAN_FONTS_DIR;
    const std::string doc = (dir.path / "document.json").string();
    Diagnostics warnings;
    std::vector<Diagnostic> got;
    try {
        job::load(job::gather(world, doc, opts), opts, warnings);
        FAIL("the document has errors");
    } catch (const InputError& e) {
        got = e.diagnostics().items();
    }
    std::string all;
    for (const auto& d : got) all += d.to_string() + "\n";
    INFO(all);
    REQUIRE(got.size() == 6);
    // The document first: annex II is not mentioned.
    CHECK(got[0].file == doc);
    CHECK(got[0].at.to_string() == "/annexes/1");
    CHECK(got[0].message.find("does not mention the annex \"NGUỒN VỐN\"") != std::string::npos);
    got.erase(got.begin());
    const std::string body = (dir.path / "body.md").string(), alloc = (dir.path / "phan-bo.json").string(),
                      src = (dir.path / "nguon-von.json").string();
    // body.md, by line: the figure (against the computed total), the typed number, the ambiguous row.
    CHECK(got[0].file == body);
    CHECK(got[0].at.line == 3);
    CHECK(got[0].message.find("the text states 20.856,9345 but Phụ lục I") != std::string::npos);
    CHECK(got[0].message.find("computes 20.856,8345") != std::string::npos);
    CHECK(got[1].file == body);
    CHECK(got[1].at.line == 5);
    CHECK(got[1].message.find("remove \"3.\": numbers are computed") != std::string::npos);
    CHECK(got[2].file == body);
    CHECK(got[2].at.line == 7);
    CHECK(got[2].message.find("\"Tiểu dự án 1\" names 2 rows") != std::string::npos);
    // Then the annex files in the document's order.
    CHECK(got[3].file == alloc);
    CHECK(got[3].at.to_string() == "/total/cells/tong");
    CHECK(got[3].message.find("states 20.856,9345 but the table computes 20.856,8345") != std::string::npos);
    CHECK(got[4].file == src);
    CHECK(got[4].at.to_string() == "/total/cells/so_tien");
    CHECK(got[4].message.find("20.856,9345 must equal Phụ lục I") != std::string::npos);
    CHECK(got[4].message.find(alloc + ":/total") != std::string::npos);
}

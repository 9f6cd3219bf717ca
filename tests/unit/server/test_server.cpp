// Tests of server/: the listen address and loopback rule, the token file,
// upload names, the worker pool's limits, and the service on documents held
// in memory (the report shape, 422, the path policy, formats).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "server/pool.hpp"
#include "server/report.hpp"
#include "server/server.hpp"
#include "server/service.hpp"

using namespace vanban;
using namespace vanban::server;
namespace fs = std::filesystem;
using nlohmann::json;

TEST_CASE("listen addresses") {
    std::string error;
    auto l = parse_listen("127.0.0.1:8080", error);
    REQUIRE(l);
    CHECK(l->host == "127.0.0.1");
    CHECK(l->port == 8080);
    l = parse_listen("[::1]:0", error);
    REQUIRE(l);
    CHECK(l->host == "::1");
    CHECK(l->port == 0);
    l = parse_listen("9000", error);
    REQUIRE(l);
    CHECK(l->host == "127.0.0.1");
    CHECK(l->port == 9000);
    CHECK_FALSE(parse_listen("127.0.0.1:70000", error));
    CHECK(error.find("0 to 65535") != std::string::npos);
    CHECK_FALSE(parse_listen("::1:80", error));
    CHECK_FALSE(parse_listen("host:", error));
    CHECK(is_loopback("127.0.0.1"));
    CHECK(is_loopback("127.8.9.10"));
    CHECK(is_loopback("::1"));
    CHECK(is_loopback("localhost"));
    CHECK_FALSE(is_loopback("0.0.0.0"));
    CHECK_FALSE(is_loopback("192.168.1.5"));
    CHECK_FALSE(is_loopback("::"));
}

TEST_CASE("a non-loopback address needs a token of at least 16 characters") {
    fs::path dir = fs::temp_directory_path() / ("vanban-server-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    Options o;
    o.workspace = dir.string();
    std::string token;
    CHECK(validate(o, token).empty());
    o.listen.host = "0.0.0.0";
    CHECK(validate(o, token).find("refusing to listen on 0.0.0.0") != std::string::npos);
    std::ofstream(dir / "short") << "abc\n";
    o.token_file = (dir / "short").string();
    CHECK(validate(o, token).find("at least 16 characters") != std::string::npos);
    std::ofstream(dir / "good") << "  0123456789abcdef0123\n";
    o.token_file = (dir / "good").string();
    CHECK(validate(o, token).empty());
    CHECK(token == "0123456789abcdef0123");
    o.workspace = (dir / "missing").string();
    CHECK(validate(o, token).find("--workspace") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("upload names are plain file names") {
    CHECK(upload_name("body.md") == "body.md");
    CHECK(upload_name("C:\\Users\\x\\body.md") == "body.md");
    CHECK(upload_name("../../etc/passwd") == "passwd");
    CHECK(upload_name("..") == "");
    CHECK(upload_name(".hidden") == "");
    CHECK(upload_name("a\nb") == "");
    CHECK(upload_name("") == "");
}

TEST_CASE("the pool answers busy and timeout, and work still finishes") {
    Pool pool(1, 1);
    std::atomic<int> started{0}, done{0};
    std::atomic<bool> release{false};
    auto held = [&] {
        ++started;
        for (int i = 0; i < 500 && !release; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        ++done;
    };
    auto wait_for = [](const std::atomic<int>& v, int n) {
        for (int i = 0; i < 1000 && v < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    };
    CHECK(pool.run(held, std::chrono::milliseconds(10)) == Pool::Result::timeout);  // running, held
    wait_for(started, 1);
    CHECK(pool.run(held, std::chrono::milliseconds(10)) == Pool::Result::timeout);  // queued
    CHECK(pool.run(held, std::chrono::milliseconds(10)) == Pool::Result::busy);     // queue full
    release = true;
    wait_for(done, 2);
    CHECK(done == 2);
    CHECK(pool.run([] { throw std::runtime_error("x"); }, std::chrono::seconds(10)) == Pool::Result::done);
    CHECK(pool.run([&] { ++done; }, std::chrono::seconds(10)) == Pool::Result::done);
    CHECK(done == 3);
}

namespace {

json body_of(const Reply& r) { return json::parse(r.body); }

const char* kDoc = R"({
  "type": "CV", "issuer": {"name": ["Ủy ban nhân dân", "huyện Kbang"], "code": "UBND"},
  "number": 12, "unit": "VP", "date": "2024-05-06", "place": "Kbang", "summary": "Báo cáo kết quả",
  "kinh_gui": ["Ủy ban nhân dân tỉnh Gia Lai"], "body": {"text": "Nội dung báo cáo.\n"},
  "recipients": ["Sở Tài chính"], "archive": "VT", "signature": {"position": "Chủ tịch", "name": "Nguyễn Văn A"}
})";

}  // namespace

TEST_CASE("the service on documents held in memory") {
    fs::path ws = fs::temp_directory_path() / ("vanban-service-test-" + std::to_string(::getpid()));
    fs::create_directories(ws);
    job::Options opts;
    opts.fonts_dir = VANBAN_FONTS_DIR;
    {
        Service svc(ws.string(), opts);
        Upload u;
        u.main = kDoc;
        Reply r = svc.check(u);
        CHECK(r.status == 200);
        json j = body_of(r);
        CHECK(j["ok"] == true);
        CHECK(j["stem"] == "12-ubnd-vp");
        CHECK(j["pages"] == 1);

        r = svc.render(u, "pdf");
        CHECK(r.status == 200);
        CHECK(r.body.substr(0, 5) == "%PDF-");
        CHECK(r.filename == "12-ubnd-vp.pdf");
        CHECK(svc.render(u, "docx").body.substr(0, 2) == "PK");
        CHECK(svc.render(u, "xlsx").status == 422);  // no annex tables
        CHECK(svc.render(u, "odt").status == 400);

        json bad = json::parse(kDoc);
        bad["date"] = "2024-02-30";
        bad["body"] = {{"text", "# Mục\n\n##### quá sâu\n"}};
        u.main = bad.dump();
        r = svc.render(u, "pdf");
        CHECK(r.status == 422);
        j = body_of(r);
        CHECK(j["ok"] == false);
        bool date = false, line = false;
        for (const auto& d : j["diagnostics"]) {
            if (d.value("pointer", "") == "/date" && d["file"] == "document.json") date = true;
            if (d["file"] == "document.json#/body/text" && d["line"] == 3) line = true;
        }
        CHECK(date);
        CHECK(line);

        // A posted document reads nothing from disk, whatever it names.
        json evil = json::parse(kDoc);
        evil["body"] = {{"file", (fs::path(VANBAN_EXAMPLES_DIR) / "long-khanh" / "body.md").string()}};
        u.main = evil.dump();
        r = svc.render(u, "pdf");
        CHECK(r.status == 422);
        evil["body"] = {{"file", "body.md"}};
        u.main = evil.dump();
        u.files["body.md"] = "Nội dung từ tệp gửi kèm.\n";
        CHECK(svc.render(u, "pdf").status == 200);
        CHECK(fs::exists(ws / ".vanban-tmp"));
    }
    CHECK_FALSE(fs::exists(ws / ".vanban-tmp"));  // removed with the service
    fs::remove_all(ws);
}

TEST_CASE("report shape") {
    Diagnostics d;
    d.error("document.json", "/date", Message{"date-format", "bad date"});
    d.add(Diagnostic{"body.md", TextPos{12, 5}, "a warning", Severity::warning, ""});  // no code of its own
    d.error("x.csv", Loc{}, Message{"file-read", "whole file"});
    json j = report_json(d);
    CHECK(j["ok"] == false);
    CHECK(j["diagnostics"][0] == json{{"file", "document.json"}, {"at", "/date"}, {"pointer", "/date"},
                                       {"severity", "error"}, {"code", "date-format"}, {"message", "bad date"}});
    CHECK(j["diagnostics"][1] == json{{"file", "body.md"}, {"at", "12:5"}, {"line", 12}, {"column", 5},
                                       {"severity", "warning"}, {"code", "unclassified"}, {"message", "a warning"}});
    CHECK_FALSE(j["diagnostics"][2].contains("pointer"));
    CHECK_FALSE(j["diagnostics"][2].contains("line"));
}

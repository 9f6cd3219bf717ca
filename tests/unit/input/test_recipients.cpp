// Tests of input/document_input: the "Nơi nhận" lines, the archive line, the
// signer's name and the summary, as a clerk types them.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "input/document_input.hpp"
#include "sources/bundle.hpp"

using namespace vanban;
using nlohmann::json;

namespace {

json base() {
    return json::parse(R"J({
      "type": "KH",
      "issuer": {"name": "Ủy ban nhân dân huyện Kbang", "code": "UBND"},
      "number": 12,
      "date": "2024-04-01",
      "place": "Kbang",
      "summary": "Thực hiện Chương trình giảm nghèo năm 2024",
      "body": {"text": "# Mục tiêu\n\nNội dung."},
      "recipients": ["Sở Tài chính"],
      "archive": "VT",
      "signature": {"position": "Chủ tịch", "name": "Nguyễn Văn Hà"}
    })J");
}

model::Document parse(const json& j, Diagnostics& d) {
    sources::Bundle b;
    b.document.path = "document.json";
    b.document.text = std::make_shared<const std::string>(j.dump());
    b.document.tree = std::make_shared<const json>(j);
    input::LoadOptions opts;
    return input::parse_document(b, opts, d);
}

bool has(const Diagnostics& d, const std::string& at, const std::string& part, Severity s) {
    for (const auto& i : d.items())
        if (i.at.to_string() == at && i.severity == s && i.message.find(part) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("dashes and bullets of any kind are stripped from recipients") {
    json j = base();
    j["recipients"] = {"- Sở Tài chính;", "– Sở Lao động - Thương binh và Xã hội", "— UBND các xã.", "• TT. Huyện ủy",
                       "-– Phòng Nội vụ", "+ Đảng ủy"};
    j["kinh_gui"] = {"– Ủy ban nhân dân tỉnh"};
    Diagnostics d;
    auto doc = parse(j, d);
    INFO(d.to_string());
    CHECK(!d.has_errors());
    CHECK(doc.recipients == std::vector<std::string>{"Sở Tài chính", "Sở Lao động - Thương binh và Xã hội", "UBND các xã",
                                                     "TT. Huyện ủy", "Phòng Nội vụ", "Đảng ủy"});
    CHECK(doc.kinh_gui == std::vector<std::string>{"Ủy ban nhân dân tỉnh"});
}

TEST_CASE("a typed \"Như trên\" is merged with the one \"Kính gửi\" brings") {
    json j = base();
    j["kinh_gui"] = {"Ủy ban nhân dân tỉnh"};
    j["recipients"] = {"- Như trên;", "Sở Tài chính", "như trên"};
    Diagnostics d;
    auto doc = parse(j, d);
    CHECK(doc.recipients == std::vector<std::string>{"Sở Tài chính"});  // printed first, once, by the layout
    j.erase("kinh_gui");
    Diagnostics d2;
    doc = parse(j, d2);
    CHECK(doc.recipients == std::vector<std::string>{"Như trên", "Sở Tài chính"});
    j["recipients"] = {"Sở Tài chính", "Như trên."};
    Diagnostics d3;
    doc = parse(j, d3);
    CHECK(doc.recipients == std::vector<std::string>{"Như trên", "Sở Tài chính"});  // always first
}

TEST_CASE("the archive line: any way of writing it gives \"- Lưu: VT, TH.\"") {
    const std::pair<const char*, const char*> cases[] = {
        {"VT, TH", "VT, TH"},          {"Lưu: VT, TH", "VT, TH"}, {"Lưu VT, TH.", "VT, TH"},
        {"- Lưu: Lưu VT.", "VT"},      {"lưu: VT,TH (VX)", "VT, TH (VX)"}, {"VT, HC (2)", "VT, HC (2)"},
        {"Lưu:VT", "VT"},              {"Lưu trữ", "Lưu trữ"}};
    for (const auto& [typed, archive] : cases) {
        json j = base();
        j["archive"] = typed;
        Diagnostics d;
        auto doc = parse(j, d);
        INFO(typed);
        CHECK(doc.archive == archive);
    }
}

TEST_CASE("a \"Lưu\" line typed among the recipients is merged into the archive line") {
    json j = base();
    j["recipients"] = {"Sở Tài chính", "- Lưu: VT, LĐTBXH."};
    j["archive"] = "VT, TH";
    Diagnostics d;
    auto doc = parse(j, d);
    CHECK(doc.recipients == std::vector<std::string>{"Sở Tài chính"});
    CHECK(doc.archive == "VT, TH, LĐTBXH");
    // It may stand for the archive field.
    j.erase("archive");
    Diagnostics d2;
    doc = parse(j, d2);
    INFO(d2.to_string());
    CHECK(!d2.has_errors());
    CHECK(doc.archive == "VT, LĐTBXH");
    j["recipients"] = {"Sở Tài chính"};
    Diagnostics d3;
    parse(j, d3);
    CHECK(has(d3, "/archive", "missing required field \"archive\"", Severity::error));
}

TEST_CASE("a signer's name without a capital letter is a warning showing the likely form") {
    json j = base();
    j["signature"]["name"] = "nguyễn thị thanh lịch";
    Diagnostics d;
    auto doc = parse(j, d);
    CHECK(doc.signature.name == "nguyễn thị thanh lịch");
    CHECK(has(d, "/signature/name", "did you mean \"Nguyễn Thị Thanh Lịch\"?", Severity::warning));
    CHECK(!d.has_errors());
    j["signature"]["name"] = "Ksor H'Bia";
    Diagnostics ok;
    parse(j, ok);
    CHECK(ok.empty());
}

TEST_CASE("a summary that repeats the type name is a warning") {
    json j = base();
    j["summary"] = "Kế hoạch thực hiện Chương trình giảm nghèo năm 2024";
    Diagnostics d;
    parse(j, d);
    CHECK(has(d, "/summary", "starts with the type name \"Kế hoạch\", which is printed above it (\"KẾ HOẠCH\")",
              Severity::warning));
    CHECK(has(d, "/summary", "\"Thực hiện Chương trình giảm nghèo năm 2024\"", Severity::warning));
    j["summary"] = "Kế hoạch hóa gia đình năm 2024";  // under BÁO CÁO these words repeat nothing
    j["type"] = "BC";
    Diagnostics none;
    parse(j, none);
    CHECK(none.empty());
}

#include <doctest/doctest.h>

#include "input/body_parser.hpp"

using namespace vanban;
using model::BlockKind;

namespace {
std::string text_of(const model::Block& b) {
    std::string s;
    for (const auto& sp : b.text) s += sp.text;
    return s;
}
std::vector<model::Block> parse(const std::string& src, Diagnostics* d = nullptr) {
    Diagnostics local;
    return input::parse_body(src, "body.md", d ? *d : local);
}
}  // namespace

TEST_CASE("outline levels are numbered automatically") {
    auto b = parse("# Mục tiêu\n## Chung\n## Cụ thể\n#### Một\n#### Hai\n# Nội dung\n## Chỉ đạo\n### Sở\n### Huyện\n");
    REQUIRE(b.size() == 9);
    CHECK(b[0].kind == BlockKind::section);
    CHECK(b[0].label == "I.");
    CHECK(b[1].label == "1.");
    CHECK(b[2].label == "2.");
    CHECK(b[3].label == "a)");
    CHECK(b[4].label == "b)");
    CHECK(b[5].label == "II.");
    CHECK(b[6].label == "1.");  // clauses restart in each section
    CHECK(b[7].label == "1.1.");
    CHECK(b[8].label == "1.2.");
    CHECK(text_of(b[0]) == "Mục tiêu");
    CHECK(b[0].titled);
}

TEST_CASE("points follow the Vietnamese alphabet: đ after d, no f") {
    std::string src = "## Khoản\n";
    for (int i = 0; i < 8; ++i) src += "#### Điểm\n";
    auto b = parse(src);
    std::vector<std::string> labels;
    for (std::size_t i = 1; i < b.size(); ++i) labels.push_back(b[i].label);
    CHECK(labels == std::vector<std::string>{"a)", "b)", "c)", "d)", "đ)", "e)", "g)", "h)"});
}

TEST_CASE("inserting a section renumbers everything after it") {
    auto before = parse("# A\n## x\n# B\n## y\n");
    auto after = parse("# A\n## x\n# Mới\n# B\n## y\n");
    CHECK(before[2].label == "II.");
    CHECK(after[2].label == "II.");
    CHECK(after[3].label == "III.");
    CHECK(text_of(after[3]) == "B");
}

TEST_CASE("numbered paragraphs, bullets, paragraphs and continuation lines") {
    auto b = parse("# Mục đích\n##. Phấn đấu đạt\ncác chỉ tiêu.\n##. Thứ hai.\n\n- Gạch một\ntiếp tục\n+ Cộng\n\nĐoạn văn\nhai dòng.\n");
    REQUIRE(b.size() == 6);
    CHECK(b[1].kind == BlockKind::clause);
    CHECK_FALSE(b[1].titled);
    CHECK(b[1].label == "1.");
    CHECK(text_of(b[1]) == "Phấn đấu đạt các chỉ tiêu.");
    CHECK(b[2].label == "2.");
    CHECK(b[3].kind == BlockKind::bullet);
    CHECK(text_of(b[3]) == "Gạch một tiếp tục");
    CHECK(b[4].kind == BlockKind::subbullet);
    CHECK(b[5].kind == BlockKind::paragraph);
    CHECK(text_of(b[5]) == "Đoạn văn hai dòng.");
    CHECK(b[5].line == 10);
}

TEST_CASE("parts restart the sections") {
    auto b = parse("= Chung\n# A\n# B\n= Riêng\n# C\n");
    CHECK(b[0].kind == BlockKind::part);
    CHECK(b[0].label == "Phần I");
    CHECK(b[2].label == "II.");
    CHECK(b[3].label == "Phần II");
    CHECK(b[4].label == "I.");
}

TEST_CASE("inline bold and italic") {
    auto in = input::parse_inlines("a **b** *c* ***d*** e\\*f 2*3");
    REQUIRE(in.size() >= 5);
    CHECK(in[0].text == "a ");
    CHECK(in[1].text == "b");
    CHECK(in[1].bold);
    CHECK_FALSE(in[1].italic);
    CHECK(in[3].text == "c");
    CHECK(in[3].italic);
    CHECK(in[5].text == "d");
    CHECK(in[5].bold);
    CHECK(in[5].italic);
    std::string all;
    for (const auto& s : in) all += s.text;
    CHECK(all == "a b c d e*f 2*3");
}

TEST_CASE("outline errors are located") {
    Diagnostics d;
    parse("# A\n### Lạc\n##### Sâu\n", &d);
    REQUIRE(d.items().size() == 2);
    CHECK(d.items()[0].at.to_string() == "2:1");
    CHECK(d.items()[0].message.find("must follow a clause") != std::string::npos);
    CHECK(d.items()[1].at.to_string() == "3:1");
    CHECK(d.items()[1].file == "body.md");
}

namespace {
/// Parses and checks for typed numbers, as input::parse_document does.
Diagnostics check_typed(const std::string& src, bool strict = true) {
    Diagnostics d;
    auto blocks = input::parse_body(src, "body.md", d);
    input::check_typed_numbers(blocks, "body.md", strict, d);
    return d;
}
}  // namespace

TEST_CASE("a number typed at the start of a heading is reported with the fix") {
    const char* typed[] = {"# I. Mục đích", "## 3. Tổ chức", "### 1.2. Các sở", "### 3.2 Chính sách", "#### a) Tín dụng",
                           "#### đ. Việc làm", "##. 2. Phấn đấu giảm tỷ lệ hộ nghèo", "# IV) Tổ chức"};
    for (const char* line : typed) {
        Diagnostics d = check_typed(std::string("# Mục tiêu\n## Chung\n") + line + "\n");
        INFO(line);
        REQUIRE(d.items().size() == 1);
        CHECK(d.items()[0].severity == Severity::error);
        CHECK(d.items()[0].at.to_string() == "3:1");
        CHECK(d.items()[0].message.find("numbers are computed") != std::string::npos);
        CHECK(d.items()[0].message.find("remove \"") != std::string::npos);
    }
    Diagnostics d = check_typed("# I. Mục đích\n", false);
    REQUIRE(d.items().size() == 1);
    CHECK(d.items()[0].severity == Severity::warning);
    CHECK(d.items()[0].message == "the heading starts with the number \"I.\" typed by hand; remove \"I.\": numbers are "
                                  "computed (it would print \"I. I. …\"); to keep a published number as typed, write [I.]");
    // Figures and words are not outline numbers.
    Diagnostics none = check_typed("# Văn bản\n##. 1.000 hộ được hỗ trợ\n##. 2024. Năm bản lề\n## 5 năm thực hiện\n## A. Phần chung\n"
                             "## C. Ghi chú\n#### ai cũng biết\nI. Một đoạn văn thường\n- 1. gạch đầu dòng\n");
    CHECK(none.empty());
}

TEST_CASE("a published number kept as typed; the next heading continues from it") {
    Diagnostics d;
    CHECK(check_typed("# [I.] Mục tiêu\n## [3.] Tổ chức\n").empty());
    auto b = input::parse_body(
        "# Một\n# Hai\n# [IV.] Bốn\n## Khoản\n### [1.3.] Mục\n### Tiếp\n#### [a.] Điểm\n#### Điểm\n# Năm\n# [V.] Lặp lại\n"
        "# Sáu\n##. [2)] Đoạn\n##. Đoạn\n",
        "body.md", d);
    INFO(d.to_string());
    CHECK(d.empty());
    REQUIRE(b.size() == 13);
    CHECK(b[0].label == "I.");
    CHECK(b[1].label == "II.");
    CHECK(b[2].label == "IV.");
    CHECK(text_of(b[2]) == "Bốn");
    CHECK(b[3].label == "1.");
    CHECK(b[4].label == "1.3.");
    CHECK(b[5].label == "1.4.");
    CHECK(b[6].label == "a.");
    CHECK(b[7].label == "b)");
    CHECK(b[8].label == "V.");
    CHECK(b[9].label == "V.");  // a repeated number, as published
    CHECK(b[10].label == "VI.");
    CHECK(b[11].label == "2)");
    CHECK(!b[11].titled);
    CHECK(b[12].label == "3.");
    // "[[" starts a table reference, not a kept number.
    auto r = input::parse_body("## [[I:total:c1]] hộ\n", "body.md", d);
    CHECK(r[0].label == "1.");
    CHECK(text_of(r[0]) == "[[I:total:c1]] hộ");
}

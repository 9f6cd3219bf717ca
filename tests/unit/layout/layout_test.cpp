#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "layout/bounds.hpp"
#include "layout/compose.hpp"
#include "shipped_fonts.hpp"
#include "layout/linebreak.hpp"
#include "layout/text.hpp"

using namespace vanban;
using namespace vanban::layout;

namespace {

using testing::book;

const std::string kText =
    "Thực hiện Nghị quyết số 24/2021/NQ ngày 28 tháng 7 năm 2021 của Quốc hội phê duyệt chủ trương đầu tư "
    "Chương trình mục tiêu quốc gia (MTQG) giảm nghèo bền vững giai đoạn 2021-2025; Nghị quyết số 05-NQ/TU ngày "
    "12 tháng 4 năm 2017 của Ban Chấp hành Đảng bộ tỉnh Gia Lai về giảm nhanh và bền vững tỷ lệ hộ nghèo trong "
    "đồng bào dân tộc thiểu số giai đoạn 2017-2020 và định hướng đến năm 2025; Kế hoạch số 47-KH/TU, ngày 21 tháng "
    "10 năm 2021 của Tỉnh ủy thực hiện Chỉ thị số 05-CT/TW ngày 23/6/2021 của Ban Bí thư về tăng cường sự lãnh "
    "đạo của Đảng đối với công tác giảm nghèo bền vững đến năm 2030; Quyết định số 728/QĐ-UBND ngày 12 tháng 10 "
    "năm 2017 của UBND tỉnh ban hành Chương trình hành động triển khai thực hiện Nghị quyết số 05-NQ/TU.";

double right_edge(const SetLine& l) { return l.runs.back().x + l.runs.back().width; }

}  // namespace

TEST_CASE("metrics come from the font files") {
    const auto& f = book().face(Face::regular);
    CHECK(f.postscript_name() == "LiberationSerif");
    CHECK(f.has_glyph(U'ệ'));
    CHECK(f.has_glyph(U'Đ'));
    CHECK(f.has_glyph(U'ỹ'));
    CHECK(f.has_glyph(U'₫'));
    CHECK_FALSE(f.has_glyph(U'漢'));
    // Times-compatible widths: "a" is 0.444 em.
    CHECK(f.advance(U'a') == doctest::Approx(0.444).epsilon(0.01));
    CHECK(book().width(Face::bold, 10, "mm") > book().width(Face::regular, 10, "mm"));
}

TEST_CASE("justified lines end flush right within 0.5 pt, the last line does not") {
    for (double width : {300.0, 400.0, 467.7}) {
        auto words = split_words({{kText, false, false}}, 14, book());
        auto lines = set_text(words, width, 28.35, Align::justify, 14);
        REQUIRE(lines.size() > 3);
        for (std::size_t i = 0; i + 1 < lines.size(); ++i) CHECK(std::abs(right_edge(lines[i]) - width) < 0.5);
        CHECK(right_edge(lines.back()) < width - 1);
        CHECK(lines[0].runs.front().x == doctest::Approx(28.35));
        CHECK(lines[1].runs.front().x == doctest::Approx(0));
    }
}

TEST_CASE("document numbers and citations are never broken") {
    auto words = split_words({{kText, false, false}}, 14, book());
    for (double width : {150.0, 200.0, 250.0, 300.0}) {
        auto lines = set_text(words, width, 0, Align::justify, 14);
        std::string all;
        for (const auto& l : lines)
            for (const auto& r : l.runs) {
                // A run holds one word, or words kept together ("số 728/QĐ-UBND", "ngày 12 tháng 10 năm 2017").
                std::string head = r.text.substr(0, r.text.find(' '));
                bool kept = head == "số" || head == "ngày" || head == "tháng" || head == "năm" || (head[0] >= '0' && head[0] <= '9');
                CHECK_MESSAGE((r.text.find(' ') == std::string::npos || kept), r.text);
                all += r.text + "\n";
            }
        for (const char* cite : {"728/QĐ-UBND", "47-KH/TU", "05-NQ/TU", "24/2021/NQ", "05-CT/TW", "23/6/2021"}) {
            bool whole = false;
            for (const char* tail : {"\n", ";\n", ",\n", ".\n"})
                whole = whole || all.find(std::string(cite) + tail) != std::string::npos;
            CHECK_MESSAGE(whole, cite);
        }
    }
}

TEST_CASE("total fit is never looser than greedy filling") {
    auto words = split_words({{kText, false, false}}, 14, book());
    std::vector<BreakItem> items;
    for (std::size_t i = 0; i < words.size(); ++i) {
        items.push_back({BreakItem::box, words[i].width});
        if (i + 1 < words.size()) items.push_back({BreakItem::glue, words[i].space, words[i].space * 0.5, words[i].space * 0.33});
    }
    items.push_back({BreakItem::glue, 0, 1e5, 0});
    items.push_back({BreakItem::penalty, 0, 0, 0, -BreakItem::kInf});
    for (double width : {250.0, 330.0, 467.7}) {
        auto best = break_lines(items, width);
        CHECK_FALSE(best.greedy_fallback);
        // Greedy: break as late as possible.
        double worst_greedy = 0, worst_best = 0;
        double w = 0, y = 0;
        std::size_t n = 0;
        for (std::size_t i = 0; i < words.size(); ++i) {
            double add = (n ? words[i - 1].space : 0) + words[i].width;
            if (n && w + add > width) {
                worst_greedy = std::max(worst_greedy, (width - w) / y);
                w = words[i].width;
                y = 0;
                n = 1;
            } else {
                if (n) y += words[i - 1].space * 0.5;
                w += add;
                ++n;
            }
        }
        for (std::size_t i = 0; i + 1 < best.ratios.size(); ++i) {
            CHECK(best.ratios[i] >= -1.0);
            worst_best = std::max(worst_best, best.ratios[i]);
        }
        CHECK(worst_best <= worst_greedy + 1e-9);
    }
}

TEST_CASE("a word longer than the line falls back without losing text") {
    auto words = split_words({{"ngắn Siêudàiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii ngắn", false, false}}, 14, book());
    auto lines = set_text(words, 100, 0, Align::justify, 14);
    std::string all;
    for (const auto& l : lines)
        for (const auto& r : l.runs) all += r.text + " ";
    CHECK(all.find("Siêudà") != std::string::npos);
    CHECK(all.find("ngắn") != std::string::npos);
}

namespace {
model::Document sample(int paragraphs) {
    model::Document d;
    d.type = {"KH", "Kế hoạch", false};
    d.issuer_lines = {"Ủy ban nhân dân", "tỉnh Gia Lai"};
    d.issuer_code = "UBND";
    d.issuer_full_name = "Ủy ban nhân dân tỉnh Gia Lai";
    d.number = 5;
    d.symbol = "KH-UBND";
    d.date = {2024, 1, 5};
    d.place = "Gia Lai";
    d.summary = "Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững năm 2024";
    for (int i = 0; i < paragraphs; ++i) {
        model::Block h;
        h.kind = model::BlockKind::section;
        h.label = std::to_string(i + 1) + ".";
        h.titled = true;
        h.text = {{"Mục số " + std::to_string(i + 1), false, false}};
        d.body.push_back(h);
        model::Block p;
        p.kind = model::BlockKind::paragraph;
        p.text = {{kText, false, false}};
        d.body.push_back(p);
    }
    d.recipients = {"Bộ LĐ-TB&XH", "Thường trực Tỉnh ủy"};
    d.archive = "VT, KTTH";
    d.signature = {{"TM. Ủy ban nhân dân", "KT. Chủ tịch"}, "Phó Chủ tịch", "Nguyễn Thị Thanh Lịch"};
    d.fonts = {VANBAN_FONTS_DIR "/LiberationSerif-Regular.ttf", VANBAN_FONTS_DIR "/LiberationSerif-Bold.ttf",
               VANBAN_FONTS_DIR "/LiberationSerif-Italic.ttf", VANBAN_FONTS_DIR "/LiberationSerif-BoldItalic.ttf", {}};
    return d;
}

std::string line_text(const Line& l) {
    std::string s;
    for (const auto& r : l.runs) s += (s.empty() ? "" : " ") + r.text;
    return s;
}
}  // namespace

resolve::Document resolved(model::Document d) {
    Diagnostics unused;
    return resolve::resolve(std::move(d), true, unused);
}

TEST_CASE("number and date lines follow the decree") {
    auto d = sample(1);
    CHECK(resolved(d).number_line == "Số: 05/KH-UBND");
    CHECK(resolved(d).place_date_line == "Gia Lai, ngày 05 tháng 01 năm 2024");
    CHECK(resolved(d).stem == "05-kh-ubnd");
    d.number.reset();
    CHECK(resolved(d).number_line == "Số:      /KH-UBND");
    CHECK(resolved(d).stem == "du-thao-kh-ubnd");
    d.number = 498;
    CHECK(resolved(d).number_line == "Số: 498/KH-UBND");
}

TEST_CASE("pages: numbers from page 2, closing block with the end of the body, widows and orphans") {
    for (int n : {1, 3, 6, 9, 14}) {
        auto d = sample(n);
        auto paged = compose(resolved(d), book());
        REQUIRE(!paged.pages.empty());
        CHECK(paged.pages[0].number_label.empty());
        for (std::size_t i = 1; i < paged.pages.size(); ++i) {
            CHECK(paged.pages[i].number_label == std::to_string(i + 1));
            CHECK(line_text(paged.pages[i].lines.front()) == std::to_string(i + 1));
        }
        // The signature block's page also holds at least two body lines.
        const Page& last = paged.pages.back();
        int body_lines = 0;
        bool has_sig = false;
        for (const auto& l : last.lines) {
            std::string t = line_text(l);
            if (t == "PHÓ CHỦ TỊCH") has_sig = true;
            if (l.runs.front().size == 14 && l.runs.size() > 3) ++body_lines;
        }
        CHECK(has_sig);
        CHECK(body_lines >= 2);
        // Every line sits inside the page's text area.
        for (const auto& pg : paged.pages)
            for (const auto& l : pg.lines) {
                CHECK(l.y <= pg.height - 20 * 72 / 25.4 + 0.01);
                CHECK(l.runs.back().x + l.runs.back().width <= pg.width - 15 * 72 / 25.4 + 0.5);
            }
        // Headings are never the last line of a page.
        for (std::size_t p = 0; p + 1 < paged.pages.size(); ++p) {
            const auto& lines = paged.pages[p].lines;
            CHECK(line_text(lines.back()).rfind("Mục số", std::string::npos) == std::string::npos);
        }
    }
}

TEST_CASE("upper-casing where the decree requires it") {
    auto d = sample(1);
    auto paged = compose(resolved(d), book());
    std::string all;
    for (const auto& l : paged.pages.back().lines) all += line_text(l) + "\n";
    CHECK(all.find("TM. ỦY BAN NHÂN DÂN\n") != std::string::npos);
    CHECK(all.find("KT. CHỦ TỊCH\n") != std::string::npos);
    CHECK(all.find("Nguyễn Thị Thanh Lịch\n") != std::string::npos);
    CHECK(all.find("- Lưu: VT, KTTH.\n") != std::string::npos);
    CHECK(all.find("- Bộ LĐ-TB&XH;\n") != std::string::npos);
    std::string first;
    for (const auto& l : paged.pages.front().lines) first += line_text(l) + "\n";
    CHECK(first.find("ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\n") != std::string::npos);
}

TEST_CASE("dates, numbers with their codes and article numbers stay on one line") {
    const std::string text =
        "Căn cứ Quyết định số 15/QĐ-UBND ngày 05 tháng 02 năm 2024 của Ủy ban nhân dân tỉnh về việc ban hành quy chế; "
        "các cơ quan thực hiện theo Điều 3. và khoản 2 Điều 12 của Quy chế, Chương IV và Phụ lục II kèm theo.";
    for (double width : {180.0, 200.0, 260.0, 330.0, 400.0}) {
        for (Align a : {Align::justify, Align::left, Align::center}) {
            auto lines = set_text(split_words({{text, false, false}}, 14, book()), width, 0, a, 14);
            std::vector<std::string> texts;
            for (const auto& l : lines) {
                std::string t;
                for (const auto& r : l.runs) t += (t.empty() ? "" : " ") + r.text;
                texts.push_back(t);
            }
            for (const char* whole : {"ngày 05 tháng 02 năm 2024", "số 15/QĐ-UBND", "Điều 3.", "Điều 12", "khoản 2",
                                      "Chương IV", "lục II"}) {
                bool found = false;
                for (const auto& t : texts) found = found || t.find(whole) != std::string::npos;
                const std::string where = std::string(whole) + " at width " + std::to_string(width);
                INFO(where);
                CHECK(found);
            }
        }
    }
}

TEST_CASE("centred titles break between words into balanced lines, no syllable left alone") {
    auto set = [](const std::string& text, double width) {
        std::vector<std::string> out;
        for (const auto& l : set_text(split_words({{text, true, false}}, 14, book()), width, 0, Align::center, 14)) {
            std::string t;
            for (const auto& r : l.runs) t += (t.empty() ? "" : " ") + r.text;
            out.push_back(t);
        }
        return out;
    };
    // "rà soát" and "chương trình" are words: never split when another break will do.
    auto a = set("Về việc rà soát, đánh giá kết quả thực hiện chương trình mục tiêu quốc gia năm 2024", 330);
    REQUIRE(a.size() == 2);
    for (const auto& l : a) {
        CHECK(l.rfind("soát", 0) != 0);
        CHECK(l.rfind("trình", 0) != 0);
        CHECK(l.find(' ') != std::string::npos);
    }
    auto b = set("KẾ HOẠCH TRIỂN KHAI THỰC HIỆN CÁC CHƯƠNG TRÌNH", 300);
    REQUIRE(b.size() == 2);
    CHECK(b.back() != "TRÌNH");
    CHECK(b.back().find("CHƯƠNG TRÌNH") != std::string::npos);
    // Balanced: the two lines differ by far less than a greedy fill would leave.
    auto w = [&](const std::string& s) { return book().width(Face::bold, 14, s); };
    CHECK(std::abs(w(a[0]) - w(a[1])) < 120);
}

TEST_CASE("left-aligned headings are not stretched and keep their last word company") {
    const std::string text = "Phát triển giáo dục nghề nghiệp, hỗ trợ giáo dục cho người nghèo, người cận nghèo";
    auto lines = set_text(split_words({{text, true, false}}, 14, book()), 440, 28, Align::left, 14);
    REQUIRE(lines.size() == 2);
    CHECK(lines[1].runs.size() >= 1);
    std::string last;
    for (const auto& r : lines[1].runs) last += (last.empty() ? "" : " ") + r.text;
    CHECK(last.find(' ') != std::string::npos);
    CHECK(right_edge(lines[0]) < 440 - 1);
}

TEST_CASE("every drawn character is checked against the face it is drawn in") {
    PagedDocument doc;
    doc.fonts = testing::book_ptr();
    doc.pages.resize(2);
    doc.pages[0].lines.push_back({100, {Run{85, Face::bold, 13, "ỦY BAN NHÂN DÂN", 0}}});
    doc.pages[1].lines.push_back({200, {Run{85, Face::regular, 14, "Người tuyết ☃ và ☃", 0},
                                        Run{200, Face::italic, 14, "★", 0}}});
    const auto missing = missing_glyphs(doc);
    REQUIRE(missing.size() == 2);  // each character once per face
    CHECK(missing[0].page == 2);
    CHECK(missing[0].cp == U'☃');
    CHECK(missing[0].face == Face::regular);
    CHECK(missing[0].text == "Người tuyết ☃ và ☃ ★");
    CHECK(missing[1].cp == U'★');
    CHECK(missing[1].face == Face::italic);
    doc.pages[1].lines.clear();
    CHECK(missing_glyphs(doc).empty());
}

TEST_CASE("marks: urgency and secrecy stamps red at their sizes under Số; box 11 and DỰ THẢO in the top margin; footer on page 1") {
    constexpr double mm = 72 / 25.4;
    auto d = sample(6);
    d.marks.secrecy = "TỐI MẬT";
    d.marks.urgency = "THƯỢNG KHẨN";
    d.marks.circulation = "LƯU HÀNH NỘI BỘ";
    d.marks.draft = "DỰ THẢO";
    d.marks.drafter = "PL";
    d.marks.copies = 300;
    d.marks.footer = {"Số 02 Trần Phú, thành phố Pleiku", "ĐT: 0269.3824000"};
    auto r = resolved(d);
    CHECK(r.recipient_lines.back() == "- Lưu: VT, KTTH. PL.(300).");
    auto paged = compose(r, book());
    REQUIRE(paged.pages.size() >= 2);
    const Page& p1 = paged.pages[0];
    auto frame_of = [&](const Page& p, const std::string& text) -> const Frame* {
        for (const auto& l : p.lines)
            if (line_text(l) == text)
                for (const auto& f : p.frames)
                    if (l.y > f.y && l.y < f.y + f.h && l.runs.front().x >= f.x) return &f;
        return nullptr;
    };
    const Frame* sec = frame_of(p1, "TỐI MẬT");
    const Frame* urg = frame_of(p1, "THƯỢNG KHẨN");
    REQUIRE(sec);
    REQUIRE(urg);
    CHECK(sec->w == doctest::Approx(30 * mm));
    CHECK(urg->w == doctest::Approx(40 * mm));
    CHECK(urg->h == doctest::Approx(8 * mm));
    CHECK(sec->color == kStampRed);
    CHECK(urg->color == kStampRed);
    CHECK(sec->x == doctest::Approx(30 * mm));
    CHECK(urg->y > sec->y + sec->h);
    for (const auto& l : p1.lines)
        if (line_text(l) == "THƯỢNG KHẨN") CHECK(l.runs.front().color == kStampRed);
    const Frame* eleven = frame_of(p1, "LƯU HÀNH NỘI BỘ");
    const Frame* draft = frame_of(p1, "DỰ THẢO");
    REQUIRE(eleven);
    REQUIRE(draft);
    CHECK(eleven->y + eleven->h < 20 * mm);
    CHECK(eleven->x > p1.width / 2 - 10);
    CHECK(eleven->color == 0u);
    CHECK(draft->x == doctest::Approx(30 * mm));
    CHECK(draft->y + draft->h < 20 * mm);
    // The footer: page 1 only, its lines under a rule across the text width; the body ends above the rule.
    double rule_y = 0;
    for (const auto& rl : p1.rules)
        if (rl.x1 == doctest::Approx(30 * mm) && rl.x2 == doctest::Approx(p1.width - 15 * mm)) rule_y = rl.y1;
    REQUIRE(rule_y > 700);
    for (const auto& l : p1.lines) {
        std::string t = line_text(l);
        if (t.rfind("Số 02 Trần Phú", 0) == 0 || t.rfind("ĐT:", 0) == 0) {
            CHECK(l.y > rule_y);
            CHECK(l.runs.front().size == 11);
        } else {
            CHECK(l.y < rule_y);
        }
    }
    for (std::size_t i = 1; i < paged.pages.size(); ++i) {
        CHECK(paged.pages[i].frames.empty());
        for (const auto& l : paged.pages[i].lines) CHECK(line_text(l).rfind("Số 02 Trần Phú", 0) == std::string::npos);
    }
}

TEST_CASE("joint document: one signature block per issuer side by side, the lead on the right, names on one row") {
    auto d = sample(1);
    d.joint_signatures = {{{}, "Giám đốc", "Nguyễn Văn A"}, {{"KT. Giám đốc"}, "Phó Giám đốc", "Trần Văn B"},
                          {{}, "Chủ tịch", "Lê Thị C"}};
    d.signature = d.joint_signatures.front();
    auto paged = compose(resolved(d), book());
    const Page& last = paged.pages.back();
    auto find = [&](const std::string& t) -> const Line* {
        for (const auto& l : last.lines)
            if (line_text(l) == t) return &l;
        return nullptr;
    };
    const Line *a = find("Nguyễn Văn A"), *b = find("Trần Văn B"), *c = find("Lê Thị C"), *nn = find("Nơi nhận:");
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    REQUIRE(nn);
    CHECK(a->runs.front().x > b->runs.front().x);  // the lead on the right
    CHECK(b->runs.front().x > c->runs.front().x);  // then leftwards in the order given
    CHECK(a->y == doctest::Approx(b->y));
    CHECK(b->y == doctest::Approx(c->y));
    CHECK(nn->y > a->y);
    CHECK(find("GIÁM ĐỐC")->y == doctest::Approx(find("KT. GIÁM ĐỐC")->y));
}

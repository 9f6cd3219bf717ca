#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <string>

#include "layout/annex.hpp"
#include "shipped_fonts.hpp"
#include "vntext/vntext.hpp"

using namespace vanban;
using namespace vanban::layout;

namespace {

using testing::book;

table::Cell cell(std::string text, std::optional<Decimal> value, table::Align align) {
    table::Cell c;
    c.text = std::move(text);
    c.value = value;
    c.align = align;
    return c;
}

/// A table "TT | Đơn vị | n numeric columns" with `rows` data rows and a total row.
table::ResolvedTable make_table(int rows, int numeric_cols, const std::string& name_prefix = "Xã số") {
    table::ResolvedTable t;
    t.label = "Phụ lục I";
    t.title = "Biểu tổng hợp kết quả";
    t.caption = "(Kèm theo Kế hoạch số 498/KH-UBND ngày 01 tháng 4 năm 2024 của Ủy ban nhân dân tỉnh)";
    t.header_rows = 2;
    t.columns.push_back({"tt", model::ValueFormat::text, 0, table::Align::center});
    t.columns.push_back({"ten", model::ValueFormat::text, 0, table::Align::left});
    t.header.push_back({0, 0, 2, 1, "TT"});
    t.header.push_back({0, 1, 2, 1, "Đơn vị"});
    t.header.push_back({0, 2, 1, numeric_cols, "Kết quả thực hiện năm 2024"});
    t.labels = {"A", "B"};
    for (int c = 0; c < numeric_cols; ++c) {
        t.columns.push_back({"c" + std::to_string(c), model::ValueFormat::integer, 0, table::Align::right});
        t.header.push_back({1, 2 + c, 1, 1, "Chỉ tiêu số " + std::to_string(c + 1)});
        t.labels.push_back(std::to_string(c + 1));
    }
    auto row = [&](table::RowKind kind, std::string tt, std::string name, long long base) {
        table::ResolvedRow r;
        r.kind = kind;
        r.bold = kind != table::RowKind::data;
        r.cells.push_back(cell(tt, std::nullopt, table::Align::center));
        r.cells.push_back(cell(std::move(name), std::nullopt, table::Align::left));
        for (int c = 0; c < numeric_cols; ++c) {
            long long v = base * 37 + c * 1001;
            r.cells.push_back(cell(vntext::format_int(v), Decimal(v), table::Align::right));
        }
        return r;
    };
    t.rows.push_back(row(table::RowKind::total, "", "Tổng cộng", 99999));
    for (int i = 1; i <= rows; ++i) t.rows.push_back(row(table::RowKind::data, std::to_string(i), name_prefix + " " + std::to_string(i), i));
    return t;
}

std::string line_text(const Line& l) {
    std::string s;
    for (const auto& r : l.runs) s += (s.empty() ? "" : " ") + r.text;
    return s;
}

/// Pages [first, first+count) of the annex.
struct Laid {
    PagedDocument doc;
    AnnexLayout res;
};

Laid lay(const table::ResolvedTable& t, AnnexStyle style = {}) {
    Laid l;
    l.res = compose_annex(t, style, book(), l.doc);
    return l;
}

}  // namespace

TEST_CASE("annex: label, title in upper case, caption, rule, bookmark") {
    auto l = lay(make_table(5, 3));
    REQUIRE(l.res.pages == 1);
    const Page& p = l.doc.pages[0];
    std::vector<std::string> texts;
    for (const auto& ln : p.lines) texts.push_back(line_text(ln));
    REQUIRE(texts.size() > 4);
    CHECK(texts[0] == "Phụ lục I");
    CHECK(p.lines[0].runs[0].face == Face::bold);
    CHECK(p.lines[0].runs[0].size == 14);
    CHECK(texts[1] == "BIỂU TỔNG HỢP KẾT QUẢ");
    CHECK(p.lines[2].runs[0].face == Face::italic);
    CHECK(texts[2].rfind("(Kèm theo Kế hoạch số 498/KH-UBND", 0) == 0);
    // Centred: the label's middle is the text area's middle (30 mm / 15 mm margins).
    const auto& r0 = p.lines[0].runs[0];
    double mid = (30 * 72 / 25.4 + (595.2756 - 15 * 72 / 25.4)) / 2;
    CHECK(std::abs(r0.x + r0.width / 2 - mid) < 0.5);
    REQUIRE(l.doc.bookmarks.size() == 1);
    CHECK(l.doc.bookmarks[0].title == "Phụ lục I. BIỂU TỔNG HỢP KẾT QUẢ");
    CHECK(p.number_label.empty());
}

TEST_CASE("annex: widths fill the text width, numbers are right-aligned, one baseline per row") {
    auto t = make_table(8, 3);
    auto l = lay(t);
    CHECK_FALSE(l.res.landscape);
    double sum = std::accumulate(l.res.column_widths.begin(), l.res.column_widths.end(), 0.0);
    CHECK(sum == doctest::Approx(595.2756 - 45 * 72 / 25.4).epsilon(1e-6));
    const Page& p = l.doc.pages[0];
    // Find the line holding "Xã số 3": every cell of that row sits on its baseline.
    auto it = std::find_if(p.lines.begin(), p.lines.end(), [](const Line& ln) { return line_text(ln) == "Xã số 3"; });
    REQUIRE(it != p.lines.end());
    double base = it->y;
    std::vector<const Run*> same;
    for (const auto& ln : p.lines)
        if (std::abs(ln.y - base) < 0.01)
            for (const auto& r : ln.runs) same.push_back(&r);
    CHECK(same.size() == 2 + 3);
    // Right edges of the numeric cells: column right edge minus the padding, the same for every row.
    std::map<int, std::set<long>> right_edges;  // column -> rounded right edges
    double left = 30 * 72 / 25.4;
    std::vector<double> colx{left};
    for (double w : l.res.column_widths) colx.push_back(colx.back() + w);
    for (const auto& ln : p.lines)
        for (const auto& r : ln.runs)
            for (int c = 2; c < 5; ++c)
                if (r.face != Face::italic && r.x > colx[c] && r.x + r.width < colx[c + 1] &&
                    r.text.find_first_not_of("0123456789.") == std::string::npos)
                    right_edges[c].insert(std::lround((r.x + r.width) * 100));
    for (int c = 2; c < 5; ++c) {
        REQUIRE(right_edges[c].size() == 1);
        CHECK(*right_edges[c].begin() / 100.0 == doctest::Approx(colx[c + 1] - 3.0).epsilon(1e-4));
    }
}

TEST_CASE("annex: long tables repeat the header, never split a row, and number their own pages") {
    auto t = make_table(120, 4);
    PagedDocument doc;
    doc.pages.resize(3);  // pages of the main text before the annex
    AnnexStyle style;
    auto res = compose_annex(t, style, book(), doc);
    CHECK(res.first_page == 3);
    REQUIRE(res.pages >= 3);
    CHECK(int(doc.pages.size()) == 3 + res.pages);
    std::set<std::string> seen_rows;
    for (int i = 0; i < res.pages; ++i) {
        const Page& p = doc.pages[std::size_t(3 + i)];
        int header_hits = 0, label_rows = 0;
        for (const auto& ln : p.lines) {
            std::string s = line_text(ln);
            if (s == "Đơn vị") ++header_hits;
            if (s == "A" && ln.runs[0].face == Face::italic) ++label_rows;
            if (s.rfind("Xã số ", 0) == 0) {
                CHECK(seen_rows.insert(s).second);  // each row once, on one page
                CHECK(ln.y < p.height - 20 * 72 / 25.4);
            }
        }
        CHECK(header_hits == 1);
        CHECK(label_rows == 1);
        if (i == 0) CHECK(p.number_label.empty());
        else CHECK(p.number_label == std::to_string(i + 1));
        // Every rule stays inside the page.
        for (const auto& r : p.rules) {
            CHECK(r.y1 >= 0);
            CHECK(r.y2 <= p.height - 20 * 72 / 25.4 + 0.01);
        }
    }
    CHECK(seen_rows.size() == 120);
    // The last page carries at least two rows.
    int last_rows = 0;
    for (const auto& ln : doc.pages.back().lines)
        if (line_text(ln).rfind("Xã số ", 0) == 0) ++last_rows;
    CHECK(last_rows >= 2);
}

TEST_CASE("annex: a wide table turns landscape; a declared orientation is kept") {
    auto wide = make_table(4, 11);
    auto l = lay(wide);
    CHECK(l.res.landscape);
    CHECK(l.doc.pages[0].width == doctest::Approx(841.8898));
    double sum = std::accumulate(l.res.column_widths.begin(), l.res.column_widths.end(), 0.0);
    // Landscape margins are the portrait ones turned with the sheet: left = bottom (20), right = top (20).
    CHECK(sum == doctest::Approx(841.8898 - 40 * 72 / 25.4).epsilon(1e-6));

    auto narrow = make_table(4, 2);
    CHECK_FALSE(lay(narrow).res.landscape);
    narrow.orientation = model::Orientation::landscape;
    CHECK(lay(narrow).res.landscape);
    wide.orientation = model::Orientation::portrait;
    auto forced = lay(wide);
    CHECK_FALSE(forced.res.landscape);
    CHECK(forced.res.cell_size < 12);  // smaller type instead of turning the page
}

TEST_CASE("annex: long text cells wrap inside their column; hints set relative widths") {
    auto t = make_table(3, 2, "Xã có tên rất dài để kiểm tra việc xuống dòng trong ô của bảng phụ lục số");
    t.columns[0].width = 1;
    t.columns[1].width = 2;
    auto l = lay(t);
    const auto& w = l.res.column_widths;
    CHECK(w[1] == doctest::Approx(2 * w[0]).epsilon(0.01));
    double left = 30 * 72 / 25.4;
    double x1 = left + w[0], x2 = x1 + w[1];
    int wrapped = 0;
    double label_y = 0;  // the column-label row: the body starts below it
    for (const auto& ln : l.doc.pages[0].lines)
        if (line_text(ln) == "B" && ln.runs[0].face == Face::italic) label_y = ln.y;
    REQUIRE(label_y > 0);
    for (const auto& ln : l.doc.pages[0].lines)
        for (const auto& r : ln.runs)
            if (ln.y > label_y)
            if (r.x >= x1 && r.x < x2) {
                CHECK(r.x + r.width <= x2 - 3.0 + 0.01);
                if (r.text.find("bảng") != std::string::npos) ++wrapped;
            }
    CHECK(wrapped == 3);  // the tail of each long name sits on a following line of its cell
}

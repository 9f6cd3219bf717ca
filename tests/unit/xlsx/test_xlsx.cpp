// Tests of xlsx/: the workbook's XML (formulas with cached values, print
// setup, merges, frozen panes, number formats), reproducibility and locale.
#include <doctest/doctest.h>

#include <charconv>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include "../table/fixtures.hpp"
#include "table/engine.hpp"
#include "xlsx/xlsx.hpp"
#include "core/i18n.hpp"

using namespace vanban;
using namespace vanban::testing;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("vanban-xlsx-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    static int& counter() {
        static int n = 0;
        return n;
    }
};

std::string run(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    return out;
}

std::string unzip(const fs::path& file, const std::string& member) {
    return run("unzip -p '" + file.string() + "' '" + member + "'");
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

/// The formula and the cached value of cell `ref` ("E9") in a sheet's XML.
struct CellXml {
    std::string formula, value;
};
CellXml cell_xml(const std::string& ws, const std::string& ref) {
    CellXml out;
    auto at = ws.find("<c r=\"" + ref + "\"");
    if (at == std::string::npos) return out;
    auto end = ws.find("</c>", at);
    std::string c = ws.substr(at, end == std::string::npos ? std::string::npos : end - at);
    auto tag = [&](const std::string& name) {
        auto a = c.find("<" + name + ">");
        if (a == std::string::npos) return std::string();
        a += name.size() + 2;
        return c.substr(a, c.find("</" + name + ">", a) - a);
    };
    out.formula = tag("f");
    out.value = tag("v");
    return out;
}

/// The cached value is the double nearest to the exact decimal (the writer
/// prints doubles with 16 significant digits, e.g. 8.11 as 8.109999999999999).
bool cached_is(const std::string& ws, const std::string& ref, const std::string& formula, const char* decimal) {
    CellXml c = cell_xml(ws, ref);
    double v = 0;
    auto r = std::from_chars(c.value.data(), c.value.data() + c.value.size(), v);
    bool ok = c.formula == formula && r.ec == std::errc() && r.ptr == c.value.data() + c.value.size() &&
              v == Decimal::parse(decimal)->to_double();
    if (!ok) MESSAGE(ref << ": <f>" << c.formula << "</f><v>" << c.value << "</v>");
    return ok;
}

table::ResolvedTable gia_lai_table() {
    Diagnostics d;
    auto t = table::resolve(gia_lai(), d);
    REQUIRE(d.empty());
    return t;
}

xlsx::WorkbookMeta meta() {
    xlsx::WorkbookMeta m;
    m.title = "Kế hoạch thực hiện Chương trình MTQG giảm nghèo bền vững năm 2024";
    m.author = "Ủy ban nhân dân tỉnh Gia Lai";
    m.year = 2023;
    m.month = 12;
    m.day = 29;
    return m;
}

}  // namespace

TEST_CASE("unzip is available") { CHECK(run("command -v unzip") != ""); }

TEST_CASE("Gia Lai sheet: formulas with cached values, formats, merges, print setup") {
    TempDir dir;
    auto t = gia_lai_table();
    t.label = "Phụ lục";
    t.sheet_name = "Chỉ tiêu giảm nghèo 2024";
    t.caption = "(Kèm theo Kế hoạch số      /KH-UBND ngày      /12/2023 của UBND tỉnh)";
    fs::path file = dir.path / "annex.xlsx";
    xlsx::write_workbook(file.string(), {t}, meta());
    REQUIRE(fs::exists(file));

    std::string ws = unzip(file, "xl/worksheets/sheet1.xml");
    REQUIRE(!ws.empty());
    // Rows: 1 label, 2 title, 3 caption, 4 blank, 5-7 header, 8 labels, 9 total, 10-26 districts.
    CHECK(contains(ws, "<f>SUM(C10:C26)</f><v>388231</v>"));
    CHECK(contains(ws, "<f>SUM(D10:D26)</f><v>31502</v>"));
    CHECK(cached_is(ws, "E9", "IFERROR(ROUND(D9/C9*100,2),\"-\")", "8.11"));
    CHECK(cached_is(ws, "E10", "IFERROR(ROUND(D10/C10*100,2),\"-\")", "11.26"));
    CHECK(cached_is(ws, "E11", "IFERROR(ROUND(D11/C11*100,2),\"-\")", "8.26"));
    CHECK(cached_is(ws, "E12", "IFERROR(ROUND(D12/C12*100,2),\"-\")", "1.44"));
    CHECK(cached_is(ws, "E26", "IFERROR(ROUND(D26/C26*100,2),\"-\")", "10.19"));
    CHECK(cached_is(ws, "C10", "", "18286"));
    CHECK(cached_is(ws, "F10", "", "2.68"));
    CHECK(contains(ws, "<c r=\"G9\" s=\""));            // the published 7.449 as a number
    CHECK(contains(ws, "<v>7449</v>"));
    CHECK(!contains(ws, "<v>8,11</v>"));
    // Merges: title/caption across the table, header groups, tall leaf headers.
    CHECK(contains(ws, "<mergeCell ref=\"A2:G2\"/>"));
    CHECK(contains(ws, "<mergeCell ref=\"A3:G3\"/>"));
    CHECK(contains(ws, "<mergeCell ref=\"D5:E5\"/>"));
    CHECK(contains(ws, "<mergeCell ref=\"D6:E6\"/>"));
    CHECK(contains(ws, "<mergeCell ref=\"A5:A7\"/>"));
    CHECK(contains(ws, "<mergeCell ref=\"G5:G7\"/>"));
    // Frozen below the label row; print setup.
    CHECK(contains(ws, "<pane ySplit=\"8\" topLeftCell=\"A9\" activePane=\"bottomLeft\" state=\"frozen\"/>"));
    CHECK(contains(ws, "paperSize=\"9\""));
    CHECK(contains(ws, "orientation=\"portrait\""));
    CHECK(contains(ws, "fitToHeight=\"0\""));
    CHECK(contains(ws, "<pageSetUpPr fitToPage=\"1\"/>"));
    CHECK(contains(ws, "<printOptions horizontalCentered=\"1\"/>"));
    CHECK(contains(ws, "left=\"1.1811"));   // 30 mm
    CHECK(contains(ws, "right=\"0.5905"));  // 15 mm
    CHECK(contains(ws, "&amp;P</oddHeader>"));
    CHECK(contains(ws, "<col min=\"2\" max=\"2\" width=\"21"));  // fitted to "Tổng cộng toàn tỉnh"

    std::string wb = unzip(file, "xl/workbook.xml");
    CHECK(contains(wb, "<sheet name=\"Chỉ tiêu giảm nghèo 2024\""));
    CHECK(contains(wb, "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'Chỉ tiêu giảm nghèo 2024'!$5:$8</definedName>"));

    std::string styles = unzip(file, "xl/styles.xml");
    CHECK(contains(styles, "formatCode=\"#,##0.00\""));
    CHECK(contains(styles, "<name val=\"Times New Roman\"/>"));

    std::string core = unzip(file, "docProps/core.xml");
    CHECK(contains(core, "<dc:title>Kế hoạch thực hiện Chương trình MTQG giảm nghèo bền vững năm 2024</dc:title>"));
    CHECK(contains(core, "<dc:creator>Ủy ban nhân dân tỉnh Gia Lai</dc:creator>"));
    CHECK(contains(core, "2023-12-29T00:00:00Z"));

    std::string strings = unzip(file, "xl/sharedStrings.xml");
    CHECK(contains(strings, "BIỂU TỔNG HỢP CHỈ TIÊU GIẢM NGHÈO NĂM 2024"));
    CHECK(contains(strings, "Kết quả rà soát cuối năm 2023"));
    CHECK(contains(strings, "3=2/1"));
    CHECK(contains(strings, "Huyện Đức Cơ"));
}

TEST_CASE("identical input gives byte-identical files") {
    TempDir dir;
    auto t = gia_lai_table();
    xlsx::write_workbook((dir.path / "a.xlsx").string(), {t}, meta());
    xlsx::write_workbook((dir.path / "b.xlsx").string(), {t}, meta());
    std::string a = slurp(dir.path / "a.xlsx"), b = slurp(dir.path / "b.xlsx");
    CHECK(!a.empty());
    CHECK(a == b);
    // Nothing but the two outputs is left in the folder.
    int files = 0;
    for (const auto& e : fs::directory_iterator(dir.path)) {
        (void)e;
        ++files;
    }
    CHECK(files == 2);
}

TEST_CASE("wide tables print landscape with rotated margins; '-' results cached as text") {
    TempDir dir;
    model::Annex a;
    a.title = "Bảng rộng";
    a.orientation = model::Orientation::landscape;
    a.table.columns = {col("n", "N", "1", ValueFormat::integer), col("k", "K", "2", ValueFormat::integer),
                       col("r", "R", "3=2/1", ValueFormat::percent, 2, "k / n * 100")};
    a.table.rows = {row("/rows/0", {{"n", "0"}, {"k", "5"}})};
    Diagnostics d;
    auto t = table::resolve(a, d);
    REQUIRE(d.empty());
    fs::path file = dir.path / "wide.xlsx";
    xlsx::write_workbook(file.string(), {t}, meta());
    std::string ws = unzip(file, "xl/worksheets/sheet1.xml");
    CHECK(contains(ws, "orientation=\"landscape\""));
    CHECK(contains(ws, "top=\"1.1811"));  // the portrait left margin, rotated
    CHECK(contains(ws, "t=\"str\""));
    CHECK(contains(ws, "<f>IFERROR(ROUND(B5/A5*100,2),\"-\")</f><v>-</v>"));
}

TEST_CASE("unknown cells are empty in the workbook, and formulas over them give \"\"") {
    TempDir dir;
    model::Annex a;
    a.title = "Bảng có ô chưa biết";
    a.table.columns = {col("n", "N", "1", ValueFormat::integer), col("k", "K", "2", ValueFormat::integer),
                       col("s", "S", "3=1+2", ValueFormat::integer, 0, "n + k")};
    a.table.rows = {row("/rows/0", {{"n", "4"}, {"k", "5"}}), row("/rows/1", {{"n", "6"}})};
    model::CellInput unknown;
    unknown.kind = model::CellInput::Kind::null;
    unknown.pointer = "/rows/1/k";
    a.table.rows[1].cells["k"] = unknown;
    a.table.total.present = true;
    a.table.total.at_top = false;
    Diagnostics d;
    auto t = table::resolve(a, d);
    INFO(d.to_string());
    REQUIRE(d.empty());
    fs::path file = dir.path / "unknown.xlsx";
    xlsx::write_workbook(file.string(), {t}, meta());
    std::string ws = unzip(file, "xl/worksheets/sheet1.xml");
    // Rows 5 and 6 hold the data, row 7 the total (title, blank, header, label rows above).
    auto at = ws.find("<c r=\"B6\"");
    REQUIRE(at != std::string::npos);
    CHECK(ws[ws.find('>', at) - 1] == '/');  // an empty cell (its style only), not 0
    CellXml s = cell_xml(ws, "C6");
    CHECK(s.formula == "IF(COUNT(B6)&lt;1,\"\",ROUND(A6+B6,0))");
    CHECK(s.value.empty());
    CHECK(contains(ws, "t=\"str\""));
    CHECK(cell_xml(ws, "B7").formula == "IF(COUNT(B5:B6)&lt;2,\"\",SUM(B5:B6))");
    CHECK(cell_xml(ws, "A7").formula == "SUM(A5:A6)");
    CHECK(cached_is(ws, "A7", "SUM(A5:A6)", "10"));
}

TEST_CASE("sheet names: Vietnamese, at most 31 characters, unique ignoring case") {
    auto t = gia_lai_table();
    std::vector<table::ResolvedTable> ts(5, t);
    ts[0].sheet_name = "Tổng hợp";
    ts[1].sheet_name = "TỔNG HỢP";
    ts[2].sheet_name = "";
    ts[2].label = "";
    ts[3].sheet_name = "Kết quả thực hiện: giảm nghèo [6 tháng] năm 2024 / Kbang";
    ts[4].sheet_name = "'Biểu'";
    auto names = xlsx::sheet_names(ts);
    CHECK(names[0] == "Tổng hợp");
    CHECK(names[1] == "TỔNG HỢP (2)");
    CHECK(names[2] == "BIỂU TỔNG HỢP CHỈ TIÊU GIẢM NGH");  // title cut to 31 characters
    CHECK(names[3] == "Kết quả thực hiện giảm nghèo 6");
    CHECK(names[4] == "Biểu");
    for (const auto& n : names) {
        std::size_t cps = 0;
        for (unsigned char c : n) cps += (c & 0xC0) != 0x80;
        CHECK(cps <= 31);
    }
    TempDir dir;
    xlsx::write_workbook((dir.path / "many.xlsx").string(), ts, meta());
    std::string wb = unzip(dir.path / "many.xlsx", "xl/workbook.xml");
    CHECK(contains(wb, "<sheet name=\"TỔNG HỢP (2)\""));
}

TEST_CASE("no file is left behind on error") {
    TempDir dir;
    fs::path file = dir.path / "missing-folder" / "x.xlsx";
    CHECK_THROWS_AS(xlsx::write_workbook(file.string(), {gia_lai_table()}, meta()), xlsx::XlsxError);
    CHECK(!fs::exists(file));
    CHECK_THROWS_AS(xlsx::write_workbook((dir.path / "y.xlsx").string(), {}, meta()), xlsx::XlsxError);
    CHECK(!fs::exists(dir.path / "y.xlsx"));
}

TEST_CASE("numbers are written with '.' even when the process runs in a Vietnamese locale") {
    TempDir dir;
    // Build a vi_VN locale in a private folder when the system has none.
    std::string locdir = (dir.path / "locales").string();
    fs::create_directories(locdir);
    const char* name = nullptr;
    if (std::setlocale(LC_NUMERIC, "vi_VN.UTF-8")) {
        name = "vi_VN.UTF-8";
    } else if (std::system(("localedef -i vi_VN -f UTF-8 '" + locdir + "/vi_VN.UTF-8' >/dev/null 2>&1").c_str()) == 0) {
        ::setenv("LOCPATH", locdir.c_str(), 1);
        if (std::setlocale(LC_NUMERIC, "vi_VN.UTF-8")) name = "vi_VN.UTF-8";
    }
    if (!name && std::setlocale(LC_NUMERIC, "de_DE.UTF-8")) name = "de_DE.UTF-8";
    if (name) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f", 8.11);
        CHECK(std::string(buf) == "8,11");  // the locale is really in force
    } else {
        MESSAGE("no comma-decimal locale could be made; checking the XML only");
    }
    fs::path file = dir.path / "vi.xlsx";
    xlsx::write_workbook(file.string(), {gia_lai_table()}, meta());
    std::setlocale(LC_NUMERIC, "C");
    ::unsetenv("LOCPATH");
    std::string ws = unzip(file, "xl/worksheets/sheet1.xml");
    CHECK(cached_is(ws, "E7", "IFERROR(ROUND(D7/C7*100,2),\"-\")", "8.11"));
    CHECK(cached_is(ws, "E8", "IFERROR(ROUND(D8/C8*100,2),\"-\")", "11.26"));
    CHECK(cached_is(ws, "F8", "", "2.68"));
    CHECK(!contains(ws, "<v>8,1"));
    CHECK(!contains(ws, "width=\"21,"));
    CHECK(contains(ws, "left=\"1.1811"));
}

TEST_CASE("the workbook writer's errors are in the language of the messages") {
    TempDir dir;
    fs::path file = dir.path / "missing-folder" / "x.xlsx";
    vanban::LanguageScope vi(vanban::Lang::vi);
    try {
        xlsx::write_workbook(file.string(), {gia_lai_table()}, meta());
        FAIL("expected an XlsxError");
    } catch (const xlsx::XlsxError& e) {
        CHECK(std::string(e.what()) == "không ghi được " + file.string() + ": không có thư mục " + file.parent_path().string());
    }
}

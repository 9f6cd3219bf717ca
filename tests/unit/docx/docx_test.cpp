// docx: the XML writer, annex tables with merged header cells, determinism.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "docx/docx.hpp"
#include "docx/package.hpp"
#include "docx/xml.hpp"
#include "core/i18n.hpp"

using namespace vanban;

namespace {

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
}

table::ResolvedTable two_level_table() {
    table::ResolvedTable t;
    t.title = "Kết quả";
    t.columns.resize(4);
    t.header_rows = 2;
    t.header = {{0, 0, 2, 1, "TT"}, {0, 1, 2, 1, "Đơn vị"}, {0, 2, 1, 2, "Hộ nghèo"}, {1, 2, 1, 1, "Số hộ"}, {1, 3, 1, 1, "Tỷ lệ (%)"}};
    t.labels = {"A", "B", "1", "2"};
    table::ResolvedRow r;
    r.cells = {{"1"}, {"Xã A & B <mới>"}, {"1.234"}, {"8,11"}};
    r.cells[2].align = r.cells[3].align = table::Align::right;
    t.rows = {r};
    return t;
}

}  // namespace

TEST_CASE("escape: markup characters and forbidden control characters") {
    CHECK(docx::escape("a & b < c > \"d\"") == "a &amp; b &lt; c &gt; &quot;d&quot;");
    CHECK(docx::escape(std::string("x\x01y\tz\n", 6)) == "xy\tz\n");
    CHECK(docx::escape("Ủy ban nhân dân") == "Ủy ban nhân dân");
}

TEST_CASE("Xml: empty elements, attributes, nesting, fragments") {
    docx::Xml x(false);
    x.open("w:p").attr("w:rsid", "a\"b").open("w:r").leaf("w:b").open("w:t").text("1 < 2").close().close().close();
    CHECK(x.str() == "<w:p w:rsid=\"a&quot;b\"><w:r><w:b/><w:t>1 &lt; 2</w:t></w:r></w:p>");
    docx::Xml unclosed;
    unclosed.open("w:body");
    CHECK_THROWS(unclosed.str());
    CHECK(docx::Xml().open("a").close().str().rfind("<?xml version=\"1.0\"", 0) == 0);
}

TEST_CASE("annex table: merged header cells, repeated header rows, right-aligned numbers") {
    docx::AnnexFacts f;
    f.column_widths = {30, 200, 100, 100};
    f.cell_size = 11;
    std::string xml = docx::annex_table_xml(two_level_table(), f);
    CHECK(count(xml, "<w:tr>") == 4);                     // 2 header rows, labels, 1 body row
    CHECK(count(xml, "<w:tblHeader/>") == 3);             // header rows and the label row repeat
    CHECK(count(xml, "<w:vMerge w:val=\"restart\"/>") == 2);  // TT and Đơn vị span two rows
    CHECK(count(xml, "<w:vMerge/>") == 2);                // … continued in the second row
    CHECK(count(xml, "<w:gridSpan w:val=\"2\"/>") == 1);  // "Hộ nghèo" over two columns
    CHECK(xml.find("<w:tcW w:w=\"4000\" w:type=\"dxa\"/><w:gridSpan w:val=\"2\"/>") != std::string::npos);
    CHECK(xml.find("Xã A &amp; B &lt;mới&gt;") != std::string::npos);
    CHECK(xml.find("<w:jc w:val=\"right\"/>") != std::string::npos);
    CHECK(count(xml, "<w:gridCol ") == 4);
}

TEST_CASE("package: the same parts give the same bytes, entries in the order given") {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / "vanban-docx-unit";
    fs::create_directories(dir);
    std::vector<docx::Part> parts = {{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", std::string(5000, 'a')}};
    docx::write_package((dir / "a.docx").string(), parts, {2024, 4, 1});
    docx::write_package((dir / "b.docx").string(), parts, {2024, 4, 1});
    auto bytes = [](const fs::path& p) {
        std::ifstream f(p, std::ios::binary);
        std::stringstream s;
        s << f.rdbuf();
        return s.str();
    };
    std::string a = bytes(dir / "a.docx");
    CHECK(a == bytes(dir / "b.docx"));
    CHECK(a.find("[Content_Types].xml") < a.find("word/document.xml"));
    docx::write_package((dir / "c.docx").string(), parts, {2024, 4, 2});
    CHECK(a != bytes(dir / "c.docx"));  // the date is the document's, stored as given
    for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("package: the writer's errors are in the language of the messages") {
    namespace fs = std::filesystem;
    const fs::path target = fs::temp_directory_path() / "vanban-docx-unit-missing" / "x.docx";
    vanban::LanguageScope vi(vanban::Lang::vi);
    try {
        docx::write_package(target.string(), {{"[Content_Types].xml", "<Types/>"}}, {2024, 4, 1});
        FAIL("expected a PackageError");
    } catch (const std::exception& e) {
        const std::string what = e.what();
        INFO(what);
        // libzip creates the file when it closes the archive: writing it fails.
        CHECK(what.rfind("không ghi được " + target.parent_path().string() + "/.x.docx.tmp-", 0) == 0);
    }
}

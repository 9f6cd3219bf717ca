// Tests for pdf/: renders hand-built PagedDocuments and inspects the files with
// poppler-utils (pdftotext, pdffonts, pdfinfo) and qpdf.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "font/font.hpp"
#include "pdf/pdf_writer.hpp"
#include "core/i18n.hpp"

namespace fs = std::filesystem;
using namespace vanban;

namespace {

const std::string kFonts = VANBAN_FONTS_DIR;

std::array<std::string, 4> liberation() {
    return {kFonts + "/LiberationSerif-Regular.ttf", kFonts + "/LiberationSerif-Bold.ttf",
            kFonts + "/LiberationSerif-Italic.ttf", kFonts + "/LiberationSerif-BoldItalic.ttf"};
}

std::shared_ptr<const std::string> read_shared(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return std::make_shared<const std::string>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// A font book of the given files (a file named twice is loaded once).
std::shared_ptr<const font::FontBook> book_of(const std::array<std::string, 4>& files) {
    std::array<std::shared_ptr<const font::FontFace>, 4> faces;
    for (std::size_t i = 0; i < 4; ++i) {
        for (std::size_t j = 0; j < i && !faces[i]; ++j)
            if (files[j] == files[i]) faces[i] = faces[j];
        if (!faces[i]) faces[i] = std::make_shared<const font::FontFace>(read_shared(files[i]), files[i]);
    }
    return std::make_shared<const font::FontBook>(faces);
}

std::shared_ptr<const font::FontBook> liberation_book() {
    static const auto book = book_of(liberation());
    return book;
}

/// A fresh, empty folder under the system temp dir, removed at scope exit.
struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name) {
        path = fs::temp_directory_path() / ("vanban-pdf-" + name + "-" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string run(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    return out;
}

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string squeeze_spaces(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == ' ' && !out.empty() && out.back() == ' ') continue;
        out += c;
    }
    return out;
}

std::vector<std::string> split_lines(const std::string& s) {
    std::vector<std::string> lines;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
}

std::size_t utf8_length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

/// One line; several runs are laid out left to right with a rough width estimate.
layout::Line line(double y, double x, layout::Face face, double size, const std::vector<std::string>& words) {
    layout::Line l;
    l.y = y;
    for (const std::string& w : words) {
        layout::Run r;
        r.x = x;
        r.face = face;
        r.size = size;
        r.text = w;
        r.width = static_cast<double>(utf8_length(w)) * size * 0.75;
        x += r.width + size * 0.5;
        l.runs.push_back(r);
    }
    return l;
}

layout::PagedDocument sample_document() {
    using layout::Face;
    layout::PagedDocument doc;
    doc.fonts = liberation_book();
    doc.meta.title = "Kế hoạch 498/KH-UBND";
    doc.meta.author = "Ủy ban nhân dân huyện Đak Pơ";
    doc.meta.subject = "Triển khai công tác chuyển đổi số năm 2024";
    doc.meta.keywords = "498/KH-UBND";
    doc.meta.date = "2024-04-01";

    layout::Page p1;  // A4 portrait
    p1.lines.push_back(line(70, 60, Face::regular, 13, {"ỦY BAN NHÂN DÂN"}));
    p1.lines.push_back(line(86, 70, Face::bold, 13, {"HUYỆN ĐAK PƠ"}));
    p1.lines.push_back(line(70, 300, Face::bold, 13, {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}));
    p1.lines.push_back(line(86, 330, Face::bold, 14, {"Độc lập - Tự do - Hạnh phúc"}));
    p1.lines.push_back(line(130, 320, Face::italic, 14, {"Đak Pơ, ngày 05 tháng 01 năm 2024"}));
    p1.lines.push_back(line(200, 85, Face::regular, 14,
                            {"Thực", "hiện", "Kế", "hoạch", "số", "498/KH-UBND", "của", "UBND", "tỉnh;"}));
    layout::Line mixed = line(230, 85, Face::bold, 14, {"Điều 1."});
    layout::Line rest = line(230, 140, Face::regular, 14, {"Phê duyệt danh sách."});
    mixed.runs.push_back(rest.runs.front());
    p1.lines.push_back(mixed);
    p1.lines.push_back(line(700, 85, Face::bold_italic, 12, {"Nơi nhận:"}));
    p1.lines.push_back(line(715, 85, Face::regular, 11, {"- Như trên;"}));
    p1.rules.push_back({95, 90, 165, 90, 0.5});
    p1.rules.push_back({360, 92, 520, 92, 0.75});
    p1.number_label = "";

    layout::Page p2;  // A4 landscape
    p2.width = 841.8898;
    p2.height = 595.2756;
    p2.lines.push_back(line(60, 85, Face::bold, 14, {"Phụ lục"}));
    p2.lines.push_back(line(90, 85, Face::regular, 13, {"Bảng tổng hợp kinh phí (đơn vị: đồng)"}));
    p2.rules.push_back({85, 100, 756, 100, 0.5});
    p2.number_label = "2";

    doc.pages = {p1, p2};
    doc.bookmarks = {{"I. MỤC ĐÍCH, YÊU CẦU", 0, 190}, {"Phụ lục: Bảng tổng hợp", 1, 48}};
    return doc;
}

}  // namespace

TEST_CASE("pdf: Vietnamese text extracts exactly (NFC) with pdftotext") {
    TempDir dir("text");
    const std::string out = dir.file("doc.pdf");
    pdf::write_pdf(sample_document(), out);
    REQUIRE(fs::exists(out));

    const std::string text = run("pdftotext -layout '" + out + "' -");
    for (const char* s : {"ỦY BAN NHÂN DÂN", "HUYỆN ĐAK PƠ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                          "Độc lập - Tự do - Hạnh phúc", "Đak Pơ, ngày 05 tháng 01 năm 2024", "Nơi nhận:",
                          "- Như trên;", "Phụ lục", "Bảng tổng hợp kinh phí (đơn vị: đồng)"}) {
        CHECK_MESSAGE(text.find(s) != std::string::npos, s);
    }
    const std::string squeezed = squeeze_spaces(text);
    CHECK(squeezed.find("Thực hiện Kế hoạch số 498/KH-UBND của UBND tỉnh;") != std::string::npos);
    CHECK(squeezed.find("Điều 1. Phê duyệt danh sách.") != std::string::npos);

    // Two pages, the second one landscape and holding only its own text.
    const std::string page2 = run("pdftotext -f 2 -l 2 '" + out + "' -");
    CHECK(page2.find("Phụ lục") != std::string::npos);
    CHECK(page2.find("ỦY BAN") == std::string::npos);

    // Per-run placement: the bbox of the first word matches the run's x and baseline.
    const std::string bbox = run("pdftotext -bbox -f 1 -l 1 '" + out + "' -");
    CHECK(bbox.find("xMin=\"60.000000\"") != std::string::npos);
}

TEST_CASE("pdf: four subset fonts, embedded, Identity-H, reported from the font itself") {
    TempDir dir("fonts");
    const std::string out = dir.file("doc.pdf");
    const pdf::WriteResult res = pdf::write_pdf(sample_document(), out);

    REQUIRE(res.fonts.size() == 4);
    const auto files = liberation();
    const char* names[] = {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic",
                           "LiberationSerif-BoldItalic"};
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(res.fonts[i].file == files[i]);
        CHECK(res.fonts[i].postscript_name == names[i]);
    }

    const std::vector<std::string> lines = split_lines(run("pdffonts '" + out + "'"));
    REQUIRE(lines.size() == 6);  // two header lines + four fonts
    std::vector<std::string> seen;
    for (std::size_t i = 2; i < lines.size(); ++i) {
        const std::string& l = lines[i];
        INFO(l);
        CHECK(l.find("CID TrueType") != std::string::npos);
        CHECK(l.find("Identity-H") != std::string::npos);
        CHECK(l.find("yes yes yes") != std::string::npos);  // emb, sub, uni
        REQUIRE(l.size() > 7);
        CHECK(l[6] == '+');
        seen.push_back(l.substr(7, l.find(' ') - 7));
    }
    for (const char* n : names) CHECK(std::find(seen.begin(), seen.end(), n) != seen.end());

    // Subsetting keeps the file small (the four full faces weigh over 1.5 MB).
    CHECK(fs::file_size(out) < 120000);
}

TEST_CASE("pdf: qpdf finds no errors") {
    TempDir dir("qpdf");
    const std::string out = dir.file("doc.pdf");
    pdf::write_pdf(sample_document(), out);
    const std::string check = run("qpdf --check '" + out + "'");
    INFO(check);
    CHECK(check.find("No syntax or stream encoding errors found") != std::string::npos);
    CHECK(check.find("WARNING") == std::string::npos);

    // Content streams are compressed.
    const std::string raw = read_bytes(out);
    std::size_t flate = 0;
    for (auto at = raw.find("/FlateDecode"); at != std::string::npos; at = raw.find("/FlateDecode", at + 1)) ++flate;
    CHECK(flate >= 2);
    CHECK(raw.find("> Tj\n") == std::string::npos);
}

TEST_CASE("pdf: document info and page sizes") {
    TempDir dir("info");
    const std::string out = dir.file("doc.pdf");
    pdf::write_pdf(sample_document(), out);
    const std::string info = run("pdfinfo -isodates -f 1 -l 2 '" + out + "'");
    INFO(info);
    CHECK(info.find("Title:           Kế hoạch 498/KH-UBND\n") != std::string::npos);
    CHECK(info.find("Author:          Ủy ban nhân dân huyện Đak Pơ\n") != std::string::npos);
    CHECK(info.find("Subject:         Triển khai công tác chuyển đổi số năm 2024\n") != std::string::npos);
    CHECK(info.find("Keywords:        498/KH-UBND\n") != std::string::npos);
    CHECK(info.find("Creator:         vanban\n") != std::string::npos);
    CHECK(info.find("Producer:        vanban (PoDoFo 0.9.8)\n") != std::string::npos);
    CHECK(info.find("CreationDate:    2024-04-01T00:00:00Z\n") != std::string::npos);
    CHECK(info.find("ModDate:         2024-04-01T00:00:00Z\n") != std::string::npos);
    CHECK(info.find("Pages:           2\n") != std::string::npos);
    CHECK(info.find("Page    1 size:  595.276 x 841.89 pts (A4)") != std::string::npos);
    CHECK(info.find("Page    2 size:  841.89 x 595.276 pts (A4)") != std::string::npos);
}

TEST_CASE("pdf: bookmarks with Vietnamese titles, stored as UTF-16BE text strings") {
    TempDir dir("outline");
    const std::string out = dir.file("doc.pdf");
    pdf::write_pdf(sample_document(), out);

    const std::string json = run("qpdf --json --json-key=outlines '" + out + "'");
    INFO(json);
    const auto first = json.find("\"title\": \"I. MỤC ĐÍCH, YÊU CẦU\"");
    const auto second = json.find("\"title\": \"Phụ lục: Bảng tổng hợp\"");
    CHECK(first != std::string::npos);
    CHECK(second != std::string::npos);
    CHECK(first < second);
    CHECK(json.find("\"destpageposfrom1\": 1") != std::string::npos);
    CHECK(json.find("\"destpageposfrom1\": 2") != std::string::npos);

    // "Phụ lục: ..." as a PDF text string: UTF-16BE with a byte order mark.
    const std::string raw = read_bytes(out);
    CHECK(raw.find(std::string("/Title(\xFE\xFF\x00P\x00h\x1E\xE5", 15)) != std::string::npos);
}

TEST_CASE("pdf: identical input gives byte-identical files, whatever the clock") {
    TempDir dir("determinism");
    const std::string a = dir.file("a.pdf");
    const std::string b = dir.file("b.pdf");
    pdf::write_pdf(sample_document(), a);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    pdf::write_pdf(sample_document(), b);
    const std::string ba = read_bytes(a);
    const std::string bb = read_bytes(b);
    REQUIRE(!ba.empty());
    CHECK(ba.size() == bb.size());
    CHECK(ba == bb);
    CHECK(ba.find("/CreationDate") != std::string::npos);

    // The file identifier follows the content, not only the document info.
    layout::PagedDocument edited = sample_document();
    edited.pages[0].lines[5].runs[0].text = "Căn cứ";
    const std::string c = dir.file("c.pdf");
    pdf::write_pdf(edited, c);
    auto file_id = [](const std::string& bytes) {
        const auto at = bytes.rfind("/ID[<");
        return at == std::string::npos ? std::string() : bytes.substr(at, 4 + 2 * 34 + 1);
    };
    const std::string id_a = file_id(ba);
    const std::string id_c = file_id(read_bytes(c));
    REQUIRE(id_a.size() == 73);
    CHECK(id_a.substr(5, 32) == id_a.substr(39, 32));
    CHECK(id_a != id_c);
}

TEST_CASE("pdf: failures throw and leave no file behind") {
    TempDir dir("failure");

    SUBCASE("missing folder") {
        const std::string out = dir.file("no-such-folder/doc.pdf");
        CHECK_THROWS_AS(pdf::write_pdf(sample_document(), out), std::runtime_error);
        CHECK(!fs::exists(dir.path / "no-such-folder"));
        CHECK(fs::is_empty(dir.path));
    }
    SUBCASE("target is a folder: the temporary file is removed") {
        fs::create_directory(dir.path / "taken.pdf");
        CHECK_THROWS_AS(pdf::write_pdf(sample_document(), dir.file("taken.pdf")), std::runtime_error);
        std::size_t entries = 0;
        for (const auto& e : fs::directory_iterator(dir.path)) {
            (void)e;
            ++entries;
        }
        CHECK(entries == 1);
    }
    SUBCASE("glyph missing from the font") {
        layout::PagedDocument doc = sample_document();
        doc.pages[0].lines.push_back(line(400, 85, layout::Face::regular, 14, {"中文"}));
        try {
            pdf::write_pdf(doc, dir.file("doc.pdf"));
            FAIL("no exception");
        } catch (const std::runtime_error& e) {
            CHECK(std::string(e.what()).find("U+4E2D") != std::string::npos);
        }
        CHECK(fs::is_empty(dir.path));
    }
    SUBCASE("bookmark to a page that does not exist") {
        layout::PagedDocument doc = sample_document();
        doc.bookmarks.push_back({"Ngoài", 5, 0});
        CHECK_THROWS_AS(pdf::write_pdf(doc, dir.file("doc.pdf")), std::runtime_error);
        CHECK(fs::is_empty(dir.path));
    }
    SUBCASE("bad metadata date") {
        layout::PagedDocument doc = sample_document();
        doc.meta.date = "2024-02-30";
        CHECK_THROWS_AS(pdf::write_pdf(doc, dir.file("doc.pdf")), std::runtime_error);
        CHECK(fs::is_empty(dir.path));
    }
    SUBCASE("malformed input") {
        layout::PagedDocument doc = sample_document();
        SUBCASE("invalid UTF-8") { doc.pages[0].lines[0].runs[0].text = "Nơi nh\xE1\xBA"; }
        SUBCASE("NaN position") { doc.pages[1].lines[0].runs[0].x = std::nan(""); }
        SUBCASE("zero font size") { doc.pages[0].lines[1].runs[0].size = 0; }
        SUBCASE("no fonts") { doc.fonts = nullptr; }
        CHECK_THROWS_AS(pdf::write_pdf(doc, dir.file("doc.pdf")), std::runtime_error);
        CHECK(fs::is_empty(dir.path));
    }
    SUBCASE("no pages") {
        layout::PagedDocument doc = sample_document();
        doc.pages.clear();
        doc.bookmarks.clear();
        CHECK_THROWS_AS(pdf::write_pdf(doc, dir.file("doc.pdf")), std::runtime_error);
    }
}

TEST_CASE("pdf: the same file for two faces is embedded once") {
    TempDir dir("shared");
    layout::PagedDocument doc = sample_document();
    auto files = liberation();
    files[3] = files[2];  // bold italic falls back to the italic file
    doc.fonts = book_of(files);
    const pdf::WriteResult res = pdf::write_pdf(doc, dir.file("doc.pdf"));
    REQUIRE(res.fonts.size() == 3);
    CHECK(res.fonts[2].postscript_name == "LiberationSerif-Italic");
    const std::vector<std::string> lines = split_lines(run("pdffonts '" + dir.file("doc.pdf") + "'"));
    CHECK(lines.size() == 5);
    CHECK(run("pdftotext '" + dir.file("doc.pdf") + "' -").find("Nơi nhận:") != std::string::npos);
}

TEST_CASE("pdf: a 15-page document is written in milliseconds") {
    using layout::Face;
    layout::PagedDocument doc;
    doc.fonts = liberation_book();
    doc.meta.title = "Báo cáo";
    doc.meta.date = "2024-01-05";
    const std::vector<std::string> words = {"Ủy", "ban", "nhân", "dân", "huyện", "Đak", "Pơ", "triển", "khai", "việc"};
    for (int p = 0; p < 15; ++p) {
        layout::Page page;
        for (int l = 0; l < 40; ++l) {
            const Face face = static_cast<Face>((p + l) % 4);
            page.lines.push_back(line(60 + l * 18.5, 85, face, 13, words));
        }
        page.rules.push_back({85, 50, 510, 50, 0.5});
        doc.pages.push_back(std::move(page));
        doc.bookmarks.push_back({"Mục " + std::to_string(p + 1), p, 60});
    }

    TempDir dir("perf");
    pdf::write_pdf(doc, dir.file("warm.pdf"));
    constexpr int kRounds = 5;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kRounds; ++i) pdf::write_pdf(doc, dir.file("doc.pdf"));
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / kRounds;
    MESSAGE("15 pages x 40 lines x 10 runs: " << ms << " ms per document, " << fs::file_size(dir.file("doc.pdf"))
                                              << " bytes");
    CHECK(ms < 1000);
    const std::string check = run("qpdf --check '" + dir.file("doc.pdf") + "'");
    CHECK(check.find("No syntax or stream encoding errors found") != std::string::npos);
    CHECK(run("pdfinfo '" + dir.file("doc.pdf") + "'").find("Pages:           15") != std::string::npos);
}

TEST_CASE("pdf: code points sharing a glyph extract as the most used one") {
    // Liberation 1.x (Debian fonts-liberation) draws U+00B7 MIDDLE DOT and U+2219
    // BULLET OPERATOR with one glyph; the ToUnicode map can name only one of them.
    const std::string shared = "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf";
    if (!fs::exists(shared)) {
        MESSAGE("skipped: " << shared << " not installed");
        return;
    }
    layout::PagedDocument doc;
    doc.fonts = book_of({shared, shared, shared, shared});
    layout::Page page;
    page.lines.push_back(line(100, 85, layout::Face::regular, 12, {"one \u00B7 two \u00B7 three \u00B7 four"}));
    page.lines.push_back(line(120, 85, layout::Face::regular, 12, {"five \u2219 six"}));
    doc.pages.push_back(page);

    TempDir dir("shared-glyph");
    pdf::write_pdf(doc, dir.file("doc.pdf"));
    const std::string text = run("pdftotext -raw '" + dir.file("doc.pdf") + "' -");
    INFO(text);
    CHECK(text.find("one \u00B7 two \u00B7 three \u00B7 four") != std::string::npos);
    CHECK(text.find("five \u00B7 six") != std::string::npos);
}

TEST_CASE("pdf: the writer's errors are in the language of the messages") {
    const std::string out = "/nonexistent-vanban-folder/doc.pdf";
    vanban::LanguageScope vi(vanban::Lang::vi);
    try {
        pdf::write_pdf(sample_document(), out);
        FAIL("expected an error");
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        CHECK(what.rfind("không tạo được " + out + ".", 0) == 0);
        CHECK(what.find(": ") != std::string::npos);
    }
}

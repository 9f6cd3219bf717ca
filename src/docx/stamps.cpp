#include "docx/stamps.hpp"

#include <algorithm>
#include <cmath>

#include "docx/docx.hpp"
#include "vntext/vntext.hpp"

namespace vanban::docx {

namespace {

constexpr double kMm = 72.0 / 25.4;
constexpr double kPageW = 595.2756;
const char* const kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const char* const kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

long long tw(double pt) { return std::llround(pt * 20.0); }
long long tw_mm(double mm) { return std::llround(mm * 1440.0 / 25.4); }
std::string half_points(double pt) { return std::to_string(std::max(2LL, std::llround(pt * 2.0))); }

}  // namespace

void fixed_table_props(Xml& x, const CellMargins& m) {
    x.leaf("w:tblLayout", {{"w:type", "fixed"}});
    x.open("w:tblCellMar");
    const std::pair<const char*, long long> sides[] = {{"w:top", m.top}, {"w:left", m.left}, {"w:bottom", m.bottom}, {"w:right", m.right}};
    for (const auto& [side, w] : sides) x.leaf(side, {{"w:w", std::to_string(w)}, {"w:type", "dxa"}});
    x.close();
    x.leaf("w:tblLook", {{"w:val", "0000"}, {"w:firstRow", "0"}, {"w:lastRow", "0"}, {"w:firstColumn", "0"},
                         {"w:lastColumn", "0"}, {"w:noHBand", "1"}, {"w:noVBand", "1"}});
}

double mark_width_mm(const std::string& t) {
    if (t == "HỎA TỐC" || t == "TỐI MẬT") return 30;
    if (t == "THƯỢNG KHẨN" || t == "TUYỆT MẬT") return 40;
    return 20;
}

void stamp_table(Xml& x, const std::vector<Stamp>& stamps, double size, double indent) {
    double total = 0;
    for (const auto& st : stamps) total += st.width;
    x.open("w:tbl").open("w:tblPr");
    x.leaf("w:tblW", {{"w:w", std::to_string(tw(total))}, {"w:type", "dxa"}});
    x.leaf("w:tblInd", {{"w:w", std::to_string(tw(indent))}, {"w:type", "dxa"}});
    fixed_table_props(x);
    x.close();
    x.open("w:tblGrid");
    for (const auto& st : stamps) x.leaf("w:gridCol", {{"w:w", std::to_string(tw(st.width))}});
    x.close();
    x.open("w:tr").open("w:trPr").leaf("w:cantSplit").leaf("w:trHeight", {{"w:val", std::to_string(tw_mm(8))}, {"w:hRule", "exact"}}).close();
    for (const auto& st : stamps) {
        x.open("w:tc").open("w:tcPr");
        x.leaf("w:tcW", {{"w:w", std::to_string(tw(st.width))}, {"w:type", "dxa"}});
        x.open("w:tcBorders");
        for (const char* side : {"w:top", "w:left", "w:bottom", "w:right"}) {
            if (st.text.empty()) x.leaf(side, {{"w:val", "nil"}});
            else x.leaf(side, {{"w:val", "single"}, {"w:sz", "6"}, {"w:space", "0"}, {"w:color", st.color}});
        }
        x.close();
        x.leaf("w:vAlign", {{"w:val", "center"}});
        x.close();
        x.open("w:p").open("w:pPr");
        x.leaf("w:spacing", {{"w:before", "0"}, {"w:after", "0"}, {"w:line", "240"}, {"w:lineRule", "auto"}});
        x.leaf("w:jc", {{"w:val", "center"}});
        x.close();
        if (!st.text.empty()) {
            x.open("w:r").open("w:rPr").leaf("w:b").leaf("w:bCs").leaf("w:color", {{"w:val", st.color}});
            x.leaf("w:sz", {{"w:val", half_points(size)}}).leaf("w:szCs", {{"w:val", half_points(size)}});
            x.close();
            x.open("w:t").attr("xml:space", "preserve").text(st.text).close();
            x.close();
        }
        x.close();  // w:p
        x.close();  // w:tc
    }
    x.close().close();
}

bool has_page_one_header(const model::Document& d) {
    return !d.marks.circulation.empty() || d.marks.recall || !d.marks.draft.empty() || (d.copy && d.copy->electronic);
}

std::string page_one_header_xml(const resolve::Document& r, const Facts& facts) {
    const model::Document& d = r.model;
    // Box 11 (circulation, recall) on the right half, DỰ THẢO over the organisation column, in the
    // top-margin band: one row of stamps in the page header of page 1.
    const double s = d.layout.body_size_pt;
    const double text_w = kPageW - (d.layout.margin_left_mm + d.layout.margin_right_mm) * kMm;
    auto free_w = [&](const std::string& t) { return 0.62 * s * double(vntext::decode(t).size()) + 8 * kMm; };
    std::vector<Stamp> row;
    double used = 0;
    if (!d.marks.draft.empty()) {
        row.push_back({d.marks.draft, free_w(d.marks.draft), "000000"});
        used += row.back().width;
    }
    std::vector<Stamp> eleven;
    if (!d.marks.circulation.empty()) eleven.push_back({d.marks.circulation, free_w(d.marks.circulation), "000000"});
    if (d.marks.recall) eleven.push_back({"TÀI LIỆU THU HỒI", free_w("TÀI LIỆU THU HỒI"), "FF0000"});
    if (!eleven.empty()) {
        double w11 = 0;
        for (const auto& e : eleven) w11 += e.width;
        w11 += double(eleven.size() - 1) * 4 * kMm;
        double x = std::clamp(text_w * 0.7 - w11 / 2, text_w / 2, text_w - w11);
        if (x > used) row.push_back({"", x - used, ""});
        for (std::size_t i = 0; i < eleven.size(); ++i) {
            if (i) row.push_back({"", 4 * kMm, ""});
            row.push_back(eleven[i]);
        }
    }
    // As laid out in the PDF when the layout placed the same stamps (DỰ THẢO first, then box 11, left to right).
    std::vector<Stamp> stamps;
    if (!d.marks.draft.empty()) stamps.push_back({d.marks.draft, 0, "000000"});
    for (const auto& e : eleven) stamps.push_back(e);
    if (facts.top_stamps.size() == stamps.size()) {
        std::vector<Stamp> laid;
        double at = 0;
        for (std::size_t i = 0; i < stamps.size(); ++i) {
            auto [x, w] = facts.top_stamps[i];
            if (x > at + 0.5) laid.push_back({"", x - at, ""});
            laid.push_back({stamps[i].text, w, stamps[i].color});
            at = x + w;
        }
        row = std::move(laid);
    }
    Xml x;
    x.open("w:hdr").attr("xmlns:w", kW).attr("xmlns:r", kR);
    if (d.copy && d.copy->electronic) {
        // An electronic copy (Phụ lục I, Phần II; Mẫu 3.2): its line at the top right, 10 pt, upright, black.
        x.open("w:p").open("w:pPr").leaf("w:pStyle", {{"w:val", "Header"}});
        x.leaf("w:spacing", {{"w:before", "0"}, {"w:after", "0"}}).leaf("w:jc", {{"w:val", "right"}}).close();
        x.open("w:r").open("w:rPr").leaf("w:sz", {{"w:val", "20"}}).leaf("w:szCs", {{"w:val", "20"}}).close();
        x.open("w:t").attr("xml:space", "preserve").text(r.copy_line).close();
        x.close().close();
    }
    // The header starts at the header distance; the stamps sit 11 mm above the text area, as in the PDF.
    if (!row.empty()) stamp_table(x, row, s, 0);
    x.open("w:p").open("w:pPr").leaf("w:pStyle", {{"w:val", "Header"}}).close().close();
    x.close();
    return x.str();
}

std::string page_one_footer_xml(const model::Document& d) {
    // [13]: the address lines at 11 pt under a rule across the text width (the first paragraph's top border).
    Xml x;
    x.open("w:ftr").attr("xmlns:w", kW).attr("xmlns:r", kR);
    for (std::size_t i = 0; i < d.marks.footer.size(); ++i) {
        x.open("w:p").open("w:pPr");
        if (i == 0)
            x.open("w:pBdr").open("w:top").attr("w:val", "single").attr("w:sz", "5").attr("w:space", "1").attr("w:color", "000000").close().close();
        x.leaf("w:spacing", {{"w:before", "0"}, {"w:after", "0"}});
        x.leaf("w:jc", {{"w:val", "left"}});
        x.close();
        x.open("w:r").open("w:rPr").leaf("w:sz", {{"w:val", "22"}}).leaf("w:szCs", {{"w:val", "22"}}).close();
        x.open("w:t").attr("xml:space", "preserve").text(d.marks.footer[i]).close();
        x.close();
        x.close();
    }
    x.close();
    return x.str();
}

std::string blank_footer_xml() {
    Xml x;
    x.open("w:ftr").attr("xmlns:w", kW).attr("xmlns:r", kR);
    x.open("w:p").close();
    x.close();
    return x.str();
}

}  // namespace vanban::docx

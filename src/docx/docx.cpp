#include "docx/docx.hpp"

#include <algorithm>
#include <cmath>

#include "docx/stamps.hpp"
#include "docx/xml.hpp"
#include "vntext/vntext.hpp"

namespace vanban::docx {

namespace {

constexpr double kMm = 72.0 / 25.4;
constexpr double kPageW = 595.2756, kPageH = 841.8898;
// Line height of Times New Roman / Liberation Serif in ems (ascent + descent + gap).
constexpr double kLineEm = 1.149, kAscentEm = 0.891, kDescentEm = 0.216;
// Annex table cell padding, as in the PDF (layout/annex.cpp).
constexpr double kPadX = 3.0, kPadTop = 2.0, kPadBottom = 2.5;

long long tw(double pt) { return std::llround(pt * 20.0); }
long long tw_mm(double mm) { return std::llround(mm * 1440.0 / 25.4); }
std::string half_points(double pt) { return std::to_string(std::max(2LL, std::llround(pt * 2.0))); }

const char* const kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const char* const kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

struct RunFmt {
    bool bold = false, italic = false;
    double size = 0;  ///< pt; 0: the style's
};

struct ParaFmt {
    std::string style;
    bool keep_next = false, keep_lines = false;
    double before = -1, after = -1;  ///< pt; -1: the style's
    double exact_line = 0;           ///< pt; 0: the style's spacing
    bool has_ind = false;
    double ind_left = 0, ind_right = 0, first_line = 0, hanging = 0;
    std::string jc;
    double border_bottom = 0;  ///< pt; 0: none
    double mark_size = 0;      ///< size of the paragraph mark (empty paragraphs)
    std::string sect;          ///< a <w:sectPr> ending the section at this paragraph
};

void rpr(Xml& x, const RunFmt& f) {
    if (!f.bold && !f.italic && f.size <= 0) return;
    x.open("w:rPr");
    if (f.bold) x.leaf("w:b").leaf("w:bCs");
    if (f.italic) x.leaf("w:i").leaf("w:iCs");
    if (f.size > 0) {
        std::string s = half_points(f.size);
        x.leaf("w:sz", {{"w:val", s}}).leaf("w:szCs", {{"w:val", s}});
    }
    x.close();
}

/// One run; '\n' becomes a line break, '\t' a tab.
void run(Xml& x, std::string_view text, const RunFmt& f) {
    x.open("w:r");
    rpr(x, f);
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && text[i] != '\n' && text[i] != '\t') continue;
        if (i > start) x.open("w:t").attr("xml:space", "preserve").text(text.substr(start, i - start)).close();
        if (i < text.size()) x.leaf(text[i] == '\n' ? "w:br" : "w:tab");
        start = i + 1;
    }
    x.close();
}

void ppr(Xml& x, const ParaFmt& p) {
    x.open("w:pPr");
    if (!p.style.empty()) x.leaf("w:pStyle", {{"w:val", p.style}});
    if (p.keep_next) x.leaf("w:keepNext");
    if (p.keep_lines) x.leaf("w:keepLines");
    if (p.border_bottom > 0) {
        x.open("w:pBdr")
            .open("w:bottom")
            .attr("w:val", "single")
            .attr("w:sz", std::max(2LL, std::llround(p.border_bottom * 8)))
            .attr("w:space", "0")
            .attr("w:color", "000000")
            .close()
            .close();
    }
    if (p.before >= 0 || p.after >= 0 || p.exact_line > 0) {
        x.open("w:spacing");
        if (p.before >= 0) x.attr("w:before", tw(p.before));
        if (p.after >= 0) x.attr("w:after", tw(p.after));
        if (p.exact_line > 0) x.attr("w:line", tw(p.exact_line)).attr("w:lineRule", "exact");
        x.close();
    }
    if (p.has_ind) {
        x.open("w:ind").attr("w:left", tw(p.ind_left)).attr("w:right", tw(p.ind_right));
        if (p.hanging > 0) x.attr("w:hanging", tw(p.hanging));
        else x.attr("w:firstLine", tw(p.first_line));
        x.close();
    }
    if (!p.jc.empty()) x.leaf("w:jc", {{"w:val", p.jc}});
    if (p.mark_size > 0) {
        RunFmt m;
        m.size = p.mark_size;
        rpr(x, m);
    }
    if (!p.sect.empty()) x.raw(p.sect);
    x.close();
}

using Runs = std::vector<std::pair<std::string, RunFmt>>;

void para(Xml& x, const ParaFmt& p, const Runs& runs) {
    x.open("w:p");
    ppr(x, p);
    for (const auto& [t, f] : runs)
        if (!t.empty()) run(x, t, f);
    x.close();
}

void para(Xml& x, const ParaFmt& p, const std::string& text, const RunFmt& f) { para(x, p, Runs{{text, f}}); }

/// An empty paragraph 1 pt high whose bottom border is the rule: `length`
/// long, centred in a column `column` wide.
void rule(Xml& x, double column, double length, double before, bool keep_next) {
    ParaFmt p;
    p.keep_next = keep_next;
    p.before = before;
    p.after = 0;
    p.exact_line = 1;
    p.has_ind = true;
    double side = std::max(0.0, (column - length) / 2);
    p.ind_left = p.ind_right = side;
    p.border_bottom = 0.6;
    p.mark_size = 1;
    para(x, p, Runs{});
}

struct Geometry {
    double page_w = kPageW, page_h = kPageH;
    double top = 20, bottom = 20, left = 30, right = 15;  ///< mm
    bool landscape = false;
    double text_width() const { return page_w - (left + right) * kMm; }
};

Geometry portrait(const model::LayoutOptions& lo) {
    Geometry g;
    g.top = lo.margin_top_mm;
    g.bottom = lo.margin_bottom_mm;
    g.left = lo.margin_left_mm;
    g.right = lo.margin_right_mm;
    return g;
}

/// Landscape pages turn the margins with the sheet: the binding edge (left) becomes the top.
Geometry landscape(const model::LayoutOptions& lo) {
    Geometry g;
    g.landscape = true;
    g.page_w = kPageH;
    g.page_h = kPageW;
    g.top = lo.margin_left_mm;
    g.bottom = lo.margin_right_mm;
    g.left = lo.margin_bottom_mm;
    g.right = lo.margin_top_mm;
    return g;
}

/// <w:sectPr>: size, margins, the page-number header from page 2 (titlePg), numbering restarting when asked.
/// Which first-page parts a section refers to: the main text's page 1 may have
/// its own header (box 11, DỰ THẢO) and footer (box 13); when the document has
/// that footer, the other sections name the blank footer (a section without a
/// footer reference would inherit the previous one).
struct PageOneParts {
    bool header_main = false, footer_main = false, footer_blank = false;
};

std::string sect_pr(const Geometry& g, double number_size, bool new_page, bool restart, PageOneParts p1 = {}) {
    Xml x(false);
    x.open("w:sectPr");
    x.leaf("w:headerReference", {{"w:type", "default"}, {"r:id", "rIdHeader"}});
    x.leaf("w:headerReference", {{"w:type", "first"}, {"r:id", p1.header_main ? "rIdHeaderMain" : "rIdHeaderFirst"}});
    if (p1.footer_main || p1.footer_blank) {
        x.leaf("w:footerReference", {{"w:type", "default"}, {"r:id", "rIdFooterBlank"}});
        x.leaf("w:footerReference", {{"w:type", "first"}, {"r:id", p1.footer_main ? "rIdFooterMain" : "rIdFooterBlank"}});
    }
    if (new_page) x.leaf("w:type", {{"w:val", "nextPage"}});
    x.open("w:pgSz").attr("w:w", tw(g.page_w)).attr("w:h", tw(g.page_h));
    if (g.landscape) x.attr("w:orient", "landscape");
    x.close();
    // The page number sits in the middle of the top margin, as in the PDF.
    double top_pt = g.top * kMm;
    double header = std::max(8.0, top_pt / 2 + 0.35 * number_size - kAscentEm * number_size);
    x.open("w:pgMar")
        .attr("w:top", tw_mm(g.top))
        .attr("w:right", tw_mm(g.right))
        .attr("w:bottom", tw_mm(g.bottom))
        .attr("w:left", tw_mm(g.left))
        .attr("w:header", tw(header))
        .attr("w:footer", tw(g.bottom * kMm / 2))
        .attr("w:gutter", "0")
        .close();
    if (restart) x.leaf("w:pgNumType", {{"w:start", "1"}});
    x.leaf("w:titlePg");
    x.close();
    return x.str();
}

/// A borderless table with cell margins 0 (header, signature block).
void plain_table_start(Xml& x, const std::vector<double>& widths) {
    double total = 0;
    for (double w : widths) total += w;
    x.open("w:tbl").open("w:tblPr");
    x.leaf("w:tblW", {{"w:w", std::to_string(tw(total))}, {"w:type", "dxa"}});
    x.leaf("w:tblInd", {{"w:w", "0"}, {"w:type", "dxa"}});
    x.open("w:tblBorders");
    for (const char* side : {"w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"})
        x.leaf(side, {{"w:val", "nil"}});
    x.close();
    fixed_table_props(x);
    x.close();
    x.open("w:tblGrid");
    for (double w : widths) x.leaf("w:gridCol", {{"w:w", std::to_string(tw(w))}});
    x.close();
}

void cell_start(Xml& x, double width, const char* valign = nullptr) {
    x.open("w:tc").open("w:tcPr");
    x.leaf("w:tcW", {{"w:w", std::to_string(tw(width))}, {"w:type", "dxa"}});
    if (valign) x.leaf("w:vAlign", {{"w:val", valign}});
    x.close();
}

void row_start(Xml& x, bool cant_split, bool header = false) {
    x.open("w:tr");
    if (cant_split || header) {
        x.open("w:trPr");
        if (cant_split) x.leaf("w:cantSplit");
        if (header) x.leaf("w:tblHeader");
        x.close();
    }
}

/// Adds "./." after the last sentence of the body (as the PDF does).
void add_closing_mark(model::Inlines& text) {
    for (auto it = text.rbegin(); it != text.rend(); ++it) {
        std::string& s = it->text;
        while (!s.empty() && s.back() == ' ') s.pop_back();
        if (s.empty()) continue;
        auto ends = [&](std::string_view suf) { return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0; };
        if (ends("./.")) return;
        if (ends("/.")) s.insert(s.size() - 2, ".");
        else if (ends(".")) s += "/.";
        else s += "./.";
        return;
    }
}

/// One picture as a DrawingML run: inline in its paragraph, or (`anchor`)
/// floating over the text at (`x`, `y`) from the column's left edge and the
/// paragraph's top, in points.
void picture_run(Xml& x, const Media& m, int id, const std::string& name, double w, double h, bool anchor, double ax = 0,
                 double ay = 0) {
    auto emu = [](double pt) { return std::to_string(std::llround(pt * 12700.0)); };
    x.open("w:r").open("w:drawing");
    if (anchor) {
        x.open("wp:anchor").attr("distT", "0").attr("distB", "0").attr("distL", "0").attr("distR", "0")
            .attr("simplePos", "0").attr("relativeHeight", static_cast<long long>(id)).attr("behindDoc", "0")
            .attr("locked", "0").attr("layoutInCell", "1").attr("allowOverlap", "1");
        x.leaf("wp:simplePos", {{"x", "0"}, {"y", "0"}});
        x.open("wp:positionH").attr("relativeFrom", "column").open("wp:posOffset").text(emu(ax)).close().close();
        x.open("wp:positionV").attr("relativeFrom", "paragraph").open("wp:posOffset").text(emu(ay)).close().close();
    } else {
        x.open("wp:inline").attr("distT", "0").attr("distB", "0").attr("distL", "0").attr("distR", "0");
    }
    x.leaf("wp:extent", {{"cx", emu(w)}, {"cy", emu(h)}});
    x.leaf("wp:effectExtent", {{"l", "0"}, {"t", "0"}, {"r", "0"}, {"b", "0"}});
    if (anchor) x.leaf("wp:wrapNone");
    x.open("wp:docPr").attr("id", static_cast<long long>(id)).attr("name", name).close();
    x.open("a:graphic").attr("xmlns:a", "http://schemas.openxmlformats.org/drawingml/2006/main");
    x.open("a:graphicData").attr("uri", "http://schemas.openxmlformats.org/drawingml/2006/picture");
    x.open("pic:pic").attr("xmlns:pic", "http://schemas.openxmlformats.org/drawingml/2006/picture");
    x.open("pic:nvPicPr");
    x.open("pic:cNvPr").attr("id", static_cast<long long>(id)).attr("name", name).close();
    x.leaf("pic:cNvPicPr");
    x.close();
    x.open("pic:blipFill");
    x.open("a:blip").attr("r:embed", m.rel_id).close();
    x.open("a:stretch").leaf("a:fillRect").close();
    x.close();
    x.open("pic:spPr");
    x.open("a:xfrm").leaf("a:off", {{"x", "0"}, {"y", "0"}}).leaf("a:ext", {{"cx", emu(w)}, {"cy", emu(h)}}).close();
    x.open("a:prstGeom").attr("prst", "rect").leaf("a:avLst").close();
    x.close();
    x.close();  // pic:pic
    x.close();  // a:graphicData
    x.close();  // a:graphic
    x.close();  // wp:inline / wp:anchor
    x.close();  // w:drawing
    x.close();  // w:r
}

class DocumentWriter {
public:
    DocumentWriter(const resolve::Document& r, const Facts& f) : r_(r), d_(r.model), f_(f), g_(portrait(r.model.layout)) {}

    std::string run() {
        x_.open("w:document").attr("xmlns:w", kW).attr("xmlns:r", kR)
            .attr("xmlns:wp", "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing");
        x_.open("w:body");
        header();
        kinh_gui();
        preamble();
        body(d_.body, !r_.basis_lines.empty() || !r_.authority_line.empty() || !r_.operative_word.empty());
        if (d_.joint_signatures.size() >= 2) joint_closing();
        else closing();
        pending_sect_ = sect_pr(g_, d_.layout.page_number_size_pt, false, false, main_sect());
        const auto& lo = d_.layout;
        for (std::size_t i = 0; i < d_.attached.size(); ++i) {
            end_section();
            attached(d_.attached[i], i < r_.attached_notes.size() ? r_.attached_notes[i] : std::string());
            pending_sect_ = sect_pr(portrait(lo), lo.page_number_size_pt, true, true, other_sect());
        }
        for (std::size_t i = 0; i < r_.annexes.size(); ++i) {
            end_section();
            AnnexFacts af = i < f_.annexes.size() ? f_.annexes[i] : AnnexFacts{};
            annex(r_.annexes[i], af);
            pending_sect_ = sect_pr(af.landscape ? landscape(lo) : portrait(lo), lo.page_number_size_pt, true, true, other_sect());
        }
        if (d_.copy && !d_.copy->electronic) {
            // A paper copy: the copy block in a section of its own after the copied document, annexes included.
            end_section();
            copy_block();
            pending_sect_ = sect_pr(portrait(lo), lo.page_number_size_pt, true, true, other_sect());
        }
        ParaFmt last;
        last.exact_line = 1;
        last.before = last.after = 0;
        last.mark_size = 1;
        para(x_, last, Runs{});
        x_.raw(pending_sect_);
        x_.close().close();
        return x_.str();
    }

    /// The empty paragraph, 1 pt high, that ends the previous section (pending_sect_).
    void end_section() {
        ParaFmt end;
        end.exact_line = 1;
        end.before = end.after = 0;
        end.mark_size = 1;
        end.sect = pending_sect_;
        para(x_, end, Runs{});
    }

private:
    double width() const { return g_.text_width(); }
    PageOneParts main_sect() const { return {has_page_one_header(d_), !d_.marks.footer.empty(), false}; }
    PageOneParts other_sect() const { return {false, false, !d_.marks.footer.empty()}; }

    /// [10a]/[10b]: the secrecy and urgency stamps, each a one-cell table of the
    /// stamp's size with a single red border and its text red, bold, centred.
    void left_column_stamps() {
        for (const std::string* t : {&d_.marks.secrecy, &d_.marks.urgency}) {
            if (t->empty()) continue;
            ParaFmt gap;
            gap.before = gap.after = 0;
            gap.exact_line = 3;
            gap.mark_size = 1;
            para(x_, gap, Runs{});
            stamp_table(x_, {{*t, mark_width_mm(*t) * kMm, "FF0000"}}, body_size(), 0);
        }
    }

    /// A joint document's signatures (not regulated: common practice, as in
    /// the PDF): one cell per issuer, the lead issuer's on the right; three
    /// share a row, more go two to a row; "Nơi nhận" under them.
    void joint_closing() {
        const auto& sigs = d_.joint_signatures;
        const double w = width();
        const double s = body_size();
        const std::size_t per_row = sigs.size() == 3 ? 3 : 2;
        const double cw = w / double(per_row);
        plain_table_start(x_, std::vector<double>(per_row, cw));
        ParaFmt sig;
        sig.keep_next = sig.keep_lines = true;
        sig.jc = "center";
        sig.has_ind = true;
        sig.ind_left = sig.ind_right = 3;
        for (std::size_t first = 0; first < sigs.size(); first += per_row) {
            // Headings in one row, names in the next: names on one row as in the PDF.
            std::size_t heads = 0;
            for (std::size_t i = first; i < std::min(sigs.size(), first + per_row); ++i)
                heads = std::max(heads, sigs[i].authority.size() + 1);
            for (int part = 0; part < 2; ++part) {
                row_start(x_, true);
                for (std::size_t col = 0; col < per_row; ++col) {
                    // Column col from the left holds signature first + (per_row - 1 - col).
                    std::size_t i = first + (per_row - 1 - col);
                    cell_start(x_, cw, part == 0 ? "top" : "bottom");
                    ParaFmt p = sig;
                    p.before = part == 0 ? (first == 0 ? d_.layout.paragraph_spacing_pt + 6 : line_h(s)) : line_h(s) * 4.0;
                    if (i >= sigs.size()) {
                        para(x_, p, Runs{});
                    } else if (part == 0) {
                        bool firstp = true;
                        for (const auto& a : sigs[i].authority) {
                            ParaFmt q = p;
                            if (!firstp) q.before = 0;
                            firstp = false;
                            para(x_, q, as_set(vntext::upper(a)), RunFmt{true, false, s});
                        }
                        ParaFmt q = p;
                        if (!firstp) q.before = 0;
                        para(x_, q, as_set(vntext::upper(sigs[i].position)), RunFmt{true, false, s});
                    } else {
                        para(x_, p, as_set(sigs[i].name), RunFmt{true, false, s});
                    }
                    x_.close();
                }
                x_.close();
            }
            (void)heads;
        }
        x_.close();  // w:tbl
        recipients(line_h(12) * 0.5, w * 0.45, r_.recipient_lines);
    }

    /// "Nơi nhận:" (12 pt, bold italic, `before` pt above it) and its lines
    /// (11 pt, "- " hanging, `right` pt from the right edge), kept together.
    void recipients(double before, double right, const std::vector<std::string>& lines) {
        ParaFmt label;
        label.keep_next = label.keep_lines = true;
        label.jc = "left";
        label.before = before;
        para(x_, label, "Nơi nhận:", RunFmt{true, true, 12});
        const double dash = 0.583 * 11;
        ParaFmt item;
        item.keep_next = item.keep_lines = true;
        item.jc = "left";
        item.has_ind = true;
        item.ind_left = dash;
        item.hanging = dash;
        item.ind_right = right;
        for (const auto& r : lines) para(x_, item, r, RunFmt{false, false, 11});
    }
    double body_size() const { return d_.layout.body_size_pt; }

    /// The space above "Số …" (`number_size` pt) and above the place-date line
    /// (`date_size` pt) in two cells of one row, putting them on one baseline:
    /// the smaller line moved down by the difference of the ascents.
    static std::pair<double, double> one_baseline(double number_size, double date_size) {
        return {6 + std::max(0.0, (date_size - number_size) * kAscentEm), 6 + std::max(0.0, (number_size - date_size) * kAscentEm)};
    }
    double line_h(double size) const { return size * kLineEm; }

    /// The header's organisation column (parent, issuer, rule) and national title (motto, rule), as one table row.
    /// A signature line as the PDF sets it: broken at the same places ("\n",
    /// written as <w:br/>) when the PDF sets it on several lines.
    std::string as_set(const std::string& text) const {
        const auto it = f_.signature_breaks.find(text);
        if (it == f_.signature_breaks.end()) return text;
        std::string out;
        for (const auto& l : it->second) (out += out.empty() ? "" : "\n") += l;
        return out;
    }

    /// A centred paragraph kept with the next: the cells of the header and copy tables.
    static ParaFmt centred() {
        ParaFmt c;
        c.jc = "center";
        c.keep_next = true;
        return c;
    }

    /// Opens the row of "Số: …" beside the place-date line (header, copy block):
    /// both on one baseline, the same top with the smaller line moved down by the
    /// difference of the ascents. The number's cell stays open for what follows it.
    void number_row_start(double lw, double number_size, double date_size, const std::string& number) {
        row_start(x_, true);
        cell_start(x_, lw);
        ParaFmt so = centred();
        so.before = one_baseline(number_size, date_size).first;
        para(x_, so, number, RunFmt{false, false, number_size});
    }

    /// Closes the number's cell, writes the place-date cell (italic) and closes the row and table.
    void number_row_end(double rw, double number_size, double date_size, const std::string& place_date) {
        x_.close();
        cell_start(x_, rw);
        ParaFmt pd = centred();
        pd.before = one_baseline(number_size, date_size).second;
        para(x_, pd, place_date, RunFmt{false, true, date_size});
        x_.close();  // w:tc
        x_.close();  // w:tr
        x_.close();  // w:tbl
    }

    void header_columns(double lw, double rw) {
        const double hs = d_.layout.header_size_pt;
        const ParaFmt c = centred();
        row_start(x_, true);
        cell_start(x_, lw);
        RunFmt org{false, false, f_.org_size};
        if (!f_.org_lines.empty()) {  // broken where the PDF breaks them, not where Word would
            for (const auto& [text, bold] : f_.org_lines) {
                org.bold = bold;
                para(x_, c, text, org);
            }
        } else {
            for (const auto& pl : d_.parent_lines) para(x_, c, vntext::upper(pl), org);
            org.bold = true;
            for (const auto& il : d_.issuer_lines) para(x_, c, vntext::upper(il), org);
        }
        rule(x_, lw, f_.issuer_rule > 0 ? f_.issuer_rule : lw / 3, 0, true);
        x_.close();
        cell_start(x_, rw);
        para(x_, c, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", RunFmt{true, false, f_.national_size});
        para(x_, c, "Độc lập - Tự do - Hạnh phúc", RunFmt{true, false, std::min(hs + 1, 14.0)});
        rule(x_, rw, f_.motto_rule > 0 ? f_.motto_rule : 150, 0, true);
        x_.close();
        x_.close();
    }

    /// A text issued by the decision: its title block (no number or date line;
    /// the issuance note under the summary, the rule under the note) and its body.
    void attached(const model::AttachedText& t, const std::string& note) {
        const double w = width();
        double lw = f_.left_column > 0 ? f_.left_column : 0.4 * w;
        plain_table_start(x_, {lw, w - lw});
        header_columns(lw, w - lw);
        x_.close();
        const double ts = body_size();
        ParaFmt c;
        c.jc = "center";
        c.keep_next = true;
        c.before = line_h(ts);
        para(x_, c, vntext::upper(t.type.name), RunFmt{true, false, ts});
        c.before = 0;
        para(x_, c, t.summary, RunFmt{true, false, ts});
        if (!note.empty()) para(x_, c, note, RunFmt{false, true, ts});
        rule(x_, w, f_.summary_rule > 0 ? f_.summary_rule : 120, ts * 0.35 - kDescentEm * ts, true);
        body(t.body, false);
    }

    /// Authority line, legal bases and proposal (italic), operative word.
    void preamble() {
        const double s = body_size();
        ParaFmt c;
        c.jc = "center";
        c.keep_next = true;
        c.after = 0;
        if (!r_.authority_line.empty()) {
            c.before = line_h(s) * d_.layout.line_spacing;
            para(x_, c, r_.authority_line, RunFmt{true, false, s});
        }
        for (std::size_t i = 0; i < r_.basis_lines.size(); ++i) {
            ParaFmt p;
            p.style = "BodyText";
            if (i == 0 && r_.authority_line.empty()) p.before = line_h(s) * d_.layout.line_spacing;
            para(x_, p, r_.basis_lines[i], RunFmt{false, true, 0});
        }
        if (!r_.operative_word.empty()) {
            c.before = d_.layout.paragraph_spacing_pt;
            para(x_, c, r_.operative_word, RunFmt{true, false, s});
        }
    }

    void header() {
        const double w = width();
        double lw = f_.left_column > 0 ? f_.left_column : 0.4 * w;
        double rw = w - lw;
        const double hs = d_.layout.header_size_pt;
        plain_table_start(x_, {lw, rw});
        header_columns(lw, rw);
        number_row_start(lw, hs, f_.date_size, r_.number_line);
        if (d_.type.is_cong_van) {
            ParaFmt vv = centred();
            vv.before = 6;
            vv.has_ind = true;
            vv.ind_left = vv.ind_right = 2;
            para(x_, vv, "V/v " + d_.summary, RunFmt{false, false, std::min(hs, 13.0)});
        }
        if (!d_.marks.secrecy.empty() || !d_.marks.urgency.empty()) {
            left_column_stamps();
            ParaFmt end;
            end.before = end.after = 0;
            end.exact_line = 1;
            end.mark_size = 1;
            para(x_, end, Runs{});  // a cell ends with a paragraph
        }
        // A Biên bản has no place-date line; the cell still holds a paragraph (Word requires one).
        number_row_end(rw, hs, f_.date_size, d_.type.code != "BB" ? r_.place_date_line : std::string());

        if (!d_.type.is_cong_van) {
            const double ts = body_size();
            ParaFmt t;
            t.jc = "center";
            t.keep_next = true;
            t.before = line_h(ts);
            para(x_, t, vntext::upper(d_.type.name), RunFmt{true, false, ts});
            ParaFmt s = t;
            s.before = 0;
            s.has_ind = true;
            s.ind_left = s.ind_right = w * 0.075;
            if (!d_.summary.empty()) para(x_, s, d_.summary, RunFmt{true, false, ts});
            rule(x_, w, f_.summary_rule > 0 ? f_.summary_rule : 120, ts * 0.35 - kDescentEm * ts, true);
        }
    }

    /// "Kính gửi:" 3.5 cm from the left margin (PLIII M1.5); one addressee on the
    /// same line, several one per line with the dashes under the colon.
    void kinh_gui() {
        if (d_.kinh_gui.empty()) return;
        const double s = body_size();
        ParaFmt p;
        p.before = d_.type.is_cong_van ? 12 + line_h(s) * d_.layout.line_spacing : line_h(s) * d_.layout.line_spacing * 0.6;
        p.after = 0;
        p.keep_next = true;
        const double label_x = f_.kinh_gui_x >= 0 ? f_.kinh_gui_x : 35 * kMm;
        p.jc = "left";
        p.has_ind = true;
        p.ind_right = width() * 0.03;
        if (d_.kinh_gui.size() == 1) {
            double label_w = 4.05 * s;  // "Kính gửi: " in Times New Roman
            p.ind_left = label_x + label_w;
            p.hanging = label_w;
            para(x_, p, "Kính gửi: " + d_.kinh_gui[0] + ".", RunFmt{false, false, s});
            return;
        }
        double dash = 0.583 * s;  // "- " in Times New Roman
        double items_x = f_.kinh_gui_items_x >= 0 ? f_.kinh_gui_items_x : label_x + 2.9 * s;
        p.ind_left = label_x;
        para(x_, p, "Kính gửi:", RunFmt{false, false, s});
        for (std::size_t i = 0; i < d_.kinh_gui.size(); ++i) {
            ParaFmt q;
            q.before = 0;
            q.after = 0;
            q.keep_next = true;
            q.jc = "left";
            q.has_ind = true;
            q.ind_left = items_x + dash;
            q.hanging = dash;
            q.ind_right = width() * 0.03;
            std::string t = "- " + d_.kinh_gui[i] + (i + 1 == d_.kinh_gui.size() ? "." : ";");
            para(x_, q, t, RunFmt{false, false, s});
        }
    }

    void body(const std::vector<model::Block>& given, bool after_preamble) {
        std::vector<model::Block> blocks = given;
        for (auto it = blocks.rbegin(); it != blocks.rend(); ++it)
            if (!it->titled && !it->text.empty()) {
                add_closing_mark(it->text);
                break;
            }
        const double s = body_size();
        using K = model::BlockKind;
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            const auto& b = blocks[i];
            ParaFmt p;
            p.style = "BodyText";
            if (i == 0 && !after_preamble) p.before = line_h(s) * d_.layout.line_spacing * 0.6 + kDescentEm * s + 4;
            if (i + 1 == blocks.size()) p.keep_next = true;  // with the signature block
            Runs runs;
            if (b.kind == K::chapter || b.kind == K::division || b.kind == K::subdivision) {
                p.style = "PartHeading";
                if (i > 0) p.before = b.kind == K::chapter ? std::max(d_.layout.paragraph_spacing_pt, 12.0) : d_.layout.paragraph_spacing_pt;
                para(x_, p, b.label, RunFmt{true, false, 0});
                ParaFmt q;
                q.style = "PartHeading";
                q.before = 0;
                for (const auto& sp : b.text) runs.push_back({vntext::upper(sp.text), RunFmt{true, sp.italic, 0}});
                para(x_, q, runs);
                continue;
            }
            if (b.kind == K::centred) {
                ParaFmt q;
                q.jc = "center";
                q.before = d_.layout.paragraph_spacing_pt;
                for (const auto& sp : b.text) runs.push_back({sp.text, RunFmt{sp.bold, sp.italic, s}});
                para(x_, q, runs);
                continue;
            }
            if (b.kind == K::article) {
                // "Điều 1." bold; a title bold too (a Heading 2 kept with the next paragraph), a text upright.
                if (b.titled) p.style = "Heading2";
                runs.push_back({b.label + " ", RunFmt{true, false, 0}});
                for (const auto& sp : b.text) runs.push_back({sp.text, RunFmt{sp.bold || b.titled, sp.italic, 0}});
                para(x_, p, runs);
                continue;
            }
            if (b.kind == K::part) {
                p.style = "PartHeading";
                p.before = std::max(d_.layout.paragraph_spacing_pt, 12.0);
                para(x_, p, b.label, RunFmt{true, false, 0});
                ParaFmt q;
                q.style = "PartHeading";
                q.before = 0;
                for (const auto& sp : b.text) runs.push_back({vntext::upper(sp.text), RunFmt{true, sp.italic, 0}});
                para(x_, q, runs);
                continue;
            }
            bool force_bold = false, upper = false;
            if (b.kind == K::section || b.kind == K::clause || b.kind == K::subclause || b.kind == K::point) {
                if (b.titled) {
                    force_bold = b.kind != K::point;
                    upper = b.kind == K::section;
                    p.style = b.kind == K::section ? "Heading1" : b.kind == K::clause ? "Heading2"
                              : b.kind == K::subclause ? "Heading3" : "Heading4";
                }
                runs.push_back({b.label + " ", RunFmt{force_bold, false, 0}});
            } else if (b.kind == K::bullet || b.kind == K::subbullet) {
                runs.push_back({b.label + " ", RunFmt{}});
            }
            for (const auto& sp : b.text)
                runs.push_back({upper ? vntext::upper(sp.text) : sp.text, RunFmt{sp.bold || force_bold, sp.italic, 0}});
            para(x_, p, runs);
        }
    }

    /// The document's "Nơi nhận" and signature block.
    void closing() { closing(d_.signature, r_.recipient_lines, d_.secretary ? &*d_.secretary : nullptr, 1); }

    /// "Nơi nhận" and a signature block as a borderless two-column table
    /// (a Biên bản's `secretary` signing above Nơi nhận); the pictures' drawing
    /// ids start at `picture_id`.
    void closing(const model::Signature& signature, const std::vector<std::string>& recipient_lines,
                 const model::Signature* secretary, int picture_id) {
        const double w = width();
        const double lw = w * 0.45, rw = w - lw;
        const double s = body_size();
        const double before = d_.layout.paragraph_spacing_pt + 6;
        plain_table_start(x_, {lw, rw});
        row_start(x_, true);

        cell_start(x_, lw);
        double label_before = before + std::max(0.0, (s - 12) * kAscentEm);
        if (secretary) {
            // Biên bản: the secretary signs in the left column, the name on the chair's name row; Nơi nhận under it.
            ParaFmt sp;
            sp.keep_next = sp.keep_lines = true;
            sp.jc = "center";
            sp.has_ind = true;
            sp.ind_right = std::max(0.0, lw - 6 * 10 * kMm);
            sp.before = before;
            para(x_, sp, vntext::upper(secretary->position), RunFmt{true, false, s});
            sp.before = line_h(s) * (4.0 + double(signature.authority.size()));
            para(x_, sp, secretary->name, RunFmt{true, false, s});
            label_before = line_h(12) * 0.5;
        }
        recipients(label_before, 8, recipient_lines);
        x_.close();

        cell_start(x_, rw);
        ParaFmt sig;
        sig.keep_next = sig.keep_lines = true;
        sig.jc = "center";
        bool first = true;
        auto line = [&](const std::string& text, double extra) {
            ParaFmt p = sig;
            p.before = first ? before : extra;
            first = false;
            para(x_, p, as_set(text), RunFmt{true, false, s});
        };
        for (const auto& a : signature.authority) line(vntext::upper(a), 0);
        line(vntext::upper(signature.position), 0);
        line(signature.name, signature_pictures(signature, picture_id, rw, s));
        x_.close();
        x_.close();  // w:tr
        x_.close();  // w:tbl
        pending_sect_ = sect_pr(g_, d_.layout.page_number_size_pt, false, false);
    }

    /// A paper copy's block (Phụ lục I, Phần II; Mẫu 3.1), as in the PDF: a
    /// solid rule across the text width, then a borderless table: the copying
    /// organisation (UPPER, bold, a short rule under it) beside the copy form
    /// ("SAO Y", bold), "Số: 05/SY-VP" beside the place-date line (italic) on
    /// one baseline; then Nơi nhận and the copy's signer.
    void copy_block() {
        const model::Copy& cp = *d_.copy;
        const double w = width(), hs = d_.layout.header_size_pt, s = body_size();
        rule(x_, w, w, 0, true);
        // The organisation's column and its rule as the PDF lays them out (else estimated: the column
        // widened for the lines as given within 45–55 % of the text width, the rule 0.4 of the last line).
        auto estimate = [&](const std::string& t) { return 0.62 * hs * double(vntext::decode(t).size()); };
        double widest = 0, last = 0;
        for (const auto& l : cp.issuer_lines) widest = std::max(widest, last = estimate(vntext::upper(l)));
        const double lw = f_.copy_left_column > 0 ? f_.copy_left_column : std::clamp(widest + 8, w * 0.45, w * 0.55), rw = w - lw;
        const double rule_length = f_.copy_rule > 0 ? f_.copy_rule : std::clamp(last * 0.4, last / 3, last / 2);
        plain_table_start(x_, {lw, rw});
        row_start(x_, true);
        cell_start(x_, lw);
        ParaFmt org = centred();
        org.before = 12 - (kLineEm - kAscentEm) * hs;
        for (const auto& l : cp.issuer_lines) {
            para(x_, org, vntext::upper(l), RunFmt{true, false, hs});
            org.before = 0;
        }
        rule(x_, lw, rule_length, 0, true);
        x_.close();
        cell_start(x_, rw);
        ParaFmt form = centred();
        form.before = 12 - (kLineEm - kAscentEm) * s;
        para(x_, form, cp.form, RunFmt{true, false, s});
        x_.close();
        x_.close();  // w:tr
        number_row_start(lw, hs, s, r_.copy_number_line);
        number_row_end(rw, hs, s, r_.copy_place_date_line);
        closing(cp.signature, r_.copy_recipient_lines, nullptr, 3);
    }

    /// The signature image, centred in the signature column (`rw` wide)
    /// between the position and the name, and the seal at its real size over
    /// the signature's left third, as in the PDF, with drawing ids `id` and
    /// `id` + 1. Returns the space before the name.
    double signature_pictures(const model::Signature& sig, int id, double rw, double s) {
        if (!sig.image) return line_h(s) * 4.0;
        const std::vector<Media> pictures = media(r_);
        auto find = [&](const model::Picture& p) -> const Media& {
            for (const Media& m : pictures)
                if (*m.png == *p.png) return m;
            throw std::logic_error("docx: a picture missing from the package");
        };
        double w = sig.image->width_mm * kMm, h = sig.image->height_mm * kMm;
        if (w > rw) h *= rw / w, w = rw;
        const double gap = std::max(line_h(s) * 4.0, h + line_h(s));
        ParaFmt p;
        p.keep_next = p.keep_lines = true;
        p.jc = "center";
        p.before = (gap - h) / 2;
        x_.open("w:p");
        ppr(x_, p);
        picture_run(x_, find(*sig.image), id, "Chữ ký", w, h, false);
        if (sig.seal) {
            const double sw = sig.seal->width_mm * kMm, sh = sig.seal->height_mm * kMm;
            picture_run(x_, find(*sig.seal), id + 1, "Dấu", sw, sh, true, rw / 2 - w / 2 + w / 3 - sw, (h - sh) / 2);
        }
        x_.close();
        return (gap - h) / 2;
    }

    void annex(const table::ResolvedTable& t, const AnnexFacts& af) {
        const auto& lo = d_.layout;
        Geometry g = af.landscape ? landscape(lo) : portrait(lo);
        const double ts = 14;
        ParaFmt c;
        c.jc = "center";
        c.keep_next = true;
        c.before = c.after = 0;
        if (!t.label.empty()) para(x_, c, t.label, RunFmt{true, false, ts});
        if (!t.title.empty()) para(x_, c, vntext::upper(t.title), RunFmt{true, false, ts});
        if (t.caption && !t.caption->empty()) para(x_, c, *t.caption, RunFmt{false, true, ts});
        rule(x_, g.text_width(), af.rule_length, 4, true);
        bool first_sub = true;
        for (const auto& sub : t.subtitle) {
            bool unit = sub.rfind("Đơn vị tính", 0) == 0 || sub.rfind("ĐVT", 0) == 0;
            ParaFmt p = c;
            p.jc = unit ? "right" : "center";
            p.before = first_sub ? 6 : 0;
            first_sub = false;
            para(x_, p, sub, RunFmt{false, true, ts - 1});
        }
        ParaFmt gap = c;
        gap.exact_line = 4;
        gap.mark_size = 1;
        para(x_, gap, Runs{});
        x_.raw(annex_table_xml(t, af));
        if (!t.notes.empty()) {
            ParaFmt n;
            n.jc = "both";
            n.before = 4;
            bool firstn = true;
            for (const auto& note : t.notes) {
                ParaFmt p = n;
                if (!firstn) p.before = 0;
                firstn = false;
                para(x_, p, note, RunFmt{false, true, std::max(af.cell_size, 12.0)});
            }
        }
    }

    const resolve::Document& r_;
    const model::Document& d_;
    const Facts& f_;
    Geometry g_;
    Xml x_;
    std::string pending_sect_;
};

const char* jc_of(table::Align a) {
    switch (a) {
        case table::Align::left: return "left";
        case table::Align::center: return "center";
        case table::Align::right: return "right";
    }
    return "left";
}

}  // namespace

std::string annex_table_xml(const table::ResolvedTable& t, const AnnexFacts& af) {
    const std::size_t n = t.columns.size();
    std::vector<double> widths = af.column_widths;
    if (widths.size() != n) widths.assign(n, n ? 450.0 / double(n) : 0);
    double total = 0;
    for (double w : widths) total += w;
    const double size = af.cell_size > 0 ? af.cell_size : 12;

    Xml x(false);
    x.open("w:tbl");
    x.open("w:tblPr");
    x.leaf("w:tblW", {{"w:w", std::to_string(tw(total))}, {"w:type", "dxa"}});
    x.leaf("w:jc", {{"w:val", "center"}});
    x.open("w:tblBorders");
    for (const char* side : {"w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"})
        x.leaf(side, {{"w:val", "single"}, {"w:sz", "4"}, {"w:space", "0"}, {"w:color", "000000"}});
    x.close();
    fixed_table_props(x, {tw(kPadTop), tw(kPadX), tw(kPadBottom), tw(kPadX)});
    x.close();
    x.open("w:tblGrid");
    for (double w : widths) x.leaf("w:gridCol", {{"w:w", std::to_string(tw(w))}});
    x.close();

    auto span_width = [&](int col, int span) {
        double w = 0;
        for (int c = col; c < col + span && c < int(n); ++c) w += widths[std::size_t(c)];
        return w;
    };
    auto cell = [&](double w, int span, const char* vmerge, const char* valign, const std::string& text, const char* jc,
                    RunFmt f) {
        x.open("w:tc").open("w:tcPr");
        x.leaf("w:tcW", {{"w:w", std::to_string(tw(w))}, {"w:type", "dxa"}});
        if (span > 1) x.leaf("w:gridSpan", {{"w:val", std::to_string(span)}});
        if (vmerge) {
            if (*vmerge) x.leaf("w:vMerge", {{"w:val", vmerge}});
            else x.leaf("w:vMerge");
        }
        if (valign) x.leaf("w:vAlign", {{"w:val", valign}});
        x.close();
        ParaFmt p;
        p.jc = jc;
        p.before = p.after = 0;
        p.mark_size = size;
        para(x, p, text, f);
        x.close();
    };

    // Header rows: every grid position is covered by exactly one header cell;
    // a cell spanning rows starts a vertical merge continued below it.
    for (int r = 0; r < t.header_rows; ++r) {
        row_start(x, true, true);
        for (int c = 0; c < int(n);) {
            const table::HeaderCell* hc = nullptr;
            for (const auto& h : t.header)
                if (h.col == c && h.row <= r && r < h.row + h.rowspan) hc = &h;
            if (!hc) {  // not covered: an empty cell keeps the grid whole
                cell(widths[std::size_t(c)], 1, nullptr, "center", "", "center", RunFmt{true, false, size});
                ++c;
                continue;
            }
            const char* vm = hc->rowspan > 1 ? (hc->row == r ? "restart" : "") : nullptr;
            cell(span_width(c, hc->colspan), hc->colspan, vm, "center", hc->row == r ? hc->text : "", "center",
                 RunFmt{true, false, size});
            c += std::max(1, hc->colspan);
        }
        x.close();
    }
    if (!t.labels.empty()) {
        row_start(x, true, true);
        for (std::size_t c = 0; c < n; ++c)
            cell(widths[c], 1, nullptr, "center", c < t.labels.size() ? t.labels[c] : "", "center",
                 RunFmt{false, true, size});
        x.close();
    }
    for (const auto& row : t.rows) {
        row_start(x, true);
        for (std::size_t c = 0; c < n; ++c) {
            table::Cell empty;
            const table::Cell& cl = c < row.cells.size() ? row.cells[c] : empty;
            cell(widths[c], 1, nullptr, nullptr, cl.text, jc_of(cl.align), RunFmt{cl.bold || row.bold, cl.italic, size});
        }
        x.close();
    }
    x.close();
    return x.str();
}

std::string document_xml(const resolve::Document& doc, const Facts& facts) { return DocumentWriter(doc, facts).run(); }

}  // namespace vanban::docx

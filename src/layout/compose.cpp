#include "layout/compose.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <filesystem>

#include "layout/flow.hpp"
#include "layout/text.hpp"
#include "vntext/vntext.hpp"

namespace vanban::layout {

namespace {

constexpr double kMm = 72.0 / 25.4;

std::string upper(const std::string& s) { return vntext::upper(s); }

/// Adds the closing "./." after the last sentence of the body.
void add_closing_mark(model::Inlines& text) {
    for (auto it = text.rbegin(); it != text.rend(); ++it) {
        std::string& s = it->text;
        while (!s.empty() && s.back() == ' ') s.pop_back();
        if (s.empty()) continue;
        auto ends = [&](const char* suf) {
            std::size_t n = std::char_traits<char>::length(suf);
            return s.size() >= n && s.compare(s.size() - n, n, suf) == 0;
        };
        if (ends("./.")) return;
        if (ends("/.")) s.insert(s.size() - 2, ".");
        else if (ends(".")) s += "/.";
        else s += "./.";
        return;
    }
}

struct Ctx {
    const resolve::Document& r;
    const model::Document& doc;
    const font::FontBook& fonts;
    double page_w = 595.2756, page_h = 841.8898;
    double left = 0, right = 0, top = 0, bottom = 0, width = 0;
    double body_size = 14, header_size = 13;
    std::vector<TooWide>* too_wide = nullptr;  ///< header lines that cannot fit (first page's header only)
    double line_h(double size) const { return size * fonts.face(Face::regular).line_height(); }
    double body_line() const { return line_h(body_size) * doc.layout.line_spacing; }
};

Line make_line(double y, double x, Face f, double size, std::string text, const font::FontBook& fb) {
    Line l;
    l.y = y;
    double w = fb.width(f, size, text);
    l.runs.push_back({x, f, size, std::move(text), w});
    return l;
}

/// Places set lines (x relative to `x0`) into `box` starting at baseline `y`.
double emit(Box& box, const std::vector<SetLine>& lines, double x0, double y, double advance) {
    for (const auto& sl : lines) {
        Line l;
        l.y = y;
        for (auto r : sl.runs) {
            r.x += x0;
            l.runs.push_back(std::move(r));
        }
        box.lines.push_back(std::move(l));
        y += advance;
    }
    return y;
}

/// Places one set line with its baseline at y, its runs moved and shifted by x0.
void place(Box& box, SetLine&& sl, double x0, double y) {
    Line l;
    l.y = y;
    for (auto& r : sl.runs) r.x += x0;
    l.runs = std::move(sl.runs);
    box.lines.push_back(std::move(l));
}

/// emit() for lines not needed afterwards: their runs are moved, not copied.
double emit(Box& box, std::vector<SetLine>&& lines, double x0, double y, double advance) {
    for (auto& sl : lines) {
        place(box, std::move(sl), x0, y);
        y += advance;
    }
    return y;
}

/// A stamp: `text` (bold, UPPER) centred in a single-line frame `w` × `h`
/// whose top-left corner is (x, top), in `color`; set at `size` or, when that
/// does not fit, at 13 pt. Returns the frame's bottom.
double stamp(Box& box, const font::FontBook& fb, const std::string& text, double x, double top, double w, double h,
             double size, std::uint32_t color) {
    double tw = fb.width(Face::bold, size, text);
    if (tw > w - 6 && size > 13) {
        size = 13;
        tw = fb.width(Face::bold, size, text);
    }
    box.frames.push_back({x, top, w, h, 0.75, color});
    Line l = make_line(top + h / 2 + 0.4 * size, x + (w - tw) / 2, Face::bold, size, text, fb);
    for (auto& r : l.runs) r.color = color;
    box.lines.push_back(std::move(l));
    return top + h;
}

/// Frame width of a stamp whose size the decree does not fix: the text with 4 mm on each side.
double free_stamp_width(const font::FontBook& fb, const std::string& text, double size) {
    return fb.width(Face::bold, size, text) + 8 * kMm;
}

/// Width of the urgency box [10b] (PLI-1 §III.2.b): HỎA TỐC 30, THƯỢNG KHẨN 40, KHẨN 20 mm; and, a
/// generator default (the decree gives no size), of the secrecy stamp [10a]: MẬT 20, TỐI MẬT 30, TUYỆT MẬT 40 mm.
double mark_width_mm(const std::string& t) {
    if (t == "HỎA TỐC" || t == "TỐI MẬT") return 30;
    if (t == "THƯỢNG KHẨN" || t == "TUYỆT MẬT") return 40;
    return 20;
}

/// The national name [1], set in the right column of the header.
constexpr const char* kNational = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";

/// The two columns of the header (page 1) and the sizes their lines are set in.
struct HeaderCols {
    double left_w = 0, right_w = 0;  ///< widths of the organisation column and of the national-name column
    double lx = 0, rx = 0;           ///< their left edges
    double org_size = 0;             ///< size of the parent and issuer lines [2]
    double nat_size = 0, nat_w = 0;  ///< size and width of the national name [1]
};

/// Splits the header's width between the organisation column [2] and the national name and motto [1].
HeaderCols header_columns(const Ctx& c) {
    const auto& d = c.doc;
    const font::FontBook& fb = c.fonts;
    double hs = c.header_size;
    HeaderCols g;
    g.nat_size = hs;
    g.nat_w = fb.width(Face::bold, g.nat_size, kNational);
    g.right_w = std::max(0.6 * c.width, g.nat_w + 8);
    g.left_w = c.width - g.right_w;
    // Each entry of the parent and issuer names is one line as given. The
    // organisation column may take what the national title leaves; a line that
    // still does not fit is set at 12 pt (the decree allows 12–13), and only
    // then is it wrapped (balanced, between words).
    g.org_size = hs;
    double need = 0;
    for (const auto& il : d.issuer_lines) need = std::max(need, fb.width(Face::bold, hs, upper(il)));
    for (const auto& pl : d.parent_lines) need = std::max(need, fb.width(Face::regular, hs, upper(pl)));
    double max_left = c.width - g.nat_w - 8;
    if (need + 4 > g.left_w) g.left_w = std::min(max_left, need + 4);
    if (need + 4 > g.left_w && hs > 12) {
        // Both header columns at 12 pt: the organisation name gets the room it needs.
        g.org_size = g.nat_size = 12;
        need = need * 12 / hs;
        g.nat_w = fb.width(Face::bold, g.nat_size, kNational);
        g.left_w = std::min(c.width - g.nat_w - 8, std::max(g.left_w, need + 4));
    }
    g.right_w = c.width - g.left_w;
    g.lx = c.left;
    g.rx = c.left + g.left_w;
    return g;
}

/// Notes a header line of page 1 that is `width` wide in a column `room` wide, when it cannot fit.
/// A word of the organisation's name is never broken: a line that cannot
/// fit is noted, and the document is refused naming it. Header lines are
/// centred, so 1 pt too wide puts half a point on each side (within what
/// layout/bounds tolerates). A text issued by the decision (`attached`) is not checked.
void note_too_wide(const Ctx& c, bool attached, TooWide::Field field, std::size_t index, const std::string& text,
                   double width, double room) {
    if (c.too_wide && !attached && width > room + 1.0) c.too_wide->push_back({field, index, text, width - room});
}

/// The organisation column [2]: the parent's lines, the issuer's lines in bold and
/// the rule under the issuer. Returns the rule's y.
double organisation_column(const Ctx& c, Box& box, const HeaderCols& g, bool attached) {
    const auto& d = c.doc;
    const font::FontBook& fb = c.fonts;
    double y = c.top + fb.face(Face::regular).ascent() * c.header_size;
    auto centred_lines = [&](const std::string& text, Face f, double size, double col_x, double col_w, double y0,
                             TooWide::Field field, std::size_t index) {
        auto words = split_words({{text, f == Face::bold || f == Face::bold_italic, f == Face::italic || f == Face::bold_italic}},
                                 size, fb);
        auto lines = set_text(words, col_w, 0, Align::center, size, 0, false);
        for (const auto& l : lines) note_too_wide(c, attached, field, index, text, l.width, col_w);
        return std::make_pair(lines, emit(box, lines, col_x, y0, c.line_h(size)));
    };
    for (std::size_t i = 0; i < d.parent_lines.size(); ++i) {
        auto [ls, ny] = centred_lines(upper(d.parent_lines[i]), Face::regular, g.org_size, g.lx, g.left_w, y, TooWide::parent, i);
        y = ny;
    }
    double above = 0;  // width of the line directly above the rule
    for (std::size_t i = 0; i < d.issuer_lines.size(); ++i) {
        auto [ls, ny] = centred_lines(upper(d.issuer_lines[i]), Face::bold, g.org_size, g.lx, g.left_w, y, TooWide::issuer, i);
        if (!ls.empty()) above = ls.back().width;
        y = ny;
    }
    double rule_l = y - c.line_h(g.org_size) + g.org_size * 0.4;  // just under the last issuer line
    // The rule: 1/3–1/2 of the line directly above it, centred under it.
    double rl = std::clamp(above * 0.4, above / 3, above / 2);
    box.rules.push_back({g.lx + (g.left_w - rl) / 2, rule_l, g.lx + (g.left_w + rl) / 2, rule_l, 0.6});
    return rule_l;
}

/// The national name and motto [1] in the right column, with the rule under the motto. Returns the rule's y.
double motto_column(const Ctx& c, Box& box, const HeaderCols& g) {
    const font::FontBook& fb = c.fonts;
    double hs = c.header_size;
    const std::string motto = "Độc lập - Tự do - Hạnh phúc";
    double motto_size = std::min(hs + 1, 14.0);
    double yr = c.top + fb.face(Face::regular).ascent() * hs;
    box.lines.push_back(make_line(yr, g.rx + (g.right_w - g.nat_w) / 2, Face::bold, g.nat_size, kNational, fb));
    yr += c.line_h(hs);
    double motto_w = fb.width(Face::bold, motto_size, motto);
    double mx = g.rx + (g.right_w - motto_w) / 2;
    box.lines.push_back(make_line(yr, mx, Face::bold, motto_size, motto, fb));
    double rule_r = yr + motto_size * 0.4;
    box.rules.push_back({mx, rule_r, mx + motto_w, rule_r, 0.6});
    return rule_r;
}

/// "Số" [3] in the left column and the place-date line [4] in the right one, on the baseline `base`.
void number_date_row(const Ctx& c, Box& box, const HeaderCols& g, double base) {
    const auto& d = c.doc;
    const font::FontBook& fb = c.fonts;
    double hs = c.header_size;
    const std::string& so = c.r.number_line;
    double so_w = fb.width(Face::regular, hs, so);
    note_too_wide(c, false, TooWide::number, 0, so, so_w, g.left_w);
    box.lines.push_back(make_line(base, g.lx + (g.left_w - so_w) / 2, Face::regular, hs, so, fb));
    const std::string& pd = c.r.place_date_line;
    double pd_size = c.body_size;
    double pd_w = fb.width(Face::italic, pd_size, pd);
    if (pd_w > g.right_w) {
        pd_size = 13;
        pd_w = fb.width(Face::italic, pd_size, pd);
    }
    // A Biên bản has no place-date line [4]: the time of the meeting is in its body.
    if (d.type.code != "BB") note_too_wide(c, false, TooWide::place_date, 0, pd, pd_w, g.right_w);
    if (d.type.code != "BB") box.lines.push_back(make_line(base, g.rx + (g.right_w - pd_w) / 2, Face::italic, pd_size, pd, fb));
}

/// A Công văn's summary [5b] under "Số" on the baseline `base`. Returns the baseline of its last line.
double cong_van_summary(const Ctx& c, Box& box, const HeaderCols& g, double base) {
    const font::FontBook& fb = c.fonts;
    // [5b] "V/v ..." under the number, 6 pt below, centred in the left column.
    double vs = std::min(c.header_size, 13.0);
    auto words = split_words({{"V/v " + c.doc.summary, false, false}}, vs, fb);
    auto lines = set_text(words, g.left_w - 4, 0, Align::center, vs);
    return emit(box, lines, g.lx + 2, base + 6 + c.line_h(vs), c.line_h(vs)) - c.line_h(vs);
}

/// The secrecy [10a] and urgency [10b] stamps under the line whose baseline is `y`. Returns where
/// what follows is placed from.
double mark_stamps(const Ctx& c, Box& box, const HeaderCols& g, double y) {
    const auto& d = c.doc;
    const font::FontBook& fb = c.fonts;
    // [10a] secrecy and [10b] urgency: stamps under "Số" (a Công văn: under its V/v), flush with the left
    // edge of the left column, 10b directly under 10a (PLI-1 §IV.2), in bright red.
    double top = y + fb.face(Face::regular).descent() * c.header_size + 6;
    for (const std::string* t : {&d.marks.secrecy, &d.marks.urgency}) {
        if (t->empty()) continue;
        top = stamp(box, fb, *t, g.lx, top, mark_width_mm(*t) * kMm, 8 * kMm, c.body_size, kStampRed) + 3;
    }
    // The type name (or, for a Công văn, what follows) is placed from the last stamp's bottom.
    return top - 3 - (d.type.is_cong_van ? fb.face(Face::regular).descent() * c.body_size : c.line_h(c.body_size) * 0.5);
}

/// The type name and summary [5a] across the page from `y`, for a text issued by the decision
/// (`att`) its own and the issuance note `note`, and the short rule under them. Returns the rule's y.
double type_name_and_summary(const Ctx& c, Box& box, const model::AttachedText* att, const std::string& note, double y) {
    const auto& d = c.doc;
    const font::FontBook& fb = c.fonts;
    // Type name and summary [5a].
    double ts = c.body_size;
    y += c.line_h(ts) * 2.0;
    std::string tn = upper(att ? att->type.name : d.type.name);
    double tw = fb.width(Face::bold, ts, tn);
    box.lines.push_back(make_line(y, c.left + (c.width - tw) / 2, Face::bold, ts, tn, fb));
    y += c.line_h(ts);
    auto words = split_words({{att ? att->summary : d.summary, true, false}}, ts, fb);
    auto lines = set_text(words, c.width * 0.85, 0, Align::center, ts);
    double sw = lines.empty() ? tw : 0;  // no summary (Giấy giới thiệu): the rule goes under the type name
    for (const auto& l : lines) sw = std::max(sw, l.width);
    y = emit(box, lines, c.left + c.width * 0.075, y, c.line_h(ts)) - c.line_h(ts);
    if (att && !note.empty()) {
        // The issuance note, italic, under the summary; the rule goes under it.
        auto nw = split_words({{note, false, true}}, ts, fb);
        auto nl = set_text(nw, c.width, 0, Align::center, ts);
        y = emit(box, nl, c.left, y + c.line_h(ts), c.line_h(ts)) - c.line_h(ts);
    }
    double rule_s = y + ts * 0.35;
    double rw = std::clamp(sw * 0.4, std::min(sw, 60.0), sw / 2 > 60 ? sw / 2 : sw);
    rw = std::max(rw, sw / 3);
    box.rules.push_back({c.left + (c.width - rw) / 2, rule_s, c.left + (c.width + rw) / 2, rule_s, 0.6});
    return rule_s;
}

/// Header (page 1): organisation column on the left, national title on the right,
/// "Số" and place-date on one baseline; then the type name and summary.
/// For a text issued by the decision (`att`): no "Số" and no place-date line,
/// its own type name and summary, then the italic issuance note `note` with
/// the short rule under it.
Box header_box(const Ctx& c, const model::AttachedText* att = nullptr, const std::string& note = "") {
    const auto& d = c.doc;
    const font::FontBook& fb = c.fonts;
    Box box;
    const HeaderCols g = header_columns(c);
    double rule_l = organisation_column(c, box, g, att != nullptr);
    double rule_r = motto_column(c, box, g);
    // "Số" and the place-date line share one baseline.
    double base = att ? std::max(rule_l, rule_r) : std::max(rule_l, rule_r) + fb.face(Face::regular).ascent() * c.body_size + 6;
    if (!att) number_date_row(c, box, g, base);
    double y = base;
    if (d.type.is_cong_van && !att) y = cong_van_summary(c, box, g, base);
    if (!att && (!d.marks.secrecy.empty() || !d.marks.urgency.empty())) y = mark_stamps(c, box, g, y);
    if (!(d.type.is_cong_van && !att)) y = type_name_and_summary(c, box, att, note, y);
    box.height = y - c.top + fb.face(Face::regular).descent() * c.body_size + 4;
    // Lines were placed at absolute y; make them relative to the box top.
    for (auto& l : box.lines) l.y -= c.top;
    for (auto& r : box.rules) {
        r.y1 -= c.top;
        r.y2 -= c.top;
    }
    for (auto& f : box.frames) f.y -= c.top;
    return box;
}

/// "Kính gửi" [9a]: "Kính gửi:" begins about 3.5 cm from the left edge of the
/// text area (PLIII M1.5: the model's indents, 1982 and 2552 twips). One addressee follows on the
/// same line (a wrapped line continues under it); several go one per line,
/// their dashes aligned under the colon (PLI-1 §II.9.a). A Công văn, where the
/// block is the first element under the header, has an empty line and 12 pt
/// before it, as in the model.
FlowBlock kinh_gui_block(const Ctx& c) {
    const auto& d = c.doc;
    const font::FontBook& fb = c.fonts;
    double s = c.body_size;
    FlowBlock fbk;
    fbk.space_before = d.type.is_cong_van ? 12 + c.body_line() : c.body_line() * 0.6;
    fbk.keep_together = true;
    fbk.keep_with_next = true;
    Box box;
    double asc = fb.face(Face::regular).ascent() * s;
    const std::string label = "Kính gửi:";
    const double x0 = c.left + 35 * kMm;
    const double avail_right = c.right - c.width * 0.03;
    if (d.kinh_gui.size() == 1) {
        double lw = fb.width(Face::regular, s, label + " ");
        box.lines.push_back(make_line(asc, x0, Face::regular, s, label, fb));
        auto words = split_words({{d.kinh_gui[0] + ".", false, false}}, s, fb);
        auto lines = set_text(words, avail_right - x0 - lw, 0, Align::left, s);
        double y = asc;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            std::vector<SetLine> one{lines[i]};
            if (i == 0) {
                for (auto& r : one[0].runs) box.lines.back().runs.push_back({r.x + x0 + lw, r.face, r.size, r.text, r.width});
                y += c.body_line();
            } else {
                y = emit(box, one, x0 + lw, y, c.body_line());
            }
        }
        box.height = y - asc;
    } else {
        double colon_x = fb.width(Face::regular, s, "Kính gửi");
        double dash_w = fb.width(Face::regular, s, "- ");
        double items_x = x0 + colon_x;
        box.lines.push_back(make_line(asc, x0, Face::regular, s, label, fb));
        double y = asc + c.body_line();
        for (std::size_t i = 0; i < d.kinh_gui.size(); ++i) {
            std::string t = "- " + d.kinh_gui[i] + (i + 1 == d.kinh_gui.size() ? "." : ";");
            auto words = split_words({{t, false, false}}, s, fb);
            auto lines = set_text(words, avail_right - items_x, 0, Align::left, s, dash_w);
            y = emit(box, lines, items_x, y, c.body_line());
        }
        box.height = y - asc;
    }
    fbk.boxes.push_back(std::move(box));
    return fbk;
}

/// Centred text, one Box per line (so that a long line may wrap and still be kept with what follows).
FlowBlock centred_block(const Ctx& c, const model::Inlines& text, double size, double space_before) {
    FlowBlock fl;
    fl.space_before = space_before;
    fl.keep_together = true;
    auto words = split_words(text, size, c.fonts);
    double asc = c.fonts.face(Face::regular).ascent() * size;
    for (auto& sl : set_text(words, c.width, 0, Align::center, size)) {
        Box box;
        place(box, std::move(sl), c.left, asc);
        box.height = c.line_h(size) * c.doc.layout.line_spacing;
        fl.boxes.push_back(std::move(box));
    }
    return fl;
}

/// A justified paragraph with a first-line indent, one Box per line.
FlowBlock paragraph_block(const Ctx& c, const model::Inlines& text, double space_before, Align align = Align::justify) {
    FlowBlock fl;
    fl.space_before = space_before;
    double s = c.body_size;
    double asc = c.fonts.face(Face::regular).ascent() * s;
    auto words = split_words(text, s, c.fonts);
    for (auto& sl : set_text(words, c.width, c.doc.layout.first_indent_mm * kMm, align, s)) {
        Box box;
        place(box, std::move(sl), c.left, asc);
        box.height = c.body_line();
        fl.boxes.push_back(std::move(box));
    }
    return fl;
}

/// A decision's or resolution's preamble (PLIII M1.1–M1.3): the authority
/// line (UPPER, bold, centred, one blank line under the summary rule), the
/// italic legal bases and proposal line (";" after each, "." after the last),
/// and the operative word "QUYẾT ĐỊNH:" / "QUYẾT NGHỊ:" (bold, centred).
void preamble_blocks(const Ctx& c, std::vector<FlowBlock>& out) {
    const double s = c.body_size;
    if (!c.r.authority_line.empty()) {
        FlowBlock a = centred_block(c, {{c.r.authority_line, true, false}}, s, c.body_line());
        a.keep_with_next = true;
        out.push_back(std::move(a));
    }
    for (std::size_t i = 0; i < c.r.basis_lines.size(); ++i) {
        double before = i == 0 && c.r.authority_line.empty() ? c.body_line() : c.doc.layout.paragraph_spacing_pt;
        FlowBlock b = paragraph_block(c, {{c.r.basis_lines[i], false, true}}, before);
        b.keep_with_next = i + 1 == c.r.basis_lines.size();
        out.push_back(std::move(b));
    }
    if (!c.r.operative_word.empty()) {
        FlowBlock o = centred_block(c, {{c.r.operative_word, true, false}}, s, c.doc.layout.paragraph_spacing_pt);
        o.keep_with_next = true;
        out.push_back(std::move(o));
    }
}

/// A chapter, division or subdivision heading: "Chương I" / "Mục 1" / "Tiểu mục 1" and its title.
FlowBlock division_heading_block(const Ctx& c, const model::Block& b, double space_before) {
    using K = model::BlockKind;
    double s = c.body_size;
    // "Chương I" / "Mục 1" / "Tiểu mục 1" on its own line, the title in UPPER under it, centred, bold.
    model::Inlines t = b.text;
    for (auto& sp : t) {
        sp.text = upper(sp.text);
        sp.bold = true;
    }
    double before = space_before == 0 ? 0 : b.kind == K::chapter ? std::max(space_before, 12.0) : space_before;
    FlowBlock head = centred_block(c, {{b.label, true, false}}, s, before);
    for (auto& box : centred_block(c, t, s, 0).boxes) head.boxes.push_back(std::move(box));
    head.keep_with_next = true;
    std::string bm = b.label;
    for (const auto& sp : t) bm += (bm == b.label ? ". " : "") + sp.text;
    if (b.kind == K::chapter) head.bookmark = bm;
    return head;
}

/// An article: "Điều 1." and its title or text in one paragraph.
FlowBlock article_block(const Ctx& c, const model::Block& b, double space_before) {
    // "Điều 1." in bold; a title bold too, the article's text upright, in the same paragraph.
    model::Inlines text;
    text.push_back({b.label + " ", true, false});
    for (auto sp : b.text) {
        if (b.titled) sp.bold = true;
        text.push_back(std::move(sp));
    }
    // A title that wraps is not stretched to the margin, and is kept with what follows.
    FlowBlock art = paragraph_block(c, text, space_before, b.titled ? Align::left : Align::justify);
    art.keep_with_next = b.titled;
    if (b.titled) {
        std::string bm;
        for (const auto& sp : text) bm += sp.text;
        art.bookmark = bm;
    }
    return art;
}

/// A part: "Phần I" and its title, kept together in one Box.
FlowBlock part_block(const Ctx& c, const model::Block& b, double space_before) {
    const font::FontBook& fb = c.fonts;
    double s = c.body_size;
    double adv = c.body_line();
    double asc = fb.face(Face::regular).ascent() * s;
    FlowBlock fl;
    // "Phần I" then the title in UPPER, both centred and bold.
    Box box;
    auto w1 = split_words({{b.label, true, false}}, s, fb);
    auto l1 = set_text(w1, c.width, 0, Align::center, s);
    double y = emit(box, l1, c.left, asc, adv);
    model::Inlines t = b.text;
    for (auto& sp : t) {
        sp.text = upper(sp.text);
        sp.bold = true;
    }
    auto w2 = split_words(t, s, fb);
    auto l2 = set_text(w2, c.width, 0, Align::center, s);
    y = emit(box, l2, c.left, y, adv);
    box.height = y - asc;
    fl.space_before = std::max(space_before, 12.0);
    fl.keep_together = true;
    fl.keep_with_next = true;
    std::string bm = b.label;
    for (const auto& sp : t) bm += (bm == b.label ? " " : "") + sp.text;
    fl.bookmark = bm;
    fl.boxes.push_back(std::move(box));
    return fl;
}

/// A section, clause, subclause, point, bullet or plain paragraph: its label and text, one Box per line.
FlowBlock outline_paragraph_block(const Ctx& c, const model::Block& b, double space_before) {
    using K = model::BlockKind;
    const font::FontBook& fb = c.fonts;
    double s = c.body_size;
    double asc = fb.face(Face::regular).ascent() * s;
    FlowBlock fl;
    fl.space_before = space_before;
    model::Inlines text;
    bool force_bold = false, upper_text = false;
    Align align = Align::justify;
    if (b.kind == K::section || b.kind == K::clause || b.kind == K::subclause || b.kind == K::point) {
        if (b.titled) {
            force_bold = b.kind != K::point;
            upper_text = b.kind == K::section;
            fl.keep_with_next = true;
            align = Align::left;  // a heading that wraps is not stretched to the margin
        }
        text.push_back({b.label + " ", force_bold, false});
    } else if (b.kind == K::bullet || b.kind == K::subbullet) {
        text.push_back({b.label + " ", false, false});
    }
    for (auto sp : b.text) {
        if (upper_text) sp.text = upper(sp.text);
        if (force_bold) sp.bold = true;
        text.push_back(std::move(sp));
    }
    auto words = split_words(text, s, fb);
    auto lines = set_text(words, c.width, c.doc.layout.first_indent_mm * kMm, align, s);
    for (auto& sl : lines) {
        Box box;
        place(box, std::move(sl), c.left, asc);
        box.height = c.body_line();
        fl.boxes.push_back(std::move(box));
    }
    if (b.kind == K::section && b.titled) {
        std::string bm;
        for (const auto& sp : text) bm += sp.text;
        fl.bookmark = bm;
    }
    return fl;
}

/// The body: one FlowBlock per outline block.
void body_blocks(const Ctx& c, const std::vector<model::Block>& given, std::vector<FlowBlock>& out) {
    // The last untitled block with text ends with "./.": only that block is copied.
    std::size_t closing = given.size();
    for (std::size_t i = given.size(); i-- > 0;)
        if (!given[i].titled && !given[i].text.empty()) {
            closing = i;
            break;
        }
    model::Block closed;
    if (closing < given.size()) {
        closed = given[closing];
        add_closing_mark(closed.text);
    }
    for (std::size_t bi = 0; bi < given.size(); ++bi) {
        const model::Block& b = bi == closing ? closed : given[bi];
        double before = bi == 0 ? 0 : c.doc.layout.paragraph_spacing_pt;
        using K = model::BlockKind;
        if (b.kind == K::chapter || b.kind == K::division || b.kind == K::subdivision)
            out.push_back(division_heading_block(c, b, before));
        else if (b.kind == K::centred)
            out.push_back(centred_block(c, b.text, c.body_size, before));
        else if (b.kind == K::article)
            out.push_back(article_block(c, b, before));
        else if (b.kind == K::part)
            out.push_back(part_block(c, b, before));
        else
            out.push_back(outline_paragraph_block(c, b, before));
    }
}
/// The space between the position and the name: four lines, or the signature
/// image's height and one line, whichever is more.
double signature_gap(const Ctx& c, const model::Signature& sig) {
    double gap = c.line_h(c.body_size) * 4.0;
    if (sig.image) gap = std::max(gap, sig.image->height_mm * kMm + c.line_h(c.body_size));
    return gap;
}

/// The signature image [7c] centred between the position (whose last line ends
/// at `top`) and the name (whose first line starts at `bottom`) on the column
/// centred at `centre_x`, shrunk only if wider than the column; then the seal
/// [8] at its real size, over it, its right edge one third of the signature's
/// width in from the signature's left edge, both centred on the same line
/// (NĐ Đ33.1.b; PLI-1 §II.8.a, §IV.2). On an electronic document each image
/// carries the name of the digital signature it shows: the signer's and the
/// organisation's (PLI-1 §II.7.d, §II.8.a).
void signature_images(const Ctx& c, const model::Signature& sig, double centre_x, double col_w, double top, double bottom,
                      Box& box) {
    if (!sig.image) return;
    auto image = [&](const model::Picture& p, double w, double h, double x, const char* field) {
        Image im;
        im.width = w;
        im.height = h;
        im.x = x;
        im.y = (top + bottom) / 2 - h / 2;
        im.png = p.png;
        im.width_px = p.width_px;
        im.height_px = p.height_px;
        im.name = std::filesystem::path(p.file).filename().string();
        if (c.doc.electronic) im.signature_field = field;
        return im;
    };
    double w = sig.image->width_mm * kMm, h = sig.image->height_mm * kMm;
    if (w > col_w) h *= col_w / w, w = col_w;
    Image signature = image(*sig.image, w, h, centre_x - w / 2, "ChuKyNguoiKy");
    box.images.push_back(signature);
    if (sig.seal) {
        double sw = sig.seal->width_mm * kMm, sh = sig.seal->height_mm * kMm;
        box.images.push_back(image(*sig.seal, sw, sh, signature.x + w / 3 - sw, "ChuKyCoQuan"));
    }
}

/// "Nơi nhận" (left) beside the signature (right) [7a][7b][9b].
FlowBlock closing_block(const Ctx& c) {
    const auto& d = c.doc;
    const font::FontBook& fb = c.fonts;
    FlowBlock fl;
    fl.keep_together = true;
    fl.space_before = c.doc.layout.paragraph_spacing_pt + 6;
    Box box;
    double left_w = c.width * 0.45;
    double sig_x = c.left + left_w, sig_w = c.width - left_w;
    double s = c.body_size;
    double asc = fb.face(Face::regular).ascent();
    double first_base = asc * s;

    // Signature column.
    double y = first_base;
    std::vector<std::string> sig_lines;
    for (const auto& a : d.signature.authority) sig_lines.push_back(upper(a));
    sig_lines.push_back(upper(d.signature.position));
    for (const auto& t : sig_lines) {
        auto words = split_words({{t, true, false}}, s, fb);
        auto lines = set_text(words, sig_w, 0, Align::center, s);
        y = emit(box, lines, sig_x, y, c.line_h(s));
    }
    // Room for the signature and seal: four lines, more for a tall signature image.
    const double gap_top = y - c.line_h(s) + fb.face(Face::regular).descent() * s;
    y += signature_gap(c, d.signature);
    signature_images(c, d.signature, sig_x + sig_w / 2, sig_w, gap_top, y - asc * s, box);
    {
        auto words = split_words({{d.signature.name, true, false}}, s, fb);
        auto lines = set_text(words, sig_w, 0, Align::center, s);
        y = emit(box, lines, sig_x, y, c.line_h(s));
    }
    double sig_bottom = y - c.line_h(s) + fb.face(Face::regular).descent() * s;

    // "Nơi nhận" column; for a Biên bản, the secretary signs there first
    // (heading level with the chair's, names on one row) and Nơi nhận follows under the names.
    double ly = first_base;
    if (d.secretary) {
        double sec_w = std::min(left_w, 6 * 10 * kMm);
        auto put = [&](const std::string& t, double at) {
            auto words = split_words({{t, true, false}}, s, fb);
            return emit(box, set_text(words, sec_w, 0, Align::center, s), c.left, at, c.line_h(s));
        };
        put(upper(d.secretary->position), first_base);
        double name_y = y - c.line_h(s);  // the chair's name line
        ly = put(d.secretary->name, name_y) + c.line_h(12) * 0.5;
    }
    box.lines.push_back(make_line(ly, c.left, Face::bold_italic, 12, "Nơi nhận:", fb));
    ly += c.line_h(12);
    double rs = 11;
    // A wrapped entry continues under its text, not under the dash.
    double dash = fb.width(Face::regular, rs, "- ");
    const std::size_t before = box.lines.size();
    for (const auto& r : c.r.recipient_lines) {
        auto words = split_words({{r, false, false}}, rs, fb);
        auto lines = set_text(words, left_w - 8, 0, Align::left, rs, dash);
        ly = emit(box, lines, c.left, ly, c.line_h(rs));
    }
    const double desc = fb.face(Face::regular).descent() * rs;
    double rec_bottom = ly - c.line_h(rs) + desc;
    box.height = std::max(sig_bottom, rec_bottom);
    if (box.height <= c.bottom - c.top) {
        fl.boxes.push_back(std::move(box));
        return fl;
    }
    // A Nơi nhận list too long for a page: the signature stays with the
    // start of the list (the lines beside it, and at least the first line
    // under the "Nơi nhận:" heading); the rest continues on the next pages,
    // one line per box, in the left column.
    // The cut falls at the bottom of a recipient line, so that the lines
    // after it keep their spacing on the same page.
    double cut = sig_bottom;
    for (std::size_t i = 0; i < before; ++i) cut = std::max(cut, box.lines[i].y + desc);
    for (std::size_t i = before; i < box.lines.size(); ++i)
        if (box.lines[i].y + desc >= cut - 0.01) {
            cut = box.lines[i].y + desc;
            break;
        }
    std::vector<Line> kept(std::make_move_iterator(box.lines.begin()),
                           std::make_move_iterator(box.lines.begin() + static_cast<std::ptrdiff_t>(before)));
    std::vector<Line> rest;
    for (std::size_t i = before; i < box.lines.size(); ++i)
        (box.lines[i].y + desc > cut + 0.01 ? rest : kept).push_back(std::move(box.lines[i]));
    box.lines = std::move(kept);
    box.height = cut;
    fl.keep_together = false;
    fl.boxes.push_back(std::move(box));
    const double lh = c.line_h(rs);
    for (Line& l : rest) {
        Box next;
        next.height = lh;
        l.y = lh - desc;
        next.lines.push_back(std::move(l));
        fl.boxes.push_back(std::move(next));
    }
    return fl;
}

/// A joint document's closing (văn bản liên tịch: not regulated by Nghị định
/// 30/2020; common practice): one signature block per issuer side by side,
/// the lead issuer's on the right and the others leftwards in the order
/// given; three share one row, more go two to a row. The blocks of a row have
/// their headings on one line and their names on one row. "Nơi nhận" follows
/// under the signatures, flush left.
FlowBlock joint_closing_block(const Ctx& c) {
    const auto& d = c.doc;
    const font::FontBook& fb = c.fonts;
    const auto& sigs = d.joint_signatures;
    FlowBlock fl;
    fl.keep_together = true;
    fl.space_before = c.doc.layout.paragraph_spacing_pt + 6;
    Box box;
    const double s = c.body_size;
    const double asc = fb.face(Face::regular).ascent();
    const std::size_t per_row = sigs.size() == 3 ? 3 : 2;
    const double col_w = c.width / double(per_row);
    double row_top = asc * s;
    for (std::size_t first = 0; first < sigs.size(); first += per_row) {
        const std::size_t last = std::min(sigs.size(), first + per_row);
        // The headings of the row, then the names on one row under the tallest heading.
        double name_y = row_top;
        std::vector<double> xs;
        for (std::size_t i = first; i < last; ++i) {
            double x = c.left + double(per_row - 1 - (i - first)) * col_w;
            xs.push_back(x);
            double y = row_top;
            std::vector<std::string> heads;
            for (const auto& a : sigs[i].authority) heads.push_back(upper(a));
            heads.push_back(upper(sigs[i].position));
            for (const auto& t : heads) {
                auto words = split_words({{t, true, false}}, s, fb);
                y = emit(box, set_text(words, col_w - 6, 0, Align::center, s), x + 3, y, c.line_h(s));
            }
            name_y = std::max(name_y, y);
        }
        name_y += c.line_h(s) * 4.0;  // room for the signature and seal
        double bottom = name_y;
        for (std::size_t i = first; i < last; ++i) {
            auto words = split_words({{sigs[i].name, true, false}}, s, fb);
            bottom = std::max(bottom, emit(box, set_text(words, col_w - 6, 0, Align::center, s), xs[i - first] + 3, name_y,
                                           c.line_h(s)));
        }
        row_top = bottom + c.line_h(s);
    }
    // "Nơi nhận" under the signatures.
    double ly = row_top - c.line_h(s) + c.line_h(12) * 0.5;
    box.lines.push_back(make_line(ly, c.left, Face::bold_italic, 12, "Nơi nhận:", fb));
    ly += c.line_h(12);
    const double rs = 11;
    const double dash = fb.width(Face::regular, rs, "- ");
    for (const auto& r : c.r.recipient_lines) {
        auto words = split_words({{r, false, false}}, rs, fb);
        ly = emit(box, set_text(words, c.width * 0.55, 0, Align::left, rs, dash), c.left, ly, c.line_h(rs));
    }
    box.height = ly - c.line_h(rs) + fb.face(Face::regular).descent() * rs;
    fl.boxes.push_back(std::move(box));
    return fl;
}

/// Page 1's marks outside the text flow: box 11 (circulation and recall
/// stamps) in the top-margin band above box 1, on the right half (PLI-1
/// §III.2.a, §IV.2); the DỰ THẢO mark (not regulated; generator
/// default) in the same band, over the organisation column; the address
/// footer [13] at the bottom, under a rule across the text width
/// (PLI-1 §III.4; PLIII M1.5). Returns the height the footer takes from page 1.
double page_one_marks(const Ctx& c, Page& p) {
    const auto& m = c.doc.marks;
    const font::FontBook& fb = c.fonts;
    const double s = c.body_size;
    const double h = 8 * kMm;
    const double top = std::max(4 * kMm, c.top - 3 * kMm - h);
    Box box;
    // Box 11: the stamps side by side, centred over the right column, kept inside the text width.
    std::vector<std::pair<std::string, std::uint32_t>> eleven;
    if (!m.circulation.empty()) eleven.push_back({m.circulation, 0});
    if (m.recall) eleven.push_back({"TÀI LIỆU THU HỒI", kStampRed});
    if (!eleven.empty()) {
        double total = 0;
        for (const auto& e : eleven) total += free_stamp_width(fb, e.first, s);
        total += double(eleven.size() - 1) * 4 * kMm;
        double centre = c.left + c.width * 0.7;
        double x = std::clamp(centre - total / 2, c.left + c.width / 2, c.right - total);
        for (const auto& e : eleven) {
            double w = free_stamp_width(fb, e.first, s);
            stamp(box, fb, e.first, x, top, w, h, s, e.second);
            x += w + 4 * kMm;
        }
    }
    if (!m.draft.empty()) stamp(box, fb, m.draft, c.left, top, free_stamp_width(fb, m.draft, s), h, s, 0);
    for (auto& l : box.lines) p.lines.push_back(std::move(l));
    for (auto& f : box.frames) p.frames.push_back(f);
    if (m.footer.empty()) return 0;
    // [13]: 11 pt lines, the last one's descent on the bottom margin; the rule above the first.
    const double fs = 11;
    const double lh = c.line_h(fs);
    double y = c.bottom - fb.face(Face::regular).descent() * fs - lh * double(m.footer.size() - 1);
    const double rule_y = y - fb.face(Face::regular).ascent() * fs - 3;
    p.rules.push_back({c.left, rule_y, c.right, rule_y, 0.6});
    for (const auto& t : m.footer) {
        p.lines.push_back(make_line(y, c.left, Face::regular, fs, t, fb));
        y += lh;
    }
    return c.bottom - rule_y + 6;
}

/// The text area and type sizes of `c` from its document's layout settings.
void set_frame(Ctx& c) {
    const auto& lo = c.doc.layout;
    c.left = lo.margin_left_mm * kMm;
    c.right = c.page_w - lo.margin_right_mm * kMm;
    c.top = lo.margin_top_mm * kMm;
    c.bottom = c.page_h - lo.margin_bottom_mm * kMm;
    c.width = c.right - c.left;
    c.body_size = lo.body_size_pt;
    c.header_size = lo.header_size_pt;
}

/// The paper copy block's heading (PLI-2 §II; PLIII M3.1): a solid rule
/// across the text width, then the copying organisation (UPPER, bold, short
/// rule under it) and "Số: 05/SY-VP" on the left, the copy form ("SAO Y",
/// bold) level with the organisation and the place-date line (italic) level
/// with the number on the right. No national title.
Box copy_heading(const Ctx& c) {
    const model::Copy& cp = *c.doc.copy;
    const font::FontBook& fb = c.fonts;
    Box box;
    const double hs = c.header_size, s = c.body_size;
    const double asc = fb.face(Face::regular).ascent();
    // The organisation's lines as given, when the column can be widened for them (up to 55 %).
    double widest = 0;
    for (const auto& l : cp.issuer_lines) widest = std::max(widest, fb.width(Face::bold, hs, upper(l)));
    const double left_w = std::clamp(widest + 8, c.width * 0.45, c.width * 0.55), right_w = c.width - left_w;
    const double lx = c.left, rx = c.left + left_w;
    box.rules.push_back({c.left, 0, c.right, 0, 0.6});
    double y = 12 + asc * hs;
    auto centred = [&](const std::string& text, Face f, double size, double col_x, double col_w, double at) {
        auto words = split_words({{text, f == Face::bold, f == Face::italic}}, size, fb);
        auto lines = set_text(words, col_w, 0, Align::center, size);
        double next = emit(box, lines, col_x, at, c.line_h(size));
        return std::make_pair(lines.empty() ? 0.0 : lines.back().width, next);
    };
    box.lines.push_back(make_line(y, rx + (right_w - fb.width(Face::bold, s, cp.form)) / 2, Face::bold, s, cp.form, fb));
    double above = 0;
    for (const auto& l : cp.issuer_lines) {
        auto [w, next] = centred(upper(l), Face::bold, hs, lx, left_w, y);
        above = w;
        y = next;
    }
    const double rule_y = y - c.line_h(hs) + hs * 0.4;
    const double rl = std::clamp(above * 0.4, above / 3, above / 2);
    box.rules.push_back({lx + (left_w - rl) / 2, rule_y, lx + (left_w + rl) / 2, rule_y, 0.6});
    const double base = rule_y + asc * s + 6;
    centred(c.r.copy_number_line, Face::regular, hs, lx, left_w, base);
    centred(c.r.copy_place_date_line, Face::italic, s, rx, right_w, base);
    box.height = base + fb.face(Face::regular).descent() * s;
    return box;
}

}  // namespace

void compose_copy(const resolve::Document& r, const font::FontBook& fonts, PagedDocument& out) {
    const model::Document& doc = r.model;
    if (!doc.copy) return;
    const auto& lo = doc.layout;
    if (doc.copy->electronic) {
        // PLI-2 §I.3, PLIII M3.2: one line at the top right of page 1, above the header: 10 pt, upright, black.
        if (out.pages.empty()) return;
        Ctx c{r, doc, fonts};
        set_frame(c);
        const double size = 10;
        const double w = fonts.width(Face::regular, size, r.copy_line);
        out.pages[0].lines.insert(out.pages[0].lines.begin(),
                                  make_line(c.top / 2 + size * 0.35, c.right - w, Face::regular, size, r.copy_line, fonts));
        out.pages[0].margin_line = r.copy_line;
        return;
    }
    // Paper: the copy block on a new page after the copied document; its
    // closing (Nơi nhận and the copy's signer) is the document's closing block
    // laid out for the copy.
    resolve::Document rc;
    rc.model.layout = lo;
    rc.model.copy = doc.copy;
    rc.model.signature = doc.copy->signature;
    rc.recipient_lines = r.copy_recipient_lines;
    rc.copy_number_line = r.copy_number_line;
    rc.copy_place_date_line = r.copy_place_date_line;
    Ctx c{rc, rc.model, fonts};
    set_frame(c);
    std::vector<FlowBlock> blocks(1);
    blocks[0].keep_together = true;
    blocks[0].keep_with_next = true;
    blocks[0].bookmark = doc.copy->form;
    blocks[0].boxes.push_back(copy_heading(c));
    blocks.push_back(closing_block(c));
    PageFrame frame{c.page_w, c.page_h, c.top, c.bottom};
    paginate(std::move(blocks), frame, out);
}

PagedDocument compose(const resolve::Document& r, const font::FontBook& fonts) {
    const model::Document& doc = r.model;
    Ctx c{r, doc, fonts};
    const auto& lo = doc.layout;
    set_frame(c);

    PagedDocument out;
    c.too_wide = &out.too_wide;
    WordBreakLog broken;
    std::vector<FlowBlock> blocks;
    {
        FlowBlock h;
        h.keep_together = true;
        h.boxes.push_back(header_box(c));
        blocks.push_back(std::move(h));
    }
    if (!doc.kinh_gui.empty()) blocks.push_back(kinh_gui_block(c));
    std::size_t preamble_start = blocks.size();
    preamble_blocks(c, blocks);
    std::size_t body_start = blocks.size();
    body_blocks(c, doc.body, blocks);
    if (blocks.size() > body_start)
        blocks[body_start].space_before = body_start == preamble_start ? c.body_line() * 0.6 : doc.layout.paragraph_spacing_pt;
    if (blocks.size() > body_start) blocks.back().keep_with_next = true;
    blocks.push_back(doc.joint_signatures.size() >= 2 ? joint_closing_block(c) : closing_block(c));

    PageFrame frame{c.page_w, c.page_h, c.top, c.bottom};
    {
        // The marks outside the flow are drawn on a scratch page first, to learn what the footer takes.
        Page scratch;
        double footer = page_one_marks(c, scratch);
        if (footer > 0) frame.first_bottom = c.bottom - footer;
    }
    paginate(std::move(blocks), frame, out);
    if (!out.pages.empty()) page_one_marks(c, out.pages.front());
    frame.first_bottom = 0;

    // Page numbers: centred in the top margin, from page 2.
    double ps = lo.page_number_size_pt;
    for (std::size_t i = 0; i < out.pages.size(); ++i) {
        if (i == 0) continue;
        std::string n = std::to_string(i + 1);
        double w = fonts.width(Face::regular, ps, n);
        out.pages[i].lines.insert(out.pages[i].lines.begin(),
                                  make_line(c.top / 2 + ps * 0.35, c.left + (c.width - w) / 2, Face::regular, ps, n, fonts));
        out.pages[i].number_label = n;
    }

    // Texts issued by the decision: each from a new page, with its own title
    // block and page numbers restarting at 1 (generator default: the decree is silent).
    for (std::size_t i = 0; i < doc.attached.size(); ++i) {
        const model::AttachedText& att = doc.attached[i];
        std::vector<FlowBlock> ab;
        FlowBlock h;
        h.keep_together = true;
        h.boxes.push_back(header_box(c, &att, i < r.attached_notes.size() ? r.attached_notes[i] : std::string()));
        h.bookmark = upper(att.type.name) + " " + att.summary;
        ab.push_back(std::move(h));
        std::size_t start = ab.size();
        body_blocks(c, att.body, ab);
        if (ab.size() > start) ab[start].space_before = c.body_line() * 0.6;
        std::size_t first = out.pages.size();
        paginate(std::move(ab), frame, out);
        for (std::size_t p = first + 1; p < out.pages.size(); ++p) {
            std::string n = std::to_string(p - first + 1);
            double w = fonts.width(Face::regular, ps, n);
            out.pages[p].lines.insert(out.pages[p].lines.begin(),
                                      make_line(c.top / 2 + ps * 0.35, c.left + (c.width - w) / 2, Face::regular, ps, n, fonts));
            out.pages[p].number_label = n;
        }
    }

    out.broken_words = std::move(broken.words);
    out.fonts = fonts.shared_from_this();
    out.meta.title = r.meta.title;
    out.meta.author = r.meta.author;
    out.meta.subject = r.meta.subject;
    out.meta.keywords = r.meta.keywords;
    out.meta.date = r.meta.iso_date();
    return out;
}

}  // namespace vanban::layout

#include "layout/annex.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "layout/text.hpp"
#include "vntext/vntext.hpp"

namespace vanban::layout {

namespace {

constexpr double kMm = 72.0 / 25.4;
constexpr double kPadX = 3.0;       // left/right padding inside a cell
constexpr double kPadTop = 2.0;     // above the first line's ascent
constexpr double kPadBottom = 2.5;  // below the last line's descent
constexpr double kBorder = 0.5;     // table rules

/// A cell's text set into lines, x relative to the cell's left edge, first
/// baseline relative to the cell's top.
struct SetCell {
    std::vector<Line> lines;  // y relative to the top of the cell's first line box
    int count = 0;
};

struct Geometry {
    double page_w = 0, page_h = 0;
    double left = 0, right = 0, top = 0, bottom = 0;
    double width() const { return right - left; }
};

Geometry geometry(const AnnexStyle& s, bool landscape) {
    Geometry g;
    double top = s.margin_top_mm, bottom = s.margin_bottom_mm, left = s.margin_left_mm, right = s.margin_right_mm;
    if (landscape) {
        // The sheet is turned a quarter: the binding edge (left) becomes the top.
        g.page_w = 841.8898;
        g.page_h = 595.2756;
        double t = left, b = right, l = bottom, r = top;
        top = t, bottom = b, left = l, right = r;
    } else {
        g.page_w = 595.2756;
        g.page_h = 841.8898;
    }
    g.left = left * kMm;
    g.right = g.page_w - right * kMm;
    g.top = top * kMm;
    g.bottom = g.page_h - bottom * kMm;
    return g;
}

class Setter {
public:
    Setter(const FontBook& fb, double size) : fb_(fb), size_(size) {
        const font::FontFace& r = fb.face(Face::regular);
        lh_ = size * r.line_height();
        asc_ = size * r.ascent();
        desc_ = size * r.descent();
    }
    double size() const { return size_; }
    double line_advance() const { return lh_; }
    double ascent() const { return asc_; }
    /// Height of a cell holding n lines, padding included.
    double cell_height(int n) const { return kPadTop + asc_ + (std::max(n, 1) - 1) * lh_ + desc_ + kPadBottom; }

    /// Sets `text` into a column `width` wide (padding excluded), aligned.
    /// Forced breaks ('\n') start new lines.
    SetCell set(const std::string& text, Face face, table::Align align, double width) const {
        SetCell out;
        double y = 0;
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t nl = text.find('\n', start);
            std::string part = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
            set_part(part, face, align, width, y, out);
            if (nl == std::string::npos) break;
            start = nl + 1;
        }
        return out;
    }

    double measure(Face f, const std::string& text) const { return fb_.width(f, size_, text); }

    /// Widest single word of text.
    double longest_word(Face f, const std::string& text) const {
        double w = 0;
        std::size_t i = 0;
        while (i < text.size()) {
            while (i < text.size() && (text[i] == ' ' || text[i] == '\n')) ++i;
            std::size_t j = i;
            while (j < text.size() && text[j] != ' ' && text[j] != '\n') ++j;
            if (j > i) w = std::max(w, fb_.width(f, size_, std::string_view(text).substr(i, j - i)));
            i = j;
        }
        return w;
    }

private:
    void set_part(const std::string& part, Face face, table::Align align, double width, double& y, SetCell& out) const {
        // Trim; an empty part still takes a line only when it is a forced blank line between parts.
        std::size_t b = part.find_first_not_of(' '), e = part.find_last_not_of(' ');
        std::string t = b == std::string::npos ? std::string() : part.substr(b, e - b + 1);
        if (t.empty()) {
            if (out.count > 0) {
                y += lh_;
                ++out.count;
            }
            return;
        }
        double w = fb_.width(face, size_, t);
        if (w <= width) {  // the common case: one line, no breaking
            Line l;
            l.y = y;
            double x = align == table::Align::left ? 0 : align == table::Align::center ? (width - w) / 2 : width - w;
            l.runs.push_back({x, face, size_, std::move(t), w});
            out.lines.push_back(std::move(l));
            y += lh_;
            ++out.count;
            return;
        }
        bool bold = face == Face::bold || face == Face::bold_italic;
        bool italic = face == Face::italic || face == Face::bold_italic;
        auto words = split_words({{t, bold, italic}}, size_, fb_);
        auto set = set_text(words, width, 0, align == table::Align::center ? Align::center : Align::left, size_);
        for (auto& sl : set) {
            Line l;
            l.y = y;
            double shift = align == table::Align::right ? std::max(0.0, width - sl.width) : 0;
            for (auto& r : sl.runs) {
                r.x += shift;
                l.runs.push_back(std::move(r));
            }
            out.lines.push_back(std::move(l));
            y += lh_;
            ++out.count;
        }
    }

    const FontBook& fb_;
    double size_, lh_, asc_, desc_;
};

/// Minimum and preferred widths of every column at one size (padding included).
struct Measures {
    std::vector<double> min, pref;
};

Measures measure(const table::ResolvedTable& t, const Setter& s) {
    const std::size_t n = t.columns.size();
    Measures m;
    m.min.assign(n, 0);
    m.pref.assign(n, 0);
    std::vector<double> body_full(n, 0);
    for (const auto& row : t.rows) {
        for (std::size_t c = 0; c < n && c < row.cells.size(); ++c) {
            const auto& cell = row.cells[c];
            if (cell.text.empty()) continue;
            Face f = face_of(cell.bold || row.bold, cell.italic);
            if (t.columns[c].format == model::ValueFormat::text) {
                m.min[c] = std::max(m.min[c], s.longest_word(f, cell.text));
                body_full[c] = std::max(body_full[c], s.measure(f, cell.text));
            } else {
                double w = s.measure(f, cell.text);  // numbers never wrap
                m.min[c] = std::max(m.min[c], w);
                body_full[c] = std::max(body_full[c], w);
            }
        }
    }
    if (!t.labels.empty())
        for (std::size_t c = 0; c < n && c < t.labels.size(); ++c)
            m.min[c] = std::max(m.min[c], s.measure(Face::italic, t.labels[c]));
    std::vector<double> header_pref(n, 0);
    for (const auto& h : t.header) {
        if (h.colspan != 1 || h.col < 0 || std::size_t(h.col) >= n) continue;
        std::size_t c = std::size_t(h.col);
        m.min[c] = std::max(m.min[c], s.longest_word(Face::bold, h.text));
        // A long header reads better on three lines than on ten.
        header_pref[c] = std::max(header_pref[c], s.measure(Face::bold, h.text) / 3.0);
    }
    for (std::size_t c = 0; c < n; ++c) {
        m.min[c] += 2 * kPadX;
        double pref = std::max(body_full[c], header_pref[c]) + 2 * kPadX;
        m.pref[c] = std::max(m.min[c], pref);
    }
    return m;
}

/// Column widths filling `total`, or empty when the minimum widths do not fit.
std::vector<double> allocate(const table::ResolvedTable& t, const Measures& m, double total) {
    const std::size_t n = t.columns.size();
    double sum_min = std::accumulate(m.min.begin(), m.min.end(), 0.0);
    if (sum_min > total + 0.01) return {};
    std::vector<double> w(n);
    bool hinted = std::any_of(t.columns.begin(), t.columns.end(), [](const auto& c) { return c.width > 0; });
    if (hinted) {
        // Declared relative widths; a column without a hint counts as 1.
        std::vector<double> weight(n);
        for (std::size_t c = 0; c < n; ++c) weight[c] = t.columns[c].width > 0 ? t.columns[c].width : 1.0;
        std::vector<bool> fixed(n, false);
        for (int pass = 0; pass < int(n) + 1; ++pass) {
            double free_total = total, free_weight = 0;
            for (std::size_t c = 0; c < n; ++c) {
                if (fixed[c]) free_total -= w[c];
                else free_weight += weight[c];
            }
            bool changed = false;
            for (std::size_t c = 0; c < n; ++c) {
                if (fixed[c]) continue;
                w[c] = free_total * weight[c] / free_weight;
                if (w[c] < m.min[c]) {
                    w[c] = m.min[c];
                    fixed[c] = true;
                    changed = true;
                }
            }
            if (!changed) break;
        }
        return w;
    }
    double sum_pref = std::accumulate(m.pref.begin(), m.pref.end(), 0.0);
    if (sum_pref <= total) {
        for (std::size_t c = 0; c < n; ++c) w[c] = m.pref[c] * total / sum_pref;
    } else {
        double k = (total - sum_min) / (sum_pref - sum_min);
        for (std::size_t c = 0; c < n; ++c) w[c] = m.min[c] + (m.pref[c] - m.min[c]) * k;
    }
    return w;
}

/// Rows of the header area (header grid + label row) set and measured once,
/// drawn again on every page the table continues on.
struct Head {
    struct Placed {
        SetCell text;
        double x0, x1;     // cell edges relative to the table's left
        int row0, row1;    // grid rows covered (inclusive)
        double text_h;     // height of the text block
    };
    std::vector<Placed> cells;
    std::vector<double> row_h;  // heights of the grid rows (header rows, then the label row)
    double height() const { return std::accumulate(row_h.begin(), row_h.end(), 0.0); }
};

Head build_head(const table::ResolvedTable& t, const std::vector<double>& colx, const Setter& s) {
    Head h;
    const int grid_rows = t.head_rows();
    h.row_h.assign(std::size_t(grid_rows), s.cell_height(1));
    auto cells = t.header;
    std::stable_sort(cells.begin(), cells.end(), [](const auto& a, const auto& b) { return a.rowspan < b.rowspan; });
    for (const auto& hc : cells) {
        Head::Placed p;
        p.x0 = colx[std::size_t(hc.col)];
        p.x1 = colx[std::size_t(hc.col + hc.colspan)];
        p.row0 = hc.row;
        p.row1 = hc.row + hc.rowspan - 1;
        p.text = s.set(hc.text, Face::bold, table::Align::center, p.x1 - p.x0 - 2 * kPadX);
        p.text_h = s.cell_height(p.text.count);
        double have = 0;
        for (int r = p.row0; r <= p.row1; ++r) have += h.row_h[std::size_t(r)];
        if (p.text_h > have) h.row_h[std::size_t(p.row1)] += p.text_h - have;
        h.cells.push_back(std::move(p));
    }
    if (!t.labels.empty()) {
        for (std::size_t c = 0; c < t.columns.size() && c < t.labels.size(); ++c) {
            Head::Placed p;
            p.x0 = colx[c];
            p.x1 = colx[c + 1];
            p.row0 = p.row1 = t.header_rows;
            p.text = s.set(t.labels[c], Face::italic, table::Align::center, p.x1 - p.x0 - 2 * kPadX);
            p.text_h = s.cell_height(p.text.count);
            h.row_h[std::size_t(t.header_rows)] = std::max(h.row_h[std::size_t(t.header_rows)], p.text_h);
            h.cells.push_back(std::move(p));
        }
    }
    return h;
}

void place_lines(Page& page, const SetCell& sc, double x, double first_baseline) {
    for (const auto& l : sc.lines) {
        Line copy = l;
        copy.y += first_baseline;
        for (auto& r : copy.runs) r.x += x;
        page.lines.push_back(std::move(copy));
    }
}

void hrule(Page& p, double x1, double x2, double y) { p.rules.push_back({x1, y, x2, y, kBorder}); }
void vrule(Page& p, double x, double y1, double y2) { p.rules.push_back({x, y1, x, y2, kBorder}); }

/// Draws the header area with its top at y; returns its height.
double draw_head(Page& page, const Head& h, double left, double y, const Setter& s) {
    std::vector<double> row_y(h.row_h.size() + 1, y);
    for (std::size_t r = 0; r < h.row_h.size(); ++r) row_y[r + 1] = row_y[r] + h.row_h[r];
    for (const auto& p : h.cells) {
        double top = row_y[std::size_t(p.row0)], bottom = row_y[std::size_t(p.row1) + 1];
        double off = std::max(0.0, (bottom - top - p.text_h) / 2);  // centred vertically
        place_lines(page, p.text, left + p.x0 + kPadX, top + off + kPadTop + s.ascent());
        hrule(page, left + p.x0, left + p.x1, top);
        vrule(page, left + p.x0, top, bottom);
    }
    return row_y.back() - y;
}

struct BodyRow {
    std::vector<SetCell> cells;
    double height = 0;
};

BodyRow build_row(const table::ResolvedTable& t, const table::ResolvedRow& row, const std::vector<double>& colx,
                  const Setter& s) {
    BodyRow br;
    br.cells.resize(t.columns.size());
    int lines = 1;
    for (std::size_t c = 0; c < t.columns.size() && c < row.cells.size(); ++c) {
        const auto& cell = row.cells[c];
        if (cell.text.empty()) continue;
        br.cells[c] = s.set(cell.text, face_of(cell.bold || row.bold, cell.italic), cell.align,
                            colx[c + 1] - colx[c] - 2 * kPadX);
        lines = std::max(lines, br.cells[c].count);
    }
    br.height = s.cell_height(lines);
    return br;
}

/// How a table is set: the sheet's orientation, the type size and the column widths.
struct Fit {
    bool landscape = false;
    double size = 0;
    std::vector<double> widths;  ///< empty when no size fits
};

/// Orientation and size: the declared orientation, else portrait when the
/// table fits it; the text shrinks from 12 pt down to 9 pt before giving up.
Fit choose_fit(const table::ResolvedTable& t, const AnnexStyle& style, const FontBook& fonts) {
    std::vector<bool> orientations;
    if (t.orientation == model::Orientation::portrait) orientations = {false};
    else if (t.orientation == model::Orientation::landscape || t.landscape) orientations = {true};
    else orientations = {false, true};
    Fit fit;
    fit.landscape = orientations.back();
    fit.size = style.cell_size;
    for (std::size_t oi = 0; oi < orientations.size() && fit.widths.empty(); ++oi) {
        bool last_orientation = oi + 1 == orientations.size();
        // Portrait is worth a smaller type only down to 11 pt when landscape remains possible.
        double floor = last_orientation ? 9.0 : std::min(11.0, style.cell_size);
        Geometry g = geometry(style, orientations[oi]);
        for (double sz = style.cell_size; sz >= floor - 0.01 && fit.widths.empty(); sz -= 1.0) {
            Setter s(fonts, sz);
            fit.widths = allocate(t, measure(t, s), g.width());
            if (!fit.widths.empty()) {
                fit.landscape = orientations[oi];
                fit.size = sz;
            }
        }
    }
    return fit;
}

/// When even 9 pt on the chosen sheet cannot hold the longest words: every
/// column gets its minimum width up to a common cap chosen so that the
/// columns fill the sheet; the widest words (those of the capped columns) are
/// then broken by set_text, so nothing is drawn outside the page.
void share_by_minimum_width(const table::ResolvedTable& t, const FontBook& fonts, const Geometry& g, Fit& fit) {
    const std::size_t ncols = t.columns.size();
    fit.size = 9.0;
    Measures m = measure(t, Setter(fonts, fit.size));
    if (ncols == 0) return;
    auto capped = [&](double cap) {
        double sum = 0;
        for (double w : m.min) sum += std::min(w, cap);
        return sum;
    };
    double lo = 0, hi = *std::max_element(m.min.begin(), m.min.end());
    for (int i = 0; i < 60; ++i) {
        const double mid = (lo + hi) / 2;
        (capped(mid) > g.width() ? hi : lo) = mid;
    }
    const double sum = capped(lo);
    fit.widths.resize(ncols);
    for (std::size_t c = 0; c < ncols; ++c) fit.widths[c] = std::min(m.min[c], lo) * g.width() / sum;
}

/// Sets one annex table on pages of its own added to a PagedDocument, step by
/// step: the title block, the table, the notes, the page numbers.
class AnnexComposer {
public:
    AnnexComposer(const table::ResolvedTable& t, const AnnexStyle& style, const FontBook& fonts, const Geometry& g,
                  const Fit& fit, PagedDocument& out);

    /// Starts the first page with the label, title, caption, rule and subtitles, and bookmarks it.
    void set_title_block();
    /// Sets the table, its header repeated on every page it continues on.
    void set_table();
    /// Sets the notes under the table.
    void set_notes();
    /// Numbers the pages after the first: each annex counts its own pages.
    void number_pages();

    AnnexLayout res;

private:
    Page& new_page();
    double centred(const std::string& text, Face f, double sz);
    void set_rule_under_title(double caption_w);
    void set_subtitles();
    void open_table();
    void close_table();
    void continue_on_new_page();
    double space_needed(std::size_t i, const BodyRow& br) const;
    void place_row(const BodyRow& br);

    const table::ResolvedTable& t;
    const AnnexStyle& style;
    const FontBook& fonts;
    const Geometry g;
    PagedDocument& out;
    const double size;
    const Setter cs;
    std::vector<double> colx;
    double table_w = 0;
    Page* page = nullptr;
    double y = 0;
    // The table being set.
    double x0 = 0;
    Head head;
    double table_top = 0;
    bool rows_on_page = false;
};

AnnexComposer::AnnexComposer(const table::ResolvedTable& t, const AnnexStyle& style, const FontBook& fonts,
                             const Geometry& g, const Fit& fit, PagedDocument& out)
    : t(t), style(style), fonts(fonts), g(g), out(out), size(fit.size), cs(fonts, fit.size) {
    const std::size_t ncols = t.columns.size();
    colx.assign(ncols + 1, 0);
    for (std::size_t c = 0; c < ncols; ++c) colx[c + 1] = colx[c] + fit.widths[c];
    table_w = colx.back();

    res.first_page = int(out.pages.size());
    res.landscape = fit.landscape;
    res.cell_size = fit.size;
    res.column_widths = fit.widths;
}

/// Adds a page of the annex's sheet size.
Page& AnnexComposer::new_page() {
    Page p;
    p.width = g.page_w;
    p.height = g.page_h;
    out.pages.push_back(std::move(p));
    return out.pages.back();
}

/// Sets text centred across the text width at y and moves y below it; returns the widest line's width.
double AnnexComposer::centred(const std::string& text, Face f, double sz) {
    Setter st(fonts, sz);
    SetCell sc = st.set(text, f, table::Align::center, g.width());
    place_lines(*page, sc, g.left, y + st.ascent());
    double last_w = 0;
    for (const auto& l : sc.lines) {
        double w = 0;
        for (const auto& r : l.runs) w = std::max(w, r.x + r.width);
        last_w = std::max(last_w, w - (l.runs.empty() ? 0 : l.runs.front().x));
    }
    y += sc.count * st.line_advance();
    return last_w;
}

void AnnexComposer::set_title_block() {
    page = &new_page();
    const double ts = style.title_size;
    y = g.top;
    std::string bookmark;
    if (!t.label.empty()) {
        centred(t.label, Face::bold, ts);
        bookmark = t.label;
    }
    if (!t.title.empty()) {
        std::string up = vntext::upper(t.title);
        centred(up, Face::bold, ts);
        bookmark += (bookmark.empty() ? "" : ". ") + up;
    }
    double caption_w = 0;
    if (t.caption && !t.caption->empty()) caption_w = centred(*t.caption, Face::italic, ts);
    set_rule_under_title(caption_w);
    set_subtitles();
    y += 4;
    if (!bookmark.empty()) out.bookmarks.push_back({bookmark, res.first_page, g.top});
}

/// The short rule under the title block.
void AnnexComposer::set_rule_under_title(double caption_w) {
    const double ts = style.title_size;
    Setter title(fonts, ts);
    double rw = std::clamp(caption_w > 0 ? caption_w / 3 : g.width() / 4, 60.0, g.width() / 3);
    double ry = y - title.line_advance() + title.ascent() + fonts.face(Face::regular).descent() * ts + 5;
    double cx = g.left + g.width() / 2;
    page->rules.push_back({cx - rw / 2, ry, cx + rw / 2, ry, kBorder});
    y = ry + 6;
}

/// The subtitles, centred, but a unit line ("Đơn vị tính", "ĐVT") to the right.
void AnnexComposer::set_subtitles() {
    const double ts = style.title_size;
    for (const auto& sub : t.subtitle) {
        bool unit = sub.rfind("Đơn vị tính", 0) == 0 || sub.rfind("ĐVT", 0) == 0;
        Setter st(fonts, ts - 1);
        SetCell sc = st.set(sub, Face::italic, unit ? table::Align::right : table::Align::center, g.width());
        place_lines(*page, sc, g.left, y + st.ascent());
        y += sc.count * st.line_advance();
    }
}

void AnnexComposer::set_table() {
    x0 = g.left + (g.width() - table_w) / 2;
    head = build_head(t, colx, cs);
    const double head_h = head.height();
    // Keep the header with at least the first row.
    if (!t.rows.empty()) {
        BodyRow first = build_row(t, t.rows.front(), colx, cs);
        if (y + head_h + first.height > g.bottom && y > g.top + 0.01) {
            // The title block stays; the table starts on the next page with its header.
            page = &new_page();
            y = g.top;
        }
    }
    open_table();
    for (std::size_t i = 0; i < t.rows.size(); ++i) {
        BodyRow br = build_row(t, t.rows[i], colx, cs);
        if (y + space_needed(i, br) > g.bottom + 0.01 && rows_on_page) continue_on_new_page();
        place_row(br);
    }
    close_table();
}

/// Draws the header at y: the top of the table on this page.
void AnnexComposer::open_table() {
    table_top = y;
    y += draw_head(*page, head, x0, y, cs);
    rows_on_page = false;
}

/// Draws the table's bottom and right edges on this page.
void AnnexComposer::close_table() {
    hrule(*page, x0, x0 + table_w, y);
    vrule(*page, x0 + table_w, table_top, y);
}

/// Closes the table on this page and opens it again on a new one.
void AnnexComposer::continue_on_new_page() {
    close_table();
    page = &new_page();
    y = g.top;
    open_table();
}

/// The height row i needs at the foot of the page, with the rows it keeps with it.
double AnnexComposer::space_needed(std::size_t i, const BodyRow& br) const {
    const auto& row = t.rows[i];
    double need = br.height;
    // A group heading is never the last row of a page.
    if (row.kind == table::RowKind::group && i + 1 < t.rows.size())
        need += build_row(t, t.rows[i + 1], colx, cs).height;
    // Nor does a table end with a single row on a page of its own.
    if (i + 2 == t.rows.size() && t.rows.size() >= 4 && y + br.height <= g.bottom + 0.01)
        if (double both = br.height + build_row(t, t.rows[i + 1], colx, cs).height; y + both > g.bottom + 0.01)
            need = both;
    return need;
}

/// Draws a body row at y with its rules, and moves y below it.
void AnnexComposer::place_row(const BodyRow& br) {
    const double row_top = y;
    const double baseline = row_top + kPadTop + cs.ascent();
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        place_lines(*page, br.cells[c], x0 + colx[c] + kPadX, baseline);
        vrule(*page, x0 + colx[c], row_top, row_top + br.height);
    }
    hrule(*page, x0, x0 + table_w, row_top);
    y += br.height;
    rows_on_page = true;
}

void AnnexComposer::set_notes() {
    if (!t.notes.empty()) {
        Setter ns(fonts, std::max(size, 12.0));
        y += 4;
        for (const auto& note : t.notes) {
            SetCell sc = ns.set(note, Face::italic, table::Align::left, g.width());
            double h = sc.count * ns.line_advance();
            if (y + h > g.bottom) {
                page = &new_page();
                y = g.top;
            }
            place_lines(*page, sc, g.left, y + ns.ascent());
            y += h;
        }
    }
}

void AnnexComposer::number_pages() {
    res.pages = int(out.pages.size()) - res.first_page;
    const double ps = style.page_number_size;
    for (int i = 1; i < res.pages; ++i) {
        Page& p = out.pages[std::size_t(res.first_page + i)];
        std::string n = std::to_string(i + 1);
        double w = fonts.width(Face::regular, ps, n);
        Line l;
        l.y = g.top / 2 + ps * 0.35;
        l.runs.push_back({g.left + (g.width() - w) / 2, Face::regular, ps, n, w});
        p.lines.insert(p.lines.begin(), std::move(l));
        p.number_label = n;
    }
}

}  // namespace

AnnexLayout compose_annex(const table::ResolvedTable& t, const AnnexStyle& style, const FontBook& fonts,
                          PagedDocument& out) {
    Fit fit = choose_fit(t, style, fonts);
    const Geometry g = geometry(style, fit.landscape);
    if (fit.widths.empty()) share_by_minimum_width(t, fonts, g, fit);
    WordBreakLog broken;
    AnnexComposer c(t, style, fonts, g, fit, out);
    c.set_title_block();
    c.set_table();
    c.set_notes();
    c.number_pages();
    for (auto& w : broken.words) out.broken_words.push_back(std::move(w));
    return std::move(c.res);
}

}  // namespace vanban::layout

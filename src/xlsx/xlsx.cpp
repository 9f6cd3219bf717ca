// vanban_xlsx: see xlsx/xlsx.hpp.
#include "xlsx/xlsx.hpp"

#include "core/time_lock.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>

#include <locale.h>
#include <unistd.h>

#include "vntext/vntext.hpp"
#include "core/i18n.hpp"

namespace vanban::xlsx {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxSheetName = 31;
constexpr double kLinePt = 16.0;  ///< height of one 12 pt line
constexpr double kMmPerInch = 25.4;

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

/// First `n` code points of valid UTF-8.
std::string cut(const std::string& s, std::size_t n) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (count == n) return s.substr(0, i);
            ++count;
        }
    }
    return s;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\'')) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\'')) ++i;
    return s.substr(i);
}

std::string clean_sheet_name(const std::string& raw) {
    std::string s;
    for (char c : vntext::nfc(raw)) {
        if (c == '[' || c == ']' || c == ':' || c == '*' || c == '?' || c == '/' || c == '\\') s += ' ';
        else if (c == '\n' || c == '\r' || c == '\t') s += ' ';
        else s += c;
    }
    // Collapse runs of spaces.
    std::string out;
    for (char c : s)
        if (!(c == ' ' && !out.empty() && out.back() == ' ')) out += c;
    return trim(out);
}

void check(lxw_error e, const std::string& what) {
    if (e != LXW_NO_ERROR) throw XlsxError(tx("cannot write the workbook ({}): {}", what, lxw_strerror(e)));
}

long long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const long long yoe = y - era * 400;
    const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/// Formats by their description, created once per workbook.
class Formats {
public:
    Formats(lxw_workbook* wb, std::string font) : wb_(wb), font_(std::move(font)) {}

    struct Spec {
        double size = 12;
        bool bold = false, italic = false, border = false, wrap = true;
        uint8_t align = LXW_ALIGN_LEFT;
        std::string num;
    };

    lxw_format* get(const Spec& s) {
        std::string key = std::to_string(s.size) + (s.bold ? "b" : "") + (s.italic ? "i" : "") +
                          (s.border ? "B" : "") + (s.wrap ? "w" : "") + std::to_string(s.align) + "|" + s.num;
        auto it = cache_.find(key);
        if (it != cache_.end()) return it->second;
        lxw_format* f = workbook_add_format(wb_);
        if (!f) throw XlsxError(tx("cannot write the workbook: out of memory"));
        format_set_font_name(f, font_.c_str());
        format_set_font_size(f, s.size);
        if (s.bold) format_set_bold(f);
        if (s.italic) format_set_italic(f);
        if (s.border) format_set_border(f, LXW_BORDER_THIN);
        if (s.wrap) format_set_text_wrap(f);
        format_set_align(f, s.align);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        if (!s.num.empty()) format_set_num_format(f, s.num.c_str());
        cache_.emplace(key, f);
        return f;
    }

private:
    lxw_workbook* wb_;
    std::string font_;
    std::map<std::string, lxw_format*> cache_;
};

uint8_t lxw_align(table::Align a) {
    switch (a) {
        case table::Align::left: return LXW_ALIGN_LEFT;
        case table::Align::center: return LXW_ALIGN_CENTER;
        case table::Align::right: return LXW_ALIGN_RIGHT;
    }
    return LXW_ALIGN_LEFT;
}

/// Lines a text needs in a box `width` characters wide (word wrapping).
int lines_needed(const std::string& text, double width) {
    if (text.empty()) return 1;
    int lines = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        std::string para = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        // Greedy word wrap on code-point counts.
        double used = 0;
        int l = 1;
        std::size_t i = 0;
        while (i <= para.size()) {
            std::size_t sp = para.find(' ', i);
            std::string word = para.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
            double w = double(code_points(word));
            if (used > 0 && used + 1 + w > width) {
                ++l;
                used = w;
            } else {
                used += (used > 0 ? 1 : 0) + w;
            }
            while (used > width && width >= 1) {  // a word longer than the box
                ++l;
                used -= width;
            }
            if (sp == std::string::npos) break;
            i = sp + 1;
        }
        lines += l;
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    return std::max(lines, 1);
}

class SheetWriter {
public:
    SheetWriter(lxw_worksheet* ws, Formats& fmt, const table::ResolvedTable& t, const WorkbookMeta& meta, bool landscape)
        : ws_(ws), fmt_(fmt), t_(t), meta_(meta), ncols_(int(t.columns.size())), landscape_(landscape) {}

    void write() {
        if (ncols_ == 0) throw XlsxError(tx("cannot write table \"{}\": it has no columns", t_.title));
        fit_widths();
        int r = 0;
        if (!t_.label.empty()) r = banner(r, t_.label, {14, true, false, false, true, LXW_ALIGN_CENTER, {}});
        r = banner(r, vntext::upper(t_.title), {13, true, false, false, true, LXW_ALIGN_CENTER, {}});
        if (t_.caption && !t_.caption->empty())
            r = banner(r, *t_.caption, {13, false, true, false, true, LXW_ALIGN_CENTER, {}});
        for (const auto& s : t_.subtitle) r = banner(r, s, {12, false, true, false, true, LXW_ALIGN_CENTER, {}});
        ++r;  // a blank row before the table
        header_row0_ = r;
        write_header();
        r += t_.header_rows;
        if (!t_.labels.empty()) {
            Formats::Spec s{12, true, true, true, true, LXW_ALIGN_CENTER, {}};
            for (int c = 0; c < ncols_; ++c)
                check(worksheet_write_string(ws_, lxw_row_t(r), lxw_col_t(c), t_.labels[std::size_t(c)].c_str(), fmt_.get(s)),
                      "label row");
            ++r;
        }
        body_row0_ = r;
        write_body();
        r += int(t_.rows.size());
        if (!t_.notes.empty()) {
            ++r;
            for (const auto& n : t_.notes) r = banner(r, n, {12, false, true, false, true, LXW_ALIGN_LEFT, {}});
        }
        print_setup();
    }

private:
    void fit_widths() {
        widths_.resize(std::size_t(ncols_));
        std::vector<std::size_t> header_chars(std::size_t(ncols_), 0);
        for (const auto& h : t_.header)
            if (h.colspan == 1) header_chars[std::size_t(h.col)] = code_points(h.text);
        for (int c = 0; c < ncols_; ++c) {
            const auto& col = t_.columns[std::size_t(c)];
            double w = col.content_chars + 2.0;
            // A long header is better on three or four lines than on ten.
            w = std::max(w, std::min(std::ceil(double(header_chars[std::size_t(c)]) / 3.5) + 1.0, 16.0));
            if (col.format == model::ValueFormat::text && w > 40) w = 40;
            widths_[std::size_t(c)] = std::clamp(w, 5.0, 60.0);
            check(worksheet_set_column(ws_, lxw_col_t(c), lxw_col_t(c), widths_[std::size_t(c)], nullptr), "column width");
        }
    }

    double span_width(int first, int count) const {
        double w = 0;
        for (int c = first; c < first + count && c < ncols_; ++c) w += widths_[std::size_t(c)];
        return w;
    }

    int banner(int r, const std::string& text, const Formats::Spec& spec) {
        lxw_format* f = fmt_.get(spec);
        double total = span_width(0, ncols_);
        int lines = lines_needed(text, std::max(1.0, total * 12.0 / spec.size - 2));
        check(worksheet_set_row(ws_, lxw_row_t(r), lines * kLinePt * spec.size / 12.0 + 2, nullptr), "row height");
        if (ncols_ > 1)
            check(worksheet_merge_range(ws_, lxw_row_t(r), 0, lxw_row_t(r), lxw_col_t(ncols_ - 1), text.c_str(), f),
                  "merged title");
        else
            check(worksheet_write_string(ws_, lxw_row_t(r), 0, text.c_str(), f), "title");
        return r + 1;
    }

    void write_header() {
        Formats::Spec s{12, true, false, true, true, LXW_ALIGN_CENTER, {}};
        lxw_format* f = fmt_.get(s);
        std::vector<double> heights(std::size_t(t_.header_rows), kLinePt + 2);
        auto cells = t_.header;
        std::stable_sort(cells.begin(), cells.end(),
                         [](const table::HeaderCell& a, const table::HeaderCell& b) { return a.rowspan < b.rowspan; });
        for (const auto& h : cells) {
            lxw_row_t r0 = lxw_row_t(header_row0_ + h.row), r1 = lxw_row_t(header_row0_ + h.row + h.rowspan - 1);
            lxw_col_t c0 = lxw_col_t(h.col), c1 = lxw_col_t(h.col + h.colspan - 1);
            if (r0 != r1 || c0 != c1)
                check(worksheet_merge_range(ws_, r0, c0, r1, c1, h.text.c_str(), f), "merged header cell");
            else
                check(worksheet_write_string(ws_, r0, c0, h.text.c_str(), f), "header cell");
            double need = lines_needed(h.text, std::max(1.0, span_width(h.col, h.colspan) - 1.5)) * kLinePt + 4;
            double have = 0;
            for (int k = h.row; k < h.row + h.rowspan; ++k) have += heights[std::size_t(k)];
            if (need > have) heights[std::size_t(h.row + h.rowspan - 1)] += need - have;
        }
        for (int k = 0; k < t_.header_rows; ++k)
            check(worksheet_set_row(ws_, lxw_row_t(header_row0_ + k), heights[std::size_t(k)], nullptr), "header height");
    }

    void write_body() {
        for (std::size_t i = 0; i < t_.rows.size(); ++i) {
            const auto& row = t_.rows[i];
            lxw_row_t r = lxw_row_t(body_row0_ + int(i));
            double height = kLinePt + 2;
            for (int c = 0; c < ncols_; ++c) {
                const auto& cell = row.cells[std::size_t(c)];
                Formats::Spec s{12, cell.bold, cell.italic, true, true, lxw_align(cell.align), cell.excel_format};
                lxw_format* f = fmt_.get(s);
                lxw_col_t col = lxw_col_t(c);
                if (!cell.formula.empty()) {
                    std::string formula(1, '=');
                    formula += cell.formula.to_a1(body_row0_, 0);
                    if (cell.value)
                        check(worksheet_write_formula_num(ws_, r, col, formula.c_str(), f, cell.value->to_double()),
                              "formula");
                    else  // an unknown result is "" in the workbook, whatever mark the PDF prints
                        check(worksheet_write_formula_str(ws_, r, col, formula.c_str(), f,
                                                          cell.unknown ? "" : cell.text.c_str()),
                              "formula");
                } else if (cell.value) {
                    check(worksheet_write_number(ws_, r, col, cell.value->to_double(), f), "number");
                } else if (cell.unknown) {
                    check(worksheet_write_blank(ws_, r, col, f), "unknown cell");
                } else if (!cell.text.empty()) {
                    check(worksheet_write_string(ws_, r, col, cell.text.c_str(), f), "text");
                    if (t_.columns[std::size_t(c)].format == model::ValueFormat::text)
                        height = std::max(height, lines_needed(cell.text, std::max(1.0, widths_[std::size_t(c)] - 1.5)) *
                                                      kLinePt + 2);
                } else {
                    check(worksheet_write_blank(ws_, r, col, f), "blank cell");
                }
            }
            if (height > kLinePt + 2) check(worksheet_set_row(ws_, r, height, nullptr), "row height");
        }
    }

    void print_setup() {
        worksheet_set_paper(ws_, 9);  // A4
        double top = meta_.margin_top_mm, bottom = meta_.margin_bottom_mm, left = meta_.margin_left_mm,
               right = meta_.margin_right_mm;
        if (landscape_) {
            worksheet_set_landscape(ws_);
            double pt = top, pb = bottom, pl = left, pr = right;
            top = pl;
            bottom = pr;
            left = pb;
            right = pt;
        } else {
            worksheet_set_portrait(ws_);
        }
        worksheet_set_margins(ws_, left / kMmPerInch, right / kMmPerInch, top / kMmPerInch, bottom / kMmPerInch);
        worksheet_fit_to_pages(ws_, 1, 0);
        worksheet_center_horizontally(ws_);
        check(worksheet_repeat_rows(ws_, lxw_row_t(header_row0_), lxw_row_t(body_row0_ - 1)), "repeated header rows");
        worksheet_freeze_panes(ws_, lxw_row_t(body_row0_), 0);
        lxw_header_footer_options hopt{};
        hopt.margin = std::max(0.2, top / kMmPerInch / 2);
        std::string header = "&C&\"" + meta_.font_name + ",Regular\"&13&P";
        check(worksheet_set_header_opt(ws_, header.c_str(), &hopt), "page header");
    }

    lxw_worksheet* ws_;
    Formats& fmt_;
    const table::ResolvedTable& t_;
    const WorkbookMeta& meta_;
    int ncols_;
    bool landscape_;
    std::vector<double> widths_;
    int header_row0_ = 0;
    int body_row0_ = 0;
};

/// Owns the workbook until it is closed, and the temporary file until renamed.
struct Pending {
    lxw_workbook* wb = nullptr;
    std::string tmp;
    bool done = false;
    ~Pending() {
        if (wb) lxw_workbook_free(wb);
        if (!done && !tmp.empty()) {
            std::error_code ec;
            fs::remove(tmp, ec);
        }
    }
};

/// Runs the writer in the "C" locale on this thread (uselocale, never
/// setlocale): libxlsxwriter prints numbers with the current LC_NUMERIC.
class CLocale {
public:
    CLocale() : c_(newlocale(LC_ALL_MASK, "C", locale_t(0))) {
        if (c_) old_ = uselocale(c_);
    }
    ~CLocale() {
        if (c_) {
            uselocale(old_);
            freelocale(c_);
        }
    }
    CLocale(const CLocale&) = delete;
    CLocale& operator=(const CLocale&) = delete;

private:
    locale_t c_;
    locale_t old_ = locale_t(0);
};

}  // namespace

std::vector<std::string> sheet_names(const std::vector<table::ResolvedTable>& tables) {
    std::vector<std::string> out;
    std::set<std::string> used = {"history"};  // case-folded; "History" is reserved by Excel
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const auto& t = tables[i];
        std::string base = clean_sheet_name(!t.sheet_name.empty() ? t.sheet_name : !t.label.empty() ? t.label : t.title);
        if (base.empty()) base = "Biểu " + std::to_string(i + 1);
        base = trim(cut(base, kMaxSheetName));
        std::string name = base;
        for (int n = 2; used.count(vntext::lower(name)); ++n) {
            std::string suffix = " (" + std::to_string(n) + ")";
            name = trim(cut(base, kMaxSheetName - code_points(suffix))) + suffix;
        }
        used.insert(vntext::lower(name));
        out.push_back(name);
    }
    return out;
}

void write_workbook(const std::string& path, const std::vector<table::ResolvedTable>& tables, const WorkbookMeta& meta) {
    if (tables.empty()) throw XlsxError(tx("cannot write {}: there are no tables to write", path));
    CLocale c_locale;
    fs::path target(path);
    fs::path dir = target.parent_path();
    if (dir.empty()) dir = ".";
    std::error_code dir_ec;
    if (!fs::is_directory(dir, dir_ec)) throw XlsxError(tx("cannot write {}: folder {} does not exist", path, dir.string()));
    Pending p;
    p.tmp = (dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()))).string();

    lxw_workbook_options opts{};
    opts.constant_memory = LXW_FALSE;
    // libxlsxwriter writes every part of the package to a temporary file before
    // zipping it; in memory (/dev/shm) that costs far less than on disk.
    std::string tmpdir = dir.string();
    if (::access("/dev/shm", W_OK | X_OK) == 0) tmpdir = "/dev/shm";
    opts.tmpdir = tmpdir.data();
    p.wb = workbook_new_opt(p.tmp.c_str(), &opts);
    if (!p.wb) throw XlsxError(tx("cannot create {}: out of memory", path));

    lxw_doc_properties props{};
    std::string title = meta.title, subject = meta.subject, author = meta.author, company = meta.company;
    props.title = title.empty() ? nullptr : title.data();
    props.subject = subject.empty() ? nullptr : subject.data();
    props.author = author.empty() ? nullptr : author.data();
    props.company = company.empty() ? nullptr : company.data();
    int month = std::clamp(meta.month.value_or(1), 1, 12);
    int day = std::clamp(meta.day.value_or(1), 1, 31);
    props.created = static_cast<time_t>(days_from_civil(meta.year, month, day) * 86400LL);
    check(workbook_set_properties(p.wb, &props), "properties");

    Formats formats(p.wb, meta.font_name);
    auto names = sheet_names(tables);
    for (std::size_t i = 0; i < tables.size(); ++i) {
        lxw_worksheet* ws = workbook_add_worksheet(p.wb, names[i].c_str());
        if (!ws) throw XlsxError(tx("cannot write {}: sheet name \"{}\" was refused", path, names[i]));
        bool landscape = i < meta.landscape.size() ? meta.landscape[i] : tables[i].landscape;
        SheetWriter(ws, formats, tables[i], meta, landscape).write();
    }
    lxw_workbook* wb = p.wb;
    p.wb = nullptr;  // workbook_close frees it, whatever the outcome
    lxw_error e;
    {
        std::lock_guard<std::mutex> time_guard(libc_time_lock());  // workbook_close() formats the dates with gmtime()
        e = workbook_close(wb);
    }
    if (e != LXW_NO_ERROR) throw XlsxError(tx("cannot write {}: {}", path, lxw_strerror(e)));
    std::error_code ec;
    fs::rename(p.tmp, target, ec);
    if (ec) throw XlsxError(tx("cannot write {}: {}", path, ec.message()));
    p.done = true;
}

}  // namespace vanban::xlsx

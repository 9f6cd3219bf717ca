// vanban_bind: XLSX data files (see bind/data.hpp, xlsx_sheet_csv). Read with
// libzip (the package) and pugixml (the sheet XML): shared strings, inline
// strings, numbers, booleans and cached formula results.
#include <zip.h>

#include <pugixml.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "bind/data.hpp"

namespace vanban::bind {

namespace {

struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
};

constexpr zip_uint64_t kMaxPart = zip_uint64_t(256) << 20;

/// The bytes of `name` in the archive, or nullopt when it has no such entry.
std::optional<std::string> entry(zip_t* z, const std::string& file, const std::string& name) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name.c_str(), 0, &st) != 0) return std::nullopt;
    if (st.size > kMaxPart) throw InputError(file, "", tr("xlsx-data-damaged", "{} is larger than 256 MB; not a workbook vanban reads", name));
    zip_file_t* f = zip_fopen(z, name.c_str(), 0);
    if (!f) throw InputError(file, "", tr("xlsx-data-damaged", "cannot read {} in the workbook: {}", name, zip_strerror(z)));
    std::string data(std::size_t(st.size), '\0');
    zip_int64_t got = zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    if (got < 0 || zip_uint64_t(got) != st.size) throw InputError(file, "", tr("xlsx-data-damaged", "cannot read {}: the workbook is damaged", name));
    return data;
}

pugi::xml_document parse_part(const std::string& xml, const std::string& file, const std::string& name) {
    pugi::xml_document doc;
    auto res = doc.load_buffer(xml.data(), xml.size());
    if (!res) throw InputError(file, "", tr("xlsx-data-damaged", "{} in the workbook is malformed XML ({})", name, res.description()));
    return doc;
}

/// The text of a shared or inline string item (<si>, <is>): its <t>, or its runs' <t>s.
std::string item_text(const pugi::xml_node& si) {
    std::string out;
    if (auto t = si.child("t")) return t.text().get();
    for (auto r : si.children("r")) out += r.child("t").text().get();
    return out;
}

/// "B12" -> column 1 (0-based); -1 when malformed.
int column_of(const char* ref) {
    int col = 0;
    bool any = false;
    for (; *ref >= 'A' && *ref <= 'Z'; ++ref) {
        col = col * 26 + (*ref - 'A' + 1);
        any = true;
        if (col > 16384) return -1;
    }
    return any ? col - 1 : -1;
}

/// A stored number as Excel shows it: at most 15 significant digits, no exponent for ordinary magnitudes.
std::string number_text(const std::string& stored) {
    char* end = nullptr;
    double v = std::strtod(stored.c_str(), &end);
    if (end == stored.c_str() || *end != '\0' || !std::isfinite(v)) return stored;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    std::string s = buf;
    if (s.find('e') != std::string::npos && std::fabs(v) < 1e15 && std::fabs(v) >= 1e-6) {
        std::snprintf(buf, sizeof buf, "%.15f", v);
        s = buf;
        while (!s.empty() && s.back() == '0') s.pop_back();
        if (!s.empty() && s.back() == '.') s.pop_back();
    }
    return s;
}

std::string csv_field(const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos && (v.empty() || (v.front() != ' ' && v.back() != ' '))) return v;
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

std::string xlsx_sheet_csv(const std::string& bytes, const std::string& file, const std::string& sheet) {
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &zerr);
    if (!src) throw InputError(file, "", tr("xlsx-data-damaged", "cannot read the workbook"));
    std::unique_ptr<zip_t, ZipCloser> z(zip_open_from_source(src, ZIP_RDONLY, &zerr));
    if (!z) {
        zip_source_free(src);
        throw InputError(file, "", tr("xlsx-data-not-workbook", "not an XLSX workbook (the file is not a ZIP archive); save it from Excel or "
                                                              "LibreOffice as .xlsx, or as CSV UTF-8"));
    }
    auto wb_xml = entry(z.get(), file, "xl/workbook.xml");
    if (!wb_xml) throw InputError(file, "", tr("xlsx-data-not-workbook", "not an XLSX workbook: the archive has no xl/workbook.xml"));
    auto wb = parse_part(*wb_xml, file, "xl/workbook.xml");

    // Sheets in tab order, with the relationship that names each one's part.
    std::vector<std::pair<std::string, std::string>> sheets;  // (name, r:id)
    for (auto s : wb.child("workbook").child("sheets").children("sheet"))
        sheets.emplace_back(s.attribute("name").value(), s.attribute("r:id").value());
    if (sheets.empty()) throw InputError(file, "", tr("xlsx-data-sheet", "the workbook has no sheets"));
    std::size_t pick = 0;
    if (!sheet.empty()) {
        pick = sheets.size();
        for (std::size_t i = 0; i < sheets.size(); ++i)
            if (sheets[i].first == sheet) pick = i;
        if (pick == sheets.size()) {
            std::string names;
            for (const auto& s : sheets) names += (names.empty() ? "\"" : ", \"") + s.first + "\"";
            throw InputError(file, "", tr("xlsx-data-sheet", "the workbook has no sheet named \"{}\"; its sheets are {}", sheet, names));
        }
    }
    std::string target;
    if (auto rels_xml = entry(z.get(), file, "xl/_rels/workbook.xml.rels")) {
        auto rels = parse_part(*rels_xml, file, "xl/_rels/workbook.xml.rels");
        for (auto r : rels.child("Relationships").children("Relationship"))
            if (sheets[pick].second == r.attribute("Id").value()) target = r.attribute("Target").value();
    }
    if (target.empty()) target = "worksheets/sheet" + std::to_string(pick + 1) + ".xml";
    std::string part = target[0] == '/' ? target.substr(1) : "xl/" + target;

    std::vector<std::string> shared;
    if (auto ss_xml = entry(z.get(), file, "xl/sharedStrings.xml")) {
        auto ss = parse_part(*ss_xml, file, "xl/sharedStrings.xml");
        for (auto si : ss.child("sst").children("si")) shared.push_back(item_text(si));
    }
    auto ws_xml = entry(z.get(), file, part);
    if (!ws_xml) throw InputError(file, "", tr("xlsx-data-damaged", "the workbook names a sheet part {} that it does not hold", part));
    auto ws = parse_part(*ws_xml, file, part);

    std::map<long, std::map<int, std::string>> rows;  // row number -> column -> text
    long next_row = 1;
    for (auto row : ws.child("worksheet").child("sheetData").children("row")) {
        long r = row.attribute("r") ? row.attribute("r").as_int() : next_row;
        next_row = r + 1;
        int next_col = 0;
        for (auto c : row.children("c")) {
            int col = c.attribute("r") ? column_of(c.attribute("r").value()) : next_col;
            if (col < 0) throw InputError(file, "", tr("xlsx-data-damaged", "{}: a cell with a malformed reference \"{}\"", part, c.attribute("r").value()));
            next_col = col + 1;
            std::string type = c.attribute("t").value();
            std::string v = c.child("v").text().get();
            std::string text;
            if (type == "s") {
                std::size_t i = std::strtoul(v.c_str(), nullptr, 10);
                text = i < shared.size() ? shared[i] : "";
            } else if (type == "inlineStr") {
                text = item_text(c.child("is"));
            } else if (type == "b") {
                text = v == "1" ? "TRUE" : "FALSE";
            } else if (type == "str" || type == "e") {
                text = v;
            } else {
                text = v.empty() ? "" : number_text(v);
            }
            if (!text.empty()) rows[r][col] = text;
        }
    }
    std::string csv;
    if (rows.empty()) return csv;
    int width = rows.begin()->second.rbegin()->first + 1;  // the header row's last column
    long line = rows.begin()->first;
    for (const auto& [r, cells] : rows) {
        for (; line < r; ++line) csv += "\n";  // rows missing from the sheet keep line numbers
        int last = std::max(width, cells.rbegin()->first + 1);
        for (int k = 0; k < last; ++k) {
            if (k) csv += ',';
            if (auto it = cells.find(k); it != cells.end()) csv += csv_field(it->second);
        }
        csv += "\n";
        ++line;
    }
    return csv;
}

}  // namespace vanban::bind

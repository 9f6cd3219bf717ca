// Test fixtures: annex models built in C++, and checks on resolved tables and
// diagnostics (shared by unit_table, unit_input and unit_xlsx).
#pragma once

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"
#include "model/table.hpp"
#include "table/resolved.hpp"

namespace vanban::testing {

using model::ValueFormat;

inline model::Column col(std::string key, std::string header, std::string label, ValueFormat f, int decimals = 0,
                  std::string expr = {}) {
    model::Column c;
    c.key = key;
    c.header = std::move(header);
    c.label = std::move(label);
    c.format = f;
    c.decimals = decimals;
    c.expr = std::move(expr);
    c.pointer = "/columns/" + key;
    return c;
}

inline model::Column numbering() {
    model::Column c = col("tt", "TT", "A", ValueFormat::text);
    c.numbering = true;
    return c;
}

inline model::CellInput num(const std::string& s, const std::string& ptr = {}) {
    model::CellInput c;
    c.kind = model::CellInput::Kind::number;
    c.number = *Decimal::parse(s);
    c.text = s;
    c.pointer = ptr;
    return c;
}

inline model::CellInput txt(const std::string& s, const std::string& ptr = {}) {
    model::CellInput c;
    c.kind = model::CellInput::Kind::text;
    c.text = s;
    c.pointer = ptr;
    return c;
}

/// A row from key / value strings; values starting with a digit or '-' are numbers.
inline model::Row row(const std::string& ptr, std::vector<std::pair<std::string, std::string>> kv) {
    model::Row r;
    r.pointer = ptr;
    for (auto& [k, v] : kv) {
        bool number = !v.empty() && (std::isdigit(static_cast<unsigned char>(v[0])) || (v[0] == '-' && v.size() > 1));
        r.cells[k] = number ? num(v, ptr + "/" + k) : txt(v, ptr + "/" + k);
    }
    return r;
}

inline model::Annex gia_lai() {
    model::Annex a;
    a.title = "BIỂU TỔNG HỢP CHỈ TIÊU GIẢM NGHÈO NĂM 2024";
    a.source_file = "gia-lai.json";
    a.pointer = "/annexes/0";
    auto& t = a.table;
    t.columns = {numbering(),
                 col("don_vi", "Đơn vị", "B", ValueFormat::text),
                 col("c1", "Tổng số hộ dân cư cuối năm 2023", "1", ValueFormat::integer),
                 col("c2", "Số hộ", "2", ValueFormat::integer),
                 col("c3", "Tỷ lệ (%)", "3=2/1", ValueFormat::percent, 2, "c2 / c1 * 100"),
                 col("c4", "Chỉ tiêu phấn đấu giảm nghèo năm 2024 (%)", "4", ValueFormat::percent, 2),
                 col("c5", "Số hộ giảm nghèo năm 2024", "5", ValueFormat::integer)};
    t.columns[6].total = model::TotalPolicy::none;
    t.header_groups = {{"Kết quả rà soát cuối năm 2023", 3, 4, 0}, {"Hộ nghèo", 3, 4, 1}};
    const char* data[][6] = {
        {"Huyện Kbang", "18286", "2059", "11.26", "2.68", "493"},
        {"Huyện Đak Đoa", "31740", "2622", "8.26", "2.00", "640"},
        {"Thị xã Ayun Pa", "9977", "144", "1.44", "1.00", "101"},
        {"Huyện Chư Prông", "32579", "3900", "11.97", "2.90", "971"},
        {"Huyện Ia Pa", "14242", "2174", "15.26", "4.00", "576"},
        {"Thành phố Pleiku", "62902", "149", "0.24", "0.08", "51"},
        {"Huyện Kông Chro", "12837", "4336", "33.78", "5.50", "715"},
        {"Huyện Đak Pơ", "11650", "812", "6.97", "1.69", "200"},
        {"Huyện Krông Pa", "21102", "2649", "12.55", "3.00", "646"},
        {"Thị xã An Khê", "17503", "226", "1.29", "0.31", "55"},
        {"Huyện Phú Thiện", "19765", "1000", "5.06", "1.25", "248"},
        {"Huyện Chư Pưh", "18110", "1708", "9.43", "2.30", "425"},
        {"Huyện Mang Yang", "17763", "2311", "13.01", "3.15", "570"},
        {"Huyện Chư Sê", "31811", "1986", "6.24", "1.51", "493"},
        {"Huyện Chư Păh", "20775", "1488", "7.16", "1.70", "356"},
        {"Huyện Ia Grai", "27561", "1937", "7.03", "1.70", "475"},
        {"Huyện Đức Cơ", "19628", "2001", "10.19", "2.20", "435"},
    };
    for (std::size_t i = 0; i < 17; ++i) {
        std::string p = "/annexes/0/rows/" + std::to_string(i);
        t.rows.push_back(row(p, {{"don_vi", data[i][0]}, {"c1", data[i][1]}, {"c2", data[i][2]},
                                 {"c3", data[i][3]}, {"c4", data[i][4]}, {"c5", data[i][5]}}));
    }
    t.total.present = true;
    t.total.at_top = true;
    t.total.pointer = "/annexes/0/total";
    t.total.cells = row("/annexes/0/total/cells", {{"tt", "I"}, {"don_vi", "Tổng cộng toàn tỉnh"}, {"c1", "388231"},
                                                   {"c2", "31502"}, {"c3", "8.11"}, {"c4", "2.00"}, {"c5", "7449"}})
                        .cells;
    t.total.cells["tt"] = txt("I", "/annexes/0/total/cells/tt");
    return a;
}

/// The display texts of a resolved row, left to right.
inline std::vector<std::string> texts(const table::ResolvedRow& r) {
    std::vector<std::string> out;
    for (const auto& c : r.cells) out.push_back(c.text);
    return out;
}

/// True when `d` has a diagnostic at `location` whose message contains `part`
/// (and, when `file` is given, in that file).
inline bool has_error(const Diagnostics& d, const std::string& location, const std::string& part,
                      const std::string& file = {}) {
    for (const auto& i : d.items())
        if ((file.empty() || i.file == file) && i.at.to_string() == location && i.message.find(part) != std::string::npos)
            return true;
    return false;
}

}  // namespace vanban::testing

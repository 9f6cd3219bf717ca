// Fuzzes the data files of templates: CSV and JSON records.
// vanban::Error is a documented outcome; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bind/data.hpp"
#include "core/diagnostic.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        vanban::bind::DataSet s = vanban::bind::parse_csv(text, "data.csv");
        for (const auto& r : s.records) (void)r.source(), (void)r.fields.dump();
        (void)s.problems.to_string();
    } catch (const vanban::Error&) {
    }
    try {
        vanban::bind::DataSet s = vanban::bind::parse_json_data(text, "data.json");
        for (const auto& r : s.records) (void)r.source(), (void)r.fields.dump();
        (void)s.problems.to_string();
    } catch (const vanban::Error&) {
    }
    return 0;
}

// pdf/font_file: see font_file.hpp.
#include "pdf/font_file.hpp"

#include <array>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace vanban::pdf {

namespace {

[[noreturn]] void reject(const std::string& path, const std::string& why) {
    throw std::runtime_error("font file " + path + ": " + why);
}

std::uint32_t be32(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

std::uint16_t be16(const unsigned char* p) {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

}  // namespace

void check_truetype_font_file(const std::string& path) {
    if (path.empty()) throw std::runtime_error("font file: no path given");
    std::ifstream in(path, std::ios::binary);
    if (!in) reject(path, "cannot be opened");
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size < 12) reject(path, "too short to be a font");

    std::array<unsigned char, 12> header{};
    in.read(reinterpret_cast<char*>(header.data()), header.size());
    if (!in) reject(path, "cannot be read");

    const std::string_view tag(reinterpret_cast<const char*>(header.data()), 4);
    const std::uint32_t version = be32(header.data());
    if (tag == "OTTO")
        reject(path, "is a CFF-based OpenType font (.otf); only TrueType (glyf) .ttf fonts can be embedded");
    if (tag == "ttcf")
        reject(path, "is a TrueType collection (.ttc); extract a single .ttf face first");
    if (version != 0x00010000u && tag != "true")
        reject(path, "is not a TrueType font (unknown sfnt header)");

    const std::uint16_t num_tables = be16(header.data() + 4);
    if (num_tables == 0 || 12 + std::streamoff{num_tables} * 16 > size)
        reject(path, "has a damaged table directory");

    std::vector<unsigned char> dir(std::size_t{num_tables} * 16);
    in.read(reinterpret_cast<char*>(dir.data()), static_cast<std::streamsize>(dir.size()));
    if (!in) reject(path, "cannot be read");

    constexpr std::array<std::string_view, 7> required = {"glyf", "loca", "cmap", "head",
                                                          "hhea", "hmtx", "maxp"};
    std::array<bool, required.size()> found{};
    for (std::uint16_t i = 0; i < num_tables; ++i) {
        const unsigned char* rec = dir.data() + std::size_t{i} * 16;
        const std::string_view t(reinterpret_cast<const char*>(rec), 4);
        const std::uint64_t offset = be32(rec + 8);
        const std::uint64_t length = be32(rec + 12);
        for (std::size_t k = 0; k < required.size(); ++k) {
            if (t != required[k]) continue;
            if (offset + length > static_cast<std::uint64_t>(size))
                reject(path, "table '" + std::string(t) + "' lies outside the file");
            found[k] = true;
        }
    }
    for (std::size_t k = 0; k < required.size(); ++k) {
        if (found[k]) continue;
        if (required[k] == "glyf" || required[k] == "loca")
            reject(path, "has no 'glyf' outlines; only TrueType (glyf) .ttf fonts can be embedded");
        reject(path, "lacks the required '" + std::string(required[k]) + "' table");
    }
}

}  // namespace vanban::pdf

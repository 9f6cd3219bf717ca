// font/sfnt: the table directory of a single-face TrueType (glyf) font file,
// checked once against the bytes it describes.
//
// Every table entry lies inside the file; 'head', 'hhea', 'maxp', 'hmtx',
// 'loca' and 'glyf' are present and consistent with each other (glyph count,
// loca format, glyph data inside 'glyf'), so that later readers (metrics, the
// PDF subsetter) index them without further bounds checks. Collections (.ttc)
// and CFF-flavoured OpenType (.otf) are refused with a message saying so.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vanban::font {

inline std::uint16_t be16(const unsigned char* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }
inline std::uint32_t be32(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

struct SfntTable {
    char tag[4];
    std::uint32_t checksum = 0;
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    std::string_view name() const { return {tag, 4}; }
};

/// The checked directory of a TrueType font held in memory (the bytes stay
/// owned by the caller and must outlive the directory).
class Sfnt {
public:
    /// Checks `bytes`; throws std::runtime_error "font file <path>: <reason>" when
    /// the data is not a single-face glyf TrueType font or is truncated or damaged.
    Sfnt(std::string_view bytes, const std::string& path);

    const std::vector<SfntTable>& tables() const { return tables_; }
    /// The table's bytes, empty when the font has no such table.
    std::string_view table(std::string_view tag) const;
    std::uint32_t sfnt_version() const { return version_; }

    std::uint16_t num_glyphs() const { return num_glyphs_; }
    std::uint16_t units_per_em() const { return upem_; }
    bool long_loca() const { return long_loca_; }
    std::uint16_t num_hmetrics() const { return num_hmetrics_; }
    /// Byte range of glyph `gid` inside 'glyf' (empty for a glyph without outline).
    std::uint32_t glyph_offset(std::uint32_t gid) const;
    std::uint32_t glyph_end(std::uint32_t gid) const { return glyph_offset(gid + 1); }
    /// Advance width of glyph `gid` in font units (from 'hmtx').
    std::uint16_t advance_units(std::uint16_t gid) const;

private:
    std::string_view bytes_;
    std::uint32_t version_ = 0;
    std::vector<SfntTable> tables_;
    std::string_view loca_, hmtx_;
    std::uint16_t num_glyphs_ = 0, upem_ = 0, num_hmetrics_ = 0;
    bool long_loca_ = false;
};

}  // namespace vanban::font

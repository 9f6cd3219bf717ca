// font/sfnt: see sfnt.hpp.
#include "font/sfnt.hpp"
#include "core/i18n.hpp"

#include <stdexcept>

namespace vanban::font {

namespace {

[[noreturn]] void reject(const std::string& path, const std::string& why) {
    throw std::runtime_error(tx("font file {}: {}", path, why));
}

const unsigned char* u8(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

Sfnt::Sfnt(std::string_view bytes, const std::string& path) : bytes_(bytes) {
    const std::size_t size = bytes.size();
    if (size == 0) reject(path, tx("is empty"));
    if (size < 12) reject(path, tx("too short to be a font"));
    const unsigned char* p = u8(bytes);
    const std::string_view tag = bytes.substr(0, 4);
    version_ = be32(p);
    if (tag == "OTTO")
        reject(path, tx("is a CFF-based OpenType font (.otf); only TrueType (glyf) .ttf fonts can be embedded"));
    if (tag == "ttcf") reject(path, tx("is a TrueType collection (.ttc); extract a single .ttf face first"));
    if (version_ != 0x00010000u && tag != "true") reject(path, tx("is not a TrueType font (unknown sfnt header)"));

    const std::uint16_t num_tables = be16(p + 4);
    if (num_tables == 0 || 12 + std::size_t{num_tables} * 16 > size) reject(path, tx("has a truncated or damaged table directory"));
    tables_.reserve(num_tables);
    for (std::uint16_t i = 0; i < num_tables; ++i) {
        const unsigned char* rec = p + 12 + std::size_t{i} * 16;
        SfntTable t;
        for (int k = 0; k < 4; ++k) t.tag[k] = static_cast<char>(rec[k]);
        t.checksum = be32(rec + 4);
        t.offset = be32(rec + 8);
        t.length = be32(rec + 12);
        if (std::uint64_t{t.offset} + t.length > size)
            reject(path, tx("table '{}' lies outside the file (the file is truncated or damaged)", t.name()));
        tables_.push_back(t);
    }

    static constexpr std::string_view kRequired[] = {"glyf", "loca", "cmap", "head", "hhea", "hmtx", "maxp"};
    for (std::string_view req : kRequired) {
        bool found = false;
        for (const SfntTable& t : tables_) found = found || (t.name() == req && t.length > 0);
        if (found) continue;
        if (req == "glyf" || req == "loca")
            reject(path, tx("has no 'glyf' outlines; only TrueType (glyf) .ttf fonts can be embedded"));
        reject(path, tx("lacks the required '{}' table", req));
    }

    auto damaged = [&](std::string_view t) { reject(path, tx("has a damaged '{}' table", t)); };
    const std::string_view head = table("head");
    if (head.size() < 54 || be32(u8(head) + 12) != 0x5F0F3CF5u) damaged("head");
    upem_ = be16(u8(head) + 18);
    const std::uint16_t loca_format = be16(u8(head) + 50);
    if (upem_ < 16 || upem_ > 16384 || loca_format > 1) damaged("head");
    long_loca_ = loca_format == 1;

    const std::string_view maxp = table("maxp");
    if (maxp.size() < 6) damaged("maxp");
    num_glyphs_ = be16(u8(maxp) + 4);
    if (num_glyphs_ == 0) damaged("maxp");

    const std::string_view hhea = table("hhea");
    if (hhea.size() < 36) damaged("hhea");
    num_hmetrics_ = be16(u8(hhea) + 34);
    if (num_hmetrics_ == 0 || num_hmetrics_ > num_glyphs_) damaged("hhea");
    hmtx_ = table("hmtx");
    if (hmtx_.size() < std::size_t{num_hmetrics_} * 4 + (std::size_t{num_glyphs_} - num_hmetrics_) * 2) damaged("hmtx");

    loca_ = table("loca");
    if (loca_.size() < (std::size_t{num_glyphs_} + 1) * (long_loca_ ? 4 : 2)) damaged("loca");
    const std::size_t glyf_size = table("glyf").size();
    std::uint32_t prev = 0;
    for (std::uint32_t g = 0; g <= num_glyphs_; ++g) {
        const std::uint32_t off = glyph_offset(g);
        if (off < prev || off > glyf_size) damaged("loca");
        prev = off;
    }
}

std::string_view Sfnt::table(std::string_view tag) const {
    for (const SfntTable& t : tables_)
        if (t.name() == tag) return bytes_.substr(t.offset, t.length);
    return {};
}

std::uint32_t Sfnt::glyph_offset(std::uint32_t gid) const {
    const unsigned char* p = u8(loca_);
    return long_loca_ ? be32(p + std::size_t{gid} * 4) : std::uint32_t{be16(p + std::size_t{gid} * 2)} * 2;
}

std::uint16_t Sfnt::advance_units(std::uint16_t gid) const {
    const std::uint16_t m = gid < num_hmetrics_ ? gid : static_cast<std::uint16_t>(num_hmetrics_ - 1);
    return be16(u8(hmtx_) + std::size_t{m} * 4);
}

}  // namespace vanban::font

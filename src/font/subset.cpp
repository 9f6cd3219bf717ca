// font/subset: see subset.hpp.
#include "font/subset.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace vanban::font {

namespace {

const unsigned char* u8(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

void put16(std::string& s, std::uint16_t v) {
    s += static_cast<char>(v >> 8);
    s += static_cast<char>(v & 0xFF);
}
void put32(std::string& s, std::uint32_t v) {
    put16(s, static_cast<std::uint16_t>(v >> 16));
    put16(s, static_cast<std::uint16_t>(v & 0xFFFF));
}
void set16(std::string& s, std::size_t at, std::uint16_t v) {
    s[at] = static_cast<char>(v >> 8);
    s[at + 1] = static_cast<char>(v & 0xFF);
}
void set32(std::string& s, std::size_t at, std::uint32_t v) {
    set16(s, at, static_cast<std::uint16_t>(v >> 16));
    set16(s, at + 2, static_cast<std::uint16_t>(v & 0xFFFF));
}

std::uint32_t checksum(std::string_view t) {
    std::uint32_t sum = 0;
    std::size_t i = 0;
    for (; i + 4 <= t.size(); i += 4) sum += be32(u8(t) + i);
    if (i < t.size()) {
        unsigned char last[4] = {0, 0, 0, 0};
        for (std::size_t k = 0; i + k < t.size(); ++k) last[k] = u8(t)[i + k];
        sum += be32(last);
    }
    return sum;
}

// Composite glyph component flags.
constexpr std::uint16_t kArgsAreWords = 0x0001, kHaveScale = 0x0008, kMoreComponents = 0x0020,
                        kHaveXYScale = 0x0040, kHaveTwoByTwo = 0x0080, kHaveInstructions = 0x0100;

/// Calls f(component glyph id) for each component of a composite glyph; returns
/// the offset just past the last component record, or 0 when the data is damaged.
template <class F>
std::size_t for_each_component(std::string_view g, F&& f) {
    std::size_t p = 10;
    for (;;) {
        if (p + 4 > g.size()) return 0;
        const std::uint16_t flags = be16(u8(g) + p);
        f(be16(u8(g) + p + 2), p);
        p += 4 + ((flags & kArgsAreWords) ? 4 : 2);
        if (flags & kHaveScale) p += 2;
        else if (flags & kHaveXYScale) p += 4;
        else if (flags & kHaveTwoByTwo) p += 8;
        if (!(flags & kMoreComponents)) return p <= g.size() ? p : 0;
    }
}

/// Glyph data without its hinting instructions (unchanged when it cannot be parsed).
void append_unhinted(std::string& out, std::string_view g) {
    if (g.size() < 10) {
        out.append(g);
        return;
    }
    const auto contours = static_cast<std::int16_t>(be16(u8(g)));
    if (contours >= 0) {
        const std::size_t at = 10 + std::size_t(contours) * 2;  // instructionLength
        if (at + 2 > g.size() || at + 2 + be16(u8(g) + at) > g.size()) {
            out.append(g);
            return;
        }
        const std::size_t rest = at + 2 + be16(u8(g) + at);
        out.append(g.substr(0, at));
        put16(out, 0);
        out.append(g.substr(rest));
        return;
    }
    std::size_t last = 0;
    const std::size_t end = for_each_component(g, [&](std::uint16_t, std::size_t p) { last = p; });
    if (end == 0) {
        out.append(g);
        return;
    }
    const std::size_t start = out.size();
    out.append(g.substr(0, end));
    const std::uint16_t flags = be16(u8(g) + last);
    set16(out, start + last, static_cast<std::uint16_t>(flags & ~kHaveInstructions));
}

}  // namespace

std::string subset_truetype(const FontFace& face, std::vector<std::uint8_t>& used, std::vector<std::uint16_t>& new_ids) {
    const Sfnt& sf = face.sfnt();
    const std::uint16_t n = sf.num_glyphs();
    used.resize(n, 0);
    used[0] = 1;
    const std::string_view glyf = sf.table("glyf");

    // Components of composite glyphs (which may themselves be composite).
    std::vector<std::uint16_t> todo;
    for (std::uint32_t g = 0; g < n; ++g)
        if (used[g]) todo.push_back(static_cast<std::uint16_t>(g));
    while (!todo.empty()) {
        const std::uint16_t g = todo.back();
        todo.pop_back();
        const std::string_view data = glyf.substr(sf.glyph_offset(g), sf.glyph_end(g) - sf.glyph_offset(g));
        if (data.size() < 10 || static_cast<std::int16_t>(be16(u8(data))) >= 0) continue;
        for_each_component(data, [&](std::uint16_t c, std::size_t) {
            if (c < n && !used[c]) {
                used[c] = 1;
                todo.push_back(c);
            }
        });
    }

    // The kept glyphs, renumbered 0, 1, 2 … in the order of their ids.
    new_ids.assign(n, 0);
    std::uint16_t m = 0;
    for (std::uint32_t g = 0; g < n; ++g)
        if (used[g]) new_ids[g] = m++;

    std::string new_glyf, loca((std::size_t{m} + 1) * 4, '\0');
    for (std::uint32_t g = 0; g < n; ++g) {
        if (!used[g]) continue;
        set32(loca, std::size_t{new_ids[g]} * 4, static_cast<std::uint32_t>(new_glyf.size()));
        const std::size_t start = new_glyf.size();
        append_unhinted(new_glyf, glyf.substr(sf.glyph_offset(g), sf.glyph_end(g) - sf.glyph_offset(g)));
        const std::string_view written(new_glyf.data() + start, new_glyf.size() - start);
        if (written.size() >= 10 && static_cast<std::int16_t>(be16(u8(written))) < 0) {
            std::vector<std::pair<std::size_t, std::uint16_t>> components;
            for_each_component(written, [&](std::uint16_t c, std::size_t at) { components.emplace_back(at, c); });
            for (const auto& [at, c] : components) set16(new_glyf, start + at + 2, c < n ? new_ids[c] : 0);
        }
        new_glyf.resize((new_glyf.size() + 3) & ~std::size_t{3}, '\0');
    }
    set32(loca, std::size_t{m} * 4, static_cast<std::uint32_t>(new_glyf.size()));

    // Every kept glyph gets a full metric (advance and left side bearing).
    const std::string_view old_hmtx = sf.table("hmtx");
    const std::uint16_t long_metrics = sf.num_hmetrics();
    std::string hmtx;
    hmtx.reserve(std::size_t{m} * 4);
    for (std::uint32_t g = 0; g < n; ++g) {
        if (!used[g]) continue;
        if (g < long_metrics) {
            hmtx.append(old_hmtx.substr(std::size_t{g} * 4, 4));
        } else {
            hmtx.append(old_hmtx.substr((std::size_t{long_metrics} - 1) * 4, 2));
            hmtx.append(old_hmtx.substr(std::size_t{long_metrics} * 4 + (g - long_metrics) * 2, 2));
        }
    }
    std::string hhea(sf.table("hhea").substr(0, 36));
    set16(hhea, 34, m);  // numberOfHMetrics
    std::string maxp(sf.table("maxp"));
    set16(maxp, 4, m);  // numGlyphs

    std::string head(sf.table("head").substr(0, 54));
    set32(head, 8, 0);    // checkSumAdjustment, set below
    set16(head, 50, 1);   // indexToLocFormat: long offsets

    std::string cmap;  // an empty format 4 Unicode map: glyphs are addressed by id
    for (std::uint16_t v : {0, 1, 3, 1}) put16(cmap, v);
    put32(cmap, 12);
    for (std::uint16_t v : {4, 24, 0, 2, 2, 0, 0, 0xFFFF, 0, 0xFFFF, 1, 0}) put16(cmap, v);

    std::string post;
    if (sf.table("post").size() >= 32) {
        post = std::string(sf.table("post").substr(0, 32));
        set32(post, 0, 0x00030000);  // version 3: no glyph names
    }

    struct Out {
        const char* tag;
        std::string_view data;
    };
    std::vector<Out> tables;  // sorted by tag
    if (!sf.table("OS/2").empty()) tables.push_back({"OS/2", sf.table("OS/2")});
    tables.push_back({"cmap", cmap});
    tables.push_back({"glyf", new_glyf});
    tables.push_back({"head", head});
    tables.push_back({"hhea", hhea});
    tables.push_back({"hmtx", hmtx});
    tables.push_back({"loca", loca});
    tables.push_back({"maxp", maxp});
    if (!post.empty()) tables.push_back({"post", post});

    const auto count = static_cast<std::uint16_t>(tables.size());
    std::uint16_t pow2 = 1, log2 = 0;
    while (pow2 * 2 <= count) pow2 *= 2, ++log2;
    std::string out;
    std::size_t total = 12 + std::size_t{count} * 16;
    for (const Out& t : tables) total += (t.data.size() + 3) & ~std::size_t{3};
    out.reserve(total);
    put32(out, 0x00010000);
    put16(out, count);
    put16(out, static_cast<std::uint16_t>(pow2 * 16));
    put16(out, log2);
    put16(out, static_cast<std::uint16_t>(count * 16 - pow2 * 16));
    std::size_t offset = 12 + std::size_t{count} * 16;
    std::size_t head_at = 0;
    for (const Out& t : tables) {
        out.append(t.tag, 4);
        put32(out, checksum(t.data));
        put32(out, static_cast<std::uint32_t>(offset));
        put32(out, static_cast<std::uint32_t>(t.data.size()));
        if (std::string_view(t.tag, 4) == "head") head_at = offset;
        offset += (t.data.size() + 3) & ~std::size_t{3};
    }
    for (const Out& t : tables) {
        out.append(t.data);
        while (out.size() % 4) out += '\0';
    }
    set32(out, head_at + 8, 0xB1B0AFBAu - checksum(out));
    return out;
}

}  // namespace vanban::font

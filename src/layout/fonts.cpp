#include "layout/fonts.hpp"

#include <fstream>
#include <stdexcept>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

namespace vanban::layout {

struct FontFace::Impl {
    FT_Library lib = nullptr;
    FT_Face face = nullptr;
    double upem = 2048;
    ~Impl() {
        if (face) FT_Done_Face(face);
        if (lib) FT_Done_FreeType(lib);
    }
};

static bool has_sfnt_table(FT_Face face, FT_ULong tag) {
    FT_ULong len = 0;
    return FT_Load_Sfnt_Table(face, tag, 0, nullptr, &len) == 0 && len > 0;
}

FontFace::FontFace(const std::string& path) : impl_(std::make_unique<Impl>()), path_(path) {
    {
        std::ifstream probe(path, std::ios::binary);
        if (!probe) throw std::runtime_error("font file not found: " + path);
        char tag[4] = {};
        probe.read(tag, 4);
        std::string t(tag, 4);
        if (t == "ttcf")
            throw std::runtime_error("font " + path + " is a TrueType collection (.ttc); give a single-face .ttf file");
        if (t == "OTTO")
            throw std::runtime_error("font " + path + " has CFF outlines (.otf); a TrueType (glyf) .ttf file is required");
    }
    if (FT_Init_FreeType(&impl_->lib)) throw std::runtime_error("cannot initialise FreeType");
    if (FT_New_Face(impl_->lib, path.c_str(), 0, &impl_->face))
        throw std::runtime_error("not a font file FreeType can read: " + path);
    FT_Face f = impl_->face;
    if (!FT_IS_SFNT(f) || !has_sfnt_table(f, TTAG_glyf) || !has_sfnt_table(f, TTAG_loca))
        throw std::runtime_error("font " + path + " is not a TrueType (glyf) font");
    if (FT_Select_Charmap(f, FT_ENCODING_UNICODE))
        throw std::runtime_error("font " + path + " has no Unicode character map");
    impl_->upem = f->units_per_EM;
    ascent_ = f->ascender / impl_->upem;
    descent_ = -f->descender / impl_->upem;
    height_ = f->height / impl_->upem;
    if (const char* ps = FT_Get_Postscript_Name(f)) ps_name_ = ps;
    if (f->family_name) family_ = f->family_name;

    fast_.assign(kFast, -1.0f);
    has_fast_.assign(kFast, 0);
    // Preload ASCII, Latin-1, Latin Extended-A/B and the Vietnamese block.
    auto preload = [&](char32_t a, char32_t b) {
        for (char32_t c = a; c <= b; ++c) {
            auto [w, h] = load(c);
            fast_[c] = w;
            has_fast_[c] = h;
        }
    };
    preload(0x20, 0x24F);
    preload(0x300, 0x323);
    preload(0x1EA0, 0x1EF9);
    preload(0x2000, 0x2027);
}

FontFace::~FontFace() = default;

std::pair<float, bool> FontFace::load(char32_t cp) const {
    FT_UInt gi = FT_Get_Char_Index(impl_->face, cp);
    FT_Fixed adv = 0;
    FT_Get_Advance(impl_->face, gi, FT_LOAD_NO_SCALE, &adv);
    return {static_cast<float>(adv / impl_->upem), gi != 0};
}

std::pair<float, bool> FontFace::slow(char32_t cp) const {
    // Faces are shared by the documents of a batch rendered on several
    // threads: FreeType and the cache are touched under one lock.
    std::lock_guard lock(slow_mu_);
    auto it = slow_.find(cp);
    if (it == slow_.end()) it = slow_.emplace(cp, load(cp)).first;
    return it->second;
}

double FontFace::advance(char32_t cp) const {
    if (cp < kFast && fast_[cp] >= 0) return fast_[cp];
    return slow(cp).first;
}

bool FontFace::has_glyph(char32_t cp) const {
    if (cp < kFast && fast_[cp] >= 0) return has_fast_[cp];
    return slow(cp).second;
}

FontBook::FontBook(const std::array<std::string, 4>& files) : files_(files) {
    for (int i = 0; i < 4; ++i) faces_[i] = std::make_unique<FontFace>(files[i]);
}

double FontBook::width(Face f, double size, std::string_view s) const {
    const FontFace& ff = face(f);
    double w = 0;
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        char32_t cp;
        if (c < 0x80) {
            cp = c;
            i += 1;
        } else if ((c >> 5) == 6 && i + 1 < s.size()) {
            cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
            i += 2;
        } else if ((c >> 4) == 14 && i + 2 < s.size()) {
            cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
            i += 3;
        } else if (i + 3 < s.size()) {
            cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
            i += 4;
        } else {
            break;
        }
        w += ff.advance(cp);
    }
    return w * size;
}

}  // namespace vanban::layout

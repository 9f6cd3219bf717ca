// font: see font.hpp.
#include "font/font.hpp"
#include "core/i18n.hpp"

#include <stdexcept>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H

#include "vntext/vntext.hpp"

namespace vanban::font {

struct FontFace::Impl {
    FT_Library lib = nullptr;
    FT_Face face = nullptr;
    double upem = 2048;
    ~Impl() {
        if (face) FT_Done_Face(face);
        if (lib) FT_Done_FreeType(lib);
    }
};

FontFace::FontFace(std::shared_ptr<const std::string> bytes, std::string path)
    : bytes_(bytes ? std::move(bytes) : std::make_shared<const std::string>()),
      path_(std::move(path)),
      sfnt_(*bytes_, path_),
      impl_(std::make_unique<Impl>()) {
    if (FT_Init_FreeType(&impl_->lib)) throw std::runtime_error(tx("cannot initialise FreeType"));
    if (FT_New_Memory_Face(impl_->lib, reinterpret_cast<const FT_Byte*>(bytes_->data()),
                           static_cast<FT_Long>(bytes_->size()), 0, &impl_->face))
        throw std::runtime_error(tx("font file {}: not a font FreeType can read", path_));
    FT_Face f = impl_->face;
    if (FT_Select_Charmap(f, FT_ENCODING_UNICODE))
        throw std::runtime_error(tx("font file {}: has no Unicode character map", path_));
    impl_->upem = f->units_per_EM;
    ascent_ = f->ascender / impl_->upem;
    descent_ = -f->descender / impl_->upem;
    height_ = f->height / impl_->upem;
    if (const char* ps = FT_Get_Postscript_Name(f)) ps_name_ = ps;
    if (f->family_name) family_ = f->family_name;

    fast_.assign(kFast, Entry{});
    // Preload ASCII, Latin-1, Latin Extended-A/B and the Vietnamese block.
    auto preload = [&](char32_t a, char32_t b) {
        for (char32_t c = a; c <= b; ++c) fast_[c] = load(c);
    };
    preload(0x20, 0x24F);
    preload(0x300, 0x323);
    preload(0x1EA0, 0x1EF9);
    preload(0x2000, 0x2027);
    draws_ascii_ = true;
    for (char32_t c = 0x20; c <= 0x7E; ++c) draws_ascii_ = draws_ascii_ && fast_[c].glyph != 0;
}

FontFace::~FontFace() = default;

FontFace::Entry FontFace::load(char32_t cp) const {
    FT_UInt gi = FT_Get_Char_Index(impl_->face, cp);
    FT_Fixed adv = 0;
    FT_Get_Advance(impl_->face, gi, FT_LOAD_NO_SCALE, &adv);
    return {static_cast<float>(adv / impl_->upem), static_cast<std::uint16_t>(gi <= 0xFFFF ? gi : 0)};
}

const FontFace::Entry& FontFace::slow_entry(char32_t cp) const {
    // Faces are shared by the documents of a batch rendered on several
    // threads: FreeType and the cache are touched under one lock. Entries of
    // an unordered_map stay where they are when it grows.
    std::lock_guard lock(slow_mu_);
    auto it = slow_.find(cp);
    if (it == slow_.end()) it = slow_.emplace(cp, load(cp)).first;
    return it->second;
}


FontBook::FontBook(std::array<std::shared_ptr<const FontFace>, 4> faces) : faces_(std::move(faces)) {
    for (const auto& f : faces_)
        if (!f) throw std::invalid_argument("font book: a face is missing");
}

double FontBook::width(Face f, double size, std::string_view s) const {
    const FontFace& ff = face(f);
    double w = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        w += ff.advance(c < 0x80 ? (++i, char32_t{c}) : vntext::next_code_point(s, i));
    }
    return w * size;
}

}  // namespace vanban::font

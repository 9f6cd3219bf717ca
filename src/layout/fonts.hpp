// layout/fonts: font metrics read from the TrueType files with FreeType.
//
// Layout measures with exactly the font files the PDF embeds. Advance widths
// are cached per code point (the whole Vietnamese range is preloaded), so
// measuring a word is a few table look-ups. A FontBook may be shared by
// threads: everything past construction is read-only or taken under a lock.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "layout/paged.hpp"

namespace vanban::layout {

/// Metrics of one face. Widths are in em (multiply by the size in pt).
class FontFace {
public:
    /// Opens `path`. Throws std::runtime_error if the file is missing, not a
    /// font, or not a glyf-outline TrueType font (CFF .otf and .ttc are refused).
    explicit FontFace(const std::string& path);
    ~FontFace();
    FontFace(const FontFace&) = delete;
    FontFace& operator=(const FontFace&) = delete;

    double advance(char32_t cp) const;  ///< em; a missing glyph measures as .notdef
    bool has_glyph(char32_t cp) const;
    double ascent() const { return ascent_; }         ///< em, positive
    double descent() const { return descent_; }       ///< em, positive
    double line_height() const { return height_; }    ///< em: ascender + descender + line gap
    const std::string& path() const { return path_; }
    const std::string& postscript_name() const { return ps_name_; }
    const std::string& family() const { return family_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string path_, ps_name_, family_;
    double ascent_ = 0.891, descent_ = 0.216, height_ = 1.15;
    std::vector<float> fast_;  // advance for cp < kFast, -1 = not loaded
    std::vector<char> has_fast_;
    mutable std::unordered_map<char32_t, std::pair<float, bool>> slow_;  // guarded by slow_mu_
    mutable std::mutex slow_mu_;
    static constexpr char32_t kFast = 0x2200;
    std::pair<float, bool> load(char32_t cp) const;
    std::pair<float, bool> slow(char32_t cp) const;
};

/// The four faces of a document.
class FontBook {
public:
    /// Files for regular, bold, italic, bold italic.
    explicit FontBook(const std::array<std::string, 4>& files);

    const FontFace& face(Face f) const { return *faces_[static_cast<int>(f)]; }
    /// Width in pt of UTF-8 text in face f at size pt.
    double width(Face f, double size, std::string_view utf8) const;
    const std::array<std::string, 4>& files() const { return files_; }

private:
    std::array<std::string, 4> files_;
    std::array<std::unique_ptr<FontFace>, 4> faces_;
};

/// Face for a (bold, italic) pair.
inline Face face_of(bool bold, bool italic) {
    return bold ? (italic ? Face::bold_italic : Face::bold) : (italic ? Face::italic : Face::regular);
}

}  // namespace vanban::layout

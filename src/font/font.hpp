// font: the document's TrueType faces, loaded from bytes in memory.
//
// A FontFace checks its file once (font/sfnt: a single-face glyf TrueType font,
// not truncated or damaged) and then answers everything layout and the PDF
// writer need: code point -> glyph id (cmap), advance widths in em, ascent,
// descent and line height, PostScript and family names, and the raw bytes and
// tables for embedding. Advances and glyph ids are cached per code point (the
// whole Vietnamese range is preloaded), so measuring a word is a few table
// look-ups. Faces and books may be shared by threads: everything past
// construction is read-only or taken under a lock. This module never opens a
// file; callers read the bytes.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "font/sfnt.hpp"

namespace vanban::font {

/// The four faces of a document.
enum class Face : std::uint8_t { regular = 0, bold = 1, italic = 2, bold_italic = 3 };

/// Face for a (bold, italic) pair.
inline Face face_of(bool bold, bool italic) {
    return bold ? (italic ? Face::bold_italic : Face::bold) : (italic ? Face::italic : Face::regular);
}

/// One TrueType face. Widths are in em (multiply by the size in pt).
class FontFace {
public:
    /// Loads the face from `bytes`; `path` names it in messages and reports.
    /// Throws std::runtime_error if the bytes are not a single-face glyf TrueType
    /// font (CFF .otf and .ttc are refused), are truncated or damaged, or have no
    /// Unicode character map.
    FontFace(std::shared_ptr<const std::string> bytes, std::string path);
    ~FontFace();
    FontFace(const FontFace&) = delete;
    FontFace& operator=(const FontFace&) = delete;

    /// Glyph id for cp; 0 (.notdef) when the face has none.
    std::uint16_t glyph(char32_t cp) const { return entry(cp).glyph; }
    double advance(char32_t cp) const { return entry(cp).advance; }  ///< em; a missing glyph measures as .notdef
    bool has_glyph(char32_t cp) const { return entry(cp).glyph != 0; }
    /// Whether the face draws every printable ASCII character (U+0020–U+007E),
    /// so that a check of a text's coverage may pass over them.
    bool draws_ascii() const { return draws_ascii_; }
    double ascent() const { return ascent_; }         ///< em, positive
    double descent() const { return descent_; }       ///< em, positive
    double line_height() const { return height_; }    ///< em: ascender + descender + line gap
    const std::string& path() const { return path_; }
    const std::string& postscript_name() const { return ps_name_; }
    const std::string& family() const { return family_; }

    /// The whole font file and its checked table directory.
    const std::string& bytes() const { return *bytes_; }
    const Sfnt& sfnt() const { return sfnt_; }

private:
    struct Impl;
    struct Entry {
        float advance = -1;  ///< em; < 0 while not loaded
        std::uint16_t glyph = 0;
    };
    std::shared_ptr<const std::string> bytes_;
    std::string path_;
    Sfnt sfnt_;
    std::unique_ptr<Impl> impl_;
    std::string ps_name_, family_;
    double ascent_ = 0.891, descent_ = 0.216, height_ = 1.15;
    std::vector<Entry> fast_;  // for cp < kFast
    mutable std::unordered_map<char32_t, Entry> slow_;  // guarded by slow_mu_
    mutable std::mutex slow_mu_;
    bool draws_ascii_ = false;
    static constexpr char32_t kFast = 0x2200;
    Entry load(char32_t cp) const;
    const Entry& entry(char32_t cp) const {
        if (cp < kFast && fast_[cp].advance >= 0) return fast_[cp];
        return slow_entry(cp);
    }
    const Entry& slow_entry(char32_t cp) const;
};

/// The four faces of a document, in Face order. Two faces may be the same
/// FontFace (one file used for both). A book is always held by a shared_ptr
/// (make it with std::make_shared): a laid-out document keeps the book it was
/// measured with alive for the exporters (shared_from_this).
class FontBook : public std::enable_shared_from_this<FontBook> {
public:
    explicit FontBook(std::array<std::shared_ptr<const FontFace>, 4> faces);

    const FontFace& face(Face f) const { return *faces_[static_cast<int>(f)]; }
    const std::shared_ptr<const FontFace>& face_ptr(Face f) const { return faces_[static_cast<int>(f)]; }
    /// Width in pt of UTF-8 text in face f at size pt.
    double width(Face f, double size, std::string_view utf8) const;

private:
    std::array<std::shared_ptr<const FontFace>, 4> faces_;
};

}  // namespace vanban::font

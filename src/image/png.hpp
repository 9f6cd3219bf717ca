// image/png: PNG files for signature and seal images (libpng).
//
// read_png() checks and decodes a PNG held in memory: any colour type and
// bit depth, with or without transparency, is turned into 8-bit RGB samples
// plus an 8-bit alpha channel. It refuses what is not a complete, sane PNG —
// another file type, a truncated or corrupt file (bad CRC, short data), a
// picture larger than kMaxSide pixels on a side or kMaxPixels in all — with a
// message that says what was found. The physical size the file declares
// (pHYs, pixels per metre) is reported when present. Nothing here knows of
// PDF, DOCX or layout; input/ uses it to check and measure, pdf/ to embed.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vanban::image {

constexpr std::uint32_t kMaxSide = 8000;           ///< pixels, either side
constexpr std::uint64_t kMaxPixels = 16'000'000;   ///< width × height

/// Why a PNG was refused (the message is ready to show after the file's location).
struct PngError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Png {
    std::uint32_t width = 0, height = 0;  ///< pixels
    double dpi_x = 0, dpi_y = 0;          ///< from pHYs in metres; 0 when the file declares none
    bool has_alpha = false;               ///< some pixel is not fully opaque
    std::string rgb;                      ///< width × height × 3 bytes, row by row, top first
    std::string alpha;                    ///< width × height bytes (255 = opaque)
};

/// Decodes `bytes`. Throws PngError when they are not an acceptable PNG.
Png read_png(std::string_view bytes);

}  // namespace vanban::image

#include "image/png.hpp"
#include "core/i18n.hpp"

#include <csetjmp>
#include <cstring>
#include <memory>
#include <vector>

#include <png.h>

namespace vanban::image {

namespace {

/// Everything the libpng callbacks and the error path touch, kept on the heap
/// so that a longjmp leaves nothing indeterminate on the stack.
struct Reader {
    std::string_view data;
    std::size_t at = 0;
    std::string error;  ///< libpng's message, when it failed
    bool short_read = false;
    Png out;
    std::vector<png_bytep> rows;
};

void on_error(png_structp p, png_const_charp msg) {
    auto* r = static_cast<Reader*>(png_get_error_ptr(p));
    if (r->error.empty()) r->error = msg;
    png_longjmp(p, 1);
}

void on_warning(png_structp, png_const_charp) {}

void on_read(png_structp p, png_bytep dst, png_size_t n) {
    auto* r = static_cast<Reader*>(png_get_io_ptr(p));
    if (r->data.size() - r->at < n) {
        r->short_read = true;
        png_error(p, "the file ends early");
    }
    std::memcpy(dst, r->data.data() + r->at, n);
    r->at += n;
}

}  // namespace

Png read_png(std::string_view bytes) {
    static const unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (bytes.size() < 8 || std::memcmp(bytes.data(), kSignature, 8) != 0)
        throw PngError(tx("is not a PNG file (it does not start with the PNG signature)"));

    // The picture's size, from the IHDR chunk that must come first, checked
    // before libpng allocates anything (libpng itself only says "Invalid IHDR data").
    if (bytes.size() >= 24 && bytes.compare(12, 4, "IHDR") == 0) {
        auto be32 = [&](std::size_t at) {
            std::uint32_t v = 0;
            for (std::size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(bytes[at + k]);
            return v;
        };
        const std::uint32_t w = be32(16), h = be32(20);
        if (w > kMaxSide || h > kMaxSide || static_cast<std::uint64_t>(w) * h > kMaxPixels)
            throw PngError(tx("is too large: {} × {} pixels (at most {} a side and {} in all)", w, h, kMaxSide, kMaxPixels));
    }

    auto reader = std::make_unique<Reader>();
    Reader* r = reader.get();
    r->data = bytes;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, r, on_error, on_warning);
    if (png == nullptr) throw std::bad_alloc();
    png_infop info = png_create_info_struct(png);
    if (info == nullptr) {
        png_destroy_read_struct(&png, nullptr, nullptr);
        throw std::bad_alloc();
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, nullptr);
        std::string why = r->short_read ? tx("is truncated (the file ends before the picture does)")
                                        : tx("is not a valid PNG ({})", r->error);
        throw PngError(why);
    }
    png_set_read_fn(png, r, on_read);
    // Refuse absurd sizes before any pixel memory is allocated.
    png_set_user_limits(png, kMaxSide, kMaxSide);
    png_set_chunk_malloc_max(png, 8u << 20);
    png_read_info(png, info);

    const png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    if (static_cast<std::uint64_t>(w) * h > kMaxPixels) png_error(png, "too many pixels");
    png_uint_32 res_x = 0, res_y = 0;
    int unit = 0;
    if (png_get_pHYs(png, info, &res_x, &res_y, &unit) && unit == PNG_RESOLUTION_METER && res_x > 0 && res_y > 0) {
        r->out.dpi_x = res_x * 0.0254;
        r->out.dpi_y = res_y * 0.0254;
    }

    // Everything to 8-bit RGBA.
    const int colour = png_get_color_type(png, info);
    if (png_get_bit_depth(png, info) == 16) png_set_strip_16(png);
    if (colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (colour == PNG_COLOR_TYPE_GRAY || colour == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    if (colour == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (!(colour & PNG_COLOR_MASK_ALPHA)) png_set_filler(png, 0xFF, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != static_cast<png_size_t>(w) * 4) png_error(png, "unexpected row size");

    std::string& rgba = r->out.rgb;  // RGBA first, split below
    rgba.assign(static_cast<std::size_t>(w) * h * 4, '\0');
    r->rows.resize(h);
    for (png_uint_32 y = 0; y < h; ++y) r->rows[y] = reinterpret_cast<png_bytep>(rgba.data()) + static_cast<std::size_t>(y) * w * 4;
    png_read_image(png, r->rows.data());
    png_read_end(png, nullptr);  // checks the remaining chunks' CRCs and IEND
    png_destroy_read_struct(&png, &info, nullptr);

    Png out = std::move(r->out);
    out.width = w;
    out.height = h;
    const std::size_t n = static_cast<std::size_t>(w) * h;
    out.alpha.resize(n);
    std::string rgb(n * 3, '\0');
    for (std::size_t i = 0; i < n; ++i) {
        rgb[3 * i] = out.rgb[4 * i];
        rgb[3 * i + 1] = out.rgb[4 * i + 1];
        rgb[3 * i + 2] = out.rgb[4 * i + 2];
        out.alpha[i] = out.rgb[4 * i + 3];
        if (static_cast<unsigned char>(out.alpha[i]) != 255) out.has_alpha = true;
    }
    out.rgb = std::move(rgb);
    return out;
}

}  // namespace vanban::image

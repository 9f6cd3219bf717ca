#include "docx/package.hpp"
#include "core/i18n.hpp"

#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <filesystem>

namespace vanban::docx {

namespace fs = std::filesystem;

void write_package(const std::string& path, const std::vector<Part>& parts, ZipDate date) {
    fs::path target(path);
    fs::path dir = target.parent_path();
    const std::string tmp =
        (dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()))).string();
    int err = 0;
    zip_t* z = zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, err);
        std::string msg = tx("cannot create {}: {}", tmp, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        throw PackageError(msg);
    }
    auto fail = [&](const std::string& what) {
        std::string msg = what + ": " + zip_strerror(z);
        zip_discard(z);
        std::error_code ec;
        fs::remove(tmp, ec);
        throw PackageError(msg);
    };
    // DOS date and time: bits 15-9 year-1980, 8-5 month, 4-0 day; time 00:00:00.
    int y = std::clamp(date.year, 1980, 2107);
    const zip_uint16_t dos_date =
        static_cast<zip_uint16_t>(((y - 1980) << 9) | (std::clamp(date.month, 1, 12) << 5) | std::clamp(date.day, 1, 31));
    for (const auto& p : parts) {
        zip_source_t* src = zip_source_buffer(z, p.content.data(), p.content.size(), 0);
        if (!src) fail(tx("cannot add {}", p.name));
        zip_int64_t idx = zip_file_add(z, p.name.c_str(), src, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            zip_source_free(src);
            fail(tx("cannot add {}", p.name));
        }
        if (zip_file_set_dostime(z, zip_uint64_t(idx), 0, dos_date, 0) != 0) fail(tx("cannot date {}", p.name));
        if (zip_set_file_compression(z, zip_uint64_t(idx), ZIP_CM_DEFLATE, 6) != 0) fail(tx("cannot compress {}", p.name));
    }
    if (zip_close(z) != 0) fail(tx("cannot write {}", tmp));
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw PackageError(tx("cannot rename {} to {}: {}", tmp, path, ec.message()));
    }
}

}  // namespace vanban::docx

// batch/names: safe output file stems for batch documents, and the key under
// which two stems count as the same file.
//
// A batch names each output from a pattern filled with data ("{district}"),
// so a stem can contain anything a data file contains. sanitize_name() turns
// it into a stem that is safe on Linux, macOS and Windows file systems.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vanban::batch {

struct NameOptions {
    /// Produce an ASCII slug ("Huyện Đak Đoa" -> "huyen-dak-doa") instead of
    /// keeping Vietnamese letters ("Huyện Đak Đoa").
    bool ascii = false;
    /// Longest stem in bytes of UTF-8 (at least 8). The default leaves room in a
    /// 255-byte file name for an extension and a temporary-file suffix.
    std::size_t max_bytes = 100;
};

/// Turns `raw` into a safe file stem, or nullopt when nothing usable is left.
///
/// Rules (default, Unicode kept):
///  - text is normalised to NFC; bytes that are not UTF-8 are dropped;
///  - "/" and "\" become "-" ("498/KH-UBND" -> "498-KH-UBND");
///  - the characters Windows reserves ( < > : " | ? * ), control characters
///    (C0, DEL, C1) and invisible format characters (zero-width, bidi
///    controls, BOM) are removed;
///  - tabs, line breaks and Unicode spaces become a space; runs of spaces,
///    of "-" and of "." are collapsed to one, so ".." never survives;
///  - leading ".", "-" and spaces are removed (no hidden files, nothing that
///    reads as a command-line option), as are trailing ".", "-" and spaces;
///  - at most `max_bytes` bytes, cut at a character boundary;
///  - a Windows device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9, in any case,
///    alone or before a ".") gets "_" appended: "CON" -> "CON_".
/// With `ascii`, vntext::ascii_slug is applied first (lower-case a-z, 0-9, "-").
std::optional<std::string> sanitize_name(std::string_view raw, const NameOptions& opts = {});

/// True when `name` is already a safe stem: valid UTF-8, NFC, and returned
/// unchanged by sanitize_name (with a 200-byte limit).
bool is_safe_name(std::string_view name);

/// The key under which two stems denote the same file on a case-insensitive
/// file system: the NFC lower-case form ("Kbang" and "KBANG" share "kbang").
std::string name_key(std::string_view name);

}  // namespace vanban::batch

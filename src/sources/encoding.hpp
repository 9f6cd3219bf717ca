// sources/encoding: the bytes of a text file -> UTF-8 text, or a located
// message that names the encoding the file is really in.
//
// Every text input (the document JSON, body files, annex JSON, CSV and JSON
// data) is read through text_of(), so that every later stage sees UTF-8:
//  - a UTF-8 byte-order mark is dropped; UTF-16 LE or BE with a byte-order
//    mark (Notepad's "Unicode") is converted;
//  - with --input-encoding cp1258|tcvn3|vni the bytes are converted from that
//    legacy Vietnamese encoding (glibc iconv for Windows-1258 and TCVN3, a
//    table here for VNI, which no library has), then NFC-normalised — unless
//    they are valid UTF-8 beyond ASCII, which is kept (a UTF-8 template
//    beside legacy data);
//  - otherwise bytes that are not UTF-8 are refused with the encoding they
//    look like (Windows-1258, TCVN3 or VNI, told apart by which conversion
//    gives Vietnamese syllables) and the text as it reads converted;
//  - and valid UTF-8 holding TCVN3 or VNI text that was pasted in
//    ("NguyÔn ThÞ Hoa", "Nguyeãn Thò Hoa") is refused the same way, at the
//    first such word.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vanban::sources {

enum class Encoding { utf8, cp1258, tcvn3, vni };

/// The encoding named on the command line: "utf8", "cp1258", "tcvn3", "vni".
std::optional<Encoding> encoding_named(std::string_view name);
/// How messages name an encoding: "Windows-1258", "TCVN3 (ABC)", "VNI", "UTF-8".
const char* encoding_title(Encoding e);
/// The --input-encoding value that converts it: "cp1258", "tcvn3", "vni".
const char* encoding_flag(Encoding e);

/// Text in a legacy encoding -> NFC UTF-8. A byte the encoding does not
/// define becomes U+FFFD and, when `bad` is given, its offset is stored there
/// (the first one only; npos when there is none).
std::string from_legacy(std::string_view bytes, Encoding e, std::size_t* bad = nullptr);

/// The UTF-8 text of a text file's bytes, as described above. Throws
/// InputError located in `file` (line:column) when the text cannot be taken.
std::string text_of(std::string_view raw, const std::string& file, Encoding declared = Encoding::utf8);

}  // namespace vanban::sources

// docx/package: writes an Open Packaging Conventions file (a ZIP archive) with
// libzip, deterministically: parts in the order given, every entry dated with
// the same fixed DOS time, deflated at one fixed level, no extra fields and
// no archive comment. The archive is written to a temporary name in the target
// folder and renamed; on failure nothing is left at the target path.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace vanban::docx {

struct Part {
    std::string name;     ///< "word/document.xml"
    std::string content;  ///< bytes
};

/// The date stored for every entry (local DOS time fields, no time zone).
struct ZipDate {
    int year = 1980, month = 1, day = 1;
};

class PackageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Writes `parts` to `path` as a ZIP archive.
void write_package(const std::string& path, const std::vector<Part>& parts, ZipDate date);

}  // namespace vanban::docx

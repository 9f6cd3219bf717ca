// import/package: reading the parts of a DOCX file (a ZIP archive) with libzip.
#pragma once

#include <map>
#include <string>

namespace vanban::import {

/// The parts recognition needs: word/document.xml (required), word/styles.xml
/// and word/numbering.xml (empty when absent). Throws InputError, located at
/// `path`, when the file is not a ZIP archive, not a Word document, or a part
/// cannot be read.
struct WordParts {
    std::string document, styles, numbering;
};
WordParts read_word_parts(const std::string& path);

}  // namespace vanban::import

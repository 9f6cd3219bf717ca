// import/package: reading the parts of a DOCX file (a ZIP archive) with libzip.
#pragma once

#include <map>
#include <string>

namespace vanban::import {

/// The parts recognition needs: word/document.xml (required), word/styles.xml,
/// word/numbering.xml and word/_rels/document.xml.rels (empty when absent),
/// and the page headers and footers (word/header*.xml, word/footer*.xml) by path. Throws InputError, located at
/// `path`, when the file is not a ZIP archive, not a Word document, or a part
/// cannot be read.
struct WordParts {
    std::string document, styles, numbering, rels;
    std::map<std::string, std::string> headers_footers;
};
WordParts read_word_parts(const std::string& path);

}  // namespace vanban::import

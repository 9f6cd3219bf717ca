#include "import/package.hpp"

#include <zip.h>

#include <memory>

#include "core/diagnostic.hpp"

namespace vanban::import {

namespace {

struct Closer {
    void operator()(zip_t* z) const { zip_discard(z); }
};

std::string read_entry(zip_t* z, const std::string& path, const char* name, bool required) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name, 0, &st) != 0) {
        if (!required) return {};
        throw InputError(path, "", tr("import-not-docx", "not a Word document: the archive has no {} (a .docx file holds "
                                                         "word/document.xml)", name));
    }
    if (st.size > (zip_uint64_t(256) << 20))
        throw InputError(path, "", tr("import-damaged", "{} is larger than 256 MB; not a document vanban can import", name));
    zip_file_t* f = zip_fopen(z, name, 0);
    if (!f) throw InputError(path, "", tr("import-damaged", "cannot read {}: {}", name, zip_strerror(z)));
    std::string data(std::size_t(st.size), '\0');
    zip_int64_t got = zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    if (got < 0 || zip_uint64_t(got) != st.size)
        throw InputError(path, "", tr("import-damaged", "cannot read {}: the archive is damaged", name));
    return data;
}

}  // namespace

WordParts read_word_parts(const std::string& path) {
    int err = 0;
    std::unique_ptr<zip_t, Closer> z(zip_open(path.c_str(), ZIP_RDONLY, &err));
    if (!z) {
        if (err == ZIP_ER_NOZIP)
            throw InputError(path, "", tr("import-not-docx", "not a DOCX file: it is not a ZIP archive (a .docx file is a ZIP package; "
                                                             "a .doc file from old Word versions must be converted first)"));
        if (err == ZIP_ER_OPEN || err == ZIP_ER_READ)
            throw IoError(path, tr("file-read", "cannot open the file for reading"));
        zip_error_t ze;
        zip_error_init_with_code(&ze, err);
        Message msg = tr("import-not-docx", "not a DOCX file: {}", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        throw InputError(path, "", msg);
    }
    WordParts p;
    p.document = read_entry(z.get(), path, "word/document.xml", true);
    p.styles = read_entry(z.get(), path, "word/styles.xml", false);
    p.numbering = read_entry(z.get(), path, "word/numbering.xml", false);
    p.rels = read_entry(z.get(), path, "word/_rels/document.xml.rels", false);
    const zip_int64_t n = zip_get_num_entries(z.get(), 0);
    for (zip_int64_t k = 0; k < n && k < 10000; ++k) {
        const char* name = zip_get_name(z.get(), zip_uint64_t(k), 0);
        if (!name) continue;
        const std::string e = name;
        const bool story = (e.rfind("word/header", 0) == 0 || e.rfind("word/footer", 0) == 0) && e.find('/', 5) == std::string::npos &&
                           e.size() > 4 && e.compare(e.size() - 4, 4, ".xml") == 0;
        if (story) p.headers_footers[e] = read_entry(z.get(), path, name, true);
    }
    return p;
}

}  // namespace vanban::import

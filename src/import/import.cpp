// import: reading (package, wordml), recognising, and writing the result.
#include "import/import.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "import/package.hpp"
#include "vntext/vntext.hpp"

extern char** environ;

namespace vanban::import {

namespace fs = std::filesystem;

namespace {

bool has_ole_magic(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    unsigned char m[8] = {};
    f.read(reinterpret_cast<char*>(m), 8);
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    return f.gcount() == 8 && std::memcmp(m, ole, 8) == 0;
}

std::string find_program(const char* name) {
    const char* path = std::getenv("PATH");
    std::string p = path ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= p.size()) {
        std::size_t colon = p.find(':', start);
        std::string dir = p.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (!dir.empty()) {
            fs::path cand = fs::path(dir) / name;
            if (::access(cand.c_str(), X_OK) == 0) return cand.string();
        }
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    return {};
}

/// Converts a .doc file to .docx with LibreOffice into `dir`; returns the new file.
std::string convert_doc(const std::string& path, const fs::path& dir) {
    std::string soffice = find_program("soffice");
    if (soffice.empty()) soffice = find_program("libreoffice");
    if (soffice.empty())
        throw UnsupportedError(path, "", tr("import-doc-converter", "this is a .doc file (Word 97-2003), which is read through "
                                                                    "LibreOffice, and LibreOffice is not installed: install it (apt-get "
                                                                    "install libreoffice-writer-nogui) or save the file as .docx in Word, "
                                                                    "then run vanban import again"));
    std::string profile = "-env:UserInstallation=file://" + (dir / "profile").string();
    std::string outdir = dir.string();
    std::vector<std::string> args = {soffice, "--headless", "--norestore", "--nolockcheck", profile,
                                     "--convert-to", "docx:MS Word 2007 XML", "--outdir", outdir, path};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, soffice.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) throw IoError(path, tr("import-doc-converter", "cannot run {} to convert the .doc file: {}", soffice, std::strerror(rc)));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    fs::path out = dir / (fs::path(path).stem().string() + ".docx");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(out))
        throw InputError(path, "", tr("import-doc-convert", "LibreOffice could not convert this .doc file to .docx (is it a Word document?)"));
    return out.string();
}

void write_file(const fs::path& target, const std::string& data) {
    fs::path tmp = target.parent_path() / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f.write(data.data(), std::streamsize(data.size()));
        f.close();
        if (!f) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw IoError(target.string(), tr("output-write", "cannot write the file"));
        }
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw IoError(target.string(), tr("output-write", "cannot rename {}: {}", tmp.string(), ec.message()));
    }
}

}  // namespace

Result import_file(const std::string& path) {
    std::string lower = vntext::lower(path);
    bool doc = (lower.size() > 4 && lower.compare(lower.size() - 4, 4, ".doc") == 0) || has_ole_magic(path);
    if (doc) {
        char tmpl[] = "/tmp/vanban-import-XXXXXX";
        char* d = ::mkdtemp(tmpl);
        if (!d) throw IoError(path, tr("import-doc-converter", "cannot make a temporary folder to convert the .doc file"));
        fs::path dir(d);
        try {
            std::string docx = convert_doc(path, dir);
            WordParts parts = read_word_parts(docx);
            Result r = recognise(read_flow(path, parts.document, parts.styles, parts.numbering, parts.rels, parts.headers_footers), path);
            r.summary.insert(r.summary.begin(), "converted from .doc with LibreOffice");
            std::error_code ec;
            fs::remove_all(dir, ec);
            return r;
        } catch (...) {
            std::error_code ec;
            fs::remove_all(dir, ec);
            throw;
        }
    }
    WordParts parts = read_word_parts(path);
    return recognise(read_flow(path, parts.document, parts.styles, parts.numbering, parts.rels, parts.headers_footers), path);
}

std::vector<std::string> write_result(const Result& r, const std::string& out_dir) {
    std::error_code ec;
    if (fs::exists(out_dir, ec) && !fs::is_directory(out_dir, ec))
        throw IoError(out_dir, tr("output-is-file", "the output folder (-o) is an existing file; name a folder"));
    bool created = !fs::exists(out_dir, ec);
    fs::create_directories(out_dir, ec);
    if (ec) throw IoError(out_dir, tr("output-folder", "cannot create the output folder: {}", ec.message()));
    std::vector<std::pair<std::string, std::string>> files;
    files.push_back({"document.json", r.document.dump(2) + "\n"});
    if (r.document.contains("body")) files.push_back({"body.md", r.body + "\n"});
    for (const auto& [name, t] : r.texts) files.push_back({name, t + "\n"});
    for (const auto& [name, j] : r.annexes) files.push_back({name, j.dump(2) + "\n"});
    std::vector<std::string> written;
    try {
        for (const auto& [name, data] : files) {
            fs::path p = fs::path(out_dir) / name;
            write_file(p, data);
            written.push_back(p.string());
        }
    } catch (...) {
        for (const auto& w : written) fs::remove(w, ec);
        if (created) fs::remove(out_dir, ec);
        throw;
    }
    return written;
}

}  // namespace vanban::import

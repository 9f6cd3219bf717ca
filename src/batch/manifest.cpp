#include "batch/manifest.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "batch/names.hpp"

namespace vanban::batch {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

/// A manifest that does not have the expected shape; `pointer` says where.
struct Malformed {
    std::string pointer;
    std::string message;
};

[[noreturn]] void malformed(std::string pointer, std::string message) {
    throw Malformed{std::move(pointer), std::move(message)};
}

const char* type_word(const json& v) {
    switch (v.type()) {
        case json::value_t::null: return "null";
        case json::value_t::object: return "an object";
        case json::value_t::array: return "an array";
        case json::value_t::string: return "a string";
        case json::value_t::boolean: return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned: return "an integer";
        case json::value_t::number_float: return "a number with a fraction";
        default: return "something else";
    }
}

const json& member(const json& obj, const char* key, const std::string& at) {
    auto it = obj.find(key);
    if (it == obj.end()) malformed(at, std::string("missing \"") + key + "\"");
    return *it;
}

void expect(const json& v, json::value_t t, const std::string& at, const char* what) {
    if (v.type() != t) malformed(at, std::string("found ") + type_word(v) + ", expected " + what);
}

bool is_hex_digest(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

ManifestEntry read_entry(const json& v, const std::string& at) {
    expect(v, json::value_t::object, at, "an object with \"files\", \"input\" and \"tool\"");
    ManifestEntry e;
    const json& input = member(v, "input", at);
    expect(input, json::value_t::string, at + "/input", "a string");
    e.input = input.get<std::string>();
    if (!e.input.empty() && !is_hex_digest(e.input))
        malformed(at + "/input", "found \"" + e.input + "\", expected 64 lower-case hex digits or \"\"");
    const json& tool = member(v, "tool", at);
    expect(tool, json::value_t::string, at + "/tool", "a string");
    e.tool = tool.get<std::string>();
    const json& files = member(v, "files", at);
    expect(files, json::value_t::object, at + "/files", "an object");
    for (const auto& [name, rec] : files.items()) {
        const std::string fat = at + "/files/" + json_pointer_token(name);
        if (!is_safe_name(name)) malformed(fat, "\"" + name + "\" is not a plain file name");
        expect(rec, json::value_t::object, fat, "an object with \"size\" and \"sha256\"");
        const json& size = member(rec, "size", fat);
        if (!size.is_number_unsigned() && !(size.is_number_integer() && size.get<long long>() >= 0))
            malformed(fat + "/size", std::string("found ") + type_word(size) + ", expected a size in bytes");
        const json& sha = member(rec, "sha256", fat);
        expect(sha, json::value_t::string, fat + "/sha256", "a string");
        if (!is_hex_digest(sha.get<std::string>()))
            malformed(fat + "/sha256", "expected 64 lower-case hex digits");
        e.files[name] = FileRecord{size.get<std::uint64_t>(), sha.get<std::string>()};
    }
    if (auto it = v.find("obsolete"); it != v.end()) {
        expect(*it, json::value_t::array, at + "/obsolete", "an array of file names");
        for (std::size_t i = 0; i < it->size(); ++i) {
            const json& f = (*it)[i];
            const std::string oat = at + "/obsolete/" + std::to_string(i);
            expect(f, json::value_t::string, oat, "a file name");
            if (!is_safe_name(f.get<std::string>()))
                malformed(oat, "\"" + f.get<std::string>() + "\" is not a plain file name");
            e.obsolete.insert(f.get<std::string>());
        }
    }
    return e;
}

Manifest read_manifest_json(const json& doc) {
    expect(doc, json::value_t::object, "", "an object");
    const json& format = member(doc, "format", "");
    if (!format.is_string() || format.get<std::string>() != kManifestFormat)
        malformed("/format", std::string("expected \"") + kManifestFormat + "\"");
    const json& version = member(doc, "version", "");
    if (!version.is_number_integer() || version.get<long long>() != kManifestVersion)
        malformed("/version", "found " + version.dump() + ", expected " + std::to_string(kManifestVersion) +
                                  " (a manifest written by another version of vanban)");
    const json& outputs = member(doc, "outputs", "");
    expect(outputs, json::value_t::object, "/outputs", "an object");
    Manifest m;
    for (const auto& [name, entry] : outputs.items()) {
        const std::string at = "/outputs/" + json_pointer_token(name);
        if (!is_safe_name(name)) malformed(at, "\"" + name + "\" is not a safe output name");
        m.entries[name] = read_entry(entry, at);
    }
    return m;
}

/// Line and column (1-based) of a byte offset.
TextPos line_column(std::string_view text, std::size_t offset) {
    int line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') ++line, col = 1;
        else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++col;
    }
    return {line, col};
}

std::string errno_text(int err) { return std::strerror(err); }

}  // namespace

std::string manifest_to_json(const Manifest& m) {
    json outputs = json::object();
    for (const auto& [name, e] : m.entries) {
        json files = json::object();
        for (const auto& [file, rec] : e.files) files[file] = {{"size", rec.size}, {"sha256", rec.sha256}};
        json entry = {{"input", e.input}, {"tool", e.tool}, {"files", std::move(files)}};
        if (!e.obsolete.empty()) entry["obsolete"] = json(std::vector<std::string>(e.obsolete.begin(), e.obsolete.end()));
        outputs[name] = std::move(entry);
    }
    json doc = {{"format", kManifestFormat}, {"version", kManifestVersion}, {"outputs", std::move(outputs)}};
    // nlohmann::json keeps object members in a std::map: keys come out sorted.
    return doc.dump(2, ' ', false, json::error_handler_t::strict) + "\n";
}

Manifest parse_manifest(std::string_view text, const std::string& path, Diagnostics& warnings) {
    const std::string consequence = "; the manifest is ignored and every output in this folder is rebuilt";
    json doc;
    try {
        doc = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        const std::size_t at = e.byte == 0 ? 0 : e.byte - 1;
        warnings.warning(path, line_column(text, at),
                         "the manifest is not valid JSON (expected the file written by vanban batch)" + consequence);
        return {};
    }
    try {
        return read_manifest_json(doc);
    } catch (const Malformed& e) {
        warnings.warning(path, e.pointer, e.message + consequence);
        return {};
    } catch (const json::exception& e) {  // e.g. an integer too large for a size
        warnings.warning(path, "", std::string("unreadable manifest (") + e.what() + ")" + consequence);
        return {};
    }
}

std::string manifest_path(const std::string& dir) { return (fs::path(dir) / kManifestFileName).string(); }

Manifest read_manifest(const std::string& dir, Diagnostics& warnings) {
    const std::string path = manifest_path(dir);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::error_code ec;
        if (fs::exists(path, ec) || (ec && ec != std::errc::no_such_file_or_directory))
            warnings.warning(path, "", "cannot read the manifest; every output in this folder is rebuilt");
        return {};
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
        warnings.warning(path, "", "cannot read the manifest; every output in this folder is rebuilt");
        return {};
    }
    return parse_manifest(ss.str(), path, warnings);
}

void write_manifest(const std::string& dir, const Manifest& m) {
    const std::string path = manifest_path(dir);
    const std::string tmp = path + "." + std::to_string(::getpid()) + ".tmp";
    const std::string bytes = manifest_to_json(m);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot create " + tmp + ": " + errno_text(errno));
    auto fail = [&](const std::string& what, int err) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot " + what + " " + tmp + ": " + errno_text(err));
    };
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write", errno);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail("fsync", errno);
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot write " + tmp + ": " + errno_text(err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " + errno_text(err));
    }
    // Make the rename itself durable.
    const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// The pid of one of our temporaries — "<file>.<pid>.tmp" or ".<file>.tmp-<pid>"
/// where <file> is the manifest or a .pdf/.xlsx/.docx output — or 0 for any other name.
long temporary_pid(const std::string& name, const std::string& manifest) {
    auto digits = [](const std::string& t) {
        if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789") != std::string::npos) return 0L;
        return std::stol(t);
    };
    auto ours = [&](const std::string& file) {
        return file == manifest || ends_with(file, ".pdf") || ends_with(file, ".xlsx") || ends_with(file, ".docx");
    };
    if (ends_with(name, ".tmp")) {
        std::string stem = name.substr(0, name.size() - 4);
        auto dot = stem.rfind('.');
        if (dot != std::string::npos && ours(stem.substr(0, dot))) return digits(stem.substr(dot + 1));
    }
    auto at = name.rfind(".tmp-");
    if (at != std::string::npos && ours(name.substr(0, at))) return digits(name.substr(at + 5));
    return 0;
}

}  // namespace

std::vector<std::string> remove_leftover_temporaries(const std::string& dir) {
    std::vector<std::string> removed;
    const std::string manifest = fs::path(manifest_path(dir)).filename().string();
    std::error_code ec;
    for (fs::directory_iterator it(dir.empty() ? "." : dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const long pid = temporary_pid(name, manifest);
        if (pid <= 0) continue;
        const bool manifest_tmp = name.rfind(manifest + ".", 0) == 0;
        // Another process's output temporary is left alone while that process lives.
        const bool dead = pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
        if ((manifest_tmp && pid != ::getpid()) || (!manifest_tmp && dead)) {
            std::error_code rm;
            if (fs::remove(it->path(), rm)) removed.push_back(name);
        }
    }
    std::sort(removed.begin(), removed.end());
    return removed;
}

FolderLock::FolderLock(const std::string& dir) {
    fd_ = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) throw std::runtime_error("cannot open the folder " + dir + " to lock it: " + errno_text(errno));
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd_);
        throw std::runtime_error("cannot lock the folder " + dir + ": " + errno_text(err));
    }
}

FolderLock::~FolderLock() {
    if (fd_ >= 0) {
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }
}

}  // namespace vanban::batch

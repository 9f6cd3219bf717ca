// batch/hasher: SHA-256 digests (OpenSSL EVP) of what a batch output depends on.
//
// The caller feeds a Hasher everything a document's output depends on (the
// template, the data row, included files, the tool version …) and gives the
// hex digest to the runner as the task's input hash; the runner compares it
// with the one recorded in the manifest to decide whether to rebuild.
#pragma once

#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX, kept out of this header

namespace vanban::batch {

class Hasher {
public:
    Hasher();
    ~Hasher();
    Hasher(Hasher&& other) noexcept;
    Hasher& operator=(Hasher&& other) noexcept;
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;

    /// Appends raw bytes: add("ab").add("c") digests the same as add("abc").
    Hasher& add(std::string_view bytes);
    /// Appends one delimited field (its length as 8 bytes, then the bytes), so
    /// that a sequence of fields is unambiguous: ("ab","c") differs from ("a","bc").
    Hasher& add_field(std::string_view bytes);
    /// Appends, as one field, the SHA-256 of the content of the file at `path`.
    /// Throws InputError(path, "", …) when the file cannot be read.
    Hasher& add_file(const std::string& path);

    /// 64 lower-case hex digits of everything added so far; more may be added after.
    std::string hex() const;

private:
    evp_md_ctx_st* ctx_;
};

/// SHA-256 of `bytes`, as 64 lower-case hex digits.
std::string sha256_hex(std::string_view bytes);
/// SHA-256 of a file's content, as 64 lower-case hex digits. Throws InputError when unreadable.
std::string sha256_file_hex(const std::string& path);

}  // namespace vanban::batch

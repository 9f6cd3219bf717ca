#include "batch/hasher.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

#include "core/diagnostic.hpp"

namespace vanban::batch {

namespace {

[[noreturn]] void openssl_failure(const char* what) {
    throw std::runtime_error(std::string("SHA-256: OpenSSL ") + what + " failed");
}

std::string to_hex(const unsigned char* digest, unsigned int len) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * len);
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(kDigits[digest[i] >> 4]);
        out.push_back(kDigits[digest[i] & 0x0F]);
    }
    return out;
}

}  // namespace

Hasher::Hasher() : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr) openssl_failure("EVP_MD_CTX_new");
    if (EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(ctx_);
        openssl_failure("EVP_DigestInit_ex");
    }
}

Hasher::~Hasher() { EVP_MD_CTX_free(ctx_); }

Hasher::Hasher(Hasher&& other) noexcept : ctx_(other.ctx_) { other.ctx_ = nullptr; }

Hasher& Hasher::operator=(Hasher&& other) noexcept {
    if (this != &other) {
        EVP_MD_CTX_free(ctx_);
        ctx_ = other.ctx_;
        other.ctx_ = nullptr;
    }
    return *this;
}

Hasher& Hasher::add(std::string_view bytes) {
    if (ctx_ == nullptr) throw std::logic_error("Hasher used after being moved from");
    if (!bytes.empty() && EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1) openssl_failure("EVP_DigestUpdate");
    return *this;
}

Hasher& Hasher::add_field(std::string_view bytes) {
    unsigned char len[8];
    std::uint64_t n = bytes.size();
    for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(n >> (8 * i));
    add(std::string_view(reinterpret_cast<const char*>(len), sizeof len));
    return add(bytes);
}

Hasher& Hasher::add_file(const std::string& path) { return add_field(sha256_file_hex(path)); }

std::string Hasher::hex() const {
    if (ctx_ == nullptr) throw std::logic_error("Hasher used after being moved from");
    // Finalise a copy, so that the running digest can be extended afterwards.
    EVP_MD_CTX* copy = EVP_MD_CTX_new();
    if (copy == nullptr) openssl_failure("EVP_MD_CTX_new");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    const bool ok = EVP_MD_CTX_copy_ex(copy, ctx_) == 1 && EVP_DigestFinal_ex(copy, digest, &len) == 1;
    EVP_MD_CTX_free(copy);
    if (!ok) openssl_failure("EVP_DigestFinal_ex");
    return to_hex(digest, len);
}

std::string sha256_hex(std::string_view bytes) { return Hasher().add(bytes).hex(); }

std::string sha256_file_hex(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw InputError(path, "", tr("file-read", "cannot open the file to compute its digest: {}", std::strerror(errno)));
    Hasher h;
    char buf[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            throw InputError(path, "", tr("file-read", "cannot read the file to compute its digest: {}", std::strerror(err)));
        }
        h.add(std::string_view(buf, static_cast<std::size_t>(n)));
    }
    ::close(fd);
    return h.hex();
}

}  // namespace vanban::batch

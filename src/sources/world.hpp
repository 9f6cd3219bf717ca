// sources/world: the one way the pipeline reaches the filesystem.
//
// Every file a document uses — the document JSON, its body, annex files, the
// data file, the fonts — is read through a World. A World hands out a file's
// bytes as an immutable, shared buffer and keeps it: each path is read at most
// once per World, however many documents of a batch use it. DiskWorld reads
// the real filesystem; MemoryWorld serves files given to it (tests, a server
// that receives documents over the network). Both are safe to share between
// threads and count the reads they make, so that tests can prove that a
// batch reads each file once. Text files are read with read_text(), which
// hands out UTF-8 whatever the file's encoding (sources/encoding.hpp), so
// that no later stage sees anything else.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/diagnostic.hpp"
#include "sources/encoding.hpp"

namespace vanban::sources {

/// A file's contents, shared and immutable.
using Bytes = std::shared_ptr<const std::string>;

/// The outcome of a read: the bytes, or why there are none.
struct ReadResult {
    Bytes bytes;         ///< nullptr when the file could not be read
    std::string reason;  ///< "no such file", "is a folder, not a file", …
    explicit operator bool() const { return bytes != nullptr; }
};

class World {
public:
    virtual ~World() = default;
    /// The contents of `path` (as the input names it, already joined to its
    /// folder). The same path gives the same buffer every time.
    ReadResult read(const std::string& path);
    /// The contents of the text file `path` as UTF-8: a byte-order mark
    /// dropped, UTF-16 and the --input-encoding converted (sources/encoding.hpp),
    /// decoded once. Throws InputError, located in the file, when its bytes
    /// are not text that can be taken (a legacy encoding not declared, …).
    ReadResult read_text(const std::string& path);
    /// The encoding text files are in (--input-encoding); UTF-8 by default.
    void set_input_encoding(Encoding e) { encoding_ = e; }
    Encoding input_encoding() const { return encoding_; }
    /// The first `max_bytes` of `path` (all of it when it is shorter), read
    /// afresh and not kept: for reading the start of a file too big to hold
    /// (a data file's first records). The same checks as read(), except
    /// the size limit, which the caller applies to what it reads.
    ReadResult read_head(const std::string& path, std::size_t max_bytes);
    /// How many times a file was actually fetched (cache misses).
    std::size_t fetches() const;
    /// How many times `path` was asked for through read().
    std::size_t reads(const std::string& path) const;
    /// Every path asked for, with its number of reads.
    std::map<std::string, std::size_t> reads() const;

protected:
    /// Fetches `path` from wherever this World keeps files (no caching here).
    virtual ReadResult fetch(const std::string& path) = 0;
    /// The first `max_bytes` of `path`; by default cut from read().
    virtual ReadResult fetch_head(const std::string& path, std::size_t max_bytes);

private:
    mutable std::mutex mu_;
    std::map<std::string, ReadResult> cache_;
    struct Text {
        ReadResult result;
        Diagnostics problems;  ///< why the bytes are not text, when they are not
    };
    std::map<std::string, Text> texts_;
    Encoding encoding_ = Encoding::utf8;
    std::map<std::string, std::size_t> reads_;
    std::size_t fetches_ = 0;
};

/// The real filesystem.
class DiskWorld : public World {
protected:
    ReadResult fetch(const std::string& path) override;
    ReadResult fetch_head(const std::string& path, std::size_t max_bytes) override;
};

/// Files held in memory (tests, documents received by a server).
class MemoryWorld : public World {
public:
    void add(const std::string& path, std::string contents);

protected:
    ReadResult fetch(const std::string& path) override;

private:
    std::map<std::string, Bytes> files_;
};

}  // namespace vanban::sources

// sources/bundle: everything one document reads, read once.
//
// gather() reads a document JSON file through a World, parses its syntax
// (UTF-8, JSON with line:column on failure, NFC) and follows its file
// references — the body file, annex files, font files, signature and seal
// images — reading each through
// the same World. The result is a Bundle: the one input of the later stages.
// bind/ turns a template's bundle into a bound bundle per record, input/
// interprets a bundle as a document, batch/ hashes it. No later stage opens a
// file.
//
// The members that name files are listed in one place, references(): a
// template's references are taken from the template as written (placeholders
// are not allowed in file names), so that a batch gathers a template once.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/diagnostic.hpp"
#include "sources/json_text.hpp"
#include "sources/world.hpp"

namespace vanban::sources {

/// A JSON file: its text and its parsed, NFC-normalised tree.
struct JsonFile {
    std::string path;
    Bytes text;
    std::shared_ptr<const nlohmann::json> tree;
};

/// A text file (the body) as read.
struct TextFile {
    std::string path;
    Bytes text;
};

/// A font file as read.
struct FontFile {
    std::string path;
    Bytes bytes;  ///< nullptr when it could not be read (see Bundle::problems)
};

/// A member of a document that names a file.
struct Reference {
    /// text: the body of an attached text; image: a signature or seal PNG.
    enum class Kind { body, annex, font, text, image } kind;
    /// "/body/file", "/annexes/2/file", "/fonts/bold", "/attached/0/body/file", "/signature/seal/file",
    /// "/copy/signature/image/file"
    std::string pointer;
    std::string name;     ///< as written ("body.md")
    std::string path;     ///< joined to the document's folder, normalised
};

/// The shipped font files, by face (regular, bold, italic, bold italic).
std::array<std::string, 4> shipped_fonts(const std::string& fonts_dir);
/// The keys of "fonts" in face order.
extern const std::array<const char*, 4> kFontKeys;

struct Bundle {
    JsonFile document;
    std::string base_dir;                      ///< the document's folder ("." when none)
    std::optional<TextFile> body;              ///< the body file, when the document names one and it was read
    std::map<std::string, JsonFile> annexes;   ///< annex files read, by path
    std::map<std::string, TextFile> texts;     ///< bodies of attached texts read, by path
    std::map<std::string, Bytes> images;       ///< signature and seal images read, by path (checked by input/)
    std::array<FontFile, 4> fonts;             ///< the document's fonts, else the shipped ones
    /// Referenced files that could not be read or parsed, located at their reference.
    Diagnostics problems;

    /// The annex file at `path`, or nullptr.
    const JsonFile* annex(const std::string& path) const;
    /// The attached text's body file at `path`, or nullptr.
    const TextFile* text(const std::string& path) const;
    /// The image file read at `path`, or nullptr.
    Bytes image(const std::string& path) const;
};

/// Joins `name` to `base_dir` and normalises it.
std::string join(const std::string& base_dir, const std::string& name);

/// The file references of a document tree (members that are not of the
/// expected shape are left to input/ to report).
std::vector<Reference> references(const nlohmann::json& document, const std::string& base_dir);

/// Which files a document may refer to: those in its own folder (below it,
/// after following symbolic links), and those below `allowed` folders.
struct PathPolicy {
    std::vector<std::string> allowed;  ///< --allow-paths DIR …
    /// Why `path` (referenced as `name` from `base_dir`) is refused, or "" when it may be read.
    std::string refuses(const std::string& base_dir, const std::string& name, const std::string& path) const;
};

/// Reads a document and every file it references. Throws InputError when the
/// document itself cannot be read or is not valid JSON; problems with the
/// files it references (unreadable, unparsable, refused by `policy`) are kept
/// in Bundle::problems.
Bundle gather(World& world, const std::string& path, const std::string& fonts_dir, const PathPolicy& policy = {});

}  // namespace vanban::sources

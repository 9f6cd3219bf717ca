#include "sources/bundle.hpp"

#include <filesystem>

#include "vntext/vntext.hpp"

namespace vanban::sources {

namespace fs = std::filesystem;
using nlohmann::json;

const std::array<const char*, 4> kFontKeys = {"regular", "bold", "italic", "bold_italic"};

std::array<std::string, 4> shipped_fonts(const std::string& fonts_dir) {
    static const char* files[] = {"LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
                                  "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"};
    std::array<std::string, 4> out;
    for (int i = 0; i < 4; ++i) out[i] = (fs::path(fonts_dir) / files[i]).string();
    return out;
}

const JsonFile* Bundle::annex(const std::string& path) const {
    auto it = annexes.find(path);
    return it == annexes.end() ? nullptr : &it->second;
}

const TextFile* Bundle::text(const std::string& path) const {
    auto it = texts.find(path);
    return it == texts.end() ? nullptr : &it->second;
}

Bytes Bundle::image(const std::string& path) const {
    auto it = images.find(path);
    return it == images.end() ? nullptr : it->second;
}

std::string join(const std::string& base_dir, const std::string& name) {
    return (fs::path(base_dir) / name).lexically_normal().string();
}

std::vector<Reference> references(const json& doc, const std::string& base_dir) {
    std::vector<Reference> out;
    if (!doc.is_object()) return out;
    auto add = [&](Reference::Kind kind, std::string pointer, const json& name) {
        if (!name.is_string()) return;
        const std::string& n = name.get_ref<const std::string&>();
        out.push_back({kind, std::move(pointer), n, join(base_dir, n)});
    };
    if (auto b = doc.find("body"); b != doc.end() && b->is_object())
        if (auto f = b->find("file"); f != b->end()) add(Reference::Kind::body, "/body/file", *f);
    if (auto a = doc.find("annexes"); a != doc.end() && a->is_array())
        for (std::size_t i = 0; i < a->size(); ++i) {
            const json& e = (*a)[i];
            if (e.is_object() && e.size() == 1 && e.contains("file"))
                add(Reference::Kind::annex, "/annexes/" + std::to_string(i) + "/file", e["file"]);
        }
    if (auto a = doc.find("attached"); a != doc.end() && a->is_array())
        for (std::size_t i = 0; i < a->size(); ++i) {
            const json& e = (*a)[i];
            if (!e.is_object()) continue;
            if (auto b = e.find("body"); b != e.end() && b->is_object())
                if (auto f = b->find("file"); f != b->end())
                    add(Reference::Kind::text, "/attached/" + std::to_string(i) + "/body/file", *f);
        }
    auto pictures = [&](const json& sig, const std::string& at) {
        if (!sig.is_object()) return;
        for (const char* key : {"image", "seal"})
            if (auto i = sig.find(key); i != sig.end() && i->is_object())
                if (auto f = i->find("file"); f != i->end()) add(Reference::Kind::image, at + "/" + key + "/file", *f);
    };
    if (auto s = doc.find("signature"); s != doc.end()) pictures(*s, "/signature");
    if (auto c = doc.find("copy"); c != doc.end() && c->is_object())
        if (auto s = c->find("signature"); s != c->end()) pictures(*s, "/copy/signature");
    if (auto f = doc.find("fonts"); f != doc.end() && f->is_object())
        for (const char* key : kFontKeys)
            if (auto k = f->find(key); k != f->end()) add(Reference::Kind::font, std::string("/fonts/") + key, *k);
    return out;
}

namespace {

/// True when `path` is `dir` or lies below it (both canonical).
bool below(const fs::path& path, const fs::path& dir) {
    auto p = path.begin();
    for (auto d = dir.begin(); d != dir.end(); ++d, ++p)
        if (p == path.end() || *p != *d) return false;
    return true;
}

}  // namespace

std::string PathPolicy::refuses(const std::string& base_dir, const std::string& name, const std::string& path) const {
    std::error_code ec;
    const fs::path target = fs::weakly_canonical(path, ec);
    if (ec) return tx("its path cannot be resolved ({})", ec.message());
    const fs::path base = fs::weakly_canonical(base_dir, ec);
    if (!ec && below(target, base)) return "";
    for (const auto& dir : allowed) {
        const fs::path a = fs::weakly_canonical(dir, ec);
        if (!ec && below(target, a)) return "";
    }
    if (fs::path(name).is_absolute())
        return tx("\"{}\" lies outside the document's folder; keep the files of a document in its folder, or allow that folder "
                  "with --allow-paths DIR", name);
    return tx("\"{}\" lies outside the document's folder ({}); keep the files of a document in its folder, or allow that folder "
              "with --allow-paths DIR", name, target.string());
}

Bundle gather(World& world, const std::string& path, const std::string& fonts_dir, const PathPolicy& policy) {
    Bundle b;
    ReadResult doc = world.read_text(path);
    if (!doc) throw InputError(path, Loc{}, tr("file-read", "cannot read the file ({})", doc.reason));
    b.document.path = path;
    b.document.text = doc.bytes;
    b.document.tree = std::make_shared<const json>(parse_json_text(*doc.bytes, path));
    b.base_dir = fs::path(path).parent_path().string();
    if (b.base_dir.empty()) b.base_dir = ".";

    const std::array<std::string, 4> shipped = shipped_fonts(fonts_dir);
    for (int i = 0; i < 4; ++i) b.fonts[i].path = shipped[i];
    for (const Reference& r : references(*b.document.tree, b.base_dir)) {
        if (std::string why = policy.refuses(b.base_dir, r.name, r.path); !why.empty()) {
            b.problems.error(path, r.pointer, tr("path-refused", "the file {}", why));
            continue;
        }
        if (r.kind == Reference::Kind::font) {
            for (int i = 0; i < 4; ++i)
                if (r.pointer == std::string("/fonts/") + kFontKeys[i]) b.fonts[i].path = r.path;
            continue;  // read below with the shipped ones
        }
        ReadResult got;
        try {
            // Images are bytes; the body, attached texts and annex files are text.
            got = r.kind == Reference::Kind::image ? world.read(r.path) : world.read_text(r.path);
        } catch (const InputError& e) {
            b.problems.append(e.diagnostics());
            continue;
        }
        if (!got) {
            b.problems.error(path, r.pointer,
                             r.kind == Reference::Kind::body    ? tr("file-read", "cannot read the body file \"{}\" ({})", r.path, got.reason)
                             : r.kind == Reference::Kind::text  ? tr("file-read", "cannot read the attached text's body file \"{}\" ({})",
                                                                     r.path, got.reason)
                             : r.kind == Reference::Kind::image ? tr("file-read", "cannot read the image file \"{}\" ({})", r.path, got.reason)
                                                                : tr("file-read", "cannot read the annex file \"{}\" ({})", r.path, got.reason));
            continue;
        }
        if (r.kind == Reference::Kind::body) {
            b.body = TextFile{r.path, got.bytes};
        } else if (r.kind == Reference::Kind::text) {
            b.texts.emplace(r.path, TextFile{r.path, got.bytes});
        } else if (r.kind == Reference::Kind::image) {
            b.images.emplace(r.path, got.bytes);
        } else if (!b.annexes.count(r.path)) {
            try {
                b.annexes[r.path] = JsonFile{r.path, got.bytes, std::make_shared<const json>(parse_json_text(*got.bytes, r.path))};
            } catch (const InputError& e) {
                b.problems.append(e.diagnostics());
            }
        }
    }
    for (int i = 0; i < 4; ++i) {
        ReadResult got = world.read(b.fonts[i].path);
        b.fonts[i].bytes = got.bytes;
        if (!got) {
            bool own = b.fonts[i].path != shipped[i];
            if (own)
                b.problems.error(path, std::string("/fonts/") + kFontKeys[i],
                                 tr("file-read", "cannot read the font file {} ({})", b.fonts[i].path, got.reason));
        }
    }
    return b;
}

}  // namespace vanban::sources

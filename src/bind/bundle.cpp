#include "bind/bundle.hpp"

#include "vntext/vntext.hpp"

namespace vanban::bind {

using nlohmann::json;

void BoundBundle::relocate(Diagnostics& diags) const {
    for (const auto& [file, ex] : expansions) locate_in_template(diags, file, ex);
}

BundleTemplate BundleTemplate::compile(sources::Bundle raw, Diagnostics& diags) {
    BundleTemplate t;
    const json& doc = *raw.document.tree;
    for (const auto& ref : sources::references(doc, raw.base_dir))
        if (ref.name.find("{{") != std::string::npos)
            diags.error(raw.document.path, ref.pointer,
                        tr("template-file-name", "a file name cannot hold placeholders (\"{}\"): a template reads the same files for "
                                                 "every record; put what varies inside the file", ref.name));
    t.document_ = JsonTemplate::compile(doc, raw.document.path, diags);
    // A body that is not UTF-8 is left as it is: input/ reports it at its line:column.
    if (raw.body && !vntext::find_invalid_utf8(*raw.body->text))
        t.body_ = Template::compile(*raw.body->text, Origin{raw.body->path, ""}, diags);
    for (const auto& [path, file] : raw.annexes) t.annexes_[path] = JsonTemplate::compile(*file.tree, path, diags);
    t.raw_ = std::move(raw);
    return t;
}

BoundBundle BundleTemplate::bind(const Context& ctx, Diagnostics& diags) const {
    BoundBundle out;
    sources::Bundle& b = out.bundle;
    b = raw_;  // shares every buffer; only the bound files are replaced
    const std::string& doc_path = raw_.document.path;
    b.document.tree = std::make_shared<const json>(document_.render(ctx, diags, &out.expansions[doc_path]));
    if (body_) b.body->text = std::make_shared<const std::string>(body_->render(ctx, diags));
    for (auto& [path, file] : b.annexes)
        file.tree = std::make_shared<const json>(annexes_.at(path).render(ctx, diags, &out.expansions[path]));
    return out;
}

}  // namespace vanban::bind

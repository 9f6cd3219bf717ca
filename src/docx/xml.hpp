// docx/xml: a small streaming XML writer for the WordprocessingML parts.
//
// Elements are opened and closed in order; attributes may be added while the
// start tag is still open. Text and attribute values are escaped (& < > " and
// the C0 control characters XML 1.0 cannot hold, which are dropped). The
// output is a plain string, byte-for-byte determined by the calls made.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vanban::docx {

/// Escapes text for element content or a double-quoted attribute value.
/// Characters XML 1.0 forbids (C0 controls other than tab, LF, CR) are dropped.
std::string escape(std::string_view text);

class Xml {
public:
    /// Starts a part with the XML declaration (standalone="yes"), or a
    /// fragment (no declaration) to be embedded in another part.
    explicit Xml(bool declaration = true);

    /// Opens <tag; attributes may follow until content is added.
    Xml& open(std::string_view tag);
    /// Adds an attribute to the element just opened.
    Xml& attr(std::string_view name, std::string_view value);
    Xml& attr(std::string_view name, long long value);
    /// Closes the innermost open element ("/>" when it has no content).
    Xml& close();
    /// An element with attributes and no content: <tag a="1"/>.
    Xml& leaf(std::string_view tag, std::initializer_list<std::pair<std::string_view, std::string_view>> attrs = {});
    /// Escaped character content.
    Xml& text(std::string_view t);
    /// Content written as is (already well-formed XML).
    Xml& raw(std::string_view xml);

    /// The document; every element must have been closed.
    const std::string& str() const;
    int depth() const { return static_cast<int>(stack_.size()); }

private:
    void end_start_tag();
    std::string out_;
    std::vector<std::string> stack_;
    bool start_open_ = false;
};

}  // namespace vanban::docx

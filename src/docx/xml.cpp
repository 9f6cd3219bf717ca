#include "docx/xml.hpp"

#include <stdexcept>

namespace vanban::docx {

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
                out += c;
        }
    }
    return out;
}

Xml::Xml(bool declaration) {
    if (declaration) out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
}

void Xml::end_start_tag() {
    if (start_open_) {
        out_ += '>';
        start_open_ = false;
    }
}

Xml& Xml::open(std::string_view tag) {
    end_start_tag();
    out_ += '<';
    out_ += tag;
    stack_.emplace_back(tag);
    start_open_ = true;
    return *this;
}

Xml& Xml::attr(std::string_view name, std::string_view value) {
    if (!start_open_) throw std::logic_error("xml: attribute outside a start tag");
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    out_ += escape(value);
    out_ += '"';
    return *this;
}

Xml& Xml::attr(std::string_view name, long long value) { return attr(name, std::to_string(value)); }

Xml& Xml::close() {
    if (stack_.empty()) throw std::logic_error("xml: close without an open element");
    if (start_open_) {
        out_ += "/>";
        start_open_ = false;
    } else {
        out_ += "</";
        out_ += stack_.back();
        out_ += '>';
    }
    stack_.pop_back();
    return *this;
}

Xml& Xml::leaf(std::string_view tag, std::initializer_list<std::pair<std::string_view, std::string_view>> attrs) {
    open(tag);
    for (const auto& [k, v] : attrs) attr(k, v);
    return close();
}

Xml& Xml::text(std::string_view t) {
    end_start_tag();
    out_ += escape(t);
    return *this;
}

Xml& Xml::raw(std::string_view xml) {
    end_start_tag();
    out_ += xml;
    return *this;
}

const std::string& Xml::str() const {
    if (!stack_.empty()) throw std::logic_error("xml: element <" + stack_.back() + "> left open");
    return out_;
}

}  // namespace vanban::docx

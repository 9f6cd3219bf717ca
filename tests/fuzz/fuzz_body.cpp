// Fuzzes the body parser (outline text -> blocks) and the inline parser.
// vanban::Error is a documented outcome; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/diagnostic.hpp"
#include "input/body_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        vanban::Diagnostics diags;
        auto blocks = vanban::input::parse_body(text, "body.md", diags);
        (void)blocks;
        for (const auto& d : diags.items()) (void)d.to_string();
    } catch (const vanban::Error&) {
    }
    try {
        auto inl = vanban::input::parse_inlines(text);
        (void)inl;
    } catch (const vanban::Error&) {
    }
    return 0;
}

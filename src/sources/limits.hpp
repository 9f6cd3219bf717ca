// sources/limits: how much input vanban accepts. Every limit has a default
// that no real document comes near, and a command-line flag to raise it
// (README, "Limits"): a file that exceeds one is refused with a message that
// names the limit and the flag, never read or expanded without bound.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vanban::sources {

struct Limits {
    std::uint64_t max_file_bytes = 64ull << 20;   ///< any one input file (--max-file-mb)
    std::size_t max_json_depth = 64;              ///< nesting of JSON arrays and objects (--max-json-depth)
    std::uint64_t max_template_bytes = 64ull << 20; ///< text one template expansion may produce (--max-template-mb)
    std::size_t max_section_depth = 8;            ///< {{#…}} sections inside each other (--max-section-depth)
    std::size_t max_pages = 2000;                 ///< pages of one document (--max-pages)
};

/// The limits in force for this process (set once by the command line, before any work).
const Limits& limits();
void set_limits(const Limits& l);

}  // namespace vanban::sources

// Test helpers for unit_bind: finding a diagnostic by location and message parts.
#pragma once

#include <doctest/doctest.h>

#include <initializer_list>
#include <string>

#include "core/diagnostic.hpp"

namespace vanban::bind_test {

/// True when `d` has an error at file:location whose message contains every part.
inline bool has_error(const Diagnostics& d, const std::string& file, const std::string& location,
                      std::initializer_list<std::string> parts) {
    for (const auto& i : d.items()) {
        if (i.file != file || i.at.to_string() != location) continue;
        bool all = true;
        for (const auto& p : parts)
            if (i.message.find(p) == std::string::npos) all = false;
        if (all) return true;
    }
    return false;
}

}  // namespace vanban::bind_test

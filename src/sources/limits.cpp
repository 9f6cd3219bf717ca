#include "sources/limits.hpp"

namespace vanban::sources {

namespace {
Limits g_limits;
}

const Limits& limits() { return g_limits; }
void set_limits(const Limits& l) { g_limits = l; }

}  // namespace vanban::sources

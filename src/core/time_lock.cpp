#include "core/time_lock.hpp"

namespace vanban {

std::mutex& libc_time_lock() {
    static std::mutex m;
    return m;
}

}  // namespace vanban

#include "batch/interrupt.hpp"
#include "core/i18n.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace vanban::batch {

namespace {

std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;

static_assert(std::atomic<bool>::is_always_lock_free, "the stop flag is set from a signal handler");

extern "C" void on_stop_signal(int sig) {
    g_signal = sig;
    g_stop.store(true);
}

}  // namespace

std::atomic<bool>& InterruptGuard::flag() { return g_stop; }

int InterruptGuard::signal_number() { return g_signal; }

InterruptGuard::InterruptGuard() {
    g_stop.store(false);
    g_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    // SA_RESETHAND: a second signal takes the default action (ends the process).
    // SA_RESTART: system calls of the running documents are not cut short.
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    if (::sigaction(SIGINT, &sa, &old_int_) != 0)
        throw std::runtime_error(tx("cannot install the SIGINT handler: {}", std::strerror(errno)));
    if (::sigaction(SIGTERM, &sa, &old_term_) != 0) {
        const int err = errno;
        ::sigaction(SIGINT, &old_int_, nullptr);
        throw std::runtime_error(tx("cannot install the SIGTERM handler: {}", std::strerror(err)));
    }
}

InterruptGuard::~InterruptGuard() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
}

}  // namespace vanban::batch

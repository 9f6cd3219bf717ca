// batch/interrupt: turns SIGINT and SIGTERM into a "stop" flag for the batch
// runner, for as long as a guard object lives.
//
// While an InterruptGuard exists, the first SIGINT or SIGTERM only sets the
// flag: the runner then starts no new document, lets the running ones finish,
// writes its manifest and reports "interrupted" (the caller exits 130). The
// signal's default action is restored at once, so a second Ctrl-C ends the
// process immediately. The previous handlers come back when the guard dies.
#pragma once

#include <atomic>
#include <csignal>

namespace vanban::batch {

class InterruptGuard {
public:
    /// Clears the flag and installs the handlers. Throws std::runtime_error if
    /// sigaction fails.
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    /// The process-wide flag the handlers set; the runner reads it unless told otherwise.
    static std::atomic<bool>& flag();
    /// The signal that set the flag (SIGINT, SIGTERM), or 0.
    static int signal_number();

    bool interrupted() const { return flag().load(); }

private:
    struct sigaction old_int_{};
    struct sigaction old_term_{};
};

}  // namespace vanban::batch

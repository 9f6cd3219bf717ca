// cli/serve: what `vanban serve` does once its options are read. Two
// implementations, one per program:
//   serve_exec.cpp (in `vanban`): replaces the process with vanban-serve from
//     the same folder, with the same arguments, so that `vanban` itself never
//     links the HTTP and TLS libraries (cpp-httplib, OpenSSL's libssl): a
//     render or batch process starts a few milliseconds sooner;
//   serve_run.cpp (in `vanban-serve`, the same command line with the server
//     linked in): checks --listen and runs server::serve.
#pragma once

#include <string>

#include "server/server.hpp"

namespace vanban::cli {

/// The options of `vanban serve` as read from the command line.
struct ServeArgs {
    std::string listen;           ///< --listen as given
    double max_request_mb = 16;   ///< --max-request-mb
    server::Options options;      ///< the rest (workspace, token, jobs, limits, job options)
};

/// Runs `serve`; returns the exit status. argc/argv are the process's own.
int serve(ServeArgs args, int argc, char** argv);

}  // namespace vanban::cli

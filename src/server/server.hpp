// server: `vanban serve` — the document compiler over HTTP, and the page that
// clerks use in a browser (server/web/, embedded in the binary).
//
// One process, stateless: every request carries its document (JSON with the
// body inline, or a multipart upload of the document and its files); the
// files are served to the pipeline from memory (sources::MemoryWorld), so a
// posted document can never make the server read a file from disk. The only
// files read from disk are the program's own (the shipped fonts, the
// front-end libraries under /usr/share/javascript) and documents opened from
// the workspace (read through the strict path policy: nothing outside the
// workspace). Outputs are written to a private folder inside the workspace,
// read back and deleted before the response is sent.
//
// Safety: the server binds to loopback unless a token file is given; request
// bodies are limited in size; rendering runs on a pool of --jobs workers with
// a time limit per request (503 when the queue is full, 504 past the limit);
// every request's exceptions are caught and answered, never propagated.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "job/render.hpp"

namespace vanban::server {

struct Listen {
    std::string host = "127.0.0.1";
    int port = 8080;
};

/// Parses "127.0.0.1:8080", "[::1]:8080", "localhost:0", ":8080" or "8080"
/// (host 127.0.0.1); nullopt with `error` set otherwise.
std::optional<Listen> parse_listen(const std::string& text, std::string& error);

/// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& host);

struct Options {
    Listen listen;
    std::string workspace = ".";      ///< the only folder the server reads documents from and writes to
    std::string token_file;           ///< required for a non-loopback address
    int jobs = 0;                     ///< rendering workers; 0 = the number of cores
    std::size_t max_request_bytes = 16u << 20;  ///< request body limit (413 above it)
    int render_timeout_ms = 20000;    ///< one render, check or preview (504 past it)
    int batch_timeout_ms = 120000;    ///< one whole batch
    std::size_t queue = 256;          ///< renders waiting for a worker (503 above it)
    bool quiet = false;               ///< no line per request on stderr
    std::string assets_dir = "/usr/share/javascript";  ///< Debian's front-end libraries (pdf.js, CodeMirror)
    job::Options job;                 ///< strictness, fonts folder
};

/// Checks the options (listen address, token, workspace); returns a message
/// saying what is wrong and how to fix it, or "" when the server may start.
std::string validate(const Options& o, std::string& token);

/// Runs the server until SIGINT/SIGTERM (or stop()). Prints
/// "vanban serve: listening on http://HOST:PORT/" once it accepts requests.
/// Returns the process exit status.
int serve(const Options& o);

}  // namespace vanban::server

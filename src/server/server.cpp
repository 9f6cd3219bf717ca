#include "server/server.hpp"

#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <httplib.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "input/document_input.hpp"
#include "server/pool.hpp"
#include "server/service.hpp"
#include "vanban/embedded.hpp"
#include "vanban/web_assets.hpp"

namespace vanban::server {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<Listen> parse_listen(const std::string& text, std::string& error) {
    Listen l;
    std::string host, port;
    if (!text.empty() && text[0] == '[') {
        auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            error = "expected [IPv6]:PORT, e.g. [::1]:8080";
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else if (auto colon = text.rfind(':'); colon != std::string::npos) {
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string::npos) {
            error = tx("write an IPv6 address in brackets, e.g. [::1]:8080");
            return std::nullopt;
        }
    } else {
        port = text;
    }
    if (!host.empty()) l.host = host;
    bool digits = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoi(port) > 65535) {
        error = tx("expected HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:8080; found \"{}\"", text);
        return std::nullopt;
    }
    l.port = std::stoi(port);
    return l;
}

bool is_loopback(const std::string& host) {
    if (host == "localhost" || host == "::1") return true;
    in_addr a{};
    if (inet_pton(AF_INET, host.c_str(), &a) == 1) return (ntohl(a.s_addr) >> 24) == 127;
    in6_addr a6{};
    if (inet_pton(AF_INET6, host.c_str(), &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
    return false;
}

std::string validate(const Options& o, std::string& token) {
    std::error_code ec;
    if (!fs::is_directory(o.workspace, ec))
        return tx("--workspace: \"{}\" is not a folder; create it or name an existing one", o.workspace);
    if (!o.token_file.empty()) {
        std::ifstream in(o.token_file, std::ios::binary);
        if (!in) return tx("--token-file: cannot read \"{}\"", o.token_file);
        std::ostringstream s;
        s << in.rdbuf();
        token = s.str();
        while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
        while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front()))) token.erase(0, 1);
        if (token.size() < 16 || token.find_first_of(" \t\r\n") != std::string::npos)
            return tx("--token-file: the token in \"{}\" must be one word of at least 16 characters (e.g. made by: openssl rand -hex 24)",
                      o.token_file);
    }
    if (!is_loopback(o.listen.host) && token.empty())
        return tx("refusing to listen on {}, which is not a loopback address, without a token: other machines could use this server. "
                  "Give --token-file FILE (a file holding a secret of at least 16 characters; clients send it as "
                  "\"Authorization: Bearer TOKEN\"), or listen on 127.0.0.1 behind a reverse proxy",
                  o.listen.host);
    return "";
}

namespace {

bool same_token(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

void answer(httplib::Response& res, const Reply& r) {
    res.status = r.status;
    if (!r.filename.empty())
        res.set_header("Content-Disposition", "attachment; filename=\"" + r.filename + "\"");
    res.set_header("Cache-Control", "no-store");
    res.set_content(r.body, r.content_type.c_str());
}

/// The document of a request: a JSON body, or multipart with a "document" part and other files.
std::optional<Upload> upload_of(const httplib::Request& req, std::string& error) {
    Upload u;
    if (!req.is_multipart_form_data()) {
        u.main = req.body;
        if (u.main.empty()) {
            error = tx("empty request: send the document JSON as the request body");
            return std::nullopt;
        }
        return u;
    }
    bool found = false;
    for (const auto& [key, part] : req.files) {
        if (key == "document") {
            u.main = part.content;
            if (std::string n = upload_name(part.filename); !n.empty()) u.main_name = n;
            found = true;
        } else if (!part.filename.empty()) {
            std::string n = upload_name(part.filename);
            if (n.empty()) {
                error = tx("the uploaded file name \"{}\" cannot be used", part.filename);
                return std::nullopt;
            }
            u.files[n] = part.content;
        }
    }
    if (!found) {
        error = tx("no \"document\" part: send the document JSON as -F document=@document.json");
        return std::nullopt;
    }
    return u;
}

std::optional<BatchUpload> batch_upload_of(const httplib::Request& req, std::string& error) {
    BatchUpload b;
    if (!req.is_multipart_form_data()) {
        error = tx("send a multipart form: template=@template.json, data=@data.csv (and files=@body.md …)");
        return std::nullopt;
    }
    for (const auto& [key, part] : req.files) {
        if (key == "sheet" && part.filename.empty()) {
            b.sheet = part.content;
            continue;
        }
        std::string n = upload_name(part.filename.empty() ? key : part.filename);
        if (n.empty()) {
            error = tx("the uploaded file name \"{}\" cannot be used", part.filename);
            return std::nullopt;
        }
        if (key == "template") b.templates.emplace_back(n, part.content);
        else if (key == "data") {
            b.data_name = n;
            b.data = part.content;
        } else b.files[n] = part.content;
    }
    if (req.has_param("sheet")) b.sheet = req.get_param_value("sheet");
    return b;
}

/// What the route handlers share. Everything it names lives in serve()'s frame
/// for as long as the server runs; work handed to the pool names the service
/// itself, which outlives the pool.
struct Context {
    const Options& o;
    httplib::Server& svr;
    Service& service;
    Pool& pool;
    int jobs;                         ///< rendering workers
    std::chrono::milliseconds limit;  ///< time for one render
};

// Signals are taken by one thread (sigwait); every other thread blocks them.
sigset_t block_signals() {
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
    signal(SIGPIPE, SIG_IGN);
    return sigs;
}

// The connection threads and the limits on a request: its size, read and write time, keep-alive.
void set_limits(httplib::Server& svr, const Options& o) {
    svr.new_task_queue = [] { return new httplib::ThreadPool(64); };
    svr.set_payload_max_length(o.max_request_bytes);
    svr.set_read_timeout(15, 0);
    svr.set_write_timeout(30, 0);
    svr.set_keep_alive_max_count(1000);
    svr.set_keep_alive_timeout(5);
}

// Before every route: the language of the answer, and the access token on /api/.
void set_pre_routing(httplib::Server& svr, const std::string& token, Lang server_language) {
    svr.set_pre_routing_handler([&token, server_language](const httplib::Request& req, httplib::Response& res) {
        // The language of the answer: ?lang=, else Accept-Language, else the server's own (--lang, VANBAN_LANG, vi).
        std::optional<Lang> lang;
        if (req.has_param("lang")) lang = parse_lang(req.get_param_value("lang"));
        if (!lang && req.has_header("Accept-Language")) lang = lang_from_accept(req.get_header_value("Accept-Language"));
        set_thread_language(lang.value_or(server_language));
        if (token.empty() || req.path.rfind("/api/", 0) != 0) return httplib::Server::HandlerResponse::Unhandled;
        std::string auth = req.get_header_value("Authorization");
        const std::string bearer = "Bearer ";
        if (auth.rfind(bearer, 0) == 0 && same_token(auth.substr(bearer.size()), token))
            return httplib::Server::HandlerResponse::Unhandled;
        res.set_header("WWW-Authenticate", "Bearer realm=\"vanban\"");
        answer(res, Reply::error(401, tx("this server needs its access token: send \"Authorization: Bearer TOKEN\"")));
        return httplib::Server::HandlerResponse::Handled;
    });
}

// An exception in a handler and an error without a body (413, 404, other 4xx and 5xx) become JSON answers.
void set_error_answers(httplib::Server& svr) {
    svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        answer(res, Reply::error(500, tx("internal error: {}", what)));
    });
    svr.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return;
        if (res.status == 413)
            answer(res, Reply::error(413, tx("the request is larger than this server accepts (--max-request-mb)")));
        else if (res.status == 404)
            answer(res, Reply::error(404, tx("no such page")));
        else if (res.status >= 400)
            answer(res, Reply::error(res.status, tx("bad request")));
    });
}

// One line per request on stderr (method, path, status, size), unless --quiet.
void set_logging(httplib::Server& svr, bool quiet) {
    if (!quiet)
        svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
            std::fprintf(stderr, "%s %s %d %zu\n", req.method.c_str(), req.path.c_str(), res.status, res.body.size());
        });
}

// Runs `work` on the pool within the time limit; every failure becomes an HTTP answer.
void pooled(Pool& pool, httplib::Response& res, std::chrono::milliseconds lim, std::function<Reply()> work,
            std::atomic<bool>* stop = nullptr) {
    auto out = std::make_shared<Reply>();
    auto result = pool.run(
        [out, work = std::move(work), lang = language()] {
            LanguageScope scope(lang);
            try {
                *out = work();
            } catch (const IoError& e) {
                *out = Reply::error(500, tx("the server could not write or read a file: {}", e.diagnostics().to_string()));
            } catch (const Error& e) {
                *out = Reply::error(500, e.diagnostics().to_string());
            } catch (const std::exception& e) {
                *out = Reply::error(500, tx("internal error: {}", e.what()));
            } catch (...) {
                *out = Reply::error(500, tx("internal error"));
            }
        },
        lim);
    if (result == Pool::Result::busy) {
        res.set_header("Retry-After", "1");
        answer(res, Reply::error(503, tx("the server is busy; try again in a moment")));
    } else if (result == Pool::Result::timeout) {
        if (stop) stop->store(true);
        answer(res, Reply::error(504, tx("rendering took longer than the time limit of {} ms", lim.count())));
    } else {
        answer(res, *out);
    }
}

// The routes of one document: /api/check, /api/preview, /api/render.
// The work given to the pool copies what it needs from the request: a
// request that timed out is gone when its work runs.
void add_document_routes(const Context& c) {
    Service& service = c.service;
    auto doc_route = [&c](const char* path, std::function<Reply(const Upload&, const std::string& format)> op) {
        c.svr.Post(path, [&c, op](const httplib::Request& req, httplib::Response& res) {
            std::string error;
            auto u = upload_of(req, error);
            if (!u) return answer(res, Reply::error(400, error));
            std::string format = req.has_param("format") ? req.get_param_value("format") : "pdf";
            pooled(c.pool, res, c.limit, [op, u = std::move(*u), format] { return op(u, format); });
        });
    };
    doc_route("/api/check", [&service](const Upload& u, const std::string&) { return service.check(u); });
    doc_route("/api/preview", [&service](const Upload& u, const std::string&) { return service.preview(u); });
    doc_route("/api/render", [&service](const Upload& u, const std::string& format) { return service.render(u, format); });
}

// The routes of a template and its data: /api/batch, /api/batch/preview, /api/data.
void add_batch_routes(const Context& c) {
    c.svr.Post("/api/batch", [&c](const httplib::Request& req, httplib::Response& res) {
        std::string error;
        auto b = batch_upload_of(req, error);
        if (!b) return answer(res, Reply::error(400, error));
        std::string formats = req.has_param("format") ? req.get_param_value("format") : "pdf,xlsx";
        auto stop = std::make_shared<std::atomic<bool>>(false);
        pooled(c.pool, res, std::chrono::milliseconds(c.o.batch_timeout_ms),
               [&service = c.service, jobs = c.jobs, b = std::move(*b), formats, stop] {
                   return service.batch(b, formats, stop.get(), jobs);
               },
               stop.get());
    });
    c.svr.Post("/api/batch/preview", [&c](const httplib::Request& req, httplib::Response& res) {
        std::string error;
        auto b = batch_upload_of(req, error);
        if (!b) return answer(res, Reply::error(400, error));
        int row = 0;
        if (req.has_param("row")) {
            std::string r = req.get_param_value("row");
            if (r.empty() || r.size() > 9 || r.find_first_not_of("0123456789") != std::string::npos || std::stoi(r) < 1)
                return answer(res, Reply::error(400, tx("row must be a record number from 1")));
            row = std::stoi(r);
        }
        std::string format = req.has_param("format") ? req.get_param_value("format") : "pdf";
        pooled(c.pool, res, c.limit,
               [&service = c.service, b = std::move(*b), row, format] { return service.batch_preview(b, row, format); });
    });
    c.svr.Post("/api/data", [&c](const httplib::Request& req, httplib::Response& res) {
        std::string error;
        auto b = batch_upload_of(req, error);
        if (!b) return answer(res, Reply::error(400, error));
        pooled(c.pool, res, c.limit, [&service = c.service, b = std::move(*b)] { return service.data(b); });
    });
}

// The routes of the workspace and the server: /api/open, /api/files, /api/schema, /api/types, /healthz.
void add_workspace_routes(const Context& c) {
    c.svr.Get("/api/open", [&c](const httplib::Request& req, httplib::Response& res) {
        std::string path = req.has_param("path") ? req.get_param_value("path") : "";
        pooled(c.pool, res, c.limit, [&service = c.service, path] { return service.open(path); });
    });
    c.svr.Get("/api/files", [&c](const httplib::Request&, httplib::Response& res) {
        pooled(c.pool, res, c.limit, [&service = c.service] { return service.files(); });
    });
    c.svr.Get("/api/schema", [](const httplib::Request& req, httplib::Response& res) {
        bool annex = req.has_param("annex");
        res.set_content(std::string(annex ? input::annex_schema() : input::document_schema()), "application/schema+json; charset=utf-8");
    });
    c.svr.Get("/api/types", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(std::string(embedded::doc_types_json), "application/json; charset=utf-8");
    });
    c.svr.Get("/healthz", [&pool = c.pool](const httplib::Request&, httplib::Response& res) {
        answer(res, Reply::json(200, json{{"ok", true}, {"version", VANBAN_VERSION}, {"workers", pool.workers()}}));
    });
}

// The web page: /, /app.js, /app.css, and Debian's front-end libraries under /vendor/.
void add_page_routes(httplib::Server& svr, const std::string& assets_dir) {
    auto asset = [&svr](const char* path, std::string_view body, const char* type) {
        svr.Get(path, [body, type](const httplib::Request&, httplib::Response& res) {
            res.set_header("Cache-Control", "no-cache");
            res.set_content(std::string(body), type);
        });
    };
    asset("/", embedded::index_html, "text/html; charset=utf-8");
    asset("/app.js", embedded::app_js, "text/javascript; charset=utf-8");
    asset("/app.css", embedded::app_css, "text/css; charset=utf-8");
    // Debian's packaged front-end libraries, when installed (the page falls back without them).
    svr.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
    svr.set_mount_point("/vendor/pdf", (fs::path(assets_dir) / "pdf").string());
    svr.set_mount_point("/vendor/codemirror", (fs::path(assets_dir) / "codemirror").string());
}

// Binds the address of --listen; returns the port (the one chosen for port 0), or nothing with the message printed.
std::optional<int> bind_address(httplib::Server& svr, const Listen& listen) {
    int port = listen.port;
    bool bound = port == 0 ? (port = svr.bind_to_any_port(listen.host)) > 0 : svr.bind_to_port(listen.host, port);
    if (!bound) {
        std::cerr << "vanban serve: " << tx("cannot listen on {}:{} (address in use, or not an address of this machine)", listen.host, listen.port) << "\n";
        return std::nullopt;
    }
    return port;
}

// Serves until SIGINT or SIGTERM (taken by a waiting thread) or until the server stops by itself; true when it ended well.
bool listen_until_signal(httplib::Server& svr, const sigset_t& sigs) {
    std::atomic<bool> finished{false};
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&sigs, &sig);
        if (!finished) std::cerr << "vanban serve: " << tx("stopping") << "\n";
        svr.stop();
    });
    bool ok = svr.listen_after_bind();
    finished = true;
    kill(getpid(), SIGTERM);  // wakes the waiter when the server stopped by itself
    waiter.join();
    return ok;
}

}  // namespace

int serve(const Options& o) {
    const Lang server_language = language();
    std::string token;
    if (std::string why = validate(o, token); !why.empty()) {
        std::cerr << "vanban serve: " << why << "\n";
        return 2;
    }
    const sigset_t sigs = block_signals();

    int jobs = o.jobs > 0 ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
    std::unique_ptr<Service> service;
    try {
        service = std::make_unique<Service>(o.workspace, o.job);
    } catch (const std::exception& e) {
        std::cerr << "vanban serve: " << tx("cannot use the workspace \"{}\": {}", o.workspace, e.what()) << "\n";
        return 4;
    }
    Pool pool(jobs, o.queue);

    httplib::Server svr;
    set_limits(svr, o);
    set_pre_routing(svr, token, server_language);
    set_error_answers(svr);
    set_logging(svr, o.quiet);
    const Context c{o, svr, *service, pool, jobs, std::chrono::milliseconds(o.render_timeout_ms)};
    add_document_routes(c);
    add_batch_routes(c);
    add_workspace_routes(c);
    add_page_routes(svr, o.assets_dir);

    std::optional<int> port = bind_address(svr, o.listen);
    if (!port) return 4;
    std::string shown = o.listen.host.find(':') != std::string::npos ? "[" + o.listen.host + "]" : o.listen.host;
    std::string url = "http://" + shown + ":" + std::to_string(*port) + "/";
    std::cout << "vanban serve: "
              << (token.empty() ? tx("listening on {} (workspace {}, {} workers)", url, service->workspace(), jobs)
                                : tx("listening on {} (workspace {}, {} workers, token required)", url, service->workspace(), jobs))
              << std::endl;
    return listen_until_signal(svr, sigs) ? 0 : 4;
}

}  // namespace vanban::server

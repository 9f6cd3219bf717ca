// server/service: what the API does, apart from HTTP. Each operation takes a
// request's files (held in memory) and returns a Reply; the HTTP layer
// (server.cpp) only maps routes, limits and the token onto these.
#pragma once

#include <atomic>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "job/render.hpp"

namespace vanban::server {

/// An HTTP answer: status, content type, body, and for a file its download name.
struct Reply {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::string filename;  ///< set: sent as an attachment with this name

    static Reply json(int status, const nlohmann::json& j);
    /// {"ok": false, "error": message} — a failure that is not about the document.
    static Reply error(int status, const std::string& message);
};

/// Files of one request: the main file and others by their plain names.
struct Upload {
    std::string main;                          ///< the document (or template) JSON text
    std::string main_name = "document.json";   ///< its name in messages
    std::map<std::string, std::string> files;  ///< body.md, annex files, … by name
};

/// An upload for a batch: templates, their files, and the data file.
struct BatchUpload {
    std::vector<std::pair<std::string, std::string>> templates;  ///< (name, JSON text)
    std::map<std::string, std::string> files;                   ///< body.md, annex files …
    std::string data_name;                                      ///< "data.csv", "so-lieu.xlsx"
    std::string data;
    std::string sheet;                                          ///< XLSX sheet; "" = the first
};

/// A plain file name for an upload: its last path component, refused when it
/// is empty, "." or "..", starts with a dot, or holds control characters.
std::string upload_name(const std::string& given);

class Service {
public:
    /// `workspace` must exist; a private folder for outputs is made inside it.
    Service(std::string workspace, job::Options opts);
    ~Service();

    const std::string& workspace() const { return workspace_; }

    /// {"ok", "diagnostics", and for a good document "type", "stem", "number", "blocks", "pages"}.
    Reply check(const Upload& u);
    /// The file in `format` (pdf, xlsx, docx); 422 with the check report for a bad document.
    Reply render(const Upload& u, const std::string& format);
    /// For the page: the check report, the resolved annex tables ("tables") and,
    /// for a good document, the PDF as base64 ("pdf").
    Reply preview(const Upload& u);

    /// Every template over the data, as a ZIP of the outputs with summary.txt
    /// and summary.json; `stop` is raised when the request runs out of time.
    Reply batch(const BatchUpload& b, const std::string& formats, const std::atomic<bool>* stop, int jobs);
    /// One record of the data (1-based) through the first template, as a file in `format`.
    Reply batch_preview(const BatchUpload& b, int row, const std::string& format);
    /// The records of a data file: {"fields": [...], "records": [...], "problems": [...]}.
    Reply data(const BatchUpload& b);

    /// The document at `path` (relative to the workspace) with its body and
    /// annex files inlined, read under the strict path policy.
    Reply open(const std::string& path);
    /// Documents in the workspace: {"files": ["a/document.json", …]} (bounded).
    Reply files();

private:
    std::string scratch();  ///< a new empty folder for one request's outputs
    std::string workspace_;
    std::string tmp_root_;
    job::Options opts_;
    std::atomic<unsigned long> counter_{0};
};

}  // namespace vanban::server

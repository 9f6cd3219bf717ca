// batch/plan: document templates + one data file -> the tasks of a batch.
//
// For every template (a document JSON with a "template" member, bind/spec.hpp)
// and every record of the data (or once for all records, `"per": "all"`), a
// Task gets:
//  - its output name: the --name pattern, else the template's own "name",
//    else "<template file stem>-<record number>", filled from the record and
//    made safe (batch/names.hpp);
//  - its input hash: SHA-256 over the tool version and executable, the
//    strictness and the bound bundle — the document JSON, body and annex files
//    after binding (i.e. the template files *and* exactly the data they read:
//    a document built from all records changes when any record does, one
//    built from a record only when that record does) and the font files;
//  - a render function that loads the bound bundle and writes <name>.pdf
//    (and <name>.xlsx with annexes).
// Each template and the files it references are read once through the
// World and compiled once (bind/bundle.hpp), however many records there are.
// A record that cannot be bound (a missing value, a bad number) becomes a task
// with prepare_error, so the rest of the batch still runs. Problems of a whole
// template or of the data file (unreadable, malformed) are returned as errors.
#pragma once

#include <string>
#include <vector>

#include "batch/runner.hpp"
#include "bind/bundle.hpp"
#include "core/diagnostic.hpp"
#include "job/render.hpp"
#include "sources/world.hpp"

namespace vanban::batch {

struct Request {
    std::vector<std::string> templates;  ///< template document files
    std::string data;                    ///< CSV, XLSX or JSON data file
    std::string sheet;                   ///< --sheet: the XLSX sheet to read ("" = the first)
    std::string name_pattern;            ///< --name; empty = the template's "name"
    bool ascii_names = false;            ///< output names as ASCII slugs
    job::Options job;
};

struct Plan {
    std::vector<Task> tasks;
    Diagnostics errors;  ///< template or data problems that prevented whole templates
    Diagnostics record_problems;  ///< data rows that could not be read at all (also failed tasks of per-row templates)
};

/// Plans the batch, reading every file through `world`.
Plan plan(sources::World& world, const Request& request);

/// The bound bundle for `vanban render TEMPLATE --data DATA`: all records for a
/// `"per": "all"` template; for a per-record template, record `row` (1-based),
/// or the only record when `row` is 0. Also returns the template's output name
/// (empty when neither --name nor the template gives one). Throws InputError.
struct Single {
    bind::BoundBundle bound;
    std::string name;
};
Single single(sources::World& world, const std::string& template_path, const std::string& data_path, int row,
              const std::string& name_pattern, bool ascii_names, const job::Options& opts,
              const std::string& sheet = "");

/// Loads a bound bundle (job::load), locating problems inside `$each`
/// elements at the template's `$item` and naming the data record.
resolve::Document load_bound(const bind::BoundBundle& bound, const job::Options& opts, Diagnostics& warnings);

/// The GNU build ID of the running program as hex (the linker's hash of the
/// linked file), "" when it has none: part of every task's input hash, so
/// that another build of vanban never reuses this one's outputs.
std::string running_build_id();

}  // namespace vanban::batch

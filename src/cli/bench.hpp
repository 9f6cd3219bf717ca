// cli/bench: `vanban bench`, the speed and memory benchmark (not a test).
#pragma once

#include <string>

#include "job/render.hpp"

namespace vanban::cli {

struct BenchOptions {
    std::string input;          ///< the document to render
    int iterations = 200;       ///< in-process renders
    int cold = 20;              ///< whole `vanban render` processes
    int annex_rows = 10000;     ///< a generated annex of that many rows (0: skip)
    int batch_rows = 1000;      ///< `vanban batch` of that many district plans (0: skip)
    std::string batch_example;  ///< folder with template.json, body.md and data.csv
};

/// Runs the benchmark and prints its figures; returns the exit status.
int bench(const BenchOptions& options, const job::Options& opts);

}  // namespace vanban::cli

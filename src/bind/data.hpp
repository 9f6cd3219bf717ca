// bind/data: reads the data files that fill templates — CSV as spreadsheets
// save it, or JSON — into records that remember where they came from.
//
// CSV: a header line naming the columns, then one record per line. UTF-8 with
// or without a BOM; CRLF, LF or CR line ends; RFC 4180 quoting (a quoted field
// may hold the delimiter, line breaks and "" for a quote); the delimiter is ','
// or ';' (Vietnamese-locale Excel writes ';'), whichever the header line uses
// more. Spaces around unquoted fields and around the quotes of quoted fields
// are dropped. Lines with no value at all (empty, or only delimiters) are
// skipped. Header names are trimmed and must be names ([A-Za-z_][A-Za-z0-9_]*).
// Every value is a string, NFC-normalised.
//
// JSON: an object is one record; an array of objects is one record per
// element. Values keep their JSON type; strings and keys are NFC-normalised.
//
// Problems with the file as a whole (unreadable, not UTF-8, malformed JSON, a
// bad header) throw InputError. A problem confined to one record (a wrong
// number of fields, a stray quote) drops that record only and is kept in
// DataSet::problems, so that a batch can still produce the other documents;
// an unterminated quote is kept there too and ends reading (the records
// before it are kept).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/diagnostic.hpp"
#include "sources/world.hpp"

namespace vanban::bind {

struct Record {
    nlohmann::json fields = nlohmann::json::object();  ///< name -> value
    std::string file;      ///< the data file as the user named it
    Loc location;  ///< CSV: line of the record (5); JSON array: pointer ("/3"); JSON object: none
    /// "data.csv:5", "data.json:/3", "data.json" — how messages name the record.
    std::string source() const;
};

struct DataSet {
    std::string file;                  ///< as the user named it
    std::vector<Record> records;       ///< the readable records, in file order
    std::vector<std::string> fields;   ///< CSV header; JSON: keys in order of first appearance
    /// True when the file is a single JSON object: its fields are also shared
    /// by every document (see Batch).
    bool single_object = false;
    Diagnostics problems;              ///< per-record problems; those records are not in `records`
    /// Only the first records were read (load_data_head): `records` is a
    /// prefix of the file's, and the file may hold more.
    bool partial = false;
    /// Readable records read but not kept before `records` (load_data_head
    /// keeps only the record asked for); `index` counts them.
    std::size_t skipped = 0;
};

/// Reads `path`: ".json" as JSON, ".csv" as CSV, ".xlsx" as a workbook
/// (case-insensitive). For a workbook, `sheet` names the sheet to read; empty:
/// the first one.
DataSet load_data(sources::World& world, const std::string& path, const std::string& sheet = "");

/// Like load_data, but a CSV file is read only as far as its first `count`
/// readable records (in growing pieces from the start of the file), and
/// only the records from the `keep_from`-th (1-based) on are kept, the
/// others counted in `skipped`: `--row N` of a huge file takes memory for the
/// part read and one record, not for the file. The file-size limit applies to
/// the part read. When the file holds more, or records were skipped, the
/// DataSet is `partial`. Other formats are read whole.
DataSet load_data_head(sources::World& world, const std::string& path, const std::string& sheet, std::size_t count,
                       std::size_t keep_from = 1);

/// The cells of one sheet of an XLSX workbook (`bytes`) as CSV text that
/// parse_csv() reads: one CSV line per sheet row from the first non-empty one,
/// so that a record's line is its row number when the header is in row 1.
/// Numbers are written as stored (to 15 significant digits, as Excel shows
/// them), text as written, booleans as TRUE/FALSE; formulas give their cached
/// results. Throws InputError for a file that is not a workbook or a sheet
/// that does not exist (naming the sheets there are).
std::string xlsx_sheet_csv(const std::string& bytes, const std::string& file, const std::string& sheet);

/// Parses CSV text; `file` names it in messages. Stops after `max_records`
/// readable records (the DataSet is then `partial` when text remains); the
/// readable records before the `keep_from`-th (1-based) are only counted (`skipped`).
DataSet parse_csv(std::string_view text, const std::string& file, std::size_t max_records = SIZE_MAX,
                  std::size_t keep_from = 1);

/// Parses JSON text; `file` names it in messages.
DataSet parse_json_data(std::string_view text, const std::string& file);

}  // namespace vanban::bind

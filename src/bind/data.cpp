// vanban_bind: see bind/data.hpp.
#include "bind/data.hpp"

#include "sources/encoding.hpp"
#include "sources/limits.hpp"

#include <cstdio>

#include "sources/bundle.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "bind/detail.hpp"
#include "bind/value.hpp"
#include "input/fields.hpp"
#include "vntext/vntext.hpp"

namespace vanban::bind {

using nlohmann::json;

std::string Record::source() const { return location.empty() ? file : file + ":" + location.to_string(); }

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string_view strip_bom(std::string_view text) {
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
    return text;
}

void check_utf8(std::string_view text, const std::string& file, const detail::LineIndex& lines) {
    if (auto bad = vntext::find_invalid_utf8(text)) {
        throw InputError(file, lines.line_column(*bad),
                         tr("invalid-utf8", "invalid UTF-8 (byte {}); save the file as UTF-8 (in Excel: \"CSV UTF-8\"); legacy "
                                            "TCVN3/VNI text is not accepted",
                            detail::hex_byte(static_cast<unsigned char>(text[*bad]))));
    }
    // Control characters cannot be printed: a tab is a space, CR and LF end lines, others are errors.
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') continue;
        char code[8];
        std::snprintf(code, sizeof code, "U+%04X", c);
        throw InputError(file, lines.line_column(i),
                         tr("control-character", "the data holds the control character {}, which cannot be printed; remove it (or "
                                                 "save the sheet again as \"CSV UTF-8\")", code));
    }
}

// ---- CSV --------------------------------------------------------------------

/// A cell's text as it is printed: NFC, tabs as spaces, line ends inside quotes (CR LF, CR) as LF.
std::string cell_text(const std::string& raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
        out += raw[i] == '\t' ? ' ' : raw[i] == '\r' ? '\n' : raw[i];
    }
    return vntext::nfc(out);
}

struct Field {
    std::string value;
    std::size_t offset = 0;  ///< where the field starts
};

struct RawRecord {
    std::vector<Field> fields;
    std::size_t start = 0;    ///< offset of the record's first byte
    std::size_t end = 0;      ///< offset of its line end (or the end of the text)
    bool bad = false;         ///< a problem was reported; the record is dropped
};

class CsvReader {
public:
    CsvReader(std::string_view text, const std::string& file, const detail::LineIndex& lines, char delim,
              Diagnostics& problems)
        : t_(text), file_(file), lines_(lines), delim_(delim), problems_(problems) {}

    bool at_end() const { return pos_ >= t_.size() || stopped_; }

    /// Reads the next record; false when an unterminated quote ended reading.
    RawRecord next() {
        RawRecord r;
        r.start = pos_;
        for (;;) {
            Field f;
            if (!field(f, r)) {
                stopped_ = true;
                r.bad = true;
                return r;
            }
            r.fields.push_back(std::move(f));
            if (pos_ < t_.size() && t_[pos_] == delim_) {
                ++pos_;
                continue;
            }
            r.end = pos_;
            end_line();
            return r;
        }
    }

private:
    bool line_end(std::size_t i) const { return i >= t_.size() || t_[i] == '\n' || t_[i] == '\r'; }

    void end_line() {
        if (pos_ < t_.size() && t_[pos_] == '\r') {
            ++pos_;
            if (pos_ < t_.size() && t_[pos_] == '\n') ++pos_;
        } else if (pos_ < t_.size() && t_[pos_] == '\n') {
            ++pos_;
        }
    }

    void skip_blanks() {
        while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\t')) ++pos_;
    }

    void problem(std::size_t at, Message message, RawRecord& r) {
        if (!r.bad) problems_.error(file_, lines_.line_column(at), std::move(message));
        r.bad = true;
    }

    /// Skips the rest of a physical line after a problem (quotes are not interpreted).
    void skip_to_line_end() {
        while (!line_end(pos_) && t_[pos_] != delim_) ++pos_;
    }

    bool field(Field& f, RawRecord& r) {
        skip_blanks();
        f.offset = pos_;
        if (pos_ < t_.size() && t_[pos_] == '"') {
            std::size_t open = pos_++;
            for (;;) {
                std::size_t q = t_.find('"', pos_);
                if (q == std::string_view::npos) {
                    problems_.error(file_, lines_.line_column(open),
                                    tr("csv-unterminated-quote", "unterminated quoted field: the quote opened here is never closed "
                                                                 "(expected a closing '\"' before the end of the file; a quote inside "
                                                                 "a quoted field is written \"\"); the records from here on are not read"));
                    return false;
                }
                append_quoted(f.value, t_.substr(pos_, q - pos_));
                pos_ = q + 1;
                if (pos_ < t_.size() && t_[pos_] == '"') {
                    f.value += '"';
                    ++pos_;
                    continue;
                }
                break;
            }
            skip_blanks();
            if (!line_end(pos_) && t_[pos_] != delim_) {
                problem(pos_,
                        tr("csv-after-quote", "expected the delimiter '{}' or the end of the line after the closing quote of a "
                                              "quoted field, found '{}'", delim_, char_at(pos_)),
                        r);
                skip_to_line_end();
            }
            return true;
        }
        std::size_t start = pos_;
        while (!line_end(pos_) && t_[pos_] != delim_) {
            if (t_[pos_] == '"') {
                problem(pos_,
                        tr("csv-stray-quote", "stray quote inside an unquoted field; enclose the whole field in quotes and double "
                                              "the quotes inside it (\"say \"\"hi\"\"\")"),
                        r);
            }
            ++pos_;
        }
        f.value = std::string(detail::trim(t_.substr(start, pos_ - start)));
        return true;
    }

    static void append_quoted(std::string& out, std::string_view s) {
        // A line break inside a cell is kept as "\n" whatever the file's line ends.
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '\r') {
                out += '\n';
                if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
            } else {
                out += s[i];
            }
        }
    }

    std::string char_at(std::size_t i) const {
        std::size_t len = 1;
        unsigned char c = static_cast<unsigned char>(t_[i]);
        if (c >= 0xC0) len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        return std::string(t_.substr(i, len));
    }

    std::string_view t_;
    const std::string& file_;
    const detail::LineIndex& lines_;
    char delim_;
    Diagnostics& problems_;
    std::size_t pos_ = 0;
    bool stopped_ = false;
};

/// ',' or ';': whichever occurs more often outside quotes on the header line.
char detect_delimiter(std::string_view text) {
    std::size_t commas = 0, semicolons = 0;
    bool quoted = false;
    for (char c : text) {
        if (c == '"') quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r')) break;
        else if (!quoted && c == ',') ++commas;
        else if (!quoted && c == ';') ++semicolons;
    }
    return semicolons > commas ? ';' : ',';
}

bool blank(const RawRecord& r) {
    for (const auto& f : r.fields)
        if (!f.value.empty()) return false;
    return true;
}

std::string suggested_name(const std::string& header) {
    std::string slug = vntext::ascii_slug(header);
    for (char& c : slug)
        if (c == '-') c = '_';
    if (slug.empty()) return {};
    if (slug[0] >= '0' && slug[0] <= '9') slug.insert(slug.begin(), '_');
    return slug;
}

}  // namespace

DataSet parse_csv(std::string_view raw, const std::string& file, std::size_t max_records, std::size_t keep_from) {
    std::string_view text = strip_bom(raw);
    detail::LineIndex lines(text);
    check_utf8(text, file, lines);

    DataSet data;
    data.file = file;
    const char delim = detect_delimiter(text);
    CsvReader reader(text, file, lines, delim, data.problems);

    // Header.
    RawRecord head;
    while (!reader.at_end()) {
        head = reader.next();
        if (head.bad || !blank(head)) break;
    }
    if (head.fields.empty() || blank(head)) {
        if (data.problems.has_errors()) throw InputError(data.problems);
        throw InputError(file, TextPos{1, 1}, tr("data-empty", "the data file is empty; expected a header line naming the columns"));
    }
    if (head.bad) throw InputError(data.problems);

    Diagnostics header_errors;
    std::map<std::string, std::size_t> seen;
    for (std::size_t k = 0; k < head.fields.size(); ++k) {
        const Field& f = head.fields[k];
        std::string name = vntext::nfc(detail::trim(f.value));
        TextPos where = lines.line_column(f.offset);
        if (name.empty()) {
            header_errors.error(file, where,
                                tr("data-header-empty", "the header of column {} is empty; every column needs a name such as ten_huyen", k + 1));
            data.fields.push_back(name);
            continue;
        }
        if (!detail::is_identifier(name)) {
            std::string s = suggested_name(name);
            header_errors.error(file, where,
                                s.empty() ? tr("data-header-name", "the header of column {} is \"{}\", which is not usable as a name: "
                                                                   "expected letters A-Z a-z, digits and '_', starting with a letter or '_'",
                                               k + 1, name)
                                          : tr("data-header-name", "the header of column {} is \"{}\", which is not usable as a name: "
                                                                   "expected letters A-Z a-z, digits and '_', starting with a letter or "
                                                                   "'_', e.g. {}",
                                               k + 1, name, s));
        } else if (auto it = seen.find(name); it != seen.end()) {
            header_errors.error(file, where,
                                tr("data-header-twice", "the header name {} appears twice (columns {} and {}); every column needs its own name",
                                   name, it->second + 1, k + 1));
        } else {
            seen.emplace(name, k);
        }
        data.fields.push_back(name);
    }
    if (header_errors.has_errors()) throw InputError(header_errors);

    const std::size_t n = data.fields.size();
    while (!reader.at_end()) {
        if (data.skipped + data.records.size() >= max_records) {
            data.partial = true;
            break;
        }
        RawRecord r = reader.next();
        if (r.bad) continue;
        if (blank(r)) continue;
        if (r.fields.size() != n) {
            std::size_t at = r.fields.size() > n ? r.fields[n].offset : r.end;
            data.problems.error(file, lines.line_column(at),
                                r.fields.size() > n
                                    ? tr("csv-field-count", "this row has {0} field(s), the header has {1} (expected {1}, found {0}); a "
                                                            "value containing '{2}' must be enclosed in quotes",
                                         r.fields.size(), n, delim)
                                    : tr("csv-field-count", "this row has {0} field(s), the header has {1} (expected {1}, found {0}); "
                                                            "separate the fields with '{2}', leaving empty cells empty",
                                         r.fields.size(), n, delim));
            continue;
        }
        if (data.skipped + 1 < keep_from) {
            ++data.skipped;
            data.partial = true;
            continue;
        }
        Record rec;
        rec.file = file;
        rec.location = TextPos{static_cast<int>(lines.line(r.start)), 0};
        for (std::size_t k = 0; k < n; ++k) rec.fields[data.fields[k]] = cell_text(r.fields[k].value);
        data.records.push_back(std::move(rec));
    }
    return data;
}

// ---- JSON -------------------------------------------------------------------

namespace {

void add_fields(DataSet& data, const json& obj) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        bool known = false;
        for (const auto& f : data.fields)
            if (f == it.key()) known = true;
        if (!known) data.fields.push_back(it.key());
    }
}

}  // namespace

DataSet parse_json_data(std::string_view raw, const std::string& file) {
    // UTF-8 check, parse errors at line:column, NFC: as for document files.
    json j = sources::parse_json_text(strip_bom(raw), file);

    DataSet data;
    data.file = file;
    if (j.is_object()) {
        Record rec;
        rec.file = file;
        add_fields(data, j);
        rec.fields = std::move(j);
        data.records.push_back(std::move(rec));
        data.single_object = true;
        return data;
    }
    if (!j.is_array()) {
        throw InputError(file, "",
                         tr("expected-type", "expected an object (one record) or an array of objects (one per record), found {}",
                            input::json_kind(j)));
    }
    for (std::size_t i = 0; i < j.size(); ++i) {
        std::string ptr = std::string(1, '/').append(std::to_string(i));
        if (!j[i].is_object()) {
            data.problems.error(file, ptr,
                                tr("expected-type", "expected an object (one record, e.g. {\"ten_huyen\": \"Kbang\"}), found {}",
                                   input::json_kind(j[i])));
            continue;
        }
        Record rec;
        rec.file = file;
        rec.location = ptr;
        add_fields(data, j[i]);
        rec.fields = std::move(j[i]);
        data.records.push_back(std::move(rec));
    }
    return data;
}

DataSet load_data(sources::World& world, const std::string& path, const std::string& sheet) {
    auto dot = path.rfind('.');
    std::string ext;
    if (dot != std::string::npos && path.find('/', dot) == std::string::npos)
        for (char c : path.substr(dot + 1)) ext += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (ext != "csv" && ext != "json" && ext != "xlsx")
        throw InputError(path, "", tr("data-kind", "expected a data file ending in .csv, .xlsx or .json"));
    if (!sheet.empty() && ext != "xlsx")
        throw InputError(path, "", tr("data-kind", "a sheet (--sheet {}) can be chosen only in an .xlsx workbook", sheet));
    // CSV and JSON are text (decoded to UTF-8 by the World); a workbook is a ZIP archive.
    sources::ReadResult got = ext == "xlsx" ? world.read(path) : world.read_text(path);
    if (!got) throw InputError(path, "", tr("file-read", "cannot read the data file ({})", got.reason));
    if (ext == "xlsx") return parse_csv(xlsx_sheet_csv(*got.bytes, path, sheet), path);
    return ext == "csv" ? parse_csv(*got.bytes, path) : parse_json_data(*got.bytes, path);
}

DataSet load_data_head(sources::World& world, const std::string& path, const std::string& sheet, std::size_t count,
                       std::size_t keep_from) {
    const std::size_t dot = path.rfind('.');
    std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (ext != "csv" || !sheet.empty() || path.find('/', dot) != std::string::npos) return load_data(world, path, sheet);
    // UTF-16 and the legacy encodings are decoded from the whole file; UTF-8
    // (the usual case) is read from its start and checked piece by piece.
    if (world.input_encoding() != sources::Encoding::utf8) return load_data(world, path, sheet);
    {
        const sources::ReadResult start = world.read_head(path, 2);
        if (start && (*start.bytes == "\xFF\xFE" || *start.bytes == "\xFE\xFF")) return load_data(world, path, sheet);
    }
    const std::uint64_t limit = sources::limits().max_file_bytes;
    for (std::uint64_t want = std::min<std::uint64_t>(1u << 20, limit + 1);; want = std::min(want * 4, limit + 1)) {
        sources::ReadResult got = world.read_head(path, static_cast<std::size_t>(want));
        if (!got) throw InputError(path, "", tr("file-read", "cannot read the data file ({})", got.reason));
        const bool whole = got.bytes->size() < want;
        if (whole) return parse_csv(sources::text_of(*got.bytes, path), path, count, keep_from);
        if (want > limit)
            throw InputError(path, "", tr("file-too-large", "the first {} record(s) of the data file take more than {} MB, the limit "
                                                            "for one input file (raise it with --max-file-mb)",
                                          count, limit >> 20));
        // Whole lines only: a record cut by the end of the piece is read again with the next one.
        std::string_view text = *got.bytes;
        const std::size_t nl = text.rfind('\n');
        if (nl == std::string_view::npos) continue;
        text = text.substr(0, nl + 1);
        DataSet d = parse_csv(sources::text_of(text, path), path, count, keep_from);
        if (d.skipped + d.records.size() >= count) {
            d.partial = true;
            return d;
        }
    }
}

}  // namespace vanban::bind

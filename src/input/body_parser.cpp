#include "input/body_parser.hpp"

#include <cstdio>

#include <array>

#include "vntext/vntext.hpp"

namespace vanban::input {

using model::Block;
using model::BlockKind;

model::Inlines parse_inlines(std::string_view text) {
    model::Inlines out;
    bool bold = false, italic = false;
    std::string cur;
    auto flush = [&] {
        if (cur.empty()) return;
        if (!out.empty() && out.back().bold == bold && out.back().italic == italic)
            out.back().text += cur;
        else
            out.push_back({cur, bold, italic});
        cur.clear();
    };
    // First pass: find which markers are closed, so that a lone "*" prints as-is.
    for (std::size_t i = 0; i < text.size();) {
        char c = text[i];
        if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '*' || text[i + 1] == '\\' || text[i + 1] == '_')) {
            cur += text[i + 1];
            i += 2;
            continue;
        }
        if (c == '*') {
            std::size_t n = 0;
            while (i + n < text.size() && text[i + n] == '*') ++n;
            // Is there a matching closing run later (for opening), or are we closing?
            auto toggles = [&](std::size_t count) {
                flush();
                if (count >= 3) { bold = !bold; italic = !italic; }
                else if (count == 2) bold = !bold;
                else italic = !italic;
            };
            bool closing = (n >= 3 && bold && italic) || (n == 2 && bold) || (n == 1 && italic);
            if (closing) {
                toggles(n);
                i += n;
                continue;
            }
            std::string_view marker = text.substr(i, n);
            if (text.find(marker, i + n) != std::string_view::npos && i + n < text.size() &&
                text[i + n] != ' ') {
                toggles(n);
                i += n;
                continue;
            }
            cur.append(marker);
            i += n;
            continue;
        }
        cur += c;
        ++i;
    }
    flush();
    return out;
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

struct Numberer {
    int part = 0, section = 0, clause = 0, subclause = 0, point = 0;
    int chapter = 0, division = 0, subdivision = 0, article = 0;
};

/// A structure line of a decision or regulation: "Chương: Quy định chung",
/// "Mục: …", "Tiểu mục: …", "Điều: <title>" or "Điều. <text>". Fills `b`
/// (kind, label, titled) and `rest` (the title or the text); numbers run on
/// through the text (articles) or restart in the enclosing unit (Mục, Tiểu
/// mục), and an article restarts its clauses and points.
bool structure_line(std::string_view line, Numberer& num, Block& b, std::string_view& rest) {
    struct Unit {
        std::string_view word;
        BlockKind kind;
    };
    static const Unit units[] = {{"Chương", BlockKind::chapter},
                                 {"Tiểu mục", BlockKind::subdivision},
                                 {"Mục", BlockKind::division},
                                 {"Điều", BlockKind::article}};
    for (const Unit& u : units) {
        if (line.substr(0, u.word.size()) != u.word || line.size() < u.word.size() + 1) continue;
        char mark = line[u.word.size()];
        if ((mark != ':' && !(mark == '.' && u.kind == BlockKind::article)) ||
            (line.size() > u.word.size() + 1 && line[u.word.size() + 1] != ' '))
            continue;
        b.kind = u.kind;
        b.titled = mark == ':';
        rest = trim(line.substr(u.word.size() + 1));
        switch (u.kind) {
            case BlockKind::chapter:
                ++num.chapter;
                num.division = num.subdivision = 0;
                b.label = "Chương " + vntext::roman(num.chapter);
                break;
            case BlockKind::division:
                ++num.division;
                num.subdivision = 0;
                b.label = "Mục " + std::to_string(num.division);
                break;
            case BlockKind::subdivision:
                ++num.subdivision;
                b.label = "Tiểu mục " + std::to_string(num.subdivision);
                break;
            default:
                ++num.article;
                b.label = "Điều " + std::to_string(num.article) + ".";
                break;
        }
        // Clauses and points are numbered within each article.
        if (u.kind == BlockKind::article) num.clause = num.subclause = num.point = 0;
        return true;
    }
    return false;
}

}  // namespace

namespace {

/// The text as lines can be read from it: a leading byte-order mark is
/// dropped, tabs become spaces, CR LF line ends become LF; any other control
/// character (U+0000 … U+001F, a CR on its own) is reported at its line:column.
std::string printable(std::string_view text, const std::string& file, Diagnostics& diags) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
    std::string out;
    out.reserve(text.size());
    int line = 1, column = 1, reported_line = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            out += '\n';
            ++line, column = 1;
            continue;
        }
        if ((c & 0xC0) != 0x80) ++column;
        if (c >= 0x20) {
            out += static_cast<char>(c);
        } else if (c == '\t') {
            out += ' ';
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;
        } else if (reported_line != line) {
            reported_line = line;
            char code[8];
            std::snprintf(code, sizeof code, "U+%04X", c);
            diags.error(file, TextPos{line, column - 1},
                        c == '\r' ? tr("control-character", "the text holds the control character {} (a carriage return without a line feed: save the file with Windows or Unix line ends)", code)
                                  : tr("control-character", "the text holds the control character {}, which cannot be printed; remove it", code));
        }
    }
    return out;
}

/// The value of a Roman numeral up to 39 ("I" … "XXXIX"); 0 when it is not one.
int small_roman(std::string_view s) {
    for (int n = 1; n < 40; ++n)
        if (vntext::roman(n) == s) return n;
    return 0;
}

/// 0-based index of a point letter ("a" … "y", "đ"); -1 when it is not one.
int point_index(std::string_view s) {
    for (int i = 0; i < 23; ++i)
        if (vntext::point_letter(i) == s) return i;
    return -1;
}

/// A number typed at the start of a heading in an outline style ("I.", "3.",
/// "1.2.", "1.2", "a)", "đ."), or "" when the heading starts otherwise.
std::string typed_number(std::string_view title) {
    std::size_t sp = title.find(' ');
    if (sp == std::string_view::npos || sp == 0) return {};
    std::string_view tok = title.substr(0, sp);
    char last = tok.back();
    std::string_view core = last == '.' || last == ')' ? tok.substr(0, tok.size() - 1) : tok;
    if (core.empty()) return {};
    // Outline numbers have parts of one or two digits ("3.", "1.2", "1.2."):
    // "1.000 hộ" and "2024." are figures, not numbers of the outline.
    bool outline_digits = true;
    std::size_t parts = 0;
    for (std::size_t a = 0; a <= core.size(); ++parts) {
        std::size_t b = std::min(core.find('.', a), core.size());
        std::string_view part = core.substr(a, b - a);
        outline_digits = outline_digits && !part.empty() && part.size() <= 2 &&
                         part.find_first_not_of("0123456789") == std::string_view::npos;
        a = b + 1;
    }
    if (outline_digits && (core != tok || parts > 1)) return std::string(tok);
    if (core == tok) return {};
    if (small_roman(core) > 0 || point_index(core) >= 0) return std::string(tok);
    return {};
}

/// Sets the counters of outline level `level` (1 "#" … 4 "####") from a
/// number kept as typed, so that the next heading continues from it.
void continue_from(Numberer& num, int level, std::string_view label) {
    while (!label.empty() && (label.back() == '.' || label.back() == ')')) label.remove_suffix(1);
    auto whole = [](std::string_view s) {
        int v = 0;
        if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string_view::npos) return 0;
        for (char c : s) v = v * 10 + (c - '0');
        return v;
    };
    switch (level) {
        case 1:
            if (int v = small_roman(label)) num.section = v;
            break;
        case 2:
            if (int v = whole(label)) num.clause = v;
            break;
        case 3: {
            std::size_t dot = label.find('.');
            if (dot == std::string_view::npos) break;
            int a = whole(label.substr(0, dot)), b = whole(label.substr(dot + 1));
            if (a && b) num.clause = a, num.subclause = b;
            break;
        }
        default:
            if (int i = point_index(label); i >= 0) num.point = i + 1;
            break;
    }
}

}  // namespace

namespace {

/// Reads the body line by line into blocks: each line starts a block (part,
/// structure unit, heading, bullet, paragraph) or continues the open one.
class BodyReader {
public:
    BodyReader(const std::string& file, Diagnostics& diags) : file_(file), diags_(diags) {}

    // One line of the text, 1-based `line_no`.
    void line(std::string_view raw, int line_no) {
        std::string_view line = trim(raw);
        if (line.empty()) {
            finish();
            return;
        }
        if (part(line, line_no) || structure(line, line_no) || heading(line, line_no) || bullet(line, line_no)) return;
        text(line, line_no);
    }

    // The blocks, once every line is read.
    std::vector<Block> blocks() && {
        finish();
        return std::move(blocks_);
    }

private:
    // Closes the open block: its collected text becomes its inlines.
    void finish() {
        if (open_ && !pending_.empty()) blocks_.back().text = parse_inlines(pending_);
        pending_.clear();
        open_ = false;
    }

    // Opens block `b` with the first line of its text; a title is one line and closes it at once.
    void open(Block b, std::string text, bool title) {
        blocks_.push_back(std::move(b));
        pending_ = std::move(text);
        open_ = true;
        if (title) finish();
    }

    // Part: "= Title".
    bool part(std::string_view line, int line_no) {
        if (!(line.size() >= 2 && line[0] == '=' && line[1] == ' ')) return false;
        finish();
        ++num_.part;
        num_.section = num_.clause = num_.subclause = num_.point = 0;
        Block b;
        b.kind = BlockKind::part;
        b.label = "Phần " + vntext::roman(num_.part);
        b.titled = true;
        b.text = parse_inlines(trim(line.substr(2)));
        b.line = line_no;
        blocks_.push_back(std::move(b));
        return true;
    }

    // Chương / Mục / Tiểu mục / Điều of a structured text.
    bool structure(std::string_view line, int line_no) {
        Block b;
        std::string_view rest;
        if (!structure_line(line, num_, b, rest)) return false;
        finish();
        b.line = line_no;
        if (rest.empty())
            diags_.error(file_, TextPos{line_no, 1},
                         b.titled ? tr("heading-empty", "{} has no title (a unit of a structured text must have one)", b.label)
                                  : tr("heading-empty", "{} has no text", b.label));
        const bool titled = b.titled;
        open(std::move(b), std::string(rest), titled);
        return true;
    }

    // Headings: "#", "##", "###", "####", optionally followed by "." (numbered paragraph).
    bool heading(std::string_view line, int line_no) {
        if (line[0] != '#') return false;
        std::size_t n = 0;
        while (n < line.size() && line[n] == '#') ++n;
        bool untitled = n < line.size() && line[n] == '.';
        std::size_t after = n + (untitled ? 1 : 0);
        if (!(after < line.size() && line[after] == ' ')) return false;
        finish();
        const TextPos loc{line_no, 1};
        if (n > 4) {
            diags_.error(file_, loc, tr("outline-depth", "outline has at most 4 levels (#, ##, ###, ####); found {} '#'", n));
            n = 4;
        }
        Block b;
        b.line = line_no;
        b.titled = !untitled;
        number_heading(int(n), loc, b);
        std::string_view title = kept_number(trim(line.substr(after + 1)), int(n), b);
        open(std::move(b), std::string(title), !untitled);
        if (blocks_.back().text.empty() && !untitled) {
            diags_.error(file_, loc, tr("heading-empty", "heading has no title"));
        }
        return true;
    }

    // The kind and computed number of a heading of outline level `level` (1 "#" … 4 "####").
    void number_heading(int level, const TextPos& loc, Block& b) {
        switch (level) {
            case 1:
                ++num_.section;
                num_.clause = num_.subclause = num_.point = 0;
                b.kind = BlockKind::section;
                b.label = vntext::roman(num_.section) + ".";
                break;
            case 2:
                ++num_.clause;
                num_.subclause = num_.point = 0;
                b.kind = BlockKind::clause;
                b.label = std::to_string(num_.clause) + ".";
                break;
            case 3:
                if (num_.clause == 0)
                    diags_.error(file_, loc, tr("outline-order", "sub-clause (###) must follow a clause (##): its number would be 0.{}.",
                                                num_.subclause + 1));
                ++num_.subclause;
                num_.point = 0;
                b.kind = BlockKind::subclause;
                b.label = std::to_string(num_.clause) + "." + std::to_string(num_.subclause) + ".";
                break;
            default:
                b.kind = BlockKind::point;
                b.label = vntext::point_letter(num_.point) + ")";
                ++num_.point;
                break;
        }
    }

    // "[III.] Tổ chức thực hiện": a published number kept as typed becomes the
    // label and the numbering continues from it; returns the title after it.
    std::string_view kept_number(std::string_view title, int level, Block& b) {
        const std::size_t close = title.find(']');
        if (title.size() > 2 && title[0] == '[' && title[1] != '[' && close != std::string_view::npos && close > 1 &&
            close <= 24) {
            b.label = std::string(trim(title.substr(1, close - 1)));
            continue_from(num_, level, b.label);
            title = trim(title.substr(close + 1));
        }
        return title;
    }

    // Bullets: "- " and "+ ".
    bool bullet(std::string_view line, int line_no) {
        if (!(line.size() >= 2 && (line[0] == '-' || line[0] == '+') && line[1] == ' ')) return false;
        finish();
        Block b;
        b.kind = line[0] == '-' ? BlockKind::bullet : BlockKind::subbullet;
        b.label = std::string(1, line[0]);
        b.line = line_no;
        open(std::move(b), std::string(trim(line.substr(2))), false);
        return true;
    }

    // Any other line continues the open block, or starts a paragraph.
    void text(std::string_view line, int line_no) {
        if (open_) {
            pending_ += ' ';
            pending_ += line;
            return;
        }
        Block b;
        b.kind = BlockKind::paragraph;
        b.line = line_no;
        open(std::move(b), std::string(line), false);
    }

    const std::string& file_;
    Diagnostics& diags_;
    std::vector<Block> blocks_;
    Numberer num_;
    std::string pending_;  ///< text of the block being collected
    bool open_ = false;    ///< the last block accepts continuation lines
};

}  // namespace

std::vector<Block> parse_body(std::string_view raw_text, const std::string& file, Diagnostics& diags) {
    const std::string clean = printable(raw_text, file, diags);
    const std::string_view text = clean;
    BodyReader reader(file, diags);
    int line_no = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::string_view raw = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
        reader.line(raw, ++line_no);
    }
    return std::move(reader).blocks();
}

void check_typed_numbers(const std::vector<Block>& blocks, const std::string& file, bool strict, Diagnostics& diags) {
    for (const auto& b : blocks) {
        if (b.kind != BlockKind::section && b.kind != BlockKind::clause && b.kind != BlockKind::subclause &&
            b.kind != BlockKind::point)
            continue;
        std::string text;
        for (const auto& sp : b.text) text += sp.text;
        const std::string typed = typed_number(trim(text));
        if (typed.empty()) continue;
        Message msg = tr("typed-number",
                         "the heading starts with the number \"{0}\" typed by hand; remove \"{0}\": numbers are computed (it would "
                         "print \"{1} {0} …\"); to keep a published number as typed, write [{0}]",
                         typed, b.label);
        if (strict) diags.error(file, TextPos{b.line, 1}, msg);
        else diags.warning(file, TextPos{b.line, 1}, msg);
    }
}

}  // namespace vanban::input

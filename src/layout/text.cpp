#include "layout/text.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <limits>

#include "layout/linebreak.hpp"
#include "vntext/vntext.hpp"

namespace vanban::layout {

std::vector<Word> split_words(const model::Inlines& text, double size, const font::FontBook& fonts) {
    std::vector<Word> words;
    std::size_t spaces = 0;
    for (const auto& sp : text) spaces += static_cast<std::size_t>(std::count(sp.text.begin(), sp.text.end(), ' '));
    words.reserve(spaces + text.size());
    bool open = false;  // last word can take more pieces
    for (const auto& sp : text) {
        Face f = face_of(sp.bold, sp.italic);
        const double space = fonts.width(f, size, " ");
        std::size_t i = 0;
        const std::string& s = sp.text;
        while (i < s.size()) {
            if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
                open = false;
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '\n') ++j;
            std::string part = s.substr(i, j - i);
            double w = fonts.width(f, size, part);
            if (!open) {
                words.emplace_back();
                open = true;
            }
            Word& wd = words.back();
            if (!wd.pieces.empty() && wd.pieces.back().face == f) {
                wd.pieces.back().text += part;
                wd.pieces.back().width += w;
            } else {
                wd.pieces.push_back({f, std::move(part), w});
            }
            wd.width += w;
            wd.space = space;
            wd.fonts = &fonts;
            i = j;
        }
    }
    return words;
}

namespace {

thread_local WordBreakLog* current_log = nullptr;

}  // namespace

WordBreakLog::WordBreakLog() : outer_(current_log) { current_log = this; }
WordBreakLog::~WordBreakLog() { current_log = outer_; }

namespace {

std::vector<SetLine> set_text_once(const std::vector<Word>& words, double width, double first_indent, Align align,
                                   double size, double hanging);
/// The box/glue list of `words` for break_lines, and for each item the word
/// it boxes (-1 for glue, penalties and the indent box). A hanging indent is
/// handled by narrowing the measure to (width - hanging) and giving the first
/// line (first_indent - hanging) of extra box.
struct ItemList {
    std::vector<BreakItem> items;
    std::vector<int> word_at;
    double lead = 0;
};

void build_items(const std::vector<Word>& words, double first_indent, Align align, double size, double hanging,
                 ItemList& list);

}  // namespace

namespace {

std::string plain(const Word& w) {
    std::string s;
    for (const auto& p : w.pieces) s += p.text;
    return s;
}

bool starts_with_digit(std::string_view s) { return !s.empty() && s[0] >= '0' && s[0] <= '9'; }

/// "I", "IV.", "XII," — a Roman numeral, punctuation after it allowed.
bool roman_numeral(std::string_view s) {
    while (!s.empty() && std::string_view(".,;:)").find(s.back()) != std::string_view::npos) s.remove_suffix(1);
    if (s.empty()) return false;
    for (char c : s)
        if (std::string_view("IVXLC").find(c) == std::string_view::npos) return false;
    return true;
}

bool blank_slot(std::string_view s) { return s.rfind("\u00A0", 0) == 0; }

/// The text of `w`: its one piece as it is, or its pieces joined in `buf`.
std::string_view plain_view(const Word& w, std::string& buf) {
    if (w.pieces.size() == 1) return w.pieces[0].text;
    buf.clear();
    for (const auto& p : w.pieces) buf += p.text;
    return buf;
}

bool all_digits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

/// True when a line must not end between `a` and `b`: inside a date ("ngày
/// 05 tháng 02 năm 2024"), between "số" and the number with its code ("số
/// 15/QĐ-UBND"), and between a unit's name and its number ("Điều 3.",
/// "khoản 2", "Chương IV", "Phụ lục II").
bool keeps_with_next(std::string_view a, std::string_view b) {
    auto is = [](std::string_view s, std::initializer_list<std::string_view> words) {
        for (std::string_view w : words)
            if (vntext::lower_equals(s, w)) return true;
        return false;
    };
    if (all_digits(a)) return is(b, {"tháng", "năm"});
    // Every word below is at most 8 bytes long; its first letter picks the
    // words to compare with ("đ" and "Đ" start with the byte 0xC4).
    if (a.empty() || a.size() > 8) return false;
    const auto first = static_cast<unsigned char>(a[0]);
    const bool digit_next = starts_with_digit(b);
    switch (first >= 'A' && first <= 'Z' ? first - 'A' + 'a' : first) {
        case 'n': return is(a, {"ngày", "năm"}) && (digit_next || blank_slot(b));
        case 't': return is(a, {"tháng"}) && (digit_next || blank_slot(b));
        case 's': return is(a, {"số", "số:"}) && (digit_next || blank_slot(b) || (!b.empty() && b[0] == '/'));
        case 0xC4: return is(a, {"điều"}) && digit_next;
        case 'k': return is(a, {"khoản"}) && digit_next;
        case 'm': return is(a, {"mục"}) && (digit_next || roman_numeral(b));
        case 'c': return is(a, {"chương"}) && (digit_next || roman_numeral(b));
        case 'p': return is(a, {"phần"}) && (digit_next || roman_numeral(b));
        case 'l': return is(a, {"lục"}) && (digit_next || roman_numeral(b));
        default: return false;
    }
}

/// Joins the words that must stay on one line into one word each (with the
/// space between them inside it), as long as the joined word fits `measure`.
/// Returns nullptr when no words join (the common case: nothing is copied),
/// else `out` holding the joined words.
const std::vector<Word>* keep_together(const std::vector<Word>& words, double measure, std::vector<Word>& out) {
    bool joined = false;
    std::string buf, prev_buf;
    std::string_view prev;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const Word& w = words[i];
        const std::string_view text = plain_view(w, buf);
        const double last_width = joined ? out.back().width : i > 0 ? words[i - 1].width : 0;
        const double last_space = joined ? out.back().space : i > 0 ? words[i - 1].space : 0;
        if (i > 0 && keeps_with_next(prev, text) && last_width + last_space + w.width <= measure) {
            if (!joined) {
                out.assign(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(i));
                joined = true;
            }
            Word& a = out.back();
            a.pieces.back().text += ' ';
            a.pieces.back().width += a.space;
            a.width += a.space;
            for (const Piece& p : w.pieces) {
                if (a.pieces.back().face == p.face) {
                    a.pieces.back().text += p.text;
                    a.pieces.back().width += p.width;
                } else {
                    a.pieces.push_back(p);
                }
            }
            a.width += w.width;
            a.space = w.space;
        } else if (joined) {
            out.push_back(w);
        }
        // A joined word goes on being joined by its last syllable ("05 tháng" + "02").
        if (w.pieces.size() == 1) {
            prev = text;
        } else {
            prev_buf.swap(buf);
            prev = prev_buf;
        }
    }
    return joined ? &out : nullptr;
}

/// Cost of ending a centred line between `a` and `b`, in units of the
/// measure squared: a break inside a word costs, a break after a comma or
/// before a word that opens a phrase is welcome.
double break_cost(const Word& a, const Word& b) {
    std::string ta = plain(a), tb = plain(b);
    std::string last = ta.substr(ta.rfind(' ') == std::string::npos ? 0 : ta.rfind(' ') + 1);
    std::string first = tb.substr(0, tb.find(' '));
    double c = 0;
    if (vntext::joins_word(last, first)) c += 0.15;
    if (!last.empty() && (last.back() == ',' || last.back() == ';' || last.back() == ':')) c -= 0.05;
    if (vntext::opens_phrase(first)) c -= 0.03;
    return c;
}

/// A last line made of this word alone would leave a syllable by itself (a
/// sign such as "(%)" or a group kept together may stand alone).
bool lone_syllable(const std::string& w) {
    if (w.find(' ') != std::string::npos) return false;
    for (unsigned char ch : w)
        if (ch >= 0x80 || std::isalpha(ch)) return true;
    return false;
}

/// Centred text broken between words into balanced lines: the fewest lines
/// the measure allows, then the breaks that make the lines most even (least
/// sum of squared widths), avoiding breaks inside a word and a last line of
/// one syllable when the lines can be balanced otherwise.
std::vector<SetLine> set_centred(const std::vector<Word>& words, double width, double size) {
    const std::size_t n = words.size();
    // Width of words [i, j) set on one line.
    auto span = [&](std::size_t i, std::size_t j) {
        double w = 0;
        for (std::size_t k = i; k < j; ++k) w += words[k].width + (k + 1 < j ? words[k].space : 0);
        return w;
    };
    // The fewest lines: greedy filling.
    std::size_t count = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i + 1;
        while (j < n && span(i, j + 1) <= width) ++j;
        ++count;
        i = j;
    }
    std::vector<std::size_t> ends;  // end (exclusive) of each line
    if (count <= 1) {
        ends.push_back(n);
    } else {
        const double inf = std::numeric_limits<double>::infinity();
        const double unit = width * width;
        // best[l][j]: least cost of setting words [0, j) in l lines; from[l][j]: start of the l-th line.
        std::vector<std::vector<double>> best(count + 1, std::vector<double>(n + 1, inf));
        std::vector<std::vector<std::size_t>> from(count + 1, std::vector<std::size_t>(n + 1, 0));
        best[0][0] = 0;
        for (std::size_t l = 1; l <= count; ++l)
            for (std::size_t j = 1; j <= n; ++j)
                for (std::size_t i = l - 1; i < j; ++i) {
                    if (best[l - 1][i] == inf) continue;
                    double w = span(i, j);
                    if (w > width && j - i > 1) continue;
                    double c = best[l - 1][i] + w * w;
                    if (j < n) c += break_cost(words[j - 1], words[j]) * unit;
                    if (j == n && l > 1 && j - i == 1 && lone_syllable(plain(words[i]))) c += 0.5 * unit;
                    if (c < best[l][j]) best[l][j] = c, from[l][j] = i;
                }
        if (best[count][n] == inf) return {};
        for (std::size_t l = count, j = n; l > 0; j = from[l][j], --l) ends.push_back(j);
        std::reverse(ends.begin(), ends.end());
    }
    std::vector<SetLine> out;
    std::size_t start = 0;
    for (std::size_t end : ends) {
        SetLine line;
        double x = 0;
        for (std::size_t k = start; k < end; ++k) {
            if (k > start) x += words[k - 1].space;
            for (std::size_t p = 0; p < words[k].pieces.size(); ++p) {
                const Piece& pc = words[k].pieces[p];
                if (!line.runs.empty() && line.runs.back().face == pc.face) {
                    Run& r = line.runs.back();
                    r.text += (p == 0 ? " " : "") + pc.text;
                    r.width = x + pc.width - r.x;
                } else {
                    line.runs.push_back({x, pc.face, size, pc.text, pc.width});
                }
                x += pc.width;
            }
        }
        line.width = x;
        double shift = (width - x) / 2;
        for (auto& r : line.runs) r.x += shift;
        out.push_back(std::move(line));
        start = end;
    }
    return out;
}

/// `w` cut into pieces no wider than `measure`, between grapheme clusters
/// (a single cluster wider than the measure stays whole). No space is set
/// between the pieces; the last one keeps the word's space.
std::vector<Word> break_word(const Word& w, double measure, double size, const font::FontBook& fonts) {
    std::vector<Word> out(1);
    auto add = [&](Face f, const std::string& g, double gw) {
        if (!out.back().pieces.empty() && out.back().width + gw > measure) out.emplace_back();
        Word& cur = out.back();
        if (!cur.pieces.empty() && cur.pieces.back().face == f) {
            cur.pieces.back().text += g;
            cur.pieces.back().width += gw;
        } else {
            cur.pieces.push_back({f, g, gw});
        }
        cur.width += gw;
    };
    for (const Piece& p : w.pieces) {
        const std::vector<std::size_t> breaks = vntext::grapheme_breaks(p.text);
        std::size_t from = 0;
        for (std::size_t i = 0; i <= breaks.size(); ++i) {
            const std::size_t to = i < breaks.size() ? breaks[i] : p.text.size();
            const std::string g = p.text.substr(from, to - from);
            add(p.face, g, fonts.width(p.face, size, g));
            from = to;
        }
    }
    // Measure each piece as a whole (kerning), so that the set width is the drawn one.
    for (Word& part : out) {
        part.width = 0;
        for (Piece& pc : part.pieces) part.width += pc.width = fonts.width(pc.face, size, pc.text);
    }
    out.back().space = w.space;
    return out;
}

}  // namespace

std::vector<SetLine> set_text(const std::vector<Word>& given, double width, double first_indent, Align align,
                              double size, double hanging, bool break_long_words) {
    const double measure = width - std::max({first_indent, hanging, 0.0});
    std::vector<Word> split;
    const std::vector<Word>* source = &given;
    for (std::size_t i = 0; break_long_words && i < given.size(); ++i) {
        const Word& w = given[i];
        const bool too_wide = w.width > measure + 1e-6 && w.fonts;
        if (too_wide && source == &given) {
            split.assign(given.begin(), given.begin() + static_cast<std::ptrdiff_t>(i));
            source = &split;
        }
        if (source == &given) continue;
        if (!too_wide) {
            split.push_back(w);
            continue;
        }
        if (current_log) current_log->words.push_back(plain(w));
        for (Word& part : break_word(w, measure, size, *w.fonts)) split.push_back(std::move(part));
    }
    std::vector<Word> kept;
    const std::vector<Word>* joined = keep_together(*source, measure, kept);
    const std::vector<Word>& words = joined ? *joined : *source;
    if (align == Align::center && first_indent == 0 && hanging == 0 && !words.empty()) {
        auto centred = set_centred(words, width, size);
        if (!centred.empty()) return centred;
    }
    auto lines = set_text_once(words, width, first_indent, align, size, hanging);
    if (align != Align::center || lines.size() < 2) return lines;
    // Balance centred text: the narrowest measure that needs no more lines.
    double lo = 0, hi = width;
    for (const auto& w : words) lo = std::max(lo, w.width);
    // Only the number of lines counts here: the items are built once, no line is set.
    ItemList list;
    build_items(words, first_indent, align, size, hanging, list);
    for (int i = 0; i < 12 && hi - lo > 1; ++i) {
        double mid = (lo + hi) / 2;
        if (break_lines(list.items, mid - hanging).breaks.size() <= lines.size()) hi = mid;
        else lo = mid;
    }
    auto balanced = set_text_once(words, hi, first_indent, align, size, hanging);
    double shift = (width - hi) / 2;
    for (auto& l : balanced)
        for (auto& r : l.runs) r.x += shift;
    return balanced;
}

namespace {

void build_items(const std::vector<Word>& words, double first_indent, Align align, double size, double hanging,
                 ItemList& list) {
    std::vector<BreakItem>& items = list.items;
    std::vector<int>& word_at = list.word_at;
    items.clear();
    items.reserve(words.size() * 4 + 4);
    word_at.assign(words.size() * 4 + 4, -1);
    double lead = list.lead = first_indent - hanging;
    if (lead > 0) items.push_back({BreakItem::box, lead});
    const double ragged = 3 * size;
    for (std::size_t i = 0; i < words.size(); ++i) {
        word_at[items.size()] = static_cast<int>(i);
        items.push_back({BreakItem::box, words[i].width});
        if (i + 1 == words.size()) break;
        double sp = words[i].space;
        if (align == Align::justify) {
            items.push_back({BreakItem::glue, sp, sp * 0.5, sp * 0.33});
        } else {
            // Ragged lines; left-aligned text never leaves its last word alone on a line.
            bool last_gap = align == Align::left && i + 2 == words.size() && words.size() >= 3;
            items.push_back({BreakItem::glue, 0, ragged, 0});
            items.push_back({BreakItem::penalty, 0, 0, 0, last_gap ? BreakItem::kInf : 0});
            items.push_back({BreakItem::glue, sp, -ragged, 0});
        }
        if (word_at.size() < items.size() + 2) word_at.resize(items.size() * 2, -1);
    }
    // The last line is free (left-aligned and justified text); centred lines are balanced.
    items.push_back({BreakItem::glue, 0, align == Align::center ? ragged : 1e5, 0});
    items.push_back({BreakItem::penalty, 0, 0, 0, -BreakItem::kInf});
    word_at.resize(items.size(), -1);
}

std::vector<SetLine> set_text_once(const std::vector<Word>& words, double width, double first_indent, Align align,
                                   double size, double hanging) {
    std::vector<SetLine> out;
    if (words.empty()) return out;
    ItemList list;
    build_items(words, first_indent, align, size, hanging, list);
    const std::vector<BreakItem>& items = list.items;
    const std::vector<int>& word_at = list.word_at;
    const double lead = list.lead;
    BreakResult br = break_lines(items, width - hanging);
    out.reserve(br.breaks.size());
    std::size_t start = 0;
    for (std::size_t li = 0; li < br.breaks.size(); ++li) {
        std::size_t end = br.breaks[li];
        bool last = li + 1 == br.breaks.size();
        double r = br.ratios[li];
        if (last && r > 0) r = 0;
        if (align != Align::justify) r = 0;
        SetLine line;
        line.runs.reserve(align == Align::justify ? (end - start) / 2 + 1 : (end - start) / 4 + 1);
        double x = (li == 0 && lead < 0) ? first_indent : hanging;
        // skip leading glue/penalties
        std::size_t k = start;
        while (k < end && items[k].type != BreakItem::box) ++k;
        bool prev_word = false;
        for (; k < end; ++k) {
            const auto& it = items[k];
            if (it.type == BreakItem::box) {
                int wi = word_at[k];
                if (wi < 0) {  // indent box
                    x += it.width;
                    continue;
                }
                const Word& w = words[wi];
                bool merge = align != Align::justify && prev_word && !line.runs.empty() &&
                             line.runs.back().face == w.pieces.front().face;
                for (std::size_t p = 0; p < w.pieces.size(); ++p) {
                    const Piece& pc = w.pieces[p];
                    if (p == 0 && merge) {
                        line.runs.back().text += " " + pc.text;
                        line.runs.back().width = x + pc.width - line.runs.back().x;
                    } else {
                        line.runs.push_back({x, pc.face, size, pc.text, pc.width});
                    }
                    x += pc.width;
                }
                prev_word = true;
            } else if (it.type == BreakItem::glue && align == Align::justify) {
                x += it.width + (r >= 0 ? r * it.stretch : r * it.shrink);
            } else if (it.type == BreakItem::glue && it.width > 0) {
                x += it.width;
            }
        }
        line.width = x;
        if (align == Align::center) {
            double shift = (width - x) / 2;
            for (auto& run : line.runs) run.x += shift;
        }
        out.push_back(std::move(line));
        start = end + 1;
    }
    return out;
}

}  // namespace

}  // namespace vanban::layout

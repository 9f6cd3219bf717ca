#include "layout/text.hpp"

#include <algorithm>

#include "layout/linebreak.hpp"

namespace vanban::layout {

std::vector<Word> split_words(const model::Inlines& text, double size, const font::FontBook& fonts) {
    std::vector<Word> words;
    bool open = false;  // last word can take more pieces
    for (const auto& sp : text) {
        Face f = face_of(sp.bold, sp.italic);
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
            wd.space = fonts.width(f, size, " ");
            i = j;
        }
    }
    return words;
}

namespace {

std::vector<SetLine> set_text_once(const std::vector<Word>& words, double width, double first_indent, Align align,
                                   double size, double hanging);

}  // namespace

std::vector<SetLine> set_text(const std::vector<Word>& words, double width, double first_indent, Align align,
                              double size, double hanging) {
    auto lines = set_text_once(words, width, first_indent, align, size, hanging);
    if (align != Align::center || lines.size() < 2) return lines;
    // Balance centred text: the narrowest measure that needs no more lines.
    double lo = 0, hi = width;
    for (const auto& w : words) lo = std::max(lo, w.width);
    for (int i = 0; i < 12 && hi - lo > 1; ++i) {
        double mid = (lo + hi) / 2;
        if (set_text_once(words, mid, first_indent, align, size, hanging).size() <= lines.size()) hi = mid;
        else lo = mid;
    }
    auto balanced = set_text_once(words, hi, first_indent, align, size, hanging);
    double shift = (width - hi) / 2;
    for (auto& l : balanced)
        for (auto& r : l.runs) r.x += shift;
    return balanced;
}

namespace {

std::vector<SetLine> set_text_once(const std::vector<Word>& words, double width, double first_indent, Align align,
                                   double size, double hanging) {
    std::vector<SetLine> out;
    if (words.empty()) return out;
    // Box/glue list; hanging indent is handled by narrowing the measure and
    // giving the first line a negative-free equivalent: first line gets
    // (first_indent - hanging) of extra box, all lines are (width - hanging) wide.
    double measure = width - hanging;
    std::vector<BreakItem> items;
    items.reserve(words.size() * 3 + 4);
    std::vector<int> word_at(words.size() * 3 + 4, -1);
    double lead = first_indent - hanging;
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
            items.push_back({BreakItem::glue, 0, ragged, 0});
            items.push_back({BreakItem::penalty, 0, 0, 0, 0});
            items.push_back({BreakItem::glue, sp, -ragged, 0});
        }
        if (word_at.size() < items.size() + 2) word_at.resize(items.size() * 2, -1);
    }
    items.push_back({BreakItem::glue, 0, align == Align::justify ? 1e5 : ragged, 0});
    items.push_back({BreakItem::penalty, 0, 0, 0, -BreakItem::kInf});
    word_at.resize(items.size(), -1);

    BreakResult br = break_lines(items, measure);
    std::size_t start = 0;
    for (std::size_t li = 0; li < br.breaks.size(); ++li) {
        std::size_t end = br.breaks[li];
        bool last = li + 1 == br.breaks.size();
        double r = br.ratios[li];
        if (last && r > 0) r = 0;
        if (align != Align::justify) r = 0;
        SetLine line;
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

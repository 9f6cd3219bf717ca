#include "layout/flow.hpp"

#include <algorithm>

namespace vanban::layout {

namespace {

constexpr std::size_t kMinLines = 2;  // widow and orphan minimum

double height(const FlowBlock& b, std::size_t from, std::size_t to) {
    double h = 0;
    for (std::size_t i = from; i < to && i < b.boxes.size(); ++i) h += b.boxes[i].height;
    return h;
}

bool splittable(const FlowBlock& b) { return !b.keep_together && b.boxes.size() >= 2 * kMinLines; }

/// Height of block i's start: its first lines when it may be split, else all of it.
double own_need(const FlowBlock& b) { return splittable(b) ? height(b, 0, kMinLines) : height(b, 0, b.boxes.size()); }

/// Height a block needs on the current page before it may start there: its
/// start, and the start of the blocks it is kept with (a heading with the
/// heading or text after it). A chain that cannot fit on one page (a hundred
/// headings in a row) is not kept together; each block then only keeps the
/// start of the next one.
double start_need(const std::vector<FlowBlock>& bl, std::size_t i, double page_height) {
    double need = own_need(bl[i]);
    for (std::size_t k = i; bl[k].keep_with_next && !splittable(bl[k]) && k + 1 < bl.size(); ++k) {
        need += bl[k + 1].space_before + own_need(bl[k + 1]);
        if (need > page_height) {
            const FlowBlock& next = bl[i + 1];
            return own_need(bl[i]) + next.space_before + (splittable(next) ? own_need(next) : next.boxes.empty() ? 0 : next.boxes[0].height);
        }
    }
    return need;
}

}  // namespace

void paginate(std::vector<FlowBlock> blocks, const PageFrame& frame, PagedDocument& out) {
    const std::size_t first_page = out.pages.size();
    // The first page may end higher (address footer); `f` is the current page's frame.
    PageFrame f = frame;
    if (frame.first_bottom > 0) f.bottom = frame.first_bottom;
    auto new_page = [&] {
        if (out.pages.size() > first_page) f.bottom = frame.bottom;
        Page p;
        p.width = f.width;
        p.height = f.height;
        out.pages.push_back(std::move(p));
    };
    new_page();
    double y = f.top;
    const double eps = 0.01;
    auto at_top = [&] { return y <= f.top + eps; };
    // Each box is placed once: its lines are moved onto the page (the look-ahead
    // of start_need reads only heights and flags).
    auto place = [&](Box& box) {
        Page& pg = out.pages.back();
        for (auto& l : box.lines) {
            l.y += y;
            pg.lines.push_back(std::move(l));
        }
        box.lines.clear();
        for (const auto& fr : box.frames) {
            Frame copy = fr;
            copy.y += y;
            pg.frames.push_back(copy);
        }
        for (const auto& r : box.rules) {
            Rule copy = r;
            copy.y1 += y;
            copy.y2 += y;
            pg.rules.push_back(copy);
        }
        for (const auto& im : box.images) {
            Image copy = im;
            copy.y += y;
            pg.images.push_back(std::move(copy));
        }
        y += box.height;
    };

    for (std::size_t i = 0; i < blocks.size(); ++i) {
        FlowBlock& b = blocks[i];
        if (b.boxes.empty()) continue;
        double sb = at_top() ? 0 : b.space_before;
        if (y + sb + start_need(blocks, i, f.bottom - f.top) > f.bottom + eps && !at_top()) {
            new_page();
            y = f.top;
            sb = 0;
        }
        y += sb;
        if (!b.bookmark.empty())
            out.bookmarks.push_back({b.bookmark, static_cast<int>(out.pages.size() - 1 - first_page + first_page), y});

        std::size_t n = b.boxes.size();
        if (!splittable(b)) {
            for (auto& box : b.boxes) place(box);
            continue;
        }
        // The next block is kept with this one's end (e.g. signature after the last paragraph).
        const FlowBlock* tail_keep = (b.keep_with_next && i + 1 < blocks.size()) ? &blocks[i + 1] : nullptr;
        std::size_t k = 0;  // boxes placed so far
        while (k < n) {
            // How many of the remaining boxes fit on this page?
            std::size_t fit = 0;
            double h = 0;
            while (k + fit < n && y + h + b.boxes[k + fit].height <= f.bottom + eps) {
                h += b.boxes[k + fit].height;
                ++fit;
            }
            std::size_t remaining = n - k;
            if (fit == remaining) {
                if (tail_keep) {
                    double need = tail_keep->space_before + start_need(blocks, i + 1, f.bottom - f.top);
                    if (y + h + need > f.bottom + eps && remaining >= kMinLines && !(k == 0 && at_top() && remaining < kMinLines * 2)) {
                        // Carry the last lines over with the signature block.
                        std::size_t take = remaining - kMinLines;
                        if (k == 0 && take < kMinLines) take = 0;  // would leave an orphan
                        for (std::size_t t = 0; t < take; ++t) place(b.boxes[k + t]);
                        k += take;
                        new_page();
                        y = f.top;
                        for (; k < n; ++k) place(b.boxes[k]);
                        break;
                    }
                }
                for (; k < n; ++k) place(b.boxes[k]);
                break;
            }
            // Split: keep >= 2 lines here (orphan) and >= 2 lines for the next page (widow).
            std::size_t take = std::min(fit, remaining - kMinLines);
            if (k == 0 && take < kMinLines) take = 0;
            if (take == 0 && at_top()) take = std::max<std::size_t>(fit, 1);  // cannot do better
            for (std::size_t t = 0; t < take; ++t) place(b.boxes[k + t]);
            k += take;
            new_page();
            y = f.top;
        }
    }
}

}  // namespace vanban::layout

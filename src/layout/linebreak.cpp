#include "layout/linebreak.hpp"

#include <cmath>
#include <limits>

namespace vanban::layout {

namespace {

struct Node {
    std::size_t pos;
    int line;
    int fitness;
    double tw, ty, tz;  // totals after the break
    double demerits;
    int prev;  // index into pool, -1 for the start
    double ratio;
};

int fitness_class(double r) {
    if (r < -0.5) return 0;
    if (r <= 0.5) return 1;
    if (r <= 1.0) return 2;
    return 3;
}

bool try_total_fit(const std::vector<BreakItem>& items, double W, double tolerance, BreakResult& out) {
    constexpr double kLinePenalty = 10;
    constexpr double kFitnessDemerits = 100;
    std::vector<Node> pool;
    pool.reserve(items.size() / 2 + 4);
    pool.push_back({0, 0, 1, 0, 0, 0, 0, -1, 0});
    std::vector<int> active{0};
    double sw = 0, sy = 0, sz = 0;

    auto try_break = [&](std::size_t i, double pen_width, double cost) {
        struct Cand {
            double d = std::numeric_limits<double>::infinity();
            int from = -1;
            double ratio = 0;
        } best[4];
        std::size_t kept = 0;  // the nodes that stay active, compacted in place
        for (std::size_t ai = 0; ai < active.size(); ++ai) {
            const int a = active[ai];
            const Node& n = pool[a];
            double L = sw - n.tw + pen_width;
            double r;
            if (L < W) {
                double y = sy - n.ty;
                // A line too short even at the tolerance stays active and is no
                // candidate: most nodes, the recent ones; no division for them.
                if (!(y > 0 && W - L <= tolerance * y) && cost > -BreakItem::kInf) {
                    active[kept++] = a;
                    continue;
                }
                r = y > 0 ? (W - L) / y : std::numeric_limits<double>::infinity();
            } else if (L > W) {
                double z = sz - n.tz;
                r = z > 0 ? (W - L) / z : -std::numeric_limits<double>::infinity();
            } else {
                r = 0;
            }
            bool deactivate = r < -1 || cost <= -BreakItem::kInf;
            if (r >= -1 && r <= tolerance) {
                const double ar = std::abs(r);
                double badness = 100 * (ar * ar * ar);
                double d = (kLinePenalty + badness) * (kLinePenalty + badness);
                if (cost >= 0) d += cost * cost;
                else if (cost > -BreakItem::kInf) d -= cost * cost;
                int fc = fitness_class(r);
                if (std::abs(fc - n.fitness) > 1) d += kFitnessDemerits;
                d += n.demerits;
                if (d < best[fc].d) best[fc] = {d, a, r};
            }
            if (!deactivate) active[kept++] = a;
        }
        active.resize(kept);
        // Totals after the break: skip glue that follows it.
        double tw = sw, ty = sy, tz = sz;
        for (std::size_t k = i; k < items.size(); ++k) {
            const auto& it = items[k];
            if (it.type == BreakItem::box) break;
            if (it.type == BreakItem::glue) {
                tw += it.width;
                ty += it.stretch;
                tz += it.shrink;
            } else if (it.cost <= -BreakItem::kInf && k > i) {
                break;
            }
        }
        // The glue at i itself (if glue) was not yet added to sw when try_break runs.
        for (int fc = 0; fc < 4; ++fc) {
            if (best[fc].from < 0) continue;
            const Node& from = pool[best[fc].from];
            pool.push_back({i, from.line + 1, fc, tw, ty, tz, best[fc].d, best[fc].from, best[fc].ratio});
            active.push_back(static_cast<int>(pool.size() - 1));
        }
    };

    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& it = items[i];
        if (it.type == BreakItem::box) {
            sw += it.width;
        } else if (it.type == BreakItem::glue) {
            if (i > 0 && items[i - 1].type == BreakItem::box) try_break(i, 0, 0);
            sw += it.width;
            sy += it.stretch;
            sz += it.shrink;
        } else if (it.cost < BreakItem::kInf) {
            try_break(i, it.width, it.cost);
        }
        if (active.empty()) return false;
    }
    // Best node at the final position.
    int best = -1;
    for (int a : active)
        if (pool[a].pos == items.size() - 1 && (best < 0 || pool[a].demerits < pool[best].demerits)) best = a;
    if (best < 0) return false;
    std::vector<std::size_t> br;
    std::vector<double> ra;
    for (int n = best; n > 0; n = pool[n].prev) {
        br.push_back(pool[n].pos);
        ra.push_back(pool[n].ratio);
    }
    out.breaks.assign(br.rbegin(), br.rend());
    out.ratios.assign(ra.rbegin(), ra.rend());
    return true;
}

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

void greedy(const std::vector<BreakItem>& items, double W, BreakResult& out) {
    out.breaks.clear();
    out.ratios.clear();
    out.greedy_fallback = true;
    double w = 0, y = 0, z = 0;
    std::size_t last_glue = kNone;
    double gw = 0, gy = 0, gz = 0;
    bool line_has_box = false;
    auto ratio = [&](double L, double Y, double Z) {
        if (L < W) return Y > 0 ? std::min((W - L) / Y, 1e6) : 0.0;
        if (L > W) return Z > 0 ? std::max((W - L) / Z, -1e6) : -1e6;
        return 0.0;
    };
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& it = items[i];
        if (it.type == BreakItem::box) {
            if (w + it.width > W && last_glue != kNone && line_has_box) {
                out.breaks.push_back(last_glue);
                out.ratios.push_back(ratio(gw, gy, gz));
                // restart after last_glue
                w = y = z = 0;
                i = last_glue;
                last_glue = kNone;
                line_has_box = false;
                continue;
            }
            w += it.width;
            line_has_box = true;
        } else if (it.type == BreakItem::glue) {
            if (!line_has_box) continue;
            last_glue = i;
            gw = w;
            gy = y;
            gz = z;
            w += it.width;
            y += it.stretch;
            z += it.shrink;
        } else if (it.cost <= -BreakItem::kInf) {
            out.breaks.push_back(i);
            out.ratios.push_back(0);
            w = y = z = 0;
            last_glue = kNone;
            line_has_box = false;
        }
    }
}

}  // namespace

BreakResult break_lines(const std::vector<BreakItem>& items, double line_width) {
    BreakResult r;
    for (double tol : {2.0, 5.0, 50.0})
        if (try_total_fit(items, line_width, tol, r)) return r;
    greedy(items, line_width, r);
    return r;
}

}  // namespace vanban::layout

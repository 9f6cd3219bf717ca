// layout/linebreak: total-fit (Knuth–Plass) line breaking of one paragraph.
//
// Input is the classic box/glue/penalty list; output is the chosen break
// points with each line's adjustment ratio. The whole paragraph is optimised
// at once, so no line is looser than it needs to be. When no feasible set of
// breaks exists within the tolerance, the tolerance is raised; as a last
// resort (a word longer than the line) lines are broken greedily.
#pragma once

#include <cstddef>
#include <vector>

namespace vanban::layout {

struct BreakItem {
    enum Type { box, glue, penalty } type = box;
    double width = 0;
    double stretch = 0;  ///< glue only
    double shrink = 0;   ///< glue only
    double cost = 0;     ///< penalty only; <= -kInf forces a break, >= kInf forbids one
    static constexpr double kInf = 10000;
};

struct BreakResult {
    /// Index of the item at which each line ends (a glue or penalty item);
    /// the last entry is the paragraph's final forced penalty.
    std::vector<std::size_t> breaks;
    /// Adjustment ratio per line: > 0 stretched, < 0 shrunk (>= -1 unless overfull).
    std::vector<double> ratios;
    bool greedy_fallback = false;
};

/// Breaks `items` (which must end with glue of large stretch and a forced penalty)
/// into lines of `line_width`.
BreakResult break_lines(const std::vector<BreakItem>& items, double line_width);

}  // namespace vanban::layout

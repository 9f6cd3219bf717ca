// vanban_vntext: closest_name (see the module header).
#include <algorithm>
#include <vector>

#include "vntext/vntext.hpp"

namespace vanban::vntext {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::u32string x = decode(lower(a)), y = decode(lower(b));
    const std::size_t n = x.size(), m = y.size();
    // Optimal string alignment: insertions, deletions, substitutions and
    // transpositions of two neighbouring letters ("reciepients") cost 1.
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[n][m];
}

std::string closest_name(std::string_view name, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = 3;
    bool tie = false;
    const std::size_t len = decode(name).size();
    for (const auto& c : candidates) {
        if (c == name) continue;
        const std::size_t d = edit_distance(name, c);
        if (d * 2 >= std::max(len, decode(c).size())) continue;
        if (d < best_d) best_d = d, best = c, tie = false;
        else if (d == best_d && !best.empty()) tie = true;
    }
    if (!best.empty()) return tie ? std::string() : best;
    // A name cut short or run on ("body_size" for "body_size_pt"): the one
    // candidate that begins with it, or that it begins with.
    if (len < 4) return {};
    const std::string n = lower(name);
    for (const auto& c : candidates) {
        const std::string l = lower(c);
        if (l == n || (l.rfind(n, 0) != 0 && n.rfind(l, 0) != 0) || decode(l).size() < 4) continue;
        if (!best.empty()) return {};
        best = c;
    }
    return best;
}

}  // namespace vanban::vntext

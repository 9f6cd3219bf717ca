#include "layout/bounds.hpp"

#include <set>
#include <utility>

#include "vntext/vntext.hpp"

namespace vanban::layout {

namespace {

constexpr double kMm = 72.0 / 25.4;
constexpr double kTolerance = 0.5;  // pt

struct Area {
    double left, right, top, bottom;
};

Area text_area(const Page& p, const model::LayoutOptions& m) {
    double top = m.margin_top_mm, bottom = m.margin_bottom_mm, left = m.margin_left_mm, right = m.margin_right_mm;
    if (p.width > p.height) {  // a landscape sheet: the binding edge (left) is the top
        const double t = left, b = right, l = bottom, r = top;
        top = t, bottom = b, left = l, right = r;
    }
    return {left * kMm, p.width - right * kMm, top * kMm, p.height - bottom * kMm};
}

std::string line_text(const Line& l) {
    std::string s;
    for (const auto& r : l.runs) s += (s.empty() ? "" : " ") + r.text;
    return vntext::excerpt(s, 57);
}

}  // namespace

std::vector<Escape> outside_text_area(const PagedDocument& doc, const model::LayoutOptions& margins) {
    std::vector<Escape> out;
    for (std::size_t i = 0; i < doc.pages.size(); ++i) {
        const Page& p = doc.pages[i];
        const Area a = text_area(p, margins);
        const int page = static_cast<int>(i) + 1;
        for (const Line& l : p.lines) {
            if (l.runs.empty()) continue;
            const bool page_number = !p.number_label.empty() && l.runs.size() == 1 && l.runs[0].text == p.number_label &&
                                     l.y < a.top;
            const bool margin_line = !p.margin_line.empty() && l.runs.size() == 1 && l.runs[0].text == p.margin_line &&
                                     l.y < a.top && l.y > 0;
            std::string side;
            for (const Run& r : l.runs) {
                if (r.x < a.left - kTolerance) side = "left";
                else if (r.x + r.width > a.right + kTolerance) side = "right";
            }
            if (side.empty() && l.y > a.bottom + kTolerance) side = "bottom";
            // A stamp's text inside its frame may stand in the top-margin band (box 11, DỰ THẢO).
            bool stamp = false;
            for (const Frame& f : p.frames)
                stamp = stamp || (l.y > f.y && l.y < f.y + f.h && l.runs.front().x >= f.x && l.runs.back().x <= f.x + f.w);
            if (side.empty() && !page_number && !margin_line && !stamp && l.y < a.top - kTolerance) side = "top";
            if (!side.empty()) out.push_back({page, line_text(l), l.runs.front().x, l.y, side});
        }
        for (const Frame& f : p.frames) {
            // Frames keep inside the text width and above the bottom margin; box 11 and DỰ THẢO sit in the top margin.
            std::string side;
            if (f.x < a.left - kTolerance) side = "left";
            else if (f.x + f.w > a.right + kTolerance) side = "right";
            else if (f.y + f.h > a.bottom + kTolerance) side = "bottom";
            else if (f.y < 0) side = "top";
            if (!side.empty()) out.push_back({page, "frame", f.x, f.y, side});
        }
        for (const Rule& r : p.rules) {
            std::string side;
            if (std::min(r.x1, r.x2) < a.left - kTolerance) side = "left";
            else if (std::max(r.x1, r.x2) > a.right + kTolerance) side = "right";
            else if (std::max(r.y1, r.y2) > a.bottom + kTolerance) side = "bottom";
            else if (std::min(r.y1, r.y2) < a.top - kTolerance) side = "top";
            if (!side.empty()) out.push_back({page, "rule", r.x1, r.y1, side});
        }
    }
    return out;
}

std::vector<MissingGlyph> missing_glyphs(const PagedDocument& doc) {
    std::vector<MissingGlyph> out;
    if (!doc.fonts) return out;
    std::set<std::pair<int, char32_t>> seen;
    for (std::size_t i = 0; i < doc.pages.size(); ++i)
        for (const Line& l : doc.pages[i].lines)
            for (const Run& r : l.runs) {
                const font::FontFace& face = doc.fonts->face(r.face);
                const bool ascii = face.draws_ascii();
                for (std::size_t at = 0; at < r.text.size();) {
                    const auto c = static_cast<unsigned char>(r.text[at]);
                    if (ascii && c >= 0x20 && c < 0x7F) {
                        ++at;
                        continue;
                    }
                    const char32_t cp = vntext::next_code_point(r.text, at);
                    if (face.has_glyph(cp) || !seen.emplace(int(r.face), cp).second) continue;
                    out.push_back({int(i) + 1, cp, r.face, line_text(l)});
                }
            }
    return out;
}

}  // namespace vanban::layout

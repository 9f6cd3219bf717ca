// Facts: the geometry the PDF layout decided, read back from its pages.
#include "docx/docx.hpp"

#include <algorithm>
#include <cmath>

#include "vntext/vntext.hpp"

namespace vanban::docx {

namespace {

std::string line_text(const layout::Line& l) {
    std::string s;
    for (const auto& r : l.runs) s += (s.empty() ? "" : " ") + r.text;
    return s;
}

bool bold_line(const layout::Line& l) {
    return !l.runs.empty() && (l.runs.front().face == layout::Face::bold || l.runs.front().face == layout::Face::bold_italic);
}

/// Finds each of `texts` that the pages set on two or more consecutive bold
/// lines, their words joined by single spaces (a signature line broken
/// between words), and records those lines.
void find_breaks(const layout::PagedDocument& paged, const std::vector<std::string>& texts,
                 std::map<std::string, std::vector<std::string>>& out) {
    for (const auto& t : texts) {
        if (t.empty() || t.find(' ') == std::string::npos || out.count(t)) continue;
        for (const auto& p : paged.pages) {
            for (std::size_t i = 0; i < p.lines.size() && !out.count(t); ++i) {
                if (!bold_line(p.lines[i])) continue;
                std::vector<std::string> lines{line_text(p.lines[i])};
                std::string acc = lines.back();
                for (std::size_t k = i + 1; acc.size() < t.size() && t.compare(0, acc.size() + 1, acc + " ") == 0 &&
                                            k < p.lines.size() && bold_line(p.lines[k]);
                     ++k) {
                    lines.push_back(line_text(p.lines[k]));
                    acc += " " + lines.back();
                }
                if (acc == t && lines.size() >= 2) out[t] = std::move(lines);
            }
            if (out.count(t)) break;
        }
    }
}

}  // namespace

Facts facts_from_layout(const resolve::Document& doc, const layout::PagedDocument& paged,
                        const std::vector<layout::AnnexLayout>& annexes) {
    Facts f;
    const auto& lo = doc.model.layout;
    const double left = lo.margin_left_mm * 72.0 / 25.4;
    f.org_size = f.national_size = lo.header_size_pt;
    f.date_size = lo.body_size_pt;
    if (!paged.pages.empty()) {
        const layout::Page& p = paged.pages.front();
        // The header is the first block of page 1: its lines come first, the
        // organisation column's first; its rules are the issuer's, the motto's
        // and (not for a Công văn) the summary's, in that order.
        // (An electronic copy's line stands above them, in the top margin.)
        const double top = lo.margin_top_mm * 72.0 / 25.4;
        for (const auto& l : p.lines)
            if (!l.runs.empty() && l.y > top) {
                f.org_size = l.runs.front().size;
                break;
            }
        if (p.rules.size() >= 2) {
            const auto& ri = p.rules[0];
            f.left_column = 2 * ((ri.x1 + ri.x2) / 2 - left);
            f.issuer_rule = ri.x2 - ri.x1;
            f.motto_rule = p.rules[1].x2 - p.rules[1].x1;
            if (!doc.model.type.is_cong_van && p.rules.size() >= 3) f.summary_rule = p.rules[2].x2 - p.rules[2].x1;
            // The lines above the issuer rule in its column, below the top margin (where the stamps stand).
            for (const auto& l : p.lines)
                if (!l.runs.empty() && l.y > top && l.y < ri.y1 && l.runs.front().x < left + f.left_column)
                    f.org_lines.push_back({line_text(l), l.runs.front().face == layout::Face::bold});
        }
        for (const auto& fr : p.frames)
            if (fr.y + fr.h < top) f.top_stamps.push_back({fr.x - left, fr.w});
        std::sort(f.top_stamps.begin(), f.top_stamps.end());
        for (std::size_t i = 0; i < p.lines.size(); ++i) {
            const auto& l = p.lines[i];
            if (l.runs.empty()) continue;
            std::string t = line_text(l);
            if (t == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") f.national_size = l.runs.front().size;
            else if (t == doc.place_date_line) f.date_size = l.runs.front().size;
            else if (t == "Kính gửi:" && i + 1 < p.lines.size() && !p.lines[i + 1].runs.empty()) {
                f.kinh_gui_x = l.runs.front().x - left;
                f.kinh_gui_items_x = p.lines[i + 1].runs.front().x - left;
            }
        }
    }
    // A paper copy's block starts the last page that opens with a rule across the text width.
    if (doc.model.copy && !doc.model.copy->electronic) {
        const double right = 595.2756 - lo.margin_right_mm * 72.0 / 25.4;
        for (auto p = paged.pages.rbegin(); p != paged.pages.rend(); ++p) {
            if (p->rules.size() < 2 || std::abs(p->rules[0].x1 - left) > 0.5 || std::abs(p->rules[0].x2 - right) > 0.5) continue;
            const auto& r = p->rules[1];
            f.copy_left_column = 2 * ((r.x1 + r.x2) / 2 - left);
            f.copy_rule = r.x2 - r.x1;
            break;
        }
    }
    // The signature lines as the layout sets them: UPPER authority and position, the name as given.
    std::vector<std::string> texts;
    auto signer = [&](const model::Signature& sig) {
        for (const auto& a : sig.authority) texts.push_back(vntext::upper(a));
        texts.push_back(vntext::upper(sig.position));
        texts.push_back(sig.name);
    };
    signer(doc.model.signature);
    for (const auto& sig : doc.model.joint_signatures) signer(sig);
    if (doc.model.copy) signer(doc.model.copy->signature);
    find_breaks(paged, texts, f.signature_breaks);
    for (const auto& a : annexes) {
        AnnexFacts af;
        af.landscape = a.landscape;
        af.cell_size = a.cell_size;
        af.column_widths = a.column_widths;
        if (a.first_page >= 0 && std::size_t(a.first_page) < paged.pages.size()) {
            const auto& rules = paged.pages[std::size_t(a.first_page)].rules;
            if (!rules.empty()) af.rule_length = rules.front().x2 - rules.front().x1;
        }
        f.annexes.push_back(std::move(af));
    }
    return f;
}

}  // namespace vanban::docx

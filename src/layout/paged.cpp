#include "layout/paged.hpp"

#include <cstdio>

namespace vanban::layout {

const char* face_code(Face f) {
    switch (f) {
        case Face::regular: return "R";
        case Face::bold: return "B";
        case Face::italic: return "I";
        case Face::bold_italic: return "BI";
    }
    return "?";
}

const char* face_name(Face f) {
    switch (f) {
        case Face::regular: return "regular";
        case Face::bold: return "bold";
        case Face::italic: return "italic";
        case Face::bold_italic: return "bold_italic";
    }
    return "?";
}

std::string dump(const PagedDocument& doc) {
    std::string out;
    char buf[160];
    for (std::size_t p = 0; p < doc.pages.size(); ++p) {
        const Page& pg = doc.pages[p];
        std::snprintf(buf, sizeof buf, "page %zu size=%.2fx%.2f number=%s\n", p + 1, pg.width, pg.height,
                      pg.number_label.empty() ? "-" : pg.number_label.c_str());
        out += buf;
        for (const auto& l : pg.lines) {
            if (l.runs.empty()) continue;
            const Run& r0 = l.runs.front();
            bool mixed = false;
            for (const auto& r : l.runs) mixed = mixed || r.face != r0.face || r.size != r0.size;
            const Run& rl = l.runs.back();
            std::snprintf(buf, sizeof buf, "page %zu line y=%.2f x=%.2f right=%.2f %s%s %.1f ", p + 1, l.y, r0.x,
                          rl.x + rl.width, face_code(r0.face), mixed ? "+" : "", r0.size);
            out += buf;
            if (r0.color) {
                std::snprintf(buf, sizeof buf, "color=%06X ", static_cast<unsigned>(r0.color));
                out += buf;
            }
            for (std::size_t i = 0; i < l.runs.size(); ++i) {
                if (i) out += ' ';
                out += l.runs[i].text;
            }
            out += '\n';
        }
        for (const auto& f : pg.frames) {
            std::snprintf(buf, sizeof buf, "page %zu frame %.2f,%.2f %.2fx%.2f w=%.2f color=%06X\n", p + 1, f.x, f.y, f.w, f.h,
                          f.width, static_cast<unsigned>(f.color));
            out += buf;
        }
        for (const auto& r : pg.rules) {
            std::snprintf(buf, sizeof buf, "page %zu rule %.2f,%.2f-%.2f,%.2f w=%.2f\n", p + 1, r.x1, r.y1, r.x2, r.y2,
                          r.width);
            out += buf;
        }
        for (const auto& im : pg.images) {
            std::snprintf(buf, sizeof buf, "page %zu image x=%.2f y=%.2f w=%.2f h=%.2f px=%dx%d ", p + 1, im.x, im.y,
                          im.width, im.height, im.width_px, im.height_px);
            out += buf;
            out += im.name;
            if (!im.signature_field.empty()) out += " field=" + im.signature_field;
            out += '\n';
        }
    }
    for (const auto& b : doc.bookmarks) {
        std::snprintf(buf, sizeof buf, "bookmark page=%d y=%.2f ", b.page + 1, b.y);
        out += buf;
        out += b.title;
        out += '\n';
    }
    return out;
}

}  // namespace vanban::layout

// layout/flow: pagination of laid-out blocks.
//
// A FlowBlock is a run of Boxes (usually one per text line) with keep rules:
// headings are kept with what follows, paragraphs keep at least two lines on
// each side of a page break (widow and orphan control), and keep_together
// blocks (header, "Nơi nhận" + signature) are never split. The last body
// paragraph keeps at least its last two lines with the signature block.
#pragma once

#include <string>
#include <vector>

#include "layout/paged.hpp"

namespace vanban::layout {

/// A vertical unit that is never split: lines, rules and images with y relative to its top.
struct Box {
    double height = 0;
    std::vector<Line> lines;
    std::vector<Frame> frames;
    std::vector<Rule> rules;
    std::vector<Image> images;
};

struct FlowBlock {
    std::vector<Box> boxes;
    double space_before = 0;
    bool keep_with_next = false;
    bool keep_together = false;
    std::string bookmark;  ///< non-empty: a bookmark to this block's first box
};

struct PageFrame {
    double width, height;
    double top, bottom;  ///< content area, y of top and bottom edges
    /// Bottom edge of the first page's content area when something sits under
    /// it (the address footer [13]); 0: `bottom`.
    double first_bottom = 0;
};

/// Places blocks on pages appended to out.pages (and bookmarks to out.bookmarks).
void paginate(std::vector<FlowBlock> blocks, const PageFrame& frame, PagedDocument& out);

}  // namespace vanban::layout

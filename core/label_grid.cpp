#include "core/label_grid.h"

#include <algorithm>
#include <stdexcept>

namespace avvp::core {

LabelGrid::LabelGrid(int segments, int classes)
    : segments_(segments),
      classes_(classes),
      cells_(static_cast<std::size_t>(std::max(0, segments)) *
                 static_cast<std::size_t>(std::max(0, classes)),
             0) {
    if (segments <= 0 || classes <= 0)
        throw std::invalid_argument("LabelGrid needs at least one class and one segment");
}

void LabelGrid::fill(int cls, int onset, int offset) {
    const int lo = std::max(onset, 0);
    const int hi = std::min(offset, segments_);
    for (int t = lo; t < hi; ++t) cells_[index(cls, t)] = 1;
}

void LabelGrid::clear() {
    std::fill(cells_.begin(), cells_.end(), std::uint8_t{0});
}

int LabelGrid::count(int cls) const {
    int n = 0;
    for (int t = 0; t < segments_; ++t) n += cells_[index(cls, t)];
    return n;
}

bool LabelGrid::any(int cls) const {
    for (int t = 0; t < segments_; ++t)
        if (cells_[index(cls, t)] != 0) return true;
    return false;
}

int LabelGrid::count() const {
    int n = 0;
    for (auto c : cells_) n += c;
    return n;
}

std::vector<Event> LabelGrid::events(int cls) const {
    std::vector<Event> out;
    int t = 0;
    while (t < segments_) {
        if (!at(cls, t)) {
            ++t;
            continue;
        }
        const int start = t;
        while (t < segments_ && at(cls, t)) ++t;
        out.push_back({cls, start, t});
    }
    return out;
}

std::vector<Event> LabelGrid::events() const {
    std::vector<Event> out;
    for (int c = 0; c < classes_; ++c) {
        auto e = events(c);
        out.insert(out.end(), e.begin(), e.end());
    }
    return out;
}

LabelGrid LabelGrid::intersect(const LabelGrid& a, const LabelGrid& b) {
    if (a.segments_ != b.segments_ || a.classes_ != b.classes_)
        throw std::invalid_argument("LabelGrid::intersect: grids differ in size");
    LabelGrid out(a.segments_, a.classes_);
    for (std::size_t i = 0; i < out.cells_.size(); ++i) out.cells_[i] = a.cells_[i] & b.cells_[i];
    return out;
}

}  // namespace avvp::core

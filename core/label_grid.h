#pragma once
// A classes × segments binary grid for one modality of one video (25 × T).
#include <cstdint>
#include <vector>

#include "core/event.h"
#include "core/taxonomy.h"

namespace avvp::core {

class LabelGrid {
  public:
    explicit LabelGrid(int segments = kLlpSegments, int classes = kNumClasses);

    int segments() const { return segments_; }
    int classes() const { return classes_; }

    bool at(int cls, int seg) const { return cells_[index(cls, seg)] != 0; }
    void set(int cls, int seg, bool on = true) { cells_[index(cls, seg)] = on ? 1 : 0; }
    // Turns on the cells [onset, offset) of a class, clipped to the grid; an empty or
    // reversed range adds nothing (as the reference's slice assignment does).
    void fill(int cls, int onset, int offset);
    void fill(const Event& e) { fill(e.cls, e.onset, e.offset); }
    void clear();

    int count(int cls) const;
    bool any(int cls) const;
    int count() const;
    bool empty() const { return count() == 0; }

    // Maximal runs of consecutive on-cells of one class, in time order.
    std::vector<Event> events(int cls) const;
    // All events, class by class.
    std::vector<Event> events() const;

    // Cell-wise AND (the audio-visual grid is audio AND visual).
    static LabelGrid intersect(const LabelGrid& a, const LabelGrid& b);

    bool operator==(const LabelGrid&) const = default;

  private:
    std::size_t index(int cls, int seg) const {
        return static_cast<std::size_t>(cls) * static_cast<std::size_t>(segments_) +
               static_cast<std::size_t>(seg);
    }

    int segments_;
    int classes_;
    std::vector<std::uint8_t> cells_;  // class-major
};

}  // namespace avvp::core

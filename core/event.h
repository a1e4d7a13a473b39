#pragma once
// An event of one class on the segment axis: it covers segments [onset, offset).
#include <compare>

namespace avvp::core {

struct Event {
    int cls = 0;
    int onset = 0;
    int offset = 0;

    int length() const { return offset > onset ? offset - onset : 0; }
    auto operator<=>(const Event&) const = default;
};

}  // namespace avvp::core

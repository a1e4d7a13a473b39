#pragma once
// Two model runs side by side against the ground truth (issue 20, item 5): every segment x
// class cell of a video, per modality, is right in both runs, wrong in both, or right in
// one of them only. A run's cells are the ones `avvp eval --store` scores (its prediction
// events as dense rows, gridsFromRows), so the counts here add up with its scores.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/evaluation.h"
#include "core/label_grid.h"
#include "core/llp_files.h"

namespace avvp::core {

// Who is right in one cell: a run is right when its cell equals the ground truth's.
enum class CellOutcome : std::uint8_t { BothRight = 0, BothWrong = 1, AOnly = 2, BOnly = 3 };

constexpr CellOutcome cellOutcome(bool gt, bool a, bool b) {
    const bool ra = a == gt;
    const bool rb = b == gt;
    if (ra && rb) return CellOutcome::BothRight;
    if (ra) return CellOutcome::AOnly;
    if (rb) return CellOutcome::BOnly;
    return CellOutcome::BothWrong;
}
// "both right", "both wrong", "A only right", "B only right".
const char* outcomeName(CellOutcome o);

struct OutcomeCounts {
    long bothRight = 0, bothWrong = 0, aOnly = 0, bOnly = 0;
    long cells() const { return bothRight + bothWrong + aOnly + bOnly; }
    void add(CellOutcome o);
    OutcomeCounts& operator+=(const OutcomeCounts& o);
    bool operator==(const OutcomeCounts&) const = default;
};

// One video's outcome grid: per modality (0 audio, 1 visual) the classes x segments cells,
// class-major (index cls * segments + seg). A modality without ground truth has no cells
// (empty vector) and counts nothing.
struct VideoComparison {
    std::string video;
    int segments = kLlpSegments;
    std::array<std::vector<CellOutcome>, 2> cells;
    std::array<OutcomeCounts, 2> counts;  // per modality
    OutcomeCounts total() const {
        OutcomeCounts t = counts[0];
        t += counts[1];
        return t;
    }
    bool covers(Modality m) const { return !cells[static_cast<std::size_t>(m)].empty(); }
    CellOutcome at(Modality m, int cls, int seg) const {
        return cells[static_cast<std::size_t>(m)][static_cast<std::size_t>(cls * segments + seg)];
    }
};

// Compares one modality's grids (all of the same size; std::invalid_argument otherwise)
// into `out` (its segments are taken from the grids).
void compareGrids(const LabelGrid& gt, const LabelGrid& a, const LabelGrid& b, Modality m,
                  VideoComparison& out);

struct RunComparison {
    std::vector<VideoComparison> videos;  // in the input order
    std::array<OutcomeCounts, 2> totals;  // per modality over every video
    OutcomeCounts total() const {
        OutcomeCounts t = totals[0];
        t += totals[1];
        return t;
    }
};

// The rows of ground truth and of runs A and B (as denseRows gives them) for `videos`,
// video i over segments[i] segments; hasGt[i][m] says whether video i has ground truth of
// modality m (its cells are compared only then).
RunComparison compareRuns(const std::vector<std::string>& videos, const std::vector<int>& segments,
                          const std::vector<std::array<bool, 2>>& hasGt,
                          const std::vector<DenseLabelRow>& gtAudio,
                          const std::vector<DenseLabelRow>& gtVisual,
                          const std::vector<DenseLabelRow>& aAudio,
                          const std::vector<DenseLabelRow>& aVisual,
                          const std::vector<DenseLabelRow>& bAudio,
                          const std::vector<DenseLabelRow>& bVisual);

}  // namespace avvp::core

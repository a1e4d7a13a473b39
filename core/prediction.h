#pragma once
// Model output for a set of videos: per video T × 2 × 25 frame probabilities
// (modality 0 audio, 1 visual) and 25 global (video-level) probabilities, thresholded
// into label grids the way the reference evaluation does.
#include <string>
#include <utility>
#include <vector>

#include "core/evaluation.h"
#include "core/label_grid.h"

namespace avvp::core {

struct Thresholds {
    float frame = 0.5F;
    float global = 0.5F;
};

class PredictionSet {
public:
    explicit PredictionSet(int segments = kLlpSegments) : segments_(segments) {}

    int segments() const { return segments_; }
    std::size_t size() const { return videos_.size(); }
    const std::vector<std::string>& videos() const { return videos_; }

    // Adds one video; frame has T*2*25 values (index (t*2 + m)*25 + c), global 25.
    void add(std::string video, std::vector<float> frame, std::vector<float> global);

    float frameProb(std::size_t v, int t, Modality m, int c) const;
    float globalProb(std::size_t v, int c) const;

    // Audio and visual grids: a cell is on when frame ≥ frame threshold AND the class's
    // global probability ≥ global threshold.
    std::pair<LabelGrid, LabelGrid> grids(std::size_t v, const Thresholds& th = {}) const;

    // Dense rows (one per maximal run) for writing LLP prediction CSVs.
    std::vector<DenseLabelRow> rows(Modality m, const Thresholds& th = {}) const;

    // Index of a video by name, or -1.
    long find(const std::string& video) const;

private:
    int segments_;
    std::vector<std::string> videos_;
    std::vector<float> frame_;   // N × T × 2 × C
    std::vector<float> global_;  // N × C
};

// Grids for scoring a prediction set against dense ground truth; every video of the
// split must have a prediction (throws InputError naming the first one missing).
std::vector<VideoGrids> gridsFromPredictions(const std::vector<std::string>& videos,
                                             const PredictionSet& predictions,
                                             const std::vector<DenseLabelRow>& gtAudio,
                                             const std::vector<DenseLabelRow>& gtVisual,
                                             const Thresholds& th = {});

}  // namespace avvp::core

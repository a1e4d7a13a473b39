#pragma once
// Model output: per video T × 2 × 25 frame probabilities (modality 0 audio, 1 visual) and
// 25 global (video-level) probabilities, and the one thresholding of them into events
// (the reference evaluation's rule) that the store, the timeline, `avvp infer` and the
// exports share.
#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/evaluation.h"
#include "core/label_grid.h"

namespace avvp::core {

// The layout of per-segment probabilities everywhere (a model's frame_prob, a store run's
// probabilities, a PredictionSet): T × 2 × C floats, segment-major, modality 0 audio and
// 1 visual. This function is the one place that knows it.
constexpr std::size_t frameIndex(int segment, Modality m, int cls, int classes = kNumClasses) {
    return (static_cast<std::size_t>(segment) * 2 + static_cast<std::size_t>(m)) *
               static_cast<std::size_t>(classes) +
           static_cast<std::size_t>(cls);
}
// The number of floats of T segments.
constexpr std::size_t frameSize(int segments, int classes = kNumClasses) {
    return static_cast<std::size_t>(segments) * 2 * static_cast<std::size_t>(classes);
}

// A cell (segment, modality, class) is on when its frame probability reaches the
// modality's threshold AND the class's global probability reaches `global` (the 0.5 rule
// of the reference evaluation with all three at 0.5).
struct Thresholds {
    float audio = 0.5F;
    float visual = 0.5F;
    float global = 0.5F;

    // The same frame threshold for both modalities.
    static constexpr Thresholds frame(float frame, float global = 0.5F) {
        return {frame, frame, global};
    }
    float of(Modality m) const { return m == Modality::Audio ? audio : visual; }
    bool operator==(const Thresholds&) const = default;
};

// The audio and visual grids of one video's probabilities (frame: frameSize(segments)
// values, global: 25, or 25 per model window of a video run in windows, window-major:
// the gate of window w applies to segments [10 w, 10 w + 10), as the model saw them).
// Throws std::invalid_argument when the sizes do not fit.
std::pair<LabelGrid, LabelGrid> thresholdGrids(std::span<const float> frame,
                                               std::span<const float> global, int segments,
                                               const Thresholds& th = {});

// One maximal run of on cells: segments [onset, offset) of a class in one modality.
struct SegmentSpan {
    Modality modality = Modality::Audio;
    int cls = 0;
    int onset = 0, offset = 0;
    bool operator==(const SegmentSpan&) const = default;
};
// The events of one video's probabilities: audio then visual, class by class, in time
// order (the rows of the grids of thresholdGrids).
std::vector<SegmentSpan> thresholdSpans(std::span<const float> frame, std::span<const float> global,
                                        int segments, const Thresholds& th = {});

// Whether `globals` values are a valid global vector for `segments` segments (25, or 25
// per window).
bool globalSizeFits(std::size_t globals, int segments);
// The global probability gating segment `segment` of class `cls`.
float globalAt(std::span<const float> global, int segment, int cls);

class PredictionSet {
  public:
    explicit PredictionSet(int segments = kLlpSegments) : segments_(segments) {}

    int segments() const { return segments_; }
    std::size_t size() const { return videos_.size(); }
    const std::vector<std::string>& videos() const { return videos_; }

    // Adds one video; frame has frameSize(T) values (layout: frameIndex), global 25.
    void add(std::string video, std::vector<float> frame, std::vector<float> global);

    float frameProb(std::size_t v, int t, Modality m, int c) const;
    float globalProb(std::size_t v, int c) const;

    // Audio and visual grids of one video (thresholdGrids).
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

#pragma once
// Thresholds calibrated on a split with dense ground truth (issue 20, item 1), and the
// thresholds file that carries them. Two rules:
//  - per-class (UWAV, CVPR 2025): for every class and modality, the frame threshold that
//    maximises the segment-level F1 of that class and modality over every segment of the
//    split (TP, FP, FN pooled over the videos), with the global (video-level) gate fixed;
//  - global (CoLeaF): one frame threshold (both modalities) and one global threshold,
//    chosen on a grid to maximise the segment-level F1 pooled over every class and both
//    modalities; CoLeaF's published 0.25 / 0.52 is the preset "coleaf".
// A cell is on when its frame probability reaches its class's threshold of its modality
// AND the class's global probability reaches the global threshold (the rule of
// core::thresholdGrids, with one threshold per class and modality).
#include <array>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/label_grid.h"
#include "core/prediction.h"

namespace avvp::core {

struct ClassThresholds {
    std::array<float, kNumClasses> audio{};
    std::array<float, kNumClasses> visual{};
    float global = 0.5F;

    ClassThresholds() {
        audio.fill(0.5F);
        visual.fill(0.5F);
    }
    static ClassThresholds uniform(const Thresholds& th);
    float of(Modality m, int cls) const {
        return m == Modality::Audio ? audio[static_cast<std::size_t>(cls)]
                                    : visual[static_cast<std::size_t>(cls)];
    }
    // Whether every class of each modality has the same threshold.
    bool isUniform() const;
    bool operator==(const ClassThresholds&) const = default;
};

// core::thresholdGrids / thresholdSpans with a threshold per class and modality.
std::pair<LabelGrid, LabelGrid> thresholdGrids(std::span<const float> frame,
                                               std::span<const float> global, int segments,
                                               const ClassThresholds& th);
std::vector<SegmentSpan> thresholdSpans(std::span<const float> frame, std::span<const float> global,
                                        int segments, const ClassThresholds& th);

// One video of a calibration (or average-precision) split: its probabilities (layout of
// core::frameIndex; 25 global values, or 25 per window) and its dense ground truth.
struct ScoredVideo {
    std::string name;
    int segments = kLlpSegments;
    std::vector<float> frame;
    std::vector<float> global;
    LabelGrid gtAudio{kLlpSegments}, gtVisual{kLlpSegments};
};

// Pooled segment-level counts.
struct SegmentCounts {
    long tp = 0, fp = 0, fn = 0;
    double f1() const;  // 2 TP / (2 TP + FP + FN); 0 when the sum is 0
};
SegmentCounts segmentCounts(const std::vector<ScoredVideo>& videos, const ClassThresholds& th);

// The threshold of one class and modality that maximises F1 over the cells (score, label):
// cells with a score of -infinity (gated off) are never on. The threshold lies halfway
// between the lowest score taken and the highest one left out (ties move together);
// among equal F1 the higher threshold wins. No positive cell: `fallback`.
struct BestThreshold {
    float threshold = 0.5F;
    double f1 = 0.0;
    long positives = 0;
};
BestThreshold bestF1Threshold(std::span<const float> scores, std::span<const char> labels,
                              float fallback);

struct CalibrationClass {
    Modality modality = Modality::Audio;
    int cls = 0;
    BestThreshold best;
    double f1Before = 0.0;  // at the starting thresholds
};

struct Calibration {
    std::string mode;  // "per-class", "global" or "coleaf"
    ClassThresholds thresholds;
    ClassThresholds before;                 // what the objective was measured against
    double f1Before = 0.0, f1After = 0.0;   // pooled segment-level F1 (all classes, A + V)
    std::vector<CalibrationClass> classes;  // per-class mode
    int videos = 0;
};

// Per class and modality on `videos`, the global gate fixed at `start.global`.
Calibration calibratePerClass(const std::vector<ScoredVideo>& videos, const Thresholds& start);
// One frame and one global threshold on the grid step, 2 step, ..., 1 - step.
Calibration calibrateGlobal(const std::vector<ScoredVideo>& videos, const Thresholds& start,
                            float step = 0.01F);
// CoLeaF's published thresholds: frame 0.25, global 0.52.
inline constexpr Thresholds kColeafThresholds = {0.25F, 0.25F, 0.52F};

// The thresholds file (JSON, docs in README "Calibrated thresholds"):
//   {"format": "avvp-thresholds", "version": 1, "mode": ..., "protocol": ...,
//    "calibrated_on": {"store": ..., "run": ..., "split": ..., "videos": N},
//    "objective": {"name": "segment-level F1 ...", "before": f, "after": f},
//    "global": g, "audio": {"Speech": t, ...}, "visual": {...}}
struct ThresholdsFile {
    std::string mode = "default";
    std::string protocol;
    std::string store, run, split;
    int videos = 0;
    double f1Before = 0.0, f1After = 0.0;
    ClassThresholds thresholds;
    std::string source;  // where it was read (for messages), not written
};
inline constexpr const char* kCalibrationProtocol =
    "segment-level F1, pooled over the split's 1 s segments";
std::string thresholdsJson(const ThresholdsFile& f);
// Throws InputError naming the file on anything malformed (a class missing, a value
// outside [0, 1]).
ThresholdsFile parseThresholdsJson(const std::string& text, const std::string& source);
ThresholdsFile readThresholdsFile(const std::filesystem::path& path);
// One line for score reports: "per-class thresholds from F (calibrated on the val split of
// run R)", "frame 0.50, global 0.50".
std::string describeThresholds(const ThresholdsFile& f);
std::string describeThresholds(const Thresholds& th);

}  // namespace avvp::core

#pragma once
// The AVVP scorer of the public reference implementation (AVVP-ECCV20 eval_metrics):
// segment- and event-level F-scores for audio, visual and audio-visual events, Type@AV
// and Event@AV; per video, per class and per dataset. See docs/evaluation.md.
#include <array>
#include <string>
#include <vector>

#include "core/label_grid.h"
#include "core/llp_files.h"

namespace avvp::core {

// Protocol name shown next to every score, since DCASE/sed_eval-style scores differ.
inline constexpr const char* kAvvpProtocol = "AVVP (LLP, Tian et al. ECCV 2020)";
// The same scorer on videos of any length: each video is scored over its own T one-second
// segments (T = segmentCount(duration)), everything else as kAvvpProtocol. Named on every
// score of a set holding a video of T != 10 (docs/evaluation.md, "Videos of any length").
inline constexpr const char* kAvvpAnyLengthProtocol =
    "AVVP (LLP, Tian et al. ECCV 2020), any length: per video F over its own T segments";

struct VideoGrids {
    LabelGrid predAudio, predVisual, gtAudio, gtVisual;
};

// Metric columns in the order of the paper's tables.
enum Metric : int { kAudio = 0, kVisual = 1, kAudioVisual = 2, kTypeAv = 3, kEventAv = 4 };
inline constexpr int kNumMetrics = 5;
inline constexpr std::array<const char*, kNumMetrics> kMetricNames = {
    "audio", "visual", "audio_visual", "type_av", "event_av"};

struct Counts {
    long tp = 0, fp = 0, fn = 0;
    Counts& operator+=(const Counts& o) {
        tp += o.tp;
        fp += o.fp;
        fn += o.fn;
        return *this;
    }
    bool active() const { return tp + fp > 0 || tp + fn > 0; }
    double f1() const {
        const long d = 2 * tp + fp + fn;
        return d == 0 ? 1.0 : 2.0 * static_cast<double>(tp) / static_cast<double>(d);
    }
};

// Per class counts of one level for audio, visual and audio-visual.
using ClassCounts = std::array<std::array<Counts, kNumClasses>, 3>;

struct LevelScores {
    std::array<double, kNumMetrics> segment{};
    std::array<double, kNumMetrics> event{};
};

struct EvalResult {
    std::vector<std::string> videos;
    // Per video F in [0, 1] (Type@AV = mean of A, V, AV for that video).
    std::vector<LevelScores> perVideo;
    // Dataset scores in percent: the mean over videos, as the paper reports them.
    LevelScores dataset;
    // Per class counts summed over all videos (index 0 audio, 1 visual, 2 audio-visual).
    ClassCounts segmentClass{};
    ClassCounts eventClass{};
    // kAvvpProtocol, or kAvvpAnyLengthProtocol when some video has T != 10 segments.
    std::string protocol = kAvvpProtocol;
    // The fewest and most segments of a scored video (10 and 10 for LLP clips).
    int minSegments = kLlpSegments;
    int maxSegments = kLlpSegments;

    bool anyLength() const { return minSegments != kLlpSegments || maxSegments != kLlpSegments; }
};

// Counts of one video, one class, one modality.
Counts segmentCounts(const LabelGrid& pred, const LabelGrid& gt, int cls);
Counts eventCounts(const LabelGrid& pred, const LabelGrid& gt, int cls);

// Scores one video (F in [0, 1]); adds its per class counts when the pointers are set.
LevelScores scoreVideo(const VideoGrids& g, ClassCounts* segmentClass = nullptr,
                       ClassCounts* eventClass = nullptr);

// Scores every video in order (none is skipped); the grids may differ in length (each
// video is scored over its own T segments).
EvalResult evaluate(std::vector<std::string> videos, const std::vector<VideoGrids>& grids);

// The same as evaluate(videos, gridsFromRows(...)) with one video's grids in memory at a
// time: what `avvp eval` uses on a whole split.
EvalResult evaluateRows(std::vector<std::string> videos,
                        const std::vector<DenseLabelRow>& predAudio,
                        const std::vector<DenseLabelRow>& predVisual,
                        const std::vector<DenseLabelRow>& gtAudio,
                        const std::vector<DenseLabelRow>& gtVisual, int segments = kLlpSegments);
// Videos of any length: video i is scored over its own segments[i] segments (one value
// per video; rows past a video's end are clipped to it).
EvalResult evaluateRows(std::vector<std::string> videos,
                        const std::vector<DenseLabelRow>& predAudio,
                        const std::vector<DenseLabelRow>& predVisual,
                        const std::vector<DenseLabelRow>& gtAudio,
                        const std::vector<DenseLabelRow>& gtVisual,
                        const std::vector<int>& segments);

// Grids for the videos of a split from dense rows: cells [onset, offset) of every row
// whose filename equals the video name exactly; other rows are ignored.
std::vector<VideoGrids> gridsFromRows(const std::vector<std::string>& videos,
                                      const std::vector<DenseLabelRow>& predAudio,
                                      const std::vector<DenseLabelRow>& predVisual,
                                      const std::vector<DenseLabelRow>& gtAudio,
                                      const std::vector<DenseLabelRow>& gtVisual,
                                      int segments = kLlpSegments);

// Videos of a weak-label (split) file, in file order.
std::vector<std::string> videoNames(const WeakLabelFile& split);

}  // namespace avvp::core

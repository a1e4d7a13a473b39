#include "core/prediction.h"

#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "core/calibration.h"
#include "core/error.h"

namespace avvp::core {

namespace {
constexpr std::size_t kC = kNumClasses;

void requireProbabilities(const std::vector<float>& p, const std::string& video) {
    for (float x : p)
        if (!std::isfinite(x) || x < 0.0F || x > 1.0F)
            throw std::invalid_argument("prediction for " + video +
                                        " holds a value outside [0, 1] or NaN");
}
}  // namespace

void PredictionSet::add(std::string video, std::vector<float> frame, std::vector<float> global) {
    const auto T = static_cast<std::size_t>(segments_);
    if (frame.size() != T * 2 * kC)
        throw std::invalid_argument("prediction for " + video + ": expected " +
                                    std::to_string(T * 2 * kC) + " frame probabilities, got " +
                                    std::to_string(frame.size()));
    if (global.size() != kC)
        throw std::invalid_argument("prediction for " + video +
                                    ": expected 25 global probabilities, got " +
                                    std::to_string(global.size()));
    requireProbabilities(frame, video);
    requireProbabilities(global, video);
    videos_.push_back(std::move(video));
    frame_.insert(frame_.end(), frame.begin(), frame.end());
    global_.insert(global_.end(), global.begin(), global.end());
}

float PredictionSet::frameProb(std::size_t v, int t, Modality m, int c) const {
    return frame_[v * frameSize(segments_) + frameIndex(t, m, c)];
}

float PredictionSet::globalProb(std::size_t v, int c) const {
    return global_[v * kC + static_cast<std::size_t>(c)];
}

bool globalSizeFits(std::size_t globals, int segments) {
    return globals == kC ||
           (segments > 0 && globals == kC * static_cast<std::size_t>(windowCount(segments)));
}

float globalAt(std::span<const float> global, int segment, int cls) {
    const std::size_t w =
        global.size() == kC ? 0 : static_cast<std::size_t>(segment / kWindowSegments);
    return global[w * kC + static_cast<std::size_t>(cls)];
}

std::pair<LabelGrid, LabelGrid> thresholdGrids(std::span<const float> frame,
                                               std::span<const float> global, int segments,
                                               const Thresholds& th) {
    if (segments < 0 || frame.size() != frameSize(segments) ||
        !globalSizeFits(global.size(), segments))
        throw std::invalid_argument("probabilities must be " + std::to_string(frameSize(segments)) +
                                    " frame and 25 (or 25 per 10-segment window) global values, "
                                    "not " +
                                    std::to_string(frame.size()) + " and " +
                                    std::to_string(global.size()));
    LabelGrid a(segments), vis(segments);
    for (int c = 0; c < kNumClasses; ++c) {
        for (int t = 0; t < segments; ++t) {
            if (!(globalAt(global, t, c) >= th.global)) continue;
            if (frame[frameIndex(t, Modality::Audio, c)] >= th.audio) a.set(c, t);
            if (frame[frameIndex(t, Modality::Visual, c)] >= th.visual) vis.set(c, t);
        }
    }
    return {std::move(a), std::move(vis)};
}

std::vector<SegmentSpan> thresholdSpans(std::span<const float> frame, std::span<const float> global,
                                        int segments, const Thresholds& th) {
    // One threshold for every class: the per-class rule of calibration.h, uniform.
    return thresholdSpans(frame, global, segments, ClassThresholds::uniform(th));
}

std::pair<LabelGrid, LabelGrid> PredictionSet::grids(std::size_t v, const Thresholds& th) const {
    const std::size_t n = frameSize(segments_);
    return thresholdGrids(std::span(frame_).subspan(v * n, n),
                          std::span(global_).subspan(v * kC, kC), segments_, th);
}

std::vector<DenseLabelRow> PredictionSet::rows(Modality m, const Thresholds& th) const {
    std::vector<DenseLabelRow> out;
    for (std::size_t v = 0; v < videos_.size(); ++v) {
        auto g = grids(v, th);
        const auto& grid = m == Modality::Audio ? g.first : g.second;
        for (const auto& e : grid.events())
            out.push_back({videos_[v], e.onset, e.offset, e.cls, 0});
    }
    return out;
}

long PredictionSet::find(const std::string& video) const {
    for (std::size_t i = 0; i < videos_.size(); ++i)
        if (videos_[i] == video) return static_cast<long>(i);
    return -1;
}

std::vector<VideoGrids> gridsFromPredictions(const std::vector<std::string>& videos,
                                             const PredictionSet& predictions,
                                             const std::vector<DenseLabelRow>& gtAudio,
                                             const std::vector<DenseLabelRow>& gtVisual,
                                             const Thresholds& th) {
    auto grids = gridsFromRows(videos, {}, {}, gtAudio, gtVisual, predictions.segments());
    std::unordered_map<std::string_view, std::size_t> index;
    for (std::size_t i = 0; i < predictions.size(); ++i) index.emplace(predictions.videos()[i], i);
    for (std::size_t i = 0; i < videos.size(); ++i) {
        auto it = index.find(videos[i]);
        if (it == index.end())
            throw InputError("predictions", 0, "no prediction for video " + videos[i]);
        auto [a, v] = predictions.grids(it->second, th);
        grids[i].predAudio = std::move(a);
        grids[i].predVisual = std::move(v);
    }
    return grids;
}

}  // namespace avvp::core

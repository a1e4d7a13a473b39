#include "core/review_queue.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/prediction.h"

namespace avvp::core {

std::string queueReasonText(unsigned reasons) {
    std::string out;
    const auto add = [&](unsigned bit, const char* text) {
        if ((reasons & bit) == 0) return;
        if (!out.empty()) out += ", ";
        out += text;
    };
    add(kQueueNear, "near threshold");
    add(kQueueAudioVisual, "audio-visual");
    add(kQueueVsGroundTruth, "vs ground truth");
    add(kQueueVsCorrection, "vs correction");
    return out;
}

namespace {

// Distance of the probabilities from flipping the cell's decision.
double flipMargin(float p, float t, float g, float gate, bool on) {
    if (on) return std::min(p - t, g - gate);
    return std::max({0.0F, t - p, gate - g});
}

bool before(const QueueItem& a, const QueueItem& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.margin != b.margin) return a.margin < b.margin;
    if (a.video != b.video) return a.video < b.video;
    if (a.segment != b.segment) return a.segment < b.segment;
    if (a.modality != b.modality) return a.modality < b.modality;
    return a.cls < b.cls;
}

}  // namespace

std::vector<QueueItem> rankQueue(const std::vector<QueueVideo>& videos, const QueueOptions& options,
                                 Progress* progress) {
    std::vector<QueueItem> items;
    const auto& th = options.thresholds;
    for (std::size_t v = 0; v < videos.size(); ++v) {
        if (progress && v % 64 == 0)
            progress->step(
                static_cast<double>(v) / static_cast<double>(videos.size()),
                "video " + std::to_string(v + 1) + " of " + std::to_string(videos.size()));
        const auto& video = videos[v];
        const int T = video.segments;
        if (T <= 0 || video.frame.size() != frameSize(T) || !globalSizeFits(video.global.size(), T))
            throw std::invalid_argument("probabilities of video " + video.name +
                                        " do not fit its " + std::to_string(T) + " segments");
        for (const auto& ref : video.reference)
            if (ref && ref->segments() != T)
                throw std::invalid_argument("reference labels of video " + video.name +
                                            " do not fit its " + std::to_string(T) + " segments");
        for (int t = 0; t < T; ++t)
            for (int c = 0; c < kNumClasses; ++c) {
                if (options.cls && *options.cls != c) continue;
                const float g = globalAt(video.global, t, c);
                std::array<bool, 2> on{};
                std::array<float, 2> p{};
                for (auto m : kModalities) {
                    const auto mi = static_cast<std::size_t>(m);
                    p[mi] = video.frame[frameIndex(t, m, c)];
                    on[mi] = p[mi] >= th.of(m, c) && g >= th.global;
                }
                for (auto m : kModalities) {
                    if (options.modality && *options.modality != m) continue;
                    const auto mi = static_cast<std::size_t>(m);
                    QueueItem item;
                    item.video = v;
                    item.modality = m;
                    item.cls = c;
                    item.segment = t;
                    item.probability = p[mi];
                    item.global = g;
                    item.threshold = th.of(m, c);
                    item.predicted = on[mi];
                    item.margin = flipMargin(p[mi], item.threshold, g, th.global, on[mi]);
                    if (item.margin < options.nearWindow && options.nearWindow > 0.0F) {
                        item.reasons |= kQueueNear;
                        item.score += options.nearWeight * (1.0 - item.margin / options.nearWindow);
                    }
                    if (on[0] != on[1]) {
                        item.reasons |= kQueueAudioVisual;
                        item.score += options.audioVisualWeight;
                    }
                    if (const auto& ref = video.reference[mi]; ref && ref->at(c, t) != on[mi]) {
                        item.reasons |=
                            video.corrected[mi] ? kQueueVsCorrection : kQueueVsGroundTruth;
                        item.score += options.referenceWeight;
                    }
                    if (item.reasons == 0 || item.score <= 0.0) continue;
                    if (options.limit == 0 || items.size() < options.limit) {
                        items.push_back(item);
                        // With a limit: a heap whose front is the worst item kept.
                        if (options.limit > 0) std::push_heap(items.begin(), items.end(), before);
                    } else if (before(item, items.front())) {
                        std::pop_heap(items.begin(), items.end(), before);
                        items.back() = item;
                        std::push_heap(items.begin(), items.end(), before);
                    }
                }
            }
    }
    std::sort(items.begin(), items.end(), before);
    if (progress) progress->report(1.0, "ranked");
    return items;
}

std::vector<QueueVideoRank> rankQueueVideos(const std::vector<QueueItem>& items) {
    std::map<std::size_t, QueueVideoRank> by;
    for (const auto& it : items) {
        auto& r = by[it.video];
        r.video = it.video;
        r.score += it.score;
        ++r.items;
        r.reasons |= it.reasons;
    }
    std::vector<QueueVideoRank> out;
    out.reserve(by.size());
    for (auto& [v, r] : by) out.push_back(r);
    std::stable_sort(out.begin(), out.end(), [](const QueueVideoRank& a, const QueueVideoRank& b) {
        return a.score > b.score;
    });
    return out;
}

}  // namespace avvp::core

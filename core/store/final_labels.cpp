// The final labels of the store's videos; see final_labels.h.
#include "core/store/final_labels.h"

#include <cstdint>
#include <set>
#include <tuple>

#include "core/store/label_exchange.h"

namespace avvp::store {

namespace {

// Adds the final labels among `gt` and `corrections` (of any videos) to `byVideo`: each
// label (modality, class, onset, offset) once per video, the ground truth's first.
void addFinal(const Store& store, std::vector<Event> gt, std::vector<Event> corrections,
              std::unordered_map<VideoId, std::vector<Event>>& byVideo) {
    using Key = std::tuple<VideoId, int, int, std::int64_t, std::int64_t>;
    std::set<Key> seen;
    auto add = [&](Event&& e) {
        if (seen.emplace(e.video, static_cast<int>(e.modality), e.cls, e.onsetMs, e.offsetMs)
                .second)
            byVideo[e.video].push_back(std::move(e));
    };
    for (auto& e : gt) add(std::move(e));
    for (auto& e : corrections) {
        const auto origin = e.origin ? store.event(*e.origin) : std::nullopt;
        if (countsAsAccepted(e, origin)) add(std::move(e));
    }
}

}  // namespace

std::vector<Event> finalEvents(const Store& store, VideoId video,
                               const std::optional<std::string>& annotator) {
    EventFilter gt;
    gt.source = Source::GroundTruth;
    EventFilter corr;
    corr.source = Source::Correction;
    corr.annotator = annotator;
    std::unordered_map<VideoId, std::vector<Event>> byVideo;
    addFinal(store, store.events(video, gt), store.events(video, corr), byVideo);
    const auto it = byVideo.find(video);
    return it == byVideo.end() ? std::vector<Event>{} : std::move(it->second);
}

std::unordered_map<VideoId, std::vector<Event>> finalEvents(
    const Store& store, std::optional<core::Split> split,
    const std::optional<std::string>& annotator) {
    EventFilter gt;
    gt.split = split;
    gt.source = Source::GroundTruth;
    EventFilter corr;
    corr.split = split;
    corr.source = Source::Correction;
    corr.annotator = annotator;
    std::unordered_map<VideoId, std::vector<Event>> byVideo;
    addFinal(store, store.events(gt), store.events(corr), byVideo);
    return byVideo;
}

}  // namespace avvp::store

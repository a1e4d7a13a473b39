#include "ui/timeline/timeline_rows.h"

#include <algorithm>
#include <array>

#include "core/store/store.h"

namespace avvp::ui {

namespace {

constexpr std::array<store::Source, 3> kSources = {
    store::Source::GroundTruth, store::Source::Prediction, store::Source::Correction};

Lane laneOf(core::Modality m) {
    return m == core::Modality::Audio ? Lane::Audio : Lane::Visual;
}

}  // namespace

std::vector<Span> intersectSpans(const std::vector<Span>& a, const std::vector<Span>& b) {
    std::vector<Span> out;
    for (const auto& x : a)
        for (const auto& y : b) {
            const auto on = std::max(x.first, y.first), off = std::min(x.second, y.second);
            if (off > on) out.emplace_back(on, off);
        }
    std::sort(out.begin(), out.end());
    std::vector<Span> merged;
    for (const auto& iv : out) {
        if (!merged.empty() && iv.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, iv.second);
        else
            merged.push_back(iv);
    }
    return merged;
}

const store::Event* TimelineRows::event(store::EventId id) const {
    for (const auto& e : events)
        if (e.id == id) return &e;
    return nullptr;
}

std::optional<float> TimelineRows::probability(Lane lane, int cls, int segment) const {
    if (!probabilities || segment < 0 || segment >= probabilities->segments) return std::nullopt;
    auto at = [&](core::Modality m) {
        const auto i = core::frameIndex(segment, m, cls);
        return i < probabilities->frame.size() ? probabilities->frame[i] : 0.0F;
    };
    if (lane == Lane::AudioVisual)
        return std::min(at(core::Modality::Audio), at(core::Modality::Visual));
    return at(static_cast<core::Modality>(lane));
}

TimelineRows loadTimelineRows(const store::Store& store, store::VideoId video,
                              std::optional<store::RunId> run,
                              std::optional<core::Thresholds> thresholds) {
    TimelineRows r;
    const auto v = store.video(video);
    if (!v) return r;
    r.found = true;
    r.durationMs = v->durationMs > 0 ? v->durationMs : std::int64_t{core::kLlpSegments} * 1000;
    r.weak = v->weak;
    for (auto& e : store.events(video)) {
        if (e.source == store::Source::Prediction && e.run != run) continue;
        r.events.push_back(std::move(e));
    }
    float frameThreshold = 0.5F;
    if (run) {
        r.probabilities = store.probabilities(*run, video);
        for (const auto& each : store.runs())
            if (each.id == *run) frameThreshold = each.frameThreshold;
    }
    if (r.probabilities && thresholds) {
        const auto& p = *r.probabilities;
        for (const auto& s : core::thresholdSpans(p.frame, p.global, p.segments, *thresholds)) {
            store::Event e;
            e.video = video;
            e.modality = s.modality;
            e.cls = s.cls;
            e.onsetMs = std::int64_t{s.onset} * 1000;
            e.offsetMs = std::int64_t{s.offset} * 1000;
            e.source = store::Source::Prediction;
            e.run = run;
            r.thresholded.push_back(e);
        }
        std::erase_if(r.events,
                      [](const store::Event& e) { return e.source == store::Source::Prediction; });
    }
    core::ClassSet shownClasses = r.weak;
    for (const auto& e : r.events) shownClasses |= 1U << e.cls;
    for (const auto& e : r.thresholded) shownClasses |= 1U << e.cls;
    if (r.probabilities)
        for (std::size_t i = 0; i < r.probabilities->frame.size(); ++i)
            if (r.probabilities->frame[i] >= 0.5F * frameThreshold)
                shownClasses |= 1U << (i % core::kNumClasses);
    for (int c = 0; c < core::kNumClasses; ++c)
        if (core::hasClass(shownClasses, c)) r.classes.push_back(c);
    r.shown = shownEvents(r);
    return r;
}

std::vector<ShownEvent> shownEvents(const TimelineRows& r) {
    std::vector<ShownEvent> shown;
    for (const auto& e : r.events)
        shown.push_back(
            {e.id, laneOf(e.modality), e.cls, e.source, e.onsetMs, e.offsetMs, e.review});
    for (const auto& e : r.thresholded)  // no id: not editable
        shown.push_back(
            {std::nullopt, laneOf(e.modality), e.cls, e.source, e.onsetMs, e.offsetMs, e.review});
    // Audio-visual: what is both heard and seen, per source and class (rejected predictions
    // are not).
    for (const auto source : kSources)
        for (const int cls : r.classes) {
            std::array<std::vector<Span>, 2> spans;
            for (const auto* list : {&r.events, &r.thresholded})
                for (const auto& e : *list)
                    if (e.source == source && e.cls == cls && e.review != store::Review::Rejected)
                        spans[static_cast<std::size_t>(e.modality)].emplace_back(e.onsetMs,
                                                                                 e.offsetMs);
            for (const auto& [on, off] : intersectSpans(spans[0], spans[1]))
                shown.push_back(
                    {std::nullopt, Lane::AudioVisual, cls, source, on, off, store::Review::None});
        }
    return shown;
}

}  // namespace avvp::ui

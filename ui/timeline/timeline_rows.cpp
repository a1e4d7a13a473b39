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

namespace {

// The union of spans as sorted, disjoint spans (touching ones merged).
std::vector<Span> merged(std::vector<Span> spans) {
    std::sort(spans.begin(), spans.end());
    std::vector<Span> out;
    for (const auto& iv : spans) {
        if (iv.second <= iv.first) continue;
        if (!out.empty() && iv.first <= out.back().second)
            out.back().second = std::max(out.back().second, iv.second);
        else
            out.push_back(iv);
    }
    return out;
}

}  // namespace

// A sweep over both unions: linear after sorting, so that a 2-hour video with thousands
// of events per class derives its audio-visual lane at once.
std::vector<Span> intersectSpans(const std::vector<Span>& a, const std::vector<Span>& b) {
    const auto ua = merged(a), ub = merged(b);
    std::vector<Span> out;
    std::size_t i = 0, j = 0;
    while (i < ua.size() && j < ub.size()) {
        const auto on = std::max(ua[i].first, ub[j].first);
        const auto off = std::min(ua[i].second, ub[j].second);
        if (off > on) {
            if (!out.empty() && on <= out.back().second)
                out.back().second = std::max(out.back().second, off);
            else
                out.emplace_back(on, off);
        }
        (ua[i].second < ub[j].second) ? ++i : ++j;
    }
    return out;
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
    r.durationMs = v->lengthMs();
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
            // A partial last second ends at the video's end (as the stored events do).
            e.offsetMs = std::min(std::int64_t{s.offset} * 1000, r.durationMs);
            if (e.offsetMs <= e.onsetMs) continue;
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
    // One pass buckets the spans by source, class and modality.
    std::vector<std::vector<Span>> spans(kSources.size() * core::kNumClasses * 2);
    auto bucket = [](store::Source source, int cls, core::Modality m) {
        return (static_cast<std::size_t>(source) * core::kNumClasses +
                static_cast<std::size_t>(cls)) *
                   2 +
               static_cast<std::size_t>(m);
    };
    for (const auto* list : {&r.events, &r.thresholded})
        for (const auto& e : *list)
            if (e.review != store::Review::Rejected && e.cls >= 0 && e.cls < core::kNumClasses &&
                static_cast<std::size_t>(e.source) < kSources.size())
                spans[bucket(e.source, e.cls, e.modality)].emplace_back(e.onsetMs, e.offsetMs);
    for (const auto source : kSources)
        for (const int cls : r.classes)
            for (const auto& [on, off] :
                 intersectSpans(spans[bucket(source, cls, core::Modality::Audio)],
                                spans[bucket(source, cls, core::Modality::Visual)]))
                shown.push_back(
                    {std::nullopt, Lane::AudioVisual, cls, source, on, off, store::Review::None});
    return shown;
}

}  // namespace avvp::ui

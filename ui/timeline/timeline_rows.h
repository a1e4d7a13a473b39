#pragma once
// What the timeline shows of one video, derived from the store alone (no widgets): its
// length and weak labels, its events (ground truth, corrections, the shown run's
// predictions), the run's per-segment probabilities, the prediction rows the threshold
// sliders give (a preview in place of the stored prediction events), the classes that get
// a row, and every event as drawn, lane by lane, including the derived audio-visual ones
// (what is both heard and seen: audio AND visual per class and source, read-only).
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/prediction.h"
#include "core/store/records.h"

namespace avvp::store {
class Store;
}

namespace avvp::ui {

enum class Lane { Audio = 0, Visual = 1, AudioVisual = 2 };

// An event as drawn; derived audio-visual events and threshold previews have no id (not
// editable).
struct ShownEvent {
    std::optional<store::EventId> id;
    Lane lane = Lane::Audio;
    int cls = 0;
    store::Source source = store::Source::GroundTruth;
    std::int64_t onsetMs = 0, offsetMs = 0;
    store::Review review = store::Review::None;
    bool operator==(const ShownEvent&) const = default;
};

using Span = std::pair<std::int64_t, std::int64_t>;  // [onset, offset) in milliseconds

// The merged intersections of two lists of spans (one class): what both cover.
std::vector<Span> intersectSpans(const std::vector<Span>& a, const std::vector<Span>& b);

struct TimelineRows {
    bool found = false;  // the video exists
    std::int64_t durationMs = std::int64_t{core::kLlpSegments} * 1000;
    core::ClassSet weak = 0;
    std::vector<store::Event> events;       // GT, corrections, the run's stored predictions
    std::vector<store::Event> thresholded;  // the threshold preview (no ids), when set
    std::optional<store::SegmentProbabilities> probabilities;  // of the shown run
    std::vector<int> classes;                                  // the rows, in class order
    std::vector<ShownEvent> shown;                             // every lane

    const store::Event* event(store::EventId id) const;
    // The run's probability of a cell; the audio-visual lane takes the smaller of the two.
    std::optional<float> probability(Lane lane, int cls, int segment) const;
};

// Reads one video's rows. `thresholds` set: the run's probabilities thresholded replace its
// stored prediction events. A class gets a row when it is a weak label, has an event or a
// preview event, or the run gives it a probability of at least half the run's frame
// threshold somewhere.
TimelineRows loadTimelineRows(const store::Store& store, store::VideoId video,
                              std::optional<store::RunId> run,
                              std::optional<core::Thresholds> thresholds);

// The events of `rows` as drawn (fills rows.shown from events, thresholded and classes).
std::vector<ShownEvent> shownEvents(const TimelineRows& rows);

}  // namespace avvp::ui

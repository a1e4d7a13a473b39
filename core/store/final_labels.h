#pragma once
// The final labels (LabelSelection::finalLabels): the ground truth with an annotator's
// accepted corrections (countsAsAccepted) applied, each label once. A label is its
// modality, class, onset and offset: a ground-truth row stored twice, a correction the
// same as a ground-truth event or as an earlier correction, each is kept once (the first:
// ground truth before corrections, in store order). The export of the final labels,
// `avvp agreement`, the uncertainty queue's reference and adjudication's lanes all take
// their events from here.
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/store/store.h"

namespace avvp::store {

// One video's final labels; `annotator` nullopt: every annotator's corrections.
std::vector<Event> finalEvents(const Store& store, VideoId video,
                               const std::optional<std::string>& annotator);

// The final labels of every video of the split (nullopt: every video) that has any, by
// video: the same as finalEvents of each video, in two queries.
std::unordered_map<VideoId, std::vector<Event>> finalEvents(
    const Store& store, std::optional<core::Split> split,
    const std::optional<std::string>& annotator);

}  // namespace avvp::store

#pragma once
// The uncertainty queue of a model run in the store (issue 18, item 2): the run's stored
// probabilities with each video's reference labels (the final labels: ground truth with
// the accepted corrections applied), ranked by core::rankQueue with the thresholds that
// made the run's events. What `avvp queue` prints and the Queue dock shows.
#include <optional>
#include <string>
#include <vector>

#include "core/review_queue.h"
#include "core/store/store.h"

namespace avvp::store {

struct QueueRequest {
    RunId run = 0;
    std::optional<core::Split> split = {};  // every video when unset
    std::optional<int> cls = {};
    std::optional<core::Modality> modality = {};
    std::size_t limit = 0;  // 0: every queued cell
    float nearWindow = 0.1F;
};

struct StoreQueue {
    std::string run;                     // its name
    std::string thresholds;              // what made the run's events (describeRunThresholds)
    std::vector<std::string> videos;     // the names of QueueItem::video
    std::vector<int> videoSegments;      // each one's segment count
    std::vector<core::QueueItem> items;  // ranked
    std::size_t cells = 0;               // cells looked at (after the filters)
};

// The run's videos (of the split) with probabilities and their reference labels.
std::vector<core::QueueVideo> queueVideos(Store& store, RunId run, std::optional<core::Split> split,
                                          core::Progress* progress = nullptr);

// The ranked queue. Throws core::InputError naming the store when the run does not exist
// or has no probabilities for the selected videos.
StoreQueue uncertaintyQueue(Store& store, const QueueRequest& request,
                            core::Progress* progress = nullptr);

}  // namespace avvp::store

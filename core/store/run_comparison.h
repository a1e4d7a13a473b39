#pragma once
// Two model runs of a store side by side against its ground truth (issue 20, item 5): the
// per-cell outcome (core/run_comparison.h) of every video of a split with ground truth,
// from the runs' prediction events exactly as `avvp eval --store` scores them.
#include <optional>
#include <string>
#include <vector>

#include "core/progress.h"
#include "core/run_comparison.h"
#include "core/store/store.h"

namespace avvp::store {

struct StoreRunComparison {
    std::string runA, runB;
    std::string splitText;  // "test", "all", or "N videos"
    core::RunComparison result;
};

// Runs `runA` and `runB` (by name) over the videos of `split` (every video when unset) or,
// when `videos` is not empty, those named; only videos with ground truth of some modality
// are compared. Throws core::InputError naming the store and quoting the name of a run it
// does not hold (listing the runs it does), or when the selection holds no ground truth.
StoreRunComparison compareStoreRuns(Store& store, const std::string& runA, const std::string& runB,
                                    std::optional<core::Split> split = {},
                                    const std::vector<std::string>& videos = {},
                                    core::Progress* progress = nullptr);

}  // namespace avvp::store

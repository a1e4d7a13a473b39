#pragma once
// Scores a prediction or correction set of the store against the store's ground truth
// with the AVVP scorer (core/evaluation.h), as `avvp eval --store` and the GUI's
// evaluation panel do: events become dense rows of whole seconds (onset rounded down,
// offset up, as the LLP CSV export writes them) and every selected video is scored over
// its own T = core::segmentCount(duration) segments (10 for LLP clips); a set holding a
// video of T != 10 is scored under core::kAvvpAnyLengthProtocol (EvalResult::protocol).
#include <optional>
#include <string>
#include <vector>

#include "core/evaluation.h"
#include "core/store/coverage.h"
#include "core/store/label_exchange.h"
#include "core/store/store.h"

namespace avvp::store {

// Which videos of the selection are scored.
enum class EvalScope { AllVideos, CoveredVideos };

struct StoreEvaluation {
    core::EvalResult result;
    std::string what;       // "the predictions of run X", "the corrections by alice"
    std::string splitText;  // "test", "all", or "N videos"
    Coverage coverage = {};
};

// The scored set: `set.source` (Prediction or Correction) with its run / annotator; the
// videos are those of `set.split` (every video when unset) or, when `set.videos` is not
// empty, those named. Throws core::InputError naming the store when the selection holds
// no video or no ground truth, and EditError-free StoreError on database failures.
// `progress` hears the stages ("ground truth", "predictions", "scoring"). With
// EvalScope::CoveredVideos only the videos the set covers are scored (InputError when it
// covers none); the result's coverage says how many of the selection it covers either way.
StoreEvaluation evaluateSelection(Store& store, const LabelSelection& set,
                                  core::Progress* progress = nullptr,
                                  EvalScope scope = EvalScope::AllVideos);

// The record `avvp eval --save` and the GUI keep in the evaluations table (its split
// reads "test, 4 covered videos" for scores over the covered videos only).
Evaluation evaluationRecord(const StoreEvaluation& e, const LabelSelection& set);

// "the predictions of run NAME", "the corrections", "the corrections by NAME".
std::string describeSelection(const Store& store, const LabelSelection& set);

}  // namespace avvp::store

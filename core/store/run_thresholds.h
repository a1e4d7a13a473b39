#pragma once
// Calibrated thresholds and a model run (issue 20): the run's probabilities with the
// dense ground truth of a split (what calibration and average precision read), the
// thresholds stored with the run (runs.params JSON, key "thresholds"), applying them to
// the run (its prediction events re-thresholded) and scoring the run's probabilities with
// them (the same scorer as evaluateSelection).
#include <optional>
#include <string>
#include <vector>

#include "core/calibration.h"
#include "core/store/store_evaluation.h"

namespace avvp::store {

// The videos of the selection (`set.split`, `set.videos`) that have probabilities of
// `run` and dense ground truth of some modality, in video order, each with its own
// segments. `withoutProbabilities` counts the selected videos with ground truth that the
// run has no probabilities for.
std::vector<core::ScoredVideo> scoredVideos(Store& store, RunId run, const LabelSelection& set,
                                            std::size_t* withoutProbabilities = nullptr);

// Stores the thresholds file's content with the run: runs.params["thresholds"] (the
// calibrated ones) or, `applied`, runs.params["applied_thresholds"] (those that made the
// run's prediction events); the other params stay. Throws EditError when the run does not
// exist.
void setRunThresholds(Store& store, RunId run, const core::ThresholdsFile& thresholds,
                      bool applied = false);
// The thresholds stored with the run (`applied`: those its events were made with), if any.
std::optional<core::ThresholdsFile> runThresholds(const Store& store, RunId run,
                                                  bool applied = false);
// What made the run's prediction events, for score reports: the applied thresholds, else
// the run's own frame and global thresholds.
std::string describeRunThresholds(const Store& store, RunId run);

// Re-thresholds every stored probability of the run into its prediction events and
// records them as its applied thresholds (one transaction; corrections stay). Returns how
// many videos changed.
int applyThresholds(Store& store, RunId run, const core::ThresholdsFile& thresholds);

// evaluateSelection of the run's predictions as `thresholds` make them from its stored
// probabilities (videos without probabilities predict nothing).
StoreEvaluation evaluateWithThresholds(Store& store, const LabelSelection& set,
                                       const core::ClassThresholds& thresholds,
                                       EvalScope scope = EvalScope::AllVideos);

}  // namespace avvp::store

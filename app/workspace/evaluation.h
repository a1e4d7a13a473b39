#pragma once
// Evaluation in the project: one or two label sets of the store (A, optionally B side by
// side) scored against its ground truth with the AVVP scorer, the same code as `avvp eval
// --store` (store::evaluateSelection), on the job's own store connection; and the record
// of the scores in the store's evaluations table.
#include <filesystem>
#include <optional>
#include <string>

#include "core/average_precision.h"
#include "core/prediction.h"
#include "core/progress.h"
#include "core/store/label_exchange.h"
#include "core/store/store_evaluation.h"

namespace avvp::workspace {

struct EvaluationRequest {
    store::LabelSelection a;
    std::optional<store::LabelSelection> b;
    // Score each set over the videos it covers alone (StoreEvaluation::coverage says how
    // many of the split those are, either way).
    bool coveredOnly = false;
};

struct EvaluationResult {
    store::StoreEvaluation a;
    std::optional<store::StoreEvaluation> b;
    // Set A's threshold-free segment-level AP, when A is a run with probabilities.
    std::optional<core::ApReport> apA;
};

// A on the first half of the progress when B is given, B on the second.
EvaluationResult runEvaluation(const std::filesystem::path& store, const std::string& annotator,
                               const EvaluationRequest& request, core::Progress& progress);

// Records the scores of a set (scored on `split`: "test", "all", ...) in the store.
void saveEvaluation(store::Store& store, const core::EvalResult& result,
                    const store::LabelSelection& selection, const std::string& split);

// "Apply to run": re-thresholds the run's stored probabilities into its prediction events
// with `thresholds` (one per modality and a global gate) and records them with the run as
// its applied thresholds (store::applyThresholds). Returns how many videos changed.
int applyRunThresholds(store::Store& store, store::RunId run, const core::Thresholds& thresholds);

}  // namespace avvp::workspace

#include "app/workspace/evaluation.h"

#include "core/store/run_thresholds.h"
#include "core/store/store.h"

namespace avvp::workspace {

EvaluationResult runEvaluation(const std::filesystem::path& storePath, const std::string& annotator,
                               const EvaluationRequest& request, core::Progress& progress) {
    // A connection of this thread (a store belongs to the thread that opens it).
    auto s = store::Store::open(storePath, {.annotator = annotator, .create = false});
    EvaluationResult out;
    core::ProgressRange first(progress, 0.0, request.b ? 0.5 : 1.0);
    const auto scope =
        request.coveredOnly ? store::EvalScope::CoveredVideos : store::EvalScope::AllVideos;
    out.a = store::evaluateSelection(*s, request.a, &first, scope);
    if (request.b) {
        core::ProgressRange second(progress, 0.5, 1.0);
        out.b = store::evaluateSelection(*s, *request.b, &second, scope);
    }
    if (request.a.source == store::Source::Prediction && request.a.run) {
        const auto videos = store::scoredVideos(*s, *request.a.run, request.a);
        if (!videos.empty()) out.apA = core::segmentAveragePrecision(videos);
    }
    return out;
}

void saveEvaluation(store::Store& s, const core::EvalResult& result,
                    const store::LabelSelection& selection, const std::string& split) {
    const store::StoreEvaluation e{result, {}, split};
    s.addEvaluation(store::evaluationRecord(e, selection));
}

int applyRunThresholds(store::Store& store, store::RunId run, const core::Thresholds& thresholds) {
    core::ThresholdsFile f;
    f.mode = "manual";
    f.protocol = "set with the threshold sliders";
    f.thresholds = core::ClassThresholds::uniform(thresholds);
    return store::applyThresholds(store, run, f);
}

}  // namespace avvp::workspace

#include "app/workspace/evaluation.h"

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
    return out;
}

void saveEvaluation(store::Store& s, const core::EvalResult& result,
                    const store::LabelSelection& selection, const std::string& split) {
    const store::StoreEvaluation e{result, {}, split};
    s.addEvaluation(store::evaluationRecord(e, selection));
}

}  // namespace avvp::workspace

#include "core/store/store_evaluation.h"

#include <unordered_set>

#include "core/error.h"
#include "core/formats/label_io.h"
#include "core/quote.h"

namespace avvp::store {

std::string describeSelection(const Store& store, const LabelSelection& set) {
    std::string what;
    if (set.source == Source::Prediction || set.run) {
        std::string name = "?";
        for (const auto& r : store.runs())
            if (set.run && r.id == *set.run) name = r.name;
        what = (set.source == Source::Prediction ? "the predictions of run "
                                                 : "the corrections of run ") +
               name;
    } else {
        what = "the corrections";
    }
    if (set.source == Source::Correction && set.annotator)
        what += " by " + core::quote(*set.annotator);
    return what;
}

std::string Coverage::text() const {
    if (scope == "selected")
        return "covers " + std::to_string(covered) + " of the " + std::to_string(videos) +
               " selected videos";
    return "covers " + std::to_string(covered) + " of " + std::to_string(videos) + " videos " +
           scope;
}

namespace {

// The videos of the selection the set covers: a run's videos with its prediction events or
// probabilities; otherwise those with events of the set.
std::unordered_set<std::string> coveredVideos(const Store& store, const LabelSelection& set,
                                              const core::LabelDocument& labels) {
    std::unordered_set<std::string> out;
    if (set.source == Source::Prediction && set.run) {
        VideoFilter f;
        f.split = set.split;
        f.hasPredictions = true;
        f.run = set.run;
        for (const auto& v : store.videos(f)) out.insert(v.video.filename);
    }
    for (const auto& v : labels.videos)
        if (!v.events.empty()) out.insert(v.filename);
    return out;
}

}  // namespace

StoreEvaluation evaluateSelection(Store& store, const LabelSelection& set, core::Progress* progress,
                                  EvalScope evalScope) {
    StoreEvaluation out;
    out.what = describeSelection(store, set);
    out.splitText = !set.videos.empty() ? std::to_string(set.videos.size()) + " videos"
                    : set.split         ? std::string(core::splitName(*set.split))
                                        : std::string("all");
    core::step(progress, 0.0, "ground truth");
    LabelSelection gt;
    gt.split = set.split;
    gt.videos = set.videos;
    const auto gtDoc = exportLabels(store, gt);
    core::step(progress, 0.4, "predictions");
    const auto predDoc = exportLabels(store, set);
    const std::string scope =
        !set.videos.empty() ? "the selected videos" : "the " + out.splitText + " split";
    if (gtDoc.videos.empty())
        throw core::InputError(store.path().string(), 0, "holds no video of " + scope);
    const auto covered = coveredVideos(store, set, predDoc);
    auto& cov = out.coverage;
    cov.videos = gtDoc.videos.size();
    cov.scope = !set.videos.empty() ? "selected" : set.split ? "of " + scope : "in the store";
    cov.coveredOnly = evalScope == EvalScope::CoveredVideos;
    for (const auto& v : gtDoc.videos) cov.covered += covered.contains(v.filename) ? 1 : 0;
    if (cov.coveredOnly && cov.covered == 0)
        throw core::InputError(store.path().string(), 0,
                               out.what + " covers none of the " + std::to_string(cov.videos) +
                                   " videos " + (set.videos.empty() ? cov.scope : "selected"));
    std::vector<std::string> videos;
    std::vector<int> segments;  // each video's own T (10 for LLP clips)
    bool anyGt = false;
    for (const auto& v : gtDoc.videos) {
        if (cov.coveredOnly && !covered.contains(v.filename)) continue;
        videos.push_back(v.filename);
        segments.push_back(core::segmentCount(v.durationMs));
        anyGt = anyGt || v.covered(core::Modality::Audio) || v.covered(core::Modality::Visual);
    }
    if (!anyGt)
        throw core::InputError(
            store.path().string(), 0,
            "holds no ground truth for " + scope + " (import --gt-audio / --gt-visual)");
    core::step(progress, 0.7, "scoring");
    out.result = core::evaluateRows(videos, core::denseRows(predDoc, core::Modality::Audio),
                                    core::denseRows(predDoc, core::Modality::Visual),
                                    core::denseRows(gtDoc, core::Modality::Audio),
                                    core::denseRows(gtDoc, core::Modality::Visual), segments);
    core::step(progress, 1.0, "scoring");
    return out;
}

Evaluation evaluationRecord(const StoreEvaluation& e, const LabelSelection& set) {
    Evaluation r;
    r.run = set.run;
    r.source = set.source.value_or(Source::Prediction);
    r.annotator = set.annotator.value_or("");
    r.split = e.splitText;
    if (e.coverage.coveredOnly)
        r.split += ", " + std::to_string(e.coverage.covered) + " covered videos";
    r.protocol = e.result.protocol;
    r.videos = static_cast<int>(e.result.videos.size());
    for (std::size_t i = 0; i < static_cast<std::size_t>(core::kNumMetrics); ++i) {
        r.scores[i] = e.result.dataset.segment[i];
        r.scores[i + 5] = e.result.dataset.event[i];
    }
    return r;
}

}  // namespace avvp::store

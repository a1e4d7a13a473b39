#include "core/store/run_comparison.h"

#include "core/error.h"
#include "core/formats/label_io.h"
#include "core/quote.h"
#include "core/store/label_exchange.h"

namespace avvp::store {

StoreRunComparison compareStoreRuns(Store& store, const std::string& runA, const std::string& runB,
                                    std::optional<core::Split> split,
                                    const std::vector<std::string>& videos,
                                    core::Progress* progress) {
    StoreRunComparison out;
    out.runA = runA;
    out.runB = runB;
    const RunId a = store.requireRun(runA).id;
    const RunId b = store.requireRun(runB).id;
    out.splitText = !videos.empty() ? std::to_string(videos.size()) + " videos"
                    : split         ? std::string(core::splitName(*split))
                                    : std::string("all");
    const std::string scope =
        !videos.empty() ? "the selected videos" : "the " + out.splitText + " split";
    core::step(progress, 0.0, "ground truth");
    LabelSelection gt;
    gt.split = split;
    gt.videos = videos;
    const auto gtDoc = exportLabels(store, gt);
    if (gtDoc.videos.empty())
        throw core::InputError(store.path().string(), 0, "holds no video of " + scope);
    core::step(progress, 0.3, "predictions of " + runA);
    LabelSelection sa = gt;
    sa.source = Source::Prediction;
    sa.run = a;
    const auto docA = exportLabels(store, sa);
    core::step(progress, 0.6, "predictions of " + runB);
    LabelSelection sb = sa;
    sb.run = b;
    const auto docB = exportLabels(store, sb);
    std::vector<std::string> names;
    std::vector<int> segments;
    std::vector<std::array<bool, 2>> hasGt;
    for (const auto& v : gtDoc.videos) {
        const bool au = v.covered(core::Modality::Audio);
        const bool vi = v.covered(core::Modality::Visual);
        if (!au && !vi) continue;
        names.push_back(v.filename);
        segments.push_back(core::segmentCount(v.durationMs));
        hasGt.push_back({au, vi});
    }
    if (names.empty())
        throw core::InputError(
            store.path().string(), 0,
            "holds no ground truth for " + scope + " (import --gt-audio / --gt-visual)");
    core::step(progress, 0.9, "comparing");
    out.result = core::compareRuns(
        names, segments, hasGt, core::denseRows(gtDoc, core::Modality::Audio),
        core::denseRows(gtDoc, core::Modality::Visual),
        core::denseRows(docA, core::Modality::Audio), core::denseRows(docA, core::Modality::Visual),
        core::denseRows(docB, core::Modality::Audio),
        core::denseRows(docB, core::Modality::Visual));
    core::step(progress, 1.0, "comparing");
    return out;
}

}  // namespace avvp::store

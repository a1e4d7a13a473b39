#include "core/store/uncertainty_queue.h"

#include <set>
#include <unordered_map>

#include "core/error.h"
#include "core/formats/label_io.h"
#include "core/quote.h"
#include "core/store/label_exchange.h"
#include "core/store/run_thresholds.h"

namespace avvp::store {

std::vector<core::QueueVideo> queueVideos(Store& store, RunId run, std::optional<core::Split> split,
                                          core::Progress* progress) {
    core::report(progress, 0.0, "probabilities");
    std::unordered_map<VideoId, std::string> names;
    {
        VideoFilter f;
        f.split = split;
        for (const auto& v : store.videos(f)) names.emplace(v.video.id, v.video.filename);
    }
    std::vector<core::QueueVideo> out;
    std::unordered_map<std::string, std::size_t> index;
    for (auto& p : store.probabilities(run, split)) {
        const auto name = names.find(p.video);
        if (name == names.end()) continue;
        core::QueueVideo qv;
        qv.name = name->second;
        qv.segments = p.segments;
        qv.frame = std::move(p.frame);
        qv.global = std::move(p.global);
        index.emplace(qv.name, out.size());
        out.push_back(std::move(qv));
    }
    core::step(progress, 0.3, "reference labels");
    // The reference: the final labels (ground truth with the accepted corrections).
    LabelSelection finals;
    finals.finalLabels = true;
    finals.split = split;
    const auto doc = exportLabels(store, finals);
    for (const auto& v : doc.videos) {
        const auto it = index.find(v.filename);
        if (it == index.end()) continue;
        auto& qv = out[it->second];
        for (auto m : core::kModalities)
            if (v.covered(m))
                qv.reference[static_cast<std::size_t>(m)] = core::LabelGrid(qv.segments);
    }
    for (auto m : core::kModalities)
        for (const auto& row : core::denseRows(doc, m)) {
            const auto it = index.find(row.filename);
            if (it == index.end()) continue;
            auto& ref = out[it->second].reference[static_cast<std::size_t>(m)];
            if (ref) ref->fill(row.cls, row.onset, row.offset);
        }
    // Which references hold a person's corrections.
    EventFilter corrections;
    corrections.split = split;
    corrections.source = Source::Correction;
    for (const auto& e : store.events(corrections)) {
        const auto name = names.find(e.video);
        if (name == names.end()) continue;
        const auto it = index.find(name->second);
        if (it == index.end()) continue;
        out[it->second].corrected[static_cast<std::size_t>(e.modality)] = true;
    }
    core::step(progress, 0.5, "ranking");
    return out;
}

StoreQueue uncertaintyQueue(Store& store, const QueueRequest& request, core::Progress* progress) {
    std::optional<Run> run;
    for (const auto& r : store.runs())
        if (r.id == request.run) run = r;
    if (!run)
        throw core::InputError(store.path().string(), 0,
                               "holds no run with id " + std::to_string(request.run));
    auto videos = queueVideos(store, run->id, request.split, progress);
    if (videos.empty())
        throw core::InputError(
            store.path().string(), 0,
            "run " + core::quote(run->name) + " has no probabilities" +
                (request.split
                     ? " for the " + std::string(core::splitName(*request.split)) + " split"
                     : std::string()) +
                " (a run made by `avvp infer --store` or the app's model run stores them)");
    core::QueueOptions o;
    if (const auto applied = runThresholds(store, run->id, true))
        o.thresholds = applied->thresholds;
    else
        o.thresholds = core::ClassThresholds::uniform(
            {run->frameThreshold, run->frameThreshold, run->globalThreshold});
    o.cls = request.cls;
    o.modality = request.modality;
    o.limit = request.limit;
    o.nearWindow = request.nearWindow;
    std::optional<core::ProgressRange> ranking;
    if (progress) ranking.emplace(*progress, 0.5, 1.0);
    StoreQueue q;
    q.run = run->name;
    q.thresholds = describeRunThresholds(store, run->id);
    q.items = core::rankQueue(videos, o, ranking ? &*ranking : nullptr);
    for (const auto& v : videos) {
        q.cells += static_cast<std::size_t>(v.segments) *
                   (request.cls ? 1U : static_cast<std::size_t>(core::kNumClasses)) *
                   (request.modality ? 1U : 2U);
        q.videos.push_back(v.name);
        q.videoSegments.push_back(v.segments);
    }
    return q;
}

}  // namespace avvp::store

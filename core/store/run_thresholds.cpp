#include "core/store/run_thresholds.h"

#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/formats/label_io.h"
#include "core/store/store_impl.h"

namespace avvp::store {

namespace {

std::string runName(const Store& store, RunId run) {
    for (const auto& r : store.runs())
        if (r.id == run) return r.name;
    throw EditError("no run with id " + std::to_string(run));
}

// id -> filename of the selected videos.
std::unordered_map<VideoId, std::string> videoNames(const Store& store,
                                                    std::optional<core::Split> split) {
    VideoFilter f;
    f.split = split;
    std::unordered_map<VideoId, std::string> out;
    for (const auto& v : store.videos(f)) out.emplace(v.video.id, v.video.filename);
    return out;
}

}  // namespace

std::vector<core::ScoredVideo> scoredVideos(Store& store, RunId run, const LabelSelection& set,
                                            std::size_t* withoutProbabilities) {
    LabelSelection gt;
    gt.split = set.split;
    gt.videos = set.videos;
    const auto gtDoc = exportLabels(store, gt);
    std::unordered_map<std::string, std::size_t> index;  // filename -> gtDoc.videos
    for (std::size_t i = 0; i < gtDoc.videos.size(); ++i) {
        const auto& v = gtDoc.videos[i];
        if (v.covered(core::Modality::Audio) || v.covered(core::Modality::Visual))
            index.emplace(v.filename, i);
    }
    const auto names = videoNames(store, set.split);
    std::vector<core::ScoredVideo> out;
    std::unordered_map<std::string, std::size_t> outIndex;
    for (auto& p : store.probabilities(run, set.split)) {
        const auto name = names.find(p.video);
        if (name == names.end() || !index.contains(name->second)) continue;
        core::ScoredVideo sv;
        sv.name = name->second;
        sv.segments = p.segments;
        sv.frame = std::move(p.frame);
        sv.global = std::move(p.global);
        sv.gtAudio = core::LabelGrid(p.segments);
        sv.gtVisual = core::LabelGrid(p.segments);
        outIndex.emplace(sv.name, out.size());
        out.push_back(std::move(sv));
    }
    for (auto m : core::kModalities)
        for (const auto& row : core::denseRows(gtDoc, m)) {
            const auto it = outIndex.find(row.filename);
            if (it == outIndex.end()) continue;
            auto& sv = out[it->second];
            (m == core::Modality::Audio ? sv.gtAudio : sv.gtVisual)
                .fill(row.cls, row.onset, row.offset);
        }
    if (withoutProbabilities) *withoutProbabilities = index.size() - out.size();
    return out;
}

void setRunThresholds(Store& store, RunId run, const core::ThresholdsFile& thresholds,
                      bool applied) {
    auto& d = store.impl();
    Store::Transaction tx(store);
    std::optional<std::string> params;
    {
        Rows r(d.run("SELECT params FROM runs WHERE id = ?", run));
        if (r.next()) params = r.str(0);
    }
    if (!params) throw EditError("no run with id " + std::to_string(run));
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    try {
        if (!params->empty()) j = nlohmann::ordered_json::parse(*params);
    } catch (const nlohmann::json::exception&) {
        j = nlohmann::ordered_json::object();  // unreadable params: keep them aside
        j["previous_params"] = *params;
    }
    if (!j.is_object()) j = nlohmann::ordered_json{{"previous_params", *params}};
    j[applied ? "applied_thresholds" : "thresholds"] =
        nlohmann::ordered_json::parse(core::thresholdsJson(thresholds));
    d.run("UPDATE runs SET params = ? WHERE id = ?", j.dump(), run);
    d.changed({.runs = true});
    tx.commit();
}

std::optional<core::ThresholdsFile> runThresholds(const Store& store, RunId run, bool applied) {
    const char* key = applied ? "applied_thresholds" : "thresholds";
    for (const auto& r : store.runs()) {
        if (r.id != run) continue;
        try {
            const auto j = nlohmann::json::parse(r.params);
            if (!j.is_object() || !j.contains(key)) return std::nullopt;
            auto f = core::parseThresholdsJson(j[key].dump(),
                                               "the thresholds stored with run " + r.name);
            f.source.clear();
            return f;
        } catch (const nlohmann::json::exception&) {
            return std::nullopt;
        } catch (const core::InputError&) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::string describeRunThresholds(const Store& store, RunId run) {
    if (auto f = runThresholds(store, run, true))
        return core::describeThresholds(*f) + ", applied to the run";
    for (const auto& r : store.runs())
        if (r.id == run)
            return core::describeThresholds(
                       core::Thresholds::frame(r.frameThreshold, r.globalThreshold)) +
                   " (the run's own)";
    return "unknown";
}

int applyThresholds(Store& store, RunId run, const core::ThresholdsFile& file) {
    (void)runName(store, run);
    const auto& thresholds = file.thresholds;
    Store::Transaction tx(store);
    int changed = 0;
    for (const auto& p : store.probabilities(run)) {
        std::optional<std::int64_t> endMs;
        if (const auto v = store.video(p.video)) endMs = v->eventLimitMs();
        std::vector<NewEvent> ev[2];
        for (const auto& s : core::thresholdSpans(p.frame, p.global, p.segments, thresholds)) {
            const std::int64_t on = std::int64_t{s.onset} * 1000;
            std::int64_t off = std::int64_t{s.offset} * 1000;
            if (endMs && off > *endMs) off = *endMs;
            if (off <= on) continue;
            ev[static_cast<std::size_t>(s.modality)].push_back({s.modality, s.cls, on, off});
        }
        bool any = false;
        for (auto m : core::kModalities)
            any = store.replaceEvents(p.video, m, Source::Prediction,
                                      ev[static_cast<std::size_t>(m)], run) ||
                  any;
        changed += any ? 1 : 0;
    }
    setRunThresholds(store, run, file, true);
    tx.commit();
    return changed;
}

StoreEvaluation evaluateWithThresholds(Store& store, const LabelSelection& set,
                                       const core::ClassThresholds& thresholds, EvalScope scope) {
    if (!set.run) throw core::InputError(store.path().string(), 0, "no run to score");
    StoreEvaluation out;
    out.what = describeSelection(store, set);
    out.splitText = !set.videos.empty() ? std::to_string(set.videos.size()) + " videos"
                    : set.split         ? std::string(core::splitName(*set.split))
                                        : std::string("all");
    LabelSelection gt;
    gt.split = set.split;
    gt.videos = set.videos;
    const auto gtDoc = exportLabels(store, gt);
    const std::string what =
        !set.videos.empty() ? "the selected videos" : "the " + out.splitText + " split";
    if (gtDoc.videos.empty())
        throw core::InputError(store.path().string(), 0, "holds no video of " + what);
    const auto names = videoNames(store, set.split);
    std::unordered_map<std::string, std::vector<core::SegmentSpan>> spans;
    for (const auto& p : store.probabilities(*set.run, set.split)) {
        const auto n = names.find(p.video);
        if (n == names.end()) continue;
        spans.emplace(n->second, core::thresholdSpans(p.frame, p.global, p.segments, thresholds));
    }
    auto& cov = out.coverage;
    cov.videos = gtDoc.videos.size();
    cov.scope = !set.videos.empty() ? "selected" : set.split ? "of " + what : "in the store";
    cov.coveredOnly = scope == EvalScope::CoveredVideos;
    std::vector<std::string> videos;
    std::vector<int> segments;
    std::vector<core::DenseLabelRow> pred[2];
    bool anyGt = false;
    for (const auto& v : gtDoc.videos) {
        const auto it = spans.find(v.filename);
        const bool covered = it != spans.end();
        cov.covered += covered ? 1 : 0;
        if (cov.coveredOnly && !covered) continue;
        videos.push_back(v.filename);
        segments.push_back(core::segmentCount(v.durationMs));
        anyGt = anyGt || v.covered(core::Modality::Audio) || v.covered(core::Modality::Visual);
        if (covered)
            for (const auto& s : it->second)
                pred[static_cast<std::size_t>(s.modality)].push_back(
                    {v.filename, s.onset, s.offset, s.cls, 0});
    }
    if (videos.empty())
        throw core::InputError(store.path().string(), 0,
                               out.what + " has probabilities for none of the videos of " + what);
    if (!anyGt)
        throw core::InputError(
            store.path().string(), 0,
            "holds no ground truth for " + what + " (import --gt-audio / --gt-visual)");
    out.result =
        core::evaluateRows(videos, pred[0], pred[1], core::denseRows(gtDoc, core::Modality::Audio),
                           core::denseRows(gtDoc, core::Modality::Visual), segments);
    return out;
}

}  // namespace avvp::store

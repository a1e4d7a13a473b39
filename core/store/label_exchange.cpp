#include "core/store/label_exchange.h"
#include "core/quote.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "core/error.h"
#include "core/store/final_labels.h"
#include "core/store/store_impl.h"

namespace avvp::store {

bool countsAsAccepted(const Event& correction, const std::optional<Event>& origin) {
    if (correction.source != Source::Correction) return false;
    return !(correction.origin && origin && origin->review == Review::Rejected);
}

core::LabelDocument exportLabels(Store& store, const LabelSelection& sel) {
    VideoFilter vf;
    vf.split = sel.split;
    auto videos = store.videos(vf);
    std::unordered_map<RunId, std::string> runNames;
    for (const auto& r : store.runs()) runNames.emplace(r.id, r.name);

    std::unordered_map<VideoId, std::vector<Event>> byVideo;
    if (sel.finalLabels) {
        byVideo = finalEvents(store, sel.split, sel.annotator);
    } else {
        EventFilter ef;
        ef.split = sel.split;
        ef.source = sel.source;
        ef.run = sel.run;
        ef.annotator = sel.annotator;
        for (auto& e : store.events(ef)) byVideo[e.video].push_back(std::move(e));
    }

    const std::set<std::string> wanted(sel.videos.begin(), sel.videos.end());
    core::LabelDocument doc;
    doc.videos.reserve(videos.size());
    for (const auto& s : videos) {
        const auto& v = s.video;
        if (!wanted.empty() && !wanted.contains(v.filename)) continue;
        core::LabelVideo lv;
        lv.filename = v.filename;
        if (v.split) lv.split = std::string(core::splitName(*v.split));
        lv.durationMs = v.durationMs;
        lv.media = v.mediaPath;
        lv.weak = v.weak;
        lv.covers = sel.finalLabels ||
                            (sel.source != Source::Prediction && sel.source != Source::Correction)
                        ? v.groundTruth
                        : std::array<bool, 2>{true, true};
        if (const auto it = byVideo.find(v.id); it != byVideo.end()) {
            for (const auto& e : it->second) {
                core::LabelEvent le;
                le.modality = e.modality;
                le.cls = e.cls;
                le.onsetMs = e.onsetMs;
                le.offsetMs = e.offsetMs;
                le.source = std::string(sourceName(e.source));
                if (e.run)
                    if (const auto r = runNames.find(*e.run); r != runNames.end())
                        le.run = r->second;
                le.annotator = e.annotator;
                if (e.review != Review::None) le.review = std::string(reviewName(e.review));
                lv.covers[static_cast<std::size_t>(e.modality)] = true;
                lv.events.push_back(std::move(le));
            }
        }
        doc.videos.push_back(std::move(lv));
    }
    if (!wanted.empty())
        for (const auto& name : wanted)
            if (!doc.find(name))
                throw core::InputError(store.path().string(), 0,
                                       "has no video named " + core::quote(name));
    return doc;
}

namespace {

// Whether an imported document's duration of a video is stored: for a video the import
// creates, or one of unknown duration without media when importing ground truth. A known
// duration (from the media, or LLP's 10 s) is never changed by label files, and
// predictions or corrections (a TextGrid of a model's output) never set one.
bool takesDuration(const std::optional<Video>& existing, const LabelImportOptions& o) {
    if (!existing) return true;
    return existing->durationMs <= 0 && existing->mediaPath.empty() &&
           o.source == Source::GroundTruth;
}

// The video as it will be after the import (split and duration), for checking times.
Video videoAfterImport(const std::optional<Video>& existing, const core::LabelVideo& v,
                       const LabelImportOptions& o) {
    Video out = existing.value_or(Video{});
    out.filename = v.filename;
    if (!v.split.empty())
        if (const auto split = core::splitFromName(v.split)) out.split = split;
    if (v.durationMs > 0 && takesDuration(existing, o)) out.durationMs = v.durationMs;
    return out;
}

// Where a group of imported events goes.
struct Target {
    Source source = Source::GroundTruth;
    std::string run;
    std::string annotator;
    auto operator<=>(const Target&) const = default;
};

}  // namespace

ImportReport importLabels(Store& store, const core::LabelDocument& doc, const LabelImportOptions& o,
                          core::Progress* progress) {
    ImportReport report;
    report.anomalies = doc.notes;
    std::set<std::string> files;
    for (const auto& v : doc.videos)
        if (!v.file.empty()) files.insert(v.file);
    report.filesRead.assign(files.begin(), files.end());
    if (o.source == Source::Prediction && o.run.empty())
        throw core::InputError("", 0, "importing predictions needs the name of their run");
    const std::string me = o.annotator.empty() ? store.annotator() : o.annotator;
    const Target fallback{o.source, o.source == Source::Prediction ? o.run : std::string(),
                          o.source == Source::Correction ? me : std::string()};
    // The group an event goes to: predictions by run, corrections by annotator.
    auto targetOf = [&](const core::LabelEvent& e, const core::LabelVideo& v) {
        if (e.source.empty() || !o.keepProvenance) return fallback;
        Target t;
        const auto src = sourceFromName(e.source);
        if (!src) throw core::InputError(v.file, e.line, "unknown source " + core::quote(e.source));
        t.source = *src;
        if (t.source == Source::Prediction) {
            t.run = e.run.empty() ? o.run : e.run;
            if (t.run.empty())
                throw core::InputError(v.file, e.line, "a prediction without the name of its run");
        }
        if (t.source == Source::Correction) t.annotator = e.annotator.empty() ? me : e.annotator;
        return t;
    };
    // Every event's target and time are checked before anything is written.
    std::vector<std::optional<Video>> known(doc.videos.size());
    for (std::size_t i = 0; i < doc.videos.size(); ++i) {
        const auto& v = doc.videos[i];
        for (const auto& e : v.events) targetOf(e, v);
        known[i] = store.videoByName(v.filename);
        if (!known[i] && !o.addVideos) continue;  // an orphan: skipped below
        const auto limit = videoAfterImport(known[i], v, o).eventLimitMs();
        if (!limit) continue;
        for (const auto& e : v.events)
            if (e.offsetMs > *limit)
                throw core::InputError(
                    v.file, e.line,
                    "the " + std::string(core::kClassNames.at(static_cast<std::size_t>(e.cls))) +
                        " (" + std::string(core::modalityName(e.modality)) + ") event of " +
                        core::quote(v.filename) + " " + pastEndText(e.offsetMs, *limit));
    }

    Store::Transaction tx(store);
    std::map<std::string, RunId> runs;
    auto runId = [&](const std::string& name) {
        auto it = runs.find(name);
        if (it == runs.end()) it = runs.emplace(name, store.addRun({.name = name})).first;
        return it->second;
    };
    for (std::size_t i = 0; i < doc.videos.size(); ++i) {
        if (i % 256 == 0)
            core::step(progress, static_cast<double>(i) / static_cast<double>(doc.videos.size()),
                       "labels");
        const auto& v = doc.videos[i];
        const auto& existing = known[i];
        if (!existing && !o.addVideos) {
            report.anomalies.push_back({core::AnomalyKind::Orphan, v.file, v.line,
                                        core::quote(v.filename) + " is not a video of the store"});
            continue;
        }
        NewVideo nv;
        nv.filename = v.filename;
        if (!v.split.empty()) nv.split = core::splitFromName(v.split);
        nv.durationMs = takesDuration(existing, o) ? v.durationMs : 0;
        if (existing && nv.durationMs == 0 && v.durationMs > 0 && existing->durationMs > 0 &&
            v.durationMs != existing->durationMs)
            report.anomalies.push_back(
                {core::AnomalyKind::Ignored, v.file, v.line,
                 core::quote(v.filename) + ": the file's duration (" + secondsText(v.durationMs) +
                     ") differs from the video's (" + secondsText(existing->durationMs) +
                     "); the video keeps its own"});
        nv.mediaPath = v.media;
        const bool differs = !existing || (nv.split && existing->split != nv.split) ||
                             (nv.durationMs > 0 && existing->durationMs != nv.durationMs) ||
                             (!nv.mediaPath.empty() && existing->mediaPath != nv.mediaPath);
        const VideoId id = differs ? store.ensureVideo(nv) : existing->id;
        if (!existing)
            ++report.videosAdded;
        else if (differs)
            ++report.videosUpdated;
        // Weak labels are ground truth: a file of predictions or corrections (an LLP
        // export of a run, whose weak files follow its events) gives them only to the
        // videos it creates.
        if (v.weak &&
            (!existing || (o.source == Source::GroundTruth && existing->weak != *v.weak))) {
            store.setWeakLabels(id, *v.weak);
            if (existing && !differs) ++report.videosUpdated;
        }
        std::map<Target, std::array<std::vector<NewEvent>, 2>> groups;
        for (auto m : core::kModalities)
            if (v.covered(m))
                groups[fallback];  // a covered modality clears what the file leaves out
        for (const auto& e : v.events) {
            NewEvent ne{e.modality, e.cls, e.onsetMs, e.offsetMs};
            ne.review = e.review == "accepted"   ? Review::Accepted
                        : e.review == "rejected" ? Review::Rejected
                                                 : Review::None;
            const auto t = targetOf(e, v);
            if (o.keepProvenance) {
                ne.annotator = e.annotator;
                if (t.source == Source::Correction && !e.run.empty()) ne.run = runId(e.run);
            } else {
                ne.review = Review::None;
            }
            groups[t][static_cast<std::size_t>(e.modality)].push_back(std::move(ne));
        }
        for (const auto& [target, byModality] : groups) {
            const std::optional<RunId> run = target.source == Source::Prediction
                                                 ? std::optional<RunId>(runId(target.run))
                                                 : std::nullopt;
            for (auto m : core::kModalities) {
                const auto& events = byModality[static_cast<std::size_t>(m)];
                if (!v.covered(m) && events.empty()) continue;
                if (store.replaceEvents(id, m, target.source, events, run, target.annotator))
                    ++report.labelSetsChanged;
                report.eventsImported += static_cast<std::int64_t>(events.size());
            }
        }
    }
    tx.commit();
    core::report(progress, 1, "labels");
    return report;
}

}  // namespace avvp::store

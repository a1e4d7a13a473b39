#include "core/store/annotator_agreement.h"

#include <algorithm>
#include <set>

#include "core/error.h"
#include "core/formats/label_io.h"
#include "core/quote.h"
#include "core/store/label_exchange.h"

namespace avvp::store {

std::vector<std::string> correctionAnnotators(const Store& store) {
    EventFilter f;
    f.source = Source::Correction;
    std::set<std::string> names;
    for (const auto& e : store.events(f)) names.insert(e.annotator);
    return {names.begin(), names.end()};
}

namespace {

std::set<std::string> correctedVideos(const Store& store, const std::string& annotator,
                                      std::optional<core::Split> split) {
    EventFilter f;
    f.source = Source::Correction;
    f.annotator = annotator;
    f.split = split;
    std::set<VideoId> ids;
    for (const auto& e : store.events(f)) ids.insert(e.video);
    std::set<std::string> names;
    for (const auto id : ids)
        if (const auto v = store.video(id)) names.insert(v->filename);
    return names;
}

}  // namespace

StoreAgreement annotatorAgreement(Store& store, const AgreementRequest& request,
                                  core::Progress* progress) {
    const auto known = correctionAnnotators(store);
    for (const auto* name : {&request.reference, &request.other}) {
        if (std::find(known.begin(), known.end(), *name) != known.end()) continue;
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + core::quote(k);
        throw core::InputError(store.path().string(), 0,
                               "has no correction by annotator " + core::quote(*name) +
                                   (known.empty() ? " (it holds no correction at all)"
                                                  : " (annotators: " + list + ")"));
    }
    StoreAgreement out;
    out.splitText = request.split ? std::string(core::splitName(*request.split)) : "all";
    core::step(progress, 0.0, "labels of " + request.reference);
    LabelSelection a;
    a.finalLabels = true;
    a.annotator = request.reference;
    a.split = request.split;
    LabelSelection b = a;
    b.annotator = request.other;
    if (request.onlyEdited) {
        const auto ea = correctedVideos(store, request.reference, request.split);
        const auto eb = correctedVideos(store, request.other, request.split);
        for (const auto& v : ea)
            if (eb.contains(v)) a.videos.push_back(v);
        if (a.videos.empty())
            throw core::InputError(store.path().string(), 0,
                                   "holds no video of the " + out.splitText + " split that both " +
                                       core::quote(request.reference) + " and " +
                                       core::quote(request.other) + " corrected");
        b.videos = a.videos;
    }
    const auto docA = exportLabels(store, a);
    core::step(progress, 0.4, "labels of " + request.other);
    const auto docB = exportLabels(store, b);
    if (docA.videos.empty())
        throw core::InputError(store.path().string(), 0,
                               "holds no video of the " + out.splitText + " split");
    if (request.onlyEdited) {
        VideoFilter vf;
        vf.split = request.split;
        out.leftOut = store.videos(vf).size() - docA.videos.size();
    }
    std::vector<std::string> videos;
    std::vector<int> segments;
    for (const auto& v : docA.videos) {
        videos.push_back(v.filename);
        segments.push_back(core::segmentCount(v.durationMs));
    }
    core::step(progress, 0.7, "scoring");
    out.result = core::computeAgreement(
        std::move(videos), segments, core::denseRows(docA, core::Modality::Audio),
        core::denseRows(docA, core::Modality::Visual), core::denseRows(docB, core::Modality::Audio),
        core::denseRows(docB, core::Modality::Visual));
    core::step(progress, 1.0, "scoring");
    return out;
}

}  // namespace avvp::store

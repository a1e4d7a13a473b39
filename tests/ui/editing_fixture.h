#pragma once
// The store the editing tests share (tst_timeline_editing, tst_event_table): one 10 s
// video with ground truth Dog heard 2-5 s and seen 0-3 s, and a run predicting Speech heard
// 6-8 s.
#include <filesystem>

#include "core/prediction.h"
#include "core/store/store.h"
#include "core/taxonomy.h"

namespace avvp::ui::test {

inline const int kDog = *core::classIndex("Dog");
inline const int kSpeech = *core::classIndex("Speech");

struct EditingFixture {
    store::VideoId video = 0;
    store::EventId audioDog = 0, visualDog = 0, predSpeech = 0;
    store::RunId run = 0;
};

inline EditingFixture makeEditingStore(const std::filesystem::path& path) {
    using store::Source;
    auto s = store::Store::open(path, {.annotator = "alice"});
    EditingFixture f;
    f.video =
        s->ensureVideo({.filename = "clip_0_10", .split = core::Split::Test, .durationMs = 10000});
    s->replaceEvents(f.video, core::Modality::Audio, Source::GroundTruth,
                     {{core::Modality::Audio, kDog, 2000, 5000}});
    s->replaceEvents(f.video, core::Modality::Visual, Source::GroundTruth,
                     {{core::Modality::Visual, kDog, 0, 3000}});
    store::Run run;
    run.name = "test-run";
    f.run = s->addRun(run);
    store::SegmentProbabilities p;
    p.video = f.video;
    p.frame.assign(10 * 2 * 25, 0.05F);
    p.global.assign(25, 0.05F);
    for (int t = 6; t < 8; ++t) p.frame[core::frameIndex(t, core::Modality::Audio, kSpeech)] = 0.9F;
    p.global[static_cast<std::size_t>(kSpeech)] = 0.9F;
    s->putProbabilities(f.run, {p});
    for (const auto& e : s->events(f.video)) {
        if (e.source == Source::Prediction) f.predSpeech = e.id;
        if (e.source == Source::GroundTruth)
            (e.modality == core::Modality::Audio ? f.audioDog : f.visualDog) = e.id;
    }
    return f;
}

}  // namespace avvp::ui::test

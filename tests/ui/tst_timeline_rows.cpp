// What the timeline shows of a video, from the store alone (no widgets): events of the
// shown run only, the threshold preview replacing the stored predictions, the rows that get
// a class, the derived audio-visual events (rejected predictions are not heard-and-seen),
// the probabilities per lane, and a video's own length.
#include "ui/timeline/timeline_rows.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/prediction.h"
#include "core/store/store.h"
#include "tests/test_util.h"

using namespace avvp;
using namespace avvp::ui;
using store::Source;

namespace {

const int kDog = *core::classIndex("Dog");
const int kCat = *core::classIndex("Cat");
const int kSpeech = *core::classIndex("Speech");
const int kBanjo = *core::classIndex("Banjo");

struct Fixture {
    std::unique_ptr<store::Store> s;
    store::VideoId video = 0;
    store::RunId run = 0, other = 0;
};

// A 10 s video: Dog heard 2-5 s and seen 0-3 s (weak labels Dog, Banjo); run A predicts
// Speech heard and seen 6-8 s (probability 0.9) and Cat seen weakly (0.3) at 1 s; run B
// predicts Dog heard 0-1 s.
Fixture make(const std::filesystem::path& path) {
    Fixture f;
    f.s = store::Store::open(path, {.annotator = "alice"});
    f.video = f.s->ensureVideo(
        {.filename = "clip_0_10", .split = core::Split::Test, .durationMs = 10000});
    f.s->setWeakLabels(f.video, (1U << kDog) | (1U << kBanjo));
    f.s->replaceEvents(f.video, core::Modality::Audio, Source::GroundTruth,
                       {{core::Modality::Audio, kDog, 2000, 5000}});
    f.s->replaceEvents(f.video, core::Modality::Visual, Source::GroundTruth,
                       {{core::Modality::Visual, kDog, 0, 3000}});
    f.run = f.s->addRun({.name = "A"});
    store::SegmentProbabilities p;
    p.video = f.video;
    p.frame.assign(core::frameSize(10), 0.01F);
    p.global.assign(25, 0.01F);
    for (int t = 6; t < 8; ++t) {
        p.frame[core::frameIndex(t, core::Modality::Audio, kSpeech)] = 0.9F;
        p.frame[core::frameIndex(t, core::Modality::Visual, kSpeech)] = 0.8F;
    }
    p.global[static_cast<std::size_t>(kSpeech)] = 0.9F;
    p.frame[core::frameIndex(1, core::Modality::Visual, kCat)] = 0.3F;
    p.global[static_cast<std::size_t>(kCat)] = 0.6F;
    f.s->putProbabilities(f.run, {p});
    f.other = f.s->addRun({.name = "B"});
    store::SegmentProbabilities q = p;
    q.frame.assign(core::frameSize(10), 0.0F);
    q.global.assign(25, 0.0F);
    q.frame[core::frameIndex(0, core::Modality::Audio, kDog)] = 1.0F;
    q.global[static_cast<std::size_t>(kDog)] = 1.0F;
    f.s->putProbabilities(f.other, {q});
    return f;
}

int count(const std::vector<ShownEvent>& shown, Lane lane, Source source) {
    int n = 0;
    for (const auto& e : shown) n += e.lane == lane && e.source == source;
    return n;
}

}  // namespace

TEST(TimelineRows, EventsOfTheShownRunAndTheirClasses) {
    avvp::test::TempDir dir("timeline_rows");
    auto f = make(dir / "s.avvpstore");
    const auto rows = loadTimelineRows(*f.s, f.video, f.run, std::nullopt);
    ASSERT_TRUE(rows.found);
    EXPECT_EQ(rows.durationMs, 10000);
    // GT Dog twice, run A's two Speech predictions; run B's Dog prediction is not shown.
    ASSERT_EQ(rows.events.size(), 4U);
    for (const auto& e : rows.events)
        if (e.source == Source::Prediction) {
            EXPECT_EQ(e.run, std::optional(f.run));
        }
    EXPECT_TRUE(rows.thresholded.empty());
    // Rows: the weak labels (Dog, Banjo), Speech (events) and Cat (0.3 >= half of the run's
    // 0.5 frame threshold), in class order.
    std::vector<int> expected = {kDog, kBanjo, kSpeech, kCat};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(rows.classes, expected);
    ASSERT_TRUE(rows.probabilities);
    EXPECT_FLOAT_EQ(*rows.probability(Lane::Audio, kSpeech, 6), 0.9F);
    EXPECT_FLOAT_EQ(*rows.probability(Lane::AudioVisual, kSpeech, 6), 0.8F);  // the smaller
    EXPECT_FALSE(rows.probability(Lane::Audio, kSpeech, 10));
    // Derived audio-visual: Dog 2-3 s (GT) and Speech 6-8 s (predictions).
    std::vector<ShownEvent> av;
    for (const auto& e : rows.shown)
        if (e.lane == Lane::AudioVisual) av.push_back(e);
    ASSERT_EQ(av.size(), 2U);
    EXPECT_EQ(av[0], (ShownEvent{std::nullopt, Lane::AudioVisual, kDog, Source::GroundTruth, 2000,
                                 3000, store::Review::None}));
    EXPECT_EQ(av[1].cls, kSpeech);
    EXPECT_EQ(av[1].source, Source::Prediction);
    EXPECT_EQ(std::make_pair(av[1].onsetMs, av[1].offsetMs),
              std::make_pair(std::int64_t{6000}, std::int64_t{8000}));

    // Without a run: no predictions, no probabilities, only the weak and GT classes.
    const auto none = loadTimelineRows(*f.s, f.video, std::nullopt, std::nullopt);
    EXPECT_EQ(none.events.size(), 2U);
    EXPECT_FALSE(none.probabilities);
    EXPECT_EQ(none.classes, (std::vector<int>{std::min(kDog, kBanjo), std::max(kDog, kBanjo)}));
}

TEST(TimelineRows, ThresholdPreviewReplacesTheStoredPredictions) {
    avvp::test::TempDir dir("timeline_rows");
    auto f = make(dir / "s.avvpstore");
    core::Thresholds th;
    th.visual = 0.25F;  // Cat's 0.3 at 1 s passes now; Speech as stored
    const auto rows = loadTimelineRows(*f.s, f.video, f.run, th);
    for (const auto& e : rows.events) EXPECT_NE(e.source, Source::Prediction);
    ASSERT_EQ(rows.thresholded.size(), 3U);  // Speech heard, Speech seen, Cat seen
    int cat = 0;
    for (const auto& e : rows.thresholded) {
        EXPECT_EQ(e.id, 0);  // a preview: not an event of the store
        if (e.cls == kCat) {
            ++cat;
            EXPECT_EQ(e.modality, core::Modality::Visual);
            EXPECT_EQ(std::make_pair(e.onsetMs, e.offsetMs),
                      std::make_pair(std::int64_t{1000}, std::int64_t{2000}));
        }
    }
    EXPECT_EQ(cat, 1);
    // The preview's events are drawn without ids (not editable).
    for (const auto& s : rows.shown)
        if (s.source == Source::Prediction) {
            EXPECT_FALSE(s.id);
        }
    EXPECT_EQ(count(rows.shown, Lane::Visual, Source::Prediction), 2);
    // The global threshold stops every class below it.
    th.global = 0.95F;
    EXPECT_TRUE(loadTimelineRows(*f.s, f.video, f.run, th).thresholded.empty());
}

// The threshold sliders on a long video run in windows: each window's own global gate, and
// the partial last second ending at the video's end.
TEST(TimelineRows, ThresholdPreviewOfAWindowedRun) {
    avvp::test::TempDir dir("timeline_rows_long");
    auto s = store::Store::open(dir / "s.avvpstore", {.annotator = "alice"});
    const auto video = s->ensureVideo({.filename = "my long video", .durationMs = 24500});
    const auto run = s->addRun({.name = "windowed"});
    store::SegmentProbabilities p;
    p.video = video;
    p.segments = 25;
    p.frame.assign(core::frameSize(25), 0.0F);
    for (int t = 0; t < 25; ++t) p.frame[core::frameIndex(t, core::Modality::Audio, kDog)] = 0.6F;
    p.global.assign(3 * 25, 0.9F);
    p.global[1 * 25 + static_cast<std::size_t>(kDog)] = 0.3F;  // window 2 (10-20 s): gate shut
    s->putProbabilities(run, {p});
    const auto rows = loadTimelineRows(*s, video, run, core::Thresholds::frame(0.5F, 0.5F));
    ASSERT_EQ(rows.thresholded.size(), 2U);
    EXPECT_EQ(std::make_pair(rows.thresholded[0].onsetMs, rows.thresholded[0].offsetMs),
              std::make_pair(std::int64_t{0}, std::int64_t{10000}));
    EXPECT_EQ(std::make_pair(rows.thresholded[1].onsetMs, rows.thresholded[1].offsetMs),
              std::make_pair(std::int64_t{20000}, std::int64_t{24500}));
    // A lower global threshold opens window 2 too: one event over the whole video.
    const auto open = loadTimelineRows(*s, video, run, core::Thresholds::frame(0.5F, 0.25F));
    ASSERT_EQ(open.thresholded.size(), 1U);
    EXPECT_EQ(open.thresholded[0].offsetMs, std::int64_t{24500});
}

TEST(TimelineRows, RejectedPredictionsAreNotHeardAndSeen) {
    avvp::test::TempDir dir("timeline_rows");
    auto f = make(dir / "s.avvpstore");
    store::EventId visualSpeech = 0;
    for (const auto& e : f.s->events(f.video))
        if (e.source == Source::Prediction && e.run == f.run &&
            e.modality == core::Modality::Visual)
            visualSpeech = e.id;
    ASSERT_NE(visualSpeech, 0);
    f.s->apply(store::Edit::reject(visualSpeech));
    const auto rows = loadTimelineRows(*f.s, f.video, f.run, std::nullopt);
    EXPECT_EQ(count(rows.shown, Lane::AudioVisual, Source::Prediction), 0);
    EXPECT_EQ(count(rows.shown, Lane::AudioVisual, Source::GroundTruth), 1);
    const auto* e = rows.event(visualSpeech);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->review, store::Review::Rejected);
}

TEST(TimelineRows, OwnVideoLengthAndMissingVideo) {
    avvp::test::TempDir dir("timeline_rows");
    auto f = make(dir / "s.avvpstore");
    const auto own = f.s->ensureVideo({.filename = "my_video", .durationMs = 25500});
    const auto rows = loadTimelineRows(*f.s, own, std::nullopt, std::nullopt);
    EXPECT_TRUE(rows.found);
    EXPECT_EQ(rows.durationMs, 25500);
    EXPECT_TRUE(rows.classes.empty());
    EXPECT_FALSE(loadTimelineRows(*f.s, own + 1000, f.run, std::nullopt).found);
}

TEST(TimelineRows, IntersectMergesOverlaps) {
    EXPECT_EQ(intersectSpans({{0, 3000}, {5000, 9000}}, {{2000, 6000}}),
              (std::vector<Span>{{2000, 3000}, {5000, 6000}}));
    EXPECT_EQ(intersectSpans({{0, 4000}}, {{1000, 2000}, {1500, 3000}}),
              (std::vector<Span>{{1000, 3000}}));
    EXPECT_TRUE(intersectSpans({{0, 1000}}, {{1000, 2000}}).empty());
}

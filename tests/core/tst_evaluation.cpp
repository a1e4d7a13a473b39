// The AVVP scoring rules of docs/evaluation.md, one tiny hand-made case per rule. Every
// expected value is worked out by hand in the comment next to it.
#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <limits>
#include <sstream>

#include "core/error.h"
#include "core/eval_report.h"
#include "core/evaluation.h"
#include "core/prediction.h"

using namespace avvp::core;

namespace {

constexpr int kSpeech = 0, kDog = 3, kCat = 4, kFrying = 5, kCello = 9, kClapping = 24;

LabelGrid grid(std::initializer_list<Event> events) {
    LabelGrid g;
    for (const auto& e : events) g.fill(e);
    return g;
}

VideoGrids video(std::initializer_list<Event> pa, std::initializer_list<Event> pv,
                 std::initializer_list<Event> ga, std::initializer_list<Event> gv) {
    return {grid(pa), grid(pv), grid(ga), grid(gv)};
}

void expectScores(const std::array<double, kNumMetrics>& got,
                  const std::array<double, kNumMetrics>& want, const char* what) {
    for (int i = 0; i < kNumMetrics; ++i)
        EXPECT_NEAR(got[i], want[i], 1e-12) << what << " " << kMetricNames[i];
}

void expectCounts(const Counts& c, long tp, long fp, long fn) {
    EXPECT_EQ(c.tp, tp);
    EXPECT_EQ(c.fp, fp);
    EXPECT_EQ(c.fn, fn);
}

DenseLabelRow row(const std::string& name, int onset, int offset, int cls) {
    return {name, onset, offset, cls, 0};
}

}  // namespace

TEST(Evaluation, EmptyPredictionAgainstEmptyGroundTruthIsPerfect) {
    const auto s = scoreVideo(video({}, {}, {}, {}));
    expectScores(s.segment, {1, 1, 1, 1, 1}, "segment");
    expectScores(s.event, {1, 1, 1, 1, 1}, "event");
    const auto r = evaluate({"v"}, {video({}, {}, {}, {})});
    expectScores(r.dataset.segment, {100, 100, 100, 100, 100}, "dataset segment");
    expectScores(r.dataset.event, {100, 100, 100, 100, 100}, "dataset event");
}

TEST(Evaluation, MissedEventScoresZero) {
    // GT audio Dog 0-10, nothing predicted: Dog active with TP 0, FN 10 -> F 0.
    const auto s = scoreVideo(video({}, {}, {{kDog, 0, 10}}, {}));
    expectScores(s.segment, {0, 1, 1, 2.0 / 3, 0}, "segment");
    expectScores(s.event, {0, 1, 1, 2.0 / 3, 0}, "event");
}

TEST(Evaluation, SegmentCountsPerCell) {
    // pred 0-3, GT 1-4: TP cells 1,2; FP cell 0; FN cell 3.
    expectCounts(segmentCounts(grid({{kDog, 0, 3}}), grid({{kDog, 1, 4}}), kDog), 2, 1, 1);
    // Other classes are untouched.
    expectCounts(segmentCounts(grid({{kDog, 0, 3}}), grid({{kDog, 1, 4}}), kCat), 0, 0, 0);
}

TEST(Evaluation, IouExactlyHalfPasses) {
    // pred 0-3, GT 1-4: intersection 2 (cells 1, 2), union 4 (cells 0..3): IoU 0.5 -> TP.
    expectCounts(eventCounts(grid({{kDog, 0, 3}}), grid({{kDog, 1, 4}}), kDog), 1, 0, 0);
    // pred 0-7, GT 2-10: intersection 5 (2..6), union 10: IoU 0.5 -> TP.
    expectCounts(eventCounts(grid({{kDog, 0, 7}}), grid({{kDog, 2, 10}}), kDog), 1, 0, 0);
    // pred 4-6 inside GT 4-8: intersection 2, union 4 -> TP (and the reverse).
    expectCounts(eventCounts(grid({{kDog, 4, 6}}), grid({{kDog, 4, 8}}), kDog), 1, 0, 0);
    expectCounts(eventCounts(grid({{kDog, 4, 8}}), grid({{kDog, 4, 6}}), kDog), 1, 0, 0);

    // Whole video: event F 1 although the segment F is 2*2/(2*2+1+1) = 2/3.
    const auto s = scoreVideo(video({{kDog, 0, 3}}, {}, {{kDog, 1, 4}}, {}));
    EXPECT_NEAR(s.segment[kAudio], 2.0 / 3, 1e-12);
    EXPECT_NEAR(s.event[kAudio], 1.0, 1e-12);
}

TEST(Evaluation, IouJustBelowHalfFails) {
    // pred 0-6, GT 2-9: intersection 4 (2..5), union 9 (0..8): IoU 4/9 < 0.5 -> FP + FN.
    expectCounts(eventCounts(grid({{kDog, 0, 6}}), grid({{kDog, 2, 9}}), kDog), 0, 1, 1);
    // pred 0-4, GT 2-6: intersection 2, union 6 -> fails.
    expectCounts(eventCounts(grid({{kDog, 0, 4}}), grid({{kDog, 2, 6}}), kDog), 0, 1, 1);
    // pred 4-5 inside GT 4-7: 1/3 -> fails.
    expectCounts(eventCounts(grid({{kDog, 4, 5}}), grid({{kDog, 4, 7}}), kDog), 0, 1, 1);
    const auto s = scoreVideo(video({{kDog, 0, 6}}, {}, {{kDog, 2, 9}}, {}));
    // Segment: TP 4 (2..5), FP 2 (0, 1), FN 3 (6..8): 8 / 13.
    EXPECT_NEAR(s.segment[kAudio], 8.0 / 13, 1e-12);
    EXPECT_NEAR(s.event[kAudio], 0.0, 1e-12);
}

TEST(Evaluation, EventsAreMatchedIndependently) {
    // GT Dog 0-2 and 5-10; pred Dog 0-2 (matches the first), 6-7 (1/5 with the second:
    // fails) -> TP 1, FP 1, FN 1 (GT 5-10 matched by nothing).
    const auto g = grid({{kDog, 0, 2}, {kDog, 5, 10}});
    const auto p = grid({{kDog, 0, 2}, {kDog, 6, 7}});
    expectCounts(eventCounts(p, g, kDog), 1, 1, 1);
    // F = 2 / (2 + 1 + 1) = 0.5
    EXPECT_NEAR(scoreVideo({p, LabelGrid(), g, LabelGrid()}).event[kAudio], 0.5, 1e-12);
}

TEST(Evaluation, TouchingAndOverlappingGtRowsFormOneEvent) {
    const std::vector<std::string> videos = {"v"};
    // GT rows 0-2 and 2-4 touch: one event 0-4. Predicted 0-2 matches it at 2/4.
    // (Were the rows kept apart, GT 2-4 would be an FN and F would be 2/3.)
    auto g = gridsFromRows(videos, {row("v", 0, 2, kDog)}, {},
                           {row("v", 0, 2, kDog), row("v", 2, 4, kDog)}, {});
    ASSERT_EQ(g.size(), 1U);
    ASSERT_EQ(g[0].gtAudio.events(kDog).size(), 1U);
    EXPECT_EQ(g[0].gtAudio.events(kDog)[0], (Event{kDog, 0, 4}));
    expectCounts(eventCounts(g[0].predAudio, g[0].gtAudio, kDog), 1, 0, 0);
    EXPECT_NEAR(scoreVideo(g[0]).event[kAudio], 1.0, 1e-12);

    // Overlapping GT rows 0-3 and 2-5 union to 0-5; zero-length and reversed rows add
    // nothing. Predicted 0-5 is then exact: segment TP 5 and no FP / FN.
    g = gridsFromRows(
        videos, {row("v", 0, 5, kCat)}, {},
        {row("v", 0, 3, kCat), row("v", 2, 5, kCat), row("v", 7, 7, kCat), row("v", 9, 6, kCat)},
        {});
    expectCounts(segmentCounts(g[0].predAudio, g[0].gtAudio, kCat), 5, 0, 0);
    expectCounts(eventCounts(g[0].predAudio, g[0].gtAudio, kCat), 1, 0, 0);
}

TEST(Evaluation, FalsePositiveInVideoWithEmptyGroundTruth) {
    // Video 1: no GT at all, audio Dog predicted 0-3. Audio: Dog active, TP 0, FP 3 -> 0.
    // Visual: nothing anywhere -> 1. AV: predicted AV empty (no visual) -> 1.
    // Type@AV 2/3. Event@AV: pooled Dog TP 0, FP 3 -> 0. Event level alike (FP 1).
    const auto v1 = video({{kDog, 0, 3}}, {}, {}, {});
    const auto s = scoreVideo(v1);
    expectScores(s.segment, {0, 1, 1, 2.0 / 3, 0}, "segment");
    expectScores(s.event, {0, 1, 1, 2.0 / 3, 0}, "event");
    // With a second, perfect (empty) video, the dataset means are halved: A 50, V 100,
    // AV 100, Type@AV (50 + 100 + 100) / 3, Event@AV 50.
    const auto r = evaluate({"v1", "v2"}, {v1, video({}, {}, {}, {})});
    expectScores(r.dataset.segment, {50, 100, 100, 250.0 / 3, 50}, "dataset segment");
    expectScores(r.dataset.event, {50, 100, 100, 250.0 / 3, 50}, "dataset event");
}

TEST(Evaluation, PerVideoFIsMeanOverActiveClassesOnly) {
    // Audio: Speech exact 0-10 (F 1); Dog pred 0-2 vs GT 0-4: TP 2, FN 2 -> 4/6.
    // The 23 inactive classes do not count: F = (1 + 2/3) / 2 = 5/6.
    const auto s = scoreVideo(
        video({{kSpeech, 0, 10}, {kDog, 0, 2}}, {}, {{kSpeech, 0, 10}, {kDog, 0, 4}}, {}));
    EXPECT_NEAR(s.segment[kAudio], 5.0 / 6, 1e-12);
    // Events: Speech TP; Dog 0-2 vs 0-4 is 2/4 -> TP: both 1.
    EXPECT_NEAR(s.event[kAudio], 1.0, 1e-12);
}

TEST(Evaluation, PooledEventAvDiffersFromMeanOfAudioAndVisual) {
    // Audio: Speech exact 0-10 -> A = 1 (one active class).
    // Visual: GT Dog 0-5 and Cat 0-5, nothing predicted -> V = 0 (two active classes).
    // Mean of A and V would be 0.5; pooled per class: Speech 1, Dog 0, Cat 0 -> 1/3.
    // AV: GT AV = audio AND visual is empty, predicted AV is empty -> 1.
    const auto s =
        scoreVideo(video({{kSpeech, 0, 10}}, {}, {{kSpeech, 0, 10}}, {{kDog, 0, 5}, {kCat, 0, 5}}));
    expectScores(s.segment, {1, 0, 1, 2.0 / 3, 1.0 / 3}, "segment");
    expectScores(s.event, {1, 0, 1, 2.0 / 3, 1.0 / 3}, "event");
    const auto r = evaluate(
        {"v"}, {video({{kSpeech, 0, 10}}, {}, {{kSpeech, 0, 10}}, {{kDog, 0, 5}, {kCat, 0, 5}})});
    EXPECT_NEAR(r.dataset.segment[kEventAv], 100.0 / 3, 1e-9);
    EXPECT_NEAR(r.dataset.segment[kTypeAv], 200.0 / 3, 1e-9);

    // Pooling adds counts of the same class: audio Dog TP 2 FN 2, visual Dog FP 4.
    // Separately: A = 4/6, V = 0; pooled Dog: TP 2, FP 4, FN 2 -> 4/10.
    const auto p = scoreVideo(video({{kDog, 0, 2}}, {{kDog, 6, 10}}, {{kDog, 0, 4}}, {}));
    EXPECT_NEAR(p.segment[kAudio], 4.0 / 6, 1e-12);
    EXPECT_NEAR(p.segment[kVisual], 0.0, 1e-12);
    EXPECT_NEAR(p.segment[kEventAv], 0.4, 1e-12);
}

TEST(Evaluation, AudioVisualGridIsAudioAndVisual) {
    // pred A Dog 0-6, pred V Dog 4-10 -> pred AV Dog 4-6.
    // GT A Dog 0-10, GT V Dog 4-8 -> GT AV Dog 4-8.
    const auto g = video({{kDog, 0, 6}}, {{kDog, 4, 10}}, {{kDog, 0, 10}}, {{kDog, 4, 8}});
    const auto s = scoreVideo(g);
    // Segment: A TP 6 FN 4 -> 12/16; V TP 4 FP 2 -> 8/10; AV TP 2 FN 2 -> 4/6.
    // Event@AV pooled Dog TP 10, FP 2, FN 4 -> 20/26.
    expectScores(s.segment, {0.75, 0.8, 4.0 / 6, (0.75 + 0.8 + 4.0 / 6) / 3, 20.0 / 26}, "segment");
    // Event: A 0-6 vs 0-10 (6/10) TP; V 4-10 vs 4-8 (4/6) TP; AV 4-6 vs 4-8 (2/4) TP.
    expectScores(s.event, {1, 1, 1, 1, 1}, "event");

    // An audio-only and a visual-only event of the same class at different times give
    // an empty AV grid on both sides: AV = 1 although A and V are wrong.
    const auto apart =
        scoreVideo(video({{kCat, 0, 3}}, {{kCat, 5, 8}}, {{kCat, 5, 8}}, {{kCat, 0, 3}}));
    EXPECT_NEAR(apart.segment[kAudio], 0.0, 1e-12);
    EXPECT_NEAR(apart.segment[kVisual], 0.0, 1e-12);
    EXPECT_NEAR(apart.segment[kAudioVisual], 1.0, 1e-12);
}

TEST(Evaluation, PerClassCountsAreSummedOverVideos) {
    // Video 1: audio Dog pred 0-3, GT 2-5: segment TP 1 (cell 2), FP 2, FN 2;
    //          event 1/5 -> FP 1, FN 1.
    // Video 2: audio Dog exact 0-5: segment TP 5; event TP 1.
    //          visual Cello pred 0-10, GT none: segment FP 10, event FP 1.
    const auto r =
        evaluate({"a", "b"}, {video({{kDog, 0, 3}}, {}, {{kDog, 2, 5}}, {}),
                              video({{kDog, 0, 5}}, {{kCello, 0, 10}}, {{kDog, 0, 5}}, {})});
    expectCounts(r.segmentClass[0][kDog], 6, 2, 2);
    expectCounts(r.eventClass[0][kDog], 1, 1, 1);
    expectCounts(r.segmentClass[1][kCello], 0, 10, 0);
    expectCounts(r.eventClass[1][kCello], 0, 1, 0);
    expectCounts(r.segmentClass[2][kDog], 0, 0, 0);
    expectCounts(r.segmentClass[1][kDog], 0, 0, 0);
    EXPECT_NEAR(r.segmentClass[0][kDog].f1(), 12.0 / 16, 1e-12);
    EXPECT_NEAR(r.eventClass[0][kDog].f1(), 0.5, 1e-12);
    // Per video: video 1 audio segment 2/(2+2+2) = 1/3, event 0; video 2 audio 1.
    ASSERT_EQ(r.perVideo.size(), 2U);
    EXPECT_NEAR(r.perVideo[0].segment[kAudio], 1.0 / 3, 1e-12);
    EXPECT_NEAR(r.perVideo[1].segment[kAudio], 1.0, 1e-12);
    EXPECT_NEAR(r.perVideo[1].segment[kVisual], 0.0, 1e-12);
    EXPECT_NEAR(r.dataset.segment[kAudio], 100.0 * (1.0 / 3 + 1.0) / 2, 1e-9);
    EXPECT_EQ(r.videos, (std::vector<std::string>{"a", "b"}));

    // Counts pooled into scoreVideo's sinks add up across calls.
    ClassCounts seg{}, evt{};
    scoreVideo(video({{kDog, 0, 3}}, {}, {{kDog, 2, 5}}, {}), &seg, &evt);
    scoreVideo(video({{kDog, 0, 3}}, {}, {{kDog, 2, 5}}, {}), &seg, &evt);
    expectCounts(seg[0][kDog], 2, 4, 4);
    expectCounts(evt[0][kDog], 0, 2, 2);
}

TEST(Evaluation, VideoListedTwiceIsScoredTwice) {
    // Split lists a, b, a. Video a: GT audio Dog 0-10, nothing predicted -> A 0.
    // Video b: nothing anywhere -> A 1. Mean over the three entries: 100 * 1/3.
    const std::vector<std::string> videos = {"a", "b", "a"};
    const auto grids = gridsFromRows(videos, {}, {}, {row("a", 0, 10, kDog)}, {});
    ASSERT_EQ(grids.size(), 3U);
    EXPECT_EQ(grids[0].gtAudio.count(kDog), 10);
    EXPECT_EQ(grids[2].gtAudio.count(kDog), 10);
    EXPECT_EQ(grids[1].gtAudio.count(), 0);
    const auto r = evaluate(videos, grids);
    EXPECT_NEAR(r.dataset.segment[kAudio], 100.0 / 3, 1e-9);
    EXPECT_EQ(r.perVideo.size(), 3U);
    expectCounts(r.segmentClass[0][kDog], 0, 0, 20);
}

TEST(Evaluation, RowsForOtherVideosAreIgnored) {
    // Filenames must match exactly: prefixes, suffixes, case and stray characters do not.
    const std::vector<std::string> videos = {"abc_0_10"};
    const std::vector<DenseLabelRow> others = {
        row("abc_0_1", 0, 10, kDog),   row("abc_0_100", 0, 10, kDog), row("ABC_0_10", 0, 10, kDog),
        row("abc_0_10`", 0, 10, kDog), row("abc_0_10 ", 0, 10, kDog), row("zzz", 0, 10, kDog)};
    const auto g = gridsFromRows(videos, others, others, others, others);
    ASSERT_EQ(g.size(), 1U);
    EXPECT_TRUE(g[0].predAudio.empty());
    EXPECT_TRUE(g[0].predVisual.empty());
    EXPECT_TRUE(g[0].gtAudio.empty());
    EXPECT_TRUE(g[0].gtVisual.empty());
    const auto r = evaluate(videos, g);
    expectScores(r.dataset.segment, {100, 100, 100, 100, 100}, "segment");

    // Every video of the split is scored even when no row names it.
    const auto g2 = gridsFromRows({"x", "y"}, {row("x", 0, 10, kDog)}, {}, {}, {});
    const auto r2 = evaluate({"x", "y"}, g2);
    EXPECT_NEAR(r2.dataset.segment[kAudio], 50.0, 1e-9);  // x: 0 (FP), y: 1
}

TEST(Evaluation, RowsForEachModalityGoToTheirGrid) {
    const auto g = gridsFromRows({"v"}, {row("v", 0, 1, kDog)}, {row("v", 1, 2, kCat)},
                                 {row("v", 2, 3, kFrying)}, {row("v", 3, 4, kClapping)});
    EXPECT_TRUE(g[0].predAudio.at(kDog, 0));
    EXPECT_EQ(g[0].predAudio.count(), 1);
    EXPECT_TRUE(g[0].predVisual.at(kCat, 1));
    EXPECT_EQ(g[0].predVisual.count(), 1);
    EXPECT_TRUE(g[0].gtAudio.at(kFrying, 2));
    EXPECT_EQ(g[0].gtAudio.count(), 1);
    EXPECT_TRUE(g[0].gtVisual.at(kClapping, 3));
    EXPECT_EQ(g[0].gtVisual.count(), 1);
}

TEST(Evaluation, EvaluateNeedsOneGridSetPerVideo) {
    EXPECT_THROW(evaluate({"a", "b"}, {video({}, {}, {}, {})}), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------
// Model output: probabilities thresholded into grids

namespace {

constexpr int T = kLlpSegments;

}  // namespace

TEST(Prediction, FrameAndGlobalThresholds) {
    std::vector<float> frame(T * 2 * kNumClasses, 0.0F), global(kNumClasses, 0.0F);
    // Dog: global exactly 0.5 (on); audio frames 0.5 at t=0 (on), 0.4999 at t=1 (off),
    // 1.0 at t=2 (on).
    global[kDog] = 0.5F;
    frame[frameIndex(0, Modality::Audio, kDog)] = 0.5F;
    frame[frameIndex(1, Modality::Audio, kDog)] = 0.4999F;
    frame[frameIndex(2, Modality::Audio, kDog)] = 1.0F;
    // Cat: every frame 0.9 in both modalities, but global 0.4999 suppresses the class.
    global[kCat] = 0.4999F;
    for (int t = 0; t < T; ++t) {
        frame[frameIndex(t, Modality::Audio, kCat)] = 0.9F;
        frame[frameIndex(t, Modality::Visual, kCat)] = 0.9F;
    }
    // Cello: visual only at t=9; audio frames stay 0.
    global[kCello] = 1.0F;
    frame[frameIndex(9, Modality::Visual, kCello)] = 0.5F;
    // Speech: frame high but global 0 -> off.
    frame[frameIndex(4, Modality::Visual, kSpeech)] = 1.0F;

    PredictionSet p;
    p.add("v", frame, global);
    ASSERT_EQ(p.size(), 1U);
    EXPECT_FLOAT_EQ(p.frameProb(0, 1, Modality::Audio, kDog), 0.4999F);
    EXPECT_FLOAT_EQ(p.frameProb(0, 9, Modality::Visual, kCello), 0.5F);
    EXPECT_FLOAT_EQ(p.globalProb(0, kCat), 0.4999F);

    const auto [a, v] = p.grids(0);
    EXPECT_TRUE(a.at(kDog, 0));
    EXPECT_FALSE(a.at(kDog, 1));
    EXPECT_TRUE(a.at(kDog, 2));
    EXPECT_EQ(a.count(kDog), 2);
    EXPECT_EQ(a.count(kCat), 0);
    EXPECT_EQ(v.count(kCat), 0);
    EXPECT_TRUE(v.at(kCello, 9));
    EXPECT_EQ(v.count(kCello), 1);
    EXPECT_EQ(a.count(kCello), 0);
    EXPECT_EQ(v.count(kSpeech), 0);
    EXPECT_EQ(a.count(), 2);
    EXPECT_EQ(v.count(), 1);

    // Other thresholds: frame 0.3 / global 0.4 switches Cat on everywhere.
    const auto [a2, v2] = p.grids(0, Thresholds::frame(0.3F, 0.4F));
    EXPECT_EQ(a2.count(kCat), T);
    EXPECT_EQ(v2.count(kCat), T);
    EXPECT_EQ(a2.count(kDog), 3);  // 0.4999 >= 0.3 now

    // Dense rows: one per maximal run.
    const auto ra = p.rows(Modality::Audio);
    ASSERT_EQ(ra.size(), 2U);
    EXPECT_EQ(ra[0].filename, "v");
    EXPECT_EQ(ra[0].cls, kDog);
    EXPECT_EQ(ra[0].onset, 0);
    EXPECT_EQ(ra[0].offset, 1);
    EXPECT_EQ(ra[1].onset, 2);
    EXPECT_EQ(ra[1].offset, 3);
    const auto rv = p.rows(Modality::Visual);
    ASSERT_EQ(rv.size(), 1U);
    EXPECT_EQ(rv[0].cls, kCello);
    EXPECT_EQ(rv[0].onset, 9);
    EXPECT_EQ(rv[0].offset, 10);
}

TEST(Prediction, GridsFromPredictionsMatchesRowsAndNeedsEveryVideo) {
    std::vector<float> frame(T * 2 * kNumClasses, 0.0F), global(kNumClasses, 0.0F);
    global[kDog] = 0.8F;
    for (int t = 3; t < 7; ++t) frame[frameIndex(t, Modality::Audio, kDog)] = 0.7F;
    PredictionSet p;
    p.add("b", frame, global);
    p.add("a", std::vector<float>(T * 2 * kNumClasses, 0.0F),
          std::vector<float>(kNumClasses, 0.0F));
    EXPECT_EQ(p.find("a"), 1);
    EXPECT_EQ(p.find("c"), -1);

    // GT: b audio Dog 3-7 -> perfect for b; a has nothing anywhere -> perfect too.
    const std::vector<DenseLabelRow> gtA = {row("b", 3, 7, kDog)};
    const auto grids = gridsFromPredictions({"a", "b"}, p, gtA, {});
    ASSERT_EQ(grids.size(), 2U);
    EXPECT_TRUE(grids[0].predAudio.empty());
    EXPECT_EQ(grids[1].predAudio.events(kDog), (std::vector<Event>{{kDog, 3, 7}}));
    EXPECT_EQ(grids[1].gtAudio.events(kDog), (std::vector<Event>{{kDog, 3, 7}}));
    const auto r = evaluate({"a", "b"}, grids);
    expectScores(r.dataset.segment, {100, 100, 100, 100, 100}, "segment");

    // The same through CSV rows gives the same grids.
    const auto viaRows =
        gridsFromRows({"a", "b"}, p.rows(Modality::Audio), p.rows(Modality::Visual), gtA, {});
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_TRUE(viaRows[i].predAudio == grids[i].predAudio);
        EXPECT_TRUE(viaRows[i].predVisual == grids[i].predVisual);
    }

    try {
        gridsFromPredictions({"a", "missing_0_10", "b"}, p, gtA, {});
        FAIL() << "no exception";
    } catch (const InputError& e) {
        EXPECT_NE(e.reason().find("missing_0_10"), std::string::npos) << e.reason();
    }
}

TEST(Prediction, AddRejectsBadInput) {
    const std::vector<float> frame(T * 2 * kNumClasses, 0.1F), global(kNumClasses, 0.1F);
    PredictionSet p;
    auto withFrame = [&](std::size_t i, float x) {
        auto f = frame;
        f[i] = x;
        return f;
    };
    auto withGlobal = [&](std::size_t i, float x) {
        auto g = global;
        g[i] = x;
        return g;
    };
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    EXPECT_THROW(p.add("v", withFrame(17, nan), global), std::invalid_argument);
    EXPECT_THROW(p.add("v", withFrame(499, inf), global), std::invalid_argument);
    EXPECT_THROW(p.add("v", withFrame(0, -0.01F), global), std::invalid_argument);
    EXPECT_THROW(p.add("v", withFrame(0, 1.01F), global), std::invalid_argument);
    EXPECT_THROW(p.add("v", frame, withGlobal(24, nan)), std::invalid_argument);
    EXPECT_THROW(p.add("v", frame, withGlobal(3, 2.0F)), std::invalid_argument);
    EXPECT_THROW(p.add("v", std::vector<float>(T * kNumClasses, 0.1F), global),
                 std::invalid_argument);  // one modality only
    EXPECT_THROW(p.add("v", std::vector<float>(T * 2 * kNumClasses + 1, 0.1F), global),
                 std::invalid_argument);
    EXPECT_THROW(p.add("v", frame, std::vector<float>(24, 0.1F)), std::invalid_argument);
    EXPECT_THROW(p.add("v", frame, {}), std::invalid_argument);
    EXPECT_EQ(p.size(), 0U);                              // nothing half-added
    p.add("v", withFrame(0, 1.0F), withGlobal(0, 0.0F));  // the bounds themselves are fine
    EXPECT_EQ(p.size(), 1U);

    // Another segment count changes the expected size.
    PredictionSet p20(20);
    EXPECT_THROW(p20.add("v", frame, global), std::invalid_argument);
    p20.add("v", std::vector<float>(20 * 2 * kNumClasses, 0.0F), global);
    EXPECT_EQ(p20.grids(0).first.segments(), 20);
}

// The streaming path of `avvp eval` must agree with scoring materialised grids, also for
// repeated names, rows outside the split, and empty / reversed rows.
TEST(Evaluation, EvaluateRowsEqualsEvaluateOfGrids) {
    std::vector<std::string> videos = {"a_0_10", "b_0_10", "a_0_10", "c_0_10"};
    std::uint32_t seed = 12345;
    auto next = [&seed](int n) {
        seed = seed * 1664525U + 1013904223U;
        return static_cast<int>((seed >> 8) % static_cast<std::uint32_t>(n));
    };
    const char* names[] = {"a_0_10", "b_0_10", "c_0_10", "zz_0_10"};
    auto randomRows = [&] {
        std::vector<DenseLabelRow> rows;
        for (int k = 0; k < 60; ++k)
            rows.push_back({names[next(4)], next(11), next(11), next(4), 0});
        return rows;
    };
    const auto pa = randomRows(), pv = randomRows(), ga = randomRows(), gv = randomRows();
    const auto expected = evaluate(videos, gridsFromRows(videos, pa, pv, ga, gv));
    const auto got = evaluateRows(videos, pa, pv, ga, gv);
    ASSERT_EQ(got.perVideo.size(), expected.perVideo.size());
    for (std::size_t i = 0; i < got.perVideo.size(); ++i)
        for (int m = 0; m < kNumMetrics; ++m) {
            EXPECT_EQ(got.perVideo[i].segment[m], expected.perVideo[i].segment[m]);
            EXPECT_EQ(got.perVideo[i].event[m], expected.perVideo[i].event[m]);
        }
    EXPECT_EQ(got.perVideo[0].segment, got.perVideo[2].segment);  // "a" twice
    for (int m = 0; m < 3; ++m)
        for (int c = 0; c < kNumClasses; ++c) {
            EXPECT_EQ(got.segmentClass[m][c].tp, expected.segmentClass[m][c].tp);
            EXPECT_EQ(got.eventClass[m][c].fn, expected.eventClass[m][c].fn);
        }
}

TEST(EvalReport, ClassesThatNeverOccurHaveNoF) {
    LabelGrid pa, pv, ga, gv;
    pa.fill(0, 0, 4);  // Speech predicted and present: F = 100
    ga.fill(0, 0, 4);
    const auto r = evaluate({"v_0_10"}, {VideoGrids{pa, pv, ga, gv}});
    std::ostringstream out;
    writePerClassTsv(out, r);
    std::istringstream in(out.str());
    std::string header, speech, car;
    std::getline(in, header);
    std::getline(in, speech);
    std::getline(in, car);
    EXPECT_EQ(speech.rfind("Speech\t100.0000\t4\t0\t0\t", 0), 0U) << speech;
    EXPECT_EQ(car.rfind("Car\t-\t0\t0\t0\t", 0), 0U) << car;
}

TEST(Prediction, LayoutIsSegmentModalityClass) {
    // The one place that knows the layout: (t * 2 + m) * C + c, checked by hand.
    EXPECT_EQ(frameIndex(0, Modality::Audio, 0), 0U);
    EXPECT_EQ(frameIndex(0, Modality::Visual, 0), 25U);
    EXPECT_EQ(frameIndex(1, Modality::Audio, 3), 53U);
    EXPECT_EQ(frameIndex(9, Modality::Visual, 24), 499U);
    EXPECT_EQ(frameIndex(2, Modality::Visual, 1, 4), 21U);  // other class counts
    EXPECT_EQ(frameSize(10), 500U);
    EXPECT_EQ(frameSize(7), 350U);
}

TEST(Prediction, ThresholdSpansPerModality) {
    // Seven segments (any length): Dog heard 0-3 and 5-7, seen 2-4; separate audio and
    // visual frame thresholds; Cat stopped by its global probability.
    const int segs = 7;
    std::vector<float> frame(frameSize(segs), 0.0F), global(kNumClasses, 0.0F);
    global[kDog] = 0.8F;
    for (int t : {0, 1, 2, 5, 6}) frame[frameIndex(t, Modality::Audio, kDog)] = 0.6F;
    for (int t : {2, 3}) frame[frameIndex(t, Modality::Visual, kDog)] = 0.35F;
    global[kCat] = 0.2F;
    frame[frameIndex(0, Modality::Audio, kCat)] = 1.0F;

    const auto spans = thresholdSpans(frame, global, segs);  // 0.5 everywhere
    ASSERT_EQ(spans.size(), 2U);
    EXPECT_EQ(spans[0], (SegmentSpan{Modality::Audio, kDog, 0, 3}));
    EXPECT_EQ(spans[1], (SegmentSpan{Modality::Audio, kDog, 5, 7}));

    Thresholds th;
    th.visual = 0.3F;  // the visual lane only
    const auto withVisual = thresholdSpans(frame, global, segs, th);
    ASSERT_EQ(withVisual.size(), 3U);
    EXPECT_EQ(withVisual[2], (SegmentSpan{Modality::Visual, kDog, 2, 4}));
    th.audio = 0.7F;  // audio frames at 0.6 are now off
    const auto visualOnly = thresholdSpans(frame, global, segs, th);
    ASSERT_EQ(visualOnly.size(), 1U);
    EXPECT_EQ(visualOnly[0].modality, Modality::Visual);
    th = Thresholds::frame(0.5F, 0.1F);  // Cat's global passes now
    const auto withCat = thresholdSpans(frame, global, segs, th);
    ASSERT_EQ(withCat.size(), 3U);
    EXPECT_EQ(withCat[0], (SegmentSpan{Modality::Audio, kDog, 0, 3}));
    EXPECT_EQ(withCat[2], (SegmentSpan{Modality::Audio, kCat, 0, 1}));  // class order

    // The grids and the spans agree cell by cell.
    const auto [a, v] = thresholdGrids(frame, global, segs, th);
    EXPECT_EQ(a.count(), 6);
    EXPECT_EQ(v.count(), 0);

    EXPECT_THROW(thresholdSpans(std::vector<float>(10), global, segs), std::invalid_argument);
    EXPECT_THROW(thresholdSpans(frame, std::vector<float>(3), segs), std::invalid_argument);
}

// Videos of any length: each video is scored over its own T segments. GT audio Dog 20-25
// of a 25-segment video; predicted Dog 10-12 and 20-25.
//   segment audio: Dog TP 5, FP 2, FN 0 -> F = 10 / 12; visual and AV: nothing on either
//   side -> 1. Type@AV = (10/12 + 1 + 1) / 3.
//   event audio: [20,25) matches, [10,12) is a false alarm -> F = 2 / 3.
// Scored over LLP's 10 segments instead, every row would fall outside the grid (all 1).
TEST(Evaluation, VideoOfTwentyFiveSegmentsIsScoredOverItsOwnSegments) {
    const std::vector<DenseLabelRow> pa = {row("long", 10, 12, kDog), row("long", 20, 25, kDog)};
    const std::vector<DenseLabelRow> ga = {row("long", 20, 25, kDog)};
    const auto r = evaluateRows({"long"}, pa, {}, ga, {}, std::vector<int>{25});
    ASSERT_EQ(r.perVideo.size(), 1U);
    expectScores(r.perVideo[0].segment, {10.0 / 12, 1, 1, (10.0 / 12 + 2) / 3, 10.0 / 12},
                 "segment");
    EXPECT_NEAR(r.perVideo[0].event[kAudio], 2.0 / 3, 1e-12);
    expectCounts(r.segmentClass[0][kDog], 5, 2, 0);
    EXPECT_EQ(r.protocol, kAvvpAnyLengthProtocol);
    EXPECT_EQ(r.minSegments, 25);
    EXPECT_EQ(r.maxSegments, 25);
    const auto tenSegments = evaluateRows({"long"}, pa, {}, ga, {});
    expectScores(tenSegments.perVideo[0].segment, {1, 1, 1, 1, 1}, "clipped to 10");
    EXPECT_EQ(tenSegments.protocol, kAvvpProtocol);
    // Grids of their own lengths through evaluate() give the same.
    LabelGrid pa25(25), ga25(25), empty25(25);
    pa25.fill(kDog, 10, 12);
    pa25.fill(kDog, 20, 25);
    ga25.fill(kDog, 20, 25);
    const auto g = evaluate({"long"}, {VideoGrids{pa25, empty25, ga25, empty25}});
    EXPECT_EQ(g.perVideo[0].segment, r.perVideo[0].segment);
    EXPECT_EQ(g.protocol, kAvvpAnyLengthProtocol);
    EXPECT_THROW(evaluateRows({"long"}, pa, {}, ga, {}, std::vector<int>{}), std::invalid_argument);
    EXPECT_THROW(evaluateRows({"long"}, pa, {}, ga, {}, std::vector<int>{0}),
                 std::invalid_argument);
}

// A set of 10-segment videos given per-video lengths scores bit-identically to the LLP
// protocol, names it, and prints exactly the same report; a mixed set names the
// any-length protocol and its range of T in every report.
TEST(Evaluation, AnyLengthProtocolIsNamedOnlyWhenSomeVideoIsNotTenSegments) {
    const std::vector<DenseLabelRow> pa = {row("a", 0, 4, kSpeech), row("b", 2, 9, kCat)};
    const std::vector<DenseLabelRow> ga = {row("a", 1, 4, kSpeech), row("b", 2, 8, kCat)};
    const std::vector<DenseLabelRow> pv = {row("a", 0, 10, kSpeech)};
    const std::vector<DenseLabelRow> gv = {row("a", 0, 9, kSpeech)};
    const auto llp = evaluateRows({"a", "b"}, pa, pv, ga, gv);
    const auto same = evaluateRows({"a", "b"}, pa, pv, ga, gv, std::vector<int>{10, 10});
    EXPECT_EQ(same.dataset.segment, llp.dataset.segment);
    EXPECT_EQ(same.dataset.event, llp.dataset.event);
    EXPECT_EQ(same.protocol, kAvvpProtocol);
    EXPECT_FALSE(same.anyLength());
    std::ostringstream t1, t2;
    writeEvalText(t1, llp, "title", false);
    writeEvalText(t2, same, "title", false);
    EXPECT_EQ(t1.str(), t2.str());
    EXPECT_NE(t1.str().find(std::string("protocol: ") + kAvvpProtocol + ", 2 videos, F-score"),
              std::string::npos);

    const auto mixed = evaluateRows({"a", "b"}, pa, pv, ga, gv, std::vector<int>{10, 25});
    EXPECT_TRUE(mixed.anyLength());
    EXPECT_EQ(mixed.protocol, kAvvpAnyLengthProtocol);
    // Video b over 25 segments: cells 10-24 are true negatives of its active class, so
    // its scores equal those over 10 segments; the set's scores stay the same.
    EXPECT_EQ(mixed.dataset.segment, llp.dataset.segment);
    std::ostringstream text, json;
    writeEvalText(text, mixed, "title", false);
    writeEvalJson(json, mixed, "title");
    EXPECT_NE(text.str().find(std::string("protocol: ") + kAvvpAnyLengthProtocol +
                              ", 2 videos of 10-25 segments"),
              std::string::npos)
        << text.str();
    EXPECT_NE(json.str().find(kAvvpAnyLengthProtocol), std::string::npos);
    EXPECT_NE(json.str().find("\"max\": 25"), std::string::npos) << json.str();
}

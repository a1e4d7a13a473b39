// The uncertainty queue (core/review_queue.h, issue 18 item 2) on a hand-made video whose
// every score is worked out in the comments.
#include <gtest/gtest.h>

#include <stdexcept>

#include "core/prediction.h"
#include "core/review_queue.h"

using namespace avvp::core;

namespace {

constexpr auto A = Modality::Audio;
constexpr auto V = Modality::Visual;

// Two segments, thresholds 0.5 (frame) and 0.5 (global); every probability 0 except:
//   class 0, global 0.9: s0 audio 0.55 (on, margin 0.05), visual 0 (off): non-aligned;
//                        s1 audio 0.9, visual 0.9 (both on, margin 0.4);
//   class 1, global 0.45 (gate shut): s0 audio 0.8 (off, margin 0.5 - 0.45 = 0.05);
//   class 2, global 0.9: s1 visual 0.48 (off, margin 0.02).
// Reference: audio ground truth class 0 on in s0 only; visual corrections class 0 in s1 and
// class 2 in s1.
QueueVideo handMade() {
    QueueVideo v;
    v.name = "clip";
    v.segments = 2;
    v.frame.assign(frameSize(2), 0.0F);
    v.global.assign(kNumClasses, 0.0F);
    v.global[0] = 0.9F;
    v.global[1] = 0.45F;
    v.global[2] = 0.9F;
    v.frame[frameIndex(0, A, 0)] = 0.55F;
    v.frame[frameIndex(1, A, 0)] = 0.9F;
    v.frame[frameIndex(1, V, 0)] = 0.9F;
    v.frame[frameIndex(0, A, 1)] = 0.8F;
    v.frame[frameIndex(1, V, 2)] = 0.48F;
    LabelGrid gtAudio(2), corrVisual(2);
    gtAudio.set(0, 0);
    corrVisual.set(0, 1);
    corrVisual.set(2, 1);
    v.reference[0] = gtAudio;
    v.reference[1] = corrVisual;
    v.corrected = {false, true};
    return v;
}

struct Expected {
    Modality m;
    int cls, segment;
    unsigned reasons;
    double score;
};

// score = near (1 - margin / 0.1) + audio-visual (1) + 2 x reference:
//   visual c2 s1: near 1 - 0.02/0.1 = 0.8, vs correction 2          -> 2.8
//   audio  c0 s1: on, ground truth off: vs ground truth 2            -> 2.0
//   audio  c0 s0: near 1 - 0.05/0.1 = 0.5, audio-visual 1            -> 1.5
//   visual c0 s0: audio-visual 1 (margin 0.5: not near)              -> 1.0
//   audio  c1 s0: near 0.5 (the gate is 0.05 short)                  -> 0.5
// Every other cell is far from its threshold, aligned and agrees with the reference.
const std::vector<Expected> kExpected = {
    {V, 2, 1, kQueueNear | kQueueVsCorrection, 2.8},
    {A, 0, 1, kQueueVsGroundTruth, 2.0},
    {A, 0, 0, kQueueNear | kQueueAudioVisual, 1.5},
    {V, 0, 0, kQueueAudioVisual, 1.0},
    {A, 1, 0, kQueueNear, 0.5},
};

void expectItem(const QueueItem& item, const Expected& e) {
    EXPECT_EQ(item.modality, e.m);
    EXPECT_EQ(item.cls, e.cls);
    EXPECT_EQ(item.segment, e.segment);
    EXPECT_EQ(item.reasons, e.reasons) << queueReasonText(item.reasons);
    EXPECT_NEAR(item.score, e.score, 1e-5);
}

}  // namespace

TEST(ReviewQueue, RanksTheHandMadeCase) {
    const auto items = rankQueue({handMade()}, {});
    ASSERT_EQ(items.size(), kExpected.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        SCOPED_TRACE(i);
        expectItem(items[i], kExpected[i]);
    }
    EXPECT_FLOAT_EQ(items[0].probability, 0.48F);
    EXPECT_FALSE(items[0].predicted);
    EXPECT_TRUE(items[1].predicted);
    EXPECT_NEAR(items[4].margin, 0.05, 1e-6);
    EXPECT_EQ(queueReasonText(items[0].reasons), "near threshold, vs correction");
}

TEST(ReviewQueue, FiltersKeepTheAudioVisualReason) {
    QueueOptions visual;
    visual.modality = V;
    auto items = rankQueue({handMade()}, visual);
    ASSERT_EQ(items.size(), 2U);
    expectItem(items[0], kExpected[0]);
    expectItem(items[1], kExpected[3]);  // non-aligned with the audio it does not list

    QueueOptions cls1;
    cls1.cls = 1;
    items = rankQueue({handMade()}, cls1);
    ASSERT_EQ(items.size(), 1U);
    expectItem(items[0], kExpected[4]);

    QueueOptions two;
    two.limit = 2;
    items = rankQueue({handMade()}, two);
    ASSERT_EQ(items.size(), 2U);
    expectItem(items[1], kExpected[1]);
}

TEST(ReviewQueue, PerClassThresholdsMoveTheMargin) {
    // Audio class 1 at threshold 0.85: 0.8 is 0.05 short and the gate 0.05 short: the
    // larger shortfall (0.05) decides; at 0.95 it is 0.15 short: not near any more.
    QueueOptions o;
    o.thresholds.audio[1] = 0.95F;
    o.cls = 1;
    EXPECT_TRUE(rankQueue({handMade()}, o).empty());
}

TEST(ReviewQueue, VideosRankBySummedScore) {
    QueueVideo quiet = handMade();
    quiet.name = "quiet";
    quiet.frame.assign(frameSize(2), 0.0F);
    quiet.reference = {};
    const auto items = rankQueue({quiet, handMade()}, {});
    ASSERT_EQ(items.size(), kExpected.size());
    EXPECT_EQ(items[0].video, 1U);
    const auto videos = rankQueueVideos(items);
    ASSERT_EQ(videos.size(), 1U);
    EXPECT_EQ(videos[0].video, 1U);
    EXPECT_EQ(videos[0].items, 5);
    EXPECT_NEAR(videos[0].score, 2.8 + 2.0 + 1.5 + 1.0 + 0.5, 1e-5);
}

TEST(ReviewQueue, RefusesSizesThatDoNotFit) {
    auto v = handMade();
    v.frame.pop_back();
    EXPECT_THROW(rankQueue({v}, {}), std::invalid_argument);
}

TEST(ReviewQueue, LimitKeepsTheHeadOfTheFullOrder) {
    // Many tied and untied scores: the first N under a limit are the first N of the whole.
    std::vector<QueueVideo> videos;
    unsigned seed = 7;
    const auto next = [&] {
        seed = seed * 1103515245U + 12345U;
        return static_cast<float>((seed >> 8) % 1000) / 1000.0F;
    };
    for (int v = 0; v < 20; ++v) {
        QueueVideo q;
        q.name = "v" + std::to_string(v);
        q.frame.resize(frameSize(10));
        q.global.resize(kNumClasses);
        for (auto& f : q.frame) f = next();
        for (auto& g : q.global) g = 0.3F + 0.4F * next();
        LabelGrid ref(10);
        ref.fill(v % kNumClasses, 2, 6);
        q.reference[0] = ref;
        videos.push_back(std::move(q));
    }
    const auto all = rankQueue(videos, {});
    ASSERT_GT(all.size(), 100U);
    for (std::size_t limit : {1U, 7U, 100U}) {
        QueueOptions o;
        o.limit = limit;
        const auto head = rankQueue(videos, o);
        ASSERT_EQ(head.size(), limit);
        for (std::size_t i = 0; i < limit; ++i) {
            EXPECT_EQ(head[i].video, all[i].video);
            EXPECT_EQ(head[i].segment, all[i].segment);
            EXPECT_EQ(head[i].cls, all[i].cls);
            EXPECT_EQ(head[i].modality, all[i].modality);
        }
    }
}

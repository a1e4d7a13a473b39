// Videos of any length: segment and window counts of a duration, the per-window global gate of
// the one thresholding, and the names of windowed feature files.
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "core/features.h"
#include "core/prediction.h"
#include "core/taxonomy.h"

using namespace avvp::core;

TEST(Windows, SegmentAndWindowCounts) {
    EXPECT_EQ(segmentCount(0), kLlpSegments);  // unknown: an LLP clip
    EXPECT_EQ(segmentCount(-5), kLlpSegments);
    EXPECT_EQ(segmentCount(1), 1);
    EXPECT_EQ(segmentCount(10000), 10);
    EXPECT_EQ(segmentCount(10001), 11);
    EXPECT_EQ(segmentCount(24980), 25);
    EXPECT_EQ(segmentCount(7'200'000), 7200);
    EXPECT_EQ(lengthMs(0), 10000);
    EXPECT_EQ(lengthMs(25000), 25000);
    EXPECT_EQ(windowCount(10), 1);
    EXPECT_EQ(windowCount(11), 2);
    EXPECT_EQ(windowCount(25), 3);
    EXPECT_EQ(windowCount(0), 1);
}

TEST(Windows, GlobalGatePerWindow) {
    const int T = 25;
    std::vector<float> frame(frameSize(T), 0.9F);  // every cell above the frame threshold
    // Class 3's gate is open in windows 0 and 2, closed in window 1.
    std::vector<float> global(3 * kNumClasses, 0.0F);
    global[0 * kNumClasses + 3] = 0.8F;
    global[2 * kNumClasses + 3] = 0.6F;
    ASSERT_TRUE(globalSizeFits(global.size(), T));
    EXPECT_FALSE(globalSizeFits(2 * kNumClasses, T));
    EXPECT_TRUE(globalSizeFits(kNumClasses, T));
    const auto [a, v] = thresholdGrids(frame, global, T);
    for (int t = 0; t < T; ++t) {
        const bool open = t < 10 || t >= 20;
        EXPECT_EQ(a.at(3, t), open) << t;
        EXPECT_EQ(v.at(3, t), open) << t;
        EXPECT_FALSE(a.at(4, t));
    }
    const auto spans = thresholdSpans(frame, global, T);
    ASSERT_EQ(spans.size(), 4U);  // audio 0-10, 20-25; visual the same
    EXPECT_EQ(spans[0], (SegmentSpan{Modality::Audio, 3, 0, 10}));
    EXPECT_EQ(spans[1], (SegmentSpan{Modality::Audio, 3, 20, 25}));
    EXPECT_THROW(thresholdGrids(frame, std::vector<float>(2 * kNumClasses), T),
                 std::invalid_argument);
}

TEST(Windows, OneGlobalGatesTheWholeVideo) {
    const int T = 25;
    std::vector<float> frame(frameSize(T), 0.0F);
    for (int t = 8; t < 13; ++t) frame[frameIndex(t, Modality::Audio, 5)] = 0.7F;
    std::vector<float> global(kNumClasses, 0.0F);
    global[5] = 0.9F;
    // A run over the border of windows 0 and 1 is one event.
    const auto spans = thresholdSpans(frame, global, T);
    ASSERT_EQ(spans.size(), 1U);
    EXPECT_EQ(spans[0], (SegmentSpan{Modality::Audio, 5, 8, 13}));
}

TEST(Windows, FeatureFileNames) {
    EXPECT_EQ(featureWindowName("clip", 0, 1), "clip");
    EXPECT_EQ(featureWindowName("clip", 0, 3), "clip_0_10");
    EXPECT_EQ(featureWindowName("clip", 2, 3), "clip_20_30");
    EXPECT_EQ(featureWindowPath("/f/audio/clip_0_10.npy", 0), "/f/audio/clip_0_10.npy");
    EXPECT_EQ(featureWindowPath("/f/audio/clip_0_10.npy", 4), "/f/audio/clip_40_50.npy");
    EXPECT_THROW(featureWindowPath("/f/audio/clip.npy", 1), std::invalid_argument);
}

// Calibrated thresholds (core/calibration.h) and segment-level average precision
// (core/average_precision.h): cases whose answers are worked out by hand in the comments.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "core/average_precision.h"
#include "core/calibration.h"
#include "core/error.h"

using namespace avvp::core;

namespace {

// A 10-segment video: audio class 0 holds `on` in the first `positives` segments and
// `off` elsewhere; ground truth audio class 0 is on in the first `positives` segments.
ScoredVideo video(float on, float off, int positives, float global) {
    ScoredVideo v;
    v.name = "v";
    v.frame.assign(frameSize(10), 0.0F);
    v.global.assign(kNumClasses, 0.0F);
    v.global[0] = global;
    for (int t = 0; t < 10; ++t) {
        v.frame[frameIndex(t, Modality::Audio, 0)] = t < positives ? on : off;
        if (t < positives) v.gtAudio.set(0, t);
    }
    return v;
}

}  // namespace

TEST(BestThreshold, MaximisesF1HalfwayBetweenScores) {
    // Cuts after 0.9: F1 = 2*1/(1+0+2) = .667; after .7: 2/(1+1+2) = .5; after .5:
    // 4/(2+1+2) = .8 (best); after .3: 4/(2+2+2) = .667. Threshold (0.5 + 0.3) / 2.
    const std::vector<float> s = {0.9F, 0.7F, 0.5F, 0.3F};
    const std::vector<char> l = {1, 0, 1, 0};
    const auto b = bestF1Threshold(s, l, 0.5F);
    EXPECT_NEAR(b.threshold, 0.4F, 1e-6);
    EXPECT_NEAR(b.f1, 0.8, 1e-12);
    EXPECT_EQ(b.positives, 2);
}

TEST(BestThreshold, NoPositiveKeepsTheFallback) {
    const std::vector<float> s = {0.9F, 0.1F};
    const std::vector<char> l = {0, 0};
    EXPECT_EQ(bestF1Threshold(s, l, 0.37F).threshold, 0.37F);
}

TEST(Calibration, PerClassFindsTheSeparatingThreshold) {
    // Positives score 0.3, negatives 0.1: at the default 0.5 nothing is on (F1 0); the
    // best threshold is halfway, 0.2, with F1 1. Classes without positives keep 0.5.
    std::vector<ScoredVideo> videos = {video(0.3F, 0.1F, 4, 0.9F), video(0.3F, 0.1F, 2, 0.9F)};
    const auto cal = calibratePerClass(videos, Thresholds{});
    EXPECT_NEAR(cal.thresholds.audio[0], 0.2F, 1e-6);
    EXPECT_EQ(cal.thresholds.audio[1], 0.5F);
    EXPECT_EQ(cal.thresholds.visual[0], 0.5F);
    EXPECT_EQ(cal.thresholds.global, 0.5F);
    EXPECT_DOUBLE_EQ(cal.f1Before, 0.0);
    EXPECT_DOUBLE_EQ(cal.f1After, 1.0);
    const auto [a, v] = thresholdGrids(videos[0].frame, videos[0].global, 10, cal.thresholds);
    EXPECT_EQ(a, videos[0].gtAudio);
    EXPECT_TRUE(v.empty());
}

TEST(Calibration, GlobalGridFindsFrameAndGlobalThresholds) {
    // A video with the class (global 0.6, frame 0.3 on its 5 positive segments, 0.1 off)
    // and one without it whose frame says 0.9 everywhere but whose global is 0.2: only a
    // global threshold in (0.2, 0.6] and a frame threshold in (0.1, 0.3] score F1 1. The
    // grid walks global up and frame down; the first best is global 0.21, frame 0.30.
    std::vector<ScoredVideo> videos = {video(0.3F, 0.1F, 5, 0.6F), video(0.9F, 0.9F, 0, 0.2F)};
    const auto cal = calibrateGlobal(videos, Thresholds{}, 0.01F);
    EXPECT_DOUBLE_EQ(cal.f1After, 1.0);
    EXPECT_NEAR(cal.thresholds.global, 0.21F, 1e-5);
    EXPECT_NEAR(cal.thresholds.audio[0], 0.30F, 1e-5);
    EXPECT_TRUE(cal.thresholds.isUniform());
    EXPECT_LT(cal.f1Before, 1.0);
}

TEST(ThresholdsFile, RoundTripsAndRefusesBadValues) {
    ThresholdsFile f;
    f.mode = "per-class";
    f.run = "r1";
    f.split = "val";
    f.videos = 7;
    f.thresholds.audio[3] = 0.25F;
    f.thresholds.visual[24] = 0.75F;
    f.thresholds.global = 0.4F;
    const auto text = thresholdsJson(f);
    const auto back = parseThresholdsJson(text, "t.json");
    EXPECT_EQ(back.thresholds, f.thresholds);
    EXPECT_EQ(back.run, "r1");
    EXPECT_EQ(back.videos, 7);
    EXPECT_NE(describeThresholds(back).find("calibrated on the val split of run r1"),
              std::string::npos);
    auto bad = text;
    bad.replace(bad.find("0.75"), 4, "1.75");
    try {
        parseThresholdsJson(bad, "t.json");
        FAIL() << "1.75 accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("1.75"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("t.json"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parseThresholdsJson("{\"format\": \"other\"}", "x"), InputError);
    EXPECT_THROW(parseThresholdsJson("not json", "x"), InputError);
}

TEST(AveragePrecision, HandComputed) {
    // Sorted: 1 0 1 0 1 -> (P, R) = (1, 1/3), (1/2, 1/3), (2/3, 2/3), (1/2, 2/3), (3/5, 1).
    // AP = 1/3 * 1 + 1/3 * 2/3 + 1/3 * 3/5 = 0.755555... (sklearn: 0.7555555555555555).
    const std::vector<float> s = {0.9F, 0.8F, 0.7F, 0.6F, 0.5F};
    const std::vector<char> l = {1, 0, 1, 0, 1};
    EXPECT_NEAR(averagePrecision(s, l), 1.0 / 3 + 2.0 / 9 + 1.0 / 5, 1e-12);
    // Ties move together: {0.8: 1 and 0}, {0.3: 1} -> (1/2, 1/2), (2/3, 1):
    // AP = 1/2 * 1/2 + 1/2 * 2/3 = 0.583333...
    const std::vector<float> s2 = {0.8F, 0.8F, 0.3F};
    const std::vector<char> l2 = {1, 0, 1};
    EXPECT_NEAR(averagePrecision(s2, l2), 0.25 + 1.0 / 3, 1e-12);
    const auto curve = precisionRecallCurve(s2, l2);
    ASSERT_EQ(curve.size(), 2U);
    EXPECT_NEAR(curve[0].threshold, 0.8, 1e-6);
    EXPECT_DOUBLE_EQ(curve[0].precision, 0.5);
    EXPECT_DOUBLE_EQ(curve[0].recall, 0.5);
    const std::vector<char> none = {0, 0, 0};
    EXPECT_TRUE(std::isnan(averagePrecision(s2, none)));
}

TEST(AveragePrecision, SegmentReportPerModality) {
    // Audio class 0: the 3 positives score 0.3, the 7 negatives 0.1: AP 1. Visual has no
    // positives: no mAP. The report, TSV and SVG name the protocol.
    std::vector<ScoredVideo> videos = {video(0.3F, 0.1F, 3, 0.9F)};
    const auto r = segmentAveragePrecision(videos);
    EXPECT_EQ(r.scored[0], 1);
    EXPECT_DOUBLE_EQ(r.map[0], 1.0);
    EXPECT_EQ(r.scored[1], 0);
    EXPECT_TRUE(std::isnan(r.map[1]));
    EXPECT_EQ(r.classes[0].positives, 3);
    EXPECT_EQ(r.classes[0].cells, 10);
    std::ostringstream svg, tsv, text;
    writePrSvg(svg, r, "run r");
    writePrTsv(tsv, r);
    writeApText(text, r, "AP of run r");
    EXPECT_NE(svg.str().find(kSegmentApProtocol), std::string::npos);
    EXPECT_NE(svg.str().find("</svg>"), std::string::npos);
    EXPECT_NE(tsv.str().find("audio\tSpeech\t0.300000\t1.000000\t1.000000"), std::string::npos)
        << tsv.str();
    EXPECT_NE(text.str().find("segment-level AP, 1 s segments"), std::string::npos);
}

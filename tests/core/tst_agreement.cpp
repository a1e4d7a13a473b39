// Inter-annotator agreement (core/agreement.h): Cohen's kappa against a hand computation,
// an annotator against itself, and two sets with known differences.
#include <gtest/gtest.h>

#include "core/agreement.h"

using namespace avvp::core;

namespace {

DenseLabelRow row(const std::string& video, int onset, int offset, int cls) {
    return DenseLabelRow{video, onset, offset, cls, 0};
}

}  // namespace

// 10 cells; A on in 4, B on in 3, both on in 2:
//   po = (2 both on + 5 both off) / 10 = 0.7
//   pe = 0.4 * 0.3 + 0.6 * 0.7 = 0.12 + 0.42 = 0.54
//   kappa = (0.7 - 0.54) / (1 - 0.54) = 0.16 / 0.46 = 0.347826...
TEST(Kappa, MatchesHandComputation) {
    KappaCounts k{10, 4, 3, 2};
    EXPECT_DOUBLE_EQ(k.observed(), 0.7);
    ASSERT_TRUE(k.kappa().has_value());
    EXPECT_NEAR(*k.kappa(), 0.16 / 0.46, 1e-12);
    EXPECT_EQ(k.disagreements(), 3);
}

TEST(Kappa, UndefinedWhenBothConstantAndEqual) {
    EXPECT_FALSE((KappaCounts{10, 0, 0, 0}.kappa()));
    EXPECT_FALSE((KappaCounts{10, 10, 10, 10}.kappa()));
    EXPECT_FALSE((KappaCounts{}.kappa()));
    // Both constant but opposite: po = 0, pe = 0, kappa = 0.
    ASSERT_TRUE((KappaCounts{10, 10, 0, 0}.kappa()));
    EXPECT_DOUBLE_EQ(*(KappaCounts{10, 10, 0, 0}.kappa()), 0.0);
    // Perfect agreement on a class that varies: 1.
    EXPECT_DOUBLE_EQ(*(KappaCounts{10, 4, 4, 4}.kappa()), 1.0);
}

TEST(Agreement, AgainstItselfIsPerfect) {
    const std::vector<DenseLabelRow> audio = {row("v1", 0, 5, 3), row("v2", 2, 10, 7)};
    const std::vector<DenseLabelRow> visual = {row("v1", 1, 4, 3), row("v2", 0, 3, 11)};
    const auto r = computeAgreement({"v1", "v2"}, {10, 10}, audio, visual, audio, visual);
    for (int i = 0; i < kNumMetrics; ++i) {
        EXPECT_DOUBLE_EQ(r.scores.dataset.segment[i], 100.0);
        EXPECT_DOUBLE_EQ(r.scores.dataset.event[i], 100.0);
    }
    for (int m = 0; m < 2; ++m) {
        EXPECT_DOUBLE_EQ(*r.overall[m].kappa(), 1.0);
        EXPECT_EQ(r.overall[m].cells, 2 * 10 * kNumClasses);
        for (int c = 0; c < kNumClasses; ++c)
            if (const auto k = r.perClass[m][c].kappa()) {
                EXPECT_DOUBLE_EQ(*k, 1.0);
            }
    }
    EXPECT_DOUBLE_EQ(*r.perClass[0][3].kappa(), 1.0);
    EXPECT_FALSE(r.perClass[0][0].kappa());  // no one labels class 0: undefined
    for (const auto& v : r.ranked) EXPECT_EQ(v.total(), 0);
}

// A: audio class 3 in v1 0-4 s. B: audio class 3 in v1 0-2 s (2 cells fewer) and visual
// class 5 in v2 0-3 s (3 cells more), on 10 + 5 segments (v2 is 5 s long).
TEST(Agreement, KnownDifferences) {
    const std::vector<DenseLabelRow> aAudio = {row("v1", 0, 4, 3)};
    const std::vector<DenseLabelRow> bAudio = {row("v1", 0, 2, 3)};
    const std::vector<DenseLabelRow> bVisual = {row("v2", 0, 3, 5)};
    const auto r = computeAgreement({"v1", "v2"}, {10, 5}, aAudio, {}, bAudio, bVisual);
    // Class 3, audio: 15 cells, A on 4, B on 2, both 2: po = 13/15,
    // pe = (4/15)(2/15) + (11/15)(13/15) = (8 + 143) / 225 = 151/225,
    // kappa = (195/225 - 151/225) / (74/225) = 44/74.
    const auto& k = r.perClass[0][3];
    EXPECT_EQ(k.cells, 15);
    EXPECT_NEAR(*k.kappa(), 44.0 / 74.0, 1e-12);
    // Visual class 5: A never on, B on 3 of 15 cells: pe = 12/15 = po, kappa = 0.
    EXPECT_NEAR(*r.perClass[1][5].kappa(), 0.0, 1e-12);
    ASSERT_EQ(r.ranked.size(), 2U);
    EXPECT_EQ(r.ranked[0].video, "v2");
    EXPECT_EQ(r.ranked[0].cells[1], 3);
    EXPECT_EQ(r.ranked[1].video, "v1");
    EXPECT_EQ(r.ranked[1].cells[0], 2);
    // The scores are the scorer's: B as the prediction, A as the ground truth.
    const auto direct =
        evaluateRows({"v1", "v2"}, bAudio, bVisual, aAudio, {}, std::vector<int>{10, 5});
    for (int i = 0; i < kNumMetrics; ++i) {
        EXPECT_DOUBLE_EQ(r.scores.dataset.segment[i], direct.dataset.segment[i]);
        EXPECT_DOUBLE_EQ(r.scores.dataset.event[i], direct.dataset.event[i]);
    }
    EXPECT_LT(r.scores.dataset.segment[kAudio], 100.0);
}

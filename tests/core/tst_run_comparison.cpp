// Two runs side by side against the ground truth (core/run_comparison.h).
#include <gtest/gtest.h>

#include "core/run_comparison.h"

using namespace avvp::core;

TEST(RunComparison, CellOutcomeTruthTable) {
    EXPECT_EQ(cellOutcome(true, true, true), CellOutcome::BothRight);
    EXPECT_EQ(cellOutcome(false, false, false), CellOutcome::BothRight);
    EXPECT_EQ(cellOutcome(true, false, false), CellOutcome::BothWrong);
    EXPECT_EQ(cellOutcome(false, true, true), CellOutcome::BothWrong);
    EXPECT_EQ(cellOutcome(true, true, false), CellOutcome::AOnly);
    EXPECT_EQ(cellOutcome(false, false, true), CellOutcome::AOnly);
    EXPECT_EQ(cellOutcome(true, false, true), CellOutcome::BOnly);
    EXPECT_EQ(cellOutcome(false, true, false), CellOutcome::BOnly);
}

TEST(RunComparison, HandMadeVideoCountsAndSwap) {
    // Video v: ground truth audio Speech [0, 4); A predicts Speech [0, 3) (misses t = 3),
    // B predicts Speech [0, 6) (two false positives: t = 4, 5) and Dog [8, 10) (wrong).
    // Visual: gt Car [2, 5); A nothing (3 wrong), B Car [2, 5) (right).
    const std::vector<std::string> videos = {"v"};
    const std::vector<DenseLabelRow> gtA = {{"v", 0, 4, 0, 1}};
    const std::vector<DenseLabelRow> gtV = {{"v", 2, 5, 3, 1}};
    const std::vector<DenseLabelRow> aA = {{"v", 0, 3, 0, 1}};
    const std::vector<DenseLabelRow> aV = {};
    const std::vector<DenseLabelRow> bA = {{"v", 0, 6, 0, 1}, {"v", 8, 10, 7, 2}};
    const std::vector<DenseLabelRow> bV = {{"v", 2, 5, 3, 1}};
    const auto r = compareRuns(videos, {10}, {{{true, true}}}, gtA, gtV, aA, aV, bA, bV);
    ASSERT_EQ(r.videos.size(), 1U);
    const auto& v = r.videos[0];
    // Audio: t = 3 of Speech B only; t = 4, 5 of Speech A only; Dog t = 8, 9 A only.
    EXPECT_EQ(v.counts[0].aOnly, 4);
    EXPECT_EQ(v.counts[0].bOnly, 1);
    EXPECT_EQ(v.counts[0].bothWrong, 0);
    EXPECT_EQ(v.counts[0].cells(), 250);
    EXPECT_EQ(v.at(Modality::Audio, 0, 3), CellOutcome::BOnly);
    EXPECT_EQ(v.at(Modality::Audio, 0, 4), CellOutcome::AOnly);
    EXPECT_EQ(v.at(Modality::Audio, 7, 9), CellOutcome::AOnly);
    EXPECT_EQ(v.at(Modality::Audio, 0, 0), CellOutcome::BothRight);
    // Visual: Car t = 2..4 B only.
    EXPECT_EQ(v.counts[1].bOnly, 3);
    EXPECT_EQ(v.counts[1].aOnly, 0);
    EXPECT_EQ(v.total().aOnly, 4);
    EXPECT_EQ(v.total().bOnly, 4);
    EXPECT_EQ(r.total().cells(), 500);

    // Swapping A and B swaps the A-only and B-only cells.
    const auto s = compareRuns(videos, {10}, {{{true, true}}}, gtA, gtV, bA, bV, aA, aV);
    EXPECT_EQ(s.videos[0].counts[0].aOnly, 1);
    EXPECT_EQ(s.videos[0].counts[0].bOnly, 4);
    EXPECT_EQ(s.videos[0].counts[1].aOnly, 3);
    EXPECT_EQ(s.videos[0].at(Modality::Audio, 0, 3), CellOutcome::AOnly);
}

TEST(RunComparison, BothWrongAndUncoveredModality) {
    // Both runs miss the ground truth Speech [0, 2) and both predict Car [5, 6): 3 cells both
    // wrong; the video has no visual ground truth, so its visual cells are not compared.
    const std::vector<DenseLabelRow> gtA = {{"w", 0, 2, 0, 1}};
    const std::vector<DenseLabelRow> pA = {{"w", 5, 6, 3, 1}};
    const std::vector<DenseLabelRow> pV = {{"w", 0, 10, 3, 1}};
    const auto r = compareRuns({"u", "w"}, {10, 10}, {{{true, true}}, {{true, false}}}, {}, {}, {},
                               {}, {}, {});
    EXPECT_EQ(r.total().bothRight, 750);  // u: audio and visual, w: audio only
    const auto w = compareRuns({"w"}, {10}, {{{true, false}}}, gtA, {}, pA, pV, pA, pV);
    EXPECT_EQ(w.videos[0].counts[0].bothWrong, 3);
    EXPECT_EQ(w.videos[0].counts[0].aOnly + w.videos[0].counts[0].bOnly, 0);
    EXPECT_FALSE(w.videos[0].covers(Modality::Visual));
    EXPECT_EQ(w.videos[0].counts[1].cells(), 0);
    EXPECT_EQ(std::string(outcomeName(CellOutcome::AOnly)), "A only right");
}

TEST(RunComparison, VideoOfAnyLength) {
    const std::vector<DenseLabelRow> gt = {{"long", 20, 25, 1, 1}};
    const std::vector<DenseLabelRow> a = {{"long", 20, 25, 1, 1}};
    const auto r = compareRuns({"long"}, {30}, {{{true, true}}}, gt, {}, a, {}, {}, {});
    EXPECT_EQ(r.videos[0].segments, 30);
    EXPECT_EQ(r.videos[0].counts[0].aOnly, 5);
    EXPECT_EQ(r.videos[0].at(Modality::Audio, 1, 24), CellOutcome::AOnly);
    EXPECT_EQ(r.videos[0].counts[1].cells(), 750);
}

#include <gtest/gtest.h>

#include "core/label_grid.h"

using avvp::core::Event;
using avvp::core::LabelGrid;

TEST(LabelGrid, FillClipsAndIgnoresEmptyOrReversedRanges) {
    LabelGrid g;
    g.fill(3, 2, 5);
    g.fill(3, 7, 7);   // zero-length
    g.fill(4, 9, 0);   // reversed
    g.fill(5, 8, 15);  // clipped to 10
    EXPECT_EQ(g.count(3), 3);
    EXPECT_EQ(g.count(4), 0);
    EXPECT_EQ(g.count(5), 2);
    EXPECT_TRUE(g.at(3, 2));
    EXPECT_FALSE(g.at(3, 5));
}

TEST(LabelGrid, EventsAreMaximalRuns) {
    LabelGrid g;
    g.fill(0, 0, 2);
    g.fill(0, 2, 4);  // touching rows merge
    g.fill(0, 6, 10);
    const auto e = g.events(0);
    ASSERT_EQ(e.size(), 2U);
    EXPECT_EQ(e[0], (Event{0, 0, 4}));
    EXPECT_EQ(e[1], (Event{0, 6, 10}));
}

TEST(LabelGrid, IntersectIsCellwiseAnd) {
    LabelGrid a, v;
    a.fill(1, 0, 6);
    v.fill(1, 4, 10);
    v.fill(2, 0, 10);
    const auto av = LabelGrid::intersect(a, v);
    EXPECT_EQ(av.count(1), 2);
    EXPECT_EQ(av.count(2), 0);
    EXPECT_THROW(LabelGrid::intersect(a, LabelGrid(12)), std::invalid_argument);
}

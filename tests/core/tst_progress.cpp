// core::Progress: the one progress / cancel interface of long work.
#include "core/progress.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

using namespace avvp::core;

namespace {

struct Recorder : Progress {
    void report(double f, std::string_view stage) override {
        fractions.push_back(f);
        stages.emplace_back(stage);
    }
    std::vector<double> fractions;
    std::vector<std::string> stages;
};

}  // namespace

TEST(Progress, CancelFromAnotherThreadStopsAtTheNextStep) {
    Progress p;
    EXPECT_FALSE(p.cancelled());
    EXPECT_NO_THROW(p.step(0.5, "half"));
    std::thread([&] { p.cancel(); }).join();
    EXPECT_TRUE(p.cancelled());
    EXPECT_TRUE(p.cancelFlag().load());
    EXPECT_THROW(p.step(0.6, "more"), Cancelled);
    EXPECT_THROW(p.throwIfCancelled(), Cancelled);
}

TEST(Progress, NullProgressReportsNowhereAndNeverCancels) {
    EXPECT_NO_THROW(step(nullptr, 0.5, "x"));
    EXPECT_NO_THROW(report(nullptr, 0.5));
    EXPECT_FALSE(cancelled(nullptr));
}

TEST(Progress, RangeMapsOntoItsPartAndSharesCancellation) {
    Recorder r;
    {
        ProgressRange second(r, 0.5, 1.0, "scoring");
        second.report(0.0, "");
        second.report(0.5, "videos");
        second.report(2.0, "clamped");
        ProgressRange nested(second, 0.0, 0.5);
        nested.report(1.0, "inner");
        EXPECT_FALSE(nested.cancelled());
        r.cancel();  // the parent's cancel reaches every part
        EXPECT_TRUE(second.cancelled());
        EXPECT_THROW(nested.step(0.1, "x"), Cancelled);
    }
    ASSERT_EQ(r.fractions.size(), 4U);
    EXPECT_DOUBLE_EQ(r.fractions[0], 0.5);
    EXPECT_DOUBLE_EQ(r.fractions[1], 0.75);
    EXPECT_DOUBLE_EQ(r.fractions[2], 1.0);
    EXPECT_DOUBLE_EQ(r.fractions[3], 0.75);
    EXPECT_EQ(r.stages[0], "scoring");
    EXPECT_EQ(r.stages[1], "scoring: videos");
    EXPECT_EQ(r.stages[3], "scoring: inner");

    Recorder parent;
    ProgressRange part(parent, 0.0, 1.0);
    part.cancel();  // and a part's cancel reaches the parent
    EXPECT_TRUE(parent.cancelled());
}

TEST(Progress, EtaFromElapsedAndFraction) {
    using std::chrono::milliseconds;
    EXPECT_EQ(etaText(milliseconds(1000), 0.5), "");  // too early to tell
    EXPECT_EQ(etaText(milliseconds(10000), 0.005), "");
    EXPECT_EQ(etaText(milliseconds(10000), 1.0), "");
    EXPECT_EQ(etaText(milliseconds(10000), 0.5), "10 s");
    EXPECT_EQ(etaText(milliseconds(60000), 0.25), "3 min 00 s");
    EXPECT_EQ(etaText(milliseconds(3600000), 0.5), "1 h 00 min");
    EXPECT_EQ(etaText(milliseconds(2000), 0.4), "3 s");
}

// The benchmark library (models/bench.h) at tiny sizes: its progress counts the
// measurements and ends at 1, cancelling stops it between measurements, and the
// PyTorch baseline's fate is told as a status and a note that names no command-line
// option. The `avvp bench` table is tested through the CLI (tests/cli/tst_cli_models.cpp).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/progress.h"
#include "models/bench.h"
#include "models/model_api.h"

using namespace avvp;

namespace {

// Records every report; cancels itself once `cancelAt` reports have come.
class Recorder final : public core::Progress {
  public:
    explicit Recorder(std::size_t cancelAt = 0) : cancelAt_(cancelAt) {}
    void report(double fraction, std::string_view stage) override {
        seen.emplace_back(fraction, std::string(stage));
        if (cancelAt_ > 0 && seen.size() >= cancelAt_) cancel();
    }
    std::vector<std::pair<double, std::string>> seen;

  private:
    std::size_t cancelAt_;
};

models::BenchOptions tiny(const std::string& variant) {
    models::setCpuThreads(1);
    models::BenchOptions o;
    o.model = models::benchConfig(variant);
    o.model.hidden = 16;
    o.model.layers = 1;
    o.model.heads = 2;
    o.model.ff = 16;
    o.device = "cpu";
    o.batches = {1, 2};
    o.trainBatch = 2;
    o.minSeconds = 0.0;
    o.minRepeats = 1;
    o.python.clear();
    return o;
}

}  // namespace

TEST(Bench, ProgressCountsTheMeasurements) {
    auto o = tiny("valor");  // CLAP tokens: every measurement twice (folded, literal)
    Recorder progress;
    o.progress = &progress;
    std::vector<std::string> steps;
    const auto r = models::runBench(o, [&](const std::string& s) { steps.push_back(s); });
    // Forward at 2 batches x 2 frontends, a train step per frontend.
    EXPECT_EQ(r.rows.size(), 6U);
    ASSERT_EQ(progress.seen.size(), 7U);  // one per measurement, then "done" at 1
    EXPECT_EQ(steps.size(), 6U);
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_DOUBLE_EQ(progress.seen[i].first, static_cast<double>(i) / 6.0) << i;
        EXPECT_EQ(progress.seen[i].second, steps[i]) << i;
    }
    EXPECT_EQ(progress.seen[0].second, "forward folded batch 1");
    EXPECT_EQ(progress.seen[5].second, "train step literal");
    EXPECT_DOUBLE_EQ(progress.seen.back().first, 1.0);
    EXPECT_EQ(r.pytorch, models::PytorchBaseline::NotRequested);
}

TEST(Bench, CancelStopsBeforeTheNextMeasurement) {
    auto o = tiny("link");
    Recorder progress(2);  // cancelled while the second measurement runs
    o.progress = &progress;
    int steps = 0;
    EXPECT_THROW(models::runBench(o, [&](const std::string&) { ++steps; }), core::Cancelled);
    EXPECT_EQ(steps, 2);
}

TEST(Bench, BaselineStatusAndNoteNameNoOption) {
    auto o = tiny("valor");
    o.python = "/usr/bin/python3";
    o.pytorchScript = "/nonexistent/bench_reference.py";
    auto r = models::runBench(o);
    EXPECT_EQ(r.pytorch, models::PytorchBaseline::NoScript);
    EXPECT_EQ(r.pytorchNote, "PyTorch baseline skipped: bench_reference.py not found");

    o.python = "/nonexistent/python3";
    o.pytorchScript.clear();  // the source tree's script
    r = models::runBench(o);
    EXPECT_EQ(r.pytorch, models::PytorchBaseline::NoPython);
    EXPECT_EQ(r.pytorchNote, "PyTorch baseline skipped: /nonexistent/python3 not found");

    r = models::runBench(tiny("leap"));
    EXPECT_EQ(r.pytorch, models::PytorchBaseline::NoReference);
    EXPECT_EQ(r.pytorchNote, "no PyTorch reference for leap");
}

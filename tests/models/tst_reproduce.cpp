// The reproduction library (models/reproduce.h) at a tiny size: its rows, an unknown row
// named without a command-line option, the progress of its runs (row, seed and
// misalignment in the stage, training's epochs inside) and a cancel that leaves no
// half-done run behind. The `avvp reproduce` command is tested through the CLI.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/progress.h"
#include "models/model_api.h"
#include "models/reproduce.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace avvp;

namespace {

class Recorder final : public core::Progress {
  public:
    // Cancels itself at the first stage that holds `cancelOn` (empty: never).
    explicit Recorder(std::string cancelOn = {}) : cancelOn_(std::move(cancelOn)) {}
    void report(double fraction, std::string_view stage) override {
        seen.emplace_back(fraction, std::string(stage));
        if (!cancelOn_.empty() && stage.find(cancelOn_) != std::string_view::npos) cancel();
    }
    std::vector<std::pair<double, std::string>> seen;

  private:
    std::string cancelOn_;
};

models::ReproduceOptions tiny(const fs::path& out) {
    models::setCpuThreads(1);
    models::ReproduceOptions o;
    o.out = out;
    o.videos = 40;
    o.misaligned = {0.5};
    o.seeds = {2};
    o.rows = {"valor", "S"};
    o.epochs = 2;
    o.hidden = 8;
    o.layers = 1;
    o.heads = 2;
    o.ff = 16;
    o.batch = 8;
    o.warmup = 1;
    o.device = "cpu";
    return o;
}

std::size_t lineCount(const fs::path& file) {
    std::ifstream in(file);
    std::size_t n = 0;
    for (std::string l; std::getline(in, l);) n += !l.empty();
    return n;
}

}  // namespace

TEST(Reproduce, RowsOfTheTables) {
    const auto rows = models::reproduceRows();
    std::set<std::string> keys;
    for (const auto& r : rows) keys.insert(r.key);
    EXPECT_EQ(keys.size(), rows.size());
    EXPECT_EQ(rows.size(), 14U);
    EXPECT_TRUE(keys.count("link-zs") && keys.count("han") && keys.count("TP"));
}

TEST(Reproduce, UnknownRowIsNamedWithoutAnOption) {
    const avvp::test::TempDir tmp("avvp_reproduce_rows");
    auto o = tiny(tmp.path());
    o.rows = {"valor", "lnk"};
    try {
        models::reproduce(o);
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()), "unknown reproduction row 'lnk'");
    }
}

TEST(Reproduce, ReportsEveryRunAndContinues) {
    const avvp::test::TempDir tmp("avvp_reproduce_runs");
    auto o = tiny(tmp.path());
    Recorder progress;
    o.progress = &progress;
    std::vector<std::string> log;
    o.onStep = [&](const std::string& s) { log.push_back(s); };
    const auto runs = models::reproduce(o);
    ASSERT_EQ(runs.size(), 2U);
    EXPECT_EQ(lineCount(tmp.path() / "results.jsonl"), 2U);
    ASSERT_FALSE(progress.seen.empty());
    double last = 0.0;
    bool epochOfS = false;
    for (const auto& [f, stage] : progress.seen) {
        EXPECT_GE(f, last) << stage;
        last = f;
        if (stage == "row S, seed 2, misaligned 0.5: epoch 2/2") {
            epochOfS = true;
            EXPECT_GE(f, 0.5);  // the second of two runs
        }
    }
    EXPECT_TRUE(epochOfS);
    EXPECT_DOUBLE_EQ(progress.seen.back().first, 1.0);
    EXPECT_EQ(log.size(), 5U);  // synth, then training and the test line of each run
    EXPECT_FALSE(fs::exists(tmp.path() / "data/F0.5_s2"));  // removed after its runs

    // Again: both runs are done, nothing runs and the results stay.
    Recorder again;
    o.progress = &again;
    EXPECT_EQ(models::reproduce(o).size(), 2U);
    EXPECT_TRUE(again.seen.empty());
}

TEST(Reproduce, CancelLeavesNoHalfDoneRun) {
    const avvp::test::TempDir tmp("avvp_reproduce_cancel");
    auto o = tiny(tmp.path());
    Recorder progress("row S, seed 2, misaligned 0.5: epoch 1/2");
    o.progress = &progress;
    EXPECT_THROW(models::reproduce(o), core::Cancelled);
    // The first run finished and is recorded; the cancelled one left nothing.
    EXPECT_EQ(lineCount(tmp.path() / "results.jsonl"), 1U);
    EXPECT_TRUE(fs::exists(tmp.path() / "runs/F0.5_s2/valor/best.ckpt"));
    EXPECT_FALSE(fs::exists(tmp.path() / "runs/F0.5_s2/S"));
    EXPECT_FALSE(fs::exists(tmp.path() / "data/F0.5_s2"));
}

// `avvp queue` end to end (issue 18, item 2): a store with one run's probabilities, ground
// truth and a correction, made through the store's API; the real `avvp` ranks its cells.
#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "core/prediction.h"
#include "core/store/store.h"

namespace fs = std::filesystem;
using namespace avvp;
using namespace avvp::test;

namespace {

const std::string kA = "aaaaaaaaaaa_0_10";  // test split
const std::string kB = "bbbbbbbbbbb_0_10";  // val split

class CliQueue : public ::testing::Test {
  protected:
    // Run r1 (thresholds 0.5 / 0.5), every probability 0 except:
    //   A: Dog global 0.9, audio s3 0.52 (on, margin 0.02); dense ground truth of both
    //      modalities without events;
    //   B: Cat global 0.9, visual s5 0.45 (off, margin 0.05); no ground truth; alice
    //      corrected visual Cat 5-6 s.
    // Scores (near 1 - margin / 0.1, audio-visual 1, reference 2):
    //   A audio  Dog s3: near 0.8 + audio-visual 1 + vs ground truth 2 = 3.8
    //   B visual Cat s5: near 0.5 + vs correction 2                    = 2.5
    //   A visual Dog s3: audio-visual 1                                = 1.0
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("avvp_tst_cli_queue_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        const int dog = *core::classIndex("Dog");
        const int cat = *core::classIndex("Cat");
        auto s = store::Store::open(store(), {.annotator = "alice"});
        const auto a = s->ensureVideo({.filename = kA, .split = core::Split::Test});
        const auto b = s->ensureVideo({.filename = kB, .split = core::Split::Val});
        for (auto m : core::kModalities) s->replaceEvents(a, m, store::Source::GroundTruth, {});
        const auto run = s->addRun({.name = "r1"});
        store::SegmentProbabilities pa{a, 10, std::vector<float>(core::frameSize(10)),
                                       std::vector<float>(core::kNumClasses)};
        pa.global[static_cast<std::size_t>(dog)] = 0.9F;
        pa.frame[core::frameIndex(3, core::Modality::Audio, dog)] = 0.52F;
        auto pb = pa;
        pb.video = b;
        pb.frame.assign(core::frameSize(10), 0.0F);
        pb.global.assign(core::kNumClasses, 0.0F);
        pb.global[static_cast<std::size_t>(cat)] = 0.9F;
        pb.frame[core::frameIndex(5, core::Modality::Visual, cat)] = 0.45F;
        s->putProbabilities(run, {pa, pb});
        s->apply(store::Edit::add(b, core::Modality::Visual, cat, 5000, 6000));
    }
    static void TearDownTestSuite() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    static std::string store() { return (dir_ / "q.avvpstore").string(); }
    static RunResult avvp(const std::vector<std::string>& args) {
        std::string cmd = quote(kAvvp.string());
        for (const auto& a : args) cmd += " " + quote(a);
        return runShell(cmd, dir_);
    }
    // The (video, modality, class, segment, reason) columns of the TSV rows.
    static std::vector<std::string> rows(const std::string& out) {
        std::vector<std::string> r;
        const auto l = lines(out);
        EXPECT_FALSE(l.empty());
        if (l.empty()) return r;
        EXPECT_EQ(l[0],
                  "rank\tvideo\tmodality\tclass\tsegment\tprobability\tpredicted\tscore\treason");
        for (std::size_t i = 1; i < l.size(); ++i) {
            if (l[i].empty()) continue;
            const auto f = split(l[i], '\t');
            EXPECT_EQ(f.size(), 9U) << l[i];
            if (f.size() == 9U)
                r.push_back(f[1] + " " + f[2] + " " + f[3] + " " + f[4] + " " + f[8]);
        }
        return r;
    }
    static inline fs::path dir_;
};

}  // namespace

TEST_F(CliQueue, RanksTheKnownCells) {
    const auto r = avvp({"queue", "--store", store(), "--run", "r1", "--format", "tsv"});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::vector<std::string> expected = {
        kA + " audio Dog 3 near threshold, audio-visual, vs ground truth",
        kB + " visual Cat 5 near threshold, vs correction",
        kA + " visual Dog 3 audio-visual",
    };
    EXPECT_EQ(rows(r.out), expected);
    const auto first = split(lines(r.out).at(1), '\t');
    EXPECT_EQ(first[5], "0.5200");
    EXPECT_EQ(first[6], "1");
    EXPECT_EQ(first[7], "3.8000");
}

TEST_F(CliQueue, FiltersAndLimit) {
    auto r = avvp({"queue", "--store", store(), "--split", "val", "--format", "tsv"});
    ASSERT_EQ(r.code, 0) << r.err;  // the only run is the default
    EXPECT_EQ(rows(r.out),
              std::vector<std::string>{kB + " visual Cat 5 near threshold, vs correction"});
    r = avvp({"queue", "--store", store(), "--modality", "visual", "--format", "tsv"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(rows(r.out),
              (std::vector<std::string>{kB + " visual Cat 5 near threshold, vs correction",
                                        kA + " visual Dog 3 audio-visual"}));
    r = avvp({"queue", "--store", store(), "--class", "Dog", "--limit", "1", "--format", "tsv"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(rows(r.out), std::vector<std::string>{
                               kA + " audio Dog 3 near threshold, audio-visual, vs ground truth"});
}

TEST_F(CliQueue, JsonAndText) {
    auto r = avvp({"queue", "--store", store(), "--run", "r1", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["run"], "r1");
    EXPECT_EQ(j["videos"], 2);
    EXPECT_EQ(j["cells"], 2 * 10 * 25 * 2);
    ASSERT_EQ(j["items"].size(), 3U);
    EXPECT_NEAR(j["items"][1]["probability"].get<double>(), 0.45, 1e-6);
    EXPECT_NEAR(j["items"][1]["score"].get<double>(), 2.5, 1e-5);
    EXPECT_EQ(j["items"][1]["predicted"], false);
    r = avvp({"queue", "--store", store()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("uncertainty queue of run r1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("vs correction"), std::string::npos) << r.out;
}

TEST_F(CliQueue, BadInputExitsTwoAndNamesTheValue) {
    const auto before = fs::last_write_time(store());
    struct Case {
        std::vector<std::string> args;
        std::string needle;
    };
    const std::vector<Case> cases = {
        {{"--class", "Unicorn"}, "'Unicorn'"},
        {{"--modality", "both"}, "'both'"},
        {{"--split", "dev"}, "'dev'"},
        {{"--format", "xml"}, "'xml'"},
        {{"--run", "nope"}, "has no run named 'nope' (runs: 'r1')"},
        {{"--limit", "-3"}, "--limit"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args = {"queue", "--store", store()};
        args.insert(args.end(), c.args.begin(), c.args.end());
        const auto r = avvp(args);
        EXPECT_EQ(r.code, 2) << c.needle << r.err;
        EXPECT_NE(r.err.find(c.needle), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
    const auto missing = avvp({"queue", "--store", (dir_ / "none.avvpstore").string()});
    EXPECT_EQ(missing.code, 2);
    EXPECT_FALSE(fs::exists(dir_ / "none.avvpstore"));
    EXPECT_EQ(fs::last_write_time(store()), before);
}

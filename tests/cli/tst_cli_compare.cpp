// `avvp compare` end to end (issue 20, item 5): two runs of a store side by side against
// its ground truth, per video and in total.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace fs = std::filesystem;
using namespace avvp::test;

namespace {

const std::string kVideo = "4YdbENYcIyE_23_33";

class CliCompare : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("avvp_tst_cli_compare_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        auto r = avvp({"import", "--store", store(), "--llp", kLlp.string(), "--quiet"});
        ASSERT_EQ(r.code, 0) << r.err;
        // Run "oracle" predicts the ground truth itself; run "partial" one video's audio:
        // Baby cry [0, 4) as the ground truth has it, and Blender [8, 10), which is wrong.
        r = avvp({"import", "--store", store(), "--format", "llp", "--as", "prediction", "--run",
                  "oracle", "--quiet", (kLlp / "AVVP_eval_audio.csv").string(),
                  (kLlp / "AVVP_eval_visual.csv").string()});
        ASSERT_EQ(r.code, 0) << r.err;
        const auto pa = (dir_ / "pred_audio.csv").string(),
                   pv = (dir_ / "pred_visual.csv").string();
        std::ofstream(pa) << "filename\tonset\toffset\tevent_labels\n"
                          << kVideo << "\t0\t4\tBaby_cry_infant_cry\n"
                          << kVideo << "\t8\t10\tBlender\n";
        std::ofstream(pv) << "filename\tonset\toffset\tevent_labels\n";
        r = avvp({"import", "--store", store(), "--format", "llp", "--as", "prediction", "--run",
                  "partial", "--quiet", pa, pv});
        ASSERT_EQ(r.code, 0) << r.err;
    }
    static void TearDownTestSuite() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    static std::string store() { return (dir_ / "cmp.avvpstore").string(); }
    static RunResult avvp(const std::vector<std::string>& args) {
        std::string cmd = quote(kAvvp.string());
        for (const auto& a : args) cmd += " " + quote(a);
        return runShell(cmd, dir_);
    }
    // The TSV row of `video`: video, segments, a_only, b_only, both_wrong, both_right, ...
    static std::vector<std::string> row(const std::string& tsv, const std::string& video) {
        for (const auto& l : lines(readAll(tsv)))
            if (l.rfind(video + "\t", 0) == 0) return split(l, '\t');
        return {};
    }
    static inline fs::path dir_;
};

}  // namespace

TEST_F(CliCompare, PerVideoCountsKnowWhichRunIsRight) {
    const auto tsv = (dir_ / "ab.tsv").string();
    auto r = avvp({"compare", "--store", store(), "--run", "oracle", "--run", "partial", "--tsv",
                   tsv, "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(lines(readAll(tsv)).size(), 1201U);  // header + the 1200 test videos
    // The video "partial" predicts: Blender [8, 10) audio (2 cells) and the visual Baby cry
    // [0, 10) it misses (10 cells) only A gets right; nothing is right in B only.
    auto v = row(tsv, kVideo);
    ASSERT_EQ(v.size(), 12U);
    EXPECT_EQ(v[1], "10");
    EXPECT_EQ(v[2], "12");  // A only
    EXPECT_EQ(v[3], "0");   // B only
    EXPECT_EQ(v[4], "0");   // both wrong
    EXPECT_EQ(v[6], "2");   // audio A only
    EXPECT_EQ(v[9], "10");  // visual A only
    EXPECT_NE(r.out.find("Runs 'oracle' (A) and 'partial' (B)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1200 videos"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("totals"), std::string::npos) << r.out;

    // Swapped: the same cells are B only.
    r = avvp({"compare", "--store", store(), "--run", "partial", "--run", "oracle", "--tsv", tsv,
              "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    v = row(tsv, kVideo);
    ASSERT_EQ(v.size(), 12U);
    EXPECT_EQ(v[2], "0");
    EXPECT_EQ(v[3], "12");
    // A run against itself: no cell differs.
    r = avvp({"compare", "--store", store(), "--run", "oracle", "--run", "oracle", "--tsv", tsv,
              "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const auto& l : lines(readAll(tsv)))
        if (l.rfind("video\t", 0) != 0) {
            const auto f = split(l, '\t');
            EXPECT_EQ(f[2] + f[3] + f[4], "000") << l;
        }
}

TEST_F(CliCompare, BadInputExitsTwoQuotingTheValue) {
    auto r = avvp({"compare", "--store", store(), "--run", "oracle", "--run", "nope"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("no run named 'nope'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("'partial'"), std::string::npos) << r.err;  // lists the runs
    // The train split has weak labels only.
    r = avvp({"compare", "--store", store(), "--run", "oracle", "--run", "partial", "--split",
              "train", "--quiet"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("holds no ground truth"), std::string::npos) << r.err;
    r = avvp({"compare", "--store", store(), "--run", "oracle"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--run A --run B"), std::string::npos) << r.err;
    r = avvp(
        {"compare", "--store", store(), "--run", "oracle", "--run", "partial", "--split", "dev"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("'dev'"), std::string::npos) << r.err;
    EXPECT_EQ(avvp({"compare", "--help"}).code, 0);
}

// `avvp adjudicate` end to end (issue 18, item 4): two annotators' corrections imported,
// one adjudicated set saved (preference, picks, cells), exported with `avvp export` and
// scored with `avvp eval`, and undone.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "two_annotators.h"

namespace fs = std::filesystem;
using namespace avvp::test;

namespace {

class CliAdjudicate : public TwoAnnotatorsStore {
  protected:
    static void SetUpTestSuite() { setUpStore("adjudicate"); }
    // The visual rows of `set`'s final labels of video X, as `avvp export` writes them.
    static std::vector<std::string> exportedVisual(const std::string& set,
                                                   const std::string& video) {
        const auto out = dir_ / ("export_" + set);
        fs::remove_all(out);
        const auto r = avvp({"export", "--store", store(), "--format", "llp", "--source", "final",
                             "--annotator", set, "--out", out.string(), "--quiet"});
        EXPECT_EQ(r.code, 0) << r.err;
        std::vector<std::string> rows;
        for (const auto& l : lines(readAll(out / "AVVP_eval_visual.csv")))
            if (l.rfind(video, 0) == 0) rows.push_back(l);
        return rows;
    }
};

}  // namespace

TEST_F(CliAdjudicate, DryRunShowsTheLanesAndSavesNothing) {
    const auto r = avvp({"adjudicate", "--store", store(), "--annotators", "alice,bob", "--video",
                         kX, "--as", "dry", "--dry-run"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("A: visual Dog 1-2 #"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("B: visual Dog 1-4 #"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 disagreement(s)"), std::string::npos) << r.out;
    // Nothing saved: the set "dry" has no history to undo.
    const auto u = avvp({"adjudicate", "--undo", "--store", store(), "--as", "dry"});
    EXPECT_NE(u.code, 0) << u.out;
}

TEST_F(CliAdjudicate, PreferencePicksCellsAndUndo) {
    // Preferring alice: her Dog 1-2 stands.
    auto r = avvp({"adjudicate", "--store", store(), "--annotators", "alice,bob", "--video", kX,
                   "--as", "adj1", "--annotator", "carol"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("saved set 'adj1' by 'carol'"), std::string::npos) << r.out;
    auto rows = exportedVisual("adj1", kX);
    EXPECT_NE(std::find(rows.begin(), rows.end(), kX + "\t1\t2\tDog"), rows.end())
        << testing::PrintToString(rows);

    // Picking bob's event (its id from the listing) makes his Dog 1-4 stand.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex("B: visual Dog 1-4 #([0-9]+)"))) << r.out;
    r = avvp({"adjudicate", "--store", store(), "--annotators", "alice,bob", "--video", kX, "--as",
              "adj1", "--pick", m[1].str()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("B picked"), std::string::npos) << r.out;
    rows = exportedVisual("adj1", kX);
    EXPECT_NE(std::find(rows.begin(), rows.end(), kX + "\t1\t4\tDog"), rows.end())
        << testing::PrintToString(rows);
    EXPECT_EQ(std::find(rows.begin(), rows.end(), kX + "\t1\t2\tDog"), rows.end());

    // A cell pick: alice's value (no Dog) at 3 s.
    r = avvp({"adjudicate", "--store", store(), "--annotators", "alice,bob", "--video", kX, "--as",
              "adj1", "--prefer", "bob", "--pick-cell", "alice:visual:Dog:3"});
    ASSERT_EQ(r.code, 0) << r.err;
    rows = exportedVisual("adj1", kX);
    EXPECT_NE(std::find(rows.begin(), rows.end(), kX + "\t1\t3\tDog"), rows.end())
        << testing::PrintToString(rows);

    // Undo takes the last save back: bob's Dog 1-4 again.
    r = avvp({"adjudicate", "--undo", "--store", store(), "--as", "adj1"});
    ASSERT_EQ(r.code, 0) << r.err;
    rows = exportedVisual("adj1", kX);
    EXPECT_NE(std::find(rows.begin(), rows.end(), kX + "\t1\t4\tDog"), rows.end())
        << testing::PrintToString(rows);
}

TEST_F(CliAdjudicate, AllOfASplitExportedAndScored) {
    auto r = avvp({"adjudicate", "--store", store(), "--annotators", "alice,bob", "--all",
                   "--split", "test", "--prefer", "bob", "--as", "adjudicated", "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("1200 video(s)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2 disagreement(s)"), std::string::npos) << r.out;
    const auto out = dir_ / "adjudicated";
    r = avvp({"export", "--store", store(), "--format", "llp", "--source", "final", "--annotator",
              "adjudicated", "--out", out.string(), "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    // bob's labels against the adjudicated set (bob preferred everywhere): 100 everywhere.
    const auto bob = dir_ / "final_bob";
    r = avvp({"export", "--store", store(), "--format", "llp", "--source", "final", "--annotator",
              "bob", "--out", bob.string(), "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    r = avvp({"eval", "--llp", kLlp.string(), "--split", "test", "--gt-audio",
              (out / "AVVP_eval_audio.csv").string(), "--gt-visual",
              (out / "AVVP_eval_visual.csv").string(), "--pred-audio",
              (bob / "AVVP_eval_audio.csv").string(), "--pred-visual",
              (bob / "AVVP_eval_visual.csv").string(), "--format", "tsv"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto l = lines(r.out);
    ASSERT_GE(l.size(), 2U);
    EXPECT_EQ(l[1],
              "100.000000\t100.000000\t100.000000\t100.000000\t100.000000\t100.000000\t"
              "100.000000\t100.000000\t100.000000\t100.000000");
}

TEST_F(CliAdjudicate, BadInputIsRefusedWithExitTwo) {
    const std::vector<std::vector<std::string>> bad = {
        {"--annotators", "alice,dave", "--video", kX},
        {"--annotators", "alice", "--video", kX},
        {"--annotators", "alice,bob", "--video", "nosuchvideo"},
        {"--annotators", "alice,bob", "--video", kX, "--prefer", "carol"},
        {"--annotators", "alice,bob", "--video", kX, "--pick", "99999999"},
        {"--annotators", "alice,bob", "--video", kX, "--pick", "x1"},
        {"--annotators", "alice,bob", "--video", kX, "--pick-cell", "bob:visual:Dog:12"},
        {"--annotators", "alice,bob", "--video", kX, "--pick-cell", "bob:smell:Dog:1"},
        {"--annotators", "alice,bob", "--video", kX, "--as", "alice"},
        {"--annotators", "alice,bob"},
    };
    const std::vector<std::string> quoted = {
        "'dave'", "'alice'", "'nosuchvideo'",     "'carol'", "'99999999'",
        "'x1'",   "12",      "'bob:smell:Dog:1'", "'alice'", "--video"};
    for (std::size_t i = 0; i < bad.size(); ++i) {
        std::vector<std::string> args = {"adjudicate", "--store", store(), "--as", "bad"};
        if (std::find(bad[i].begin(), bad[i].end(), "--as") != bad[i].end()) args.resize(3);
        args.insert(args.end(), bad[i].begin(), bad[i].end());
        const auto r = avvp(args);
        EXPECT_EQ(r.code, 2) << i << ": " << r.out << r.err;
        EXPECT_NE(r.err.find(quoted[i]), std::string::npos) << i << ": " << r.err;
    }
    // Nothing was saved under "bad".
    const auto r = avvp({"adjudicate", "--undo", "--store", store(), "--as", "bad"});
    EXPECT_NE(r.code, 0);
}

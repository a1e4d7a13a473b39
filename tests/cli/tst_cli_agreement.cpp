// `avvp agreement` end to end (issue 18, item 3): two annotators correct the same LLP
// videos through `avvp import --as correction --annotator`, and agreement prints the ten
// AVVP scores of B against A, Cohen's kappa and the videos ranked by disagreement.
#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "two_annotators.h"

namespace fs = std::filesystem;
using namespace avvp::test;

namespace {

class CliAgreement : public TwoAnnotatorsStore {
  protected:
    static void SetUpTestSuite() { setUpStore("agreement"); }
};

}  // namespace

TEST_F(CliAgreement, AnnotatorAgainstItselfIsPerfect) {
    const auto r =
        avvp({"agreement", "--store", store(), "--annotators", "bob,bob", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["videos"], 1200);
    for (const auto* level : {"segment", "event"})
        for (const auto& [name, value] : j["scores"][level].items())
            EXPECT_DOUBLE_EQ(value.get<double>(), 100.0) << level << name;
    for (const auto* m : {"audio", "visual"}) {
        EXPECT_DOUBLE_EQ(j["kappa"][m]["overall"]["kappa"].get<double>(), 1.0);
        for (const auto& [cls, k] : j["kappa"][m]["per_class"].items())
            if (!k["kappa"].is_null()) {
                EXPECT_DOUBLE_EQ(k["kappa"].get<double>(), 1.0) << cls;
            }
    }
    EXPECT_EQ(j["ranked"][0]["cells"], 0);
}

TEST_F(CliAgreement, KnownDifferencesRankedAndScored) {
    auto r =
        avvp({"agreement", "--store", store(), "--annotators", "alice,bob", "--format", "tsv"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto l = lines(r.out);
    // The scores are below 100 where bob differs (visual, audio), as avvp eval scores them.
    const auto scores = split(l.at(1), '\t');
    ASSERT_EQ(scores.size(), 10U);
    EXPECT_LT(std::stod(scores[0]), 100.0);
    EXPECT_LT(std::stod(scores[1]), 100.0);
    // The ranking: Y (3 audio cells) before X (2 visual cells); then no difference.
    const auto head =
        std::find(l.begin(), l.end(), "rank\tvideo\tsegments\taudio_cells\tvisual_cells\tcells");
    ASSERT_NE(head, l.end()) << r.out;
    EXPECT_EQ(*(head + 1), "1\t" + kY + "\t10\t3\t0\t3");
    EXPECT_EQ(*(head + 2), "2\t" + kX + "\t10\t0\t2\t2");
    EXPECT_EQ(split(*(head + 3), '\t').back(), "0");
    // Text: the title, kappa tables and the ranked list.
    r = avvp({"agreement", "--store", store(), "--annotators", "alice,bob"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("AVVP agreement of 'bob' against 'alice'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2 of 1200 videos differ"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("kappa is undefined"), std::string::npos) << r.out;  // all vary
}

// The ten scores are those `avvp eval` gives bob's exported final labels as the prediction
// against alice's as the ground truth.
TEST_F(CliAgreement, ScoresEqualAvvpEvalOfTheExportedFinalLabels) {
    for (const std::string who : {"alice", "bob"}) {
        const auto r =
            avvp({"export", "--store", store(), "--format", "llp", "--source", "final",
                  "--annotator", who, "--out", (dir_ / ("final_" + who)).string(), "--quiet"});
        ASSERT_EQ(r.code, 0) << r.err;
    }
    const auto a = dir_ / "final_alice";
    const auto b = dir_ / "final_bob";
    const auto eval = avvp({"eval", "--llp", kLlp.string(), "--split", "test", "--gt-audio",
                            (a / "AVVP_eval_audio.csv").string(), "--gt-visual",
                            (a / "AVVP_eval_visual.csv").string(), "--pred-audio",
                            (b / "AVVP_eval_audio.csv").string(), "--pred-visual",
                            (b / "AVVP_eval_visual.csv").string(), "--format", "tsv"});
    ASSERT_EQ(eval.code, 0) << eval.err;
    const auto agreement =
        avvp({"agreement", "--store", store(), "--annotators", "alice,bob", "--format", "tsv"});
    ASSERT_EQ(agreement.code, 0) << agreement.err;
    const auto l = lines(agreement.out);
    ASSERT_GE(l.size(), 2U);
    EXPECT_EQ(l[0] + "\n" + l[1] + "\n", eval.out);
    EXPECT_NE(l[1],
              "100.000000\t100.000000\t100.000000\t100.000000\t100.000000\t100.000000\t"
              "100.000000\t100.000000\t100.000000\t100.000000");
}

TEST_F(CliAgreement, OnlyEditedKeepsTheVideosBothCorrected) {
    const auto r = avvp({"agreement", "--store", store(), "--annotators", "alice,bob",
                         "--only-edited", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["videos"], 1);
    EXPECT_EQ(j["left_out"], 1199);
    EXPECT_EQ(j["ranked"][0]["video"], kX);
    EXPECT_EQ(j["ranked"][0]["visual_cells"], 2);
    // Visual Dog in X: 10 cells, alice on 1, bob on 3, both 1:
    // po = 8/10, pe = 0.1 * 0.3 + 0.9 * 0.7 = 0.66, kappa = 0.14 / 0.34.
    const auto& dog = j["kappa"]["visual"]["per_class"]["Dog"];
    EXPECT_EQ(dog["segments"], 10);
    EXPECT_NEAR(dog["kappa"].get<double>(), 0.14 / 0.34, 1e-9);
    // On X alone most classes are labelled by neither: their kappa is undefined, and said so.
    EXPECT_TRUE(dog.contains("kappa"));
    EXPECT_TRUE(j["kappa"]["audio"]["per_class"]["Dog"]["kappa"].is_null());
    const auto text =
        avvp({"agreement", "--store", store(), "--annotators", "alice,bob", "--only-edited"});
    ASSERT_EQ(text.code, 0) << text.err;
    EXPECT_NE(text.out.find("undefined"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("note: kappa is undefined for"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("1199 videos of the split not corrected by both are left out"),
              std::string::npos)
        << text.out;
}

TEST_F(CliAgreement, UnknownAnnotatorNamesTheKnownOnes) {
    const auto r = avvp({"agreement", "--store", store(), "--annotators", "alice,carol"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("'carol'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("'alice', 'bob'"), std::string::npos) << r.err;
    const auto bad = avvp({"agreement", "--store", store(), "--annotators", "alice"});
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("'alice'"), std::string::npos) << bad.err;
}

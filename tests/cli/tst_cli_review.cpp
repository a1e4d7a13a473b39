// `avvp review` end to end (issue 18, item 1): a video's review status with who set it and
// its log, progress per split (text and JSON), the next video needing review, an event's
// accept / reject with a reason, the verified flag, and bad input that changes nothing.
#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace fs = std::filesystem;
using namespace avvp::test;

namespace {

const std::string kA = "4YdbENYcIyE_23_33";
const std::string kB = "KSRjje7GH44_60_70";
const std::string kC = "ZZZZZZZZZZZ_0_10";

class CliReview : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("avvp_tst_cli_review_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        std::ofstream(dir_ / "test.csv") << "filename\tevent_labels\n"
                                         << kA << "\tBaby_cry_infant_cry\n"
                                         << kB << "\tBlender,Speech\n"
                                         << kC << "\tDog\n";
        std::ofstream(dir_ / "audio.csv") << "filename\tonset\toffset\tevent_labels\n"
                                          << kA << "\t0\t4\tBaby_cry_infant_cry\n"
                                          << kB << "\t2\t5\tSpeech\n";
        const auto r = avvp({"import", "--store", store(), "--test", (dir_ / "test.csv").string(),
                             "--gt-audio", (dir_ / "audio.csv").string(), "--quiet"});
        ASSERT_EQ(r.code, 0) << r.err;
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::string store() const { return (dir_ / "r.avvpstore").string(); }
    RunResult avvp(const std::vector<std::string>& args) const {
        std::string cmd = quote(kAvvp.string());
        for (const auto& a : args) cmd += " " + quote(a);
        return runShell(cmd, dir_);
    }
    RunResult review(std::vector<std::string> args) const {
        args.insert(args.begin(), "review");
        args.insert(args.end(), {"--store", store()});
        return avvp(args);
    }
    fs::path dir_;
};

}  // namespace

TEST_F(CliReview, StatusSetLoggedAndProgress) {
    auto r = review({"status", "--video", kA});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(split(lines(r.out).at(0), '\t').at(1), "todo");

    r = review({"status", "--video", kA, "--set", "in_progress", "--annotator", "rita"});
    ASSERT_EQ(r.code, 0) << r.err;
    r = review({"status", "--video", kA, "--set", "needs-review", "--annotator", "sam", "--log"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto l = lines(r.out);
    ASSERT_EQ(l.size(), 3U) << r.out;
    auto f = split(l[0], '\t');
    EXPECT_EQ(f.at(0), kA);
    EXPECT_EQ(f.at(1), "needs_review");
    EXPECT_EQ(f.at(2), "sam");
    EXPECT_NE(l[1].find("rita\ttodo -> in_progress"), std::string::npos) << l[1];
    EXPECT_NE(l[2].find("sam\tin_progress -> needs_review"), std::string::npos) << l[2];
    ASSERT_EQ(review({"status", "--video", kB, "--set", "done"}).code, 0);

    r = review({"progress", "--split", "test", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["split"], "test");
    EXPECT_EQ(j["videos"], 3);
    EXPECT_EQ(j["todo"], 1);
    EXPECT_EQ(j["in_progress"], 0);
    EXPECT_EQ(j["needs_review"], 1);
    EXPECT_EQ(j["done"], 1);
    r = review({"progress", "--split", "test"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("test: 1 of 3 videos done (33.3%)"), std::string::npos) << r.out;
    r = review({"progress", "--split", "train", "--format", "json"});
    EXPECT_EQ(nlohmann::json::parse(r.out)["videos"], 0);

    r = review({"next"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, kA + "\n");
    r = review({"next", "--after", kA});
    EXPECT_EQ(r.out, kA + "\n");  // the only one: wraps around to itself
    ASSERT_EQ(review({"status", "--video", kA, "--set", "done"}).code, 0);
    EXPECT_EQ(review({"next"}).code, 3);
}

TEST_F(CliReview, BadInputChangesNothing) {
    auto r = review({"status", "--video", "no_such_video", "--set", "done"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("'no_such_video'"), std::string::npos) << r.err;
    r = review({"status", "--video", kA, "--set", "finished"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("'finished'"), std::string::npos) << r.err;
    r = review({"progress", "--split", "dev"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("'dev'"), std::string::npos) << r.err;
    r = review({"event", "--id", "abc", "--accept"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("'abc'"), std::string::npos) << r.err;
    r = review({"event", "--id", "999999", "--reject"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("'999999'"), std::string::npos) << r.err;
    EXPECT_EQ(review({"event", "--id", "1", "--accept", "--reject"}).code, 2);
    EXPECT_EQ(review({"bogus"}).code, 2);
    r = review({"progress", "--format", "json"});
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["todo"], 3);  // nothing was set
    EXPECT_EQ(avvp({"review", "progress", "--store", (dir_ / "none.avvpstore").string()}).code, 2);
    EXPECT_FALSE(fs::exists(dir_ / "none.avvpstore"));
}

TEST_F(CliReview, EventDecisionAndVerified) {
    // Event ids: the store numbers the two imported ground-truth events 1 and 2.
    auto r = review(
        {"event", "--id", "1", "--reject", "--reason", "starts at 0.5 s", "--annotator", "rita"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto f = split(lines(r.out).at(0), '\t');
    EXPECT_EQ(f.at(1), "rejected");
    EXPECT_EQ(f.at(2), "rita");
    EXPECT_EQ(f.at(3), "'starts at 0.5 s'");
    r = review({"event", "--id", "1", "--clear"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(split(lines(r.out).at(0), '\t').at(1), "none");
    r = review({"verify", "--id", "2"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "event 2 verified\n");
    r = review({"verify", "--id", "2"});
    EXPECT_EQ(r.out, "event 2 verified (unchanged)\n");
    r = review({"verify", "--id", "2", "--off"});
    EXPECT_EQ(r.out, "event 2 not verified\n");
}

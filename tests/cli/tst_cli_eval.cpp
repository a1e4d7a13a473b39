// `avvp eval` as a user runs it: the real binary, its stdout / stderr / exit code, and
// parity of all ten scores with the independent Python oracle (tools/reference_eval.py)
// on random but realistic predictions made by tools/make_random_preds.py.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace fs = std::filesystem;
using namespace avvp::test;

namespace {

const fs::path kOracle = kSource / "tools" / "reference_eval.py";
const fs::path kGenerator = kSource / "tools" / "make_random_preds.py";
const char* const kPython = "/usr/bin/python3";
const std::string kHeader =
    "seg_a\tseg_v\tseg_av\tseg_type\tseg_event\tevt_a\tevt_v\tevt_av\tevt_type\tevt_event";

class CliEval : public ::testing::Test {
  protected:
    using Result = RunResult;

    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("avvp_tst_cli_eval_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    static void TearDownTestSuite() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    static fs::path path(const std::string& name) { return dir_ / name; }

    static void write(const std::string& name, const std::string& text) {
        std::ofstream out(path(name), std::ios::binary);
        out << text;
    }

    // Runs a shell command line, capturing stdout, stderr and the exit code.
    static Result shell(const std::string& cmd) { return runShell(cmd, dir_); }

    static Result avvp(const std::vector<std::string>& args) {
        std::string cmd = quote(kAvvp.string());
        for (const auto& a : args) cmd += " " + quote(a);
        return shell(cmd);
    }

    static bool havePython() { return ::access(kPython, X_OK) == 0; }

    static std::string gt(const char* name) { return (kLlp / name).string(); }

    // Random predictions for a split into dir_/<tag>/pred_{audio,visual}.csv.
    static fs::path randomPreds(const std::string& tag, int seed, const std::string& split,
                                const std::string& gtAudio) {
        const auto out = path(tag);
        const auto r = shell(std::string(kPython) + " " + quote(kGenerator.string()) + " " +
                             quote(out.string()) + " --seed " + std::to_string(seed) + " --split " +
                             quote(split) + " --gt-audio " + quote(gtAudio) + " --llp " +
                             quote(kLlp.string()));
        EXPECT_EQ(r.code, 0) << r.err;
        return out;
    }

    static std::vector<double> values(const Result& r) {
        std::vector<double> v;
        const auto l = lines(r.out);
        if (l.size() != 2) {
            ADD_FAILURE() << "expected two lines, got:\n" << r.out << r.err;
            return v;
        }
        EXPECT_EQ(l[0], kHeader);
        for (const auto& f : split(l[1], '\t')) v.push_back(std::stod(f));
        EXPECT_EQ(v.size(), 10U);
        return v;
    }

    // Scores with avvp and with the oracle; all ten values must agree within 1e-6.
    static void expectParity(const fs::path& preds, const std::string& splitArg,
                             const std::string& gtAudio) {
        const auto pa = (preds / "pred_audio.csv").string();
        const auto pv = (preds / "pred_visual.csv").string();
        const auto gv = gt("AVVP_eval_visual.csv");
        const auto ours = avvp({"eval", "--format", "tsv", "--llp", kLlp.string(), "--split",
                                splitArg, "--gt-audio", gtAudio, "--gt-visual", gv, "--pred-audio",
                                pa, "--pred-visual", pv});
        ASSERT_EQ(ours.code, 0) << ours.err;
        EXPECT_EQ(ours.err, "");
        const auto ref = shell(std::string(kPython) + " " + quote(kOracle.string()) + " --llp " +
                               quote(kLlp.string()) + " --split " + quote(splitArg) +
                               " --gt-audio " + quote(gtAudio) + " --gt-visual " + quote(gv) +
                               " --pred-audio " + quote(pa) + " --pred-visual " + quote(pv));
        ASSERT_EQ(ref.code, 0) << ref.err;
        const auto a = values(ours), b = values(ref);
        ASSERT_EQ(a.size(), 10U);
        ASSERT_EQ(b.size(), 10U);
        const auto names = split(kHeader, '\t');
        for (std::size_t i = 0; i < 10; ++i) EXPECT_NEAR(a[i], b[i], 1e-6) << names[i];
        // Random predictions are neither perfect nor worthless.
        for (std::size_t i = 0; i < 10; ++i) {
            EXPECT_GT(a[i], 20.0) << names[i];
            EXPECT_LT(a[i], 90.0) << names[i];
        }
    }

    // Exit code 2, nothing on stdout, exactly one line on stderr.
    static std::string expectOneLineError(const Result& r) {
        EXPECT_EQ(r.code, 2) << r.out << r.err;
        EXPECT_EQ(r.out, "");
        const auto l = lines(r.err);
        EXPECT_EQ(l.size(), 1U) << r.err;
        EXPECT_TRUE(!r.err.empty() && r.err.back() == '\n') << r.err;
        return l.empty() ? std::string() : l[0];
    }

    static inline fs::path dir_;
};

std::vector<std::string> gtAsPrediction(const std::string& split = "test") {
    return {"eval",
            "--format",
            "tsv",
            "--llp",
            kLlp.string(),
            "--split",
            split,
            "--pred-audio",
            (kLlp / "AVVP_eval_audio.csv").string(),
            "--pred-visual",
            (kLlp / "AVVP_eval_visual.csv").string()};
}

}  // namespace

TEST_F(CliEval, TsvIsTwoLinesWithTheHeader) {
    const auto r = avvp(gtAsPrediction());
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const auto l = lines(r.out);
    ASSERT_EQ(l.size(), 2U) << r.out;
    EXPECT_EQ(l[0], kHeader);
    const auto f = split(l[1], '\t');
    ASSERT_EQ(f.size(), 10U);
    for (const auto& x : f) {
        const auto dot = x.find('.');
        ASSERT_NE(dot, std::string::npos) << x;
        EXPECT_EQ(x.size() - dot - 1, 6U) << x;  // six decimals
    }
}

TEST_F(CliEval, GroundTruthAsPredictionScoresHundred) {
    for (const char* s : {"test", "val"}) {
        const auto r = avvp(gtAsPrediction(s));
        ASSERT_EQ(r.code, 0) << r.err;
        EXPECT_EQ(lines(r.out).at(1),
                  "100.000000\t100.000000\t100.000000\t100.000000\t100.000000\t"
                  "100.000000\t100.000000\t100.000000\t100.000000\t100.000000")
            << s;
    }
}

TEST_F(CliEval, DefaultsComeFromTheLlpFolder) {
    // Without --gt-*, --split and with --split given as a file, the same numbers.
    auto args = gtAsPrediction();
    const auto a = avvp(args);
    const auto b =
        avvp({"eval", "--format=tsv", "--llp=" + kLlp.string(), "--split",
              (kLlp / "AVVP_test_pd.csv").string(), "--gt-audio", gt("AVVP_eval_audio.csv"),
              "--gt-visual", gt("AVVP_eval_visual.csv"), "--pred-audio", gt("AVVP_eval_audio.csv"),
              "--pred-visual", gt("AVVP_eval_visual.csv")});
    ASSERT_EQ(a.code, 0) << a.err;
    ASSERT_EQ(b.code, 0) << b.err;
    EXPECT_EQ(a.out, b.out);
}

TEST_F(CliEval, ParityWithReferenceOnTestSplit) {
    if (!havePython()) GTEST_SKIP() << kPython << " not found";
    for (int seed : {1, 2, 3}) {
        SCOPED_TRACE("seed " + std::to_string(seed));
        const auto preds =
            randomPreds("test_" + std::to_string(seed), seed, "test", gt("AVVP_eval_audio.csv"));
        expectParity(preds, "test", gt("AVVP_eval_audio.csv"));
    }
}

TEST_F(CliEval, ParityWithReferenceOnValSplit) {
    if (!havePython()) GTEST_SKIP() << kPython << " not found";
    const auto preds = randomPreds("val_7", 7, "val", gt("AVVP_eval_audio.csv"));
    expectParity(preds, "val", gt("AVVP_eval_audio.csv"));
}

TEST_F(CliEval, ParityWithReferenceOnLegacyAudio) {
    if (!havePython()) GTEST_SKIP() << kPython << " not found";
    const auto legacy = (kLlp / "legacy_2020" / "AVVP_eval_audio.csv").string();
    const auto preds = randomPreds("legacy_11", 11, "test", legacy);
    expectParity(preds, "test", legacy);

    // The legacy file differs from the 2024 one on rows of two test videos: scoring the
    // 2024 GT as a prediction against the legacy GT is then below 100 for audio, exact
    // for visual.
    const auto r = avvp({"eval", "--format", "tsv", "--llp", kLlp.string(), "--gt-audio", legacy,
                         "--pred-audio", gt("AVVP_eval_audio.csv"), "--pred-visual",
                         gt("AVVP_eval_visual.csv")});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto v = values(r);
    ASSERT_EQ(v.size(), 10U);
    EXPECT_LT(v[0], 100.0);
    EXPECT_GT(v[0], 99.0);
    EXPECT_DOUBLE_EQ(v[1], 100.0);
}

TEST_F(CliEval, JsonHasTheScoresAndPerClassCounts) {
    auto args = gtAsPrediction();
    args[2] = "json";
    const auto r = avvp(args);
    ASSERT_EQ(r.code, 0) << r.err;
    nlohmann::json j;
    ASSERT_NO_THROW(j = nlohmann::json::parse(r.out)) << r.out.substr(0, 200);
    EXPECT_EQ(j.at("videos").get<int>(), 1200);
    for (const char* level : {"segment", "event"})
        for (const char* m : {"audio", "visual", "audio_visual", "type_av", "event_av"})
            EXPECT_DOUBLE_EQ(j.at(level).at(m).get<double>(), 100.0) << level << " " << m;
    ASSERT_EQ(j.at("per_class").size(), 25U);
    EXPECT_EQ(j.at("per_class")[0].at("class"), "Speech");
    const auto& sp = j.at("per_class")[0].at("segment").at("audio");
    EXPECT_GT(sp.at("tp").get<long>(), 0);
    EXPECT_EQ(sp.at("fp").get<long>(), 0);
    EXPECT_EQ(sp.at("fn").get<long>(), 0);
    EXPECT_NE(j.at("protocol").get<std::string>().find("AVVP"), std::string::npos);
}

TEST_F(CliEval, JsonAgreesWithTsv) {
    if (!havePython()) GTEST_SKIP() << kPython << " not found";
    const auto preds = randomPreds("json_5", 5, "test", gt("AVVP_eval_audio.csv"));
    std::vector<std::string> args = {"eval",
                                     "--format",
                                     "tsv",
                                     "--llp",
                                     kLlp.string(),
                                     "--pred-audio",
                                     (preds / "pred_audio.csv").string(),
                                     "--pred-visual",
                                     (preds / "pred_visual.csv").string()};
    const auto tsv = values(avvp(args));
    args[2] = "json";
    const auto r = avvp(args);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(tsv.size(), 10U);
    int i = 0;
    for (const char* level : {"segment", "event"})
        for (const char* m : {"audio", "visual", "audio_visual", "type_av", "event_av"})
            EXPECT_NEAR(j.at(level).at(m).get<double>(), tsv[static_cast<std::size_t>(i++)], 1e-6)
                << level << " " << m;
}

TEST_F(CliEval, PerVideoFileHasOneRowPerVideo) {
    auto args = gtAsPrediction();
    const auto file = path("per_video.tsv").string();
    args.insert(args.end(), {"--per-video", file, "--per-class", path("per_class.tsv").string()});
    const auto r = avvp(args);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto l = lines(readAll(file));
    ASSERT_EQ(l.size(), 1201U);
    EXPECT_EQ(l[0], "filename\t" + kHeader);
    EXPECT_EQ(split(l[1], '\t').at(0), "4YdbENYcIyE_23_33");  // split file order
    EXPECT_EQ(split(l[1], '\t').size(), 11U);
    EXPECT_EQ(split(l[1200], '\t').size(), 11U);
    EXPECT_EQ(std::stod(split(l[1], '\t').at(1)), 100.0);
    const auto c = lines(readAll(path("per_class.tsv")));
    EXPECT_EQ(c.size(), 26U);
    // stdout is unchanged by the extra files.
    EXPECT_EQ(lines(r.out).size(), 2U);
}

TEST_F(CliEval, TextFormatNamesTheProtocolAndNotes) {
    auto args = gtAsPrediction();
    args[2] = "text";
    const auto r = avvp(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("AVVP (LLP"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1200 videos"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("reversed row"), std::string::npos) << r.out;
    args.push_back("--quiet");
    const auto q = avvp(args);
    EXPECT_EQ(q.out.find("reversed row"), std::string::npos) << q.out;
}

TEST_F(CliEval, MissingFile) {
    const auto missing = path("no_such_pred.csv").string();
    const auto line =
        expectOneLineError(avvp({"eval", "--llp", kLlp.string(), "--pred-audio", missing,
                                 "--pred-visual", gt("AVVP_eval_visual.csv")}));
    EXPECT_NE(line.find(missing), std::string::npos) << line;
    EXPECT_NE(line.find("cannot open"), std::string::npos) << line;

    const auto noLlp = expectOneLineError(
        avvp({"eval", "--llp", path("nowhere").string(), "--pred-audio", gt("AVVP_eval_audio.csv"),
              "--pred-visual", gt("AVVP_eval_visual.csv")}));
    EXPECT_NE(noLlp.find("nowhere"), std::string::npos) << noLlp;
}

TEST_F(CliEval, MalformedPredictionFile) {
    const std::string header = "filename\tonset\toffset\tevent_labels\n";
    write("bad_class.csv",
          header + "4YdbENYcIyE_23_33\t0\t4\tSpeech\n\n4YdbENYcIyE_23_33\t1\t2\tKazoo\n");
    write("bad_time.csv", header + "4YdbENYcIyE_23_33\t0\t3.5\tSpeech\n");
    write("bad_cols.csv", header + "a\t1\t2\tDog\na\t1\t2\n");
    write("bad_range.csv", header + "a\t1\t2\tDog\na\t1\t2\tDog\na\t0\t11\tDog\n");
    write("bad_header.csv", "filename\tstart\tend\tevent_labels\na\t1\t2\tDog\n");
    write("bad_utf8.csv", header + "a\t1\t2\tDog\nb\xC3(\t1\t2\tDog\n");
    struct Case {
        const char* file;
        const char* where;
        const char* reason;
    };
    for (const Case& c : {Case{"bad_class.csv", "bad_class.csv:4:", "unknown class 'Kazoo'"},
                          Case{"bad_time.csv", "bad_time.csv:2:", "'3.5' is not an integer"},
                          Case{"bad_cols.csv", "bad_cols.csv:3:", "columns"},
                          Case{"bad_range.csv", "bad_range.csv:4:", "outside 0..10"},
                          Case{"bad_header.csv", "bad_header.csv:1:", "missing column 'onset'"},
                          Case{"bad_utf8.csv", "bad_utf8.csv:3:", "UTF-8"}}) {
        SCOPED_TRACE(c.file);
        for (const char* format : {"text", "tsv"}) {
            const auto line = expectOneLineError(
                avvp({"eval", "--format", format, "--llp", kLlp.string(), "--pred-audio",
                      gt("AVVP_eval_audio.csv"), "--pred-visual", path(c.file).string()}));
            EXPECT_NE(line.find(c.where), std::string::npos) << line;
            EXPECT_NE(line.find(c.reason), std::string::npos) << line;
        }
    }
}

TEST_F(CliEval, UsageErrors) {
    auto line = expectOneLineError(
        avvp({"eval", "--frobnicate", "--pred-audio", "a", "--pred-visual", "b"}));
    EXPECT_NE(line.find("--frobnicate"), std::string::npos) << line;

    auto args = gtAsPrediction();
    args[2] = "xml";
    line = expectOneLineError(avvp(args));
    EXPECT_NE(line.find("--format"), std::string::npos) << line;
    EXPECT_NE(line.find("xml"), std::string::npos) << line;

    line = expectOneLineError(avvp({"eval", "--pred-audio", gt("AVVP_eval_audio.csv")}));
    EXPECT_NE(line.find("--pred-visual"), std::string::npos) << line;

    line = expectOneLineError(avvp({"eval", "--pred-audio"}));
    EXPECT_NE(line.find("needs a value"), std::string::npos) << line;

    line = expectOneLineError(avvp({"eval", "--quiet=1", "--pred-audio", "a"}));
    EXPECT_NE(line.find("--quiet"), std::string::npos) << line;

    line = expectOneLineError(avvp({"eval", "stray", "--pred-audio", "a"}));
    EXPECT_NE(line.find("stray"), std::string::npos) << line;

    line = expectOneLineError(avvp({"evaluate"}));
    EXPECT_NE(line.find("evaluate"), std::string::npos) << line;

    // An unwritable --per-video file is an input error too.
    args = gtAsPrediction();
    args.insert(args.end(), {"--per-video", path("no_dir/x.tsv").string()});
    line = expectOneLineError(avvp(args));
    EXPECT_NE(line.find("no_dir/x.tsv"), std::string::npos) << line;
}

TEST_F(CliEval, EmptySplitIsAnError) {
    write("empty_split.csv", "filename\tevent_labels\n");
    const auto line = expectOneLineError(
        avvp({"eval", "--format", "tsv", "--llp", kLlp.string(), "--split",
              path("empty_split.csv").string(), "--pred-audio", gt("AVVP_eval_audio.csv"),
              "--pred-visual", gt("AVVP_eval_visual.csv")}));
    EXPECT_NE(line.find("empty_split.csv"), std::string::npos) << line;
    EXPECT_NE(line.find("no videos"), std::string::npos) << line;
}

TEST_F(CliEval, DenseFileGivenAsSplitIsAnError) {
    const auto line = expectOneLineError(avvp(
        {"eval", "--format", "tsv", "--llp", kLlp.string(), "--split", gt("AVVP_eval_audio.csv"),
         "--pred-audio", gt("AVVP_eval_audio.csv"), "--pred-visual", gt("AVVP_eval_visual.csv")}));
    EXPECT_NE(line.find("AVVP_eval_audio.csv:1"), std::string::npos) << line;
    EXPECT_NE(line.find("not a split file"), std::string::npos) << line;
}

TEST_F(CliEval, HandMadeSplitWithRepeatsAndUnknownVideos) {
    // Split: a test video listed twice and a name that no GT row has. Predictions: the
    // GT rows of that video (audio Baby_cry 0-4, visual 0-10), nothing else. Each entry
    // scores 1 (the unknown one has nothing anywhere): all ten values are 100.
    write("hand_split.csv",
          "filename\tevent_labels\n4YdbENYcIyE_23_33\tBaby_cry_infant_cry\n"
          "4YdbENYcIyE_23_33\tBaby_cry_infant_cry\nnot_a_video_0_10\tSpeech\n");
    write("hand_pa.csv",
          "filename\tonset\toffset\tevent_labels\n4YdbENYcIyE_23_33\t0\t4\tBaby_cry_infant_cry\n");
    write("hand_pv.csv",
          "filename\tonset\toffset\tevent_labels\n4YdbENYcIyE_23_33\t0\t10\tBaby_cry_infant_cry\n");
    std::vector<std::string> args = {"eval",
                                     "--format",
                                     "tsv",
                                     "--llp",
                                     kLlp.string(),
                                     "--split",
                                     path("hand_split.csv").string(),
                                     "--pred-audio",
                                     path("hand_pa.csv").string(),
                                     "--pred-visual",
                                     path("hand_pv.csv").string()};
    auto v = values(avvp(args));
    ASSERT_EQ(v.size(), 10U);
    for (double x : v) EXPECT_DOUBLE_EQ(x, 100.0);

    // Now a spurious audio Dog 0-10 in the unknown video: its audio F is 0, so audio
    // = 100 * (1 + 1 + 0) / 3 at both levels; visual and AV stay 100; Event@AV pooled
    // for that video is also 0 -> 200/3; Type@AV = (200/3 + 100 + 100) / 3.
    write("hand_pa.csv",
          "filename\tonset\toffset\tevent_labels\n"
          "4YdbENYcIyE_23_33\t0\t4\tBaby_cry_infant_cry\n"
          "not_a_video_0_10\t0\t10\tDog\n");
    v = values(avvp(args));
    ASSERT_EQ(v.size(), 10U);
    const double a = 200.0 / 3;
    const std::vector<double> want = {a, 100, 100, (a + 200) / 3, a};
    for (std::size_t i = 0; i < 10; ++i) EXPECT_NEAR(v[i], want[i % 5], 1e-6) << i;
}

TEST_F(CliEval, HelpExitsZero) {
    const auto r = avvp({"eval", "--help"});
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("usage: avvp eval"), std::string::npos);
}

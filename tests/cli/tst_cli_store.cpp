// `avvp import`, `avvp export`, `avvp eval --store` and `avvp store` as a user runs them:
// the LLP annotations go in, come out as LLP CSV and score 100 on all ten scores with
// `avvp eval`; every format exports, re-imports and exports the same again; malformed
// input exits 2 with one line naming file:line and leaves the store unchanged; the
// default store location; `avvp eval` on CSV files does not load Qt.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "app/cli/cli_output.h"
#include "cli_runner.h"
#include "core/media/label_video.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace avvp::test;

namespace {

const fs::path kFormats = kSource / "tests" / "data" / "formats";

class CliStore : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("avvp_tst_cli_store_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        const auto r = avvp({"import", "--store", store(), "--llp", kLlp.string()});
        ASSERT_EQ(r.code, 0) << r.err;
    }
    static void TearDownTestSuite() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    static std::string path(const std::string& name) { return (dir_ / name).string(); }
    static std::string store() { return path("llp.avvpstore"); }

    static RunResult avvp(const std::vector<std::string>& args, const std::string& env = "") {
        std::string cmd = env + (env.empty() ? "" : " ") + quote(kAvvp.string());
        for (const auto& a : args) cmd += " " + quote(a);
        return runShell(cmd, dir_);
    }

    // One line on stderr, nothing on stdout, exit code 2.
    static std::string oneLineError(const RunResult& r) {
        EXPECT_EQ(r.code, 2) << r.out << r.err;
        EXPECT_EQ(r.out, "");
        const auto l = lines(r.err);
        EXPECT_EQ(l.size(), 1U) << r.err;
        return l.empty() ? std::string() : l[0];
    }

    static inline fs::path dir_;
};

TEST_F(CliStore, HelpForEveryCommand) {
    for (const std::vector<std::string>& args : {std::vector<std::string>{"import", "--help"},
                                                 {"export", "--help"},
                                                 {"store", "--help"},
                                                 {"eval", "--store", "x", "--help"}}) {
        const auto r = avvp(args);
        EXPECT_EQ(r.code, 0) << r.err;
        EXPECT_EQ(r.out.rfind("usage: avvp " + args[0], 0), 0U) << r.out;
        EXPECT_NE(r.out.find("--store PATH"), std::string::npos);
    }
    const auto top = avvp({"--help"});
    EXPECT_NE(top.out.find("import "), std::string::npos);
    EXPECT_NE(top.out.find("export "), std::string::npos);
}

TEST_F(CliStore, ImportSummarisesAndReports) {
    const auto report = path("report.tsv");
    const auto r = avvp(
        {"import", "--store", path("fresh.avvpstore"), "--llp", kLlp.string(), "--report", report});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("videos: 11849 added"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1 x reversed row (first on line 3770)"), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "");  // no progress when stderr is not a terminal
    const auto rows = lines(readAll(report));
    ASSERT_GT(rows.size(), 50U);
    EXPECT_EQ(rows[0], "kind\tfile\tline\tdetail");
    EXPECT_NE(readAll(report).find("reversed row\t" + (kLlp / "AVVP_eval_audio.csv").string() +
                                   "\t3770\t8DF2PxdT5tE_390_400"),
              std::string::npos);
    // Again: nothing changes.
    const auto again = avvp({"import", "--store", path("fresh.avvpstore"), "--llp", kLlp.string()});
    EXPECT_NE(again.out.find("nothing changed"), std::string::npos) << again.out;
    EXPECT_EQ(oneLineError(avvp({"import", "--store", path("x.avvpstore")}))
                  .rfind("avvp import: nothing to import", 0),
              0U);
}

// The check: import -> export LLP CSV -> avvp eval = 100 on all ten scores.
TEST_F(CliStore, ExportedGroundTruthScoresHundred) {
    for (const std::string which : {"test", "val"}) {
        const auto out = path("llp_" + which);
        const auto e =
            avvp({"export", "--store", store(), "--format", "llp", "--split", which, "--out", out});
        ASSERT_EQ(e.code, 0) << e.err;
        const auto r = avvp({"eval", "--llp", kLlp.string(), "--split", which, "--pred-audio",
                             out + "/AVVP_eval_audio.csv", "--pred-visual",
                             out + "/AVVP_eval_visual.csv", "--format", "tsv"});
        ASSERT_EQ(r.code, 0) << r.err;
        const auto l = lines(r.out);
        ASSERT_EQ(l.size(), 2U);
        const auto values = split(l[1], '\t');
        ASSERT_EQ(values.size(), 10U);
        for (const auto& v : values) EXPECT_EQ(v, "100.000000") << which;
    }
}

// Issue 17, item 10: --source final (the ground truth with the accepted corrections),
// LLP weak labels that follow the exported events, ELAN without its empty tiers.
TEST_F(CliStore, ExportsFinalLabelsWeakLabelsAndOmitsEmptyTiers) {
    const auto s = path("final.avvpstore");
    auto r = avvp({"import", "--store", s, "--llp", kLlp.string(), "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string video = "KSRjje7GH44_60_70";
    fs::create_directories(path("corr"));
    const auto track = path("corr") + "/" + video + ".visual.txt";
    std::ofstream(track) << "1\t2\tDog\n";
    r = avvp({"import", "--store", s, "--format", "audacity", "--as", "correction", "--annotator",
              "eve", track, "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const std::string source : {"gt", "final"}) {
        r = avvp({"export", "--store", s, "--format", "dcase", "--source", source, "--video", video,
                  "--out", path(source + "_dcase")});
        ASSERT_EQ(r.code, 0) << source << r.err;
        r = avvp({"export", "--store", s, "--format", "llp", "--source", source, "--video", video,
                  "--out", path(source + "_llp")});
        ASSERT_EQ(r.code, 0) << source << r.err;
    }
    // The final labels hold eve's Dog besides the ground truth; the gt export does not.
    EXPECT_EQ(readAll(path("final_dcase") + "/audio.tsv"),
              readAll(path("gt_dcase") + "/audio.tsv"));
    EXPECT_EQ(readAll(path("gt_dcase") + "/visual.tsv").find("\tDog"), std::string::npos);
    EXPECT_NE(readAll(path("final_dcase") + "/visual.tsv").find("\tDog"), std::string::npos);
    // The weak labels of the final LLP export follow its events (Dog); the ground truth's
    // export keeps the store's weak labels.
    EXPECT_NE(readAll(path("final_llp") + "/AVVP_test_pd.csv").find("Dog"), std::string::npos);
    EXPECT_EQ(readAll(path("gt_llp") + "/AVVP_test_pd.csv").find("Dog"), std::string::npos);
    // ELAN without the empty tiers: a few tiers, the same events back.
    r = avvp({"export", "--store", s, "--format", "eaf", "--source", "final", "--video", video,
              "--omit-empty-tiers", "--out", path("final_eaf")});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto eaf = readAll(path("final_eaf") + "/" + video + ".eaf");
    std::size_t tiers = 0;
    for (auto at = eaf.find("<TIER "); at != std::string::npos; at = eaf.find("<TIER ", at + 1))
        ++tiers;
    EXPECT_GT(tiers, 0U);
    EXPECT_LT(tiers, 10U);
    const auto back = path("final_back.avvpstore");
    r = avvp({"import", "--store", back, "--format", "eaf", "--add-videos", path("final_eaf"),
              "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    r = avvp({"export", "--store", back, "--format", "dcase", "--out", path("back_dcase")});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const std::string m : {"/audio.tsv", "/visual.tsv"})
        EXPECT_EQ(readAll(path("back_dcase") + m), readAll(path("final_dcase") + m)) << m;
    EXPECT_NE(oneLineError(avvp({"export", "--store", s, "--format", "dcase", "--omit-empty-tiers",
                                 "--out", path("x")}))
                  .find("--omit-empty-tiers"),
              std::string::npos);
}

TEST_F(CliStore, EveryFormatExportsAndImportsBack) {
    const std::string videos = "Ishr8cHsJkc_180_190,4YdbENYcIyE_23_33,KSRjje7GH44_60_70";
    for (const std::string fmt : {"llp", "dcase", "eaf", "textgrid", "audacity", "json"}) {
        const auto out1 = path("fmt1_" + fmt) + (fmt == "json" ? ".json" : "");
        const auto out2 = path("fmt2_" + fmt) + (fmt == "json" ? ".json" : "");
        auto r =
            avvp({"export", "--store", store(), "--format", fmt, "--video", videos, "--out", out1});
        ASSERT_EQ(r.code, 0) << fmt << r.err;
        // Into a new store (creating the videos), as corrections, and out again.
        const auto other = path("fmt_" + fmt + ".avvpstore");
        std::vector<std::string> args = {"import", "--store",     other,        "--format",
                                         fmt,      "--as",        "correction", "--annotator",
                                         "eve",    "--add-videos"};
        if (fmt == "llp") {
            args.push_back(out1 + "/AVVP_eval_audio.csv");
            args.push_back(out1 + "/AVVP_eval_visual.csv");
        } else {
            args.push_back(out1);
        }
        r = avvp(args);
        ASSERT_EQ(r.code, 0) << fmt << r.err;
        r = avvp(
            {"export", "--store", other, "--format", fmt, "--source", "correction", "--out", out2});
        ASSERT_EQ(r.code, 0) << fmt << r.err;
        // Same files, up to the ELAN header's date (and the provenance the JSON names).
        for (const auto& entry : fs::directory_iterator(fmt == "json" ? fs::path(out1).parent_path()
                                                                      : fs::path(out1))) {
            if (fmt == "json" && entry.path() != fs::path(out1)) continue;
            if (fmt == "llp" && entry.path().filename().string().find("eval") == std::string::npos)
                continue;
            const auto twin =
                fmt == "json" ? fs::path(out2) : fs::path(out2) / entry.path().filename();
            ASSERT_TRUE(fs::exists(twin)) << twin;
            auto a = readAll(entry.path()), b = readAll(twin);
            const std::regex date("DATE=\"[^\"]*\""), provenance(", \"source\": [^}]*");
            a = std::regex_replace(std::regex_replace(a, date, ""), provenance, "");
            b = std::regex_replace(std::regex_replace(b, date, ""), provenance, "");
            if (fmt == "json") {  // the new store knows no splits or weak labels of its own
                const std::regex video(", \"split\": [^]]*\\], \"annotated\"");
                a = std::regex_replace(a, video, ", \"annotated\"");
                b = std::regex_replace(b, video, ", \"annotated\"");
            }
            EXPECT_EQ(a, b) << fmt << " " << entry.path().filename();
        }
    }
}

TEST_F(CliStore, MalformedInputLeavesTheStoreUnchanged) {
    const auto before = avvp({"store", "info", "--store", store()});
    ASSERT_EQ(before.code, 0);
    const auto line = oneLineError(
        avvp({"import", "--store", store(), "--format", "dcase", "--modality", "audio", "--as",
              "prediction", "--run", "bad", (kFormats / "bad_label.tsv").string()}));
    EXPECT_EQ(line, "avvp import: error: " + (kFormats / "bad_label.tsv").string() +
                        ":3: unknown event_label 'Dogg' (not one of the 25 LLP classes)");
    const auto eaf = oneLineError(avvp(
        {"import", "--store", store(), "--format", "eaf", (kFormats / "bad_value.eaf").string()}));
    EXPECT_NE(eaf.find("bad_value.eaf:15: "), std::string::npos) << eaf;
    EXPECT_EQ(avvp({"store", "info", "--store", store()}).out, before.out);
    EXPECT_EQ(avvp({"store", "check", "--store", store()}).out, "ok\n");
    // Usage errors name the problem and point to --help.
    EXPECT_NE(oneLineError(avvp({"import", "--store", store(), "x.tsv"})).find("need --format"),
              std::string::npos);
    EXPECT_NE(
        oneLineError(avvp({"export", "--store", store(), "--format", "pdf", "--out", path("x")}))
            .find("unknown --format 'pdf'"),
        std::string::npos);
    EXPECT_NE(oneLineError(avvp({"export", "--store", path("none.avvpstore"), "--format", "json",
                                 "--out", path("x")}))
                  .find("no store at this path"),
              std::string::npos);
    EXPECT_NE(oneLineError(avvp({"eval", "--store", store(), "--run", "nope"}))
                  .find("has no run named 'nope'"),
              std::string::npos);
}

TEST_F(CliStore, EvalOfAStoredRun) {
    const auto s = path("eval.avvpstore");
    ASSERT_EQ(avvp({"import", "--store", s, "--llp", kLlp.string(), "--quiet"}).code, 0);
    // The ground truth itself, imported as a run's predictions, scores 100.
    const auto r = avvp({"import", "--store", s, "--format", "llp", "--as", "prediction", "--run",
                         "oracle", "--quiet", (kLlp / "AVVP_eval_audio.csv").string(),
                         (kLlp / "AVVP_eval_visual.csv").string()});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto e = avvp({"eval", "--store", s, "--format", "tsv", "--save"});
    ASSERT_EQ(e.code, 0) << e.err;
    for (const auto& v : split(lines(e.out).at(1), '\t')) EXPECT_EQ(v, "100.000000");
    const auto text = avvp({"eval", "--store", s, "--run", "oracle", "--split", "val"});
    EXPECT_NE(text.out.find("the predictions of run oracle"), std::string::npos) << text.out;
    EXPECT_NE(avvp({"store", "info", "--store", s}).out.find("evaluations: 1"), std::string::npos);
}

// A run that predicts 2 of the 1200 test videos (issue 17, item 6): the output says how
// many of the split it covers and warns; --covered-only scores the two alone and says so.
TEST_F(CliStore, EvalSaysHowManyVideosARunCovers) {
    const auto s = path("partial.avvpstore");
    ASSERT_EQ(avvp({"import", "--store", s, "--llp", kLlp.string(), "--quiet"}).code, 0);
    const auto pa = path("pred_audio.csv"), pv = path("pred_visual.csv");
    std::ofstream(pa) << "filename\tonset\toffset\tevent_labels\n"
                         "4YdbENYcIyE_23_33\t0\t4\tBaby_cry_infant_cry\n"
                         "KSRjje7GH44_60_70\t8\t10\tBlender\n";
    std::ofstream(pv) << "filename\tonset\toffset\tevent_labels\n";
    const auto r = avvp({"import", "--store", s, "--format", "llp", "--as", "prediction", "--run",
                         "partial", "--quiet", pa, pv});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto all = avvp({"eval", "--store", s});
    ASSERT_EQ(all.code, 0) << all.err;
    EXPECT_NE(all.out.find("coverage: the set covers 2 of 1200 videos of the test split"),
              std::string::npos)
        << all.out;
    EXPECT_NE(all.out.find("warning: the 1198 videos the set leaves out"), std::string::npos);
    EXPECT_NE(all.out.find("1200 videos"), std::string::npos);
    const auto tsv = avvp({"eval", "--store", s, "--format", "tsv"});
    EXPECT_EQ(lines(tsv.out).size(), 2U);
    EXPECT_NE(tsv.err.find("covers 2 of 1200 videos"), std::string::npos) << tsv.err;
    const auto covered = avvp({"eval", "--store", s, "--covered-only"});
    ASSERT_EQ(covered.code, 0) << covered.err;
    EXPECT_NE(covered.out.find(", 2 videos"), std::string::npos) << covered.out;
    EXPECT_NE(covered.out.find("over the 2 videos it covers"), std::string::npos);
    EXPECT_EQ(covered.out.find("warning:"), std::string::npos);
    // Over the two it covers the audio scores far higher than over all 1200.
    const auto a = split(lines(avvp({"eval", "--store", s, "--format", "tsv"}).out).at(1), '\t');
    const auto c = split(
        lines(avvp({"eval", "--store", s, "--format", "tsv", "--covered-only"}).out).at(1), '\t');
    EXPECT_LT(std::stod(a.at(0)), 1.0);
    EXPECT_GT(std::stod(c.at(0)), 50.0);
}

// Runs are renamable (issue 17, item 6): `avvp runs rename OLD NEW` renames, an empty or
// taken NEW and an unknown OLD exit 2 with one line quoting the value and change nothing.
TEST_F(CliStore, RunsAreListedAndRenamed) {
    const auto s = path("rename.avvpstore");
    fs::copy_file(store(), s);
    for (const char* run : {"oracle", "other"})
        ASSERT_EQ(avvp({"import", "--store", s, "--format", "llp", "--as", "prediction", "--run",
                        run, "--quiet", (kLlp / "AVVP_eval_audio.csv").string(),
                        (kLlp / "AVVP_eval_visual.csv").string()})
                      .code,
                  0);
    auto r = avvp({"runs", "rename", "--store", s, "oracle", "ground truth copy"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "renamed run 'oracle' to 'ground truth copy'\n");
    r = avvp({"runs", "list", "--store", s});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto names = lines(r.out);
    ASSERT_EQ(names.size(), 2U) << r.out;
    EXPECT_EQ(split(names[0], '\t').at(0), "ground truth copy");
    EXPECT_EQ(split(names[1], '\t').at(0), "other");
    const auto before = readAll(s);
    EXPECT_NE(oneLineError(avvp({"runs", "rename", "--store", s, "other", "ground truth copy"}))
                  .find("'ground truth copy'"),
              std::string::npos);
    EXPECT_NE(oneLineError(avvp({"runs", "rename", "--store", s, "other", "  "})).find("empty"),
              std::string::npos);
    EXPECT_NE(oneLineError(avvp({"runs", "rename", "--store", s, "nope", "x"})).find("'nope'"),
              std::string::npos);
    EXPECT_EQ(readAll(s), before);
    EXPECT_EQ(lines(avvp({"runs", "list", "--store", s}).out), names);
}

// A store the user may not write (chmod 0444: nobody may write it, so also read-only for
// root, whom permissions do not stop): store info / check, export and eval --store read
// it, note "(read-only)" and never call it damaged; import and eval --save exit 2 saying
// it is read-only. The file's bytes do not change and no -wal / -shm file appears.
TEST_F(CliStore, ReadOnlyStoreIsReadAndNotWritten) {
    const auto s = path("readonly.avvpstore");
    fs::copy_file(store(), s);
    ASSERT_EQ(avvp({"import", "--store", s, "--format", "llp", "--as", "prediction", "--run",
                    "oracle", "--quiet", (kLlp / "AVVP_eval_audio.csv").string(),
                    (kLlp / "AVVP_eval_visual.csv").string()})
                  .code,
              0);
    // A writable store gets no note.
    auto r = avvp({"store", "info", "--store", s});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    const auto info = r.out;
    fs::permissions(s, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    const auto before = readAll(s);
    const std::string note = "avvp store: note: " + s + " is not writable (read-only)\n";

    r = avvp({"store", "info", "--store", s});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, info);
    EXPECT_EQ(r.err, note);
    r = avvp({"store", "check", "--store", s});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "ok\n");
    r = avvp({"export", "--store", s, "--format", "json", "--out", path("ro.json"), "--quiet"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");  // --quiet: no note either
    EXPECT_TRUE(fs::exists(path("ro.json")));
    r = avvp({"eval", "--store", s, "--format", "tsv"});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const auto& v : split(lines(r.out).at(1), '\t')) EXPECT_EQ(v, "100.000000");
    EXPECT_NE(r.err.find("(read-only)"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("damaged"), std::string::npos) << r.err;

    const auto save = oneLineError(avvp({"eval", "--store", s, "--save"}));
    EXPECT_NE(save.find("read-only"), std::string::npos) << save;
    const auto import =
        oneLineError(avvp({"import", "--store", s, "--format", "llp", "--as", "prediction", "--run",
                           "other", (kLlp / "AVVP_eval_audio.csv").string()}));
    EXPECT_NE(import.find(s + ": the store is read-only"), std::string::npos) << import;
    EXPECT_EQ(readAll(s), before);
    EXPECT_FALSE(fs::exists(s + "-wal"));
    EXPECT_FALSE(fs::exists(s + "-shm"));
    fs::permissions(s, fs::perms::owner_write, fs::perm_options::add);
}

TEST_F(CliStore, DefaultStoreLocation) {
    const auto home = path("xdg");
    auto r = avvp({"import", "--llp", kLlp.string(), "--quiet"},
                  "XDG_DATA_HOME=" + quote(home) + " AVVP_STORE=");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(fs::exists(fs::path(home) / "avvp-studio" / "default.avvpstore"));
    r = avvp({"store", "info"}, "AVVP_STORE=" + quote(path("env.avvpstore")));
    EXPECT_NE(oneLineError(r).find("env.avvpstore: no store at this path"), std::string::npos);
}

// A user's own 25 s video, end to end through the CLI: `import --videos --add-videos`
// records its real duration (a broken file is refused and reported), labels anywhere in
// [0, 25 s] import from a file and past the end exit 2 naming file:line, `eval --store`
// scores it over its 25 segments and names the protocol, exports carry real times and
// LLP CSV refuses it.
TEST_F(CliStore, LongVideoEndToEnd) {
    const auto videos = fs::path(path("long_videos"));
    fs::create_directories(videos);
    avvp::media::renderLabelVideo(videos / "my_long_video.mp4", {}, 25.0,
                                  {.width = 64, .height = 36, .frameRate = 10});
    { std::ofstream(videos / "broken.mp4") << "not a video"; }
    const auto s = path("long.avvpstore");
    const auto report = path("long_report.tsv");
    auto r = avvp(
        {"import", "--store", s, "--videos", videos.string(), "--add-videos", "--report", report});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("videos: 1 added"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  refused " + (videos / "broken.mp4").string() + ": not imported: "),
              std::string::npos)
        << r.out;
    EXPECT_NE(readAll(report).find("refused\t" + (videos / "broken.mp4").string() +
                                   "\t0\tnot imported: "),
              std::string::npos)
        << readAll(report);

    const auto gt = path("long_gt.tsv");
    { std::ofstream(gt) << "filename\tonset\toffset\tevent_label\nmy_long_video\t24\t25\tDog\n"; }
    r = avvp({"import", "--store", s, "--format", "dcase", "--modality", "audio", "--quiet", gt});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto pred = path("long_pred.tsv");
    {
        std::ofstream(pred) << "filename\tonset\toffset\tevent_label\nmy_long_video\t10\t12\tDog\n"
                               "my_long_video\t24\t25\tDog\n";
    }
    r = avvp({"import", "--store", s, "--format", "dcase", "--modality", "audio", "--as",
              "prediction", "--run", "r", "--quiet", pred});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto late = path("long_late.tsv");
    { std::ofstream(late) << "filename\tonset\toffset\tevent_label\nmy_long_video\t25\t26\tDog\n"; }
    EXPECT_EQ(oneLineError(
                  avvp({"import", "--store", s, "--format", "dcase", "--modality", "audio", late})),
              "avvp import: error: " + late +
                  ":2: the Dog (audio) event of 'my_long_video' ends at 26.0 s, after the end "
                  "of the video (25.0 s)");

    // Segment audio: Dog TP 1, FP 2 over 25 segments -> F = 2/4; visual, AV: 100.
    r = avvp({"eval", "--store", s, "--split", "all"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("any length: per video F over its own T segments, 1 videos of 25 "
                         "segments"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Segment      50.00   100.00   100.00    83.33"), std::string::npos)
        << r.out;

    r = avvp({"export", "--store", s, "--format", "textgrid", "--out", path("long_tg")});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(readAll(path("long_tg") + "/my_long_video.TextGrid").find("xmin = 0 \nxmax = 25 \n"),
              std::string::npos);
    r = avvp({"export", "--store", s, "--format", "dcase", "--out", path("long_dcase")});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(readAll(path("long_dcase") + "/audio.tsv"),
              "filename\tonset\toffset\tevent_label\nmy_long_video\t24\t25\tDog\n");
    EXPECT_NE(
        oneLineError(avvp({"export", "--store", s, "--format", "llp", "--out", path("long_llp")}))
            .find("video 'my_long_video' is 25 s long: LLP CSV holds clips of at most 10 s"),
        std::string::npos);
    EXPECT_FALSE(fs::exists(path("long_llp")));
}

// `avvp eval` on CSV files never loads Qt (the store commands live in a plugin).
TEST_F(CliStore, EvalOnCsvLoadsNoQt) {
    const auto r =
        avvp({"eval", "--pred-audio", (kLlp / "AVVP_eval_audio.csv").string(), "--pred-visual",
              (kLlp / "AVVP_eval_visual.csv").string(), "--format", "tsv"},
             "LD_DEBUG=libs");
    ASSERT_EQ(r.code, 0);
    EXPECT_EQ(r.err.find("libQt6"), std::string::npos);
    const auto s = avvp({"store", "info", "--store", store()}, "LD_DEBUG=libs");
    EXPECT_NE(s.err.find("libQt6Sql"), std::string::npos);  // the check can see Qt when it loads
}

// ---- issue 19, items 6 and 7: nothing partial is left behind, nothing deleted unasked ----

void writeText(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

// The files of a folder (recursively), as relative paths.
std::vector<std::string> filesIn(const fs::path& folder) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(folder))
        out.push_back(e.path().lexically_relative(folder).string());
    std::sort(out.begin(), out.end());
    return out;
}

// A tiny LLP dataset: two test videos, three audio and two visual ground-truth events.
fs::path tinyLlp(const fs::path& folder) {
    writeText(folder / "AVVP_test_pd.csv",
              "filename\tevent_labels\n4YdbENYcIyE_23_33\tBaby_cry_infant_cry\n"
              "KSRjje7GH44_60_70\tBlender,Speech\n");
    writeText(
        folder / "AVVP_eval_audio.csv",
        "filename\tonset\toffset\tevent_labels\n4YdbENYcIyE_23_33\t0\t4\tBaby_cry_infant_cry\n"
        "KSRjje7GH44_60_70\t8\t10\tBlender\nKSRjje7GH44_60_70\t0\t5\tSpeech\n");
    writeText(
        folder / "AVVP_eval_visual.csv",
        "filename\tonset\toffset\tevent_labels\n4YdbENYcIyE_23_33\t0\t10\tBaby_cry_infant_cry\n"
        "KSRjje7GH44_60_70\t0\t10\tBlender\n");
    return folder;
}

// A failed import into a new path leaves no store (nor the folders made for it); into an
// existing store it leaves the file byte for byte as it was.
TEST_F(CliStore, FailedImportLeavesNothing) {
    const auto bad = dir_ / "bad_llp" / "AVVP_test_pd.csv";
    writeText(bad, "filename\tevent_labels\n4YdbENYcIyE_23_33\tNot_a_class\n");
    const auto fresh = dir_ / "new_folder" / "sub" / "fresh.avvpstore";
    const auto line =
        oneLineError(avvp({"import", "--store", fresh.string(), "--test", bad.string()}));
    EXPECT_NE(line.find("AVVP_test_pd.csv:2"), std::string::npos) << line;
    EXPECT_FALSE(fs::exists(fresh));
    EXPECT_FALSE(fs::exists(dir_ / "new_folder"));

    const auto existing = path("existing.avvpstore");
    ASSERT_EQ(
        avvp({"import", "--store", existing, "--llp", tinyLlp(dir_ / "tiny").string(), "--quiet"})
            .code,
        0);
    const auto before = readAll(existing);
    oneLineError(avvp({"import", "--store", existing, "--test", bad.string()}));
    EXPECT_EQ(readAll(existing), before);
    EXPECT_FALSE(fs::exists(existing + "-wal"));
}

// A header-only ground-truth file deletes that modality's ground truth of the videos it
// covers: only with --replace; without it the import lists what it would delete, exits 2
// and leaves the store as it was.
TEST_F(CliStore, DeletingGroundTruthNeedsReplace) {
    const auto s = path("replace.avvpstore");
    const auto tiny = tinyLlp(dir_ / "tiny_replace");
    ASSERT_EQ(avvp({"import", "--store", s, "--llp", tiny.string(), "--quiet"}).code, 0);
    // The same data again deletes nothing: no --replace needed.
    ASSERT_EQ(avvp({"import", "--store", s, "--llp", tiny.string(), "--quiet"}).code, 0);
    const auto headerOnly = dir_ / "header_only" / "AVVP_eval_audio.csv";
    writeText(headerOnly, "filename\tonset\toffset\tevent_labels\n");
    const auto before = readAll(s);
    const auto line =
        oneLineError(avvp({"import", "--store", s, "--gt-audio", headerOnly.string()}));
    EXPECT_NE(line.find("would delete 3 audio and 0 visual ground-truth events of 2 videos "
                        "('4YdbENYcIyE_23_33', 'KSRjje7GH44_60_70')"),
              std::string::npos)
        << line;
    EXPECT_NE(line.find("nothing was changed"), std::string::npos) << line;
    EXPECT_NE(line.find("--replace"), std::string::npos) << line;
    EXPECT_EQ(readAll(s), before);
    EXPECT_NE(avvp({"store", "info", "--store", s}).out.find("events: 5 ground truth"),
              std::string::npos);

    const auto r = avvp({"import", "--store", s, "--gt-audio", headerOnly.string(), "--replace"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("ground truth deleted (--replace): 3 audio and 0 visual"),
              std::string::npos)
        << r.out;
    EXPECT_NE(avvp({"store", "info", "--store", s}).out.find("events: 2 ground truth"),
              std::string::npos);
}

// A --store value with a URL scheme other than postgresql:// is refused by every store
// command, creating nothing (it used to be taken as a path: folders "postgresql:/host"
// appeared). A PostgreSQL URL is a team store: no server there is a connection error
// (exit 2) that shows no password and creates nothing either.
TEST_F(CliStore, UrlStoreIsRefused) {
    const auto cwd = dir_ / "url_cwd";
    fs::create_directories(cwd);
    const std::string cd = "cd " + quote(cwd.string()) + " &&";
    const auto tiny = tinyLlp(dir_ / "tiny_url");
    for (const std::string url :
         {"postgresql://127.0.0.1:1/db", "postgres://u:Pw9@127.0.0.1:1/d"}) {
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {"import", "--store", url, "--llp", tiny.string()},
                 {"export", "--store", url, "--format", "json", "--out", "x.json"},
                 {"eval", "--store", url},
                 {"store", "info", "--store", url}}) {
            const auto r = avvp(args, cd);
            const auto line = oneLineError(r);
            EXPECT_EQ(r.code, 2) << line;
            EXPECT_NE(line.find("cannot connect"), std::string::npos) << line;
            EXPECT_EQ(line.find("Pw9"), std::string::npos) << line;
        }
    }
    EXPECT_NE(
        oneLineError(
            avvp({"import", "--store", "file:///tmp/x.avvpstore", "--llp", tiny.string()}, cd))
            .find("a file:// URL is not a store path"),
        std::string::npos);
    EXPECT_TRUE(filesIn(cwd).empty());
}

// writeFileWith (every side file of the CLI: --per-video, --per-class, --report) writes
// in full or not at all: a writer that fails midway leaves the old file as it was and no
// temporary beside it.
TEST_F(CliStore, SideFileIsWrittenWholeOrNotAtAll) {
    const auto folder = dir_ / "side";
    const auto target = folder / "per_video.tsv";
    writeText(target, "old content\n");
    EXPECT_THROW(avvp::app::writeFileWith(target.string(),
                                          [](std::ostream& o) {
                                              o << "half of the new";
                                              throw std::runtime_error("disk gone");
                                          }),
                 std::runtime_error);
    EXPECT_EQ(readAll(target), "old content\n");
    EXPECT_EQ(filesIn(folder), std::vector<std::string>{"per_video.tsv"});
    const auto fresh = folder / "fresh.tsv";
    EXPECT_THROW(avvp::app::writeFileWith(fresh.string(),
                                          [](std::ostream&) { throw std::runtime_error("x"); }),
                 std::runtime_error);
    EXPECT_FALSE(fs::exists(fresh));
    avvp::app::writeFileWith(target.string(), [](std::ostream& o) { o << "new\n"; });
    EXPECT_EQ(readAll(target), "new\n");
    EXPECT_EQ(filesIn(folder), std::vector<std::string>{"per_video.tsv"});
    // A file that is no regular file is written in place.
    avvp::app::writeFileWith("/dev/null", [](std::ostream& o) { o << "x"; });
}

// On a full disk (a small tmpfs) export, eval --per-video and import fail with exit 2 and
// leave no partial or empty file. Needs mount(2) (root in a VM); skipped where it fails.
TEST_F(CliStore, FullDiskLeavesNoPartialFiles) {
    const auto mnt = dir_ / "tmpfs";
    const avvp::test::SmallTmpfs tmpfs(mnt, "256k");
    if (!tmpfs.mounted()) GTEST_SKIP() << tmpfs.skipReason();
    // The LLP export (as JSON, several MB) does not fit in 256 KB.
    auto line = oneLineError(avvp(
        {"export", "--store", store(), "--format", "json", "--out", (mnt / "all.json").string()}));
    EXPECT_TRUE(filesIn(mnt).empty()) << line;
    // A file per video (ELAN): the disk fills after a few dozen.
    line = oneLineError(
        avvp({"export", "--store", store(), "--format", "eaf", "--out", (mnt / "eaf").string()}));
    EXPECT_TRUE(filesIn(mnt).empty()) << line;
    // A store does not fit either: the import fails (SQLite: the disk is full) and leaves
    // nothing.
    const auto r =
        avvp({"import", "--store", (mnt / "s.avvpstore").string(), "--llp", kLlp.string()});
    EXPECT_NE(r.code, 0);
    EXPECT_TRUE(filesIn(mnt).empty()) << r.err;
    EXPECT_NE(r.err.find("s.avvpstore: the disk is full"), std::string::npos) << r.err;
    // Smaller disks fill while the schema is created (SQLite then rolls back by itself) or
    // at the first write: the message still names the full disk, never a failed rollback.
    for (const char* size : {"32k", "96k", "160k"}) {
        const auto small = dir_ / (std::string("tmpfs_") + size);
        const avvp::test::SmallTmpfs smallTmpfs(small, size);
        ASSERT_TRUE(smallTmpfs.mounted()) << smallTmpfs.skipReason();
        const auto f =
            avvp({"import", "--store", (small / "s.avvpstore").string(), "--llp", kLlp.string()});
        EXPECT_NE(f.code, 0) << size;
        EXPECT_NE(f.err.find("s.avvpstore: the disk is full"), std::string::npos)
            << size << ": " << f.err;
        EXPECT_EQ(f.err.find("rollback"), std::string::npos) << size << ": " << f.err;
        EXPECT_TRUE(filesIn(small).empty()) << size << ": " << f.err;
    }
    // Fill the disk; a side file then cannot be written, and none is left.
    {
        std::ofstream fill(mnt / "fill", std::ios::binary);
        const std::string block(4096, 'x');
        while (fill.write(block.data(), static_cast<std::streamsize>(block.size()))) {
        }
    }
    const auto tiny = tinyLlp(dir_ / "tiny_full");
    const auto s = path("full_disk.avvpstore");
    ASSERT_EQ(avvp({"import", "--store", s, "--llp", tiny.string(), "--quiet"}).code, 0);
    ASSERT_EQ(avvp({"import", "--store", s, "--format", "llp", "--as", "prediction", "--run", "r",
                    "--quiet", (tiny / "AVVP_eval_audio.csv").string(),
                    (tiny / "AVVP_eval_visual.csv").string()})
                  .code,
              0);
    line =
        oneLineError(avvp({"eval", "--store", s, "--per-video", (mnt / "per_video.tsv").string()}));
    EXPECT_NE(line.find("per_video.tsv"), std::string::npos) << line;
    EXPECT_EQ(filesIn(mnt), std::vector<std::string>{"fill"});
}

}  // namespace

// Calibrated thresholds with a run (issue 20, items 1 and 2): the store functions
// (core/store/run_thresholds.h) and `avvp calibrate` / `avvp eval --store --thresholds`
// / `--ap` end to end, on a store whose best threshold is known by hand.
#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include "core/calibration.h"
#include "core/store/run_thresholds.h"
#include "core/store/store.h"
#include "tests/cli/cli_runner.h"

using namespace avvp;
using namespace avvp::store;
namespace fs = std::filesystem;

namespace {

const int kDog = *core::classIndex("Dog");

}  // namespace

class TestRunThresholds : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    fs::path dir_, path_;
    RunId run_ = 0;

    test::RunResult avvp(const std::vector<std::string>& args) {
        std::string cmd = test::quote(test::kAvvp.string());
        for (const auto& a : args) cmd += " " + test::quote(a);
        return test::runShell(cmd, dir_);
    }
    std::string file(const std::string& name) const { return (dir_ / name).string(); }
    // The audio segment F (first TSV value) of `avvp eval --store` with `extra`.
    double audioF(std::vector<std::string> extra) {
        std::vector<std::string> args = {"eval", "--store",  path_.string(), "--run",
                                         "r",    "--format", "tsv"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = avvp(args);
        if (r.code != 0) return -1.0;
        return std::stod(test::split(test::lines(r.out).at(1), '\t').at(0));
    }

  private slots:
    // Four val and four test videos, each with Dog heard in 0-5 s (visual ground truth
    // present and empty). The run's Dog audio probability is 0.3 on those five segments
    // and 0.1 elsewhere, its Dog global 0.9: at the run's 0.5 nothing is predicted
    // (audio F 0); the F1-maximising threshold is halfway, 0.2 (audio F 100).
    void initTestCase() {
        dir_ = fs::path(tmp_.path().toStdString());
        path_ = dir_ / "cal.avvpstore";
        auto s = Store::open(path_, {.annotator = "alice"});
        Run run;
        run.name = "r";
        run_ = s->addRun(run);
        std::vector<SegmentProbabilities> probs;
        for (int i = 0; i < 8; ++i) {
            const auto id = s->ensureVideo({.filename = "v" + std::to_string(i),
                                            .split = i < 4 ? core::Split::Val : core::Split::Test,
                                            .durationMs = 10000});
            s->replaceEvents(id, core::Modality::Audio, Source::GroundTruth,
                             {{core::Modality::Audio, kDog, 0, 5000}});
            s->replaceEvents(id, core::Modality::Visual, Source::GroundTruth, {});
            SegmentProbabilities p;
            p.video = id;
            p.frame.assign(core::frameSize(10), 0.0F);
            p.global.assign(core::kNumClasses, 0.0F);
            p.global[static_cast<std::size_t>(kDog)] = 0.9F;
            for (int t = 0; t < 10; ++t)
                p.frame[core::frameIndex(t, core::Modality::Audio, kDog)] = t < 5 ? 0.3F : 0.1F;
            probs.push_back(p);
        }
        s->putProbabilities(run_, probs, true);
    }

    void scoredVideosPairProbabilitiesWithGroundTruth() {
        auto s = Store::open(path_, {.annotator = "alice"});
        LabelSelection sel;
        sel.run = run_;
        sel.split = core::Split::Val;
        std::size_t missing = 9;
        const auto v = scoredVideos(*s, run_, sel, &missing);
        QCOMPARE(v.size(), std::size_t{4});
        QCOMPARE(missing, std::size_t{0});
        QCOMPARE(v[0].gtAudio.count(kDog), 5);
        QCOMPARE(v[0].gtVisual.count(), 0);
        const auto cal = core::calibratePerClass(v, core::Thresholds{});
        QVERIFY(std::abs(cal.thresholds.audio[static_cast<std::size_t>(kDog)] - 0.2F) < 1e-6F);
        // Scored with them, the test split is perfect in audio.
        sel.split = core::Split::Test;
        sel.source = Source::Prediction;
        const auto e = evaluateWithThresholds(*s, sel, cal.thresholds);
        QCOMPARE(e.result.dataset.segment[core::kAudio], 100.0);
        QCOMPARE(e.coverage.covered, std::size_t{4});
    }

    void calibrateThenEvalWithTheThresholdsFile() {
        QCOMPARE(audioF({}), 0.0);  // the run's own 0.5
        const auto text = avvp({"eval", "--store", path_.string(), "--run", "r"});
        QVERIFY2(text.out.find("thresholds: the run's prediction events: frame 0.50, global 0.50 "
                               "(the run's own)") != std::string::npos,
                 text.out.c_str());
        const auto r = avvp({"calibrate", "--store", path_.string(), "--run", "r", "--split", "val",
                             "--out", file("t.json")});
        QVERIFY2(r.code == 0, r.err.c_str());
        QVERIFY2(r.out.find("0.00 -> 100.00") != std::string::npos, r.out.c_str());
        const auto f = core::readThresholdsFile(file("t.json"));
        QCOMPARE(f.mode, std::string("per-class"));
        QCOMPARE(f.split, std::string("val"));
        QCOMPARE(f.run, std::string("r"));
        QCOMPARE(f.videos, 4);
        QVERIFY(std::abs(f.thresholds.audio[static_cast<std::size_t>(kDog)] - 0.2F) < 1e-6F);
        QCOMPARE(audioF({"--thresholds", file("t.json")}), 100.0);
        const auto tsv = avvp({"eval", "--store", path_.string(), "--run", "r", "--format", "tsv",
                               "--thresholds", file("t.json")});
        QVERIFY2(test::lines(tsv.out).at(0).ends_with("\tthresholds"), tsv.out.c_str());
        QVERIFY2(test::lines(tsv.out).at(1).find("per-class thresholds") != std::string::npos,
                 tsv.out.c_str());
        const auto json = avvp({"eval", "--store", path_.string(), "--run", "r", "--format", "json",
                                "--thresholds", file("t.json")});
        QVERIFY2(json.out.find("\"thresholds\":\"per-class thresholds") != std::string::npos,
                 json.out.c_str());
        // Stored with the run, not yet applied: the stored events are unchanged.
        auto s = Store::open(path_, {.annotator = "alice"});
        QVERIFY(runThresholds(*s, run_).has_value());
        QVERIFY(!runThresholds(*s, run_, true).has_value());
        QCOMPARE(audioF({}), 0.0);
    }

    void applyRethresholdsTheRunsEvents() {
        const auto r = avvp({"calibrate", "--store", path_.string(), "--split", "val", "--apply"});
        QVERIFY2(r.code == 0, r.err.c_str());
        QVERIFY2(r.out.find("8 videos changed") != std::string::npos, r.out.c_str());
        QCOMPARE(audioF({}), 100.0);
        const auto text = avvp({"eval", "--store", path_.string(), "--run", "r"});
        QVERIFY2(text.out.find("applied to the run") != std::string::npos, text.out.c_str());
        // CoLeaF's preset: 0.25 / 0.52 catches the 0.3 segments too.
        const auto c = avvp(
            {"calibrate", "--store", path_.string(), "--mode", "coleaf", "--out", file("c.json")});
        QVERIFY2(c.code == 0, c.err.c_str());
        const auto f = core::readThresholdsFile(file("c.json"));
        QCOMPARE(f.thresholds.global, 0.52F);
        QCOMPARE(f.thresholds.visual[3], 0.25F);
        const auto g = avvp({"calibrate", "--store", path_.string(), "--mode", "global"});
        QVERIFY2(g.code == 0 && g.out.find("-> 100.00") != std::string::npos, g.out.c_str());
    }

    void averagePrecisionAndCurves() {
        const auto r = avvp({"eval", "--store", path_.string(), "--run", "r", "--ap", "--pr-tsv",
                             file("pr.tsv"), "--pr-figure", file("pr.svg")});
        QVERIFY2(r.code == 0, r.err.c_str());
        QVERIFY2(r.out.find("segment-level AP, 1 s segments") != std::string::npos, r.out.c_str());
        QVERIFY2(r.out.find("audio           100.00") != std::string::npos, r.out.c_str());
        QVERIFY(test::readAll(file("pr.svg")).find("</svg>") != std::string::npos);
        QVERIFY(test::readAll(file("pr.tsv")).find("audio\tDog\t0.300000\t1.000000\t1.000000") !=
                std::string::npos);
        const auto json =
            avvp({"eval", "--store", path_.string(), "--run", "r", "--ap", "--format", "json"});
        QVERIFY2(json.out.find("\"Dog\":{\"ap\":1.000000,\"positives\":20}") != std::string::npos,
                 json.out.c_str());
    }

    void badInputChangesNothing() {
        const auto before = test::readAll(path_);
        auto r = avvp({"calibrate", "--store", path_.string(), "--mode", "best"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.find("'best'") != std::string::npos, r.err.c_str());
        r = avvp({"calibrate", "--store", path_.string(), "--frame", "1.5"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.find("'1.5'") != std::string::npos, r.err.c_str());
        std::ofstream(file("bad.json")) << "{\"format\": \"avvp-thresholds\", \"global\": 2}";
        r = avvp({"eval", "--store", path_.string(), "--thresholds", file("bad.json")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.find("bad.json") != std::string::npos, r.err.c_str());
        r = avvp({"eval", "--store", path_.string(), "--ap", "--pr-figure", file("x.png")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.find("x.png") != std::string::npos, r.err.c_str());
        QVERIFY(test::readAll(path_) == before);
    }
};

QTEST_GUILESS_MAIN(TestRunThresholds)
#include "tst_run_thresholds.moc"

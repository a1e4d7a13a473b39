// Evaluation of a store's sets (issue 17, item 6): how many videos of the split a set
// covers (a prediction run: its events or probabilities; corrections: their events), and
// the scores over the covered videos only, on data small enough to check by hand.
#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "core/error.h"
#include "core/evaluation.h"
#include "core/prediction.h"
#include "core/store/label_exchange.h"
#include "core/store/store.h"
#include "core/store/store_evaluation.h"

using namespace avvp;
using namespace avvp::store;
namespace fs = std::filesystem;

namespace {

const int kDog = *core::classIndex("Dog");

}  // namespace

class TestStoreEvaluation : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    fs::path path_;
    RunId run_ = 0;

  private slots:
    // Four test videos, each with Dog in audio 0-5 s. The run predicts it exactly on v1
    // and v2, holds all-zero probabilities (no events) for v3 and nothing for v4; alice
    // corrected v1 only. A fifth video is in the val split.
    void initTestCase() {
        path_ = fs::path(tmp_.path().toStdString()) / "coverage.avvpstore";
        auto s = Store::open(path_, {.annotator = "alice"});
        std::vector<VideoId> v;
        for (int i = 1; i <= 4; ++i)
            v.push_back(s->ensureVideo({.filename = "v" + std::to_string(i),
                                        .split = core::Split::Test,
                                        .durationMs = 10000}));
        const auto val =
            s->ensureVideo({.filename = "w", .split = core::Split::Val, .durationMs = 10000});
        for (auto id : v)
            s->replaceEvents(id, core::Modality::Audio, Source::GroundTruth,
                             {{core::Modality::Audio, kDog, 0, 5000}});
        s->replaceEvents(val, core::Modality::Audio, Source::GroundTruth,
                         {{core::Modality::Audio, kDog, 0, 5000}});
        Run run;
        run.name = "partial";
        run_ = s->addRun(run);
        for (int i = 0; i < 2; ++i)
            s->replaceEvents(v[static_cast<std::size_t>(i)], core::Modality::Audio,
                             Source::Prediction, {{core::Modality::Audio, kDog, 0, 5000}}, run_);
        SegmentProbabilities zero;
        zero.video = v[2];
        zero.frame.assign(10 * 2 * core::kNumClasses, 0.0F);
        zero.global.assign(core::kNumClasses, 0.0F);
        s->putProbabilities(run_, {zero}, false);
        s->apply(Edit::add(v[0], core::Modality::Audio, kDog, 0, 5000));
    }

    void countsTheVideosASetCovers() {
        auto s = Store::open(path_, {.annotator = "alice"});
        LabelSelection pred;
        pred.source = Source::Prediction;
        pred.run = run_;
        pred.split = core::Split::Test;
        const auto e = evaluateSelection(*s, pred);
        QCOMPARE(e.coverage.videos, std::size_t{4});
        QCOMPARE(e.coverage.covered, std::size_t{3});  // v3 by its probabilities alone
        QVERIFY(!e.coverage.complete());
        QVERIFY(!e.coverage.coveredOnly);
        QCOMPARE(e.coverage.text(), std::string("covers 3 of 4 videos of the test split"));
        QCOMPARE(e.result.videos.size(), std::size_t{4});
        // Audio segment F per video: 100, 100, 0, 0.
        QVERIFY(std::abs(e.result.dataset.segment[core::kAudio] - 50.0) < 1e-9);

        LabelSelection corr;
        corr.source = Source::Correction;
        corr.split = core::Split::Test;
        const auto c = evaluateSelection(*s, corr);
        QCOMPARE(c.coverage.covered, std::size_t{1});
        QCOMPARE(c.coverage.videos, std::size_t{4});

        pred.split.reset();  // every video of the store
        const auto all = evaluateSelection(*s, pred);
        QCOMPARE(all.coverage.text(), std::string("covers 3 of 5 videos in the store"));
        pred.videos = {"v1", "v4"};
        const auto named = evaluateSelection(*s, pred);
        QCOMPARE(named.coverage.text(), std::string("covers 1 of the 2 selected videos"));
    }

    void scoresOverTheCoveredVideosOnly() {
        auto s = Store::open(path_, {.annotator = "alice"});
        LabelSelection pred;
        pred.source = Source::Prediction;
        pred.run = run_;
        pred.split = core::Split::Test;
        const auto e = evaluateSelection(*s, pred, nullptr, EvalScope::CoveredVideos);
        QVERIFY(e.coverage.coveredOnly);
        QCOMPARE(e.coverage.covered, std::size_t{3});
        QCOMPARE(e.result.videos, (std::vector<std::string>{"v1", "v2", "v3"}));
        // 100, 100, 0 over three videos.
        QVERIFY(std::abs(e.result.dataset.segment[core::kAudio] - 200.0 / 3) < 1e-9);
        QCOMPARE(evaluationRecord(e, pred).videos, 3);
        QCOMPARE(evaluationRecord(e, pred).split, std::string("test, 3 covered videos"));

        LabelSelection corr;
        corr.source = Source::Correction;
        corr.split = core::Split::Test;
        const auto c = evaluateSelection(*s, corr, nullptr, EvalScope::CoveredVideos);
        QCOMPARE(c.result.videos, std::vector<std::string>{"v1"});
        QVERIFY(std::abs(c.result.dataset.segment[core::kAudio] - 100.0) < 1e-9);

        // A set that covers nothing of the split says so instead of scoring nothing.
        pred.split = core::Split::Val;
        try {
            evaluateSelection(*s, pred, nullptr, EvalScope::CoveredVideos);
            QFAIL("no error");
        } catch (const core::InputError& err) {
            QVERIFY2(std::string(err.what()).find("covers none of the 1 videos of the val split") !=
                         std::string::npos,
                     err.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestStoreEvaluation)
#include "tst_store_evaluation.moc"

// Model runs without widgets (app/workspace/model_runs.h, model_workflow.h): a run over a
// split stores the probabilities a direct forward pass gives and the research outputs,
// which runOutputs reads back; a cancelled run and a run of videos without features store
// nothing; global_prob is clamped as it is stored; the workflow loads a checkpoint and makes
// its run the session's shown run.
#include <QSignalSpy>
#include <QTest>
#include <cmath>

#include "app/workspace/jobs.h"
#include "app/workspace/model_runs.h"
#include "app/workspace/model_workflow.h"
#include "app/workspace/session.h"
#include "core/error.h"
#include "workspace_test_util.h"

using namespace avvp;
using namespace avvp::workspace;

namespace {

// Cancels the work at its `at`-th report.
struct CancelAt : core::Progress {
    explicit CancelAt(int at) : at_(at) {}
    void report(double, std::string_view) override {
        if (++reports_ == at_) cancel();
    }
    int at_, reports_ = 0;
};

}  // namespace

class TestModelRuns : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    test::TinyProject valor_;
    std::filesystem::path linkCkpt_;

    RunRequest request(const std::filesystem::path& ckpt, const std::string& name) const {
        RunRequest r;
        r.store = valor_.store;
        r.annotator = "tester";
        r.model = loadModel(ckpt, "cpu");
        r.checkpoint = ckpt.string();
        r.split = core::Split::Test;
        r.runName = name;
        r.batch = 4;
        return r;
    }

  private slots:
    void initTestCase() {
        test::initTest("tst_model_runs");
        dir_ = std::make_unique<test::ScratchDir>();
        valor_ = test::makeTinyProject(dir_->path());
        // A tiny LINK on the same features: the research views' outputs (TSAM, CMIM, S-LOSS).
        auto cfg = models::defaultConfig("link");
        const auto base = loadModel(valor_.checkpoint, "cpu")->config();
        cfg.audioFeature = base.audioFeature;
        cfg.audioRows = base.audioRows;
        cfg.audioDim = base.audioDim;
        cfg.visualFeature = base.visualFeature;
        cfg.visualRows = base.visualRows;
        cfg.visualDim = base.visualDim;
        cfg.useMotion = false;
        cfg.hidden = 16;
        cfg.layers = 1;
        cfg.heads = 2;
        cfg.ff = 32;
        linkCkpt_ = dir_->path() / "link.ckpt";
        models::Model::create(cfg, 4).save(linkCkpt_);
    }

    void runStoresWhatAForwardPassGives() {
        core::Progress progress;
        const auto req = request(linkCkpt_, "link on test");
        const auto summary = runModel(req, progress);
        QCOMPARE(summary.videos, static_cast<int>(valor_.test.size()));
        QVERIFY(summary.skipped.empty());
        auto s = store::Store::open(valor_.store);
        const auto run = s->runByName("link on test");
        QVERIFY(run && run->id == summary.run);
        const auto probs = s->probabilities(run->id);
        QCOMPARE(probs.size(), valor_.test.size());
        for (const auto& p : probs) {
            const auto out = forwardVideo(*req.model, *s, p.video);
            const auto& frame = out.at("frame_prob").data;
            QCOMPARE(p.frame.size(), frame.size());
            for (std::size_t i = 0; i < frame.size(); ++i)
                QVERIFY(std::abs(p.frame[i] - frame[i]) < 1e-6F);
            // The research outputs: every one the model gives, as it gives it.
            const auto stored = runOutputs(*s, run->id, p.video);
            QVERIFY(stored);
            int compared = 0;
            for (const auto& name : researchOutputNames()) {
                const auto it = out.find(name);
                if (it == out.end()) continue;
                QVERIFY2(stored->count(name), name.c_str());
                const auto& a = stored->at(name);
                QCOMPARE(a.data.size(), it->second.data.size());
                for (std::size_t i = 0; i < a.data.size(); ++i)
                    QVERIFY(std::abs(a.data[i] - it->second.data[i]) < 1e-5F);
                ++compared;
            }
            for (const char* name : {"frame_att", "tsam_w_a", "cmim_a_av", "sloss_c", "sloss_mu"})
                QVERIFY2(stored->count(name), name);
            QVERIFY(compared >= 10);
            QCOMPARE(stored->at("global_prob").shape, (std::vector<std::int64_t>{1, 25}));
        }
        // A video the run did not cover has no outputs; deleting the run drops them.
        QVERIFY(!runOutputs(*s, run->id, valor_.noFeatures));
        const auto first = valor_.test.front();
        s->deleteRun(run->id);
        QVERIFY(s->runOutputs(run->id, first).empty());
    }

    void cancelledRunStoresNothing() {
        auto s = store::Store::open(valor_.store);
        const auto before = s->runs().size();
        CancelAt progress(2);
        auto req = request(valor_.checkpoint, "cancelled");
        req.batch = 1;
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, runModel(req, progress));
        QCOMPARE(s->runs().size(), before);
        QVERIFY(!s->runByName("cancelled"));
    }

    void videosWithoutFeaturesFail() {
        core::Progress progress;
        auto req = request(valor_.checkpoint, "no features");
        req.split.reset();
        req.videos = {valor_.noFeatures};
        try {
            runModel(req, progress);
            QFAIL("no error");
        } catch (const core::InputError& e) {
            const QString what = QString::fromUtf8(e.what());
            QVERIFY2(what.contains(QStringLiteral("own_video_without_features")) &&
                         what.contains(QStringLiteral("no audio features")),
                     qPrintable(what));
        }
        QVERIFY(!store::Store::open(valor_.store)->runByName("no features"));
    }

    // A run stores frame_prob as given and global_prob clamped to [0, 1]: the MMIL head's
    // sum over time and modality can exceed 1 (a trained LINK gave 1.04), which the store
    // refuses; NaN is kept (and refused), shapes that do not fit the videos fail.
    void storedGlobalProbabilitiesAreClamped() {
        const std::size_t perFrame = std::size_t{10} * 2 * 25;
        models::Array frame{{2, 10, 2, 25}, std::vector<float>(2 * perFrame, 0.25F)};
        frame.data[perFrame + 7] = 0.75F;
        models::Array global{{2, 25}, std::vector<float>(50, 0.5F)};
        global.data[3] = 1.6F;
        global.data[4] = -0.2F;
        global.data[30] = 1.0F;
        global.data[31] = std::nanf("");
        const auto p = segmentProbabilities(frame, global, {11, 12});
        QCOMPARE(p.size(), std::size_t{2});
        QCOMPARE(p[0].video, store::VideoId{11});
        QCOMPARE(p[1].video, store::VideoId{12});
        QCOMPARE(p[1].segments, 10);
        QCOMPARE(p[1].frame.size(), perFrame);
        QCOMPARE(p[1].frame[7], 0.75F);
        QCOMPARE(p[0].global[3], 1.0F);
        QCOMPARE(p[0].global[4], 0.0F);
        QCOMPARE(p[0].global[5], 0.5F);
        QCOMPARE(p[1].global[5], 1.0F);
        QVERIFY(std::isnan(p[1].global[6]));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 segmentProbabilities(frame, global, {11, 12, 13}));
    }

    void videoOutputsSliceTheBatch() {
        models::Outputs batch;
        batch["frame_att"] = {{2, 10, 2, 25}, std::vector<float>(1000)};
        for (std::size_t i = 0; i < 1000; ++i) batch["frame_att"].data[i] = static_cast<float>(i);
        batch["sloss_mu"] = {{1}, {0.3F}};
        batch["loss_total"] = {{1}, {2.0F}};  // not a research output
        const auto second = videoOutputs(batch, 1, 2);
        QCOMPARE(second.size(), std::size_t{2});
        QCOMPARE(second[0].name, std::string("frame_att"));
        QCOMPARE(second[0].shape, (std::vector<std::int64_t>{1, 10, 2, 25}));
        QCOMPARE(second[0].data.front(), 500.0F);
        QCOMPARE(second[1].name, std::string("sloss_mu"));  // per model: whole
        QCOMPARE(second[1].data, std::vector<float>{0.3F});
    }

    void workflowLoadsRunsAndShowsTheRun() {
        Session session;
        QVERIFY(session.open(QString::fromStdString(valor_.store.string()), QStringLiteral("amy")));
        JobManager jobs;
        ModelWorkflow models(&session, &jobs);
        QSignalSpy loaded(&models, &ModelWorkflow::modelLoaded);
        QSignalSpy failed(&models, &ModelWorkflow::loadFailed);
        auto* bad = models.load(QStringLiteral("/no/such.ckpt"), QStringLiteral("cpu"),
                                QStringLiteral("load"));
        QVERIFY(bad->wait(30000));
        QCOMPARE(bad->state(), Job::State::Failed);
        QCOMPARE(failed.count(), 1);
        QVERIFY(!models.hasModel());
        QVERIFY(!models.run({}, core::Split::Test, QStringLiteral("x"), QStringLiteral("x")));
        auto* job = models.load(QString::fromStdString(valor_.checkpoint.string()),
                                QStringLiteral("cpu"), QStringLiteral("load"));
        QVERIFY(job->wait(30000));
        QCOMPARE(loaded.count(), 1);
        QVERIFY(models.description().contains(QStringLiteral("variant valor")));
        QSignalSpy finished(&models, &ModelWorkflow::runFinished);
        auto* run = models.run({}, core::Split::Test, QStringLiteral("workflow run"),
                               QStringLiteral("run"));
        QVERIFY(run);
        QVERIFY(!models.run({}, core::Split::Test, QStringLiteral("y"), QStringLiteral("y")));
        QVERIFY(run->wait(60000));
        QCOMPARE(run->state(), Job::State::Finished);
        QCOMPARE(finished.count(), 1);
        const auto stored = session.store()->runByName("workflow run");
        QVERIFY(stored);
        QCOMPARE(session.run(), std::optional(stored->id));
    }
};

QTEST_GUILESS_MAIN(TestModelRuns)
#include "tst_model_runs.moc"

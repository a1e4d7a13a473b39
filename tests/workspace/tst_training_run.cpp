// Training runs without widgets (app/workspace/training_run.h): a tiny VALOR++ on SYNTHETIC
// features reports every epoch and writes its best checkpoint; resuming continues at the
// next epoch; cancelling before the first checkpoint is core::Cancelled; the workflow runs
// it as a job whose epoch reports reach the GUI thread.
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <filesystem>

#include "app/workspace/jobs.h"
#include "app/workspace/training_run.h"
#include "workspace_test_util.h"

using namespace avvp;
using namespace avvp::workspace;

class TestTrainingRun : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    test::TinyProject p_;

    models::TrainOptions options(const std::string& out, int epochs) const {
        auto o = models::defaultTrainOptions("valor");
        o.features = p_.synth / "features";
        o.labels = p_.synth / "labels";
        o.out = dir_->path() / out;
        o.model.hidden = 16;
        o.model.layers = 1;
        o.model.heads = 2;
        o.model.ff = 32;
        o.epochs = epochs;
        o.batch = 4;
        o.lrMax = 1e-3;
        o.warmupEpochs = 0;
        o.device = "cpu";
        return o;
    }

  private slots:
    void initTestCase() {
        test::initTest("tst_training_run");
        dir_ = std::make_unique<test::ScratchDir>();
        p_ = test::makeTinyProject(dir_->path());
    }

    void reportsEveryEpochAndResumes() {
        struct Record : core::Progress {
            void report(double f, std::string_view stage) override {
                last = f;
                stages.emplace_back(stage);
            }
            double last = 0;
            std::vector<std::string> stages;
        } progress;
        std::vector<int> epochs;
        const auto r =
            runTraining(options("run", 2), 1, progress,
                        [&](const models::EpochReport& e) { epochs.push_back(e.epoch); });
        QCOMPARE(epochs, (std::vector<int>{1, 2}));
        QCOMPARE(r.epochsRun, 2);
        QVERIFY(std::filesystem::exists(r.best));
        QVERIFY(progress.last > 0.9);
        QVERIFY(!progress.stages.empty() && progress.stages.front().rfind("epoch 1/2", 0) == 0);
        auto more = options("run", 3);
        more.resume = true;
        epochs.clear();
        core::Progress quiet;
        runTraining(more, 1, quiet,
                    [&](const models::EpochReport& e) { epochs.push_back(e.epoch); });
        QCOMPARE(epochs, (std::vector<int>{3}));
    }

    void cancelledBeforeTheFirstCheckpoint() {
        core::Progress cancelled;
        cancelled.cancel();
        QVERIFY_THROWS_EXCEPTION(core::Cancelled,
                                 runTraining(options("never", 2), 1, cancelled, {}));
        QVERIFY(!std::filesystem::exists(dir_->path() / "never" / "best.ckpt"));
    }

    void workflowReportsEpochsOnTheGuiThread() {
        JobManager jobs;
        TrainingWorkflow training(&jobs);
        QSignalSpy epochs(&training, &TrainingWorkflow::epochReported);
        QSignalSpy finished(&training, &TrainingWorkflow::finished);
        QThread* receiver = nullptr;
        connect(&training, &TrainingWorkflow::epochReported, this,
                [&receiver] { receiver = QThread::currentThread(); });
        auto* job = training.start(options("workflow", 2), 1, QStringLiteral("train"));
        QVERIFY(job);
        QVERIFY(training.running());
        QVERIFY(!training.start(options("other", 2), 1, QStringLiteral("second")));
        QVERIFY(job->wait(120000));
        QCOMPARE(job->state(), Job::State::Finished);
        QVERIFY(test::waitFor([&] { return epochs.count() == 2; }));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(receiver, QThread::currentThread());
        // Cancel a long one after its first epoch: it ends with its checkpoints kept.
        QSignalSpy more(&training, &TrainingWorkflow::epochReported);
        auto* longJob = training.start(options("long", 400), 1, QStringLiteral("long"));
        QVERIFY(test::waitFor([&] { return more.count() >= 1; }, 60000));
        longJob->cancel();
        QVERIFY(longJob->wait(60000));
        QVERIFY(more.count() < 400);
        QVERIFY(std::filesystem::exists(dir_->path() / "long" / "best.ckpt"));
    }
};

QTEST_GUILESS_MAIN(TestTrainingRun)
#include "tst_training_run.moc"

// The job system: results reach the GUI thread, failures carry their message, a job
// cancelled mid-run ends as cancelled (calling neither callback), progress is seen, and
// a store transaction cancelled through the store progress rolls back.
#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTranslator>
#include <atomic>

#include "app/workspace/jobs.h"
#include "app/workspace/stage_names.h"
#include "core/store/llp_import.h"
#include "workspace_test_util.h"

using namespace avvp::workspace;

namespace {

// Translates every text of the stages' context to itself in «»; knows no other context.
class StageTranslator : public QTranslator {
  public:
    QString translate(const char* context, const char* source, const char* = nullptr,
                      int = -1) const override {
        if (QByteArrayView(context) != "avvp::workspace::Stage") return {};
        return QStringLiteral("«") + QString::fromUtf8(source) + QStringLiteral("»");
    }
    bool isEmpty() const override { return false; }
};

}  // namespace

class TestJobs : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { test::initTest("tst_jobs"); }

    void resultArrivesOnTheGuiThread() {
        JobManager jobs;
        int result = 0;
        QThread* worker = nullptr;
        QThread* callback = nullptr;
        auto* job = jobs.run<int>(
            QStringLiteral("sum"),
            [&worker](JobContext& ctx) {
                worker = QThread::currentThread();
                int s = 0;
                for (int i = 1; i <= 100; ++i) {
                    s += i;
                    ctx.report(i / 100.0, "adding");
                }
                return s;
            },
            [&](int& r) {
                result = r;
                callback = QThread::currentThread();
            });
        QVERIFY(job->wait());
        QCOMPARE(job->state(), Job::State::Finished);
        QCOMPARE(result, 5050);
        QVERIFY(worker != QThread::currentThread());
        QCOMPARE(callback, QThread::currentThread());
        QCOMPARE(job->fraction(), 1.0);
    }

    void failureCarriesTheMessage() {
        JobManager jobs;
        QString error;
        bool succeeded = false;
        auto* job = jobs.run(
            QStringLiteral("bad"),
            [](JobContext&) { throw std::runtime_error("file.csv:3: no such class 'Doggo'"); },
            [&] { succeeded = true; }, [&](const QString& e) { error = e; });
        QVERIFY(job->wait());
        QCOMPARE(job->state(), Job::State::Failed);
        QVERIFY(!succeeded);
        QCOMPARE(error, QStringLiteral("file.csv:3: no such class 'Doggo'"));
        QCOMPARE(job->error(), error);
    }

    // The error a job shows is one safe line (issue 19, item 4): control characters
    // escaped, a NUL does not cut it, its length bounded.
    void failureMessageIsOneSafeLine() {
        JobManager jobs;
        QString error;
        auto* job = jobs.run(
            QStringLiteral("bad"),
            [](JobContext&) {
                throw std::runtime_error("f.csv:3: class '\x1b[2J\rFake\nline' " +
                                         std::string(100000, 'x'));
            },
            [] {}, [&](const QString& e) { error = e; });
        QVERIFY(job->wait());
        QVERIFY(error.startsWith(QStringLiteral("f.csv:3: class '\\x1b[2J\\rFake\\nline' x")));
        QVERIFY(error.size() < 450);
        QVERIFY(error.endsWith(QStringLiteral(" bytes)")));
        for (const QChar c : error) QVERIFY(c.unicode() >= 0x20 && c.unicode() != 0x7F);
    }
    void cancelMidRun() {
        JobManager jobs;
        std::atomic<int> steps{0};
        bool called = false;
        QSignalSpy ended(&jobs, &JobManager::jobEnded);
        auto* job = jobs.run(
            QStringLiteral("long"),
            [&steps](JobContext& ctx) {
                for (int i = 0; i < 100000; ++i) {
                    ctx.throwIfCancelled();
                    ctx.report(i / 100000.0, "step");
                    ++steps;
                    QThread::usleep(200);
                }
            },
            [&] { called = true; }, [&](const QString&) { called = true; });
        QVERIFY(test::waitFor([&] { return steps.load() > 20; }));
        QVERIFY(job->running());
        QSignalSpy progress(job, &Job::progressChanged);
        QVERIFY(progress.wait(1000));  // the GUI sees progress while it runs
        job->cancel();
        QVERIFY(job->wait(5000));
        QCOMPARE(job->state(), Job::State::Cancelled);
        QVERIFY(!called);
        QVERIFY(steps.load() < 100000);
        QCOMPARE(ended.count(), 1);
        QCOMPARE(jobs.runningCount(), 0);
        jobs.clearEnded();
        QVERIFY(jobs.jobs().isEmpty());
    }

    // Cancel and the work's point of no return exclude each other: a cancel before it
    // makes commit() throw (the job cancelled, nothing committed), one after it is refused
    // (the job done), and so is one after the work returned, before the GUI saw it end.
    void cancelBeforeTheCommitPointCancels() {
        JobManager jobs;
        std::atomic<bool> started{false}, committed{false};
        auto* job = jobs.run(QStringLiteral("commit"), [&](JobContext& ctx) {
            started = true;
            while (!ctx.cancelled()) QThread::usleep(200);
            commitPoint(ctx);
            committed = true;
        });
        QVERIFY(test::waitFor([&] { return started.load(); }));
        QVERIFY(job->cancellable());
        job->cancel();
        QVERIFY(job->wait());
        QCOMPARE(job->state(), Job::State::Cancelled);
        QVERIFY(!committed.load());
    }

    void cancelAfterTheCommitPointIsRefused() {
        JobManager jobs;
        std::atomic<bool> committed{false}, tried{false}, cancelledAfter{false};
        bool succeeded = false;
        auto* job = jobs.run(
            QStringLiteral("commit"),
            [&](JobContext& ctx) {
                ctx.report(0.9, "storing");
                commitPoint(ctx);
                committed = true;
                while (!tried) QThread::usleep(200);
                cancelledAfter = ctx.cancelled();
            },
            [&] { succeeded = true; });
        QVERIFY(test::waitFor([&] { return committed.load(); }));
        QVERIFY(!job->cancellable());
        job->cancel();
        tried = true;
        QVERIFY(job->wait());
        QCOMPARE(job->state(), Job::State::Finished);
        QVERIFY(succeeded);
        QVERIFY(!cancelledAfter.load());
    }

    void cancelAfterTheWorkReturnedIsRefused() {
        JobManager jobs;
        bool succeeded = false;
        auto* job = jobs.run(
            QStringLiteral("quick"), [](JobContext&) {}, [&] { succeeded = true; });
        // The work has returned; the GUI has not processed its end yet (no events run).
        QDeadlineTimer deadline(10000);
        while (job->cancellable() && !deadline.hasExpired()) QThread::usleep(200);
        QVERIFY(!job->cancellable());
        QVERIFY(job->running());
        job->cancel();
        QVERIFY(job->wait());
        QCOMPARE(job->state(), Job::State::Finished);
        QVERIFY(succeeded);
    }

    // A running job's progress text: its stage and, once known, the time left, as the
    // jobs model gives it to the views ("12 of 40 videos · about 2 s left").
    void progressTextShowsCountAndTimeLeft() {
        JobManager jobs;
        JobListModel model(&jobs);
        auto* job = jobs.run(QStringLiteral("run"), [](JobContext& ctx) {
            ctx.report(0.3, "12 of 40 videos");
            while (!ctx.cancelled()) QThread::usleep(500);
        });
        QVERIFY(test::waitFor([&] { return job->stage() == QStringLiteral("12 of 40 videos"); }));
        QTest::qWait(2100);  // an ETA needs 2 s of work to go on
        const QString text = job->progressText();
        QVERIFY2(text.startsWith(QStringLiteral("12 of 40 videos · about ")) &&
                     text.endsWith(QStringLiteral(" left")),
                 qPrintable(text));
        QVERIFY(!job->eta().isEmpty());
        QCOMPARE(model.data(model.index(0), JobListModel::ProgressTextRole).toString(), text);
        job->cancel();
        QVERIFY(job->wait());
        QCOMPARE(job->state(), Job::State::Cancelled);
        QVERIFY(model.data(model.index(0), JobListModel::ProgressTextRole).toString().isEmpty());
    }

    // The stages the work reports in English reach the user translated (context
    // "avvp::workspace::Stage"): names, names with numbers and names ("labels of NAME"),
    // and a nested range's "outer: inner" part by part; an unknown stage stays as it is.
    void stagesAreTranslated() {
        StageTranslator translator;
        QVERIFY(QCoreApplication::installTranslator(&translator));
        QCOMPARE(stageText("scoring"), QStringLiteral("«scoring»"));
        QCOMPARE(stageText("labels of alice: 2"), QStringLiteral("««labels of alice»: 2»"));
        QCOMPARE(stageText("labels of Zoë"), QStringLiteral("«labels of Zoë»"));
        QCOMPARE(stageText("12 of 40 videos"), QStringLiteral("«12 of 40 videos»"));
        QCOMPARE(stageText("video 3 of 9 · clip_01.mp4"),
                 QStringLiteral("«video 3 of 9 · clip_01.mp4»"));
        QCOMPARE(stageText("writing: labels"), QStringLiteral("««writing»: «labels»»"));
        QCOMPARE(stageText("video 2 of 5 · clip: audio window 3 of 9"),
                 QStringLiteral("««video 2 of 5 · clip»: «audio window 3 of 9»»"));
        QCOMPARE(stageText("epoch 3/60 validation"), QStringLiteral("«epoch 3/60 validation»"));
        QCOMPARE(stageText("frobnicating"), QStringLiteral("frobnicating"));
        QCOMPARE(stageText(""), QString());
        JobManager jobs;
        auto* job = jobs.run(QStringLiteral("agreement"), [](JobContext& ctx) {
            ctx.report(0.4, "labels of bob");
            while (!ctx.cancelled()) QThread::usleep(500);
        });
        QVERIFY(test::waitFor([&] { return job->stage() == QStringLiteral("«labels of bob»"); }));
        job->cancel();
        QVERIFY(job->wait());
        QCoreApplication::removeTranslator(&translator);
        QCOMPARE(stageText("labels of bob"), QStringLiteral("labels of bob"));
    }

    void cancelledImportLeavesTheStoreUnchanged() {
        test::ScratchDir dir;
        const auto path = dir / "s.avvpstore";
        avvp::store::Store::open(path);  // an empty store
        JobManager jobs;
        std::atomic<bool> started{false};
        auto* job = jobs.run(QStringLiteral("import"), [&](JobContext& ctx) {
            auto s = avvp::store::Store::open(path);
            // Reports to ctx; holds the import inside its transaction until the GUI cancels.
            struct Holding : avvp::core::Progress {
                explicit Holding(JobContext& c, std::atomic<bool>& s)
                    : avvp::core::Progress(c), ctx(c), started(s) {}
                void report(double f, std::string_view st) override {
                    started = true;
                    while (!cancelled()) QThread::usleep(500);
                    ctx.report(f, st);
                }
                JobContext& ctx;
                std::atomic<bool>& started;
            } progress(ctx, started);
            avvp::store::importLlp(*s, avvp::store::LlpFiles::inFolder(test::kLlp), &progress);
        });
        QVERIFY(test::waitFor([&] { return started.load(); }));
        job->cancel();
        QVERIFY(job->wait());
        QCOMPARE(job->state(), Job::State::Cancelled);
        QCOMPARE(avvp::store::Store::open(path)->videoCount(), 0);
    }
};

QTEST_MAIN(TestJobs)
#include "tst_jobs.moc"

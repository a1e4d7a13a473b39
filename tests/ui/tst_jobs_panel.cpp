// The jobs panel's and the status bar's Cancel (issue 17, item 7): enabled while the
// selected (shown) job can still be stopped, disabled once it passed its point of no
// return (JobContext::commit) and when it ended.
#include <QPushButton>
#include <QTest>
#include <QThread>
#include <QTreeWidget>
#include <atomic>

#include "app/workspace/jobs.h"
#include "ui/panels/jobs_panel.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::workspace;

class TestJobsPanel : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() { ui::test::initGuiTest("tst_jobs_panel"); }

    void cancelIsDisabledPastThePointOfNoReturn() {
        JobManager jobs;
        JobListModel model(&jobs);
        ui::JobsPanel panel(&model);
        ui::JobStatusWidget status(&model);
        std::atomic<bool> commit{false}, committed{false}, finish{false};
        auto* job = jobs.run(QStringLiteral("store a run"), [&](JobContext& ctx) {
            ctx.report(0.5, "computing");
            while (!commit) QThread::usleep(200);
            ctx.report(0.9, "storing");
            commitPoint(ctx);
            committed = true;
            while (!finish) QThread::usleep(200);
        });
        QVERIFY(ui::test::waitFor([&] { return panel.tree()->topLevelItemCount() == 1; }));
        // Nothing selected: nothing to cancel.
        QVERIFY(!panel.cancelButton()->isEnabled());
        panel.tree()->topLevelItem(0)->setSelected(true);
        QVERIFY(panel.cancelButton()->isEnabled());
        QVERIFY(ui::test::waitFor([&] { return status.cancelButton()->isEnabled(); }));
        commit = true;
        QVERIFY(ui::test::waitFor([&] { return committed.load(); }));
        QVERIFY(ui::test::waitFor([&] { return !panel.cancelButton()->isEnabled(); }));
        QVERIFY(!status.cancelButton()->isEnabled());
        QVERIFY(!status.cancelButton()->toolTip().isEmpty());
        finish = true;
        QVERIFY(job->wait());
        QVERIFY(ui::test::waitFor([&] { return job->state() == Job::State::Finished; }));
        QVERIFY(!panel.cancelButton()->isEnabled());
    }
};

QTEST_MAIN(TestJobsPanel)
#include "tst_jobs_panel.moc"

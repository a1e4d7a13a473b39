// Models ▸ Extract Features in the window: without an encoders folder the action says why
// and starts nothing; with the project's folder it starts the job, the jobs panel lists it,
// and when it ends the current video's features are in the store and the status bar says
// so. The Preferences dialog edits the encoders folder. Real tiny TorchScript encoders and
// a rendered 12 s video.
#include <QAction>
#include <QLineEdit>
#include <QSettings>
#include <QStatusBar>
#include <QTest>
#include <QTreeWidget>

#include "app/studio/main_window.h"
#include "app/studio/panel_controllers.h"
#include "app/workspace/feature_extraction.h"
#include "app/workspace/jobs.h"
#include "app/workspace/session.h"
#include "app/workspace/settings.h"
#include "tests/models/test_encoders.h"
#include "ui/dialogs/settings_dialog.h"
#include "ui/panels/jobs_panel.h"
#include "ui_test_util.h"

using namespace avvp;
namespace fs = std::filesystem;

class TestExtractFeatures : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        ui::test::initGuiTest("tst_extract_features");
        QSettings().clear();
        encoders_ = dir_ / "enc";
        avvp::test::writeTinyEncoders(encoders_);
        store_ = dir_ / "p.avvpstore";
        const auto file = dir_ / "twelve.mp4";
        ui::test::renderTinyVideo(file, {{core::Modality::Audio, 1, 2000, 9000}}, 12.0);
        auto s = store::Store::open(store_);
        video_ =
            s->ensureVideo({.filename = "twelve", .durationMs = 12000, .mediaPath = file.string()});
        s->ensureVideo({.filename = "no_media"});
    }

    void actionStartsTheJob() {
        workspace::Session session;
        QVERIFY(session.open(QString::fromStdString(store_.string())));
        workspace::JobManager jobs;
        app::MainWindow w(&session, &jobs);
        QVERIFY(w.selectVideo(QStringLiteral("twelve")));
        QAction* extract = w.action(QStringLiteral("extractFeatures"));
        QVERIFY(extract);

        // No encoders folder: nothing starts, the status bar says why.
        extract->trigger();
        QVERIFY(jobs.jobs().isEmpty());
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("No encoders folder")),
                 qPrintable(w.statusBar()->currentMessage()));

        // The project's folder wins over the Preferences' (which is bad here).
        workspace::settings::setEncodersFolder(QStringLiteral("/nonexistent"));
        workspace::settings::setProjectEncodersFolder(session.path(),
                                                      QString::fromStdString(encoders_.string()));
        QCOMPARE(w.features()->encodersFolder(), QString::fromStdString(encoders_.string()));
        extract->trigger();
        QCOMPARE(jobs.jobs().size(), 1);
        auto* job = jobs.jobs().front();
        QVERIFY(job->title().contains(QStringLiteral("twelve")));
        QVERIFY(ui::test::waitFor([&] { return w.jobsPanel()->tree()->topLevelItemCount() == 1; }));
        QVERIFY(job->wait(60000));
        QCOMPARE(int(job->state()), int(workspace::Job::State::Finished));
        const auto feats = session.store()->features(video_);
        QCOMPARE(feats.size(), std::size_t{2});
        for (const auto& f : feats) QCOMPARE(f.shape.front(), std::int64_t{2});  // 2 windows
        QVERIFY(fs::exists(store_.parent_path() / "features" / "visual" / "twelve_10_20.npy"));
        QVERIFY2(w.statusBar()->currentMessage().contains(QStringLiteral("1 video")),
                 qPrintable(w.statusBar()->currentMessage()));

        // Back to the Preferences' folder: a missing folder fails the job, naming it.
        workspace::settings::setProjectEncodersFolder(session.path(), QString());
        extract->trigger();
        QCOMPARE(jobs.jobs().size(), 2);
        QVERIFY(jobs.jobs().back()->wait(60000));
        QCOMPARE(int(jobs.jobs().back()->state()), int(workspace::Job::State::Failed));
        QVERIFY2(jobs.jobs().back()->error().contains(
                     QStringLiteral("/nonexistent: no such encoder folder")),
                 qPrintable(jobs.jobs().back()->error()));
    }

    void preferencesEditTheEncodersFolder() {
        ui::Preferences p;
        p.encoders = QStringLiteral("/some/encoders");
        ui::SettingsDialog d(p);
        QCOMPARE(d.encodersEdit()->text(), p.encoders);
        d.encodersEdit()->setText(QStringLiteral("  /other/encoders "));
        QCOMPARE(d.preferences().encoders, QStringLiteral("/other/encoders"));
    }

  private:
    workspace::test::ScratchDir dir_;
    fs::path encoders_, store_;
    store::VideoId video_ = 0;
};

QTEST_MAIN(TestExtractFeatures)
#include "tst_extract_features.moc"

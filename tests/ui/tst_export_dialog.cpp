// The export dialog writes every format through a job: ELAN for the current video and
// DCASE for a split read back equal to the store; choosing every source switches to JSON;
// a long export can be cancelled.
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QTest>

#include "app/studio/panel_controllers.h"
#include "app/studio/session_document.h"
#include "app/workspace/jobs.h"
#include "app/workspace/session.h"
#include "core/formats/label_io.h"
#include "core/store/edit.h"
#include "core/store/store.h"
#include "ui/dialogs/export_dialog.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;
using workspace::Job;
using workspace::JobManager;
using workspace::Session;

namespace {

// (video, modality, class, onset, offset) of a document, sorted.
std::vector<std::tuple<std::string, int, int, std::int64_t, std::int64_t>> flatten(
    const core::LabelDocument& doc) {
    std::vector<std::tuple<std::string, int, int, std::int64_t, std::int64_t>> out;
    for (const auto& v : doc.videos)
        for (const auto& e : v.events)
            out.emplace_back(v.filename, static_cast<int>(e.modality), e.cls, e.onsetMs,
                             e.offsetMs);
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

class TestExportDialog : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    QString path_;

  private slots:
    void initTestCase() {
        test::initGuiTest("tst_export_dialog");
        dir_ = std::make_unique<test::ScratchDir>();
        path_ = dir_->file(QStringLiteral("x.avvpstore"));
        test::importLlpInto(path_.toStdString());
    }

    void elanForTheCurrentVideo() {
        Session session;
        QVERIFY(session.open(path_));
        JobManager jobs;
        app::SessionDocument doc(&session);
        ExportDialog d(&doc, QStringLiteral("KSRjje7GH44_60_70"));
        auto* controller = new app::ExportController(&session, &jobs, &d);
        d.setFormat(core::LabelFormat::Eaf);
        d.scopeCombo()->setCurrentIndex(d.scopeCombo()->findData(QStringLiteral("video")));
        d.sourceCombo()->setCurrentIndex(d.sourceCombo()->findData(QStringLiteral("gt")));
        const QString out = dir_->file(QStringLiteral("elan"));
        d.outputEdit()->setText(out);
        auto* job = controller->start();
        QVERIFY(job);
        QVERIFY(job->wait());
        QCOMPARE(job->state(), Job::State::Finished);
        const QString file = out + QStringLiteral("/KSRjje7GH44_60_70.eaf");
        QVERIFY(QFile::exists(file));
        QCOMPARE(d.writtenFiles(), QStringList{file});
        QVERIFY(d.statusLabel()->text().contains(QStringLiteral("1 file")));
        const auto back = core::readLabelFiles(core::LabelFormat::Eaf, {file.toStdString()});
        const auto expected =
            store::exportLabels(*session.store(), {.videos = {"KSRjje7GH44_60_70"}});
        QCOMPARE(flatten(back), flatten(expected));
        QVERIFY(!flatten(back).empty());
    }

    // Issue 17, item 10: the final labels (ground truth with the accepted corrections) and
    // ELAN without its empty tiers.
    void finalLabelsWithoutEmptyTiers() {
        Session session;
        QVERIFY(session.open(path_));
        const auto video = session.store()->videoByName("4YdbENYcIyE_23_33");
        QVERIFY(video);
        session.store()->apply(store::Edit::add(video->id, core::Modality::Visual,
                                                core::classIndex("Dog").value(), 1000, 2000));
        JobManager jobs;
        app::SessionDocument doc(&session);
        ExportDialog d(&doc, QStringLiteral("4YdbENYcIyE_23_33"));
        auto* controller = new app::ExportController(&session, &jobs, &d);
        d.setFormat(core::LabelFormat::Dcase);
        QVERIFY(!d.omitEmptyTiersCheck()->isEnabled());
        d.setFormat(core::LabelFormat::Eaf);
        QVERIFY(d.omitEmptyTiersCheck()->isEnabled());
        d.omitEmptyTiersCheck()->setChecked(true);
        d.scopeCombo()->setCurrentIndex(d.scopeCombo()->findData(QStringLiteral("video")));
        const int final = d.sourceCombo()->findData(QStringLiteral("final"));
        QVERIFY(final >= 0);
        d.sourceCombo()->setCurrentIndex(final);
        const QString out = dir_->file(QStringLiteral("final_elan"));
        d.outputEdit()->setText(out);
        auto* job = controller->start();
        QVERIFY(job && job->wait());
        QCOMPARE(job->state(), Job::State::Finished);
        const QString file = out + QStringLiteral("/4YdbENYcIyE_23_33.eaf");
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.contains("visual/Dog"));
        QVERIFY2(text.count("<TIER ") < 10, text.constData());
        const auto back = core::readLabelFiles(core::LabelFormat::Eaf, {file.toStdString()});
        const auto expected = store::exportLabels(
            *session.store(), {.videos = {"4YdbENYcIyE_23_33"}, .finalLabels = true});
        QCOMPARE(flatten(back), flatten(expected));
        QCOMPARE(flatten(back).size(), std::size_t{3});  // the ground truth's two and the Dog
    }

    void dcaseForASplit() {
        Session session;
        QVERIFY(session.open(path_));
        JobManager jobs;
        app::SessionDocument doc(&session);
        ExportDialog d(&doc, QString());
        auto* controller = new app::ExportController(&session, &jobs, &d);
        d.setFormat(core::LabelFormat::Dcase);
        d.scopeCombo()->setCurrentIndex(d.scopeCombo()->findData(QStringLiteral("test")));
        const QString out = dir_->file(QStringLiteral("dcase"));
        d.outputEdit()->setText(out);
        auto* job = controller->start();
        QVERIFY(job && job->wait());
        QCOMPARE(job->state(), Job::State::Finished);
        QVERIFY(QFile::exists(out + QStringLiteral("/audio.tsv")));
        QVERIFY(QFile::exists(out + QStringLiteral("/visual.tsv")));
        const auto back = core::readLabelFiles(core::LabelFormat::Dcase, {out.toStdString()});
        const auto expected = store::exportLabels(*session.store(), {.split = core::Split::Test});
        QCOMPARE(flatten(back), flatten(expected));
    }

    void everySourceNeedsJson() {
        Session session;
        QVERIFY(session.open(path_));
        JobManager jobs;
        app::SessionDocument doc(&session);
        ExportDialog d(&doc, QString());
        auto* controller = new app::ExportController(&session, &jobs, &d);
        d.setFormat(core::LabelFormat::TextGrid);
        d.sourceCombo()->setCurrentIndex(d.sourceCombo()->findData(QStringLiteral("all")));
        QCOMPARE(static_cast<core::LabelFormat>(d.formatCombo()->currentData().toInt()),
                 core::LabelFormat::Json);
        QVERIFY(d.outputEdit()->text().endsWith(QStringLiteral(".json")));
        d.setFormat(core::LabelFormat::TextGrid);
        QVERIFY(!controller->start());
        QVERIFY(d.statusLabel()->text().contains(QStringLiteral("JSON")));
    }

    void aLongExportCanBeCancelled() {
        Session session;
        QVERIFY(session.open(path_));
        JobManager jobs;
        app::SessionDocument doc(&session);
        ExportDialog d(&doc, QString());
        auto* controller = new app::ExportController(&session, &jobs, &d);
        d.setFormat(core::LabelFormat::TextGrid);  // a file per video: 11849 files
        d.scopeCombo()->setCurrentIndex(d.scopeCombo()->findData(QStringLiteral("all")));
        const QString out = dir_->file(QStringLiteral("tg"));
        d.outputEdit()->setText(out);
        auto* job = controller->start();
        QVERIFY(job);
        QVERIFY(test::waitFor([&] { return job->fraction() > 0.15 || !job->running(); }, 20000));
        job->cancel();
        QVERIFY(job->wait());
        QCOMPARE(job->state(), Job::State::Cancelled);
        QVERIFY(d.statusLabel()->text().contains(QStringLiteral("cancelled")));
        const auto written = QDir(out).entryList(QDir::Files).size();
        QVERIFY2(written > 0 && written < 11849, qPrintable(QString::number(written)));
    }
};

QTEST_MAIN(TestExportDialog)
#include "tst_export_dialog.moc"

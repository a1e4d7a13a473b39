// The evaluation panel against `avvp eval --store` on the same store: the ten scores of a
// prediction run (A) and of the corrections (B), the per-class and per-video tables, the
// link from a per-video row to the browser, saving, and the chart in PNG / SVG / PDF.
#include <qcustomplot.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <cmath>

#include "app/studio/panel_controllers.h"
#include "app/studio/session_document.h"
#include "app/workspace/jobs.h"
#include "app/workspace/session.h"
#include "core/store/run_rename.h"
#include "core/store/store.h"
#include "ui/models/eval_models.h"
#include "ui/panels/evaluation_panel.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;
using workspace::Job;
using workspace::JobManager;
using workspace::Session;

namespace {

QStringList avvpEval(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(AVVP_BIN_DIR "/avvp"), QStringList{QStringLiteral("eval")} + args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning("avvp eval failed: %s", p.readAllStandardError().constData());
        return {};
    }
    return QString::fromUtf8(p.readAllStandardOutput())
        .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QStringList tsvRow(const QString& file, const QString& first) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return {};
    while (!f.atEnd()) {
        const QStringList cells =
            QString::fromUtf8(f.readLine()).trimmed().split(QLatin1Char('\t'));
        if (cells.value(0) == first) return cells;
    }
    return {};
}

}  // namespace

class TestEvaluationPanel : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    QString path_;

  private slots:
    void initTestCase() {
        test::initGuiTest("tst_evaluation_panel");
        dir_ = std::make_unique<test::ScratchDir>();
        path_ = dir_->file(QStringLiteral("eval.avvpstore"));
        test::importLlpInto(path_.toStdString());
        // A run that hears everything one second late and misses every third video's
        // visual events; corrections by alice on a few videos.
        auto s = store::Store::open(path_.toStdString(), {.annotator = "alice"});
        store::Run run;
        run.name = "late-by-one";
        const auto runId = s->addRun(run);
        store::Store::Transaction tx(*s);
        int i = 0;
        for (const auto& v : s->videos({.split = core::Split::Test})) {
            for (auto m : core::kModalities) {
                std::vector<store::NewEvent> pred;
                for (const auto& e :
                     s->events(v.video.id, {.source = store::Source::GroundTruth, .modality = m})) {
                    if (m == core::Modality::Visual && i % 3 == 0) continue;
                    const std::int64_t shift = m == core::Modality::Audio ? 1000 : 0;
                    pred.push_back({m, e.cls, std::min<std::int64_t>(e.onsetMs + shift, 9000),
                                    std::min<std::int64_t>(e.offsetMs + shift, 10000)});
                }
                s->replaceEvents(v.video.id, m, store::Source::Prediction, pred, runId);
            }
            if (i < 5)
                for (const auto& e : s->events(v.video.id, {.source = store::Source::GroundTruth}))
                    s->apply(
                        store::Edit::add(v.video.id, e.modality, e.cls, e.onsetMs, e.offsetMs));
            ++i;
        }
        tx.commit();
    }

    // Issue 20, item 2: the precision-recall tab plots set A's pooled curve per modality,
    // titled with the protocol, with mAP in the legend; a set without probabilities says so.
    void precisionRecallTab() {
        Session session;
        QVERIFY(session.open(path_, QStringLiteral("alice")));
        app::SessionDocument doc(&session);
        EvaluationPanel panel(&doc);
        QCOMPARE(panel.prChart()->graphCount(), 0);
        core::ScoredVideo v;
        v.frame.assign(core::frameSize(10), 0.1F);
        v.global.assign(core::kNumClasses, 0.9F);
        for (int t = 0; t < 3; ++t) {
            v.frame[core::frameIndex(t, core::Modality::Audio, 0)] = 0.8F;
            v.gtAudio.set(0, t);
        }
        panel.showAveragePrecision(core::segmentAveragePrecision({v}));
        QCOMPARE(panel.prChart()->graphCount(), 3);
        QVERIFY(panel.prChart()->graph(0)->name().contains(QStringLiteral("mAP 100.0")));
        QVERIFY(panel.prChart()->graph(1)->name().contains(QStringLiteral("no positives")));
        auto* title = qobject_cast<QCPTextElement*>(panel.prChart()->plotLayout()->element(0, 0));
        QVERIFY(title && title->text().contains(QStringLiteral("segment-level AP, 1 s segments")));
        panel.showAveragePrecision(std::nullopt);
        QCOMPARE(panel.prChart()->graphCount(), 0);
    }

    void matchesAvvpEval() {
        Session session;
        QVERIFY(session.open(path_, QStringLiteral("alice")));
        JobManager jobs;
        app::SessionDocument doc(&session);
        EvaluationPanel panel(&doc);
        app::EvaluationController controller(&session, &jobs, &panel);
        panel.setACombo()->setCurrentIndex(
            panel.setACombo()->findText(QStringLiteral("late-by-one"), Qt::MatchContains));
        panel.setBCombo()->setCurrentIndex(panel.setBCombo()->findData(QStringLiteral("corr")));
        panel.splitCombo()->setCurrentIndex(panel.splitCombo()->findData(QStringLiteral("test")));
        QSignalSpy scores(&panel, &EvaluationPanel::scoresReady);
        auto* job = controller.evaluate();
        QVERIFY(job);
        QVERIFY(!panel.evaluateButton()->isEnabled());  // one at a time
        QVERIFY(!controller.evaluate());
        QVERIFY(job->wait(60000));
        QCOMPARE(job->state(), Job::State::Finished);
        QVERIFY(panel.resultA() && panel.resultB());
        QVERIFY(panel.protocolText().contains(QString::fromLatin1(core::kAvvpProtocol)));

        const QString perVideo = dir_->file(QStringLiteral("pv.tsv")),
                      perClass = dir_->file(QStringLiteral("pc.tsv"));
        const auto a = avvpEval({QStringLiteral("--store"), path_, QStringLiteral("--run"),
                                 QStringLiteral("late-by-one"), QStringLiteral("--split"),
                                 QStringLiteral("test"), QStringLiteral("--format"),
                                 QStringLiteral("tsv"), QStringLiteral("--per-video"), perVideo,
                                 QStringLiteral("--per-class"), perClass});
        const auto b =
            avvpEval({QStringLiteral("--store"), path_, QStringLiteral("--source"),
                      QStringLiteral("correction"), QStringLiteral("--split"),
                      QStringLiteral("test"), QStringLiteral("--format"), QStringLiteral("tsv")});
        QCOMPARE(a.size(), 2);
        QCOMPARE(b.size(), 2);
        const QStringList va = a[1].split(QLatin1Char('\t')), vb = b[1].split(QLatin1Char('\t'));
        auto* model = panel.summaryModel();
        QCOMPARE(model->rowCount(), 10);
        for (int m = 0; m < 10; ++m) {
            const double mineA =
                model->index(m, EvalSummaryModel::ColA).data(Qt::UserRole).toDouble();
            const double mineB =
                model->index(m, EvalSummaryModel::ColB).data(Qt::UserRole).toDouble();
            QVERIFY2(std::abs(mineA - va[m].toDouble()) < 1e-4,
                     qPrintable(QStringLiteral("A %1: %2 vs %3").arg(m).arg(mineA).arg(va[m])));
            QVERIFY2(std::abs(mineB - vb[m].toDouble()) < 1e-4,
                     qPrintable(QStringLiteral("B %1: %2 vs %3").arg(m).arg(mineB).arg(vb[m])));
        }
        // The run is late in audio: not perfect, but far from nothing.
        QVERIFY(va[0].toDouble() > 20 && va[0].toDouble() < 95);

        // Per class (segment level, A audio) and per video against the CLI's files.
        const auto dog = tsvRow(perClass, QStringLiteral("Dog"));
        QVERIFY(!dog.isEmpty());
        const int dogRow = *core::classIndex("Dog");
        QCOMPARE(panel.classTable()->model()->index(dogRow, 1).data().toString(),
                 QString::number(dog[1].toDouble(), 'f', 2));
        auto* videos = panel.videoTable()->model();
        QCOMPARE(videos->rowCount(), 1200);
        const QString first = videos->index(0, EvalVideoModel::ColVideo).data().toString();
        const auto row = tsvRow(perVideo, first);
        QVERIFY(!row.isEmpty());
        QCOMPARE(videos->index(0, EvalVideoModel::ColA).data().toString(),
                 QString::number(row[4].toDouble(), 'f', 2));  // seg Type@AV
        QCOMPARE(scores.count(), 1);
        using Scores = QHash<QString, double>;
        QCOMPARE(scores.at(0).at(0).value<Scores>().size(), 1200);

        // Clicking a video opens it.
        QSignalSpy opened(&panel, &EvaluationPanel::videoActivated);
        panel.videoTable()->show();
        QTest::mouseClick(panel.videoTable()->viewport(), Qt::LeftButton, {},
                          panel.videoTable()->visualRect(videos->index(0, 0)).center());
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).toString(), first);

        // Saved as `avvp eval --save` would.
        QVERIFY(controller.save());
        const auto saved = session.store()->evaluations();
        QCOMPARE(saved.size(), std::size_t{2});
        QCOMPARE(saved[0].protocol, std::string(core::kAvvpProtocol));
        QVERIFY(std::abs(saved[0].scores[0] - va[0].toDouble()) < 1e-4);

        // The chart as figures.
        QString error;
        for (const char* ext : {"svg", "pdf", "png"}) {
            const QString file = dir_->file(QStringLiteral("chart.%1").arg(QLatin1String(ext)));
            QVERIFY2(panel.exportChart(file, &error), qPrintable(error));
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray head = f.read(400);
            if (QLatin1String(ext) == QLatin1String("svg")) QVERIFY(head.contains("<svg"));
            if (QLatin1String(ext) == QLatin1String("pdf")) QVERIFY(head.startsWith("%PDF"));
            if (QLatin1String(ext) == QLatin1String("png")) QVERIFY(head.startsWith("\x89PNG"));
        }
        QVERIFY(!panel.exportChart(dir_->file(QStringLiteral("chart.bmp")), &error));
    }

    // Scores over videos of other than 10 segments name their protocol in the panel, its
    // chart title and its figure (not LLP's 10 s protocol).
    // Issue 17, item 3: the per-class chart is readable (not 15 px tall) and takes mouse
    // zoom and pan; a double-click shows all classes again.
    void chartIsReadableAndInteractive() {
        Session session;
        QVERIFY(session.open(path_, QStringLiteral("alice")));
        app::SessionDocument doc(&session);
        EvaluationPanel panel(&doc);
        auto* chart = panel.chart();
        QVERIFY2(chart->minimumHeight() >= 200,
                 qPrintable(QString::number(chart->minimumHeight())));
        QVERIFY(chart->minimumWidth() >= 300);
        QVERIFY(chart->interactions().testFlag(QCP::iRangeDrag));
        QVERIFY(chart->interactions().testFlag(QCP::iRangeZoom));
        panel.resize(900, 600);
        panel.show();
        chart->xAxis->setRange(3, 6);
        QTest::mouseDClick(chart, Qt::LeftButton, {}, chart->rect().center());
        QVERIFY(chart->xAxis->range().lower < 0);
        QVERIFY(chart->xAxis->range().upper > core::kNumClasses - 1);
    }

    void namesTheAnyLengthProtocol() {
        Session session;
        QVERIFY(session.open(path_, QStringLiteral("alice")));
        app::SessionDocument doc(&session);
        EvaluationPanel panel(&doc);
        core::EvalResult r;
        r.protocol = core::kAvvpAnyLengthProtocol;
        r.minSegments = 10;
        r.maxSegments = 90;
        panel.showScores(r, std::nullopt);
        QVERIFY2(panel.protocolText().contains(QString::fromLatin1(core::kAvvpAnyLengthProtocol)),
                 qPrintable(panel.protocolText()));
        QVERIFY(panel.protocolText().contains(QStringLiteral("10 to 90")));
        core::EvalResult llp;
        panel.showScores(llp, std::nullopt);
        QVERIFY(!panel.protocolText().contains(QStringLiteral("any length")));
    }

    // "own videos (no split)": the user's own videos of any length, each scored over its
    // own segments (LLP's split videos left out).
    void scoresOwnVideosOfAnyLength() {
        const QString path = dir_->file(QStringLiteral("own.avvpstore"));
        {
            auto s = store::Store::open(path.toStdString(), {.annotator = "alice"});
            const auto clip = s->ensureVideo(
                {.filename = "abcdefghijk_0_10", .split = core::Split::Test, .durationMs = 10000});
            const auto own = s->ensureVideo({.filename = "my long video", .durationMs = 25000});
            const int dog = *core::classIndex("Dog");
            for (auto v : {clip, own})
                s->replaceEvents(v, core::Modality::Audio, store::Source::GroundTruth,
                                 {{core::Modality::Audio, dog, 2000, 6000}});
            store::Run run;
            run.name = "own-run";
            const auto id = s->addRun(run);
            // Right on the own video (with a false alarm at 20-24 s), nothing on the clip.
            s->replaceEvents(own, core::Modality::Audio, store::Source::Prediction,
                             {{core::Modality::Audio, dog, 2000, 6000},
                              {core::Modality::Audio, dog, 20000, 24000}},
                             id);
        }
        Session session;
        QVERIFY(session.open(path, QStringLiteral("alice")));
        JobManager jobs;
        app::SessionDocument doc(&session);
        EvaluationPanel panel(&doc);
        app::EvaluationController controller(&session, &jobs, &panel);
        panel.setACombo()->setCurrentIndex(
            panel.setACombo()->findText(QStringLiteral("own-run"), Qt::MatchContains));
        const int own = panel.splitCombo()->findData(QStringLiteral("own"));
        QVERIFY(own >= 0);
        panel.splitCombo()->setCurrentIndex(own);
        auto* job = controller.evaluate();
        QVERIFY(job);
        QVERIFY(job->wait(60000));
        QCOMPARE(job->state(), Job::State::Finished);
        QVERIFY(panel.resultA());
        const auto& r = panel.resultA()->result;
        QCOMPARE(r.videos, std::vector<std::string>{"my long video"});
        QCOMPARE(r.protocol, std::string(core::kAvvpAnyLengthProtocol));
        QCOMPARE(r.maxSegments, 25);
        // Audio segment F of the one video: 4 true, 4 false positive cells -> 2/3.
        const double audio = r.dataset.segment[core::kAudio];
        QVERIFY2(std::abs(audio - 100.0 * 2.0 / 3.0) < 1e-6, qPrintable(QString::number(audio)));
    }

    // A run that covers 1 of the 3 test videos (issue 17, item 6): a visible warning that
    // says so; "Only the videos it covers" scores over that one and names it; clicking a
    // per-video row shows set A's run on the timeline.
    void warnsOfAPartialRunAndShowsItsRun() {
        const QString path = dir_->file(QStringLiteral("partial.avvpstore"));
        store::RunId partial = 0, other = 0;
        {
            auto s = store::Store::open(path.toStdString(), {.annotator = "alice"});
            const int dog = *core::classIndex("Dog");
            std::vector<store::VideoId> v;
            for (const char* name : {"v1", "v2", "v3"}) {
                v.push_back(s->ensureVideo(
                    {.filename = name, .split = core::Split::Test, .durationMs = 10000}));
                s->replaceEvents(v.back(), core::Modality::Audio, store::Source::GroundTruth,
                                 {{core::Modality::Audio, dog, 0, 5000}});
            }
            store::Run run;
            run.name = "partial";
            partial = s->addRun(run);
            s->replaceEvents(v[0], core::Modality::Audio, store::Source::Prediction,
                             {{core::Modality::Audio, dog, 0, 5000}}, partial);
            run.name = "other";
            other = s->addRun(run);
            for (auto id : v)
                s->replaceEvents(id, core::Modality::Audio, store::Source::Prediction,
                                 {{core::Modality::Audio, dog, 0, 5000}}, other);
        }
        Session session;
        QVERIFY(session.open(path, QStringLiteral("alice")));
        session.setRun(other);
        JobManager jobs;
        app::SessionDocument doc(&session);
        EvaluationPanel panel(&doc);
        app::EvaluationController controller(&session, &jobs, &panel);
        panel.show();
        panel.setACombo()->setCurrentIndex(
            panel.setACombo()->findData(QStringLiteral("pred:%1").arg(partial)));
        panel.splitCombo()->setCurrentIndex(panel.splitCombo()->findData(QStringLiteral("test")));
        auto* job = controller.evaluate();
        QVERIFY(job && job->wait(60000));
        QCOMPARE(job->state(), Job::State::Finished);
        QVERIFY(panel.resultA());
        QCOMPARE(panel.resultA()->result.videos.size(), std::size_t{3});
        QVERIFY(panel.coverageWarning());
        QVERIFY(panel.coverageLabel()->isVisible());
        QVERIFY2(panel.coverageLabel()->text().contains(
                     QStringLiteral("covers 1 of 3 videos of the test split")),
                 qPrintable(panel.coverageLabel()->text()));
        // 100, 0, 0 over the three videos.
        QVERIFY(std::abs(panel.resultA()->result.dataset.segment[core::kAudio] - 100.0 / 3) < 1e-9);

        panel.coveredOnlyBox()->setChecked(true);
        job = controller.evaluate();
        QVERIFY(job && job->wait(60000));
        QCOMPARE(job->state(), Job::State::Finished);
        QCOMPARE(panel.resultA()->result.videos, std::vector<std::string>{"v1"});
        QVERIFY(std::abs(panel.resultA()->result.dataset.segment[core::kAudio] - 100.0) < 1e-9);
        QVERIFY(!panel.coverageWarning());
        QVERIFY2(panel.resultA()->name.contains(QStringLiteral("over 1 covered videos")),
                 qPrintable(panel.resultA()->name));
        QVERIFY(panel.coverageLabel()->text().contains(QStringLiteral("Scored over those 1")));

        // A per-video row opens the video with set A's run as the timeline's predictions.
        QCOMPARE(doc.run(), std::optional<store::RunId>(other));
        QSignalSpy opened(&panel, &EvaluationPanel::videoActivated);
        auto* videos = panel.videoTable()->model();
        QTest::mouseClick(panel.videoTable()->viewport(), Qt::LeftButton, {},
                          panel.videoTable()->visualRect(videos->index(0, 0)).center());
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).toString(), QStringLiteral("v1"));
        QCOMPARE(session.run(), std::optional<store::RunId>(partial));
    }

    // A set combo's context menu renames the prediction run it shows, with the dialog the
    // timeline's Predictions combo uses (ui/widgets/run_rename.h); both combos then list
    // the new name. A set that is no run offers the item disabled.
    void renamesARunFromTheSetCombos() {
        const QString path = dir_->file(QStringLiteral("rename.avvpstore"));
        store::RunId id = 0;
        {
            auto s = store::Store::open(path.toStdString(), {.annotator = "alice"});
            store::Run run;
            run.name = "LINK 2026-12-06";
            id = s->addRun(run);
        }
        Session session;
        QVERIFY(session.open(path, QStringLiteral("alice")));
        app::SessionDocument doc(&session);
        EvaluationPanel panel(&doc);
        panel.show();
        // What the main window does with the request (MainWindow::renameRun).
        connect(&panel, &EvaluationPanel::renameRunRequested, &panel,
                [&](qint64 run, const QString& name) {
                    store::renameRun(*session.store(), run, name.toStdString());
                });
        auto* b = panel.setBCombo();
        b->setCurrentIndex(b->findData(QStringLiteral("pred:%1").arg(id)));
        QVERIFY(b->currentIndex() > 0);
        // The context menu's "Rename Run…" asks for the name (the dialog holds the old one).
        QString asked;
        auto rename = [&](QComboBox* combo, const QString& name) {
            QTimer::singleShot(0, [&asked, name] {
                auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
                QVERIFY(menu);
                auto* action = menu->findChild<QAction*>(QStringLiteral("renameRun"));
                QVERIFY(action);
                if (!action->isEnabled()) {
                    menu->close();
                    return;
                }
                QTimer::singleShot(0, [&asked, name] {
                    auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
                    QVERIFY(dialog);
                    asked = dialog->textValue();
                    dialog->setTextValue(name);
                    dialog->accept();
                });
                action->trigger();
                menu->close();
            });
            emit combo->customContextMenuRequested(combo->rect().center());
        };
        rename(b, QStringLiteral("baseline, seed 1"));
        QCOMPARE(asked, QStringLiteral("LINK 2026-12-06"));
        QCOMPARE(session.store()->runs().at(0).name, std::string("baseline, seed 1"));
        QTRY_COMPARE(b->currentText(), QStringLiteral("Predictions: baseline, seed 1"));
        QCOMPARE(b->currentData().toString(), QStringLiteral("pred:%1").arg(id));
        const int inA = panel.setACombo()->findData(QStringLiteral("pred:%1").arg(id));
        QCOMPARE(panel.setACombo()->itemText(inA), QStringLiteral("Predictions: baseline, seed 1"));
        // The corrections are no run: nothing is asked.
        auto* a = panel.setACombo();
        a->setCurrentIndex(a->findData(QStringLiteral("corr")));
        asked.clear();
        QSignalSpy requested(&panel, &EvaluationPanel::renameRunRequested);
        rename(a, QStringLiteral("never"));
        QVERIFY(asked.isEmpty());
        QCOMPARE(requested.count(), 0);
    }

    void reportsWhatCannotBeScored() {
        test::ScratchDir empty;
        const QString path = empty.file(QStringLiteral("empty.avvpstore"));
        Session session;
        QVERIFY(session.open(path));
        JobManager jobs;
        app::SessionDocument doc(&session);
        EvaluationPanel panel(&doc);
        app::EvaluationController controller(&session, &jobs, &panel);
        auto* job = controller.evaluate();  // corrections of an empty store
        QVERIFY(job);
        QVERIFY(job->wait());
        QCOMPARE(job->state(), Job::State::Failed);
        QVERIFY(job->error().contains(QStringLiteral("no video")));
        QVERIFY(!panel.resultA());
    }
};

QTEST_MAIN(TestEvaluationPanel)
#include "tst_evaluation_panel.moc"

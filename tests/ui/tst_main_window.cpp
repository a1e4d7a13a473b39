// The workspace as a user drives it, with keys and the mouse: open a video that plays,
// play / pause / step with the keymap, correct an event on the timeline, undo and redo
// with Ctrl+Z / Ctrl+Shift+Z, accept a prediction with A; then restart (window and store
// closed and opened again) and find the edit and the undo history; the cheat sheet lists
// every key; the window state persists; the language switches at run time.
#include <QApplication>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QTranslator>
#include <QUndoStack>

#include "app/studio/main_window.h"
#include "app/studio/panel_controllers.h"
#include "app/studio/studio.h"
#include "app/workspace/jobs.h"
#include "app/workspace/model_workflow.h"
#include "app/workspace/session.h"
#include "core/store/store.h"
#include "ui/dialogs/keymap_dialog.h"
#include "ui/keymap.h"
#include "ui/media/playback.h"
#include "ui/panels/evaluation_panel.h"
#include "ui/panels/event_table.h"
#include "ui/panels/training_panel.h"
#include "ui/panels/video_browser.h"
#include "ui/timeline/timeline_painter.h"
#include "ui/timeline/timeline_panel.h"
#include "ui/timeline/timeline_view.h"
#include "ui/widgets/video_view.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;
using app::MainWindow;
using workspace::JobManager;
using workspace::Session;

namespace {
const QString kVideo = QStringLiteral("KSRjje7GH44_60_70");

// A "language" that marks every string of app/workspace it is asked for: «text».
class MarkingTranslator : public QTranslator {
  public:
    bool isEmpty() const override { return false; }
    QString translate(const char* context, const char* source, const char*, int) const override {
        if (!QByteArray(context).startsWith("avvp::workspace")) return {};
        return QStringLiteral("«%1»").arg(QString::fromUtf8(source));
    }
};
// Marks the strings of app/studio's Studio.
class MarkingStudioTranslator : public QTranslator {
  public:
    bool isEmpty() const override { return false; }
    QString translate(const char* context, const char* source, const char*, int) const override {
        if (QByteArray(context) != "avvp::app::Studio") return {};
        return QStringLiteral("«%1»").arg(QString::fromUtf8(source));
    }
};

core::ClassSet classSet(const std::vector<int>& classes) {
    core::ClassSet out = 0;
    for (const int c : classes) out |= 1U << c;
    return out;
}
}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    QString path_;
    store::EventId speechAudio_ = 0, predicted_ = 0;

    std::unique_ptr<Session> session_;
    std::unique_ptr<JobManager> jobs_;
    std::unique_ptr<MainWindow> window_;

    void open(QSize size = {1400, 900}) {
        session_ = std::make_unique<Session>();
        jobs_ = std::make_unique<JobManager>();
        QVERIFY(session_->open(path_, QStringLiteral("alice")));
        window_ = std::make_unique<MainWindow>(session_.get(), jobs_.get());
        window_->resize(size);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    }
    void close() {
        window_->close();
        window_.reset();
        jobs_.reset();
        session_.reset();
    }
    store::Event event(store::EventId id) { return *session_->store()->event(id); }
    void key(int k, Qt::KeyboardModifiers mods = {}) {
        QTest::keyClick(window_.get(), static_cast<Qt::Key>(k), mods);
    }

  private slots:
    void initTestCase() {
        test::initGuiTest("tst_main_window");
        QSettings().clear();
        dir_ = std::make_unique<test::ScratchDir>();
        path_ = dir_->file(QStringLiteral("work.avvpstore"));
        test::importLlpInto(path_.toStdString());
        auto s = store::Store::open(path_.toStdString(), {.annotator = "alice"});
        const auto v = *s->videoByName(kVideo.toStdString());
        // Its labels as a SYNTHETIC video (as the demo makes them).
        std::vector<media::LabelSpan> spans;
        for (const auto& e : s->events(v.id)) {
            spans.push_back({e.modality, e.cls, e.onsetMs, e.offsetMs});
            if (e.modality == core::Modality::Audio && e.cls == *core::classIndex("Speech"))
                speechAudio_ = e.id;
        }
        QVERIFY(speechAudio_ != 0);
        const auto file = *dir_ / (kVideo.toStdString() + ".mp4");
        test::renderTinyVideo(file, spans, 10.0);
        s->setMedia(v.id, file.string());
        // A run predicting Blender seen 5-7 s.
        store::Run run;
        run.name = "demo-run";
        const auto runId = s->addRun(run);
        s->replaceEvents(v.id, core::Modality::Visual, store::Source::Prediction,
                         {{core::Modality::Visual, *core::classIndex("Blender"), 5000, 7000}},
                         runId);
        predicted_ = s->events(v.id, {.source = store::Source::Prediction})[0].id;
    }

    void cleanupTestCase() { dir_.reset(); }

    void workflowAcrossARestart() {
        open();
        QVERIFY(window_->selectVideo(kVideo));
        auto* pb = window_->playback();
        QVERIFY(pb->isOpen());
        QCOMPARE(window_->timeline()->video(), window_->currentVideo());
        QVERIFY(!window_->timeline()->eventRect(speechAudio_).isNull());

        // Play, pause, step with the keymap.
        window_->timeline()->setFocus();
        key(Qt::Key_Space);
        QVERIFY(test::waitFor([&] { return pb->playing(); }));
        QVERIFY(test::waitFor([&] { return pb->position() > 0.15; }));
        key(Qt::Key_K);
        QVERIFY(test::waitFor([&] { return !pb->playing(); }));
        key(Qt::Key_Home);
        QVERIFY(test::waitFor([&] { return pb->position() < 1e-3; }));
        key(Qt::Key_Right);
        key(Qt::Key_Right);
        QVERIFY(test::waitFor([&] { return std::abs(pb->position() - 2.0) < 1e-6; }));
        key(Qt::Key_Period);  // one frame forward (10 fps)
        QVERIFY(test::waitFor([&] { return std::abs(pb->position() - 2.1) < 0.011; }));
        QVERIFY(test::waitFor(
            [&] { return std::abs(window_->timeline()->playhead() - pb->position()) < 1e-6; }));
        key(Qt::Key_Left);
        QVERIFY(test::waitFor([&] { return std::abs(pb->position() - 2.0) < 1e-6; }));

        // Correct an event: Speech heard 0-8 s is cut to 0-6 s by dragging its end.
        auto* tl = window_->timeline();
        const QRect r = tl->eventRect(speechAudio_);
        QTest::mousePress(tl, Qt::LeftButton, {}, QPoint(r.right(), r.center().y()));
        QTest::mouseMove(tl, QPoint(tl->xForTime(7.0), r.center().y()));
        QTest::mouseMove(tl, QPoint(tl->xForTime(6.1), r.center().y()));
        QTest::mouseRelease(tl, Qt::LeftButton, {}, QPoint(tl->xForTime(6.1), r.center().y()));
        QCOMPARE(event(speechAudio_).offsetMs, 6000);
        key(Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(event(speechAudio_).offsetMs, 8000);
        key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(event(speechAudio_).offsetMs, 6000);

        // Accept the prediction with A.
        tl->setSelection({predicted_});
        key(Qt::Key_A);
        QCOMPARE(event(predicted_).review, store::Review::Accepted);
        QCOMPARE(session_->undoStack()->count(), 2);

        // Restart.
        close();
        open();
        QCOMPARE(window_->currentVideo(),
                 session_->store()->videoByName(kVideo.toStdString())->id);  // the last video
        QCOMPARE(event(speechAudio_).offsetMs, 6000);                        // the edit is there
        QCOMPARE(session_->undoStack()->count(), 2);
        window_->action(QStringLiteral("undo"))->trigger();  // the accept
        QCOMPARE(event(predicted_).review, store::Review::None);
        key(Qt::Key_Z, Qt::ControlModifier);  // the resize
        QCOMPARE(event(speechAudio_).offsetMs, 8000);
        key(Qt::Key_Y, Qt::ControlModifier);
        QCOMPARE(event(speechAudio_).offsetMs, 6000);
        close();
    }

    // Issue 17: right after a restart Ctrl+Z reaches the project's undo stack, wherever
    // focus is; a search box undoes its own typing only while it has some to undo.
    void undoReachesTheStackFromAnyFocus() {
        open();
        QVERIFY(window_->selectVideo(kVideo));
        auto* tl = window_->timeline();
        tl->setSelection({predicted_});
        window_->action(QStringLiteral("accept"))->trigger();
        QCOMPARE(event(predicted_).review, store::Review::Accepted);
        close();

        open();
        auto* search = window_->browser()->searchEdit();
        QVERIFY(test::waitFor([] { return QApplication::focusWidget() != nullptr; }));
        QVERIFY(QApplication::focusWidget() != search);  // focus does not start there
        search->setFocus();
        QVERIFY(test::waitFor([&] { return search->hasFocus(); }));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(event(predicted_).review, store::Review::None);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Z,
                        Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(event(predicted_).review, store::Review::Accepted);

        // Typed into: Ctrl+Z undoes the typing, not the project.
        QTest::keyClicks(search, QStringLiteral("zz"));
        QCOMPARE(search->text(), QStringLiteral("zz"));
        QTest::keyClick(search, Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(search->text() != QStringLiteral("zz"));
        QCOMPARE(event(predicted_).review, store::Review::Accepted);
        search->clear();
        window_->action(QStringLiteral("undo"))->trigger();
        QCOMPARE(event(predicted_).review, store::Review::None);
        close();
    }

    // A project whose file is not writable opens read-only: the window says so, and an edit
    // is refused with a message, the file unchanged.
    void readOnlyProjectSaysSoAndRefusesEdits() {
        const QString copy = dir_->file(QStringLiteral("readonly.avvpstore"));
        QFile::remove(copy);
        QVERIFY(QFile::copy(path_, copy));
        QFile::setPermissions(
            copy, QFileDevice::ReadOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
        const auto hash = [&] {
            QFile f(copy);
            return f.open(QIODevice::ReadOnly)
                       ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
                       : QByteArray();
        };
        const auto before = hash();
        Session session;
        QVERIFY2(session.open(copy, QStringLiteral("alice")), qPrintable(session.lastError()));
        QVERIFY(session.readOnly());
        JobManager jobs;
        MainWindow window(&session, &jobs);
        QVERIFY(window.windowTitle().contains(QStringLiteral("read-only")));
        const auto* label = window.statusBar()->findChild<QLabel*>();
        bool said = false;
        for (const auto* l : window.statusBar()->findChildren<QLabel*>())
            said = said || l->text().contains(QStringLiteral("read-only"));
        QVERIFY(label && said);
        QSignalSpy failed(&session, &Session::editFailed);
        const auto v = session.store()->videoByName(kVideo.toStdString());
        QVERIFY(v);
        QVERIFY(!session.apply(store::Edit::add(v->id, core::Modality::Audio, 3, 1000, 2000)));
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("read-only")),
                 qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(hash(), before);
        QFile::setPermissions(copy, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void videosWithoutMediaStillEdit() {
        open();
        QVERIFY(window_->selectVideo(QStringLiteral("4YdbENYcIyE_23_33")));
        QVERIFY(!window_->playback()->isOpen());
        key(Qt::Key_Right);
        key(Qt::Key_Right);
        QCOMPARE(window_->timeline()->playhead(), 2.0);
        key(Qt::Key_End);
        QCOMPARE(window_->timeline()->playhead(), 10.0);
        close();
    }

    void cheatSheetListsEveryKey() {
        open();
        for (const auto& b : defaultKeymap()) {
            if (keySequences(b).isEmpty()) continue;
            auto* a = window_->action(QString::fromLatin1(b.id));
            QVERIFY2(a, b.id);
            QCOMPARE(a->shortcuts(), keySequences(b));
        }
        KeymapDialog d;
        QStringList texts;
        for (int r = 0; r < d.table()->rowCount(); ++r)
            if (auto* item = d.table()->item(r, 1)) texts << item->text();
        for (const auto& b : defaultKeymap()) QVERIFY2(texts.contains(translatedText(b)), b.text);
        close();
    }

    void windowStateAndTimelineFigure() {
        open();
        QVERIFY(window_->selectVideo(kVideo));
        QString error;
        for (const char* ext : {"png", "svg", "pdf"}) {
            const QString file = dir_->file(QStringLiteral("timeline.%1").arg(QLatin1String(ext)));
            QVERIFY2(window_->exportTimeline(file, &error), qPrintable(error));
            QVERIFY(QFileInfo(file).size() > 1000);
        }
        close();
        QVERIFY(!QSettings().value(QStringLiteral("window/state")).toByteArray().isEmpty());
        QCOMPARE(QSettings().value(QStringLiteral("recent/stores")).toStringList().value(0), path_);
    }

    // Issue 17, item 4: at 1366x768 the video does not crowd out the timeline: at least
    // three class rows are in view without scrolling.
    void smallScreenShowsSeveralClassRows() {
        open({1366, 740});  // 768 less a panel: the window on a 1366x768 screen
        QVERIFY(window_->selectVideo(kVideo));
        QTest::qWait(300);  // the docks sized, the timeline fitted
        auto* tl = window_->timeline();
        const int viewport = window_->timelinePanel()->scrollArea()->viewport()->height();
        int rows = 0;
        for (const auto lane : {Lane::Audio, Lane::Visual, Lane::AudioVisual})
            for (const int c : tl->laidOutClasses()) {
                const QRect r = tl->stripRect(lane, c, store::Source::Correction);
                if (!r.isNull() && r.bottom() < viewport) ++rows;
            }
        const auto* research = window_->findChild<QDockWidget*>(QStringLiteral("research"));
        auto dbg = [&] {
            auto* sp = window_->findChild<QSplitter*>();
            QString out;
            for (int i = 0; sp && i < sp->count(); ++i)
                out += QStringLiteral("%1 (min %2) ")
                           .arg(sp->sizes().value(i))
                           .arg(sp->widget(i)->minimumSizeHint().height());
            return out;
        };
        QVERIFY2(rows >= 3, qPrintable(QStringLiteral("%1 class rows in view (%2 px; timeline "
                                                      "panel %3 px, research dock %4 px, "
                                                      "window %5 px, rows %6 px; %7)")
                                           .arg(rows)
                                           .arg(viewport)
                                           .arg(window_->timelinePanel()->height())
                                           .arg(research ? research->height() : -1)
                                           .arg(window_->height())
                                           .arg(tl->sizeHint().height())
                                           .arg(dbg())));
        close();
    }

    // Issue 17, item 4: "Show Only Classes Present" collapses the rows to the classes with
    // an event; the probability shading is clearly visible; the spectrogram's contrast is
    // adjustable; both settings persist.
    void timelineReadability() {
        QVERIFY(probabilityShade(0.5F).alphaF() >= 0.5);
        QVERIFY(probabilityShade(0.05F).alphaF() >= 0.2);
        open();
        QVERIFY(window_->selectVideo(kVideo));
        auto* s = session_->store();
        const auto video = s->videoByName(kVideo.toStdString())->id;
        // A run that gives Dog (no event in this video) a probability of 0.3 everywhere:
        // a row of its own, until only the classes present are shown.
        store::Run run;
        run.name = "faint";
        const auto runId = s->addRun(run);
        store::SegmentProbabilities p;
        p.video = video;
        p.frame.assign(10 * 2 * core::kNumClasses, 0.0F);
        p.global.assign(core::kNumClasses, 0.0F);
        const int dog = *core::classIndex("Dog");
        for (int k = 0; k < 10; ++k)
            p.frame[static_cast<std::size_t>(k * 2 * core::kNumClasses + dog)] = 0.3F;
        s->putProbabilities(runId, {p}, false);
        session_->setRun(runId);
        auto* tl = window_->timeline();
        QVERIFY(test::waitFor([&] { return core::hasClass(classSet(tl->laidOutClasses()), dog); }));
        core::ClassSet present = 0;
        for (const auto& e : tl->events()) present |= 1U << e.cls;
        QVERIFY(!core::hasClass(present, dog));
        const auto all = tl->laidOutClasses().size();
        QMenu menu;
        tl->addViewActions(&menu);
        auto* only = menu.actions().value(0);
        QVERIFY(only && only->isCheckable());
        only->trigger();
        QVERIFY(tl->onlyPresentClasses());
        QCOMPARE(classSet(tl->laidOutClasses()), present);
        QVERIFY(tl->laidOutClasses().size() < all);
        // The contrast: the 40 dB choice of the submenu.
        auto* contrast = menu.actions().value(1)->menu();
        QVERIFY(contrast);
        contrast->actions().value(0)->trigger();
        QCOMPARE(tl->spectrogramRange(), 40.0);
        close();
        open();
        QVERIFY(window_->timeline()->onlyPresentClasses());
        QCOMPARE(window_->timeline()->spectrogramRange(), 40.0);
        window_->timeline()->setOnlyPresentClasses(false);
        QSettings().remove(QStringLiteral("timeline"));
        session_->store()->deleteRun(runId);
        close();
    }

    // Issue 17: selecting an event on the timeline selects its row in the Events table.
    void eventTableFollowsTheTimeline() {
        open();
        QVERIFY(window_->selectVideo(kVideo));
        auto* table = window_->eventTable()->table();
        QVERIFY(test::waitFor([&] { return table->model()->rowCount() > 0; }));
        window_->timeline()->setSelection({speechAudio_});
        QVERIFY(table->currentIndex().isValid());
        QCOMPARE(table->currentIndex().data(EventTableModel::EventIdRole).toLongLong(),
                 static_cast<qint64>(speechAudio_));
        QVERIFY(table->selectionModel()->isRowSelected(table->currentIndex().row()));
        window_->timeline()->clearSelection();
        QVERIFY(!table->currentIndex().isValid());
        close();
    }

    // Issue 17, item 6: runs are renamable from the timeline's run combo; an empty or taken
    // name is refused with a message and changes nothing.
    void runsAreRenamable() {
        open();
        auto* s = session_->store();
        const auto id = s->runByName("demo-run")->id;
        store::Run other;
        other.name = "other-run";
        const auto otherId = s->addRun(other);
        auto* combo = window_->timelinePanel()->runCombo();
        QVERIFY(window_->renameRun(id, QStringLiteral("baseline, seed 1")));
        QCOMPARE(s->runByName("baseline, seed 1")->id, id);
        QVERIFY(combo->findText(QStringLiteral("baseline, seed 1")) >= 0);
        QVERIFY(combo->findText(QStringLiteral("demo-run")) < 0);
        QVERIFY(!window_->renameRun(id, QStringLiteral("other-run")));
        QVERIFY(!window_->renameRun(id, QStringLiteral(" ")));
        QVERIFY(window_->statusBar()->currentMessage().contains(QStringLiteral("empty")));
        QCOMPARE(s->runByName("baseline, seed 1")->id, id);
        QVERIFY(window_->renameRun(id, QStringLiteral("demo-run")));
        s->deleteRun(otherId);
        close();
    }

    // Issue 17, item 5: the demo's note in the window title is translated.
    void demoNoteIsTranslated() {
        MarkingStudioTranslator marking;
        QCoreApplication::installTranslator(&marking);
        const QString note = app::Studio::demoNote(true);
        QCoreApplication::removeTranslator(&marking);
        QVERIFY2(note.startsWith(QStringLiteral("«")), qPrintable(note));
        QVERIFY(app::Studio::demoNote(false).contains(QStringLiteral("SYNTHETIC")));
    }

    void languageSwitchesAtRunTime() {
        app::StudioOptions o;
        o.language = QStringLiteral("zh_CN");
        app::Studio studio(o);
        QVERIFY(studio.openStore(path_));
        auto fileMenu = [&] { return studio.window()->menuBar()->actions().value(0)->text(); };
        const QString zh = fileMenu();
        QVERIFY2(
            std::any_of(zh.begin(), zh.end(),
                        [](QChar c) { return c.unicode() >= 0x4e00 && c.unicode() <= 0x9fff; }),
            qPrintable(zh));
        QVERIFY(studio.window()->selectVideo(kVideo));
        // An edit made before the switch: its undo text follows the new language.
        const auto speech = *studio.session()->store()->event(speechAudio_);
        QVERIFY(studio.session()->apply(store::Edit::move(speechAudio_, speech.onsetMs + 1000)));
        MarkingTranslator marking;
        QCoreApplication::installTranslator(&marking);
        studio.setLanguage(QStringLiteral("en"));
        QCoreApplication::removeTranslator(&marking);
        auto* stack = studio.session()->undoStack();
        QVERIFY2(stack->text(stack->index() - 1).startsWith(QStringLiteral("«Move")),
                 qPrintable(stack->text(stack->index() - 1)));
        QVERIFY(stack->canUndo());
        stack->undo();
        QCOMPARE(studio.session()->store()->event(speechAudio_)->onsetMs, speech.onsetMs);
        QCOMPARE(fileMenu(), QStringLiteral("&File"));
        // The session, and the video, carried over.
        QVERIFY(studio.session()->isOpen());
        QCOMPARE(studio.window()->browser()->currentFilename(), kVideo);
    }

    void runChoiceSurvivesReopening() {
        // Two runs: the newest is shown on open, until the user picks the other one.
        store::RunId older = 0;
        {
            auto s = store::Store::open(path_.toStdString(), {.annotator = "alice"});
            older = s->runByName("demo-run")->id;
            store::Run newer;
            newer.name = "newer-run";
            s->addRun(newer);
        }
        open();
        QVERIFY(session_->run() != older);
        session_->setRun(older);
        close();
        open();
        QCOMPARE(session_->run(), std::optional<store::RunId>(older));
        close();
    }

    void undoTextsAreTranslated() {
        MarkingTranslator marking;
        QCoreApplication::installTranslator(&marking);
        open();
        const auto before = event(speechAudio_);
        QVERIFY(session_->apply(store::Edit::move(speechAudio_, before.onsetMs + 1000)));
        auto* stack = session_->undoStack();
        const QString text = stack->text(stack->index() - 1);
        QVERIFY2(text.startsWith(QStringLiteral("«Move")) &&
                     text.contains(QStringLiteral("Speech")) &&
                     text.contains(QStringLiteral("«audio»")),
                 qPrintable(text));
        QVERIFY(session_->apply(store::Edit::move(speechAudio_, before.onsetMs)));
        // After a restart too (the stack is rebuilt from the store's English history).
        close();
        open();
        stack = session_->undoStack();
        QVERIFY2(stack->text(stack->index() - 1).startsWith(QStringLiteral("«Move")),
                 qPrintable(stack->text(stack->index() - 1)));
        close();
        QCoreApplication::removeTranslator(&marking);
    }

    void languageSwitchKeepsTheWorkspace() {
        // The model, the evaluation, the browser's filters and the maximised window survive
        // the rebuild of the window in another language.
        test::ScratchDir dir;
        const auto p = workspace::test::makeTinyProject(dir.path());
        app::StudioOptions o;
        o.language = QStringLiteral("en");
        app::Studio studio(o);
        QVERIFY(studio.openStore(QString::fromStdString(p.store.string())));
        auto* w = studio.window();
        w->showMaximized();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        auto finished = [](workspace::Job* job) {
            return job && job->wait(60000) && job->state() == workspace::Job::State::Finished;
        };
        QVERIFY(finished(w->models()->load(QString::fromStdString(p.checkpoint.string()))));
        QTRY_VERIFY(w->models()->workflow()->hasModel());
        QVERIFY(
            finished(w->models()->runOn(p.test, QStringLiteral("run"), QStringLiteral("test"))));
        QVERIFY(w->evaluationPanel()->evaluate());
        QTRY_VERIFY_WITH_TIMEOUT(w->evaluationPanel()->resultA().has_value(), 30000);
        const double f = w->evaluationPanel()->resultA()->result.dataset.segment[0];
        w->browser()->modalityCombo()->setCurrentIndex(1);
        w->browser()->searchEdit()->setText(QStringLiteral("synth"));
        w->trainingPanel()->setData(QStringLiteral("/data/f"), QStringLiteral("/data/l"),
                                    QStringLiteral("/data/out"));
        w->trainingPanel()->setEpochs(7, 3, 0.5, 2);
        auto fields = [](QWidget* form) {
            QStringList out;
            for (auto* e : form->findChildren<QLineEdit*>()) out << e->text();
            return out;
        };
        const QStringList training = fields(w->trainingPanel());
        QVERIFY(training.contains(QStringLiteral("/data/out")));

        studio.setLanguage(QStringLiteral("zh_CN"));
        w = studio.window();
        QVERIFY(w->isMaximized());
        QCOMPARE(w->browser()->modalityCombo()->currentIndex(), 1);
        QCOMPARE(w->browser()->searchEdit()->text(), QStringLiteral("synth"));
        QCOMPARE(fields(w->trainingPanel()), training);
        QTRY_VERIFY_WITH_TIMEOUT(w->models()->workflow()->hasModel(), 30000);
        QCOMPARE(w->models()->workflow()->checkpoint(),
                 QString::fromStdString(p.checkpoint.string()));
        QTRY_VERIFY_WITH_TIMEOUT(w->evaluationPanel()->resultA().has_value(), 30000);
        QCOMPARE(w->evaluationPanel()->resultA()->result.dataset.segment[0], f);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"

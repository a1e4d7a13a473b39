// Editing on the timeline with simulated mouse and keys: every change lands in the store
// as one history entry, undo and redo replay it, and after a restart (the store and the
// views closed and opened again) undo and redo carry on.
#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include "app/studio/session_document.h"
#include "app/workspace/session.h"
#include "core/prediction.h"
#include "core/store/store.h"
#include "editing_fixture.h"
#include "ui/dialogs/class_picker.h"
#include "ui/timeline/timeline_panel.h"
#include "ui/timeline/timeline_view.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;
using store::Source;

namespace {

const int kCat = *core::classIndex("Cat");
using Fixture = test::EditingFixture;
using test::kDog;
using test::kSpeech;

using test::makeEditingStore;

void drag(QWidget* w, QPoint from, QPoint to, Qt::KeyboardModifiers mods = {}) {
    QTest::mousePress(w, Qt::LeftButton, {}, from);
    const QPoint mid = (from + to) / 2;
    QTest::mouseMove(w, mid);
    QTest::mouseMove(w, to);
    QTest::mouseRelease(w, Qt::LeftButton, mods, to);
}

// Answers the next class picker: types `text` and presses Enter.
void answerPicker(const QString& text) {
    QTimer::singleShot(0, [text] {
        auto* picker = qobject_cast<ClassPicker*>(QApplication::activeModalWidget());
        QVERIFY(picker);
        QTest::keyClicks(picker->filterEdit(), text);
        QTest::keyClick(picker->filterEdit(), Qt::Key_Return);
    });
}

}  // namespace

class TestTimelineEditing : public QObject {
    Q_OBJECT

    std::unique_ptr<test::ScratchDir> dir_;
    std::filesystem::path path_;
    Fixture f_;
    std::unique_ptr<workspace::Session> session_;
    std::unique_ptr<app::SessionDocument> doc_;
    std::unique_ptr<TimelineView> view_;

    store::Event event(store::EventId id) { return *session_->store()->event(id); }
    void openViews() {
        session_ = std::make_unique<workspace::Session>();
        QVERIFY2(session_->open(QString::fromStdString(path_.string()), QStringLiteral("alice")),
                 qPrintable(session_->lastError()));
        session_->setRun(f_.run);
        doc_ = std::make_unique<app::SessionDocument>(session_.get());
        view_ = std::make_unique<TimelineView>(doc_.get());
        view_->resize(1150, 700);
        view_->show();
        QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
        view_->setVideo(f_.video);
    }
    void closeViews() {
        view_.reset();
        doc_.reset();
        session_.reset();
    }
    QPoint at(double seconds, const QRect& strip) const {
        return {view_->xForTime(seconds), strip.center().y()};
    }

  private slots:
    void initTestCase() { test::initGuiTest("tst_timeline_editing"); }

    void init() {
        dir_ = std::make_unique<test::ScratchDir>();
        path_ = *dir_ / "edit.avvpstore";
        f_ = makeEditingStore(path_);
        openViews();
    }
    void cleanup() {
        closeViews();
        dir_.reset();
    }

    void showsLanesAndStrips() {
        // Rows: Dog (ground truth) and Speech (predicted), in every lane.
        QCOMPARE(view_->classes(), (std::vector<int>{kSpeech, kDog}));
        for (auto lane : {TimelineView::Lane::Audio, TimelineView::Lane::Visual,
                          TimelineView::Lane::AudioVisual})
            for (auto src : {Source::GroundTruth, Source::Prediction, Source::Correction})
                QVERIFY(!view_->stripRect(lane, kDog, src).isNull());
        const QRect a = view_->eventRect(f_.audioDog);
        QVERIFY(!a.isNull());
        QVERIFY(std::abs(a.left() - view_->xForTime(2.0)) <= 1);
        QVERIFY(std::abs(a.right() + 1 - view_->xForTime(5.0)) <= 1);
        QVERIFY(!view_->eventRect(f_.predSpeech).isNull());
    }

    // Issue 17, item 4: readable rows by default (not 8 px), View > Row Height changes the
    // geometry, and the run combo box shows a long run name in full.
    void rowHeightIsReadableAndAdjustable() {
        const QRect gt = view_->stripRect(TimelineView::Lane::Audio, kDog, Source::GroundTruth);
        QVERIFY2(gt.height() >= 14, qPrintable(QString::number(gt.height())));
        QCOMPARE(view_->rowHeight(), kStrip);
        const int tall = view_->minimumHeight();
        view_->setRowHeight(kStrip + 8);
        QCOMPARE(view_->rowHeight(), kStrip + 8);
        const QRect big = view_->stripRect(TimelineView::Lane::Audio, kDog, Source::GroundTruth);
        QCOMPARE(big.height(), gt.height() + 8);
        QVERIFY(view_->minimumHeight() > tall);
        QCOMPARE(view_->eventRect(f_.audioDog).height(), big.height());
        view_->setRowHeight(1000);  // clamped
        QCOMPARE(view_->rowHeight(), kMaxStrip);
        view_->setRowHeight(0);
        QCOMPARE(view_->rowHeight(), kMinStrip);

        store::Run run;
        run.name = "demo model (late fusion, checkpoint 12)";
        session_->store()->addRun(run);
        TimelinePanel panel(doc_.get());
        auto* combo = panel.runCombo();
        combo->setCurrentIndex(combo->count() - 1);
        QCOMPARE(combo->currentText(), QString::fromStdString(run.name));
        QVERIFY2(combo->sizeHint().width() >=
                     combo->fontMetrics().horizontalAdvance(combo->currentText()) + 16,
                 qPrintable(QString::number(combo->sizeHint().width())));
    }

    void dragMovesAnEventSnappedAndUndoRedoReplay() {
        const QRect r = view_->eventRect(f_.audioDog);
        // Drag by about 2.3 s: snaps to whole segments, so 2-5 s becomes 4-7 s.
        drag(view_.get(), r.center(),
             r.center() + QPoint(view_->xForTime(2.3) - view_->xForTime(0), 0));
        QCOMPARE(event(f_.audioDog).onsetMs, 4000);
        QCOMPARE(event(f_.audioDog).offsetMs, 7000);
        QCOMPARE(event(f_.audioDog).annotator, std::string("alice"));
        QCOMPARE(session_->undoStack()->count(), 1);
        QVERIFY(session_->undoStack()->undoText().contains(QStringLiteral("Dog")));
        // The view redraws from the store.
        QVERIFY(std::abs(view_->eventRect(f_.audioDog).left() - view_->xForTime(4.0)) <= 1);

        session_->undoStack()->undo();
        QCOMPARE(event(f_.audioDog).onsetMs, 2000);
        QVERIFY(std::abs(view_->eventRect(f_.audioDog).left() - view_->xForTime(2.0)) <= 1);
        session_->undoStack()->redo();
        QCOMPARE(event(f_.audioDog).onsetMs, 4000);
    }

    void shiftDragIsFree() {
        const QRect r = view_->eventRect(f_.audioDog);
        drag(view_.get(), r.center(),
             r.center() + QPoint(view_->xForTime(1.37) - view_->xForTime(0), 0), Qt::ShiftModifier);
        const auto e = event(f_.audioDog);
        QVERIFY2(e.onsetMs % 1000 != 0, qPrintable(QString::number(e.onsetMs)));
        QVERIFY(std::abs(e.onsetMs - 3370) <= 30);
        QCOMPARE(e.offsetMs - e.onsetMs, 3000);
    }

    void dragTheEdgeResizes() {
        const QRect r = view_->eventRect(f_.audioDog);
        const QPoint edge(r.right(), r.center().y());
        drag(view_.get(), edge, QPoint(view_->xForTime(8.2), edge.y()));
        QCOMPARE(event(f_.audioDog).onsetMs, 2000);
        QCOMPARE(event(f_.audioDog).offsetMs, 8000);
        const QPoint start(r.left(), r.center().y());
        drag(view_.get(), start, QPoint(view_->xForTime(0.9), start.y()));
        QCOMPARE(event(f_.audioDog).onsetMs, 1000);
        QCOMPARE(session_->undoStack()->count(), 2);
    }

    void dragOnEmptySpaceCreates() {
        const QRect corr =
            view_->stripRect(TimelineView::Lane::Visual, kSpeech, Source::Correction);
        drag(view_.get(), at(3.4, corr), at(5.6, corr));
        const auto events = session_->store()->events(f_.video, {.source = Source::Correction});
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].cls, kSpeech);
        QCOMPARE(events[0].modality, core::Modality::Visual);
        QCOMPARE(events[0].onsetMs, 3000);  // onset down, offset up to whole segments
        QCOMPARE(events[0].offsetMs, 6000);
        QCOMPARE(view_->selection(), (std::set<store::EventId>{events[0].id}));
        // A click (no drag) on empty space only moves the playhead.
        QSignalSpy seek(view_.get(), &TimelineView::seekRequested);
        QTest::mouseClick(view_.get(), Qt::LeftButton, {}, at(8.5, corr));
        QCOMPARE(seek.count(), 1);
        QVERIFY(std::abs(seek.at(0).at(0).toDouble() - 8.5) < 0.05);
        QCOMPARE(session_->store()->events(f_.video, {.source = Source::Correction}).size(),
                 std::size_t{1});
        session_->undoStack()->undo();
        QVERIFY(session_->store()->events(f_.video, {.source = Source::Correction}).empty());
    }

    void deleteAndUndoRestoresTheSameEvent() {
        QTest::mouseClick(view_.get(), Qt::LeftButton, {}, view_->eventRect(f_.visualDog).center());
        QCOMPARE(view_->selection(), (std::set<store::EventId>{f_.visualDog}));
        view_->deleteSelected();
        QVERIFY(!session_->store()->event(f_.visualDog));
        QVERIFY(view_->eventRect(f_.visualDog).isNull());
        session_->undoStack()->undo();
        const auto back = session_->store()->event(f_.visualDog);
        QVERIFY(back);
        QCOMPARE(back->onsetMs, 0);
        QCOMPARE(back->offsetMs, 3000);
    }

    void multiSelectionMovesAsOneStep() {
        QTest::mouseClick(view_.get(), Qt::LeftButton, {}, view_->eventRect(f_.audioDog).center());
        QTest::mouseClick(view_.get(), Qt::LeftButton, Qt::ControlModifier,
                          view_->eventRect(f_.visualDog).center());
        QCOMPARE(view_->selection().size(), std::size_t{2});
        const QRect r = view_->eventRect(f_.visualDog);
        drag(view_.get(), r.center(),
             r.center() + QPoint(view_->xForTime(1.0) - view_->xForTime(0), 0));
        QCOMPARE(event(f_.audioDog).onsetMs, 3000);
        QCOMPARE(event(f_.visualDog).onsetMs, 1000);
        QCOMPARE(session_->undoStack()->count(), 1);
        session_->undoStack()->undo();
        QCOMPARE(event(f_.audioDog).onsetMs, 2000);
        QCOMPARE(event(f_.visualDog).onsetMs, 0);
        // A move that would leave the video stops at its end, for the whole group.
        const QRect r2 = view_->eventRect(f_.audioDog);
        drag(view_.get(), r2.center(),
             r2.center() + QPoint(view_->xForTime(9.0) - view_->xForTime(0), 0));
        QCOMPARE(event(f_.audioDog).offsetMs, 10000);
        QCOMPARE(event(f_.visualDog).onsetMs, 5000);
    }

    void predictionsAreAcceptedOrRejectedNotDragged() {
        const QRect r = view_->eventRect(f_.predSpeech);
        drag(view_.get(), r.center(), r.center() + QPoint(100, 0));
        QCOMPARE(event(f_.predSpeech).onsetMs, 6000);  // model output stays
        QCOMPARE(session_->undoStack()->count(), 0);
        QCOMPARE(view_->selection(), (std::set<store::EventId>{f_.predSpeech}));
        QSignalSpy msg(view_.get(), &TimelineView::message);
        view_->deleteSelected();
        QCOMPARE(msg.count(), 1);
        QVERIFY(session_->store()->event(f_.predSpeech));

        view_->acceptSelected();
        QCOMPARE(event(f_.predSpeech).review, store::Review::Accepted);
        const auto corr = session_->store()->events(f_.video, {.source = Source::Correction});
        QCOMPARE(corr.size(), std::size_t{1});
        QCOMPARE(corr[0].origin, std::optional<store::EventId>(f_.predSpeech));
        QCOMPARE(corr[0].onsetMs, 6000);
        session_->undoStack()->undo();
        QCOMPARE(event(f_.predSpeech).review, store::Review::None);
        QVERIFY(session_->store()->events(f_.video, {.source = Source::Correction}).empty());
        view_->setSelection({f_.predSpeech});
        view_->rejectSelected();
        QCOMPARE(event(f_.predSpeech).review, store::Review::Rejected);
    }

    void relabelWithTheClassPicker() {
        view_->setSelection({f_.audioDog});
        answerPicker(
            QStringLiteral("cat"));  // "Cat" (also in "Vacuum_cleaner"? no: "cat" only in Cat)
        view_->relabelSelected();
        QCOMPARE(event(f_.audioDog).cls, kCat);
        session_->undoStack()->undo();
        QCOMPARE(event(f_.audioDog).cls, kDog);
        // Typing narrows to one class; Enter takes it.
        answerPicker(QStringLiteral("chainsaw"));
        view_->relabelSelected();
        QCOMPARE(event(f_.audioDog).cls, *core::classIndex("Chainsaw"));
    }

    void nextEventMovesThePlayhead() {
        QSignalSpy seek(view_.get(), &TimelineView::seekRequested);
        view_->setPlayhead(0.5);
        view_->selectAdjacentEvent(1);
        QCOMPARE(seek.last().at(0).toDouble(), 2.0);
        QCOMPARE(view_->selection(), (std::set<store::EventId>{f_.audioDog}));
        view_->setPlayhead(2.0);
        view_->selectAdjacentEvent(1);
        QCOMPARE(seek.last().at(0).toDouble(), 6.0);
        view_->setPlayhead(6.0);
        view_->selectAdjacentEvent(-1);
        QCOMPARE(seek.last().at(0).toDouble(), 2.0);
    }

    void zoomKeepsThePlayheadInView() {
        view_->setPlayhead(7.0);
        view_->setVisibleSpan(2.0, 7.0);
        QVERIFY(std::abs(view_->visibleSpan() - 2.0) < 1e-6);
        QVERIFY(view_->viewStart() <= 7.0 && view_->viewStart() + 2.0 >= 7.0);
        view_->setPlayhead(1.0);  // outside: the view follows
        QVERIFY(view_->viewStart() <= 1.0 && view_->viewStart() + 2.0 >= 1.0);
        view_->zoomToFit();
        QCOMPARE(view_->visibleSpan(), 10.0);
    }

    void undoAndRedoSurviveARestart() {
        // Three edits: move, create, delete; then undo the last one.
        const QRect r = view_->eventRect(f_.audioDog);
        drag(view_.get(), r.center(),
             r.center() + QPoint(view_->xForTime(1.0) - view_->xForTime(0), 0));
        const QRect corr = view_->stripRect(TimelineView::Lane::Audio, kDog, Source::Correction);
        drag(view_.get(), at(0.2, corr), at(0.8, corr));
        view_->setSelection({f_.visualDog});
        view_->deleteSelected();
        session_->undoStack()->undo();
        QVERIFY(session_->store()->event(f_.visualDog));
        QCOMPARE(session_->undoStack()->count(), 3);
        QCOMPARE(session_->undoStack()->index(), 2);

        // Restart: everything closed, opened again from the file.
        closeViews();
        openViews();
        QCOMPARE(session_->undoStack()->count(), 3);
        QCOMPARE(session_->undoStack()->index(), 2);
        QVERIFY(session_->undoStack()->canRedo());
        session_->undoStack()->redo();  // the delete again
        QVERIFY(!session_->store()->event(f_.visualDog));
        session_->undoStack()->undo();
        session_->undoStack()->undo();  // the created correction goes
        QVERIFY(session_->store()->events(f_.video, {.source = Source::Correction}).empty());
        session_->undoStack()->undo();  // the move
        QCOMPARE(event(f_.audioDog).onsetMs, 2000);
        QVERIFY(!session_->undoStack()->canUndo());
        // A new edit after undos drops the redo entries, in the stack and in the store.
        view_->setSelection({f_.audioDog});
        view_->deleteSelected();
        QCOMPARE(session_->undoStack()->count(), 1);
        closeViews();
        openViews();
        QCOMPARE(session_->undoStack()->count(), 1);
        QVERIFY(!session_->undoStack()->canRedo());
        session_->undoStack()->undo();
        QVERIFY(session_->store()->event(f_.audioDog));
    }

    void conflictIsReportedAndChangesNothing() {
        const QRect r = view_->eventRect(f_.audioDog);
        drag(view_.get(), r.center(),
             r.center() + QPoint(view_->xForTime(1.0) - view_->xForTime(0), 0));
        QCOMPARE(event(f_.audioDog).onsetMs, 3000);
        {
            // Bob, in another process, moves the same event afterwards.
            auto bob = store::Store::open(path_, {.annotator = "bob"});
            bob->apply(store::Edit::move(f_.audioDog, 6000));
        }
        QSignalSpy failed(session_.get(), &workspace::Session::editFailed);
        session_->undoStack()->undo();
        QCOMPARE(failed.count(), 1);
        QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("bob")));
        QCOMPARE(event(f_.audioDog).onsetMs, 6000);  // bob's edit stays
        // The stack is rebuilt from the store: alice's move is still hers to undo.
        QVERIFY(test::waitFor([&] { return session_->undoStack()->index() == 1; }));
    }
};

QTEST_MAIN(TestTimelineEditing)
#include "tst_timeline_editing.moc"

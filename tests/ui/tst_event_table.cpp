// The event table: the current video's events of the shown tiers, sortable, with numeric
// onset / offset editing through the same undoable store edit as a drag on the timeline.
#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>
#include <QUndoStack>

#include "app/studio/session_document.h"
#include "app/workspace/session.h"
#include "core/store/edit.h"
#include "core/store/store.h"
#include "editing_fixture.h"
#include "ui/panels/event_table.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;
using store::Source;

namespace {

using Fixture = test::EditingFixture;
using test::kDog;
using test::kSpeech;

using test::makeEditingStore;

}  // namespace

class TestEventTable : public QObject {
    Q_OBJECT

    std::unique_ptr<test::ScratchDir> dir_;
    Fixture f_;
    std::unique_ptr<workspace::Session> session_;
    std::unique_ptr<app::SessionDocument> doc_;
    std::unique_ptr<EventTable> table_;

    store::Event event(store::EventId id) { return *session_->store()->event(id); }
    QSortFilterProxyModel* proxy() { return table_->proxy(); }
    store::EventId idAt(int row) {
        return proxy()->index(row, 0).data(EventTableModel::EventIdRole).toLongLong();
    }
    int rowOf(store::EventId id) {
        for (int r = 0; r < proxy()->rowCount(); ++r)
            if (idAt(r) == id) return r;
        return -1;
    }

  private slots:
    void initTestCase() {
        test::initGuiTest("tst_event_table");
        qRegisterMetaType<store::EventId>("avvp::store::EventId");
    }

    void init() {
        dir_ = std::make_unique<test::ScratchDir>();
        const auto path = *dir_ / "table.avvpstore";
        f_ = makeEditingStore(path);
        session_ = std::make_unique<workspace::Session>();
        QVERIFY2(session_->open(QString::fromStdString(path.string()), QStringLiteral("alice")),
                 qPrintable(session_->lastError()));
        session_->setRun(f_.run);
        doc_ = std::make_unique<app::SessionDocument>(session_.get());
        table_ = std::make_unique<EventTable>(doc_.get());
        table_->resize(600, 300);
        table_->show();
        QVERIFY(QTest::qWaitForWindowExposed(table_.get()));
        table_->setVideo(f_.video);
    }
    void cleanup() {
        table_.reset();
        doc_.reset();
        session_.reset();
        dir_.reset();
    }

    void rowsAreTheEventsSortable() {
        QCOMPARE(proxy()->rowCount(), 3);
        // Sorted by onset: seen Dog 0 s, heard Dog 2 s, predicted Speech 6 s.
        QCOMPARE(idAt(0), f_.visualDog);
        QCOMPARE(idAt(1), f_.audioDog);
        QCOMPARE(idAt(2), f_.predSpeech);
        QCOMPARE(proxy()->index(1, EventTableModel::ClassColumn).data().toString(),
                 QStringLiteral("Dog"));
        QCOMPARE(proxy()->index(1, EventTableModel::OnsetColumn).data().toString(),
                 QStringLiteral("2.000"));
        QCOMPARE(proxy()->index(1, EventTableModel::OffsetColumn).data().toString(),
                 QStringLiteral("5.000"));
        // By offset, descending: Speech 8 s, heard Dog 5 s, seen Dog 3 s.
        table_->table()->sortByColumn(EventTableModel::OffsetColumn, Qt::DescendingOrder);
        QCOMPARE(idAt(0), f_.predSpeech);
        QCOMPARE(idAt(1), f_.audioDog);
        QCOMPARE(idAt(2), f_.visualDog);
        // By source: ground truth before predictions.
        table_->table()->sortByColumn(EventTableModel::SourceColumn, Qt::AscendingOrder);
        QCOMPARE(idAt(2), f_.predSpeech);
        // No video: no rows.
        table_->setVideo(std::nullopt);
        QCOMPARE(proxy()->rowCount(), 0);
    }

    void editingAnOffsetIsOneUndoableEdit() {
        // Predictions are read only, ground truth is editable, as on the timeline.
        const auto pred = proxy()->index(rowOf(f_.predSpeech), EventTableModel::OffsetColumn);
        QVERIFY(!(pred.flags() & Qt::ItemIsEditable));
        QVERIFY(!proxy()->setData(pred, 9.0));
        QCOMPARE(event(f_.predSpeech).offsetMs, 8000);
        const auto off = proxy()->index(rowOf(f_.audioDog), EventTableModel::OffsetColumn);
        QVERIFY(off.flags() & Qt::ItemIsEditable);
        QVERIFY(!(proxy()->index(0, EventTableModel::ClassColumn).flags() & Qt::ItemIsEditable));

        const int steps = session_->undoStack()->count();
        QVERIFY(proxy()->setData(off, 4.25));
        QCOMPARE(event(f_.audioDog).offsetMs, 4250);
        QCOMPARE(event(f_.audioDog).onsetMs, 2000);
        QCOMPARE(session_->undoStack()->count(), steps + 1);
        QCOMPARE(
            proxy()->index(rowOf(f_.audioDog), EventTableModel::OffsetColumn).data().toString(),
            QStringLiteral("4.250"));
        session_->undoStack()->undo();
        QCOMPARE(event(f_.audioDog).offsetMs, 5000);
        QCOMPARE(
            proxy()->index(rowOf(f_.audioDog), EventTableModel::OffsetColumn).data().toString(),
            QStringLiteral("5.000"));
        session_->undoStack()->redo();
        QCOMPARE(event(f_.audioDog).offsetMs, 4250);

        // The onset too.
        QVERIFY(proxy()->setData(proxy()->index(rowOf(f_.audioDog), EventTableModel::OnsetColumn),
                                 1.5));
        QCOMPARE(event(f_.audioDog).onsetMs, 1500);
    }

    void aValuePastTheEndIsRefusedAsElsewhere() {
        QSignalSpy failed(doc_.get(), &ui::Document::editFailed);
        // What the store says when any view asks for it.
        QVERIFY(!doc_->apply(store::Edit::resize(f_.audioDog, 2000, 12000)));
        QCOMPARE(failed.count(), 1);
        const QString expected = failed.takeFirst().at(0).toString();
        QVERIFY2(expected.contains(QStringLiteral("after the end of the video")),
                 qPrintable(expected));
        const int steps = session_->undoStack()->count();
        const auto off = proxy()->index(rowOf(f_.audioDog), EventTableModel::OffsetColumn);
        QVERIFY(!proxy()->setData(off, 12.0));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.takeFirst().at(0).toString(), expected);
        QCOMPARE(event(f_.audioDog).offsetMs, 5000);
        QCOMPARE(session_->undoStack()->count(), steps);
        // The numeric editor: 0.01 s steps, bounded to the video.
        auto* view = table_->table();
        view->setCurrentIndex(off);
        view->edit(off);
        auto* spin = view->findChild<QDoubleSpinBox*>();
        QVERIFY(spin);
        QCOMPARE(spin->maximum(), 10.0);
        QCOMPARE(spin->minimum(), 0.0);
        QCOMPARE(spin->singleStep(), 0.01);
        QCOMPARE(spin->value(), 5.0);
    }

    void selectingARowAsksForTheEventAndASeek() {
        QSignalSpy activated(table_.get(), &EventTable::eventActivated);
        table_->table()->setCurrentIndex(proxy()->index(rowOf(f_.audioDog), 0));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.at(0).at(0).value<store::EventId>(), f_.audioDog);
        QCOMPARE(activated.at(0).at(1).toDouble(), 2.0);
        // An edit reloads the rows without a new request, keeping the row current.
        QVERIFY(proxy()->setData(proxy()->index(rowOf(f_.audioDog), EventTableModel::OffsetColumn),
                                 4.0));
        QCOMPARE(activated.count(), 1);
        QCOMPARE(
            store::EventId{
                table_->table()->currentIndex().data(EventTableModel::EventIdRole).toLongLong()},
            f_.audioDog);
    }
};

QTEST_MAIN(TestEventTable)
#include "tst_event_table.moc"

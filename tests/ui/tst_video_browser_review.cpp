// Review mode in the video browser (issue 18, item 1): the status column and filter, the
// progress bar and counts of the split shown, the context-menu actions asking for a status
// (written by the application, workspace::setReviewStatus) and "next video needing review";
// the event table's review menu: accept / reject with a reason, verified.
#include <QApplication>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include "app/studio/session_document.h"
#include "app/workspace/review_workflow.h"
#include "app/workspace/session.h"
#include "core/store/review.h"
#include "core/store/store.h"
#include "ui/models/video_list_model.h"
#include "ui/panels/event_table.h"
#include "ui/panels/video_browser.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;

class TestVideoBrowserReview : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    QString path_;

    // The row's text in the review column (by filename).
    static QString statusText(VideoBrowser& b, const QString& name) {
        const int row = b.model()->rowOf(name);
        return b.model()->index(row, VideoListModel::ColReview).data().toString();
    }

  private slots:
    void initTestCase() { test::initGuiTest("tst_video_browser_review"); }

    void init() {
        dir_ = std::make_unique<test::ScratchDir>();
        path_ = dir_->file(QStringLiteral("review.avvpstore"));
        auto s = store::Store::open(path_.toStdString(), {.annotator = "rita"});
        for (const char* n : {"a_0_10", "b_0_10", "c_0_10", "d_0_10"})
            s->ensureVideo({.filename = n, .split = core::Split::Test, .durationMs = 10000});
        s->ensureVideo({.filename = "v_0_10", .split = core::Split::Val, .durationMs = 10000});
    }

    void statusColumnFilterAndProgress() {
        workspace::Session session;
        QVERIFY(session.open(path_, QStringLiteral("rita")));
        app::SessionDocument doc(&session);
        VideoBrowser b(&doc);
        QObject::connect(&b, &VideoBrowser::reviewStatusRequested, &b,
                         [&](const std::vector<store::VideoId>& ids, int st) {
                             workspace::setReviewStatus(session, ids,
                                                        static_cast<store::ReviewStatus>(st));
                         });
        b.setSplit(QStringLiteral("test"));
        b.reload();
        QCOMPARE(b.proxy()->rowCount(), 4);
        QCOMPARE(statusText(b, QStringLiteral("a_0_10")), QStringLiteral("To do"));
        QCOMPARE(b.reviewProgressBar()->maximum(), 4);
        QCOMPARE(b.reviewProgressBar()->value(), 0);

        // The context-menu actions ask for the status of the selected video.
        QSignalSpy asked(&b, &VideoBrowser::reviewStatusRequested);
        QVERIFY(b.selectVideo(QStringLiteral("b_0_10")));
        b.reviewActions().at(3)->trigger();  // Done
        QCOMPARE(asked.count(), 1);
        QVERIFY(b.selectVideo(QStringLiteral("c_0_10")));
        b.reviewActions().at(2)->trigger();  // Needs review
        QVERIFY(b.selectVideo(QStringLiteral("d_0_10")));
        b.reviewActions().at(1)->trigger();  // In progress
        QCOMPARE(asked.count(), 3);
        QCOMPARE(asked.at(0).at(1).toInt(), 3);
        b.reload();  // (otherwise shortly after the store's change)
        QCOMPARE(statusText(b, QStringLiteral("b_0_10")), QStringLiteral("Done"));
        QCOMPARE(statusText(b, QStringLiteral("c_0_10")), QStringLiteral("Needs review"));
        QCOMPARE(statusText(b, QStringLiteral("d_0_10")), QStringLiteral("In progress"));
        QVERIFY(b.model()
                    ->index(b.model()->rowOf(QStringLiteral("b_0_10")), VideoListModel::ColReview)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("rita")));
        QCOMPARE(store::videoStatus(*session.store(), session.store()->videoByName("b_0_10")->id)
                     .annotator,
                 std::string("rita"));

        // Progress of the split shown: 1 of 4 done, and the counts.
        QCOMPARE(b.reviewProgressBar()->maximum(), 4);
        QCOMPARE(b.reviewProgressBar()->value(), 1);
        QCOMPARE(b.reviewProgressLabel()->text(),
                 QStringLiteral("To do 1 · in progress 1 · needs review 1 · done 1"));
        b.setSplit(QStringLiteral("val"));
        QCOMPARE(b.reviewProgressBar()->value(), 0);
        QCOMPARE(b.reviewProgressBar()->maximum(), 1);
        b.setSplit(QStringLiteral("test"));

        // The status filter.
        b.reviewCombo()->setCurrentIndex(b.reviewCombo()->findData(2));
        QCOMPARE(b.proxy()->rowCount(), 1);
        b.reviewCombo()->setCurrentIndex(b.reviewCombo()->findData(0));
        QCOMPARE(b.proxy()->rowCount(), 1);
        QCOMPARE(b.proxy()->index(0, 0).data(VideoListModel::FilenameRole).toString(),
                 QStringLiteral("a_0_10"));
        b.reviewCombo()->setCurrentIndex(0);
        QCOMPARE(b.proxy()->rowCount(), 4);
    }

    void nextVideoNeedingReview() {
        workspace::Session session;
        QVERIFY(session.open(path_, QStringLiteral("rita")));
        auto& s = *session.store();
        for (const char* n : {"b_0_10", "d_0_10", "v_0_10"})
            store::setVideoStatus(s, s.videoByName(n)->id, store::ReviewStatus::NeedsReview);
        app::SessionDocument doc(&session);
        VideoBrowser b(&doc);
        b.setSplit(QStringLiteral("test"));
        b.reload();
        QVERIFY(b.selectVideo(QStringLiteral("a_0_10")));
        // Hidden by the status filter: it is cleared.
        b.reviewCombo()->setCurrentIndex(b.reviewCombo()->findData(0));
        QVERIFY(b.selectNextNeedingReview());
        QCOMPARE(b.currentFilename(), QStringLiteral("b_0_10"));
        QCOMPARE(b.reviewCombo()->currentIndex(), 0);
        b.nextReviewAction()->trigger();
        QCOMPARE(b.currentFilename(), QStringLiteral("d_0_10"));
        QVERIFY(b.selectNextNeedingReview());  // wraps within the split shown (not v_0_10)
        QCOMPARE(b.currentFilename(), QStringLiteral("b_0_10"));
        for (const char* n : {"b_0_10", "d_0_10"})
            store::setVideoStatus(s, s.videoByName(n)->id, store::ReviewStatus::Done);
        QVERIFY(!b.selectNextNeedingReview());
        QCOMPARE(b.currentFilename(), QStringLiteral("b_0_10"));
    }

    void eventTableReviewMenu() {
        workspace::Session session;
        QVERIFY(session.open(path_, QStringLiteral("rita")));
        auto& s = *session.store();
        const auto v = s.videoByName("a_0_10")->id;
        s.replaceEvents(v, core::Modality::Audio, store::Source::GroundTruth,
                        {{core::Modality::Audio, 3, 0, 2000}});
        const auto id = s.events(v).front().id;
        app::SessionDocument doc(&session);
        EventTable t(&doc);
        QObject::connect(&t, &EventTable::reviewRequested, &t,
                         [&](store::EventId e, int d, const QString& why) {
                             workspace::reviewEvent(session, e, static_cast<store::Review>(d), why);
                         });
        QObject::connect(&t, &EventTable::verifiedRequested, &t, [&](store::EventId e, bool on) {
            workspace::setVerified(session, e, on);
        });
        t.setVideo(v);
        auto act = [&](const char* name) {
            std::unique_ptr<QMenu> menu(t.reviewMenu(id, &t));
            auto* a = menu->findChild<QAction*>(QLatin1String(name));
            QVERIFY(a);
            QVERIFY(a->isEnabled());
            a->trigger();
        };
        // Reject…: the dialog asks for the reason.
        QTimer::singleShot(0, [] {
            auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->setTextValue(QStringLiteral("  too early  "));
            dialog->accept();
        });
        act("reviewReject");
        auto r = store::eventReview(s, id);
        QCOMPARE(r->decision, store::Review::Rejected);
        QCOMPARE(r->reason, std::string("too early"));
        QCOMPARE(r->reviewer, std::string("rita"));
        act("reviewClear");
        QCOMPARE(store::eventReview(s, id)->decision, store::Review::None);
        act("reviewVerified");
        QVERIFY(store::eventReview(s, id)->verified);
        {
            std::unique_ptr<QMenu> menu(t.reviewMenu(id, &t));
            QVERIFY(menu->findChild<QAction*>(QStringLiteral("reviewVerified"))->isChecked());
            QVERIFY(!menu->findChild<QAction*>(QStringLiteral("reviewClear"))->isEnabled());
        }
        act("reviewVerified");
        QVERIFY(!store::eventReview(s, id)->verified);
    }
};

QTEST_MAIN(TestVideoBrowserReview)
#include "tst_video_browser_review.moc"

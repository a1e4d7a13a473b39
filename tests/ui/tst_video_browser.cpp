// The video browser over a store holding the real LLP annotation files: split, class and
// non-aligned filters against counts taken from the files themselves, text, media and
// score filters, sorting, and the selection surviving a reload.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include "app/studio/session_document.h"
#include "app/workspace/session.h"
#include "core/label_grid.h"
#include "core/llp_dataset.h"
#include "ui/models/video_list_model.h"
#include "ui/panels/video_browser.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;

class TestVideoBrowser : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    QString path_;
    core::LlpDataset llp_;

  private slots:
    void initTestCase() {
        test::initGuiTest("tst_video_browser");
        dir_ = std::make_unique<test::ScratchDir>();
        path_ = dir_->file(QStringLiteral("llp.avvpstore"));
        test::importLlpInto(path_.toStdString());
        llp_ = core::loadLlpFolder(test::kLlp);
    }

    // Issue 17, item 4: the filter combo boxes show their text in full ("Ground truth: any",
    // not "Ground trut").
    void comboBoxesShowTheirText() {
        workspace::Session session;
        QVERIFY(session.open(path_));
        app::SessionDocument doc(&session);
        VideoBrowser b(&doc);
        for (auto* c : {b.splitCombo(), b.modalityCombo(), b.groundTruthCombo(),
                        b.predictionsCombo(), b.classCombo()})
            for (int i = 0; i < (c == b.classCombo() ? 1 : c->count()); ++i) {
                const int text = c->fontMetrics().horizontalAdvance(c->itemText(i));
                QVERIFY2(c->sizeHint().width() >= text + 16,
                         qPrintable(QStringLiteral("%1: %2 < %3")
                                        .arg(c->itemText(i))
                                        .arg(c->sizeHint().width())
                                        .arg(text)));
            }
    }

    void splitsMatchTheFiles() {
        workspace::Session session;
        QVERIFY(session.open(path_));
        app::SessionDocument doc(&session);
        VideoBrowser b(&doc);
        int total = 0;
        for (auto s : core::kSplits) {
            b.setSplit(QString::fromLatin1(core::splitName(s).data()));
            QCOMPARE(b.proxy()->rowCount(), static_cast<int>(llp_.count(s)));
            total += b.proxy()->rowCount();
        }
        b.setSplit(QStringLiteral("all"));
        QCOMPARE(b.proxy()->rowCount(), total);
        QCOMPARE(total, 11849);
    }

    void classAndNonAlignedFiltersMatchTheFiles() {
        workspace::Session session;
        QVERIFY(session.open(path_));
        app::SessionDocument doc(&session);
        VideoBrowser b(&doc);
        b.setSplit(QStringLiteral("val"));
        const int cello = *core::classIndex("Cello");
        int withCello = 0, nonAligned = 0;
        for (const auto* v : llp_.split(core::Split::Val)) {
            bool has = core::hasClass(v->weak, cello);
            core::LabelGrid a, vis;
            for (const auto& e : v->audio) {
                has = has || e.cls == cello;
                a.fill(e);
            }
            for (const auto& e : v->visual) {
                has = has || e.cls == cello;
                vis.fill(e);
            }
            withCello += has ? 1 : 0;
            nonAligned += a == vis ? 0 : 1;
        }
        QVERIFY(withCello > 0 && nonAligned > 0);
        b.classCombo()->setCurrentIndex(b.classCombo()->findData(cello));
        QCOMPARE(b.proxy()->rowCount(), withCello);
        b.classCombo()->setCurrentIndex(0);
        b.nonAlignedCheck()->setChecked(true);
        QCOMPARE(b.proxy()->rowCount(), nonAligned);
        for (int r = 0; r < b.proxy()->rowCount(); ++r)
            QCOMPARE(b.proxy()->index(r, VideoListModel::ColNonAligned).data().toString(),
                     QStringLiteral("non-aligned"));
        b.nonAlignedCheck()->setChecked(false);
        // Ground truth: every val video is densely annotated, no train video is.
        b.groundTruthCombo()->setCurrentIndex(b.groundTruthCombo()->findData(0));
        QCOMPARE(b.proxy()->rowCount(), 0);
        b.setSplit(QStringLiteral("train"));
        QCOMPARE(b.proxy()->rowCount(), static_cast<int>(llp_.count(core::Split::Train)));
    }

    void textMediaAndScoreFilters() {
        workspace::Session session;
        QVERIFY(session.open(path_));
        app::SessionDocument doc(&session);
        VideoBrowser b(&doc);
        b.setSplit(QStringLiteral("val"));
        QTest::keyClicks(b.searchEdit(), QStringLiteral("4o9ri-fpqlg"));  // any case
        QCOMPARE(b.proxy()->rowCount(), 1);
        b.searchEdit()->clear();
        QCOMPARE(b.proxy()->rowCount(), static_cast<int>(llp_.count(core::Split::Val)));
        QTest::keyClicks(b.searchEdit(), QStringLiteral("Violin_fiddle"));  // a weak label
        const int violin = b.proxy()->rowCount();
        QVERIFY(violin > 0 && violin < 649);
        b.searchEdit()->clear();

        // Media: two videos get a file.
        const auto first = llp_.split(core::Split::Val)[0]->filename,
                   second = llp_.split(core::Split::Val)[1]->filename;
        session.store()->setMedia(session.store()->videoByName(first)->id, "/tmp/a.mp4");
        session.store()->setMedia(session.store()->videoByName(second)->id, "/tmp/b.mp4");
        b.reload();
        b.mediaOnlyCheck()->setChecked(true);
        QCOMPARE(b.proxy()->rowCount(), 2);
        b.mediaOnlyCheck()->setChecked(false);

        // Scores from an evaluation: only those at most 50 %.
        QHash<QString, double> scores;
        scores.insert(QString::fromStdString(first), 20.0);
        scores.insert(QString::fromStdString(second), 80.0);
        scores.insert(QString::fromStdString(llp_.split(core::Split::Val)[2]->filename), 50.0);
        b.setScores(scores, QStringLiteral("Type@AV %"));
        QVERIFY(b.maxScoreSpin()->isEnabled());
        b.maxScoreSpin()->setValue(50);
        for (auto* c : b.findChildren<QCheckBox*>())
            if (c->text().contains(QStringLiteral("≤"))) c->setChecked(true);
        QCOMPARE(b.proxy()->rowCount(), 2);
        // Sorted by score, lowest first.
        b.table()->sortByColumn(VideoListModel::ColScore, Qt::AscendingOrder);
        QCOMPARE(b.proxy()->index(0, VideoListModel::ColVideo).data().toString(),
                 QString::fromStdString(first));
    }

    void selectionFollowsTheStore() {
        workspace::Session session;
        QVERIFY(session.open(path_));
        app::SessionDocument doc(&session);
        VideoBrowser b(&doc);
        b.setSplit(QStringLiteral("test"));
        QSignalSpy selected(&b, &VideoBrowser::videoSelected);
        QVERIFY(b.selectVideo(QStringLiteral("KSRjje7GH44_60_70")));
        QCOMPARE(selected.count(), 1);
        const auto id = *b.currentVideo();
        // An edit elsewhere reloads the list; the video stays selected, no new signal.
        const auto ev = session.store()->events(id)[0];
        session.apply(store::Edit::move(ev.id, 0));
        b.reload();
        QCOMPARE(b.currentVideo(), std::optional(id));
        QCOMPARE(b.currentFilename(), QStringLiteral("KSRjje7GH44_60_70"));
        QCOMPARE(selected.count(), 1);
        // A video hidden by the filters: the filters give way.
        QTest::keyClicks(b.searchEdit(), QStringLiteral("zzz"));
        QCOMPARE(b.proxy()->rowCount(), 0);
        QVERIFY(b.selectVideo(QString::fromStdString(llp_.split(core::Split::Train)[5]->filename)));
        QCOMPARE(b.currentFilename(),
                 QString::fromStdString(llp_.split(core::Split::Train)[5]->filename));
        QVERIFY(!b.selectVideo(QStringLiteral("no_such_video_0_10")));
        // Stepping through the list.
        b.step(1);
        QCOMPARE(b.currentFilename(),
                 QString::fromStdString(llp_.split(core::Split::Train)[6]->filename));
    }
};

QTEST_MAIN(TestVideoBrowser)
#include "tst_video_browser.moc"

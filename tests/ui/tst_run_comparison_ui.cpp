// Two runs side by side in the app (issue 20, item 5): the timeline's "Compare with…"
// choice turns on per-cell outcome bands on the prediction strips (with a legend and a
// tooltip naming the outcome and the runs) and the browser's "A only", "B only" and "Both
// wrong" columns (sortable); "None" turns both off. A tiny store: three 10 s test videos,
// runs "alpha" and "beta".
#include <cmath>

#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include "app/studio/comparison_controller.h"
#include "app/studio/session_document.h"
#include "app/workspace/session.h"
#include "core/store/store.h"
#include "ui/models/video_list_model.h"
#include "ui/panels/video_browser.h"
#include "ui/timeline/timeline_painter.h"
#include "ui/timeline/timeline_panel.h"
#include "ui/timeline/timeline_view.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;

namespace {
const int kDog = *core::classIndex("Dog");
const int kCar = *core::classIndex("Car");
constexpr auto A = core::Modality::Audio;
constexpr auto V = core::Modality::Visual;
}  // namespace

class TestRunComparisonUi : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    QString path_;
    store::VideoId v1_ = 0, v2_ = 0, v3_ = 0;
    store::RunId alpha_ = 0, beta_ = 0;

  private slots:
    void initTestCase() {
        test::initGuiTest("tst_run_comparison_ui");
        dir_ = std::make_unique<test::ScratchDir>();
        path_ = dir_->file(QStringLiteral("cmp.avvpstore"));
        auto s = store::Store::open(path_.toStdString(), {.annotator = "alice"});
        auto video = [&](const char* name) {
            return s->ensureVideo(
                {.filename = name, .split = core::Split::Test, .durationMs = 10000});
        };
        v1_ = video("aaaaaaaaaaa_0_10");
        v2_ = video("bbbbbbbbbbb_0_10");
        v3_ = video("ccccccccccc_0_10");
        using store::Source;
        // Ground truth: v1 audio Dog 2-6 s, visual Car 0-3 s; v2 audio Dog 0-10 s; v3 none.
        s->replaceEvents(v1_, A, Source::GroundTruth, {{A, kDog, 2000, 6000}});
        s->replaceEvents(v1_, V, Source::GroundTruth, {{V, kCar, 0, 3000}});
        s->replaceEvents(v2_, A, Source::GroundTruth, {{A, kDog, 0, 10000}});
        s->replaceEvents(v2_, V, Source::GroundTruth, {});
        s->replaceEvents(v3_, A, Source::GroundTruth, {});
        s->replaceEvents(v3_, V, Source::GroundTruth, {});
        store::Run run;
        run.name = "alpha";
        alpha_ = s->addRun(run);
        run.name = "beta";
        beta_ = s->addRun(run);
        // alpha: v1 Dog 2-6 s (right), no Car; v2 Dog 0-10 s (right).
        s->replaceEvents(v1_, A, Source::Prediction, {{A, kDog, 2000, 6000}}, alpha_);
        s->replaceEvents(v2_, A, Source::Prediction, {{A, kDog, 0, 10000}}, alpha_);
        // beta: v1 Dog 2-8 s (6-8 s wrong), Car 0-3 s (right); v2 nothing.
        s->replaceEvents(v1_, A, Source::Prediction, {{A, kDog, 2000, 8000}}, beta_);
        s->replaceEvents(v1_, V, Source::Prediction, {{V, kCar, 0, 3000}}, beta_);
    }

    void compareWithShowsOutcomesAndCounts() {
        workspace::Session session;
        QVERIFY(session.open(path_, QStringLiteral("alice")));
        app::SessionDocument doc(&session);
        TimelinePanel panel(&doc);
        VideoBrowser browser(&doc);
        app::ComparisonController ctl(&session, &doc, &panel, &browser);
        panel.resize(1400, 700);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        doc.setRun(alpha_);
        panel.view()->setVideo(v1_);
        ctl.setVideo(v1_);
        auto* table = browser.findChild<QTableView*>();
        QVERIFY(table);

        // Off by default.
        auto* combo = panel.compareCombo();
        QCOMPARE(combo->currentIndex(), 0);
        QVERIFY(!panel.compareRun());
        QVERIFY(!panel.view()->comparison());
        QVERIFY(panel.comparisonLegend()->isHidden());
        QVERIFY(table->isColumnHidden(VideoListModel::ColAOnly));

        // Compare with beta.
        const int b = combo->findText(QStringLiteral("beta"));
        QVERIFY(b > 0);
        combo->setCurrentIndex(b);
        emit combo->activated(b);
        QCOMPARE(ctl.runB(), std::optional<qint64>(beta_));
        // Computed off the GUI thread: nothing yet, then it arrives.
        QVERIFY(ctl.busy());
        QVERIFY(!ctl.comparison());
        QTRY_VERIFY(panel.view()->comparison());
        QVERIFY(!ctl.busy());
        const auto* c = panel.view()->comparison();
        QCOMPARE(c->at(A, kDog, 6), core::CellOutcome::AOnly);
        QCOMPARE(c->at(V, kCar, 1), core::CellOutcome::BOnly);
        QCOMPARE(c->at(A, kDog, 3), core::CellOutcome::BothRight);
        QCOMPARE(c->total().aOnly, 2);
        QCOMPARE(c->total().bOnly, 3);
        QVERIFY(panel.comparisonLegend()->isVisible());

        // Painted: the band at the bottom of the Dog prediction strip at 6.5 s is A's colour,
        // the Car strip at 1.5 s B's, and Dog at 3.5 s (both right) is no band colour.
        auto* view = panel.view();
        const QImage img = view->grab().toImage();
        auto bandAt = [&](core::Modality m, int cls, double t) {
            const QRect r = view->stripRect(static_cast<Lane>(m), cls, store::Source::Prediction);
            return img.pixelColor(view->xForTime(t), r.bottom() - 1);
        };
        QCOMPARE(bandAt(A, kDog, 6.5), outcomeColor(core::CellOutcome::AOnly));
        QCOMPARE(bandAt(V, kCar, 1.5), outcomeColor(core::CellOutcome::BOnly));
        QVERIFY(bandAt(A, kDog, 3.5) != outcomeColor(core::CellOutcome::AOnly));
        QVERIFY(bandAt(A, kDog, 3.5) != outcomeColor(core::CellOutcome::BOnly));
        QVERIFY(bandAt(A, kDog, 3.5) != outcomeColor(core::CellOutcome::BothWrong));

        // The tooltip names the outcome and both runs.
        const QRect dog = view->stripRect(Lane::Audio, kDog, store::Source::Prediction);
        const QString tip =
            view->comparisonTooltipAt(QPoint(view->xForTime(7.5), dog.center().y()));
        QVERIFY2(tip.contains(QStringLiteral("only A (alpha) right")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("B: beta")), qPrintable(tip));
        const QRect car = view->stripRect(Lane::Visual, kCar, store::Source::Prediction);
        QVERIFY(view->comparisonTooltipAt(QPoint(view->xForTime(0.5), car.center().y()))
                    .contains(QStringLiteral("only B (beta) right")));

        // The browser: the three columns, per video, sortable by where the runs differ.
        browser.setSplit(QStringLiteral("test"));
        QVERIFY(!table->isColumnHidden(VideoListModel::ColAOnly));
        QVERIFY(!table->isColumnHidden(VideoListModel::ColBothWrong));
        auto* proxy = browser.proxy();
        proxy->sort(VideoListModel::ColAOnly, Qt::DescendingOrder);
        auto cell = [&](int row, int col) { return proxy->index(row, col).data().toString(); };
        QCOMPARE(cell(0, VideoListModel::ColVideo), QStringLiteral("bbbbbbbbbbb_0_10"));
        QCOMPARE(cell(0, VideoListModel::ColAOnly), QStringLiteral("10"));
        QCOMPARE(cell(1, VideoListModel::ColVideo), QStringLiteral("aaaaaaaaaaa_0_10"));
        QCOMPARE(cell(1, VideoListModel::ColAOnly), QStringLiteral("2"));
        QCOMPARE(cell(1, VideoListModel::ColBOnly), QStringLiteral("3"));
        QCOMPARE(cell(1, VideoListModel::ColBothWrong), QStringLiteral("0"));
        proxy->sort(VideoListModel::ColBOnly, Qt::DescendingOrder);
        QCOMPARE(cell(0, VideoListModel::ColVideo), QStringLiteral("aaaaaaaaaaa_0_10"));
        QCOMPARE(proxy->headerData(VideoListModel::ColAOnly, Qt::Horizontal).toString(),
                 QStringLiteral("A only"));

        // Another video: its own grid.
        panel.view()->setVideo(v2_);
        ctl.setVideo(v2_);
        QVERIFY(panel.view()->comparison());
        QCOMPARE(panel.view()->comparison()->total().aOnly, 10);

        // None turns it off everywhere.
        combo->setCurrentIndex(0);
        emit combo->activated(0);
        QVERIFY(!panel.view()->comparison());
        QVERIFY(panel.comparisonLegend()->isHidden());
        QVERIFY(table->isColumnHidden(VideoListModel::ColAOnly));
        QVERIFY(proxy->index(0, VideoListModel::ColAOnly).data().toString().isEmpty());
    }

    // Swapping the runs swaps who is right: the shown run is always A.
    // Every outcome band stands apart from the colour of every event source, so that an
    // "A only" band is not read as a ground-truth event (the Okabe-Ito blue was 52 away
    // from the ground truth's blue in RGB).
    void outcomeColoursStandApartFromTheSources() {
        auto distance = [](const QColor& a, const QColor& b) {
            const int dr = a.red() - b.red(), dg = a.green() - b.green(), db = a.blue() - b.blue();
            return std::sqrt(static_cast<double>(dr * dr + dg * dg + db * db));
        };
        for (auto o :
             {core::CellOutcome::AOnly, core::CellOutcome::BOnly, core::CellOutcome::BothWrong})
            for (auto src :
                 {store::Source::GroundTruth, store::Source::Prediction, store::Source::Correction})
                QVERIFY2(distance(outcomeColor(o), sourceColor(src)) >= 80.0,
                         qPrintable(QStringLiteral("outcome %1, source %2")
                                        .arg(static_cast<int>(o))
                                        .arg(static_cast<int>(src))));
    }

    void theShownRunIsA() {
        workspace::Session session;
        QVERIFY(session.open(path_, QStringLiteral("alice")));
        app::SessionDocument doc(&session);
        TimelinePanel panel(&doc);
        VideoBrowser browser(&doc);
        app::ComparisonController ctl(&session, &doc, &panel, &browser);
        doc.setRun(beta_);
        ctl.setVideo(v1_);
        ctl.setRunB(alpha_);
        QTRY_VERIFY(ctl.comparison());
        QCOMPARE(ctl.comparison()->runA, std::string("beta"));
        QVERIFY(panel.view()->comparison());
        QCOMPARE(panel.view()->comparison()->at(A, kDog, 6), core::CellOutcome::BOnly);
        QCOMPARE(panel.view()->comparison()->total().aOnly, 3);
        // The shown run set to none: off.
        doc.setRun(std::nullopt);
        QVERIFY(!ctl.comparison());
        QVERIFY(!panel.view()->comparison());
    }

    // Stale-safe: of requests made while one runs only the newest is shown, once; a
    // comparison turned off meanwhile stays off when the late result comes.
    void onlyTheNewestRequestIsShown() {
        workspace::Session session;
        QVERIFY(session.open(path_, QStringLiteral("alice")));
        app::SessionDocument doc(&session);
        TimelinePanel panel(&doc);
        VideoBrowser browser(&doc);
        app::ComparisonController ctl(&session, &doc, &panel, &browser);
        QSignalSpy updates(&ctl, &app::ComparisonController::updated);
        doc.setRun(alpha_);
        ctl.setVideo(v1_);
        ctl.setRunB(beta_);
        doc.setRun(beta_);  // A and B swapped before the first result came
        ctl.setRunB(alpha_);
        QTRY_VERIFY(!ctl.busy());
        QCOMPARE(updates.count(), 1);
        QVERIFY(ctl.comparison());
        QCOMPARE(ctl.comparison()->runA, std::string("beta"));
        QCOMPARE(ctl.comparison()->runB, std::string("alpha"));
        QCOMPARE(panel.view()->comparison()->at(A, kDog, 6), core::CellOutcome::BOnly);

        // Turned off while computing: the late result is dropped.
        doc.setRun(alpha_);
        ctl.setRunB(beta_);
        QVERIFY(ctl.busy());
        ctl.setRunB(std::nullopt);
        QVERIFY(!ctl.busy());
        QVERIFY(!ctl.comparison());
        QTest::qWait(300);
        QVERIFY(!ctl.comparison());
        QVERIFY(!panel.view()->comparison());
        QVERIFY(panel.comparisonLegend()->isHidden());
    }

    // The legend is never cut: in the tool bar after the Compare combo where it fits, on a
    // line of its own under the bar where the timeline is narrow (1366x768), back when wide.
    void theLegendIsNeverCut() {
        workspace::Session session;
        QVERIFY(session.open(path_, QStringLiteral("alice")));
        app::SessionDocument doc(&session);
        TimelinePanel panel(&doc);
        VideoBrowser browser(&doc);
        app::ComparisonController ctl(&session, &doc, &panel, &browser);
        panel.resize(1400, 500);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        doc.setRun(alpha_);
        panel.view()->setVideo(v1_);
        ctl.setVideo(v1_);
        ctl.setRunB(beta_);
        auto* legend = panel.comparisonLegend();
        QTRY_VERIFY(legend->isVisible());
        const auto* combo = panel.compareCombo();
        auto inBar = [&] {
            const int y = legend->geometry().center().y();
            return y >= combo->geometry().top() && y <= combo->geometry().bottom();
        };
        auto whole = [&] {
            return legend->width() >= legend->sizeHint().width() &&
                   legend->geometry().right() < panel.width();
        };
        QTRY_VERIFY(inBar());
        QVERIFY(whole());
        QVERIFY(legend->geometry().left() > combo->geometry().right());
        // Its swatches are the bands' colours.
        for (auto o :
             {core::CellOutcome::AOnly, core::CellOutcome::BOnly, core::CellOutcome::BothWrong})
            QVERIFY2(legend->text().contains(outcomeColor(o).name()), qPrintable(legend->text()));

        panel.resize(540, 500);
        QTRY_VERIFY(!inBar());
        QTRY_VERIFY(whole());
        QVERIFY(legend->geometry().top() >= combo->geometry().bottom());
        QVERIFY(panel.scrollArea()->geometry().top() >= legend->geometry().bottom());

        panel.resize(1400, 500);
        QTRY_VERIFY(inBar());
        QVERIFY(whole());
        // Off: the line under the bar takes no room.
        ctl.setRunB(std::nullopt);
        panel.resize(540, 500);
        QTRY_VERIFY(panel.scrollArea()->geometry().top() <= combo->geometry().bottom() + 8);
    }

    // An edit of the events while comparing: recomputed shortly after, off the GUI thread,
    // the old bands shown meanwhile, then the new counts in the timeline and the browser.
    void anEditRecomputes() {
        const auto copy = dir_->file(QStringLiteral("edit.avvpstore"));
        QVERIFY(QFile::copy(path_, copy));
        workspace::Session session;
        QVERIFY(session.open(copy, QStringLiteral("alice")));
        app::SessionDocument doc(&session);
        TimelinePanel panel(&doc);
        VideoBrowser browser(&doc);
        app::ComparisonController ctl(&session, &doc, &panel, &browser);
        browser.setSplit(QStringLiteral("test"));
        doc.setRun(alpha_);
        ctl.setVideo(v1_);
        ctl.setRunB(beta_);
        QTRY_VERIFY(ctl.comparison());
        QCOMPARE(panel.view()->comparison()->total().bOnly, 3);
        const auto* before = ctl.comparison();
        QSignalSpy updates(&ctl, &app::ComparisonController::updated);
        // The ground truth's Car of v1 goes: beta's Car is wrong now, alpha is right there.
        const auto car =
            session.store()->events(v1_, {.source = store::Source::GroundTruth, .modality = V});
        QCOMPARE(car.size(), std::size_t(1));
        QVERIFY(session.apply(store::Edit::remove(car[0].id)));
        QCOMPARE(ctl.comparison(), before);  // the old one meanwhile
        QTRY_COMPARE(updates.count(), 1);
        QVERIFY(ctl.comparison() != before);
        QCOMPARE(panel.view()->comparison()->total().bOnly, 0);
        QCOMPARE(panel.view()->comparison()->at(V, kCar, 1), core::CellOutcome::AOnly);
        auto* proxy = browser.proxy();
        for (int row = 0; row < proxy->rowCount(); ++row)
            if (proxy->index(row, VideoListModel::ColVideo).data().toString() ==
                QStringLiteral("aaaaaaaaaaa_0_10"))
                QCOMPARE(proxy->index(row, VideoListModel::ColBOnly).data().toString(),
                         QStringLiteral("0"));
    }
};

QTEST_MAIN(TestRunComparisonUi)
#include "tst_run_comparison_ui.moc"

// The research views of a long video: a run stores its outputs with one row per
// 10-segment window and frame_prob over the whole video; the views show the window under
// the playhead in the video's real seconds, and switch at window borders. A 10 s clip
// looks as before.
#include <qcustomplot.h>

#include <QLabel>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

#include "ui/panels/research_panel.h"
#include "ui/panels/training_panel.h"
#include "ui/widgets/plot_popout.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;

namespace {

models::Array arr(std::vector<std::int64_t> shape, const std::function<double(std::int64_t)>& f) {
    models::Array a;
    a.shape = std::move(shape);
    std::int64_t n = 1;
    for (const auto d : a.shape) n *= d;
    for (std::int64_t i = 0; i < n; ++i) a.data.push_back(static_cast<float>(f(i)));
    return a;
}

// The outputs of a run over a `T`-segment video of W = ceil(T / 10) windows: frame_prob
// (1, T, 2, 25) holds t / 100 everywhere at segment t, frame_att (W, 10, 2, 25) holds the
// window's index + 1, cmim_a_av (W, 10, 10) and sloss_c (W, 10, 10) the same.
std::shared_ptr<models::Outputs> windowed(int T) {
    const int W = (T + 9) / 10;
    auto out = std::make_shared<models::Outputs>();
    (*out)["frame_prob"] = arr({1, T, 2, 25}, [](std::int64_t i) { return (i / 50) / 100.0; });
    (*out)["frame_att"] = arr({W, 10, 2, 25}, [](std::int64_t i) { return i / 500 + 1; });
    (*out)["av_att"] = arr({W, 10, 2, 25}, [](std::int64_t) { return 0.5; });
    (*out)["cmim_a_av"] = arr({W, 10, 10}, [](std::int64_t i) { return i / 100 + 1; });
    (*out)["sloss_c"] = arr({W, 10, 10}, [](std::int64_t i) { return 0.1 * (i / 100); });
    (*out)["sloss_mu"] = arr({1}, [](std::int64_t) { return 0.25; });
    return out;
}

QCPColorMap* mapOf(QCustomPlot* plot) {
    return plot ? qobject_cast<QCPColorMap*>(plot->plottable(0)) : nullptr;
}

}  // namespace

class TestResearchWindows : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() { test::initGuiTest("tst_research_windows"); }

    // Issue 17, item 3: every plot has a readable minimum size and takes mouse zoom and pan;
    // a double-click resets the view; the playhead of the TSAM plot has a colour of its own.
    // The training plots: not a sliver, interactive, and μ on an axis of its own that follows
    // its values (here 3.0-3.4, with lr 1e-3: on lr's axis μ's curve was squeezed into a
    // range starting at 0).
    void trainingPlotsAndMuAxis() {
        TrainingPanel panel;
        for (auto* plot : {panel.lossPlot(), panel.scorePlot()}) {
            QVERIFY(plot->minimumHeight() >= 150);
            QVERIFY(plot->interactions().testFlag(QCP::iRangeZoom));
            QVERIFY(plot->interactions().testFlag(QCP::iRangeDrag));
        }
        for (int e = 1; e <= 3; ++e) {
            models::EpochReport r;
            r.epoch = e;
            r.epochs = 3;
            r.lr = 1e-3;
            r.trainLoss["total"] = 1.0 / e;
            r.scalars["mu"] = 2.8 + 0.2 * e;
            panel.addEpoch(r);
        }
        QCPGraph* mu = nullptr;
        auto* scores = panel.scorePlot();
        for (int g = 0; g < scores->graphCount(); ++g)
            if (scores->graph(g)->name() == QStringLiteral("μ")) mu = scores->graph(g);
        QVERIFY(mu);
        QCPAxis* axis = mu->valueAxis();
        QVERIFY(axis);
        const QCPRange range = axis->range();
        QVERIFY2(range.contains(3.0) && range.contains(3.4),
                 qPrintable(QStringLiteral("%1..%2").arg(range.lower).arg(range.upper)));
        QVERIFY2(range.lower > 2.0, qPrintable(QString::number(range.lower)));  // follows μ
        QVERIFY(axis->visible());
    }

    void plotsAreReadableAndInteractive() {
        ResearchPanel panel;
        panel.resize(900, 400);
        panel.setPlayhead(3.0);
        auto out = windowed(10);
        (*out)["tsam_w_a"] =
            arr({1, 10}, [](std::int64_t i) { return 0.1 * static_cast<double>(i); });
        (*out)["tsam_w_v"] = arr({1, 10}, [](std::int64_t) { return 0.4; });
        panel.setOutputs(QStringLiteral("clip"), QStringLiteral("run"), out);
        int count = 0;
        for (const auto& view : ResearchPanel::viewIds())
            for (auto* plot : panel.plots(view)) {
                ++count;
                QVERIFY2(plot->minimumHeight() >= 180, qPrintable(view));
                QVERIFY2(plot->minimumWidth() >= 240, qPrintable(view));
                QVERIFY(plot->interactions().testFlag(QCP::iRangeDrag));
                QVERIFY(plot->interactions().testFlag(QCP::iRangeZoom));
            }
        QVERIFY(count >= 5);
        auto* prob = panel.plots(QStringLiteral("probabilities")).value(0);
        prob->xAxis->setRange(2, 4);  // as a wheel zoom leaves it
        prob->show();
        QTest::mouseDClick(prob, Qt::LeftButton, {}, prob->rect().center());
        QCOMPARE(prob->xAxis->range().lower, 0.0);
        QCOMPARE(prob->xAxis->range().upper, 10.0);

        auto* tsam = panel.plots(QStringLiteral("tsam")).value(0);
        QVERIFY(tsam);
        QColor playhead;
        for (int i = 0; i < tsam->itemCount(); ++i)
            if (auto* line = qobject_cast<QCPItemStraightLine*>(tsam->item(i)))
                playhead = line->pen().color();
        QVERIFY(playhead.isValid());
        QVERIFY(tsam->graphCount() >= 2);
        for (int g = 0; g < tsam->graphCount(); ++g) {
            // Told apart at a glance: far from every data colour (RGB distance).
            const QColor c = tsam->graph(g)->pen().color();
            const double d = std::hypot(c.red() - playhead.red(), c.green() - playhead.green(),
                                        c.blue() - playhead.blue());
            QVERIFY2(d > 80, qPrintable(tsam->graph(g)->name()));
        }
    }

    // Issue 17, item 3: a plot pops out into its own resizable window (the same plot, so
    // it stays in sync: the playhead moves in it), a placeholder stands in the panel, and
    // closing the window puts it back. A research plot's window stays open when the panel
    // rebuilds its plots (another video, another window of a long one) and shows the new
    // plot; it closes when the view has none. The training plots pop out as well.
    void plotsPopOutAndBack() {
        ResearchPanel panel;
        panel.resize(900, 400);
        panel.show();
        panel.setOutputs(QStringLiteral("clip"), QStringLiteral("run"), windowed(10));
        auto* prob = panel.plots(QStringLiteral("probabilities")).value(0);
        QVERIFY(prob);
        QCOMPARE(prob->contextMenuPolicy(), Qt::CustomContextMenu);
        auto* home = prob->parentWidget();
        QVERIFY(!plotWindow(prob));
        QWidget* w = popOutPlot(prob);
        QVERIFY(w && w->isVisible() && w->isWindow());
        QCOMPARE(plotWindow(prob), w);
        QCOMPARE(prob->window(), w);
        QVERIFY(w->width() >= 900);
        QCOMPARE(popOutPlot(prob), w);  // once out, the same window
        auto lineX = [](QCustomPlot* plot) {
            for (int i = 0; i < plot->itemCount(); ++i)
                if (auto* line = qobject_cast<QCPItemStraightLine*>(plot->item(i)))
                    return line->point1->coords().x();
            return -1.0;
        };
        panel.setPlayhead(6.5);
        QCOMPARE(lineX(prob), 6.5);  // in sync
        QVERIFY(putBackPlot(prob));
        QVERIFY(!plotWindow(prob));
        QCOMPARE(prob->parentWidget(), home);
        QVERIFY(prob->isVisibleTo(&panel));

        QPointer<QWidget> again = popOutPlot(prob, true);
        QVERIFY(again);
        QPointer<QCustomPlot> old = prob;
        panel.setOutputs(QStringLiteral("other"), QStringLiteral("run"), windowed(30));
        QTRY_VERIFY(!old);  // the old plot went with its page
        // The window stays open and shows the new video's plot in the old one's place.
        QVERIFY(again && again->isVisible());
        auto* next = panel.plots(QStringLiteral("probabilities")).value(0);
        QVERIFY(next && next != prob);
        QCOMPARE(plotWindow(next), again.data());
        QCOMPARE(next->window(), again.data());
        QVERIFY(!plotWindow(panel.plots(QStringLiteral("probabilities")).value(1)));
        panel.setPlayhead(8.0);  // in sync with the new video
        QCOMPARE(lineX(next), 8.0);
        // The playhead crosses into the second window of the 30 s video: followed again.
        QPointer<QCustomPlot> inFirst = next;
        panel.setPlayhead(12.0);
        QTRY_VERIFY(!inFirst);
        next = panel.plots(QStringLiteral("probabilities")).value(0);
        QCOMPARE(plotWindow(next), again.data());
        QCOMPARE(next->xAxis->range().lower, 10.0);
        // Closing it puts the new plot back in the panel.
        again->close();
        QTRY_VERIFY(!again);
        QVERIFY(!plotWindow(next));
        QCOMPARE(next->window(), &panel);
        QVERIFY(next->isVisibleTo(&panel));
        // A view the next video's model has no plots for: its window closes.
        QPointer<QWidget> mmil = popOutPlot(panel.plots(QStringLiteral("mmil")).value(0));
        QVERIFY(mmil);
        auto noMmil = windowed(10);
        noMmil->erase("frame_att");
        noMmil->erase("av_att");
        panel.setOutputs(QStringLiteral("third"), QStringLiteral("run"), noMmil);
        QVERIFY(!panel.hasPlots(QStringLiteral("mmil")));
        QTRY_VERIFY(!mmil);

        TrainingPanel training;
        training.show();
        QPointer<QWidget> loss = popOutPlot(training.lossPlot());
        QVERIFY(loss);
        loss->close();
        QTRY_VERIFY(!loss);
        QCOMPARE(training.lossPlot()->window(), &training);
    }

    void showsTheWindowUnderThePlayhead() {
        ResearchPanel panel;
        panel.resize(900, 400);
        panel.setPlayhead(23.0);
        panel.setOutputs(QStringLiteral("own_long"), QStringLiteral("run"), windowed(25));
        QCOMPARE(panel.windows(), 3);
        QCOMPARE(panel.window(), 2);
        QCOMPARE(panel.windowLabel(), QStringLiteral("window 3 of 3 (20–30 s)"));
        QVERIFY(panel.findChild<QLabel*>()->text().contains(QStringLiteral("window 3 of 3")));
        // Probabilities: the window's five real segments 20-24, on 20-30 s.
        auto* prob = panel.plots(QStringLiteral("probabilities")).value(0);
        QVERIFY(prob);
        QCOMPARE(prob->xAxis->range().lower, 20.0);
        QCOMPARE(prob->xAxis->range().upper, 30.0);
        auto* map = mapOf(prob);
        QVERIFY(map);
        QCOMPARE(map->data()->keySize(), 5);
        QCOMPARE(map->data()->keyRange().lower, 20.5);
        QVERIFY(std::abs(map->data()->cell(0, 0) - 0.20) < 1e-6);
        QVERIFY(std::abs(map->data()->cell(4, 0) - 0.24) < 1e-6);
        // MMIL attention: window 3's row.
        auto* att = mapOf(panel.plots(QStringLiteral("mmil")).value(0));
        QVERIFY(att);
        QCOMPARE(att->data()->keySize(), 10);
        QCOMPARE(att->data()->cell(0, 0), 3.0);
        QCOMPARE(att->data()->keyRange().lower, 20.5);
        // CMIM: the window's matrix in real seconds, the playhead line at 23 s.
        auto* cmim = panel.plots(QStringLiteral("cmim")).value(0);
        QVERIFY(cmim);
        QCOMPARE(mapOf(cmim)->data()->cell(0, 0), 3.0);
        QCOMPARE(cmim->yAxis->range().lower, 20.0);
        QCOMPARE(panel.playheadLineAt(QStringLiteral("probabilities")), 23.0);
        QCOMPARE(panel.highlightedSegment(), -1);  // no λ without sloss_lambda
        auto* sim = panel.plots(QStringLiteral("similarity")).value(0);
        QVERIFY(sim && sim->graphCount() == 1);
        QCOMPARE(sim->graph(0)->data()->at(0)->key, 20.5);
        QVERIFY(std::abs(sim->graph(0)->data()->at(0)->value - 0.2) < 1e-6);

        // The playhead crosses into window 1: every view switches.
        panel.setPlayhead(5.0);
        QCOMPARE(panel.window(), 0);
        QCOMPARE(panel.windowLabel(), QStringLiteral("window 1 of 3 (0–10 s)"));
        prob = panel.plots(QStringLiteral("probabilities")).value(0);
        QCOMPARE(prob->xAxis->range().lower, 0.0);
        QCOMPARE(mapOf(prob)->data()->keySize(), 10);
        QCOMPARE(mapOf(panel.plots(QStringLiteral("mmil")).value(0))->data()->cell(0, 0), 1.0);
        QCOMPARE(panel.playheadLineAt(QStringLiteral("mmil")), 5.0);
        // Within a window only the lines move.
        auto* before = panel.plots(QStringLiteral("probabilities")).value(0);
        panel.setPlayhead(7.5);
        QCOMPARE(panel.plots(QStringLiteral("probabilities")).value(0), before);
        QCOMPARE(panel.playheadLineAt(QStringLiteral("probabilities")), 7.5);
        // Past the end: the last window.
        panel.setPlayhead(99.0);
        QCOMPARE(panel.window(), 2);
    }

    void aTenSecondClipHasNoWindowLabel() {
        ResearchPanel panel;
        panel.resize(900, 400);
        panel.setOutputs(QStringLiteral("clip"), QStringLiteral("run"), windowed(10));
        QCOMPARE(panel.windows(), 1);
        QVERIFY(panel.windowLabel().isEmpty());
        QVERIFY(!panel.findChild<QLabel*>()->text().contains(QStringLiteral("window")));
        auto* prob = panel.plots(QStringLiteral("probabilities")).value(0);
        QCOMPARE(prob->xAxis->range().lower, 0.0);
        QCOMPARE(prob->xAxis->range().upper, 10.0);
        panel.setPlayhead(15.0);  // a playhead past 10 s changes nothing
        QCOMPARE(panel.window(), 0);
        QCOMPARE(panel.playheadLineAt(QStringLiteral("probabilities")), 15.0);
    }

    // Issue 20, item 5: a left click on a heat-map cell asks for a seek to the start of
    // its segment, in the video's seconds (here window 3 of a 30 s video); a click beside
    // the map asks nothing.
    void clickingAHeatMapCellSeeksToItsSegment() {
        ResearchPanel panel;
        panel.resize(1400, 900);
        panel.show();
        panel.setOutputs(QStringLiteral("long"), QStringLiteral("run"), windowed(30));
        panel.setPlayhead(21.0);
        QCOMPARE(panel.window(), 2);
        QSignalSpy seek(&panel, &ResearchPanel::seekRequested);
        auto clickAt = [&](const QString& view, double seconds, double value) {
            panel.tabs()->setCurrentIndex(ResearchPanel::viewIds().indexOf(view));
            auto* plot = panel.plots(view).value(0);
            QVERIFY(plot);
            QVERIFY(QTest::qWaitForWindowExposed(plot->window()));
            plot->replot();
            const QPoint at(qRound(plot->xAxis->coordToPixel(seconds)),
                            qRound(plot->yAxis->coordToPixel(value)));
            QTest::mouseClick(plot, Qt::LeftButton, {}, at);
        };
        clickAt(QStringLiteral("probabilities"), 23.6, 0.0);
        QCOMPARE(seek.size(), 1);
        QCOMPARE(seek.at(0).at(0).toDouble(), 23.0);
        // The outer half of the first cell and the edge of the first row count too.
        clickAt(QStringLiteral("probabilities"), 20.2, -0.4);
        QCOMPARE(seek.size(), 2);
        QCOMPARE(seek.at(1).at(0).toDouble(), 20.0);
        seek.clear();
        clickAt(QStringLiteral("mmil"), 28.2, 0.0);
        QCOMPARE(seek.size(), 1);
        QCOMPARE(seek.at(0).at(0).toDouble(), 28.0);
        // CMIM T x T: the attended segment (the column) of the clicked cell.
        clickAt(QStringLiteral("cmim"), 20.4, 26.5);
        QCOMPARE(seek.size(), 2);
        QCOMPARE(seek.at(1).at(0).toDouble(), 20.0);
        // Beside the map (left of the window's first second): no seek.
        clickAt(QStringLiteral("probabilities"), 19.0, 0.0);
        QCOMPARE(seek.size(), 2);
    }
};

QTEST_MAIN(TestResearchWindows)
#include "tst_research_windows.moc"

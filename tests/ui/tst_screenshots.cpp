// Real screenshots under Xvfb (run by CTest through xvfb-run on the xcb platform): the
// workspace on the demo project with an LLP test video that plays (its SYNTHETIC
// rendering), its timelines with ground truth, the stand-in run's predictions and a
// correction, and the evaluation panel filled; the same in Simplified Chinese; the
// timeline as a figure. Written to $AVVP_SCREENSHOT_DIR (default: ./screenshots) and
// checked for what must be visible.
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QGuiApplication>
#include <QImage>
#include <QPixmap>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include "app/studio/main_window.h"
#include "app/studio/panel_controllers.h"
#include "app/studio/studio.h"
#include "app/workspace/demo_project.h"
#include "app/workspace/jobs.h"
#include "app/workspace/session.h"
#include "core/media/label_video.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"
#include "core/synth.h"
#include "ui/media/playback.h"
#include "ui/panels/evaluation_panel.h"
#include "ui/panels/model_panel.h"
#include "ui/panels/research_panel.h"
#include "ui/panels/training_panel.h"
#include "ui/panels/video_browser.h"
#include "ui/timeline/timeline_view.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;
using workspace::Job;

namespace {

int countColour(const QImage& img, const QRect& area, QColor c, int tolerance) {
    int n = 0;
    const QRect r = area.intersected(img.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) {
            const QColor p = img.pixelColor(x, y);
            if (std::abs(p.red() - c.red()) <= tolerance &&
                std::abs(p.green() - c.green()) <= tolerance &&
                std::abs(p.blue() - c.blue()) <= tolerance)
                ++n;
        }
    return n;
}

}  // namespace

class TestScreenshots : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    workspace::DemoProject demo_;
    QDir out_;

    // The real screen (X server) when there is one, else the window's own rendering.
    QImage capture(QWidget* w) {
        QTest::qWait(200);
        QCoreApplication::processEvents();
        QPixmap px;
        if (QGuiApplication::platformName() == QLatin1String("xcb"))
            px = w->screen()->grabWindow(w->winId());
        if (px.isNull()) px = w->grab();
        return px.toImage().convertToFormat(QImage::Format_RGB32);
    }

    void prepare(app::Studio& studio, const std::string& video) {
        auto* w = studio.window();
        w->resize(1600, 940);
        w->move(0, 0);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));
        QVERIFY(w->selectVideo(QString::fromStdString(video)));
        QVERIFY(w->playback()->isOpen());
        QVERIFY(w->timeline()->waitForSpectrogram(10000));
        w->playback()->seek(4.5);
        QVERIFY(test::waitFor([&] { return std::abs(w->timeline()->playhead() - 4.5) < 1e-6; }));
        auto* job = w->evaluation()->evaluate();
        QVERIFY(job && job->wait(60000));
        // Select a prediction, as an annotator about to accept it.
        for (const auto& e : w->timeline()->events())
            if (e.source == store::Source::Prediction) {
                w->timeline()->setSelection({e.id});
                break;
            }
    }

  private slots:
    void initTestCase() {
        test::initGuiTest("tst_screenshots");
        QSettings().clear();
        dir_ = std::make_unique<test::ScratchDir>();
        workspace::DemoOptions o;
        o.folder = *dir_ / "demo";
        o.llp = test::kLlp;
        o.renderedVideos = 3;
        demo_ = workspace::ensureDemoProject(o);
        QVERIFY(!demo_.playable.empty());
        out_ = QDir(qEnvironmentVariable("AVVP_SCREENSHOT_DIR", QStringLiteral("screenshots")));
        QVERIFY(out_.mkpath(QStringLiteral(".")));
        qInfo("platform %s, writing to %s", qPrintable(QGuiApplication::platformName()),
              qPrintable(out_.absolutePath()));
    }

    void workspace() {
        app::Studio studio({.language = QStringLiteral("en")});
        QVERIFY(studio.openStore(QString::fromStdString(demo_.store.string())));
        studio.window()->setProjectNote(QString::fromStdString(demo_.note));
        // The playable video with the most ground-truth events (several classes, heard and
        // seen apart), and a correction, so that all three strips show something.
        auto* s = studio.session()->store();
        std::string video = demo_.playable.front();
        std::size_t most = 0;
        for (const auto& name : demo_.playable) {
            const auto n =
                s->events(s->videoByName(name)->id, {.source = store::Source::GroundTruth}).size();
            if (n > most) {
                most = n;
                video = name;
            }
        }
        const auto id = s->videoByName(video)->id;
        const auto gt = s->events(id, {.source = store::Source::GroundTruth});
        QVERIFY(!gt.empty());
        studio.session()->apply(store::Edit::add(id, gt[0].modality, gt[0].cls, 1000, 3000));
        prepare(studio, video);
        auto* w = studio.window();
        const QImage img = capture(w);
        QVERIFY(img.save(out_.filePath(QStringLiteral("workspace.png"))));
        QCOMPARE(img.size(), w->size() * w->devicePixelRatio());

        // The timeline shows ground truth (blue), predictions (orange) and the correction
        // (green); the video shows its picture; the spectrogram is drawn.
        const QRect tl(w->timeline()->mapTo(w, QPoint(0, 0)),
                       w->timeline()->visibleRegion().boundingRect().size());
        QVERIFY2(countColour(img, tl, QColor(47, 111, 200), 12) > 500,
                 "no ground truth in the timeline");
        QVERIFY2(countColour(img, tl, QColor(36, 150, 84), 12) > 200,
                 "no correction in the timeline");
        QVERIFY2(countColour(img, tl, QColor(226, 132, 28), 40) > 100,
                 "no prediction in the timeline");
        QString error;
        QVERIFY2(w->exportTimeline(out_.filePath(QStringLiteral("timeline.png")), &error),
                 qPrintable(error));
        QVERIFY(w->exportTimeline(out_.filePath(QStringLiteral("timeline.svg")), &error));
        QVERIFY(w->evaluationPanel()->exportChart(out_.filePath(QStringLiteral("per_class.png")),
                                                  &error));
        studio.session()->undoStack()->undo();
    }

    void workspaceInChinese() {
        app::Studio studio({.language = QStringLiteral("zh_CN")});
        QVERIFY(studio.openStore(QString::fromStdString(demo_.store.string())));
        studio.window()->setProjectNote(QString::fromStdString(demo_.note));
        prepare(studio, demo_.playable.back());
        const QImage img = capture(studio.window());
        QVERIFY(img.save(out_.filePath(QStringLiteral("workspace_zh_CN.png"))));
    }
};

// Models in the app: a SYNTHETIC dataset (core/synth.h) in a store with one rendered video,
// a small LINK trained from the training dashboard, its best checkpoint run on the test
// split, and the research panels of the video at the playhead.
class TestModelScreenshots : public QObject {
    Q_OBJECT
  public:
    QDir out_;

  private slots:
    void modelPanels() {
        test::ScratchDir dir;
        const auto synth = dir / "synth";
        core::SynthOptions so;
        so.videos = 300;
        so.motion = false;
        core::writeSynthDataset(synth, so);
        const auto storePath = dir / "models.avvpstore";
        std::string video;
        {
            auto s = store::Store::open(storePath);
            store::importLlp(*s, store::LlpFiles::inFolder(synth / "labels"));
            store::importFeatures(*s, synth / "features");
            // The test video with the most events, rendered (SYNTHETIC) so that it plays.
            std::size_t most = 0;
            store::VideoId id = 0;
            for (const auto& v : s->videos({.split = core::Split::Test})) {
                const auto n = static_cast<std::size_t>(v.gtEvents[0] + v.gtEvents[1]);
                if (v.nonAligned && n > most) {
                    most = n;
                    id = v.video.id;
                    video = v.video.filename;
                }
            }
            QVERIFY(id != 0);
            std::vector<media::LabelSpan> spans;
            for (const auto& e : s->events(id, {.source = store::Source::GroundTruth}))
                spans.push_back({e.modality, e.cls, e.onsetMs, e.offsetMs});
            const auto file = dir / (video + ".mp4");
            media::renderLabelVideo(file, spans, 10.0);
            s->setMedia(id, file.string(), 10000);
        }
        app::Studio studio({.language = QStringLiteral("en")});
        QVERIFY(studio.openStore(QString::fromStdString(storePath.string())));
        studio.window()->setProjectNote(
            QStringLiteral("SYNTHETIC dataset (avvp synth), 300 videos"));
        auto* w = studio.window();
        w->resize(1600, 1000);
        w->move(0, 0);
        w->show();
        QVERIFY(QTest::qWaitForWindowExposed(w));

        // Train from the dashboard.
        auto* training = w->trainingPanel();
        training->setData(QString::fromStdString((synth / "features").string()),
                          QString::fromStdString((synth / "labels").string()),
                          QString::fromStdString((dir / "run").string()));
        // LINK with TSAM, CMIM and S-LOSS (PLSIM's self labels collapse on synthetic data),
        // so that every research view has something to draw.
        QVERIFY(training->setVariant(QStringLiteral("link"), {{"plsim", false}}));
        training->setSizes(64, 2, 4, 128);  // the README walkthrough's recipe
        training->setEpochs(15, 16, 1e-3, 2);
        auto* trainingDock = w->findChild<QDockWidget*>(QStringLiteral("training"));
        trainingDock->raise();
        w->resizeDocks({trainingDock}, {420}, Qt::Vertical);
        auto* job = w->training()->start();
        QVERIFY(job && job->wait(120000));
        QVERIFY(test::waitFor([&] { return training->history().size() == 15; }));
        QTest::qWait(300);
        QVERIFY(training->grab().save(out_.filePath(QStringLiteral("training.png"))));

        // Use the best checkpoint, run it on the test split, show the video.
        training->useBestButton()->click();
        auto* models = w->modelPanel();
        QVERIFY(test::waitFor([&] { return models->hasModel(); }, 30000));
        auto* run = w->models()->run(ModelPanel::Scope::Test);
        QVERIFY(run && run->wait(60000));
        QCOMPARE(run->state(), Job::State::Finished);
        QVERIFY(w->selectVideo(QString::fromStdString(video)));
        auto* research = w->researchPanel();
        QVERIFY(test::waitFor([&] { return research->video() == QString::fromStdString(video); },
                              30000));
        w->playback()->seek(4.5);
        QVERIFY(test::waitFor([&] { return std::abs(research->playhead() - 4.5) < 1e-6; }));
        auto* researchDock = w->findChild<QDockWidget*>(QStringLiteral("research"));
        researchDock->raise();
        w->resizeDocks({researchDock}, {330}, Qt::Vertical);
        w->findChild<QDockWidget*>(QStringLiteral("models"))->raise();
        QTest::qWait(400);
        QPixmap px;
        if (QGuiApplication::platformName() == QLatin1String("xcb"))
            px = w->screen()->grabWindow(w->winId());
        if (px.isNull()) px = w->grab();
        QVERIFY(px.save(out_.filePath(QStringLiteral("models_workspace.png"))));
        const QStringList views = ResearchPanel::viewIds();
        for (int i = 0; i < views.size(); ++i) {
            research->tabs()->setCurrentIndex(i);
            QTest::qWait(250);
            QVERIFY(research->grab().save(
                out_.filePath(QStringLiteral("research_%1.png").arg(views[i]))));
        }
        for (const auto& view : views) QVERIFY2(research->hasPlots(view), qPrintable(view));
    }
};

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    TestScreenshots shots;
    int rc = QTest::qExec(&shots, argc, argv);
    TestModelScreenshots models;
    models.out_ = QDir(qEnvironmentVariable("AVVP_SCREENSHOT_DIR", QStringLiteral("screenshots")));
    rc |= QTest::qExec(&models, argc, argv);
    return rc;
}
#include "tst_screenshots.moc"

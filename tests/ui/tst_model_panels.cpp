// Models in the workspace (offscreen): a tiny real VALOR++ (Model::create + save) on a
// small SYNTHETIC store (core/synth.h features imported into a label store), driven through
// the panels and their controllers: the checkpoint's config shown, a run on a split stored
// with the probabilities a direct forward pass gives, cancelling a run mid-way (nothing
// stored), the error paths (a bad checkpoint, videos without features), the threshold
// sliders redrawing the prediction rows, the research panels showing what the run stored
// and following the playhead, and the training dashboard (epochs reported, cancel, resume,
// the best checkpoint used).
#include <qcustomplot.h>
#include <QFileInfo>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <cmath>
#include <fstream>

#include "app/studio/main_window.h"
#include "app/studio/panel_controllers.h"
#include "app/studio/session_document.h"
#include "app/workspace/jobs.h"
#include "app/workspace/model_runs.h"
#include "app/workspace/model_workflow.h"
#include "app/workspace/session.h"
#include "core/feature_dataset.h"
#include "core/prediction.h"
#include "core/store/llp_import.h"
#include "core/store/run_thresholds.h"
#include "core/store/store.h"
#include "core/synth.h"
#include "models/model_api.h"
#include "ui/panels/model_panel.h"
#include "ui/panels/research_panel.h"
#include "ui/panels/training_panel.h"
#include "ui/panels/video_browser.h"
#include "ui/timeline/timeline_view.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;
using app::MainWindow;
using workspace::Job;
using workspace::JobManager;
using workspace::ModelWorkflow;
using workspace::Session;

namespace {

// The Models panel as the window wires it: its Document, the research panels and the
// controller that carries its requests to the model workflow.
struct Models {
    Models(Session* s, JobManager* jobs)
        : doc(s), panel(&doc), controller(s, jobs, &panel, &research) {}
    app::SessionDocument doc;
    ModelPanel panel;
    ResearchPanel research;
    app::ModelController controller;
    ModelWorkflow* workflow() { return controller.workflow(); }
};

}  // namespace

class TestModelPanels : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    std::filesystem::path store_, synth_, ckpt_;
    std::vector<store::VideoId> test_;
    store::VideoId noFeatures_ = 0;

    std::unique_ptr<Session> openSession() {
        auto s = std::make_unique<Session>();
        if (!s->open(QString::fromStdString(store_.string()))) return nullptr;
        return s;
    }

    static bool finished(Job* job) {
        return job && job->wait(60000) && job->state() == Job::State::Finished;
    }

  private slots:
    void initTestCase() {
        test::initGuiTest("tst_model_panels");
        dir_ = std::make_unique<test::ScratchDir>();
        // 16 SYNTHETIC videos (VGGish + CLIP features) and a tiny VALOR++ checkpoint.
        const auto p = workspace::test::makeTinyProject(dir_->path());
        synth_ = p.synth;
        store_ = p.store;
        ckpt_ = p.checkpoint;
        test_ = p.test;
        noFeatures_ = p.noFeatures;
        QVERIFY(test_.size() >= 2);
    }

    void checkpointConfigIsShown() {
        auto session = openSession();
        QVERIFY(session);
        JobManager jobs;
        Models m(session.get(), &jobs);
        auto& panel = m.panel;
        QSignalSpy loaded(m.workflow(), &ModelWorkflow::modelLoaded);
        QVERIFY(finished(m.controller.load(QString::fromStdString(ckpt_.string()))));
        QCOMPARE(loaded.count(), 1);
        QVERIFY(panel.hasModel());
        QVERIFY2(panel.configText().contains(QStringLiteral("variant valor")),
                 qPrintable(panel.configText()));
        QVERIFY(panel.configText().contains(QStringLiteral("hidden 16")));
        QVERIFY(panel.configText().contains(QStringLiteral("audio vggish (10, 128)")));
    }

    void badCheckpointFails() {
        auto session = openSession();
        JobManager jobs;
        Models m(session.get(), &jobs);
        auto& panel = m.panel;
        const QString bad = dir_->file(QStringLiteral("bad.ckpt"));
        std::ofstream(bad.toStdString()) << "this is not a checkpoint";
        QSignalSpy failed(m.workflow(), &ModelWorkflow::loadFailed);
        Job* job = m.controller.load(bad);
        QVERIFY(job && job->wait(30000));
        QCOMPARE(job->state(), Job::State::Failed);
        QCOMPARE(failed.count(), 1);
        QVERIFY2(job->error().contains(QStringLiteral("bad.ckpt")), qPrintable(job->error()));
        QVERIFY(!panel.hasModel());
        QVERIFY(panel.status().contains(QStringLiteral("Cannot load")));
        // Running without a model is refused with a message.
        QVERIFY(!m.controller.run(ModelPanel::Scope::Test));
        QVERIFY(panel.status().contains(QStringLiteral("Load a model first")));
    }

    void runOnSplitStoresProbabilities() {
        auto session = openSession();
        JobManager jobs;
        Models m(session.get(), &jobs);
        QVERIFY(finished(m.controller.load(QString::fromStdString(ckpt_.string()))));
        QSignalSpy done(m.workflow(), &ModelWorkflow::runFinished);
        Job* job = m.controller.run(ModelPanel::Scope::Test, QStringLiteral("tiny on test"));
        QVERIFY(finished(job));
        QCOMPARE(done.count(), 1);
        const auto run = session->store()->runByName("tiny on test");
        QVERIFY(run);
        QCOMPARE(session->run(), std::optional(run->id));
        const auto probs = session->store()->probabilities(run->id);
        QCOMPARE(probs.size(), test_.size());
        // What was stored is what a forward pass of the video gives.
        auto model = m.workflow()->model();
        for (const auto& p : probs) {
            const auto out = workspace::forwardVideo(*model, *session->store(), p.video);
            const auto& frame = out.at("frame_prob").data;
            QCOMPARE(p.frame.size(), frame.size());
            for (std::size_t i = 0; i < frame.size(); ++i)
                QVERIFY(std::abs(p.frame[i] - frame[i]) < 1e-6F);
            QVERIFY(std::abs(p.global[3] - out.at("global_prob").data[3]) < 1e-6F);
        }
        // The store's model row carries the checkpoint and its config.
        bool found = false;
        for (const auto& row : session->store()->models())
            found = found || (row.checkpoint == ckpt_.string() && row.variant == "valor" &&
                              row.config.find("\"hidden\"") != std::string::npos);
        QVERIFY(found);
    }

    void cancelMidRunStoresNothing() {
        auto session = openSession();
        JobManager jobs;
        Models m(session.get(), &jobs);
        auto& panel = m.panel;
        QVERIFY(finished(m.controller.load(QString::fromStdString(ckpt_.string()))));
        const auto runsBefore = session->store()->runs().size();
        // Many videos (the test videos over and over) so that the run lasts.
        std::vector<store::VideoId> many;
        for (int i = 0; i < 3000; ++i)
            many.push_back(test_[static_cast<std::size_t>(i) % test_.size()]);
        Job* job =
            m.controller.runOn(many, QStringLiteral("cancelled run"), QStringLiteral("many"));
        QVERIFY(job);
        QVERIFY(test::waitFor([&] { return job->fraction() > 0.02 || !job->running(); }, 30000));
        QVERIFY2(job->running(), "the run ended before it could be cancelled");
        // The panel counts the videos while it runs ("48 of 3000 videos · about 9 s left").
        QVERIFY(test::waitFor(
            [&] { return panel.status().contains(QStringLiteral(" of 3000 videos")); }, 5000));
        job->cancel();
        QVERIFY(job->wait(30000));
        QCOMPARE(job->state(), Job::State::Cancelled);
        QCOMPARE(session->store()->runs().size(), runsBefore);
        QVERIFY(!session->store()->runByName("cancelled run"));
        QVERIFY(panel.status().contains(QStringLiteral("cancelled")));
    }

    // A video without features: one quiet note in the panel's status line, no failed job.
    void videosWithoutFeaturesAreANote() {
        auto session = openSession();
        JobManager jobs;
        Models m(session.get(), &jobs);
        QVERIFY(finished(m.controller.load(QString::fromStdString(ckpt_.string()))));
        QSignalSpy failed(m.workflow(), &ModelWorkflow::runFailed);
        const auto jobsBefore = jobs.jobs().size();
        Job* job =
            m.controller.runOn({noFeatures_}, QStringLiteral("no features"), QStringLiteral("x"));
        QVERIFY(!job);
        QCOMPARE(jobs.jobs().size(), jobsBefore);
        QCOMPARE(failed.count(), 0);
        const QString status = m.panel.status();
        QVERIFY2(status.contains(QStringLiteral("own_video_without_features")) &&
                     status.contains(QStringLiteral("no audio features")) &&
                     !status.contains(QStringLiteral("failed")),
                 qPrintable(status));
        QVERIFY(!m.panel.running());
        QVERIFY(!session->store()->runByName("no features"));
    }

    void thresholdSlidersRedrawPredictionRows() {
        auto session = openSession();
        JobManager jobs;
        MainWindow w(session.get(), &jobs);
        auto* panel = w.modelPanel();
        QVERIFY(finished(w.models()->load(QString::fromStdString(ckpt_.string()))));
        QVERIFY(finished(w.models()->run(ModelPanel::Scope::Test, QStringLiteral("th run"))));
        const auto run = session->store()->runByName("th run");
        QVERIFY(run && session->run() == run->id);
        const auto video = session->store()->video(test_[0]);
        QVERIFY(w.selectVideo(QString::fromStdString(video->filename)));
        auto* tl = w.timeline();
        QVERIFY(tl->thresholded().empty());  // the stored prediction events
        const auto probs = *session->store()->probabilities(run->id, test_[0]);
        // Count the cells that pass (a, v, g) and compare with what the timeline shows.
        auto cells = [&](float a, float v, float g) {
            int n = 0;
            for (int t = 0; t < 10; ++t)
                for (int m = 0; m < 2; ++m)
                    for (int c = 0; c < 25; ++c)
                        n += probs.frame[core::frameIndex(t, static_cast<core::Modality>(m), c)] >=
                                 (m == 0 ? a : v) &&
                             probs.global[static_cast<std::size_t>(c)] >= g;
            return n;
        };
        auto shownCells = [&] {
            long n = 0;
            for (const auto& e : tl->thresholded()) n += (e.offsetMs - e.onsetMs) / 1000;
            return static_cast<int>(n);
        };
        // A threshold between the video's probabilities, so the slider changes something.
        std::vector<float> sorted = probs.frame;
        std::sort(sorted.begin(), sorted.end());
        const int mid =
            std::clamp(static_cast<int>(std::lround(sorted[sorted.size() / 2] * 100)), 2, 98);
        panel->thresholdSlider(2)->setValue(1);
        panel->thresholdSlider(0)->setValue(1);
        panel->thresholdSlider(1)->setValue(mid);
        QVERIFY(session->thresholds());
        QCOMPARE(session->thresholds()->visual, static_cast<float>(mid) / 100.0F);
        QCOMPARE(shownCells(), cells(0.01F, static_cast<float>(mid) / 100.0F, 0.01F));
        const int before = shownCells();
        panel->thresholdSlider(0)->setValue(99);  // audio almost off
        QCOMPARE(shownCells(), cells(0.99F, static_cast<float>(mid) / 100.0F, 0.01F));
        QVERIFY(shownCells() < before);
        for (const auto& e : tl->events()) QVERIFY(e.source != store::Source::Prediction);
        // Back to the run's stored events (accept / reject work on those).
        panel->resetThresholds();
        QVERIFY(tl->thresholded().empty());
        QCOMPARE(panel->thresholdSlider(0)->value(), 50);
    }

    // Issue 20: "Apply to run" makes the sliders' thresholds the run's stored prediction
    // events and records them with the run; the rows show the stored events again.
    void applyThresholdsToTheRun() {
        auto session = openSession();
        JobManager jobs;
        MainWindow w(session.get(), &jobs);
        auto* panel = w.modelPanel();
        QVERIFY(finished(w.models()->load(QString::fromStdString(ckpt_.string()))));
        QVERIFY(finished(w.models()->run(ModelPanel::Scope::Test, QStringLiteral("apply run"))));
        const auto run = session->store()->runByName("apply run");
        QVERIFY(run && session->run() == run->id);
        QVERIFY(panel->applyButton()->isEnabled());
        auto storedCells = [&] {
            long n = 0;
            store::EventFilter f;
            f.source = store::Source::Prediction;
            f.run = run->id;
            for (const auto& e : session->store()->events(f)) n += (e.offsetMs - e.onsetMs) / 1000;
            return n;
        };
        auto expectedCells = [&](float a, float v, float g) {
            long n = 0;
            for (const auto& p : session->store()->probabilities(run->id))
                for (int t = 0; t < p.segments; ++t)
                    for (int m = 0; m < 2; ++m)
                        for (int c = 0; c < 25; ++c)
                            n += p.frame[core::frameIndex(t, static_cast<core::Modality>(m), c)] >=
                                     (m == 0 ? a : v) &&
                                 p.global[static_cast<std::size_t>(c)] >= g;
            return n;
        };
        QCOMPARE(storedCells(), expectedCells(0.5F, 0.5F, 0.5F));
        panel->thresholdSlider(0)->setValue(5);
        panel->thresholdSlider(1)->setValue(5);
        panel->thresholdSlider(2)->setValue(5);
        QVERIFY(session->thresholds());
        QTest::mouseClick(panel->applyButton(), Qt::LeftButton);
        const long want = expectedCells(0.05F, 0.05F, 0.05F);
        QVERIFY(want > expectedCells(0.5F, 0.5F, 0.5F));
        QCOMPARE(storedCells(), want);
        QVERIFY(!session->thresholds());  // the stored (now applied) events are shown
        const auto applied = store::runThresholds(*session->store(), run->id, true);
        QVERIFY(applied);
        QCOMPARE(applied->thresholds.global, 0.05F);
        QVERIFY(panel->status().contains(QStringLiteral("applied")));
    }

    void researchPanelsShowWhatTheRunStored() {
        auto session = openSession();
        session->setRun(std::nullopt);
        JobManager jobs;
        MainWindow w(session.get(), &jobs);
        auto* research = w.researchPanel();
        const auto video = QString::fromStdString(session->store()->video(test_[1])->filename);
        QVERIFY(w.selectVideo(video));
        QVERIFY(!research->hasPlots(QStringLiteral("probabilities")));
        QVERIFY(research->placeholder(QStringLiteral("probabilities"))
                    .contains(QStringLiteral("Load a model")));
        QVERIFY(finished(w.models()->load(QString::fromStdString(ckpt_.string()))));
        // The run stores what the research panels draw; no second forward pass afterwards.
        QVERIFY(finished(w.models()->run(ModelPanel::Scope::Test, QStringLiteral("research run"))));
        QVERIFY(test::waitFor([&] { return research->video() == video; }, 30000));
        const auto* out = research->outputs();
        QVERIFY(out && out->count("frame_prob") && out->count("frame_att") && out->count("av_att"));
        QVERIFY(research->hasPlots(QStringLiteral("probabilities")));
        QVERIFY(research->hasPlots(QStringLiteral("mmil")));
        QCOMPARE(research->plots(QStringLiteral("mmil")).size(), 3);
        // VALOR++ has no LINK outputs: those views say so.
        QVERIFY(research->placeholder(QStringLiteral("tsam")).contains(QStringLiteral("no TSAM")));
        QVERIFY(research->placeholder(QStringLiteral("cmim")).contains(QStringLiteral("no CMIM")));
        QVERIFY(research->placeholder(QStringLiteral("similarity"))
                    .contains(QStringLiteral("sloss_c")));
        // The heat map holds the forward pass's probabilities.
        auto* plot = research->plots(QStringLiteral("probabilities")).front();
        auto* map = qobject_cast<QCPColorMap*>(plot->plottable(0));
        QVERIFY(map);
        QCOMPARE(map->data()->keySize(), 10);
        // A video the run did not cover says so instead of running the model.
        QVERIFY(w.selectVideo(QStringLiteral("own_video_without_features")));
        QVERIFY(!research->hasPlots(QStringLiteral("probabilities")));
        QVERIFY(research->placeholder(QStringLiteral("probabilities"))
                    .contains(QStringLiteral("no model outputs")));
        QVERIFY(w.selectVideo(video));
        // The playhead: every time plot follows it.
        emit w.playheadChanged(6.25);
        QCOMPARE(research->playhead(), 6.25);
        QCOMPARE(research->playheadLineAt(QStringLiteral("probabilities")), 6.25);
        QCOMPARE(research->playheadLineAt(QStringLiteral("mmil")), 6.25);
    }

    void linkViewsLightUpWithTheirOutputs() {
        // LINK's named outputs (docs/model.md 3): TSAM W and S, CMIM A_av / A_va, S-LOSS c,
        // μ and λ, here as plain arrays of the documented shapes.
        auto out = std::make_shared<models::Outputs>();
        const int T = 10, H = 16;
        auto arr = [](std::vector<std::int64_t> shape, auto f) {
            models::Array a;
            a.shape = shape;
            std::int64_t n = 1;
            for (auto d : shape) n *= d;
            for (std::int64_t i = 0; i < n; ++i) a.data.push_back(static_cast<float>(f(i)));
            return a;
        };
        (*out)["frame_prob"] = arr({1, T, 2, 25}, [](auto i) { return (i % 7) / 7.0; });
        (*out)["tsam_w_a"] = arr({1, T}, [](auto i) { return 0.1 * (i % 3); });
        (*out)["tsam_w_v"] = arr({1, T}, [](auto) { return 0.1; });
        (*out)["tsam_s_a"] = arr({1, H}, [](auto i) { return i / 16.0; });
        (*out)["tsam_s_v"] = arr({1, H}, [](auto) { return 0.5; });
        (*out)["cmim_a_av"] = arr({1, T, T}, [](auto) { return 0.1; });
        (*out)["cmim_a_va"] = arr({1, T, T}, [](auto i) { return i % 11 == 0 ? 1.0 : 0.0; });
        (*out)["sloss_c"] =
            arr({1, T, T}, [](auto i) { return -0.9 + 0.02 * static_cast<double>(i); });
        (*out)["sloss_mu"] = arr({1}, [](auto) { return 0.25; });
        // λ(c) of model.md 3.4 for μ = 0.25, as the model returns it: 1 for c <= -0.2,
        // e^|1-μ| for -0.2 < c < 0, then linear to 1 at c = 1.
        const double e = std::exp(0.75);
        auto lambdaOf = [e](double c) { return c <= -0.2 ? 1.0 : c < 0 ? e : e + (1 - e) * c; };
        const auto& c = (*out)["sloss_c"].data;
        (*out)["sloss_lambda"] =
            arr({1, T, T}, [&](auto i) { return lambdaOf(c[static_cast<std::size_t>(i)]); });
        (*out)["sloss_lambda_curve"] = arr({1, 201, 2}, [&](auto i) {
            const double cv = -1.0 + 0.01 * static_cast<double>(i / 2);
            return i % 2 == 0 ? cv : lambdaOf(cv);
        });
        ResearchPanel panel;
        panel.resize(900, 400);
        panel.setOutputs(QStringLiteral("v"), QStringLiteral("link"), out);
        for (const auto& view : ResearchPanel::viewIds())
            if (view != QStringLiteral("mmil")) QVERIFY2(panel.hasPlots(view), qPrintable(view));
        QVERIFY(panel.placeholder(QStringLiteral("mmil")).contains(QStringLiteral("frame_att")));
        panel.setPlayhead(3.5);
        QCOMPARE(panel.highlightedSegment(), 3);
        // The λ plot draws the model's curve and the video's points as given.
        auto* curve = panel.plots(QStringLiteral("similarity")).value(1);
        QVERIFY(curve && curve->graphCount() >= 2);
        QCOMPARE(curve->graph(0)->dataCount(), 201);
        QVERIFY(std::abs(curve->graph(0)->data()->at(0)->value - 1.0) < 1e-6);  // c = -1
        QVERIFY(std::abs(curve->graph(0)->data()->at(90)->value - e) < 1e-5);   // c = -0.1
        QVERIFY(std::abs(curve->graph(0)->data()->at(150)->value - (e + (1 - e) * 0.5)) < 1e-5);
        QVERIFY(std::abs(curve->graph(0)->data()->at(200)->value - 1.0) < 1e-5);  // c = 1
        QCOMPARE(curve->graph(1)->dataCount(), T);
        QCOMPARE(panel.playheadLineAt(QStringLiteral("cmim")), 3.5);
    }

    void trainingDashboardCancelResumeAndUse() {
        auto session = openSession();
        JobManager jobs;
        MainWindow w(session.get(), &jobs);
        auto* training = w.trainingPanel();
        auto* control = w.training();
        const QString out = dir_->file(QStringLiteral("train-run"));
        training->setData(QString::fromStdString((synth_ / "features").string()),
                          QString::fromStdString((synth_ / "labels").string()), out);
        training->setSizes(16, 1, 2, 32);
        training->setEpochs(2, 4, 1e-3, 0);
        QSignalSpy epochs(training, &TrainingPanel::epochReported);
        QVERIFY(finished(control->start()));
        QVERIFY(test::waitFor([&] { return epochs.count() == 2; }));
        QCOMPARE(static_cast<int>(training->history().size()), 2);
        QCOMPARE(training->history().back().epoch, 2);
        QVERIFY(QFileInfo::exists(training->bestCheckpoint()));
        QVERIFY(training->lossPlot()->graphCount() >= 2);
        QVERIFY(training->lossPlot()->graph(0)->dataCount() == 2);
        // Resume for two more epochs: it continues at epoch 3.
        training->setEpochs(4, 4, 1e-3, 0);
        QVERIFY(finished(control->start(true)));
        QVERIFY(test::waitFor([&] { return epochs.count() == 4; }));
        QCOMPARE(training->history().front().epoch, 1);
        QCOMPARE(training->history().back().epoch, 4);
        // Cancel a long run after its first epoch.
        training->setEpochs(400, 4, 1e-3, 0);
        epochs.clear();
        Job* job = control->start(true);
        QVERIFY(job);
        QVERIFY(test::waitFor([&] { return epochs.count() >= 1; }, 30000));
        job->cancel();
        QVERIFY(job->wait(30000));
        QVERIFY(training->history().back().epoch < 400);
        QVERIFY(training->status().contains(QStringLiteral("Cancelled")));
        // The best checkpoint goes to the Models panel.
        QSignalSpy loaded(w.models()->workflow(), &ModelWorkflow::modelLoaded);
        QVERIFY(training->useBestButton()->isEnabled());
        training->useBestButton()->click();
        QVERIFY(test::waitFor([&] { return loaded.count() == 1; }, 30000));
        QVERIFY(w.modelPanel()->configText().contains(QStringLiteral("hidden 16")));
        QVERIFY(w.modelPanel()->configText().contains(QStringLiteral("trained")));
    }
};

QTEST_MAIN(TestModelPanels)
#include "tst_model_panels.moc"

// Model runs without widgets (app/workspace/model_runs.h, model_workflow.h): a run over a
// split stores the probabilities a direct forward pass gives and the research outputs,
// which runOutputs reads back; a cancelled run and a run of videos without features store
// nothing; global_prob is clamped as it is stored; the workflow loads a checkpoint and makes
// its run the session's shown run. A 25 s video with features in three 10-segment windows
// runs window by window (probabilities over its 25 segments, a global gate per window,
// research outputs per window) and events join across window borders.
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <cmath>

#include "app/workspace/jobs.h"
#include "app/workspace/model_runs.h"
#include "app/workspace/model_workflow.h"
#include "app/workspace/session.h"
#include "core/error.h"
#include "core/features.h"
#include "core/npy.h"
#include "core/prediction.h"
#include "workspace_test_util.h"

using namespace avvp;
using namespace avvp::workspace;

namespace {

// Cancels the work at its `at`-th report.
struct CancelAt : core::Progress {
    explicit CancelAt(int at) : at_(at) {}
    void report(double, std::string_view) override {
        if (++reports_ == at_) cancel();
    }
    int at_, reports_ = 0;
};

// A job's context that asks for a cancel, as the job's Cancel does, at its `at`-th report.
struct CancelJobAt : JobContext {
    explicit CancelJobAt(int at) : at_(at) {}
    void report(double f, std::string_view stage) override {
        JobContext::report(f, stage);
        if (++reports_ == at_) requestCancel();
    }
    int at_, reports_ = 0;
};

// Records every report.
struct Recorder : core::Progress {
    void report(double f, std::string_view stage) override {
        fractions.push_back(f);
        stages.emplace_back(stage);
    }
    std::vector<double> fractions;
    std::vector<std::string> stages;
};

// Writes a video's features of `kind` as `windows` window files (rows x dim each, distinct
// deterministic values per window) and records them per the store's convention: the
// window-0 file with shape {W, rows, dim} (one window: <id>.npy, {rows, dim}).
void writeWindowedFeatures(store::Store& s, store::VideoId video, const std::filesystem::path& dir,
                           const std::string& id, const char* kind, int windows, std::int64_t rows,
                           std::int64_t dim) {
    std::filesystem::create_directories(dir / kind);
    std::string first;
    for (int w = 0; w < windows; ++w) {
        std::vector<float> data(static_cast<std::size_t>(rows * dim));
        for (std::size_t i = 0; i < data.size(); ++i)
            data[i] = std::sin(0.37F * static_cast<float>(i) + 1.7F * static_cast<float>(w)) *
                      (kind[0] == 'a' ? 1.0F : 0.5F);
        const auto file = dir / kind / (core::featureWindowName(id, w, windows) + ".npy");
        core::writeNpy(file, data, {rows, dim});
        if (w == 0) first = file.string();
    }
    if (windows == 1)
        s.setFeature(video, {kind, first, {rows, dim}});
    else
        s.setFeature(video, {kind, first, {windows, rows, dim}});
}

}  // namespace

class TestModelRuns : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    test::TinyProject valor_;
    std::filesystem::path linkCkpt_;

    RunRequest request(const std::filesystem::path& ckpt, const std::string& name) const {
        RunRequest r;
        r.store = valor_.store;
        r.annotator = "tester";
        r.model = loadModel(ckpt, "cpu");
        r.checkpoint = ckpt.string();
        r.split = core::Split::Test;
        r.runName = name;
        r.batch = 4;
        return r;
    }

  private slots:
    void initTestCase() {
        test::initTest("tst_model_runs");
        dir_ = std::make_unique<test::ScratchDir>();
        valor_ = test::makeTinyProject(dir_->path());
        // A tiny LINK on the same features: the research views' outputs (TSAM, CMIM, S-LOSS).
        auto cfg = models::defaultConfig("link");
        const auto base = loadModel(valor_.checkpoint, "cpu")->config();
        cfg.audioFeature = base.audioFeature;
        cfg.audioRows = base.audioRows;
        cfg.audioDim = base.audioDim;
        cfg.visualFeature = base.visualFeature;
        cfg.visualRows = base.visualRows;
        cfg.visualDim = base.visualDim;
        cfg.useMotion = false;
        cfg.hidden = 16;
        cfg.layers = 1;
        cfg.heads = 2;
        cfg.ff = 32;
        linkCkpt_ = dir_->path() / "link.ckpt";
        models::Model::create(cfg, 4).save(linkCkpt_);
    }

    // A run without a given name is named so that a person tells runs apart: the model's
    // folder, its variant, the checkpoint file and the time (issue 17, item 6).
    void defaultRunNameSaysModelVariantCheckpointAndTime() {
        models::ModelConfig cfg;
        cfg.variant = "link";
        QCOMPARE(defaultRunName(cfg, "/data/models/demo_model/best.ckpt", "2024-05-01 10:30:00"),
                 std::string("link best.ckpt (demo_model), 2024-05-01 10:30:00"));
        core::Progress progress;
        const auto summary = runModel(request(linkCkpt_, ""), progress);
        const QString name = QString::fromStdString(summary.name);
        QVERIFY2(
            QRegularExpression(QStringLiteral("^link link\\.ckpt \\(.+\\), \\d{4}-\\d\\d-\\d\\d "
                                              "\\d\\d:\\d\\d:\\d\\d$"))
                .match(name)
                .hasMatch(),
            qPrintable(name));
        auto s = store::Store::open(valor_.store);
        QVERIFY(s->runByName(summary.name));
        s->deleteRun(summary.run);
    }

    void runStoresWhatAForwardPassGives() {
        core::Progress progress;
        const auto req = request(linkCkpt_, "link on test");
        const auto summary = runModel(req, progress);
        QCOMPARE(summary.videos, static_cast<int>(valor_.test.size()));
        QVERIFY(summary.skipped.empty());
        auto s = store::Store::open(valor_.store);
        const auto run = s->runByName("link on test");
        QVERIFY(run && run->id == summary.run);
        const auto probs = s->probabilities(run->id);
        QCOMPARE(probs.size(), valor_.test.size());
        for (const auto& p : probs) {
            const auto out = forwardVideo(*req.model, *s, p.video);
            const auto& frame = out.at("frame_prob").data;
            QCOMPARE(p.frame.size(), frame.size());
            for (std::size_t i = 0; i < frame.size(); ++i)
                QVERIFY(std::abs(p.frame[i] - frame[i]) < 1e-6F);
            // The research outputs: every one the model gives, as it gives it.
            const auto stored = runOutputs(*s, run->id, p.video);
            QVERIFY(stored);
            int compared = 0;
            for (const auto& name : researchOutputNames()) {
                const auto it = out.find(name);
                if (it == out.end()) continue;
                QVERIFY2(stored->count(name), name.c_str());
                const auto& a = stored->at(name);
                QCOMPARE(a.data.size(), it->second.data.size());
                for (std::size_t i = 0; i < a.data.size(); ++i)
                    QVERIFY(std::abs(a.data[i] - it->second.data[i]) < 1e-5F);
                ++compared;
            }
            for (const char* name : {"frame_att", "tsam_w_a", "cmim_a_av", "sloss_c", "sloss_mu"})
                QVERIFY2(stored->count(name), name);
            QVERIFY(compared >= 10);
            QCOMPARE(stored->at("global_prob").shape, (std::vector<std::int64_t>{1, 25}));
        }
        // A video the run did not cover has no outputs; deleting the run drops them.
        QVERIFY(!runOutputs(*s, run->id, valor_.noFeatures));
        const auto first = valor_.test.front();
        s->deleteRun(run->id);
        QVERIFY(s->runOutputs(run->id, first).empty());
    }

    void cancelledRunStoresNothing() {
        auto s = store::Store::open(valor_.store);
        const auto before = s->runs().size();
        CancelAt progress(2);
        auto req = request(valor_.checkpoint, "cancelled");
        req.batch = 1;
        QVERIFY_THROWS_EXCEPTION(core::Cancelled, runModel(req, progress));
        QCOMPARE(s->runs().size(), before);
        QVERIFY(!s->runByName("cancelled"));
    }

    // The progress counts the run's videos ("4 of 7 videos") after each batch, the fraction
    // rising by windows, and ends with storing.
    void progressCountsVideos() {
        Recorder progress;
        auto req = request(valor_.checkpoint, "counted");
        req.batch = 1;
        const auto summary = runModel(req, progress);
        const auto n = std::to_string(valor_.test.size());
        QCOMPARE(progress.stages.front(), "0 of " + n + " videos");
        QCOMPARE(progress.stages.back(), std::string("storing"));
        const auto storing = std::find(progress.stages.begin(), progress.stages.end(), "storing");
        QCOMPARE(*std::prev(storing), n + " of " + n + " videos");
        for (std::size_t k = 1; k <= valor_.test.size(); ++k)  // one batch a video
            QVERIFY(std::find(progress.stages.begin(), progress.stages.end(),
                              std::to_string(k) + " of " + n + " videos") != storing);
        for (const auto& st : progress.stages)
            QVERIFY2(st == "storing" || st.ends_with(" of " + n + " videos"), st.c_str());
        QVERIFY(std::is_sorted(progress.fractions.begin(), progress.fractions.end()));
        auto s = store::Store::open(valor_.store);
        s->deleteRun(summary.run);
    }

    // A cancel asked for at any report of the run (after the last forward pass, while it
    // stores) leaves nothing stored and ends in core::Cancelled; none is left unchecked.
    void cancelAtEveryPointStoresNothing() {
        Recorder all;
        auto req = request(valor_.checkpoint, "cancel at every point");
        req.batch = 2;
        auto s = store::Store::open(valor_.store);
        s->deleteRun(runModel(req, all).run);
        const auto before = s->runs().size();
        const int reports = static_cast<int>(all.stages.size());
        QVERIFY(reports >= 6);
        for (int at = 1; at <= reports; ++at) {
            CancelJobAt progress(at);
            QVERIFY_THROWS_EXCEPTION(core::Cancelled, runModel(req, progress));
            QVERIFY(progress.cancelled());
            QCOMPARE(s->runs().size(), before);
            QVERIFY2(!s->runByName("cancel at every point"), all.stages[at - 1].c_str());
        }
        // Past the commit the run is stored and its job's cancel refused.
        CancelJobAt late(reports + 1);
        const auto summary = runModel(req, late);
        QVERIFY(!late.cancellable());
        QVERIFY(!late.requestCancel());
        QVERIFY(!late.cancelled());
        QVERIFY(s->runByName("cancel at every point"));
        s->deleteRun(summary.run);
    }

    // Browsing videos without features (a run on them from the workflow) is one quiet note,
    // not a failed job: no job starts.
    void workflowNotesVideosWithoutFeatures() {
        Session session;
        QVERIFY(session.open(QString::fromStdString(valor_.store.string()), QStringLiteral("amy")));
        JobManager jobs;
        ModelWorkflow models(&session, &jobs);
        auto* load = models.load(QString::fromStdString(valor_.checkpoint.string()),
                                 QStringLiteral("cpu"), QStringLiteral("load"));
        QVERIFY(load->wait(30000));
        QSignalSpy noted(&models, &ModelWorkflow::noted);
        QSignalSpy failed(&models, &ModelWorkflow::runFailed);
        for (int i = 0; i < 3; ++i)
            QVERIFY(!models.run({valor_.noFeatures}, std::nullopt, QStringLiteral("browse"),
                                QStringLiteral("current video")));
        QCOMPARE(noted.count(), 3);
        const auto note = noted.front().front().toString();
        QVERIFY2(note.contains(QStringLiteral("own_video_without_features")) &&
                     note.contains(QStringLiteral("no audio features")),
                 qPrintable(note));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(jobs.jobs().size(), 1);  // the load only
        // A video with features among them: the run goes ahead (the other one skipped).
        auto* run = models.run({valor_.noFeatures, valor_.test.front()}, std::nullopt,
                               QStringLiteral("browse with features"), QStringLiteral("two"));
        QVERIFY(run && run->wait(60000));
        QCOMPARE(run->state(), Job::State::Finished);
        QCOMPARE(noted.count(), 3);
        const auto stored = session.store()->runByName("browse with features");
        QVERIFY(stored);
        session.store()->deleteRun(stored->id);
    }

    void videosWithoutFeaturesFail() {
        core::Progress progress;
        auto req = request(valor_.checkpoint, "no features");
        req.split.reset();
        req.videos = {valor_.noFeatures};
        try {
            runModel(req, progress);
            QFAIL("no error");
        } catch (const core::InputError& e) {
            const QString what = QString::fromUtf8(e.what());
            QVERIFY2(what.contains(QStringLiteral("own_video_without_features")) &&
                         what.contains(QStringLiteral("no audio features")),
                     qPrintable(what));
        }
        QVERIFY(!store::Store::open(valor_.store)->runByName("no features"));
    }

    // A run stores frame_prob as given and global_prob clamped to [0, 1]: the MMIL head's
    // sum over time and modality can exceed 1 (a trained LINK gave 1.04), which the store
    // refuses; NaN is kept (and refused), shapes that do not fit the videos fail.
    void storedGlobalProbabilitiesAreClamped() {
        const std::size_t perFrame = std::size_t{10} * 2 * 25;
        models::Array frame{{2, 10, 2, 25}, std::vector<float>(2 * perFrame, 0.25F)};
        frame.data[perFrame + 7] = 0.75F;
        models::Array global{{2, 25}, std::vector<float>(50, 0.5F)};
        global.data[3] = 1.6F;
        global.data[4] = -0.2F;
        global.data[30] = 1.0F;
        global.data[31] = std::nanf("");
        const auto p = segmentProbabilities(frame, global, {11, 12});
        QCOMPARE(p.size(), std::size_t{2});
        QCOMPARE(p[0].video, store::VideoId{11});
        QCOMPARE(p[1].video, store::VideoId{12});
        QCOMPARE(p[1].segments, 10);
        QCOMPARE(p[1].frame.size(), perFrame);
        QCOMPARE(p[1].frame[7], 0.75F);
        QCOMPARE(p[0].global[3], 1.0F);
        QCOMPARE(p[0].global[4], 0.0F);
        QCOMPARE(p[0].global[5], 0.5F);
        QCOMPARE(p[1].global[5], 1.0F);
        QVERIFY(std::isnan(p[1].global[6]));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 segmentProbabilities(frame, global, {11, 12, 13}));
    }

    void videoOutputsSliceTheBatch() {
        models::Outputs batch;
        batch["frame_att"] = {{2, 10, 2, 25}, std::vector<float>(1000)};
        for (std::size_t i = 0; i < 1000; ++i) batch["frame_att"].data[i] = static_cast<float>(i);
        batch["sloss_mu"] = {{1}, {0.3F}};
        batch["loss_total"] = {{1}, {2.0F}};  // not a research output
        const auto second = videoOutputs(batch, 1, 2);
        QCOMPARE(second.size(), std::size_t{2});
        QCOMPARE(second[0].name, std::string("frame_att"));
        QCOMPARE(second[0].shape, (std::vector<std::int64_t>{1, 10, 2, 25}));
        QCOMPARE(second[0].data.front(), 500.0F);
        QCOMPARE(second[1].name, std::string("sloss_mu"));  // per model: whole
        QCOMPARE(second[1].data, std::vector<float>{0.3F});
    }

    // A 25 s video, features in three windows (the last padded): the run stores 25 segments
    // and 3 x 25 globals equal to forwarding each window alone (segments 20-24 from the
    // third window's first five rows); its research outputs have one row per window. Its
    // windows share forward batches with other videos' (batch 2), which changes nothing.
    void longVideoRunsWindowByWindow() {
        const auto model = loadModel(linkCkpt_, "cpu");
        const auto& c = model->config();
        store::VideoId longVideo = 0, clip = valor_.test.front(), short25 = 0;
        {
            auto s = store::Store::open(valor_.store);
            longVideo = s->ensureVideo({.filename = "long_own.mp4", .durationMs = 24'500});
            const auto dir = dir_->path() / "long";
            writeWindowedFeatures(*s, longVideo, dir, "long_own", "audio", 3, c.audioRows,
                                  c.audioDim);
            writeWindowedFeatures(*s, longVideo, dir, "long_own", "visual", 3, c.visualRows,
                                  c.visualDim);
            // 25 s but features of one window only: skipped, with the reason.
            short25 = s->ensureVideo({.filename = "one_window_of_25s.mp4", .durationMs = 25'000});
            writeWindowedFeatures(*s, short25, dir, "one_window_of_25s", "audio", 1, c.audioRows,
                                  c.audioDim);
            writeWindowedFeatures(*s, short25, dir, "one_window_of_25s", "visual", 1, c.visualRows,
                                  c.visualDim);
        }
        RunRequest req = request(linkCkpt_, "windows");
        req.model = model;
        req.split.reset();
        req.videos = {clip, longVideo, short25, valor_.test.back()};
        req.batch = 2;
        struct Stages : core::Progress {
            void report(double, std::string_view stage) override {
                if (!stage.empty()) stages.emplace_back(stage);
            }
            std::vector<std::string> stages;
        } progress;
        const auto summary = runModel(req, progress);
        QCOMPARE(summary.videos, 3);
        QCOMPARE(summary.skipped.size(), std::size_t{1});
        QVERIFY2(summary.skipped[0].find("one_window_of_25s") != std::string::npos &&
                     summary.skipped[0].find("need 3") != std::string::npos,
                 summary.skipped[0].c_str());
        // 1 + 3 + 1 windows (the fraction) of 3 videos (the count); the count reaches the end.
        QVERIFY(std::find(progress.stages.begin(), progress.stages.end(), "3 of 3 videos") !=
                progress.stages.end());

        auto s = store::Store::open(valor_.store);
        const auto p = s->probabilities(summary.run, longVideo);
        QVERIFY(p);
        QCOMPARE(p->segments, 25);
        QCOMPARE(p->frame.size(), core::frameSize(25));
        QCOMPARE(p->global.size(), std::size_t{75});
        const auto windows = videoWindows(*s, longVideo, c);
        QCOMPARE(windows.segments, 25);
        for (int w = 0; w < 3; ++w) {
            const auto alone = model->forward(models::windowInputs(c, windows, w));
            const auto& frame = alone.at("frame_prob").data;
            const auto& global = alone.at("global_prob").data;
            for (int t = 0; t < 10 && 10 * w + t < 25; ++t)
                for (auto m : core::kModalities)
                    for (int k = 0; k < core::kNumClasses; ++k) {
                        const float got = p->frame[core::frameIndex(10 * w + t, m, k)];
                        const float want = frame[core::frameIndex(t, m, k)];
                        QVERIFY2(std::abs(got - want) < 1e-5F,
                                 qPrintable(QStringLiteral("window %1 segment %2: %3 vs %4")
                                                .arg(w)
                                                .arg(t)
                                                .arg(got)
                                                .arg(want)));
                    }
            for (int k = 0; k < core::kNumClasses; ++k)
                QVERIFY(std::abs(p->global[static_cast<std::size_t>(25 * w + k)] -
                                 std::clamp(global[static_cast<std::size_t>(k)], 0.0F, 1.0F)) <
                        1e-5F);
            // The research outputs: row w is window w's own.
            const auto out = runOutputs(*s, summary.run, longVideo);
            QVERIFY(out);
            const auto& att = out->at("frame_att");
            QCOMPARE(att.shape, (std::vector<std::int64_t>{3, 10, 2, 25}));
            const auto& attAlone = alone.at("frame_att").data;
            for (std::size_t i = 0; i < attAlone.size(); ++i)
                QVERIFY(std::abs(att.data[static_cast<std::size_t>(w) * attAlone.size() + i] -
                                 attAlone[i]) < 1e-5F);
            QCOMPARE(out->at("cmim_a_av").shape, (std::vector<std::int64_t>{3, 10, 10}));
            QCOMPARE(out->at("sloss_mu").shape, (std::vector<std::int64_t>{1}));
            QCOMPARE(out->at("frame_prob").shape, (std::vector<std::int64_t>{1, 25, 2, 25}));
            QCOMPARE(out->at("global_prob").shape, (std::vector<std::int64_t>{3, 25}));
        }
        // The 10 s clips sharing batches with it give what they give alone.
        for (const auto id : {clip, valor_.test.back()}) {
            const auto q = s->probabilities(summary.run, id);
            QVERIFY(q);
            QCOMPARE(q->segments, 10);
            QCOMPARE(q->global.size(), std::size_t{25});
            const auto alone = forwardVideo(*model, *s, id).at("frame_prob").data;
            for (std::size_t i = 0; i < alone.size(); ++i)
                QVERIFY(std::abs(q->frame[i] - alone[i]) < 1e-5F);
        }
        // No prediction event runs past the 25 segments.
        for (const auto& e : s->events(longVideo, {.source = store::Source::Prediction}))
            QVERIFY(e.offsetMs <= 25'000);
    }

    // Thresholding runs over the whole grid: audio Dog on in segments 9 and 10, each window's
    // gate open, is one event 9-11 s across the border of windows 0 and 1; with window 1's
    // gate shut (the per-window 0.5 rule) it ends at 10 s.
    void eventsJoinAcrossWindowBorders() {
        auto s = store::Store::open(valor_.store);
        const auto video = s->ensureVideo({.filename = "border.mp4", .durationMs = 25'000});
        models::WindowedPrediction p;
        p.segments = 25;
        p.frame.assign(core::frameSize(25), 0.1F);
        p.global.assign(75, 0.9F);
        const int dog = 3;
        p.frame[core::frameIndex(9, core::Modality::Audio, dog)] = 0.8F;
        p.frame[core::frameIndex(10, core::Modality::Audio, dog)] = 0.7F;
        store::Model m;
        m.name = "hand-made";
        m.variant = "valor";
        store::Run r;
        r.model = s->addModel(m);
        r.name = "border run";
        const auto run = s->addRun(r);
        s->putProbabilities(run, {segmentProbabilities(p, video)}, true);
        auto predicted = [&] {
            return s->events(video, {.source = store::Source::Prediction, .run = run});
        };
        auto events = predicted();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].cls, dog);
        QCOMPARE(events[0].onsetMs, std::int64_t{9000});
        QCOMPARE(events[0].offsetMs, std::int64_t{11000});
        p.global[static_cast<std::size_t>(25 + dog)] = 0.2F;  // window 1 (10-20 s) gates Dog
        s->putProbabilities(run, {segmentProbabilities(p, video)}, true);
        events = predicted();
        QCOMPARE(events.size(), std::size_t{1});
        QCOMPARE(events[0].onsetMs, std::int64_t{9000});
        QCOMPARE(events[0].offsetMs, std::int64_t{10000});
    }

    void workflowLoadsRunsAndShowsTheRun() {
        Session session;
        QVERIFY(session.open(QString::fromStdString(valor_.store.string()), QStringLiteral("amy")));
        JobManager jobs;
        ModelWorkflow models(&session, &jobs);
        QSignalSpy loaded(&models, &ModelWorkflow::modelLoaded);
        QSignalSpy failed(&models, &ModelWorkflow::loadFailed);
        auto* bad = models.load(QStringLiteral("/no/such.ckpt"), QStringLiteral("cpu"),
                                QStringLiteral("load"));
        QVERIFY(bad->wait(30000));
        QCOMPARE(bad->state(), Job::State::Failed);
        QCOMPARE(failed.count(), 1);
        QVERIFY(!models.hasModel());
        QVERIFY(!models.run({}, core::Split::Test, QStringLiteral("x"), QStringLiteral("x")));
        auto* job = models.load(QString::fromStdString(valor_.checkpoint.string()),
                                QStringLiteral("cpu"), QStringLiteral("load"));
        QVERIFY(job->wait(30000));
        QCOMPARE(loaded.count(), 1);
        QVERIFY(models.description().contains(QStringLiteral("variant valor")));
        QSignalSpy finished(&models, &ModelWorkflow::runFinished);
        auto* run = models.run({}, core::Split::Test, QStringLiteral("workflow run"),
                               QStringLiteral("run"));
        QVERIFY(run);
        QVERIFY(!models.run({}, core::Split::Test, QStringLiteral("y"), QStringLiteral("y")));
        QVERIFY(run->wait(60000));
        QCOMPARE(run->state(), Job::State::Finished);
        QCOMPARE(finished.count(), 1);
        const auto stored = session.store()->runByName("workflow run");
        QVERIFY(stored);
        QCOMPARE(session.run(), std::optional(stored->id));
    }
};

QTEST_GUILESS_MAIN(TestModelRuns)
#include "tst_model_runs.moc"

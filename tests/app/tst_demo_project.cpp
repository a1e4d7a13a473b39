// The demo project: built once (LLP annotations, SYNTHETIC videos rendered from labels, a
// SYNTHETIC stand-in run), then reused with its edits; missing videos come back; reset
// rebuilds; a cancelled build leaves no store; `avvp synth --render`, when the build has
// it, adds its dataset and videos (here a stand-in script plays that command).
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>

#include "app/studio/main_window.h"
#include "app/studio/studio.h"
#include "app/workspace/demo_model.h"
#include "app/workspace/demo_project.h"
#include "app/workspace/session.h"
#include "core/store/store.h"
#include "models/model_api.h"
#include "ui/synthetic.h"

using namespace avvp;
namespace fs = std::filesystem;

namespace {
const fs::path kLlp = fs::path(AVVP_SOURCE_DIR) / "resources" / "llp";
}

class TestDemoProject : public QObject {
    Q_OBJECT

    workspace::DemoOptions options(const QTemporaryDir& dir) {
        workspace::DemoOptions o;
        o.folder = dir.path().toStdString();
        o.llp = kLlp;
        o.renderedVideos = 2;
        o.longVideoSeconds = 12;  // the long video, short for the test
        return o;
    }

  private slots:
    void initTestCase() { QCoreApplication::setOrganizationName(QStringLiteral("avvp-tests")); }

    void buildsThenReusesWithTheEdits() {
        QTemporaryDir dir;
        const auto o = options(dir);
        struct Stages : core::Progress {
            void report(double, std::string_view s) override { list.emplace_back(s); }
            std::vector<std::string> list;
        } progress;
        const auto& stages = progress.list;
        const auto demo = workspace::ensureDemoProject(o, &progress);
        QVERIFY(demo.created);
        QCOMPARE(demo.videosRendered, 2);
        QCOMPARE(demo.playable.size(), std::size_t{3});  // two clips and the long video
        QVERIFY(!demo.synthImported);
        QVERIFY(QString::fromStdString(demo.note).contains(QStringLiteral("SYNTHETIC")));
        QVERIFY(std::find(stages.begin(), stages.end(), "ready") != stages.end());
        {
            auto s = store::Store::open(demo.store, {.annotator = "alice"});
            QCOMPARE(s->videoCount(), 11849 + 1);
            for (const auto& name : demo.playable) {
                const auto v = s->videoByName(name);
                QVERIFY(v && fs::exists(v->mediaPath));
                if (!v->split) {  // the long video: its real length, no features without synth
                    QCOMPARE(v->durationMs, std::int64_t{12000});
                    QVERIFY(s->features(v->id).empty());
                    continue;
                }
                QCOMPARE(v->split, std::optional(core::Split::Test));
                ui::SyntheticMediaCheck synthetic;
                QVERIFY(synthetic(QString::fromStdString(v->mediaPath)));  // marked SYNTHETIC
            }
            const auto run = s->runByName(workspace::kDemoRunName);
            QVERIFY(run);
            QCOMPARE(s->probabilities(run->id, core::Split::Test).size(), std::size_t{1200});
            QVERIFY(!s->events({.source = store::Source::Prediction, .run = run->id}).empty());
            QCOMPARE(s->models().at(0).variant, std::string("synthetic"));
            // An edit, then the app starts again.
            s->apply(store::Edit::add(s->videoByName(demo.playable[0])->id, core::Modality::Audio,
                                      3, 0, 1000));
        }
        auto again = workspace::ensureDemoProject(o);
        QVERIFY(!again.created);
        QCOMPARE(again.videosRendered, 0);
        QCOMPARE(again.playable, demo.playable);
        {
            auto s = store::Store::open(again.store, {.annotator = "alice"});
            QVERIFY(s->canUndo());  // the edit and its history are there
        }
        // A deleted video is rendered again; the edits stay.
        fs::remove(fs::path(o.folder) / "videos" / (demo.playable[1] + ".mp4"));
        again = workspace::ensureDemoProject(o);
        QVERIFY(!again.created);
        QCOMPARE(again.videosRendered, 1);
        QVERIFY(store::Store::open(again.store, {.annotator = "alice"})->canUndo());
        // Reset: built anew, the edit is gone.
        auto reset = o;
        reset.reset = true;
        again = workspace::ensureDemoProject(reset);
        QVERIFY(again.created);
        QVERIFY(!store::Store::open(again.store, {.annotator = "alice"})->canUndo());
    }

    void cancelledBuildLeavesNoStore() {
        QTemporaryDir dir;
        core::Progress cancel;
        cancel.cancel();
        bool threw = false;
        try {
            workspace::ensureDemoProject(options(dir), &cancel);
        } catch (const std::exception&) {
            threw = true;
        }
        QVERIFY(threw);
        QVERIFY(!fs::exists(fs::path(dir.path().toStdString()) / "demo.avvpstore"));
        QVERIFY(!fs::exists(fs::path(dir.path().toStdString()) / "demo.stamp"));
    }

    void usesAvvpSynthRenderWhenAvailable() {
        QTemporaryDir dir;
        // A stand-in for `avvp synth --out DIR --videos N --render --quiet`: a tiny synthetic
        // dataset in LLP layout with one rendered video.
        const QString script = dir.filePath(QStringLiteral("avvp"));
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"(#!/bin/sh
[ "$1" = synth ] || exit 2
out=$3
mkdir -p "$out/labels" "$out/videos"
printf 'filename\tevent_labels\nsynth000001_0_10\tDog\n' > "$out/labels/AVVP_test_pd.csv"
printf 'filename\tonset\toffset\tevent_labels\nsynth000001_0_10\t1\t4\tDog\n' > "$out/labels/AVVP_eval_audio.csv"
printf 'filename\tonset\toffset\tevent_labels\nsynth000001_0_10\t2\t6\tDog\n' > "$out/labels/AVVP_eval_visual.csv"
printf '# SYNTHETIC data (avvp synth)\n' > "$out/README.md"
ffmpeg -nostdin -v error -f lavfi -i testsrc=d=1:s=64x36:r=10 -f lavfi -i sine=d=1 -shortest "$out/videos/synth000001_0_10.mp4" || exit 3
)");
        f.close();
        f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
        auto o = options(dir);
        o.folder = (fs::path(dir.path().toStdString()) / "demo");
        o.avvp = script.toStdString();
        const auto demo = workspace::ensureDemoProject(o);
        QVERIFY(demo.synthImported);
        auto s = store::Store::open(demo.store);
        const auto v = s->videoByName("synth000001_0_10");
        QVERIFY(v);
        QVERIFY(fs::exists(v->mediaPath));
        // Its own video, not one rendered again over it by the demo (it is a non-aligned
        // test video with ground truth, the kind the demo renders).
        QCOMPARE(fs::path(v->mediaPath).parent_path(), o.folder / "synth" / "videos");
        QVERIFY(ui::isSyntheticVideoName(QString::fromStdString(v->filename)));
        QCOMPARE(s->events(v->id, {.source = store::Source::GroundTruth}).size(), std::size_t{2});
        QVERIFY(std::find(demo.playable.begin(), demo.playable.end(), "synth000001_0_10") !=
                demo.playable.end());
        QVERIFY(s->videoCount() > 11849);
    }

    // The demo model is a LINK whose forward pass gives every output the research views
    // draw (trained here at a tiny size: 40 videos, one epoch).
    void demoModelFillsEveryResearchView() {
        QTemporaryDir dir;
        workspace::DemoModelOptions o;
        o.folder = dir.path().toStdString();
        o.videos = 40;
        o.epochs = 1;
        const auto demo = workspace::ensureDemoModel(o);
        QVERIFY(demo.trained);
        QVERIFY(fs::exists(demo.checkpoint));
        const auto model = models::Model::load(demo.checkpoint);
        QCOMPARE(model.config().variant, std::string("link"));
        QVERIFY(!models::switchOn(model.config(), "plsim"));
        const auto& c = model.config();
        models::Inputs in;
        in.audio = {{1, c.audioRows, c.audioDim},
                    std::vector<float>(static_cast<std::size_t>(c.audioRows * c.audioDim), 0.1F)};
        in.visual = {
            {1, c.visualRows, c.visualDim},
            std::vector<float>(static_cast<std::size_t>(c.visualRows * c.visualDim), 0.2F)};
        if (c.useMotion)
            in.motion =
                models::Array{{1, 10, c.motionDim},
                              std::vector<float>(static_cast<std::size_t>(10 * c.motionDim))};
        const auto out = model.forward(in);
        for (const char* name : {"frame_prob", "frame_att", "av_att", "tsam_w_a", "tsam_s_v",
                                 "cmim_a_av", "cmim_a_va", "sloss_c", "sloss_mu"})
            QVERIFY2(out.count(name), name);
        // Cached: a second call trains nothing.
        QVERIFY(!workspace::ensureDemoModel(o).trained);
    }

    // `make run` end to end, at a tiny model size: the demo opens, trains and loads its
    // model, and runs it on every video with features; the timeline shows that run.
    void demoOpensWithTheDemoModelsRun() {
        QTemporaryDir dir;
        app::StudioOptions so;
        so.llpFolder = QString::fromStdString(kLlp.string());
        so.avvpBinary = QCoreApplication::applicationDirPath() + QStringLiteral("/avvp");
        so.demoFolder = dir.path();
        so.language = QStringLiteral("en");
        so.demoModel = true;
        so.demoModelOptions.videos = 40;
        so.demoModelOptions.epochs = 1;
        app::Studio studio(so);
        std::optional<bool> opened;
        studio.openDemo(false, [&](bool ok) { opened = ok; });
        QTRY_VERIFY_WITH_TIMEOUT(opened.has_value(), 300000);
        QVERIFY(*opened);
        const auto* s = studio.session()->store();
        const auto run = s->runByName(workspace::kDemoModelRunName);
        QVERIFY(run);
        QCOMPARE(studio.session()->run(), std::optional<store::RunId>(run->id));
        int withFeatures = 0;
        for (const auto& v : s->videos()) {
            if (v.features.empty()) continue;
            ++withFeatures;
            const auto p = s->probabilities(run->id, v.video.id);
            QVERIFY2(p, v.video.filename.c_str());
            for (float g : p->global) QVERIFY(g >= 0.0F && g <= 1.0F);
            // With what the research panels draw (a LINK: TSAM, CMIM, S-LOSS).
            const auto outputs = s->runOutputs(run->id, v.video.id);
            QVERIFY2(!outputs.empty(), v.video.filename.c_str());
        }
        QVERIFY(withFeatures > 0);
        // The long SYNTHETIC video: its real 90 s, features extracted per 10-segment window
        // by the stand-in encoders, and the demo model's run over its whole length with
        // one global gate per window.
        const auto longVideo = s->videoByName("long0000000");
        QVERIFY(longVideo);
        QCOMPARE(longVideo->durationMs, std::int64_t{90000});
        QVERIFY(fs::exists(longVideo->mediaPath));
        const auto features = s->features(longVideo->id);
        QCOMPARE(features.size(), std::size_t{2});
        for (const auto& f : features) QCOMPARE(f.shape.front(), std::int64_t{9});
        const auto p = s->probabilities(run->id, longVideo->id);
        QVERIFY(p);
        QCOMPARE(p->segments, 90);
        QCOMPARE(p->global.size(), std::size_t{9 * core::kNumClasses});
        store::EventFilter gt;
        gt.source = store::Source::GroundTruth;
        QVERIFY(!s->events(longVideo->id, gt).empty());
        // The first start shows it.
        QCOMPARE(studio.window()->currentVideo(), std::optional(longVideo->id));
    }
};

QTEST_MAIN(TestDemoProject)
#include "tst_demo_project.moc"

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

#include "app/studio/demo_project.h"
#include "core/store/store.h"
#include "ui/synthetic.h"

using namespace avvp;
namespace fs = std::filesystem;

namespace {
const fs::path kLlp = fs::path(AVVP_SOURCE_DIR) / "resources" / "llp";
}

class TestDemoProject : public QObject {
    Q_OBJECT

    app::DemoOptions options(const QTemporaryDir& dir) {
        app::DemoOptions o;
        o.folder = dir.path().toStdString();
        o.llp = kLlp;
        o.renderedVideos = 2;
        return o;
    }

  private slots:
    void initTestCase() { QCoreApplication::setOrganizationName(QStringLiteral("avvp-tests")); }

    void buildsThenReusesWithTheEdits() {
        QTemporaryDir dir;
        const auto o = options(dir);
        std::vector<std::string> stages;
        const auto demo =
            app::ensureDemoProject(o, [&](const std::string& s, double) { stages.push_back(s); });
        QVERIFY(demo.created);
        QCOMPARE(demo.videosRendered, 2);
        QCOMPARE(demo.playable.size(), std::size_t{2});
        QVERIFY(!demo.synthImported);
        QVERIFY(QString::fromStdString(demo.note).contains(QStringLiteral("SYNTHETIC")));
        QVERIFY(std::find(stages.begin(), stages.end(), "ready") != stages.end());
        {
            auto s = store::Store::open(demo.store, {.annotator = "alice"});
            QCOMPARE(s->videoCount(), 11849);
            for (const auto& name : demo.playable) {
                const auto v = s->videoByName(name);
                QVERIFY(v && fs::exists(v->mediaPath));
                QCOMPARE(v->split, std::optional(core::Split::Test));
                ui::SyntheticMediaCheck synthetic;
                QVERIFY(synthetic(QString::fromStdString(v->mediaPath)));  // marked SYNTHETIC
            }
            const auto run = s->runByName(app::kDemoRunName);
            QVERIFY(run);
            QCOMPARE(s->probabilities(run->id, core::Split::Test).size(), std::size_t{1200});
            QVERIFY(!s->events({.source = store::Source::Prediction, .run = run->id}).empty());
            QCOMPARE(s->models().at(0).variant, std::string("synthetic"));
            // An edit, then the app starts again.
            s->apply(store::Edit::add(s->videoByName(demo.playable[0])->id, core::Modality::Audio,
                                      3, 0, 1000));
        }
        auto again = app::ensureDemoProject(o);
        QVERIFY(!again.created);
        QCOMPARE(again.videosRendered, 0);
        QCOMPARE(again.playable, demo.playable);
        {
            auto s = store::Store::open(again.store, {.annotator = "alice"});
            QVERIFY(s->canUndo());  // the edit and its history are there
        }
        // A deleted video is rendered again; the edits stay.
        fs::remove(fs::path(o.folder) / "videos" / (demo.playable[1] + ".mp4"));
        again = app::ensureDemoProject(o);
        QVERIFY(!again.created);
        QCOMPARE(again.videosRendered, 1);
        QVERIFY(store::Store::open(again.store, {.annotator = "alice"})->canUndo());
        // Reset: built anew, the edit is gone.
        auto reset = o;
        reset.reset = true;
        again = app::ensureDemoProject(reset);
        QVERIFY(again.created);
        QVERIFY(!store::Store::open(again.store, {.annotator = "alice"})->canUndo());
    }

    void cancelledBuildLeavesNoStore() {
        QTemporaryDir dir;
        std::atomic<bool> cancel{true};
        bool threw = false;
        try {
            app::ensureDemoProject(options(dir), {}, &cancel);
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
        const auto demo = app::ensureDemoProject(o);
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
};

QTEST_MAIN(TestDemoProject)
#include "tst_demo_project.moc"

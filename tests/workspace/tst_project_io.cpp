// The project's import / export / evaluation workflows on videos of any length, as the
// GUI runs them (Import ▸ Video Folder, Export Labels, the evaluation panel): imported
// videos get their real duration from the media engine and unreadable ones are refused,
// a 25 s video exports with real times and LLP CSV refuses it, and its score names the
// any-length protocol (also in the stored record).
#include <QTest>

#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "app/workspace/evaluation.h"
#include "app/workspace/project_io.h"
#include "core/error.h"
#include "core/media/label_video.h"
#include "core/store/store.h"
#include "workspace_test_util.h"

using namespace avvp;
using namespace avvp::workspace;

class TestProjectIo : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { test::initTest("tst_project_io"); }

    void videoFolderOfAnyLength() {
        test::ScratchDir dir;
        const auto folder = dir / "videos";
        std::filesystem::create_directories(folder);
        media::renderLabelVideo(folder / "my_long_video.mp4",
                                {{core::Modality::Audio, 3, 24000, 25000}}, 25.0,
                                {.width = 64, .height = 36, .frameRate = 10});
        std::ofstream(folder / "broken.mkv") << "not a video";
        QVERIFY_THROWS_EXCEPTION(core::InputError, probeMediaMs(folder / "broken.mkv"));
        QCOMPARE(probeMediaMs(folder / "my_long_video.mp4"), std::int64_t{25000});

        const auto storePath = dir / "p.avvpstore";
        store::Store::open(storePath);
        ImportRequest req;
        req.kind = ImportRequest::Kind::Media;
        req.folder = folder;
        req.addUnmatchedVideos = true;
        core::Progress progress;
        const auto report = runImport(storePath, "alice", req, progress);
        QCOMPARE(report.videosAdded, std::int64_t{1});
        bool refused = false;
        for (const auto& a : report.anomalies)
            refused = refused || (a.kind == core::AnomalyKind::Refused &&
                                  a.file.find("broken.mkv") != std::string::npos);
        QVERIFY(refused);

        auto s = store::Store::open(storePath, {.annotator = "alice"});
        const auto v = s->videoByName("my_long_video");
        QVERIFY(v);
        QCOMPARE(v->durationMs, std::int64_t{25000});
        QVERIFY(!s->videoByName("broken"));
        // The GUI's Insert at 24-25 s, and past the end.
        s->apply(store::Edit::add(v->id, core::Modality::Audio, 3, 24000, 25000,
                                  store::Source::GroundTruth));
        s->replaceEvents(v->id, core::Modality::Visual, store::Source::GroundTruth, {});
        QVERIFY_THROWS_EXCEPTION(store::EditError,
                                 s->apply(store::Edit::add(v->id, core::Modality::Audio, 3, 24980,
                                                           25980, store::Source::GroundTruth)));

        // Export: real times; LLP CSV refuses the video.
        ExportRequest ex;
        ex.format = core::LabelFormat::Dcase;
        ex.output = dir / "dcase";
        const auto written = runExport(storePath, "alice", ex, progress);
        QCOMPARE(written.videos, std::size_t{1});
        std::ifstream in(dir / "dcase" / "audio.tsv");
        std::stringstream text;
        text << in.rdbuf();
        QCOMPARE(text.str(), std::string("filename\tonset\toffset\tevent_label\n"
                                         "my_long_video\t24\t25\tDog\n"));
        ex.format = core::LabelFormat::Llp;
        ex.output = dir / "llp";
        QVERIFY_THROWS_EXCEPTION(core::InputError, runExport(storePath, "alice", ex, progress));

        // The evaluation panel: the user's corrections (the same event) against the
        // ground truth, over 25 segments, under the any-length protocol.
        s->apply(store::Edit::add(v->id, core::Modality::Audio, 3, 24000, 25000));
        EvaluationRequest er;
        er.a.source = store::Source::Correction;
        const auto result = runEvaluation(storePath, "alice", er, progress);
        QCOMPARE(result.a.result.protocol, std::string(core::kAvvpAnyLengthProtocol));
        QCOMPARE(result.a.result.maxSegments, 25);
        QCOMPARE(result.a.result.dataset.segment[core::kTypeAv], 100.0);
        saveEvaluation(*s, result.a.result, er.a, "all");
        QCOMPARE(s->evaluations().back().protocol, std::string(core::kAvvpAnyLengthProtocol));
    }

    // Issue 19, item 7: an import that would delete ground-truth events (a header-only
    // dense file) changes nothing unless confirmed; the confirmation hears what it deletes.
    void groundTruthRemovalNeedsConfirmation() {
        test::ScratchDir dir;
        auto write = [](const std::filesystem::path& p, const std::string& text) {
            std::filesystem::create_directories(p.parent_path());
            std::ofstream(p, std::ios::binary) << text;
        };
        write(dir / "llp" / "AVVP_test_pd.csv",
              "filename\tevent_labels\n4YdbENYcIyE_23_33\tBaby_cry_infant_cry\n"
              "KSRjje7GH44_60_70\tBlender,Speech\n");
        write(dir / "llp" / "AVVP_eval_audio.csv",
              "filename\tonset\toffset\tevent_labels\n4YdbENYcIyE_23_33\t0\t4\tBaby_cry_infant_"
              "cry\nKSRjje7GH44_60_70\t8\t10\tBlender\nKSRjje7GH44_60_70\t0\t5\tSpeech\n");
        write(dir / "header_only" / "AVVP_eval_audio.csv",
              "filename\tonset\toffset\tevent_labels\n");
        const auto storePath = dir / "p.avvpstore";
        store::Store::open(storePath);
        ImportRequest req;
        req.kind = ImportRequest::Kind::Llp;
        req.folder = dir / "llp";
        core::Progress progress;
        runImport(storePath, "alice", req, progress);  // adds ground truth: nothing to confirm
        auto gtEvents = [&] { return store::Store::open(storePath)->info().eventsPerSource[0]; };
        QCOMPARE(gtEvents(), std::int64_t{3});

        req.folder = dir / "header_only";
        std::optional<store::GroundTruthRemoval> asked;
        try {
            runImport(storePath, "alice", req, progress, [&](const auto& r) {
                asked = r;
                return false;
            });
            QFAIL("the declined import did not throw");
        } catch (const ImportDeclined& e) {
            QCOMPARE(e.removal().events[0], std::int64_t{3});
        }
        QVERIFY(asked);
        QCOMPARE(asked->events[0], std::int64_t{3});
        QCOMPARE(asked->events[1], std::int64_t{0});
        QCOMPARE(asked->videos, std::int64_t{2});
        QCOMPARE(asked->firstVideos,
                 (std::vector<std::string>{"4YdbENYcIyE_23_33", "KSRjje7GH44_60_70"}));
        QCOMPARE(gtEvents(), std::int64_t{3});  // unchanged
        // Without a confirmation the import is refused as well.
        QVERIFY_THROWS_EXCEPTION(ImportDeclined, runImport(storePath, "alice", req, progress));
        QCOMPARE(gtEvents(), std::int64_t{3});
        // Confirmed: the ground truth goes.
        runImport(storePath, "alice", req, progress, [](const auto&) { return true; });
        QCOMPARE(gtEvents(), std::int64_t{0});
    }
};

QTEST_GUILESS_MAIN(TestProjectIo)
#include "tst_project_io.moc"

// Extract Features in the app (app/workspace/feature_extraction.h) with real files: tiny
// TorchScript encoders whose outputs are computable without LibTorch and rendered label
// videos (a real decoder). A 25 s own video gets three windows on disk and one store
// record of {3, rows, dim} per kind holding the encoders' output; an LLP video with media
// gets <11-char id>.npy; a video without media is skipped and listed; cancelling leaves no
// record and no file; missing or bad encoders are clear errors; the job runs through the
// JobManager and shows in the job list.
#include <QSignalSpy>
#include <QTest>
#include <cmath>
#include <fstream>

#include "app/common/feature_extraction.h"
#include "app/workspace/feature_extraction.h"
#include "app/workspace/jobs.h"
#include "app/workspace/session.h"
#include "core/error.h"
#include "core/media/label_video.h"
#include "core/media/segment_sampler.h"
#include "core/npy.h"
#include "models/encoders.h"
#include "tests/models/test_encoders.h"
#include "workspace_test_util.h"

using namespace avvp;
using namespace avvp::workspace;
namespace fs = std::filesystem;

namespace {

struct Project {
    fs::path store;
    store::VideoId longVideo = 0, llpVideo = 0, noMedia = 0;
};

// Cancels the work once it reports the given stage.
class CancelAt final : public core::Progress {
  public:
    explicit CancelAt(std::string stage) : stage_(std::move(stage)) {}
    void report(double, std::string_view stage) override {
        if (stage.find(stage_) != std::string_view::npos) cancel();
    }

  private:
    std::string stage_;
};

std::vector<fs::path> filesUnder(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(e.path());
    return out;
}

}  // namespace

class TestFeatureExtraction : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        workspace::test::initTest("tst_feature_extraction");
        encoders_ = dir_ / "enc";
        avvp::test::writeTinyEncoders(encoders_);
        const media::LabelVideoOptions o{.width = 96, .height = 64, .frameRate = 10};
        // Sound at 3-6 s and 21-24 s, pictures at 1-4 s and 20-25 s.
        longFile_ = dir_ / "own long video.mp4";
        media::renderLabelVideo(longFile_,
                                {{core::Modality::Audio, 0, 3000, 6000},
                                 {core::Modality::Audio, 5, 21000, 24000},
                                 {core::Modality::Visual, 2, 1000, 4000},
                                 {core::Modality::Visual, 7, 20000, 25000}},
                                25.0, o);
        shortFile_ = dir_ / "llp.mp4";
        media::renderLabelVideo(shortFile_, {{core::Modality::Audio, 3, 2000, 8000}}, 10.0, o);
    }

    void extractsWindowsAndRecordsThem() {
        const auto p = makeProject("a");
        CancelAt never("never");
        const auto report = runExtraction(
            p.store, {.encoders = encoders_, .videos = {p.longVideo, p.llpVideo, p.noMedia}},
            never);
        QCOMPARE(report.videos, 2);
        QCOMPARE(report.windows, 4);
        QCOMPARE(report.skipped.size(), std::size_t{1});
        QVERIFY2(report.skipped[0].find("no_media_video: no media file") != std::string::npos,
                 report.skipped[0].c_str());
        QCOMPARE(report.kinds, (std::vector<std::string>{"visual", "audio"}));

        const fs::path feats = p.store.parent_path() / "features";
        QCOMPARE(featureFolder(p.store), feats);
        for (const char* kind : {"visual", "audio"}) {
            for (const char* name : {"own long video_0_10.npy", "own long video_10_20.npy",
                                     "own long video_20_30.npy", "abcdefghijk.npy"})
                QVERIFY2(fs::exists(feats / kind / name), name);
            QVERIFY(!fs::exists(feats / kind / "own long video_30_40.npy"));
        }
        for (const auto& f : filesUnder(feats)) QVERIFY2(f.extension() != ".part", f.c_str());

        auto s = store::Store::open(p.store);
        // The own video's duration was unknown: the media's is recorded with its features.
        QVERIFY(std::abs(s->video(p.longVideo)->durationMs - 25000) < 100);
        const auto recs = s->features(p.longVideo);
        QCOMPARE(recs.size(), std::size_t{2});
        for (const auto& r : recs) {
            QVERIFY2(fs::path(r.path) == feats / r.kind / "own long video_0_10.npy",
                     r.path.c_str());
            if (r.kind == "visual")
                QCOMPARE(r.shape, (std::vector<std::int64_t>{3, 10, 12}));
            else
                QCOMPARE(r.shape, (std::vector<std::int64_t>{3, 64, 16}));
        }
        const auto llp = s->features(p.llpVideo);
        QCOMPARE(llp.size(), std::size_t{2});
        for (const auto& r : llp) {
            QCOMPARE(fs::path(r.path), feats / r.kind / "abcdefghijk.npy");
            QCOMPARE(r.shape.size(), std::size_t{2});
        }
        QVERIFY(s->features(p.noMedia).empty());

        // The values: the tiny encoders' output on each window's frames and samples.
        const auto m = models::readEncoderManifest(encoders_);
        media::SegmentSampler sampler(
            longFile_, {.size = m.image->size, .mean = m.image->mean, .std = m.image->std});
        const auto windows = media::featureWindows(25);
        QCOMPARE(windows.size(), std::size_t{3});
        for (const auto& w : windows) {
            const auto name = core::featureWindowName("own long video", w.index, 3) + ".npy";
            const auto visual = core::readNpy(feats / "visual" / name);
            const auto want = avvp::test::tinyImageFeatures(sampler.windowImages(w, 1), 10,
                                                            m.image->size, m.image->dim);
            QCOMPARE(visual.f32.size(), want.size());
            for (std::size_t i = 0; i < want.size(); ++i)
                QVERIFY(std::abs(visual.f32[i] - want[i]) < 1e-4f + 1e-4f * std::abs(want[i]));
            const auto audio = core::readNpy(feats / "audio" / name);
            const auto samples = media::windowAudio(longFile_, w, m.audio->sampleRate, 10.0);
            const auto wantAudio = avvp::test::tinyAudioFeatures(samples, 64, 16);
            QCOMPARE(audio.f32.size(), wantAudio.size());
            for (std::size_t i = 0; i < wantAudio.size(); ++i)
                QVERIFY(std::abs(audio.f32[i] - wantAudio[i]) < 1e-5f + 1e-3f * wantAudio[i]);
            // Sound where the tones are, silence in the padding past 25 s.
            for (int tok = 0; tok < 64; ++tok) {
                const double t0 = w.firstSegment + tok * 10.0 / 64, t1 = t0 + 10.0 / 64;
                const bool tone = (t0 >= 3.05 && t1 <= 5.95) || (t0 >= 21.05 && t1 <= 23.95);
                const bool silent = t0 >= 25.05 || (t1 <= 2.95) || (t0 >= 6.05 && t1 <= 20.95);
                const float e = audio.f32[static_cast<std::size_t>(tok * 16)];
                if (tone) QVERIFY2(e > 1e-3f, qPrintable(QString::number(t0)));
                if (silent) QVERIFY2(e < 1e-5f, qPrintable(QString::number(t0)));
            }
        }
        // The padded window repeats the last frame: segments 25-29 are alike.
        const auto last = core::readNpy(feats / "visual" / "own long video_20_30.npy");
        for (int seg = 6; seg < 10; ++seg)
            for (int j = 0; j < 12; ++j)
                QCOMPARE(last.f32[static_cast<std::size_t>(seg * 12 + j)],
                         last.f32[static_cast<std::size_t>(5 * 12 + j)]);
        // index.tsv as `avvp features` writes it.
        std::ifstream index(feats / "index.tsv");
        std::string line;
        int rows = -1;
        while (std::getline(index, line)) ++rows;
        QCOMPARE(rows, 4);
    }

    void cancelStoresNothing() {
        const auto p = makeProject("b");
        const fs::path feats = p.store.parent_path() / "features";
        // Cancelled in the middle of the second video, after the first was written.
        CancelAt cancel("abcdefghijk_30_40: audio window 1");
        bool cancelled = false;
        try {
            runExtraction(p.store, {.encoders = encoders_, .videos = {p.longVideo, p.llpVideo}},
                          cancel);
        } catch (const core::Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        auto s = store::Store::open(p.store);
        QVERIFY(s->features(p.longVideo).empty());
        QVERIFY(s->features(p.llpVideo).empty());
        QCOMPARE(s->video(p.longVideo)->durationMs, std::int64_t{0});
        QVERIFY2(filesUnder(feats).empty(), "no feature file and no .part left");
        QVERIFY(!fs::exists(feats));

        // Files that were there stay as they were.
        fs::create_directories(feats / "visual");
        std::ofstream(feats / "visual" / "abcdefghijk.npy") << "earlier";
        CancelAt early("own long video: visual window 2");
        QVERIFY_THROWS_EXCEPTION(core::Cancelled,
                                 runExtraction(p.store, {.encoders = encoders_}, early));
        QCOMPARE(filesUnder(feats).size(), std::size_t{1});
        QVERIFY(fs::exists(feats / "visual"));
    }

    void clearErrors() {
        const auto p = makeProject("c");
        CancelAt never("never");
        try {
            runExtraction(p.store, {}, never);
            QFAIL("no encoders folder accepted");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(
                std::string(e.what()).find("no encoders folder is chosen") != std::string::npos,
                e.what());
        }
        fs::create_directories(dir_ / "no_manifest");
        try {
            runExtraction(p.store, {.encoders = dir_ / "no_manifest"}, never);
            QFAIL("a folder without manifest accepted");
        } catch (const core::InputError& e) {
            QVERIFY2(std::string(e.what()).find("manifest.json") != std::string::npos, e.what());
        }
        try {
            runExtraction(p.store, {.encoders = encoders_, .videos = {p.noMedia}}, never);
            QFAIL("a video without media extracted");
        } catch (const std::runtime_error& e) {
            QVERIFY2(
                std::string(e.what()).find("no_media_video: no media file") != std::string::npos,
                e.what());
        }
        auto s = store::Store::open(p.store);
        for (auto id : {p.longVideo, p.llpVideo, p.noMedia}) QVERIFY(s->features(id).empty());
        QVERIFY(!fs::exists(p.store.parent_path() / "features"));
    }

    void runsAsAJobInTheJobList() {
        const auto p = makeProject("d");
        Session session;
        QVERIFY(session.open(QString::fromStdString(p.store.string())));
        JobManager jobs;
        JobListModel list(&jobs);
        FeatureExtraction fx(&session, &jobs);
        QSignalSpy refused(&fx, &FeatureExtraction::refused);
        QSignalSpy finished(&fx, &FeatureExtraction::finished);
        QSignalSpy failed(&fx, &FeatureExtraction::failed);
        QVERIFY(fx.start({p.longVideo}, QString(), QStringLiteral("x")) == nullptr);
        QCOMPARE(refused.count(), 1);
        QVERIFY(refused[0][0].toString().contains(QStringLiteral("No encoders folder")));
        QCOMPARE(list.rowCount(), 0);

        Job* job = fx.start({p.longVideo}, QString::fromStdString(encoders_.string()),
                            QStringLiteral("Extract features"));
        QVERIFY(job);
        QCOMPARE(list.rowCount(), 1);
        QCOMPARE(list.data(list.index(0), JobListModel::TitleRole).toString(),
                 QStringLiteral("Extract features"));
        QVERIFY(fx.start({p.longVideo}, QString::fromStdString(encoders_.string()),
                         QStringLiteral("again")) == nullptr);  // one at a time
        QVERIFY(job->wait(60000));
        QCOMPARE(int(job->state()), int(Job::State::Finished));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(failed.count(), 0);
        // The GUI's connection sees the records.
        QCOMPARE(session.store()->features(p.longVideo).size(), std::size_t{2});

        // Cancelled at once: ends as cancelled, nothing more recorded.
        Job* second = fx.start({p.llpVideo}, QString::fromStdString(encoders_.string()),
                               QStringLiteral("Extract features again"));
        QVERIFY(second);
        second->cancel();
        QVERIFY(second->wait(60000));
        QCOMPARE(int(second->state()), int(Job::State::Cancelled));
        QVERIFY(session.store()->features(p.llpVideo).empty());
        QCOMPARE(list.rowCount(), 2);
    }

    // A video with the middle of its data overwritten (issue 19, item 7): refused with its
    // decoded fraction and decode errors, nothing written for it; the others are extracted.
    void refusesADamagedVideo() {
        const auto damaged = dir_ / "damaged.mp4";
        fs::copy_file(shortFile_, damaged, fs::copy_options::overwrite_existing);
        {
            std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
            const auto size = static_cast<std::streamoff>(fs::file_size(damaged));
            f.seekp(size / 4);
            std::uint32_t x = 12345;
            for (std::streamoff i = size / 4; i < 3 * size / 4; ++i) {
                x = x * 1664525u + 1013904223u;
                f.put(static_cast<char>(x >> 24));
            }
        }
        fs::create_directories(dir_ / "d");
        const auto storePath = dir_ / "d" / "p.avvpstore";
        store::VideoId bad = 0, good = 0;
        {
            auto s = store::Store::open(storePath);
            bad =
                s->ensureVideo({.filename = "damaged", .durationMs = 10000, .mediaPath = damaged});
            good = s->ensureVideo(
                {.filename = "intact", .durationMs = 10000, .mediaPath = shortFile_});
        }
        CancelAt never("never");
        const auto report =
            runExtraction(storePath, {.encoders = encoders_, .videos = {bad, good}}, never);
        QCOMPARE(report.videos, 1);
        QCOMPARE(report.skipped.size(), std::size_t{1});
        const auto& why = report.skipped[0];
        for (const char* part : {"damaged.mp4", "damaged media", "% of the video frames",
                                 "% of the audio", "decode error", "at least 90 % needed"})
            QVERIFY2(why.find(part) != std::string::npos, why.c_str());
        auto s = store::Store::open(storePath);
        QVERIFY(s->features(bad).empty());
        QCOMPARE(s->features(good).size(), std::size_t{2});
        for (const auto& f : filesUnder(dir_ / "d" / "features"))
            QVERIFY2(f.filename().string().find("damaged") == std::string::npos, f.c_str());

        // The shared extractor reports the fraction; a threshold of 0 accepts the video.
        app::FeatureExtractor x(encoders_, "cpu");
        fs::create_directories(dir_ / "d2" / "visual");
        fs::create_directories(dir_ / "d2" / "audio");
        auto v = x.extract(damaged, "damaged", dir_ / "d2", {.overwrite = true, .minDecoded = 0});
        v.discard();
        QVERIFY2(v.decodedFraction < 0.9, v.decodeSummary.c_str());
        QVERIFY(v.decodeErrors > 0);
        auto ok = x.extract(shortFile_, "intact", dir_ / "d2", {.overwrite = true});
        ok.discard();
        QCOMPARE(ok.decodedFraction, 1.0);
        QCOMPARE(ok.decodeErrors, std::int64_t{0});
    }

    // Issue 19, item 7: videos that were extracted but decoded incompletely (under 100 %,
    // above the refusal threshold) are noted in the result summary; intact ones are not.
    void notesIncompleteDecoding() {
        ExtractionReport r;
        QVERIFY(FeatureExtraction::decodeNote(r).isEmpty());
        r.incomplete.push_back({"a", 0.9312, 9});
        r.incomplete.push_back({"b", 0.9995, 5});
        QCOMPARE(
            FeatureExtraction::decodeNote(r),
            QStringLiteral("2 video(s) decoded incompletely (lowest 93.1 %, 14 decode errors)"));
        r.incomplete.erase(r.incomplete.begin());
        // Rounded down: an incomplete video never reads 100.0 %. (Untranslated here, so
        // "video(s)"; avvp_en.ts gives "1 video" / "2 videos".)
        QCOMPARE(
            FeatureExtraction::decodeNote(r),
            QStringLiteral("1 video(s) decoded incompletely (lowest 99.9 %, 5 decode errors)"));

        // An intact video is not listed.
        const auto p = makeProject("incomplete");
        CancelAt never("never");
        const auto report =
            runExtraction(p.store, {.encoders = encoders_, .videos = {p.llpVideo}}, never);
        QCOMPARE(report.videos, 1);
        QVERIFY(report.incomplete.empty());
    }

  private:
    Project makeProject(const std::string& name) {
        Project p;
        fs::create_directories(dir_ / name);
        p.store = dir_ / name / "p.avvpstore";
        auto s = store::Store::open(p.store);
        p.longVideo = s->ensureVideo({.filename = "own long video", .mediaPath = longFile_});
        p.llpVideo = s->ensureVideo({.filename = "abcdefghijk_30_40",
                                     .split = core::Split::Test,
                                     .durationMs = 10000,
                                     .mediaPath = shortFile_});
        p.noMedia = s->ensureVideo({.filename = "no_media_video"});
        return p;
    }

    workspace::test::ScratchDir dir_;
    fs::path encoders_, longFile_, shortFile_;
};

QTEST_GUILESS_MAIN(TestFeatureExtraction)
#include "tst_feature_extraction.moc"

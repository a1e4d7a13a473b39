// Imports into the store: the real LLP files (counts, anomalies, every ground-truth row
// kept, exported ground truth scores 100 on the ten AVVP scores), idempotent
// re-import, subsets of the six files, malformed input that leaves the store unchanged,
// feature folders in VALOR's layout and folders of videos.
#include <QObject>
#include <QTest>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "core/error.h"
#include "core/evaluation.h"
#include "core/features.h"
#include "core/formats/label_io.h"
#include "core/llp_dataset.h"
#include "core/npy.h"
#include "core/store/label_exchange.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"
#include "core/store/store_impl.h"
#include "store_test_util.h"

using namespace avvp;
using namespace avvp::store;
using namespace avvp::store::test;
namespace fs = std::filesystem;

namespace {

std::size_t count(const ImportReport& r, core::AnomalyKind k) {
    return static_cast<std::size_t>(
        std::count_if(r.anomalies.begin(), r.anomalies.end(),
                      [&](const core::Anomaly& a) { return a.kind == k; }));
}

const core::Anomaly* find(const ImportReport& r, core::AnomalyKind k, long line) {
    for (const auto& a : r.anomalies)
        if (a.kind == k && a.line == line) return &a;
    return nullptr;
}

// What a user sees of the store: videos with splits and weak labels, and all events.
std::string state(Store& s) {
    std::string out;
    for (const auto& v : s.videos())
        out += v.video.filename + " " + std::to_string(v.video.weak) + " " +
               (v.video.split ? std::string(core::splitName(*v.video.split)) : "-") + "\n";
    for (const auto& e : s.events(EventFilter{}))
        out += std::to_string(e.id) + " " + std::to_string(e.video) + " " + std::to_string(e.cls) +
               " " + std::to_string(e.onsetMs) + "-" + std::to_string(e.offsetMs) + "\n";
    return out;
}

}  // namespace

class TestStoreImport : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;
    fs::path dir() const { return fs::path(tmp_.path().toStdString()); }
    fs::path llpStore_;

  private slots:
    void initTestCase() {
        llpStore_ = dir() / "llp.avvpstore";
        auto s = Store::open(llpStore_);
        importLlp(*s, LlpFiles::inFolder(kLlp));
    }

    void realLlpFiles() {
        auto s = Store::open(dir() / "real.avvpstore");
        struct Stages : avvp::core::Progress {
            void report(double, std::string_view stage) override { list.emplace_back(stage); }
            std::vector<std::string> list;
        } progress;
        const auto& stages = progress.list;
        const auto r = importLlp(*s, LlpFiles::inFolder(kLlp), &progress);
        QVERIFY(!stages.empty());
        QCOMPARE(r.filesRead.size(), std::size_t{6});
        QCOMPARE(r.videosAdded, std::int64_t{11849});
        const auto info = s->info();
        QCOMPARE(info.videosPerSplit, (std::array<std::int64_t, 4>{10000, 649, 1200, 0}));
        // Every dense row naming a video, except the empty and reversed ones, is an event.
        const auto ds = core::loadLlpFolder(kLlp);
        std::size_t expected = 0;
        for (const auto& v : ds.videos)
            for (const auto* list : {&v.audio, &v.visual})
                for (const auto& e : *list) expected += e.offset > e.onset ? 1 : 0;
        QCOMPARE(info.eventsPerSource[0], static_cast<std::int64_t>(expected));
        QCOMPARE(r.eventsImported, static_cast<std::int64_t>(expected));
        // The anomalies of the files, with their lines.
        QCOMPARE(count(r, core::AnomalyKind::Overlap), std::size_t{23});
        QVERIFY(find(r, core::AnomalyKind::Reversed, 3770));
        QVERIFY(find(r, core::AnomalyKind::Orphan, 3790));  // 19jWnmYnlD8_30_400
        QCOMPARE(count(r, core::AnomalyKind::Orphan), std::size_t{25});
        QVERIFY(find(r, core::AnomalyKind::DuplicateClass, 894));
        // Overlapping rows are kept as they are (they union when scored).
        const auto v = *s->videoByName("Ishr8cHsJkc_180_190");
        QCOMPARE(v.split, std::optional(core::Split::Test));
        QCOMPARE(v.durationMs, std::int64_t{10000});
        QVERIFY(v.hasGroundTruth(core::Modality::Audio) &&
                v.hasGroundTruth(core::Modality::Visual));
        const auto train = *s->videoByName(ds.split(core::Split::Train).front()->filename);
        QVERIFY(!train.hasGroundTruth(core::Modality::Audio));
        QCOMPARE(train.weak, ds.split(core::Split::Train).front()->weak);
        QCOMPARE(s->integrityCheck(), std::string("ok"));
    }

    void reimportChangesNothing() {
        auto s = Store::open(llpStore_);
        const auto before = state(*s);
        RawDb watcher(llpStore_);
        const auto version = watcher.value("PRAGMA data_version");
        const auto r = importLlp(*s, LlpFiles::inFolder(kLlp));
        QVERIFY(!r.changed());
        QCOMPARE(r.videosAdded, std::int64_t{0});
        QCOMPARE(state(*s), before);                              // event ids included
        QCOMPARE(watcher.value("PRAGMA data_version"), version);  // nothing was written
    }

    // The checker's path in process: import, export LLP CSV, score with the AVVP scorer.
    void exportedGroundTruthScoresHundred() {
        auto s = Store::open(llpStore_);
        for (auto split : {core::Split::Test, core::Split::Val}) {
            const auto out = dir() / ("export_" + std::string(core::splitName(split)));
            const auto doc = exportLabels(*s, {.split = split});
            core::writeLabelFiles(core::LabelFormat::Llp, doc, out);
            const auto videos =
                core::videoNames(core::readWeakLabels(core::splitFile(kLlp, split)));
            const auto result = core::evaluateRows(
                videos, core::readDenseLabels(out / core::LlpFileNames::audio).rows,
                core::readDenseLabels(out / core::LlpFileNames::visual).rows,
                core::readDenseLabels(kLlp / core::LlpFileNames::audio).rows,
                core::readDenseLabels(kLlp / core::LlpFileNames::visual).rows);
            for (int m = 0; m < core::kNumMetrics; ++m) {
                QCOMPARE(result.dataset.segment[static_cast<std::size_t>(m)], 100.0);
                QCOMPARE(result.dataset.event[static_cast<std::size_t>(m)], 100.0);
            }
            // The split file lists the same videos in the same order.
            QCOMPARE(core::videoNames(core::readWeakLabels(core::splitFile(out, split))), videos);
        }
    }

    // The browser's filters against the same questions asked of the files directly.
    void videoFilters() {
        auto s = Store::open(llpStore_);
        const auto ds = core::loadLlpFolder(kLlp);
        std::size_t nonAligned = 0, dog = 0, visualDog = 0, test = 0;
        for (const auto& v : ds.videos) {
            std::array<std::array<std::vector<bool>, 2>, core::kNumClasses> cells{};
            for (int m = 0; m < 2; ++m)
                for (const auto& e : m == 0 ? v.audio : v.visual) {
                    auto& c = cells[static_cast<std::size_t>(e.cls)][static_cast<std::size_t>(m)];
                    c.resize(10);
                    for (int t = e.onset; t < e.offset; ++t) c[static_cast<std::size_t>(t)] = true;
                }
            bool differ = false, inVisual = false, inAny = core::hasClass(v.weak, 3);
            for (std::size_t c = 0; c < cells.size(); ++c) {
                auto a = cells[c][0], b = cells[c][1];
                a.resize(10);
                b.resize(10);
                differ = differ || a != b;
                if (c == 3) {
                    inVisual = std::find(b.begin(), b.end(), true) != b.end();
                    inAny = inAny || inVisual || std::find(a.begin(), a.end(), true) != a.end();
                }
            }
            nonAligned += differ ? 1 : 0;
            dog += inAny ? 1 : 0;
            visualDog += inVisual ? 1 : 0;
            test += v.split == core::Split::Test ? 1 : 0;
        }
        VideoFilter f;
        f.nonAlignedOnly = true;
        QCOMPARE(s->videos(f).size(), nonAligned);
        QVERIFY(nonAligned > 100);
        f = {};
        f.cls = 3;  // Dog
        QCOMPARE(s->videos(f).size(), dog);
        f.modality = core::Modality::Visual;
        QCOMPARE(s->videos(f).size(), visualDog);
        f = {};
        f.split = core::Split::Test;
        const auto tests = s->videos(f);
        QCOMPARE(tests.size(), test);
        int gtEvents = 0;
        for (const auto& v : tests) gtEvents += v.gtEvents[0] + v.gtEvents[1];
        QCOMPARE(static_cast<std::size_t>(gtEvents),
                 s->events({.split = core::Split::Test}).size());
        // Predictions: a run with probabilities for two test videos.
        const auto run =
            s->addRun({.name = "filters", .frameThreshold = 0.5F, .globalThreshold = 0.5F});
        std::vector<SegmentProbabilities> probs;
        for (std::size_t i = 0; i < 2; ++i)
            probs.push_back({tests[i].video.id, 10, std::vector<float>(500, 0.9F),
                             std::vector<float>(25, 0.9F)});
        s->putProbabilities(run, probs);
        f.hasPredictions = true;
        QCOMPARE(s->videos(f).size(), std::size_t{2});
        f.run = run;
        QCOMPARE(s->videos(f).size(), std::size_t{2});
        f.hasPredictions = false;
        QCOMPARE(s->videos(f).size(), test - 2);
        QCOMPARE(s->probabilities(run, core::Split::Test).size(), std::size_t{2});
        QCOMPARE(s->probabilities(run, core::Split::Val).size(), std::size_t{0});
        QCOMPARE(s->probabilities(run, tests[1].video.id)->frame, std::vector<float>(500, 0.9F));
        // Every cell on: one 0-10 s event per class and modality.
        QCOMPARE(s->events(tests[0].video.id, {.source = Source::Prediction}).size(),
                 std::size_t{50});
        s->deleteRun(run);
        QCOMPARE(s->events({.source = Source::Prediction}).size(), std::size_t{0});
    }

    void subsetsOfTheSixFiles() {
        auto s = Store::open(dir() / "subset.avvpstore");
        // The full list alone: videos without a split.
        auto r = importLlp(*s, {.full = kLlp / core::LlpFileNames::full});
        QCOMPARE(r.videosAdded, std::int64_t{11849});
        QCOMPARE(s->info().videosPerSplit[3], std::int64_t{11849});
        // Then the test split: those videos get their split; the weak labels stay.
        r = importLlp(*s, {.test = kLlp / core::LlpFileNames::test});
        QCOMPARE(r.videosAdded, std::int64_t{0});
        QCOMPARE(r.videosUpdated, std::int64_t{1200});
        // The visual file alone: ground truth for every test video (also those with no row)
        // and every other known video it names (here the val videos, known without a split).
        r = importLlp(*s, {.visual = kLlp / core::LlpFileNames::visual});
        std::set<std::string> covered;
        for (const auto& row : core::readWeakLabels(kLlp / core::LlpFileNames::test).rows)
            covered.insert(row.filename);
        for (const auto& row : core::readDenseLabels(kLlp / core::LlpFileNames::visual).rows)
            if (s->videoByName(row.filename)) covered.insert(row.filename);
        VideoFilter f;
        f.hasGroundTruth = true;
        QCOMPARE(s->videos(f).size(), covered.size());
        QVERIFY(covered.size() > 1200);
        QVERIFY(r.eventsImported > 0);
        QCOMPARE(s->info().eventsPerSource[0], r.eventsImported);
        QVERIFY_THROWS_EXCEPTION(core::InputError, importLlp(*s, {}));
        QVERIFY_THROWS_EXCEPTION(core::InputError, LlpFiles::inFolder(dir()));
    }

    // A second dataset in LLP layout (`avvp synth` output) imported into the LLP store:
    // its files are the ground truth of its own videos only.
    void secondDatasetLeavesTheOthersAlone() {
        const auto path = dir() / "two.avvpstore";
        fs::copy_file(llpStore_, path);
        auto s = Store::open(path);
        const auto before = s->info().eventsPerSource[0];
        const auto other = dir() / "other_llp";
        fs::create_directories(other);
        auto write = [&](const char* name, const char* text) {
            std::ofstream(other / name, std::ios::binary) << text;
        };
        write("AVVP_test_pd.csv", "filename\tevent_labels\nsynth000001_0_10\tDog\n");
        write("AVVP_eval_audio.csv",
              "filename\tonset\toffset\tevent_labels\nsynth000001_0_10\t1\t4\tDog\n");
        write("AVVP_eval_visual.csv",
              "filename\tonset\toffset\tevent_labels\nsynth000001_0_10\t2\t6\tDog\n");
        const auto r = importLlp(*s, LlpFiles::inFolder(other));
        QCOMPARE(r.videosAdded, std::int64_t{1});
        QCOMPARE(s->info().eventsPerSource[0], before + 2);
        QCOMPARE(s->events(s->videoByName("synth000001_0_10")->id).size(), std::size_t{2});
    }

    void malformedFilesLeaveTheStoreUnchanged() {
        const auto bad = dir() / "bad_llp";
        fs::create_directories(bad);
        for (const auto& e : fs::directory_iterator(kLlp))
            if (e.is_regular_file()) fs::copy_file(e.path(), bad / e.path().filename());
        // A good split file that would change the store, and a dense file broken on line 100.
        auto test = readAll(kLlp / core::LlpFileNames::test);
        test.insert(test.find('\n') + 1, "new_video_00_10\tDog\n");
        writeAll(bad / core::LlpFileNames::test, test);
        auto visual = readAll(kLlp / core::LlpFileNames::visual);
        std::size_t pos = 0;
        for (int line = 1; line < 100; ++line) pos = visual.find('\n', pos) + 1;
        const auto tab = visual.rfind('\t', visual.find('\n', pos));
        visual.replace(tab + 1, visual.find('\n', pos) - tab - 1, "Dogg");
        writeAll(bad / core::LlpFileNames::visual, visual);

        auto s = Store::open(llpStore_);
        const auto before = state(*s);
        try {
            importLlp(*s, LlpFiles::inFolder(bad));
            QFAIL("imported a malformed file");
        } catch (const core::InputError& e) {
            QCOMPARE(e.file(), (bad / core::LlpFileNames::visual).string());
            QCOMPARE(e.line(), 100L);
            QVERIFY(e.reason().find("Dogg") != std::string::npos);
        }
        QCOMPARE(state(*s), before);
        QVERIFY(!s->videoByName("new_video_00_10"));
    }

    void failureWhileWritingRollsBack() {
        auto s = Store::open(llpStore_);
        const auto before = state(*s);
        core::LabelDocument doc;
        auto& a = doc.video("-0A9suni5YA_30_40");
        a.covers = {true, false};
        auto& b = doc.video(std::string("bad\x01name"));
        b.covers = {true, false};
        QVERIFY_THROWS_EXCEPTION(EditError, importLabels(*s, doc, {.addVideos = true}));
        QCOMPARE(state(*s), before);  // a's ground truth was cleared, then rolled back
    }

    void featureFolderInValorLayout() {
        const auto root = dir() / "feats";
        auto s = Store::open(dir() / "feat.avvpstore");
        for (const char* name : {"aaaaaaaaaaa_0_10", "bbbbbbbbbbb_30_40", "ccccccccccc_5_15"})
            s->ensureVideo({.filename = name, .split = core::Split::Test});
        fs::create_directories(root / "audio");
        fs::create_directories(root / "clip" / "visual");
        std::vector<float> a(10 * 128, 0.5F), v(10 * 768, 0.25F);
        core::writeNpy(root / "audio" / "aaaaaaaaaaa.npy", a, {10, 128});
        core::writeNpy(root / "audio" / "bbbbbbbbbbb.npy", a, {10, 128});
        for (const char* id : {"aaaaaaaaaaa", "bbbbbbbbbbb", "ccccccccccc", "zzzzzzzzzzz"})
            core::writeNpy(root / "clip" / "visual" / (std::string(id) + ".npy"), v, {10, 768});
        const auto r = importFeatures(*s, root);
        QCOMPARE(r.featuresRecorded, std::int64_t{5});
        const auto fa = s->features(s->videoByName("aaaaaaaaaaa_0_10")->id);
        QCOMPARE(fa.size(), std::size_t{2});
        QCOMPARE(fa[0].kind, std::string("audio"));
        QCOMPARE(fa[0].shape, (std::vector<std::int64_t>{10, 128}));
        QCOMPARE(fa[1].kind, std::string("clip/visual"));
        QCOMPARE(fa[1].shape, (std::vector<std::int64_t>{10, 768}));
        QCOMPARE(count(r, core::AnomalyKind::Orphan), std::size_t{1});   // zzzzzzzzzzz
        QCOMPARE(count(r, core::AnomalyKind::Missing), std::size_t{1});  // c has no audio
        VideoFilter f;
        f.text = "ccc";
        QCOMPARE(s->videos(f).front().features, std::vector<std::string>{"clip/visual"});
        QVERIFY(!importFeatures(*s, root).changed());

        // A truncated .npy stops the import before any write.
        const auto before = state(*s);
        fs::create_directories(root / "motion");
        core::writeNpy(root / "motion" / "aaaaaaaaaaa.npy", a, {10, 128});
        const auto broken = root / "motion" / "bbbbbbbbbbb.npy";
        core::writeNpy(broken, a, {10, 128});
        fs::resize_file(broken, fs::file_size(broken) - 10);
        try {
            importFeatures(*s, root);
            QFAIL("imported a truncated .npy");
        } catch (const core::InputError& e) {
            QCOMPARE(e.file(), broken.string());
            QVERIFY2(e.reason().find("truncated") != std::string::npos, e.what());
        }
        QCOMPARE(s->features(s->videoByName("aaaaaaaaaaa_0_10")->id).size(), std::size_t{2});
        QCOMPARE(state(*s), before);
    }

    // The windows of a video longer than 10 s, as `avvp features` writes them
    // (<id>_0_10.npy, <id>_10_20.npy, ...): one record of window 0 with the shape
    // {windows, rows, dim}; a gap in the windows is reported, not recorded.
    void windowedFeatureFiles() {
        const auto root = dir() / "windowed";
        auto s = Store::open(dir() / "windowed.avvpstore");
        const auto own = s->ensureVideo({.filename = "my holiday", .durationMs = 24500});
        const auto gap = s->ensureVideo({.filename = "gappy", .durationMs = 30000});
        fs::create_directories(root / "audio");
        std::vector<float> a(64 * 16, 0.5F);
        for (const char* w : {"0_10", "10_20", "20_30"})
            core::writeNpy(root / "audio" / ("my holiday_" + std::string(w) + ".npy"), a, {64, 16});
        for (const char* w : {"0_10", "20_30"})
            core::writeNpy(root / "audio" / ("gappy_" + std::string(w) + ".npy"), a, {64, 16});
        core::writeNpy(root / "audio" / "stranger_0_10.npy", a, {64, 16});
        const auto r = importFeatures(*s, root);
        QCOMPARE(r.featuresRecorded, std::int64_t{1});
        const auto f = s->features(own);
        QCOMPARE(f.size(), std::size_t{1});
        QCOMPARE(f[0].shape, (std::vector<std::int64_t>{3, 64, 16}));
        QCOMPARE(fs::path(f[0].path).filename().string(), std::string("my holiday_0_10.npy"));
        QCOMPARE(core::featureWindowPath(f[0].path, 2),
                 (fs::absolute(root) / "audio" / "my holiday_20_30.npy").string());
        QVERIFY(s->features(gap).empty());
        QCOMPARE(count(r, core::AnomalyKind::Orphan), std::size_t{1});  // stranger
        bool reported = false;
        for (const auto& an : r.anomalies)
            reported = reported || an.detail.find("'gappy' are not recorded") != std::string::npos;
        QVERIFY(reported);
    }

    void videoFolder() {
        const auto media = dir() / "media";
        fs::create_directories(media);
        for (const char* f :
             {"aaaaaaaaaaa.mp4", "bbbbbbbbbbb_30_40.WEBM", "my holiday.mkv", "notes.txt"})
            writeAll(media / f, "x");
        auto s = Store::open(dir() / "media.avvpstore");
        for (const char* name : {"aaaaaaaaaaa_0_10", "bbbbbbbbbbb_30_40", "ccccccccccc_5_15"})
            s->ensureVideo({.filename = name, .split = core::Split::Val});
        auto r = importMedia(*s, media);
        QCOMPARE(r.mediaMatched, std::int64_t{2});
        QCOMPARE(s->videoByName("aaaaaaaaaaa_0_10")->mediaPath,
                 (fs::absolute(media) / "aaaaaaaaaaa.mp4").string());
        QCOMPARE(count(r, core::AnomalyKind::Orphan), std::size_t{1});  // my holiday.mkv
        QVERIFY(find(r, core::AnomalyKind::Missing, 0));                // ccccccccccc has none
        QVERIFY(!s->videoByName("my holiday"));
        r = importMedia(*s, media, true);
        QCOMPARE(r.videosAdded, std::int64_t{1});
        const auto mine = s->videoByName("my holiday");
        QVERIFY(mine && !mine->split);
        QVERIFY(!importMedia(*s, media, true).changed());
    }
};

QTEST_GUILESS_MAIN(TestStoreImport)
#include "tst_store_import.moc"

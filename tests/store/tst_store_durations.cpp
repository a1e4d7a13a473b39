// Videos of any length in the store (issue 16, items 1 and 5): real durations from real
// media files at import and relink (LLP clips stay 10 s, unreadable media is refused),
// events anywhere in [0, duration] accepted from every label format and from store edits
// and refused past the end (file:line, or an EditError that says why), a TextGrid of
// predictions that leaves the duration alone, the scorer over each video's own segments,
// and exports with real times (LLP CSV refuses a long video).
#include <QObject>
#include <QTest>

#include <cmath>
#include <fstream>

#include "core/error.h"
#include "core/evaluation.h"
#include "core/formats/label_io.h"
#include "core/media/label_video.h"
#include "core/media/media_info.h"
#include "core/prediction.h"
#include "core/store/label_exchange.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"
#include "core/store/store_evaluation.h"
#include "store_test_util.h"

using namespace avvp;
using namespace avvp::store;
using namespace avvp::store::test;
namespace fs = std::filesystem;

namespace {

// What the applications pass to importMedia: the media engine's duration.
std::int64_t probeMs(const fs::path& file) {
    return std::llround(media::probe(file).duration * 1000.0);
}

void render(const fs::path& file, double seconds,
            const std::vector<media::LabelSpan>& events = {}) {
    media::renderLabelVideo(file, events, seconds,
                            {.width = 64, .height = 36, .frameRate = 10, .sampleRate = 16000});
}

core::LabelEvent labelEvent(core::Modality m, int cls, std::int64_t on, std::int64_t off) {
    core::LabelEvent e;
    e.modality = m;
    e.cls = cls;
    e.onsetMs = on;
    e.offsetMs = off;
    return e;
}

const core::Anomaly* anomaly(const ImportReport& r, core::AnomalyKind k) {
    for (const auto& a : r.anomalies)
        if (a.kind == k) return &a;
    return nullptr;
}

std::optional<std::int64_t> rawDuration(const fs::path& store, const std::string& name) {
    RawDb db(store);
    const auto v = db.value(QStringLiteral("SELECT duration_ms FROM videos WHERE filename = '%1'")
                                .arg(QString::fromStdString(name)));
    if (v.isNull()) return std::nullopt;
    return v.toLongLong();
}

constexpr int kDog = 3;
constexpr int kCar = 1;

}  // namespace

class TestStoreDurations : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;
    fs::path dir() const { return fs::path(tmp_.path().toStdString()); }
    fs::path media_;  // 25 s, 10.5 s, 12 s and 4 s files and a broken one

  private slots:
    void initTestCase() {
        media_ = dir() / "media";
        fs::create_directories(media_ / "own");
        fs::create_directories(media_ / "llp");
        fs::create_directories(media_ / "other");
        render(media_ / "own" / "my_long_video.mp4", 25.0,
               {{core::Modality::Audio, kDog, 24000, 25000}});
        render(media_ / "own" / "short.mkv", 4.0);
        writeAll(media_ / "own" / "broken.mp4", "this is not a video, only text");
        // A file cut short of its declared duration (an interrupted download).
        render(media_ / "cut.mp4", 8.0);
        const auto whole = readAll(media_ / "cut.mp4");
        writeAll(media_ / "own" / "cut.mp4", whole.substr(0, whole.size() / 2));
        // An LLP clip whose media lasts a little longer than 10 s (codec padding).
        render(media_ / "llp" / "abcdefghijk_0_10.mp4", 10.5);
        render(media_ / "other" / "my_long_video.mkv", 12.0);
    }

    // Import ▸ Video Folder, "add as your own": every video gets its real duration; the
    // broken file is refused with its cause and adds nothing.
    void importedMediaGetsItsRealDuration() {
        const auto path = dir() / "own.avvpstore";
        auto s = Store::open(path);
        const auto r = importMedia(*s, media_ / "own", true, nullptr, probeMs);
        QCOMPARE(r.videosAdded, std::int64_t{2});
        QCOMPARE(rawDuration(path, "my_long_video"), std::optional<std::int64_t>(25000));
        QCOMPARE(s->videoByName("my_long_video")->segments(), 25);
        const auto shortMs = s->videoByName("short")->durationMs;
        QVERIFY2(std::abs(shortMs - 4000) <= 100, std::to_string(shortMs).c_str());
        QVERIFY(!s->videoByName("broken"));
        QVERIFY(!s->videoByName("cut"));
        std::vector<std::string> refused;
        for (const auto& a : r.anomalies)
            if (a.kind == core::AnomalyKind::Refused) {
                refused.push_back(fs::path(a.file).filename().string());
                QVERIFY2(a.detail.rfind("not imported: ", 0) == 0, a.detail.c_str());
                QVERIFY2(a.detail.find(a.file) == std::string::npos, a.detail.c_str());
            }
        QCOMPARE(refused, (std::vector<std::string>{"broken.mp4", "cut.mp4"}));
        // Importing again reads nothing anew and changes nothing.
        int probes = 0;
        const auto again = importMedia(*s, media_ / "own", true, nullptr, [&](const fs::path& p) {
            ++probes;
            return probeMs(p);
        });
        QVERIFY(!again.changed());
        QCOMPARE(probes, 2);  // only the refused files, which are still refused
    }

    // LLP clips stay 10 s whatever their media lasts (within a second); relinking media
    // (the same video, another file) reads the new file's duration; a store without a
    // probe (older callers) leaves durations alone.
    void llpClipsStayTenSecondsAndRelinkReadsTheNewFile() {
        const auto path = dir() / "relink.avvpstore";
        auto s = Store::open(path);
        s->ensureVideo({.filename = "abcdefghijk_0_10", .split = core::Split::Test});
        s->ensureVideo({.filename = "my_long_video"});
        QCOMPARE(rawDuration(path, "abcdefghijk_0_10"), std::nullopt);
        importMedia(*s, media_ / "llp", false, nullptr, probeMs);
        QCOMPARE(rawDuration(path, "abcdefghijk_0_10"), std::optional<std::int64_t>(10000));
        // Without a probe: media linked, duration still unknown.
        importMedia(*s, media_ / "other", false);
        QCOMPARE(rawDuration(path, "my_long_video"), std::nullopt);
        QVERIFY(!s->videoByName("my_long_video")->mediaPath.empty());
        // With one: the linked file of unknown duration is read.
        importMedia(*s, media_ / "other", false, nullptr, probeMs);
        const auto twelve = *rawDuration(path, "my_long_video");
        QVERIFY2(std::abs(twelve - 12000) <= 100, std::to_string(twelve).c_str());
        // Relinked to the 25 s file.
        const auto r = importMedia(*s, media_ / "own", false, nullptr, probeMs);
        QCOMPARE(r.videosUpdated, std::int64_t{1});
        QCOMPARE(rawDuration(path, "my_long_video"), std::optional<std::int64_t>(25000));
        QVERIFY(s->videoByName("my_long_video")->mediaPath.find("own") != std::string::npos);
        // The rule itself.
        Video clip;
        clip.filename = "abcdefghijk_0_10";
        QCOMPARE(mediaDurationMs(clip, 10990), std::int64_t{10000});
        QCOMPARE(mediaDurationMs(clip, 9500), std::int64_t{10000});
        QCOMPARE(mediaDurationMs(clip, 90000), std::int64_t{90000});  // not a 10 s clip
        Video own;
        own.filename = "my_long_video";
        QCOMPARE(mediaDurationMs(own, 10500), std::int64_t{10500});
        QCOMPARE(mediaDurationMs(own, 0), std::int64_t{0});
    }

    // Store edits (the GUI's Insert, drags): anywhere in [0, duration]; past the end an
    // EditError says why. An LLP clip of unknown duration ends at 10 s; another video of
    // unknown duration accepts any time.
    void editsAreCheckedAgainstTheRealDuration() {
        auto s = Store::open(dir() / "edits.avvpstore", {.annotator = "alice"});
        const auto longId = s->ensureVideo({.filename = "my_long_video", .durationMs = 25000});
        const auto clip =
            s->ensureVideo({.filename = "abcdefghijk_0_10", .split = core::Split::Test});
        const auto unknown = s->ensureVideo({.filename = "no media"});
        const auto added = s->apply(Edit::add(longId, core::Modality::Audio, kDog, 24000, 25000));
        QCOMPARE(s->event(added.events[0])->offsetMs, std::int64_t{25000});
        try {
            s->apply(Edit::add(longId, core::Modality::Audio, kDog, 24980, 25980));
            QFAIL("an event past the end was added");
        } catch (const EditError& e) {
            QCOMPARE(std::string(e.what()),
                     std::string("the event ends at 25.98 s, after the end of the video (25.0 s)"));
        }
        QVERIFY_THROWS_EXCEPTION(EditError, s->apply(Edit::move(added.events[0], 24500)));
        QVERIFY_THROWS_EXCEPTION(EditError, s->apply(Edit::resize(added.events[0], 20000, 25001)));
        s->apply(Edit::resize(added.events[0], 0, 25000));  // the whole video
        try {
            s->apply(Edit::add(clip, core::Modality::Visual, kDog, 9000, 11000));
            QFAIL("an event past the end of an LLP clip was added");
        } catch (const EditError& e) {
            QVERIFY2(std::string(e.what()).find("after the end of the video (10.0 s)") !=
                         std::string::npos,
                     e.what());
        }
        s->apply(Edit::add(unknown, core::Modality::Visual, kDog, 24000, 25000));
        QCOMPARE(s->events(unknown).size(), std::size_t{1});
    }

    // A run's probabilities of a video whose length is not whole seconds: the predicted
    // event of the last (partial) segment ends at the video's end, not past it.
    void predictionsEndAtTheEndOfTheVideo() {
        auto s = Store::open(dir() / "run.avvpstore", {.annotator = "alice"});
        const auto id = s->ensureVideo({.filename = "half_second", .durationMs = 24500});
        Run r;
        r.name = "run";
        const auto run = s->addRun(r);
        SegmentProbabilities p;
        p.video = id;
        p.segments = 25;
        p.frame.assign(core::frameSize(25), 0.0F);
        for (int t = 20; t < 25; ++t) p.frame[core::frameIndex(t, core::Modality::Audio, kDog)] = 1;
        p.global.assign(3 * core::kNumClasses, 1.0F);  // one gate per window
        s->putProbabilities(run, {p}, true);
        EventFilter f;
        f.source = Source::Prediction;
        const auto ev = s->events(id, f);
        QCOMPARE(ev.size(), std::size_t{1});
        QCOMPARE(ev[0].onsetMs, std::int64_t{20000});
        QCOMPARE(ev[0].offsetMs, std::int64_t{24500});
    }

    // Every label format: an event at 24-25 s is accepted for the 25 s video and refused
    // for a 10 s clip, naming the file and the event's line; nothing is written then.
    void everyFormatAcceptsTheWholeVideoAndRefusesPastTheEnd() {
        for (const auto& info : core::labelFormats()) {
            const std::string name(info.name);
            auto s = Store::open(dir() / ("fmt_" + name + ".avvpstore"));
            s->ensureVideo({.filename = "my_long_video", .durationMs = 25000});
            s->ensureVideo(
                {.filename = "abcdefghijk_0_10", .split = core::Split::Test, .durationMs = 10000});
            for (const std::string video : {"my_long_video", "abcdefghijk_0_10"}) {
                core::LabelDocument doc;
                auto& v = doc.video(video);
                v.covers = {true, false};
                v.events = {labelEvent(core::Modality::Audio, kDog, 24000, 25000)};
                const auto out = dir() / ("files_" + name + "_" + video);
                const auto target = info.format == core::LabelFormat::Json ? out / "l.json" : out;
                if (info.format == core::LabelFormat::Llp) {
                    // Our LLP writer refuses rows past 10 s; a foreign file may hold them.
                    fs::create_directories(out);
                    writeAll(out / "AVVP_eval_audio.csv",
                             "filename\tonset\toffset\tevent_labels\n" + video + "\t24\t25\tDog\n");
                } else {
                    core::writeLabelFiles(info.format, doc, target);
                }
                const auto read = core::readLabelFiles(info.format, {target});
                const auto before = s->events(EventFilter{}).size();
                if (video == "my_long_video") {
                    const auto r = importLabels(*s, read, {});
                    QVERIFY2(r.eventsImported == 1, name.c_str());
                    const auto got = s->events(s->videoByName(video)->id);
                    QCOMPARE(got.size(), std::size_t{1});
                    QCOMPARE(got[0].offsetMs, std::int64_t{25000});
                    continue;
                }
                try {
                    importLabels(*s, read, {});
                    QFAIL(("no error from " + name).c_str());
                } catch (const core::InputError& e) {
                    const auto& ev = read.videos.front().events.front();
                    QVERIFY2(ev.line > 0, name.c_str());
                    QCOMPARE(e.line(), ev.line);
                    QVERIFY2(e.file().find("files_" + name) != std::string::npos, e.what());
                    QVERIFY2(std::string(e.what()).find(
                                 "ends at 25.0 s, after the end of the video (10.0 s)") !=
                                 std::string::npos,
                             e.what());
                }
                QCOMPARE(s->events(EventFilter{}).size(), before);
            }
        }
    }

    // A TextGrid of a model's predictions names its own xmax: it never changes the
    // video's duration (known or unknown); ground truth for a video of unknown duration
    // without media gives it one.
    void textGridPredictionsLeaveTheDurationAlone() {
        const auto path = dir() / "tg.avvpstore";
        auto s = Store::open(path);
        s->ensureVideo({.filename = "my_long_video", .durationMs = 25000});
        s->ensureVideo({.filename = "no media"});
        for (const std::string video : {"my_long_video", "no media"}) {
            core::LabelDocument doc;
            auto& v = doc.video(video);
            v.covers = {true, true};
            v.durationMs = 20000;
            v.events = {labelEvent(core::Modality::Visual, kCar, 1000, 2000)};
            const auto out = dir() / ("tg_" + std::to_string(video.size()));
            core::writeLabelFiles(core::LabelFormat::TextGrid, doc, out);
            const auto read = core::readLabelFiles(core::LabelFormat::TextGrid, {out});
            QCOMPARE(read.videos.front().durationMs, std::int64_t{20000});
            const auto r =
                importLabels(*s, read, {.source = Source::Prediction, .run = "external"});
            QCOMPARE(r.eventsImported, std::int64_t{1});
        }
        QCOMPARE(rawDuration(path, "my_long_video"), std::optional<std::int64_t>(25000));
        QCOMPARE(rawDuration(path, "no media"), std::nullopt);
        // The same file as ground truth: the 25 s video keeps its own (a note says so),
        // the video of unknown length takes the file's.
        core::LabelDocument gt;
        for (const std::string video : {"my_long_video", "no media"}) {
            auto& v = gt.video(video);
            v.covers = {true, true};
            v.durationMs = 20000;
            v.file = "gt.json";
        }
        const auto r = importLabels(*s, gt, {});
        QCOMPARE(rawDuration(path, "my_long_video"), std::optional<std::int64_t>(25000));
        QCOMPARE(rawDuration(path, "no media"), std::optional<std::int64_t>(20000));
        const auto* note = anomaly(r, core::AnomalyKind::Ignored);
        QVERIFY(note);
        QVERIFY2(note->detail.find("keeps its own") != std::string::npos, note->detail.c_str());
    }

    // The scorer over the store: a 25 s video is scored over its 25 segments and the
    // score names the any-length protocol (also in its record); LLP clips keep the LLP
    // protocol.
    void evaluationScoresEachVideoOverItsOwnSegments() {
        auto s = Store::open(dir() / "eval.avvpstore");
        const auto longId = s->ensureVideo(
            {.filename = "my_long_video", .split = std::nullopt, .durationMs = 25000});
        const auto clip = s->ensureVideo(
            {.filename = "abcdefghijk_0_10", .split = core::Split::Test, .durationMs = 10000});
        s->replaceEvents(longId, core::Modality::Audio, Source::GroundTruth,
                         {{core::Modality::Audio, kDog, 20000, 25000}});
        s->replaceEvents(longId, core::Modality::Visual, Source::GroundTruth, {});
        s->replaceEvents(clip, core::Modality::Audio, Source::GroundTruth,
                         {{core::Modality::Audio, kDog, 0, 5000}});
        s->replaceEvents(clip, core::Modality::Visual, Source::GroundTruth, {});
        const auto run = s->addRun({.name = "r"});
        s->replaceEvents(longId, core::Modality::Audio, Source::Prediction,
                         {{core::Modality::Audio, kDog, 10000, 12000},
                          {core::Modality::Audio, kDog, 20000, 25000}},
                         run);
        s->replaceEvents(clip, core::Modality::Audio, Source::Prediction,
                         {{core::Modality::Audio, kDog, 0, 5000}}, run);
        LabelSelection sel;
        sel.source = Source::Prediction;
        sel.run = run;
        sel.videos = {"my_long_video"};
        const auto e = evaluateSelection(*s, sel);
        QCOMPARE(e.result.protocol, std::string(core::kAvvpAnyLengthProtocol));
        QCOMPARE(e.result.maxSegments, 25);
        // Segment audio: TP 5, FP 2 -> F = 10/12.
        QVERIFY(std::abs(e.result.perVideo[0].segment[core::kAudio] - 10.0 / 12) < 1e-12);
        QCOMPARE(evaluationRecord(e, sel).protocol, std::string(core::kAvvpAnyLengthProtocol));
        sel.videos = {"abcdefghijk_0_10"};
        const auto llp = evaluateSelection(*s, sel);
        QCOMPARE(llp.result.protocol, std::string(core::kAvvpProtocol));
        QCOMPARE(evaluationRecord(llp, sel).protocol, std::string(core::kAvvpProtocol));
    }

    // Exports of a 25 s video carry real times and its duration; every format but LLP
    // CSV comes back into a fresh store the same; LLP CSV refuses it by name.
    void exportsOfALongVideoRoundTrip() {
        auto s = Store::open(dir() / "export.avvpstore");
        const auto id = s->ensureVideo({.filename = "my_long_video", .durationMs = 25000});
        s->replaceEvents(id, core::Modality::Audio, Source::GroundTruth,
                         {{core::Modality::Audio, kDog, 24000, 25000}});
        s->replaceEvents(id, core::Modality::Visual, Source::GroundTruth,
                         {{core::Modality::Visual, kCar, 12340, 24980}});
        const auto doc = exportLabels(*s, {});
        QCOMPARE(doc.videos.front().durationMs, std::int64_t{25000});
        for (const auto& info : core::labelFormats()) {
            const std::string name(info.name);
            const auto out = dir() / ("export_" + name);
            const auto target = info.format == core::LabelFormat::Json ? out / "l.json" : out;
            if (info.format == core::LabelFormat::Llp) {
                try {
                    core::writeLabelFiles(info.format, doc, target);
                    QFAIL("LLP CSV wrote a 25 s video");
                } catch (const core::InputError& e) {
                    QVERIFY2(std::string(e.what()).find("'my_long_video' is 25 s long") !=
                                 std::string::npos,
                             e.what());
                }
                QVERIFY(!fs::exists(out));
                continue;
            }
            core::writeLabelFiles(info.format, doc, target);
            auto fresh = Store::open(dir() / ("back_" + name + ".avvpstore"));
            if (info.format != core::LabelFormat::TextGrid &&
                info.format != core::LabelFormat::Json)
                fresh->ensureVideo({.filename = "my_long_video", .durationMs = 25000});
            importLabels(*fresh, core::readLabelFiles(info.format, {target}), {.addVideos = true});
            const auto v = fresh->videoByName("my_long_video");
            QVERIFY2(v, name.c_str());
            QCOMPARE(v->durationMs, std::int64_t{25000});
            const auto events = fresh->events(v->id);
            QCOMPARE(events.size(), std::size_t{2});
            std::vector<std::int64_t> times;
            for (const auto& e : events) {
                times.push_back(e.onsetMs);
                times.push_back(e.offsetMs);
            }
            std::sort(times.begin(), times.end());
            QCOMPARE(times, (std::vector<std::int64_t>{12340, 24000, 24980, 25000}));
        }
    }
};

QTEST_GUILESS_MAIN(TestStoreDurations)
#include "tst_store_durations.moc"

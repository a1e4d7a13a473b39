// Labels between the store and every file format: the LLP ground truth goes out and
// comes back into a new store unchanged (as unions of intervals; tier formats merge
// overlaps), predictions and corrections import under their run and annotator, a JSON
// export of every source with provenance reproduces itself byte for byte, and importing
// the same files again changes nothing.
#include <QObject>
#include <QTest>

#include <map>

#include "core/error.h"
#include "core/formats/label_io.h"
#include "core/store/final_labels.h"
#include "core/store/label_exchange.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"
#include "store_test_util.h"

using namespace avvp;
using namespace avvp::store;
using namespace avvp::store::test;
namespace fs = std::filesystem;

namespace {

// Per video: the events as unions per modality and class (what every format keeps).
std::map<std::string, std::vector<core::LabelEvent>> unions(core::LabelDocument doc) {
    std::map<std::string, std::vector<core::LabelEvent>> out;
    for (auto& v : doc.videos) {
        core::mergeOverlaps(v.events);
        out[v.filename] = v.events;
    }
    return out;
}

bool sameUnions(const core::LabelDocument& a, const core::LabelDocument& b) {
    const auto ua = unions(a), ub = unions(b);
    if (ua.size() != ub.size()) return false;
    for (const auto& [name, ev] : ua) {
        const auto it = ub.find(name);
        if (it == ub.end() || it->second.size() != ev.size()) return false;
        for (std::size_t i = 0; i < ev.size(); ++i)
            if (!ev[i].sameLabel(it->second[i])) return false;
    }
    return true;
}

core::LabelEvent labelEvent(core::Modality m, int cls, std::int64_t onsetMs,
                            std::int64_t offsetMs) {
    core::LabelEvent e;
    e.modality = m;
    e.cls = cls;
    e.onsetMs = onsetMs;
    e.offsetMs = offsetMs;
    return e;
}

}  // namespace

class TestLabelExchange : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;
    fs::path dir() const { return fs::path(tmp_.path().toStdString()); }
    std::unique_ptr<Store> llp_;
    std::vector<std::string> videos_;  // a sample of the test split with its oddities

  private slots:
    void initTestCase() {
        llp_ = Store::open(dir() / "llp.avvpstore", {.annotator = "alice"});
        importLlp(*llp_, LlpFiles::inFolder(kLlp));
        VideoFilter f;
        f.split = core::Split::Test;
        for (const auto& v : llp_->videos(f))
            if (videos_.size() < 40 || v.video.filename == "Ishr8cHsJkc_180_190")
                videos_.push_back(v.video.filename);
    }

    void groundTruthThroughEveryFormat() {
        const auto original = exportLabels(*llp_, {.split = core::Split::Test, .videos = videos_});
        QCOMPARE(original.videos.size(), videos_.size());
        for (const auto& info : core::labelFormats()) {
            const std::string name(info.name);
            const auto out = info.format == core::LabelFormat::Json ? dir() / name / "labels.json"
                                                                    : dir() / name;
            core::writeLabelFiles(info.format, original, out);
            const auto doc = core::readLabelFiles(info.format, {out});
            auto fresh = Store::open(dir() / ("fmt_" + name + ".avvpstore"));
            const auto r = importLabels(*fresh, doc, {.addVideos = true});
            QVERIFY2(r.videosAdded > 0, name.c_str());
            const auto back = exportLabels(*fresh, {.videos = {}});
            QVERIFY2(sameUnions(original, back), name.c_str());
            // The same files again: nothing changes.
            QVERIFY2(!importLabels(*fresh, core::readLabelFiles(info.format, {out}), {}).changed(),
                     name.c_str());
            if (info.format == core::LabelFormat::Json || info.format == core::LabelFormat::Llp) {
                const auto v = fresh->videoByName("Ishr8cHsJkc_180_190");
                QCOMPARE(v->split, std::optional(core::Split::Test));
                QCOMPARE(v->weak, llp_->videoByName("Ishr8cHsJkc_180_190")->weak);
            }
        }
    }

    void predictionsAndCorrectionsKeepTheirProvenance() {
        auto s = Store::open(dir() / "prov.avvpstore", {.annotator = "carol"});
        const auto gt = exportLabels(*llp_, {.split = core::Split::Test, .videos = videos_});
        importLabels(*s, gt, {.addVideos = true});
        // Someone's predictions as DCASE files become a run.
        const auto out = dir() / "dcase_pred";
        core::writeLabelFiles(core::LabelFormat::Dcase, gt, out);
        const auto doc =
            core::readLabelFiles(core::LabelFormat::Dcase, {out / "audio.tsv", out / "visual.tsv"});
        const LabelImportOptions noRun{.source = Source::Prediction};
        QVERIFY_THROWS_EXCEPTION(core::InputError, importLabels(*s, doc, noRun));
        importLabels(*s, doc, {.source = Source::Prediction, .run = "external"});
        const auto run = s->runByName("external");
        QVERIFY(run);
        const auto preds = s->events({.source = Source::Prediction, .run = run->id});
        QCOMPARE(preds.size(), s->events({.source = Source::GroundTruth}).size());
        // Corrections by dave, from an Audacity track of one video.
        const auto v = videos_.front();
        const auto aud = dir() / "aud";
        fs::create_directories(aud);
        writeAll(aud / (v + ".audio.txt"), "1.25\t2.5\tDog\n");
        importLabels(*s, core::readLabelFiles(core::LabelFormat::Audacity, {aud}),
                     {.source = Source::Correction, .annotator = "dave"});
        const auto corr = s->events({.source = Source::Correction});
        QCOMPARE(corr.size(), std::size_t{1});
        QCOMPARE(corr[0].annotator, std::string("dave"));
        QCOMPARE(corr[0].onsetMs, std::int64_t{1250});
        // carol edits; everything goes out as JSON with provenance and comes back the same.
        s->apply(Edit::add(s->videoByName(v)->id, core::Modality::Visual, 3, 0, 1500));
        s->apply(Edit::accept(preds[0].id));
        const auto json1 = dir() / "all1.json";
        core::writeLabelFiles(core::LabelFormat::Json, exportLabels(*s, {.source = std::nullopt}),
                              json1);
        auto copy = Store::open(dir() / "copy.avvpstore");
        importLabels(*copy, core::readLabelFiles(core::LabelFormat::Json, {json1}),
                     {.addVideos = true});
        const auto json2 = dir() / "all2.json";
        core::writeLabelFiles(core::LabelFormat::Json,
                              exportLabels(*copy, {.source = std::nullopt}), json2);
        QCOMPARE(readAll(json2), readAll(json1));
        QVERIFY(
            readAll(json1).find(
                "\"source\": \"correction\", \"run\": \"external\", \"annotator\": \"carol\"") !=
            std::string::npos);
    }

    // Issue 17, item 10: the final labels are the ground truth with the accepted
    // corrections applied, in every format.
    void finalLabelsApplyTheAcceptedCorrections() {
        auto s = Store::open(dir() / "final.avvpstore", {.annotator = "carol"});
        core::LabelDocument doc;
        auto& lv = doc.video("vid_final");
        lv.durationMs = 10000;
        lv.covers = {true, true};
        lv.events = {labelEvent(core::Modality::Audio, 0, 0, 2000),
                     labelEvent(core::Modality::Visual, 1, 0, 3000)};
        importLabels(*s, doc, {.addVideos = true});
        // A run predicts four events: one accepted, one accepted and then rejected, one
        // rejected, one left alone.
        core::LabelDocument pred;
        auto& pv = pred.video("vid_final");
        for (int c = 2; c < 6; ++c)
            pv.events.push_back(labelEvent(core::Modality::Audio, c, 1000 * c, 1000 * c + 1000));
        importLabels(*s, pred, {.source = Source::Prediction, .run = "r"});
        auto preds = s->events({.source = Source::Prediction});
        std::sort(preds.begin(), preds.end(),
                  [](const Event& a, const Event& b) { return a.cls < b.cls; });
        QCOMPARE(preds.size(), std::size_t{4});
        s->apply(Edit::accept(preds[0].id));  // class 2: counts
        s->apply(Edit::accept(preds[1].id));  // class 3: accepted, then rejected
        s->apply(Edit::reject(preds[1].id));
        s->apply(Edit::reject(preds[2].id));  // class 4: rejected
        const auto id = s->videoByName("vid_final")->id;
        // Drawn by hand: a new visual event, and one the same as a ground-truth event.
        s->apply(Edit::add(id, core::Modality::Visual, 7, 4000, 6000));
        s->apply(Edit::add(id, core::Modality::Audio, 0, 0, 2000));

        const auto final = exportLabels(*s, {.finalLabels = true});
        QCOMPARE(final.videos.size(), std::size_t{1});
        std::vector<std::tuple<int, int, std::int64_t, std::int64_t>> got;
        for (const auto& e : final.videos[0].events)
            got.emplace_back(static_cast<int>(e.modality), e.cls, e.onsetMs, e.offsetMs);
        std::sort(got.begin(), got.end());
        const std::vector<std::tuple<int, int, std::int64_t, std::int64_t>> expected = {
            {0, 0, 0, 2000}, {0, 2, 2000, 3000}, {1, 1, 0, 3000}, {1, 7, 4000, 6000}};
        QCOMPARE(got, expected);
        // Only dave's corrections: none, the ground truth alone.
        QCOMPARE(exportLabels(*s, {.annotator = "dave", .finalLabels = true}).eventCount(),
                 std::size_t{2});
        // Every format carries them.
        for (const auto& info : core::labelFormats()) {
            const std::string name(info.name);
            const auto out = info.format == core::LabelFormat::Json
                                 ? dir() / ("final_" + name) / "labels.json"
                                 : dir() / ("final_" + name);
            core::writeLabelFiles(info.format, final, out);
            QVERIFY2(sameUnions(final, core::readLabelFiles(info.format, {out})), name.c_str());
        }
    }

    // A ground-truth row stored twice (LLP's files hold some) is one label of the final
    // labels, as a correction the same as a ground-truth event is: the export writes it
    // once, and the per-video final events (what adjudication's lanes are) agree.
    void finalLabelsHoldADuplicateGroundTruthRowOnce() {
        auto s = Store::open(dir() / "final_dup.avvpstore", {.annotator = "erin"});
        core::LabelDocument doc;
        auto& lv = doc.video("vid_dup");
        lv.durationMs = 10000;
        lv.covers = {true, true};
        lv.events = {labelEvent(core::Modality::Audio, 4, 0, 2000),
                     labelEvent(core::Modality::Audio, 4, 0, 2000),
                     labelEvent(core::Modality::Visual, 1, 1000, 3000)};
        importLabels(*s, doc, {.addVideos = true});
        QCOMPARE(s->events({.source = Source::GroundTruth}).size(), std::size_t{3});
        const auto id = s->videoByName("vid_dup")->id;
        s->apply(Edit::add(id, core::Modality::Audio, 4, 0, 2000));  // the same again
        s->apply(Edit::add(id, core::Modality::Visual, 2, 5000, 6000));

        QCOMPARE(exportLabels(*s, {.finalLabels = true}).eventCount(), std::size_t{3});
        QCOMPARE(exportLabels(*s, {.annotator = "nobody", .finalLabels = true}).eventCount(),
                 std::size_t{2});
        const auto events = finalEvents(*s, id, std::string("erin"));
        QCOMPARE(events.size(), std::size_t{3});
        QCOMPARE(finalEvents(*s, id, std::string("nobody")).size(), std::size_t{2});
        QCOMPARE(finalEvents(*s, id, std::nullopt).size(), std::size_t{3});
        const auto bySplit = finalEvents(*s, std::optional<core::Split>{}, std::string("erin"));
        QCOMPARE(bySplit.size(), std::size_t{1});
        QCOMPARE(bySplit.at(id).size(), events.size());
    }

    // ELAN / TextGrid without their empty tiers read back to the same events and the same
    // coverage: a covered modality without events keeps one empty tier named after it, so
    // an import still clears it; a modality not covered gets no tier and is left alone.
    void omittedEmptyTiersReadBackTheSame() {
        core::LabelDocument doc;
        auto& both = doc.video("both");  // audio covered, no audio event
        both.durationMs = 10000;
        both.covers = {true, true};
        both.events = {labelEvent(core::Modality::Visual, 3, 0, 1000),
                       labelEvent(core::Modality::Visual, 9, 0, 2500)};
        auto& onlyVisual = doc.video("only_visual");  // audio not covered
        onlyVisual.durationMs = 10000;
        onlyVisual.covers = {false, true};
        onlyVisual.events = {labelEvent(core::Modality::Visual, 4, 500, 1000)};
        auto& nothing = doc.video("nothing");
        nothing.durationMs = 10000;
        nothing.covers = {false, false};
        for (auto format : {core::LabelFormat::Eaf, core::LabelFormat::TextGrid}) {
            const std::string name(core::labelFormatInfo(format).name);
            const auto out = dir() / ("omit_" + name);
            core::writeLabelFiles(format, doc, out, nullptr, {.omitEmptyTiers = true});
            const auto file = out / ("both" + std::string(core::labelFormatInfo(format).extension));
            const auto text = readAll(file);
            QVERIFY2(text.find("audio/Speech") == std::string::npos, name.c_str());
            QVERIFY2(text.find("visual/") != std::string::npos, name.c_str());
            const auto back = core::readLabelFiles(format, {out});
            QVERIFY2(sameUnions(doc, back), name.c_str());
            for (const auto& v : doc.videos) {
                const auto* b = back.find(v.filename);
                QVERIFY(b);
                QVERIFY2(b->covers == v.covers, (name + " " + v.filename).c_str());
            }
            // Importing it over a store with audio events of "both" and "only_visual":
            // those of "both" go (covered, none in the file), those of "only_visual" stay.
            auto s = Store::open(dir() / ("omit_" + name + ".avvpstore"));
            core::LabelDocument before = doc;
            for (auto& v : before.videos) {
                v.covers = {true, true};
                v.events.push_back(labelEvent(core::Modality::Audio, 1, 0, 900));
            }
            importLabels(*s, before, {.addVideos = true});
            importLabels(*s, back, {});
            QCOMPARE(
                s->events({.video = s->videoByName("both")->id, .modality = core::Modality::Audio})
                    .size(),
                std::size_t{0});
            QCOMPARE(s->events({.video = s->videoByName("only_visual")->id,
                                .modality = core::Modality::Audio})
                         .size(),
                     std::size_t{1});
            QCOMPARE(s->events({.video = s->videoByName("nothing")->id}).size(), std::size_t{1});
        }
        // The LLP test split: 4 of 50 tiers per file instead of 50.
        const auto gt = exportLabels(*llp_, {.split = core::Split::Test, .videos = videos_});
        const auto out = dir() / "omit_llp_eaf";
        core::writeLabelFiles(core::LabelFormat::Eaf, gt, out, nullptr, {.omitEmptyTiers = true});
        QVERIFY(sameUnions(gt, core::readLabelFiles(core::LabelFormat::Eaf, {out})));
    }

    // The weak-label files of an LLP export can follow its dense events; weak labels in a
    // file of predictions never change the store's (ground-truth) weak labels.
    void llpWeakLabelsFollowTheEvents() {
        auto s = Store::open(dir() / "weak.avvpstore");
        const auto gt = exportLabels(*llp_, {.split = core::Split::Test, .videos = videos_});
        importLabels(*s, gt, {.addVideos = true});
        // A "model" that predicts only the audio events.
        core::LabelDocument pred = gt;
        for (auto& v : pred.videos) {
            std::erase_if(v.events, [](const core::LabelEvent& e) {
                return e.modality != core::Modality::Audio;
            });
            v.weak.reset();
        }
        importLabels(*s, pred, {.source = Source::Prediction, .run = "audio_only"});
        const auto run = s->runByName("audio_only")->id;
        const auto exported = exportLabels(*s, {.source = Source::Prediction, .run = run});
        const auto out = dir() / "weak_llp";
        core::writeLabelFiles(core::LabelFormat::Llp, exported, out, nullptr,
                              {.weakFromEvents = true});
        const auto back = core::readLabelFiles(core::LabelFormat::Llp, {out});
        int differs = 0;
        for (const auto& v : back.videos) {
            core::ClassSet dense = 0;
            for (const auto& e : v.events) dense |= core::ClassSet{1} << e.cls;
            QVERIFY(v.weak);
            QCOMPARE(*v.weak, dense);
            if (*v.weak != s->videoByName(v.filename)->weak) ++differs;
        }
        QVERIFY(differs > 0);  // the ground truth's weak labels were not written
        // Importing that folder as predictions leaves the weak labels alone.
        std::map<std::string, core::ClassSet> weakBefore;
        for (const auto& v : s->videos({})) weakBefore[v.video.filename] = v.video.weak;
        importLabels(*s, back, {.source = Source::Prediction, .run = "again"});
        for (const auto& v : s->videos({})) QCOMPARE(v.video.weak, weakBefore[v.video.filename]);
    }
};

QTEST_GUILESS_MAIN(TestLabelExchange)
#include "tst_label_exchange.moc"

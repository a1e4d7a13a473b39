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
};

QTEST_GUILESS_MAIN(TestLabelExchange)
#include "tst_label_exchange.moc"

// Adjudication (issue 18, item 4): two annotators' lanes of a video, agreed labels kept,
// picks respected, the set saved with its provenance as one undoable edit.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "app/workspace/adjudication.h"
#include "core/error.h"
#include "workspace_test_util.h"

using namespace avvp;
using workspace::Side;
using M = core::Modality;

namespace {

constexpr int kDog = 3;
constexpr int kCat = 4;
constexpr int kSpeech = 0;

store::NewEvent ev(M m, int cls, int on, int off) {
    return {m, cls, on * 1000LL, off * 1000LL};
}

std::vector<std::tuple<int, int, std::int64_t, std::int64_t>> labels(
    const std::vector<workspace::AdjudicatedEvent>& events) {
    std::vector<std::tuple<int, int, std::int64_t, std::int64_t>> out;
    for (const auto& e : events)
        out.emplace_back(static_cast<int>(e.modality), e.cls, e.onsetMs / 1000, e.offsetMs / 1000);
    return out;
}

}  // namespace

class TestAdjudication : public QObject {
    Q_OBJECT

    std::unique_ptr<workspace::test::ScratchDir> dir_;
    std::filesystem::path path_;
    store::VideoId video_ = 0;

  private slots:
    void initTestCase() { workspace::test::initTest("tst_adjudication"); }

    // Ground truth: Speech heard 0-10 s. alice: Dog seen 1-2 s, Cat heard 5-7 s. bob: Dog
    // seen 1-4 s, Cat heard 5-7 s (agreed with alice), Speech seen 8-9 s.
    void init() {
        dir_ = std::make_unique<workspace::test::ScratchDir>();
        path_ = *dir_ / "team.avvpstore";
        store::Store::Options o;
        o.annotator = "carol";
        auto s = store::Store::open(path_, o);
        video_ = s->ensureVideo({"KSRjje7GH44_60_70", core::Split::Test, 10000, ""});
        s->replaceEvents(video_, M::Audio, store::Source::GroundTruth,
                         {ev(M::Audio, kSpeech, 0, 10)});
        s->replaceEvents(video_, M::Visual, store::Source::GroundTruth, {});
        s->replaceEvents(video_, M::Visual, store::Source::Correction, {ev(M::Visual, kDog, 1, 2)},
                         {}, "alice");
        s->replaceEvents(video_, M::Audio, store::Source::Correction, {ev(M::Audio, kCat, 5, 7)},
                         {}, "alice");
        s->replaceEvents(video_, M::Visual, store::Source::Correction,
                         {ev(M::Visual, kDog, 1, 4), ev(M::Visual, kSpeech, 8, 9)}, {}, "bob");
        s->replaceEvents(video_, M::Audio, store::Source::Correction, {ev(M::Audio, kCat, 5, 7)},
                         {}, "bob");
    }
    void cleanup() { dir_.reset(); }

    void lanesAndDisagreements() {
        auto s = store::Store::open(path_);
        const auto lane = workspace::annotatorLane(*s, video_, "alice");
        QCOMPARE(lane.size(), std::size_t{3});  // Speech (ground truth), Cat, Dog
        const auto adj = workspace::prepareAdjudication(*s, video_, "alice", "bob");
        int agreed = 0, open = 0;
        for (const auto& item : adj.items) (item.agreed ? agreed : open)++;
        QCOMPARE(agreed, 2);  // Speech heard, Cat heard
        QCOMPARE(open, 2);    // Dog seen 1-2 | 1-4, Speech seen - | 8-9
    }

    void agreedKeptAndPreferenceStands() {
        auto s = store::Store::open(path_);
        const auto a = workspace::prepareAdjudication(*s, video_, "alice", "bob", Side::A);
        using T = std::tuple<int, int, std::int64_t, std::int64_t>;
        const std::vector<T> preferA = {T{0, kSpeech, 0, 10}, T{0, kCat, 5, 7}, T{1, kDog, 1, 2}};
        QVERIFY(labels(workspace::adjudicatedEvents(a)) == preferA);
        const auto b = workspace::prepareAdjudication(*s, video_, "alice", "bob", Side::B);
        const std::vector<T> preferB = {T{0, kSpeech, 0, 10}, T{0, kCat, 5, 7}, T{1, kSpeech, 8, 9},
                                        T{1, kDog, 1, 4}};
        QVERIFY(labels(workspace::adjudicatedEvents(b)) == preferB);
    }

    void picksRespected() {
        auto s = store::Store::open(path_);
        auto adj = workspace::prepareAdjudication(*s, video_, "alice", "bob", Side::A);
        store::EventFilter f;
        f.source = store::Source::Correction;
        f.annotator = "bob";
        f.modality = M::Visual;
        const auto bobs = s->events(video_, f);
        const auto bobDog = std::find_if(bobs.begin(), bobs.end(),
                                         [](const store::Event& e) { return e.cls == kDog; });
        workspace::pickEvent(adj, bobDog->id);
        const auto out = workspace::adjudicatedEvents(adj);
        using T = std::tuple<int, int, std::int64_t, std::int64_t>;
        const std::vector<T> want = {T{0, kSpeech, 0, 10}, T{0, kCat, 5, 7}, T{1, kDog, 1, 4}};
        QVERIFY(labels(out) == want);
        QCOMPARE(out.back().from, std::string("bob"));
        QCOMPARE(out.back().fromEvent, bobDog->id);
        // An id of neither lane is refused.
        QVERIFY_THROWS_EXCEPTION(core::InputError, workspace::pickEvent(adj, 999999));
        // A cell pick: bob's Speech seen at 8 s, alice's (no) Dog at 3 s.
        workspace::pickCell(adj, {M::Visual, kSpeech, 8, Side::B});
        workspace::pickCell(adj, {M::Visual, kDog, 3, Side::A});
        const std::vector<T> cells = {T{0, kSpeech, 0, 10}, T{0, kCat, 5, 7}, T{1, kSpeech, 8, 9},
                                      T{1, kDog, 1, 3}};
        QVERIFY(labels(workspace::adjudicatedEvents(adj)) == cells);
        QVERIFY_THROWS_EXCEPTION(core::InputError,
                                 workspace::pickCell(adj, {M::Visual, kDog, 10, Side::A}));
    }

    void savedWithProvenanceAndUndone() {
        std::vector<workspace::Adjudication> adjs;
        {
            auto s = store::Store::open(path_);
            adjs.push_back(workspace::prepareAdjudication(*s, video_, "alice", "bob", Side::B));
        }
        QVERIFY_THROWS_EXCEPTION(core::InputError,
                                 workspace::saveAdjudication(path_, "carol", "bob", adjs));
        const auto saved = workspace::saveAdjudication(path_, "carol", "adjudicated", adjs);
        QVERIFY(saved.edit > 0);
        QCOMPARE(saved.added, 4);
        QCOMPARE(saved.removed, 0);
        // Saving the same again changes nothing.
        QCOMPARE(workspace::saveAdjudication(path_, "carol", "adjudicated", adjs).edit,
                 store::EditId{0});
        store::Store::Options o;
        o.annotator = "adjudicated";
        {
            auto s = store::Store::open(path_, o);
            store::EventFilter f;
            f.source = store::Source::Correction;
            f.annotator = "adjudicated";
            QCOMPARE(s->events(video_, f).size(), std::size_t{4});
            const auto history = s->history();
            QCOMPARE(history.size(), std::size_t{1});
            const auto note =
                QJsonDocument::fromJson(QByteArray::fromStdString(history.back().description))
                    .object();
            QCOMPARE(note.value("adjudicator").toString(), QStringLiteral("carol"));
            QCOMPARE(note.value("annotators").toArray().size(), 2);
            const auto labelsNote =
                note.value("videos").toArray().at(0).toObject().value("labels").toArray();
            QCOMPARE(labelsNote.size(), 4);
            int fromBob = 0;
            for (const auto& l : labelsNote) {
                const auto o2 = l.toObject();
                QVERIFY(o2.value("from_event").toDouble() > 0);
                const auto e =
                    s->event(static_cast<store::EventId>(o2.value("from_event").toDouble()));
                QVERIFY(e.has_value());
                if (o2.value("from").toString() == QStringLiteral("bob")) {
                    ++fromBob;
                    QCOMPARE(e->annotator, std::string("bob"));
                }
            }
            QCOMPARE(fromBob, 2);
        }
        // Undo takes the whole set back; the annotators' own corrections stay.
        workspace::undoAdjudication(path_, "adjudicated");
        auto s = store::Store::open(path_, o);
        store::EventFilter f;
        f.source = store::Source::Correction;
        f.annotator = "adjudicated";
        QCOMPARE(s->events(video_, f).size(), std::size_t{0});
        f.annotator = "bob";
        QCOMPARE(s->events(video_, f).size(), std::size_t{3});
    }

    void badAnnotatorsRefused() {
        auto s = store::Store::open(path_);
        QVERIFY_THROWS_EXCEPTION(core::InputError,
                                 workspace::prepareAdjudication(*s, video_, "alice", "alice"));
        QVERIFY_THROWS_EXCEPTION(core::InputError,
                                 workspace::prepareAdjudication(*s, video_, "alice", "dave"));
    }
};

QTEST_GUILESS_MAIN(TestAdjudication)
#include "tst_adjudication.moc"

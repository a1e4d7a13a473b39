// The edit API: every edit kind applies, undoes and redoes; invalid edits change
// nothing; a random stream of edits undoes back through every recorded state and redoes
// forward again; history survives reopening; histories are per annotator; undo never
// overwrites what someone changed since; listeners hear about commits only.
#include <QObject>
#include <QTest>

#include <random>

#include "core/formats/label_document.h"
#include "core/prediction.h"
#include "core/store/label_exchange.h"
#include "core/store/store.h"
#include "core/store/store_impl.h"
#include "store_test_util.h"

using namespace avvp;
using namespace avvp::store;
using namespace avvp::store::test;
namespace fs = std::filesystem;
using core::Modality;

namespace {

constexpr int kDog = 3, kCat = 4, kSpeech = 0;

// Everything about events a user could see, for comparing whole states.
std::vector<Event> snapshot(Store& s) {
    return s.events(EventFilter{});
}

}  // namespace

class TestStoreEdits : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;
    int n_ = 0;
    fs::path path_;
    VideoId video_ = 0, user_ = 0;
    RunId run_ = 0;

  private slots:
    void init() {
        path_ = fs::path(tmp_.path().toStdString()) / ("s" + std::to_string(++n_) + ".avvpstore");
        auto s = Store::open(path_, {.annotator = "setup"});
        video_ = s->ensureVideo(
            {.filename = "-0A9suni5YA_30_40", .split = core::Split::Test, .durationMs = 10000});
        user_ = s->ensureVideo({.filename = "my clip"});  // duration unknown
        s->replaceEvents(video_, Modality::Audio, Source::GroundTruth,
                         {{Modality::Audio, kSpeech, 0, 3000}});
        run_ = s->addRun({.name = "link-001"});
        std::vector<float> frame(500, 0.0F), global(25, 0.0F);
        for (int t = 4; t < 7; ++t) frame[core::frameIndex(t, core::Modality::Visual, kDog)] = 0.9F;
        global[kDog] = 0.7F;
        s->putProbabilities(run_, {{video_, 10, frame, global}});
    }

    void everyKindAppliesUndoesRedoes() {
        auto s = Store::open(path_, {.annotator = "alice"});
        const auto before = snapshot(*s);
        const auto add = s->apply(Edit::add(video_, Modality::Audio, kDog, 1000, 2500));
        QCOMPARE(add.description, std::string("Add Dog (audio) 1\u20132.5 s"));
        const EventId id = add.events.at(0);
        auto e = *s->event(id);
        QCOMPARE(e.source, Source::Correction);
        QCOMPARE(e.annotator, std::string("alice"));
        QVERIFY(e.createdAt > 0);

        QCOMPARE(s->apply(Edit::move(id, 4000)).description,
                 std::string("Move Dog (audio) to 4\u20135.5 s"));
        QCOMPARE(s->event(id)->offsetMs, std::int64_t{5500});
        s->apply(Edit::resize(id, 3500, 6000));
        QCOMPARE(s->apply(Edit::relabel(id, kCat, Modality::Visual)).description,
                 std::string("Relabel Dog (audio) as Cat (visual)"));
        e = *s->event(id);
        QCOMPARE(std::make_tuple(e.cls, e.modality, e.onsetMs, e.offsetMs),
                 std::make_tuple(kCat, Modality::Visual, std::int64_t{3500}, std::int64_t{6000}));
        s->apply(Edit::remove(id));
        QVERIFY(!s->event(id));

        // The prediction: visual Dog 4-7 s from the run's probabilities.
        const auto preds = s->events(video_, {.source = Source::Prediction, .run = run_});
        QCOMPARE(preds.size(), std::size_t{1});
        const auto acc = s->apply(Edit::accept(preds[0].id));
        const auto corr = *s->event(acc.events.back());
        QCOMPARE(corr.source, Source::Correction);
        QCOMPARE(corr.origin, std::optional<EventId>(preds[0].id));
        QCOMPARE(corr.run, std::optional<RunId>(run_));
        QCOMPARE(std::make_tuple(corr.cls, corr.onsetMs, corr.offsetMs),
                 std::make_tuple(kDog, std::int64_t{4000}, std::int64_t{7000}));
        QCOMPARE(s->event(preds[0].id)->review, Review::Accepted);
        s->apply(Edit::reject(preds[0].id));
        QCOMPARE(s->event(preds[0].id)->review, Review::Rejected);

        // Back through every edit, then forward again.
        QCOMPARE(s->history().size(), std::size_t{7});
        while (s->canUndo()) s->undo();
        QCOMPARE(snapshot(*s), before);
        QVERIFY(s->canRedo());
        QCOMPARE(s->redoEntry()->kind, std::string("add"));
        while (s->canRedo()) s->redo();
        QCOMPARE(s->event(preds[0].id)->review, Review::Rejected);
        QVERIFY(!s->event(id));  // deleted again
        QCOMPARE(s->integrityCheck(), std::string("ok"));
    }

    void invalidEditsChangeNothing() {
        auto s = Store::open(path_, {.annotator = "alice"});
        const auto gt = s->events(video_, {.source = Source::GroundTruth}).at(0);
        const auto pred = s->events(video_, {.source = Source::Prediction}).at(0);
        const auto before = snapshot(*s);
        const auto version = s->impl().scalar("SELECT count(*) FROM edits");
        const std::vector<Edit> bad = {
            Edit::add(video_, Modality::Audio, kDog, 9000, 10500),  // past the 10 s video
            Edit::add(video_, Modality::Audio, kDog, 2000, 2000),   // empty
            Edit::add(video_, Modality::Audio, 25, 0, 1000),        // no such class
            Edit::add(999, Modality::Audio, kDog, 0, 1000),         // no such video
            Edit::move(gt.id, 8000),                                // 8-11 s: past the end
            Edit::move(gt.id, 0),                                   // changes nothing
            Edit::resize(gt.id, 3000, 1000),
            Edit::move(pred.id, 0),  // predictions are not edited
            Edit::remove(pred.id),
            Edit::remove(123456),
            Edit::accept(gt.id),  // not a prediction
        };
        for (const auto& e : bad) QVERIFY_THROWS_EXCEPTION(EditError, s->apply(e));
        // A batch with one bad edit: the good ones before it are rolled back too.
        QVERIFY_THROWS_EXCEPTION(
            EditError,
            s->apply({Edit::add(video_, Modality::Visual, kCat, 0, 1000), Edit::remove(123456)}));
        QCOMPARE(snapshot(*s), before);
        QCOMPARE(s->impl().scalar("SELECT count(*) FROM edits"), version);
        QVERIFY_THROWS_EXCEPTION(EditError, s->undo());  // alice has no history yet
        // A user video of unknown length takes any bounds >= 0.
        s->apply(Edit::add(user_, Modality::Audio, kDog, 3600000, 3601500));
        s->apply(Edit::accept(pred.id));
        QVERIFY_THROWS_EXCEPTION(EditError, s->apply(Edit::accept(pred.id)));  // already accepted
    }

    // Kdenlive-style: a random edit stream, then undo back through every state.
    void randomStreamUndoesThroughEveryState() {
        auto s = Store::open(path_, {.annotator = "alice"});
        std::mt19937 rng(7);
        auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
        std::vector<std::vector<Event>> states = {snapshot(*s)};
        std::vector<EventId> live;
        for (int i = 0; i < 80; ++i) {
            std::vector<Edit> edits;
            const int k = uni(0, 9);
            if (live.empty() || k < 3) {
                const int on = uni(0, 8);
                edits.push_back(Edit::add(video_, uni(0, 1) ? Modality::Audio : Modality::Visual,
                                          uni(0, 24), on * 1000, uni(on + 1, 10) * 1000));
            } else if (k < 5) {
                const auto e = *s->event(
                    live[static_cast<std::size_t>(uni(0, static_cast<int>(live.size()) - 1))]);
                edits.push_back(
                    Edit::move(e.id, uni(0, static_cast<int>(10000 - (e.offsetMs - e.onsetMs)))));
            } else if (k < 6) {
                edits.push_back(Edit::resize(live.back(), uni(0, 4) * 250, uni(5, 40) * 250));
            } else if (k < 7) {
                edits.push_back(Edit::relabel(live.front(), uni(0, 24)));
            } else if (k < 8) {
                edits.push_back(Edit::remove(live.back()));
                live.pop_back();
            } else {  // a batch: shift two events at once
                for (auto id : {live.front(), live.back()}) {
                    const auto e = *s->event(id);
                    edits.push_back(
                        Edit::move(id, e.onsetMs > 500 ? e.onsetMs - 500 : e.onsetMs + 250));
                }
                if (live.size() == 1) edits.pop_back();
            }
            try {
                const auto r = s->apply(edits, edits.size() > 1 ? "shift selection" : "");
                if (edits.front().kind == EditKind::Add) live.push_back(r.events.front());
                states.push_back(snapshot(*s));
            } catch (const EditError&) {
                if (edits.front().kind == EditKind::Delete) live.push_back(edits.front().event);
            }
        }
        QVERIFY(states.size() > 60);
        for (auto i = states.size() - 1; i > 0; --i) {
            s->undo();
            QCOMPARE(snapshot(*s), states[i - 1]);
        }
        QVERIFY(!s->canUndo());
        for (std::size_t i = 1; i < states.size(); ++i) {
            s->redo();
            QCOMPARE(snapshot(*s), states[i]);
        }
        QVERIFY(!s->canRedo());
    }

    void historySurvivesReopening() {
        EventId id = 0;
        {
            auto s = Store::open(path_, {.annotator = "alice"});
            id = s->apply(Edit::add(video_, Modality::Audio, kDog, 1000, 2000)).events[0];
            s->apply(Edit::move(id, 5000));
            s->apply(Edit::relabel(id, kCat));
            s->undo();
        }
        auto s = Store::open(path_, {.annotator = "alice"});
        QVERIFY(s->canUndo());
        QVERIFY(s->canRedo());
        const auto h = s->history();
        QCOMPARE(h.size(), std::size_t{3});
        QCOMPARE(h[2].state, HistoryState::Undone);
        QCOMPARE(h[1].events, std::vector<EventId>{id});
        QCOMPARE(s->redo().description, std::string("Relabel Dog (audio) as Cat (audio)"));
        s->undo();
        s->undo();
        QCOMPARE(s->event(id)->onsetMs, std::int64_t{1000});
        // A new edit drops the redo stack.
        s->apply(Edit::resize(id, 0, 2000));
        QVERIFY(!s->canRedo());
        QCOMPARE(s->history().size(), std::size_t{2});
        QCOMPARE(s->impl().scalar("SELECT count(*) FROM edits WHERE state = 2"), std::int64_t{2});
        QCOMPARE(s->history(1).front().description,
                 std::string("Resize Dog (audio) to 0\u20132 s"));
    }

    void historiesArePerAnnotatorAndUndoNeverOverwrites() {
        auto alice = Store::open(path_, {.annotator = "alice"});
        auto bob = Store::open(path_, {.annotator = "bob"});
        const auto a = alice->apply(Edit::add(video_, Modality::Audio, kDog, 1000, 2000)).events[0];
        const auto b = bob->apply(Edit::add(video_, Modality::Visual, kCat, 0, 1000)).events[0];
        QCOMPARE(alice->undoEntry()->events, std::vector<EventId>{a});
        alice->undo();  // alice's add, not bob's later one
        QVERIFY(!alice->event(a));
        QVERIFY(bob->event(b));
        alice->redo();
        // bob changes alice's event: alice cannot undo her edit over his.
        bob->apply(Edit::move(a, 6000));
        const auto before = snapshot(*alice);
        try {
            alice->undo();
            QFAIL("undo overwrote bob's edit");
        } catch (const EditConflict& e) {
            QVERIFY2(std::string(e.what()).find("changed since (by 'bob')") != std::string::npos,
                     e.what());
        }
        QCOMPARE(snapshot(*alice), before);
        QVERIFY(alice->canUndo());  // still there to undo once bob has undone his
        bob->undo();
        alice->undo();
        QVERIFY(!alice->event(a));
        // Events replaced by a re-import conflict too.
        bob->replaceEvents(video_, Modality::Visual, Source::Correction, {}, std::nullopt, "bob");
        QVERIFY_THROWS_EXCEPTION(EditConflict, bob->undo());
    }

    void modelsRunsAndEvaluations() {
        auto s = Store::open(path_, {.annotator = "alice"});
        const auto model =
            s->addModel({.name = "link-001", .variant = "link", .checkpoint = "/ckpt/link.pt"});
        QCOMPARE(s->addModel({.name = "link-001"}), model);  // by name
        QCOMPARE(s->models().size(), std::size_t{1});
        QCOMPARE(s->models()[0].variant, std::string("link"));
        const auto pred = s->events(video_, {.source = Source::Prediction}).at(0);
        const auto corr = s->apply(Edit::accept(pred.id)).events.back();
        Evaluation e;
        e.run = run_;
        e.split = "test";
        e.protocol = "AVVP";
        e.videos = 1200;
        e.scores = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10.5};
        s->addEvaluation(e);
        QCOMPARE(s->evaluations(run_).size(), std::size_t{1});
        QCOMPARE(s->evaluations()[0].scores[9], 10.5);
        // Deleting the run takes its predictions and evaluations; the accepted correction
        // stays, without the link to the run.
        s->deleteRun(run_);
        QVERIFY(!s->event(pred.id));
        QVERIFY(s->evaluations().empty());
        QVERIFY(!s->runByName("link-001"));
        const auto kept = s->event(corr);
        QVERIFY(kept);
        QVERIFY(!kept->run);
        QCOMPARE(kept->origin, std::optional<EventId>(pred.id));
        QCOMPARE(s->integrityCheck(), std::string("ok"));
    }

    void listenersHearCommitsOnly() {
        auto s = Store::open(path_, {.annotator = "alice"});
        std::vector<Change> heard;
        const int sub = s->subscribe([&](const Change& c) { heard.push_back(c); });
        const auto id = s->apply(Edit::add(video_, Modality::Audio, kDog, 1000, 2000)).events[0];
        QCOMPARE(heard.size(), std::size_t{1});
        QVERIFY(heard[0].events && heard[0].history);
        QCOMPARE(heard[0].eventIds, std::vector<EventId>{id});
        QCOMPARE(heard[0].videoIds, std::vector<VideoId>{video_});
        {
            Store::Transaction tx(*s);
            s->apply(Edit::move(id, 3000));
            s->apply(Edit::move(id, 4000));
            QCOMPARE(heard.size(), std::size_t{1});  // not before the commit
            tx.commit();
        }
        QCOMPARE(heard.size(), std::size_t{2});
        QCOMPARE(heard[1].eventIds.size(), std::size_t{2});
        {
            Store::Transaction tx(*s);
            s->apply(Edit::move(id, 5000));
        }  // rolled back
        QCOMPARE(heard.size(), std::size_t{2});
        QCOMPARE(s->event(id)->onsetMs, std::int64_t{4000});
        QCOMPARE(s->history().size(), std::size_t{3});
        // Another connection's commit shows up when polled.
        QVERIFY(!s->pollExternalChanges());
        Store::open(path_, {.annotator = "bob"})->apply(Edit::remove(id));
        QVERIFY(s->pollExternalChanges());
        QVERIFY(heard.back().external);
        QVERIFY(!s->pollExternalChanges());
        s->unsubscribe(sub);
        s->apply(Edit::add(video_, Modality::Audio, kDog, 0, 500));
        QCOMPARE(heard.size(), std::size_t{3});
    }

    // ESC and NUL in a video name (an edit, an imported label file) are shown escaped in the
    // message: no raw control byte reaches a terminal, and a NUL does not cut the name.
    void controlCharactersInNamesAreEscaped() {
        auto s = Store::open(path_);
        const std::string name("v\x1b[2J\0x", 7);
        const std::string shown = R"('v\x1b[2J\0x')";
        try {
            s->ensureVideo({.filename = name});
            QFAIL("a video name with control characters was accepted");
        } catch (const EditError& e) {
            const std::string what = e.what();
            QVERIFY2(what.find("video name " + shown) != std::string::npos, what.c_str());
            QVERIFY2(what.find('\x1b') == std::string::npos, what.c_str());
        }
        core::LabelDocument doc;
        auto& v = doc.video(name);
        v.file = "labels.json";
        v.line = 3;
        const auto report = importLabels(*s, doc, {});
        QCOMPARE(report.anomalies.size(), std::size_t{1});
        const auto& detail = report.anomalies[0].detail;
        QVERIFY2(detail == shown + " is not a video of the store", detail.c_str());
    }
};

QTEST_GUILESS_MAIN(TestStoreEdits)
#include "tst_store_edits.moc"

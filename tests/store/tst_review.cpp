// Review mode (issue 18, item 1): schema version 4 (a version 3 store migrates), video
// review status with its log and progress, the next video needing review, event review
// decisions and the verified flag that no prediction import overwrites or deletes.
#include <QObject>
#include <QTest>

#include "core/prediction.h"
#include "core/store/review.h"
#include "core/store/schema.h"
#include "core/store/store.h"
#include "core/store/store_impl.h"
#include "store_test_util.h"

using namespace avvp;
using namespace avvp::store;
using namespace avvp::store::test;
namespace fs = std::filesystem;

class TestReview : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;
    int n_ = 0;
    fs::path fresh() { return fs::path(tmp_.path().toStdString()) / ("s" + std::to_string(++n_)); }

    static VideoId video(Store& s, const std::string& name, core::Split split) {
        return s.ensureVideo({.filename = name, .split = split, .durationMs = 10000});
    }

  private slots:
    void versionThreeStoreIsMigrated() {
        const auto p = fresh();
        {
            RawDb raw(p);
            migrate([&](const char* sql) { raw.exec(QString::fromUtf8(sql)); },
                    [&] { return raw.value(QStringLiteral("PRAGMA user_version")).toInt(); }, 3);
            QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), 3);
            raw.exec(
                QStringLiteral("INSERT INTO videos(id, filename, split, added_at) "
                               "VALUES(1, 'a_0_10', 'test', 0)"));
            raw.exec(QStringLiteral(
                "INSERT INTO events(id, video_id, modality, class_id, onset_ms, offset_ms, "
                "source, annotator, created_at, modified_at, review) "
                "VALUES(7, 1, 0, 3, 0, 2000, 0, '', 0, 0, 1)"));
        }
        auto s = Store::open(p, {.annotator = "rita"});
        QCOMPARE(s->info().schemaVersion, 4);
        QCOMPARE(kSchemaVersion, 4);
        QCOMPARE(s->integrityCheck(), std::string("ok"));
        const auto r = eventReview(*s, 7);
        QVERIFY(r);
        QCOMPARE(r->decision, Review::Accepted);  // the version 2 column, kept
        QCOMPARE(r->reason, std::string());
        QVERIFY(!r->at);
        QVERIFY(!r->verified);
        QCOMPARE(videoStatus(*s, 1).status, ReviewStatus::ToDo);
        QCOMPARE(reviewProgress(*s).videos, 1);
        // The new tables work on the migrated store.
        QVERIFY(setVideoStatus(*s, 1, ReviewStatus::Done));
        QVERIFY(setVerified(*s, 7, true));
    }

    void statusNames() {
        for (auto st : kReviewStatuses)
            QCOMPARE(reviewStatusFromName(reviewStatusName(st)), std::optional(st));
        QCOMPARE(reviewStatusFromName("Needs-Review"), std::optional(ReviewStatus::NeedsReview));
        QCOMPARE(reviewStatusFromName("to do"), std::optional(ReviewStatus::ToDo));
        QVERIFY(!reviewStatusFromName("finished"));
    }

    void videoStatusLogAndProgress() {
        auto s = Store::open(fresh(), {.annotator = "rita"});
        const auto a = video(*s, "a_0_10", core::Split::Test);
        const auto b = video(*s, "b_0_10", core::Split::Test);
        const auto c = video(*s, "c_0_10", core::Split::Val);
        int heard = 0;
        std::vector<VideoId> ids;
        s->subscribe([&](const Change& ch) {
            if (ch.videos) ++heard;
            ids.insert(ids.end(), ch.videoIds.begin(), ch.videoIds.end());
        });
        QCOMPARE(videoStatus(*s, a).at, Timestamp{0});
        QVERIFY(!setVideoStatus(*s, a, ReviewStatus::ToDo));  // already to do: nothing written
        QCOMPARE(heard, 0);
        QVERIFY(setVideoStatus(*s, a, ReviewStatus::InProgress));
        QVERIFY(!setVideoStatus(*s, a, ReviewStatus::InProgress));
        QVERIFY(setVideoStatus(*s, a, ReviewStatus::Done));
        QVERIFY(setVideoStatus(*s, c, ReviewStatus::NeedsReview));
        QCOMPARE(heard, 3);
        QCOMPARE(ids, (std::vector<VideoId>{a, a, c}));
        const auto st = videoStatus(*s, a);
        QCOMPARE(st.status, ReviewStatus::Done);
        QCOMPARE(st.annotator, std::string("rita"));
        QVERIFY(st.at > 0);
        const auto log = videoStatusLog(*s, a);
        QCOMPARE(log.size(), std::size_t{2});
        QVERIFY(!log[0].previous);
        QCOMPARE(log[0].status, ReviewStatus::InProgress);
        QCOMPARE(log[1].previous, std::optional(ReviewStatus::InProgress));
        QCOMPARE(log[1].status, ReviewStatus::Done);
        QCOMPARE(log[1].annotator, std::string("rita"));

        const auto all = reviewProgress(*s);
        QCOMPARE(all.videos, 3);
        QCOMPARE(all.done(), 1);
        QCOMPARE(all.count(ReviewStatus::NeedsReview), 1);
        QCOMPARE(all.count(ReviewStatus::ToDo), 1);
        const auto test = reviewProgress(*s, core::Split::Test);
        QCOMPARE(test.videos, 2);
        QCOMPARE(test.counts, (std::array<int, 4>{1, 0, 0, 1}));
        QCOMPARE(reviewProgress(*s, core::Split::Train).videos, 0);
        QCOMPARE(videoStatuses(*s, core::Split::Test).size(), std::size_t{2});

        // Another annotator changes it: who and the previous status are logged.
        auto other = Store::open(s->path(), {.annotator = "sam"});
        QVERIFY(setVideoStatus(*other, a, ReviewStatus::NeedsReview));
        QCOMPARE(videoStatus(*s, a).annotator, std::string("sam"));
        QCOMPARE(videoStatusLog(*s, a).back().previous, std::optional(ReviewStatus::Done));

        QVERIFY_THROWS_EXCEPTION(EditError, setVideoStatus(*s, 999, ReviewStatus::Done));
        QCOMPARE(videoStatusLog(*s, 999).size(), std::size_t{0});
        (void)b;
    }

    void nextVideoNeedingReviewWraps() {
        auto s = Store::open(fresh(), {.annotator = "rita"});
        const auto a = video(*s, "a_0_10", core::Split::Test);
        const auto b = video(*s, "b_0_10", core::Split::Test);
        const auto c = video(*s, "c_0_10", core::Split::Test);
        const auto d = video(*s, "d_0_10", core::Split::Val);
        QVERIFY(!nextVideoNeedingReview(*s));
        setVideoStatus(*s, a, ReviewStatus::NeedsReview);
        setVideoStatus(*s, c, ReviewStatus::NeedsReview);
        setVideoStatus(*s, d, ReviewStatus::NeedsReview);
        QCOMPARE(nextVideoNeedingReview(*s), std::optional(a));
        QCOMPARE(nextVideoNeedingReview(*s, a), std::optional(c));
        QCOMPARE(nextVideoNeedingReview(*s, b), std::optional(c));
        QCOMPARE(nextVideoNeedingReview(*s, c), std::optional(d));
        QCOMPARE(nextVideoNeedingReview(*s, d), std::optional(a));  // wraps
        QCOMPARE(nextVideoNeedingReview(*s, c, core::Split::Test), std::optional(a));
        setVideoStatus(*s, a, ReviewStatus::Done);
        setVideoStatus(*s, d, ReviewStatus::Done);
        QCOMPARE(nextVideoNeedingReview(*s, c), std::optional(c));  // the only one
    }

    void eventDecisions() {
        auto s = Store::open(fresh(), {.annotator = "rita"});
        const auto v = video(*s, "a_0_10", core::Split::Test);
        s->replaceEvents(v, core::Modality::Audio, Source::GroundTruth,
                         {{core::Modality::Audio, 3, 0, 2000}});
        const auto id = s->events(v).front().id;
        std::vector<EventId> heard;
        s->subscribe([&](const Change& ch) {
            if (ch.events) heard.insert(heard.end(), ch.eventIds.begin(), ch.eventIds.end());
        });
        reviewEvent(*s, id, Review::Rejected, "starts too early: the dog barks at 0.5 s");
        auto r = eventReview(*s, id);
        QCOMPARE(r->decision, Review::Rejected);
        QCOMPARE(r->reason, std::string("starts too early: the dog barks at 0.5 s"));
        QCOMPARE(r->reviewer, std::string("rita"));
        QVERIFY(r->at && *r->at > 0);
        QCOMPARE(s->event(id)->review, Review::Rejected);
        QCOMPARE(eventReviews(*s, v).size(), std::size_t{1});
        reviewEvent(*s, id, Review::Accepted);
        r = eventReview(*s, id);
        QCOMPARE(r->decision, Review::Accepted);
        QCOMPARE(r->reason, std::string());
        reviewEvent(*s, id, Review::None);
        r = eventReview(*s, id);
        QCOMPARE(r->decision, Review::None);
        QCOMPARE(r->reviewer, std::string());
        QVERIFY(!r->at);
        QCOMPARE(eventReviews(*s, v).size(), std::size_t{0});
        QCOMPARE(heard, (std::vector<EventId>{id, id, id}));
        QVERIFY_THROWS_EXCEPTION(EditError, reviewEvent(*s, 999, Review::Accepted));
        QVERIFY_THROWS_EXCEPTION(EditError,
                                 reviewEvent(*s, id, Review::Rejected, std::string(2001, 'x')));
        QCOMPARE(eventReview(*s, id)->decision, Review::None);  // the refused one changed nothing
        QVERIFY(!eventReview(*s, 999));
        QVERIFY_THROWS_EXCEPTION(EditError, setVerified(*s, 999, true));
    }

    void verifiedEventSurvivesReimport() {
        auto s = Store::open(fresh(), {.annotator = "rita"});
        const auto v = video(*s, "a_0_10", core::Split::Test);
        const auto run = s->addRun({.name = "r1"});
        // Dog (3) heard in segments 0-2, Speech (0) in segments 5-6.
        auto probs = [&](bool dog, bool speech) {
            SegmentProbabilities p;
            p.video = v;
            p.segments = 10;
            p.frame.assign(10 * 2 * core::kNumClasses, 0.0F);
            p.global.assign(core::kNumClasses, 0.9F);
            for (int t = 0; t < 3 && dog; ++t)
                p.frame[core::frameIndex(t, core::Modality::Audio, 3)] = 0.9F;
            for (int t = 5; t < 7 && speech; ++t)
                p.frame[core::frameIndex(t, core::Modality::Audio, 0)] = 0.9F;
            return p;
        };
        s->putProbabilities(run, {probs(true, true)});
        auto preds = s->events({.video = v, .source = Source::Prediction});
        QCOMPARE(preds.size(), std::size_t{2});
        const auto dog =
            *std::find_if(preds.begin(), preds.end(), [](const Event& e) { return e.cls == 3; });
        QVERIFY(setVerified(*s, dog.id, true));
        QVERIFY(!setVerified(*s, dog.id, true));
        QVERIFY(eventReview(*s, dog.id)->verified);

        // Re-imported without the dog: the verified event stays, the other one goes.
        s->putProbabilities(run, {probs(false, false)});
        preds = s->events({.video = v, .source = Source::Prediction});
        QCOMPARE(preds.size(), std::size_t{1});
        QCOMPARE(preds.front(), dog);
        // Re-imported with the dog again: still one dog event, the verified one.
        s->putProbabilities(run, {probs(true, true)});
        preds = s->events({.video = v, .source = Source::Prediction});
        QCOMPARE(preds.size(), std::size_t{2});
        QCOMPARE(
            std::count_if(preds.begin(), preds.end(), [&](const Event& e) { return e == dog; }),
            std::ptrdiff_t{1});
        // replaceEvents (label import of predictions) neither moves nor deletes it.
        s->replaceEvents(v, core::Modality::Audio, Source::Prediction,
                         {{core::Modality::Audio, 3, 1000, 4000}}, run);
        preds = s->events({.video = v, .source = Source::Prediction});
        QCOMPARE(preds.size(), std::size_t{2});
        QVERIFY(std::find(preds.begin(), preds.end(), dog) != preds.end());
        // Unverified, the next import replaces it.
        QVERIFY(setVerified(*s, dog.id, false));
        s->putProbabilities(run, {probs(false, false)});
        QCOMPARE(s->events({.video = v, .source = Source::Prediction}).size(), std::size_t{0});
    }

    void readOnlyStoreRefusesReview() {
        const auto p = fresh();
        VideoId v = 0;
        {
            auto s = Store::open(p, {.annotator = "rita"});
            v = video(*s, "a_0_10", core::Split::Test);
        }
        auto ro = Store::open(p, {.readOnly = true});
        QVERIFY_THROWS_EXCEPTION(ReadOnlyError, setVideoStatus(*ro, v, ReviewStatus::Done));
        QCOMPARE(videoStatus(*ro, v).status, ReviewStatus::ToDo);
    }
};

QTEST_GUILESS_MAIN(TestReview)
#include "tst_review.moc"

// The notice "someone else is editing this video" (issue 18, item 5): two connections to
// one store (an SQLite file, and a database on a real local PostgreSQL server), the
// session's watch sees the other annotators' edits of the shown video through the store's
// change notices, not its own, newest first, and drops them once they are older than the
// window.
#include <QSignalSpy>
#include <QtTest>
#include <memory>

#include "app/workspace/co_editing.h"
#include "app/workspace/session.h"
#include "core/store/co_editors.h"
#include "tests/store/pg_server.h"
#include "workspace_test_util.h"

using namespace avvp;
using workspace::CoEditingWatch;

namespace {

std::vector<std::string> names(const std::vector<store::CoEditor>& editors) {
    std::vector<std::string> out;
    for (const auto& e : editors) out.push_back(e.annotator);
    return out;
}

store::Edit addOn(store::VideoId video) {
    return store::Edit::add(video, core::Modality::Audio, 3, 1000, 2000);
}

}  // namespace

class TestCoEditing : public QObject {
    Q_OBJECT

    std::unique_ptr<workspace::test::ScratchDir> dir_;
    std::unique_ptr<store::test::PgServer> server_;

    // A new store of two 10 s videos.
    std::string makeStore(const QString& backend, store::VideoId* a, store::VideoId* b) {
        std::string where;
        if (backend == QLatin1String("postgresql")) {
            if (!server_) server_ = std::make_unique<store::test::PgServer>();
            where = server_->createDatabase("coediting");
        } else {
            where = (*dir_ / "team.avvpstore").string();
        }
        auto s = store::Store::open(where, {.annotator = "setup"});
        *a = s->ensureVideo({"aaaaaaaaaaa_0_10", core::Split::Test, 10000, {}});
        *b = s->ensureVideo({"bbbbbbbbbbb_0_10", core::Split::Test, 10000, {}});
        return where;
    }

  private slots:
    void initTestCase() { workspace::test::initTest("tst_co_editing"); }
    void init() { dir_ = std::make_unique<workspace::test::ScratchDir>(); }
    void cleanupTestCase() { server_.reset(); }

    void othersOnTheShownVideo_data() {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }
    void othersOnTheShownVideo() {
        QFETCH(QString, backend);
        store::VideoId a = 0, b = 0;
        const auto where = makeStore(backend, &a, &b);
        workspace::Session session;
        QVERIFY2(session.open(QString::fromStdString(where), QStringLiteral("alice")),
                 qPrintable(session.lastError()));
        CoEditingWatch watch(&session);
        QSignalSpy spy(&watch, &CoEditingWatch::editorsChanged);
        watch.setVideo(a);
        QVERIFY(watch.editors().empty());
        QCOMPARE(spy.count(), 1);

        // Another connection, another annotator: seen through the session's polling of
        // other connections (its change notice), without calling update().
        auto bob = store::Store::open(where, {.annotator = "bob"});
        const auto before = QDateTime::currentMSecsSinceEpoch();
        const auto bobEvent = bob->apply(addOn(a)).events.back();
        QVERIFY(workspace::test::waitFor([&] { return !watch.editors().empty(); }));
        QCOMPARE(names(watch.editors()), std::vector<std::string>{"bob"});
        QVERIFY(watch.editors()[0].lastEditAt >= before - 1000);
        QVERIFY(watch.editors()[0].lastEditAt <= QDateTime::currentMSecsSinceEpoch() + 1000);

        // alice's own edits are no notice.
        QVERIFY(session.apply(addOn(a)));
        watch.update();
        QCOMPARE(names(watch.editors()), std::vector<std::string>{"bob"});

        // carol edits later: newest first. A move of bob's event by carol counts for carol.
        QTest::qWait(20);
        auto carol = store::Store::open(where, {.annotator = "carol"});
        carol->apply(store::Edit::move(bobEvent, 4000));
        watch.update();
        QCOMPARE(names(watch.editors()), (std::vector<std::string>{"carol", "bob"}));

        // The other video: nobody; an edit there is not one of video a.
        watch.setVideo(b);
        QVERIFY(watch.editors().empty());
        bob->apply(addOn(b));
        watch.update();
        QCOMPARE(names(watch.editors()), std::vector<std::string>{"bob"});
        watch.setVideo(std::nullopt);
        QVERIFY(watch.editors().empty());

        // The store function alone agrees (from carol's side: alice and bob on a).
        QCOMPARE(names(store::coEditors(*carol, a, 60000)),
                 (std::vector<std::string>{"alice", "bob"}));

        // Closing the project clears the notice.
        watch.setVideo(a);
        QVERIFY(!watch.editors().empty());
        session.close();
        QVERIFY(watch.editors().empty());
    }

    // An edit older than the window drops out on the watch's timer.
    void oldEditsDropOut() {
        store::VideoId a = 0, b = 0;
        const auto where = makeStore(QStringLiteral("sqlite"), &a, &b);
        workspace::Session session;
        QVERIFY(session.open(QString::fromStdString(where), QStringLiteral("alice")));
        auto bob = store::Store::open(where, {.annotator = "bob"});
        bob->apply(addOn(a));
        CoEditingWatch watch(&session, nullptr, /*windowMs=*/400, /*refreshMs=*/50);
        watch.setVideo(a);
        QCOMPARE(names(watch.editors()), std::vector<std::string>{"bob"});
        QVERIFY(workspace::test::waitFor([&] { return watch.editors().empty(); }, 3000));
        // An undo is someone at work on the video too.
        bob->undo();
        watch.update();
        QCOMPARE(names(watch.editors()), std::vector<std::string>{"bob"});
    }
};

QTEST_GUILESS_MAIN(TestCoEditing)
#include "tst_co_editing.moc"

// The store file: pragmas, versioning, refusal of files that are not (current) stores,
// and the migration of a store written by schema version 1 (tests/data/store/v1.sql).
#include <QObject>
#include <QTest>

#include "core/error.h"
#include "core/prediction.h"
#include "core/store/schema.h"
#include "core/store/store.h"
#include "core/store/store_impl.h"
#include "store_test_util.h"

using namespace avvp;
using namespace avvp::store;
using namespace avvp::store::test;
namespace fs = std::filesystem;

class TestStoreSchema : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;
    fs::path file(const char* name) const { return fs::path(tmp_.path().toStdString()) / name; }

    // Expects open() to fail with an InputError naming the file and containing `part`.
    void expectRefused(const fs::path& p, const std::string& part, Store::Options o = {}) {
        try {
            Store::open(p, o);
            QFAIL(("opened " + p.string()).c_str());
        } catch (const core::InputError& e) {
            QCOMPARE(e.file(), p.string());
            QVERIFY2(e.reason().find(part) != std::string::npos, e.what());
        }
    }

  private slots:
    void newStoreHasTheRightPragmas() {
        const auto p = file("new.avvpstore");
        auto s = Store::open(p, {.annotator = "alice", .busyTimeoutMs = 1234});
        auto& d = s->impl();
        QCOMPARE(d.scalar("PRAGMA user_version"), std::int64_t{kSchemaVersion});
        QCOMPARE(Store::schemaVersion(), kSchemaVersion);
        QCOMPARE(d.scalar("PRAGMA application_id"), std::int64_t{kApplicationId});
        QCOMPARE(d.scalar("PRAGMA foreign_keys"), std::int64_t{1});
        QCOMPARE(d.scalar("PRAGMA synchronous"), std::int64_t{1});  // NORMAL
        QCOMPARE(d.scalar("PRAGMA busy_timeout"), std::int64_t{1234});
        QCOMPARE(d.scalar("SELECT count(*) FROM classes"), std::int64_t{25});
        {
            Rows r(d.run("PRAGMA journal_mode"));
            QVERIFY(r.next());
            QCOMPARE(r.str(0), std::string("wal"));
        }
        QCOMPARE(s->integrityCheck(), std::string("ok"));
        QCOMPARE(s->annotator(), std::string("alice"));
        // Foreign keys hold: an event of a video that does not exist is refused.
        QVERIFY_THROWS_EXCEPTION(StoreError,
                                 s->replaceEvents(42, core::Modality::Audio, Source::GroundTruth,
                                                  {{core::Modality::Audio, 1, 0, 1000}}));
        auto full = Store::open(p, {.fullSync = true});
        QCOMPARE(full->impl().scalar("PRAGMA synchronous"), std::int64_t{2});  // FULL
    }

    void versionOneStoreIsMigrated() {
        const auto p = file("v1.avvpstore");
        {
            RawDb raw(p);
            raw.script(readAll(kData / "store" / "v1.sql"));
            QCOMPARE(raw.value("PRAGMA user_version").toInt(), 1);
        }
        auto s = Store::open(p, {.annotator = "alice"});
        QCOMPARE(s->info().schemaVersion, kSchemaVersion);
        QCOMPARE(s->integrityCheck(), std::string("ok"));
        const auto v = s->videoByName("-0A9suni5YA_30_40");
        QVERIFY(v);
        QCOMPARE(v->split, std::optional(core::Split::Test));
        QCOMPARE(v->weak, core::ClassSet{0b1001});
        QVERIFY(v->hasGroundTruth(core::Modality::Visual));
        QCOMPARE(s->features(v->id).front().shape, (std::vector<std::int64_t>{10, 128}));
        QCOMPARE(s->videoByName("user_clip")->mediaPath, std::string("/data/user_clip.mp4"));
        const auto corr = s->event(3);
        QVERIFY(corr);
        QCOMPARE(corr->onsetMs, std::int64_t{4000});
        QVERIFY(!corr->run);
        QCOMPARE(corr->review, Review::None);
        // alice's history from version 1 undoes and redoes with the new code.
        QCOMPARE(s->history().size(), std::size_t{2});
        QCOMPARE(s->undoEntry()->description, std::string("Move Dog (audio) to 4\u20136 s"));
        s->undo();
        QCOMPARE(s->event(3)->onsetMs, std::int64_t{3000});
        s->undo();
        QVERIFY(!s->event(3));
        QVERIFY(!s->canUndo());
        s->redo();
        s->redo();
        QCOMPARE(s->event(3)->offsetMs, std::int64_t{6000});
        // What version 2 added works on the migrated store.
        const auto run = s->addRun({.name = "r"});
        std::vector<float> frame(10 * 2 * 25, 0.0F), global(25, 0.0F);
        frame[core::frameIndex(2, core::Modality::Audio, 3)] = 0.9F;  // Dog
        global[3] = 0.8F;
        s->putProbabilities(run, {{v->id, 10, frame, global}});
        const auto pred = s->events(v->id, {.source = Source::Prediction});
        QCOMPARE(pred.size(), std::size_t{1});
        QCOMPARE(pred[0].onsetMs, std::int64_t{2000});
        s->apply(Edit::accept(pred[0].id));
        QCOMPARE(s->integrityCheck(), std::string("ok"));
    }

    void newerStoreIsRefused() {
        const auto p = file("newer.avvpstore");
        Store::open(p);
        {
            RawDb raw(p);
            raw.exec("PRAGMA user_version = 99");
        }
        expectRefused(p, "newer AVVP Studio (store schema 99");
    }

    void otherFilesAreRefused() {
        const auto text = file("notes.txt");
        writeAll(text, std::string(4096, 'x'));
        expectRefused(text, "not an SQLite database");
        const auto other = file("other.sqlite");
        {
            RawDb raw(other);
            raw.exec("CREATE TABLE t(x)");
        }
        expectRefused(other, "not an AVVP Studio store");
        expectRefused(fs::path(tmp_.path().toStdString()), "is a folder");
        expectRefused(file("missing.avvpstore"), "no store at this path", {.create = false});
        QVERIFY(!fs::exists(file("missing.avvpstore")));
    }

    void migrationOfTwoOpenersAtOnce() {
        // Two connections opening the same new file: the second finds it migrated.
        const auto p = file("twice.avvpstore");
        auto a = Store::open(p);
        auto b = Store::open(p);
        QCOMPARE(b->info().schemaVersion, kSchemaVersion);
        a->ensureVideo({.filename = "x"});
        QCOMPARE(b->videoCount(), std::int64_t{1});
    }
};

QTEST_GUILESS_MAIN(TestStoreSchema)
#include "tst_store_schema.moc"

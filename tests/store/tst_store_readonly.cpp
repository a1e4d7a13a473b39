// A store opened read-only: explicitly (Store::Options::readOnly) or because the file or
// its folder is not writable. Reading works and changes no byte of the file, leaves no
// -wal / -shm files behind, sees what a writer holding the store open committed (its
// -wal), and every write is refused with a ReadOnlyError that says so. A store that needs
// a migration asks to be opened writable once instead of failing obscurely.
#include <sys/stat.h>
#include <unistd.h>
#include <QCryptographicHash>
#include <QObject>
#include <QTest>

#include "core/error.h"
#include "core/store/schema.h"
#include "core/store/store.h"
#include "store_test_util.h"

using namespace avvp;
using namespace avvp::store;
using namespace avvp::store::test;
namespace fs = std::filesystem;

class TestStoreReadOnly : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;
    fs::path file(const std::string& name) const {
        return fs::path(tmp_.path().toStdString()) / name;
    }

    static QByteArray hash(const fs::path& p) {
        return QCryptographicHash::hash(QByteArray::fromStdString(readAll(p)),
                                        QCryptographicHash::Sha256);
    }

    // A closed store with one video and one ground-truth event.
    static void makeStore(const fs::path& p) {
        auto s = Store::open(p, {.annotator = "alice"});
        const auto v = s->ensureVideo({.filename = "clip", .durationMs = 10000});
        s->replaceEvents(v, core::Modality::Audio, Source::GroundTruth,
                         {{core::Modality::Audio, 3, 1000, 2000}});
    }

    static void expectReadOnly(const std::function<void()>& write) {
        try {
            write();
            QFAIL("a write through a read-only store succeeded");
        } catch (const ReadOnlyError& e) {
            QVERIFY2(std::string(e.what()).find("read-only") != std::string::npos, e.what());
        }
    }

    // Reads everything a read-only command reads and tries the writes.
    static void readAndRefuseWrites(Store& s) {
        QCOMPARE(s.info().videos, std::int64_t{1});
        QCOMPARE(s.integrityCheck(), std::string("ok"));
        const auto v = s.videoByName("clip");
        QVERIFY(v);
        QCOMPARE(s.events(v->id).size(), std::size_t{1});
        expectReadOnly([&] { s.ensureVideo({.filename = "other"}); });
        expectReadOnly([&] { s.addRun({.name = "r"}); });
        expectReadOnly([&] { Store::Transaction tx(s); });
        QCOMPARE(s.videoCount(), std::int64_t{1});
    }

  private slots:
    void explicitFlagReadsAndWritesNothing() {
        const auto p = file("flag.avvpstore");
        makeStore(p);
        QVERIFY(!fs::exists(p.string() + "-wal"));
        const auto before = hash(p);
        {
            auto s = Store::open(p, {.create = false, .readOnly = true});
            QVERIFY(s->readOnly());
            QCOMPARE(s->access(), Store::Access::ReadOnlyAsked);
            readAndRefuseWrites(*s);
        }
        QCOMPARE(hash(p), before);
        QVERIFY(!fs::exists(p.string() + "-wal"));
        QVERIFY(!fs::exists(p.string() + "-shm"));
        // A writable open afterwards still works.
        auto w = Store::open(p);
        QVERIFY(!w->readOnly());
        QCOMPARE(w->access(), Store::Access::ReadWrite);
        w->ensureVideo({.filename = "other"});
        QCOMPARE(w->videoCount(), std::int64_t{2});
    }

    void readerSeesAnOpenWritersLog() {
        const auto p = file("live.avvpstore");
        makeStore(p);
        auto w = Store::open(p);
        w->ensureVideo({.filename = "second"});  // committed to the -wal, not checkpointed
        QVERIFY(fs::exists(p.string() + "-wal"));
        {
            auto r = Store::open(p, {.readOnly = true});
            QCOMPARE(r->videoCount(), std::int64_t{2});
            w->ensureVideo({.filename = "third"});
            QVERIFY(r->pollExternalChanges());
            QCOMPARE(r->videoCount(), std::int64_t{3});
        }
        w->ensureVideo({.filename = "fourth"});
        QCOMPARE(w->videoCount(), std::int64_t{4});
    }

    void storeNeedingMigrationAsksForAWritableOpen() {
        const auto p = file("v1.avvpstore");
        {
            RawDb raw(p);
            raw.script(readAll(kData / "store" / "v1.sql"));
        }
        const auto before = hash(p);
        try {
            Store::open(p, {.readOnly = true});
            QFAIL("a version 1 store opened read-only");
        } catch (const core::InputError& e) {
            QCOMPARE(e.file(), p.string());
            QVERIFY2(e.reason().find("schema 1") != std::string::npos, e.what());
            QVERIFY2(e.reason().find("writable") != std::string::npos, e.what());
        }
        QCOMPARE(hash(p), before);
        // An empty file is no store yet either.
        const auto empty = file("empty.avvpstore");
        writeAll(empty, "");
        QVERIFY_THROWS_EXCEPTION(core::InputError, Store::open(empty, {.readOnly = true}));
        QCOMPARE(fs::file_size(empty), std::uintmax_t{0});
        // A missing file is not created.
        QVERIFY_THROWS_EXCEPTION(core::InputError,
                                 Store::open(file("missing.avvpstore"), {.readOnly = true}));
        QVERIFY(!fs::exists(file("missing.avvpstore")));
        // Not SQLite at all: still said so.
        const auto text = file("notes.txt");
        writeAll(text, std::string(4096, 'x'));
        try {
            Store::open(text, {.readOnly = true});
            QFAIL("a text file opened");
        } catch (const core::InputError& e) {
            QVERIFY2(e.reason().find("not an SQLite database") != std::string::npos, e.what());
        }
    }

    // chmod 0444: no write permission for anyone. Opened read-only even by root (whom
    // permissions do not stop), since nobody is meant to write it.
    void fileWithoutWritePermissionOpensReadOnly() {
        const auto p = file("locked.avvpstore");
        makeStore(p);
        fs::permissions(p, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
        const auto before = hash(p);
        {
            auto s = Store::open(p);
            QVERIFY(s->readOnly());
            QCOMPARE(s->access(), Store::Access::ReadOnlyNotWritable);
            readAndRefuseWrites(*s);
        }
        {
            auto s = Store::open(p, {.readOnly = true});  // the file's state wins the reason
            QCOMPARE(s->access(), Store::Access::ReadOnlyNotWritable);
        }
        QCOMPARE(hash(p), before);
        QVERIFY(!fs::exists(p.string() + "-wal"));
        fs::permissions(p, fs::perms::owner_write, fs::perm_options::add);
    }

    // A folder the user may not write (no -wal / -shm can be created there). Permissions
    // do not stop root, so this runs for other users only.
    void folderWithoutWritePermissionOpensReadOnly() {
        if (::geteuid() == 0) QSKIP("running as root: folder permissions do not stop writes");
        const auto dir = file("ro-folder");
        fs::create_directories(dir);
        const auto p = dir / "store.avvpstore";
        makeStore(p);
        const auto before = hash(p);
        fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
        {
            auto s = Store::open(p);
            QCOMPARE(s->access(), Store::Access::ReadOnlyNotWritable);
            readAndRefuseWrites(*s);
        }
        fs::permissions(dir, fs::perms::owner_all);
        QCOMPARE(hash(p), before);
        QVERIFY(!fs::exists(p.string() + "-wal"));
    }
};

QTEST_GUILESS_MAIN(TestStoreReadOnly)
#include "tst_store_readonly.moc"

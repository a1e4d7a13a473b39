// Durability and concurrency of the store with real processes:
//  - a writer process applying a stream of edits, each reported on a pipe once Store::apply
//    has returned (committed), is SIGKILLed mid-stream; after reopening, every reported
//    edit is in the log, every event is in its last reported state and PRAGMA
//    integrity_check is ok;
//  - two writer processes editing one store at the same time both finish and lose
//    nothing.
// The writers are this test binary started again with --writer.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "core/store/store.h"
#include "core/store/store_impl.h"
#include "store_test_util.h"

extern char** environ;

using namespace avvp;
using namespace avvp::store;
using namespace avvp::store::test;
namespace fs = std::filesystem;

namespace {

// One reported edit: the event it left and where (onset -1: deleted).
struct Report {
    EditId edit = 0;
    EventId event = 0;
    std::int64_t onset = 0, offset = 0;
};

// The writer: `count` edits (adds, moves, resizes, deletes and undos of its own events)
// by `annotator`, each reported as "edit event onset offset" after it committed.
int writerMain(const fs::path& path, const std::string& annotator, int count, unsigned seed,
               const fs::path& go, int pauseUs) {
    try {
        auto s = Store::open(path, {.annotator = annotator});
        // Writers started together wait for the go file, so that they edit at the same time.
        while (!go.empty() && !fs::exists(go)) ::usleep(1000);
        const auto video = s->videoByName("shared")->id;
        std::mt19937 rng(seed);
        auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
        std::vector<EventId> mine;
        for (int i = 0; i < count; ++i) {
            if (pauseUs > 0) ::usleep(static_cast<useconds_t>(pauseUs));
            const int k = uni(0, 99);
            EditResult r;
            EventId target = 0;
            if (mine.empty() || k < 50) {
                const int on = uni(0, 8999);
                r = s->apply(
                    Edit::add(video, core::Modality::Audio, uni(0, 24), on, uni(on + 1, 10000)));
                mine.push_back(r.events[0]);
                target = r.events[0];
            } else if (k < 75) {
                target = mine[static_cast<std::size_t>(uni(0, static_cast<int>(mine.size()) - 1))];
                const auto e = *s->event(target);
                const auto len = e.offsetMs - e.onsetMs;
                auto to = uni(0, static_cast<int>(10000 - len));
                if (to == e.onsetMs) to = to > 0 ? to - 1 : to + 1;
                if (to + len > 10000) continue;
                r = s->apply(Edit::move(target, to));
            } else if (k < 85) {
                target = mine[static_cast<std::size_t>(uni(0, static_cast<int>(mine.size()) - 1))];
                const int on = uni(0, 4999);
                r = s->apply(Edit::resize(target, on, uni(5000, 10000)));
            } else if (k < 95) {
                const auto at = static_cast<std::size_t>(uni(0, static_cast<int>(mine.size()) - 1));
                target = mine[at];
                r = s->apply(Edit::remove(target));
                mine.erase(mine.begin() + static_cast<std::ptrdiff_t>(at));
            } else {
                continue;
            }
            const auto e = s->event(target);
            char line[128];
            const int n = std::snprintf(
                line, sizeof line, "%lld %lld %lld %lld\n", static_cast<long long>(r.id),
                static_cast<long long>(target), static_cast<long long>(e ? e->onsetMs : -1),
                static_cast<long long>(e ? e->offsetMs : -1));
            // One write(2) per line: atomic on a pipe, and out before the next edit starts.
            if (::write(1, line, static_cast<std::size_t>(n)) != n) return 3;
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "writer %s: %s\n", annotator.c_str(), e.what());
        return 1;
    }
}

// A writer process with its stdout on a pipe.
class Writer {
  public:
    Writer(const fs::path& store, const std::string& annotator, int count, unsigned seed,
           const fs::path& go = {}, int pauseUs = 0) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) qFatal("pipe");
        fd_ = fds[0];
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
        const std::string self = fs::read_symlink("/proc/self/exe").string();
        std::vector<std::string> args = {self,
                                         "--writer",
                                         store.string(),
                                         annotator,
                                         std::to_string(count),
                                         std::to_string(seed),
                                         go.string(),
                                         std::to_string(pauseUs)};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (posix_spawn(&pid_, self.c_str(), &fa, nullptr, argv.data(), environ) != 0)
            qFatal("spawn");
        posix_spawn_file_actions_destroy(&fa);
        ::close(fds[1]);
    }
    ~Writer() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        ::close(fd_);
    }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    // Reads reports until `n` have arrived (or the pipe closes); returns how many there are.
    std::size_t readUntil(std::size_t n) {
        char buf[4096];
        while (reports.size() < n) {
            const auto got = ::read(fd_, buf, sizeof buf);
            if (got <= 0) break;
            pending_.append(buf, static_cast<std::size_t>(got));
            std::size_t nl;
            while ((nl = pending_.find('\n')) != std::string::npos) {
                std::istringstream in(pending_.substr(0, nl));
                Report r;
                in >> r.edit >> r.event >> r.onset >> r.offset;
                reports.push_back(r);
                pending_.erase(0, nl + 1);
            }
        }
        return reports.size();
    }
    void kill() { ::kill(pid_, SIGKILL); }
    // Waits for the process; returns its exit code, or -signal.
    int wait() {
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    }

    std::vector<Report> reports;

  private:
    pid_t pid_ = 0;
    int fd_ = -1;
    std::string pending_;
};

// Every reported edit is in the log and every event in its last reported state. A writer
// killed between a commit and its report leaves one committed edit it never reported
// (found in the log): its events must be in that edit's "after" state instead.
void verify(Store& s, const std::vector<Report>& reports, const std::string& annotator,
            bool allowUnreported = false) {
    std::map<EventId, Report> last;
    EditId newest = 0;
    for (const auto& r : reports) {
        QVERIFY2(
            s.impl().scalar("SELECT count(*) FROM edits WHERE id = " + std::to_string(r.edit)) == 1,
            ("edit " + std::to_string(r.edit) + " was lost").c_str());
        last[r.event] = r;
        newest = std::max(newest, r.edit);
    }
    // Committed edits of this writer after its newest report: none, or the one it made
    // just before it was killed.
    QSqlQuery q(s.impl().db);
    q.prepare("SELECT id, changes FROM edits WHERE id > ? AND annotator = ? ORDER BY id");
    q.addBindValue(static_cast<qint64>(newest));
    q.addBindValue(QString::fromStdString(annotator));
    QVERIFY(q.exec());
    int later = 0;
    while (q.next()) {
        QVERIFY2(++later <= (allowUnreported ? 1 : 0), "edits the writer never reported");
        const auto edit = static_cast<EditId>(q.value(0).toLongLong());
        for (const auto& c : QJsonDocument::fromJson(q.value(1).toByteArray()).array()) {
            const auto o = c.toObject();
            const auto id = static_cast<EventId>(o.value("id").toInteger());
            const auto after = o.value("after").toObject();
            Report r{edit, id, -1, -1};
            if (!after.isEmpty()) {
                r.onset = after.value("onset").toInteger();
                r.offset = after.value("offset").toInteger();
            }
            last[id] = r;
        }
    }
    for (const auto& [id, r] : last) {
        const auto e = s.event(id);
        if (r.onset < 0) {
            QVERIFY2(!e, ("event " + std::to_string(id) + " should be deleted").c_str());
        } else {
            QVERIFY2(e, ("event " + std::to_string(id) + " was lost").c_str());
            QCOMPARE(e->onsetMs, r.onset);
            QCOMPARE(e->offsetMs, r.offset);
        }
    }
}

}  // namespace

class TestStoreReliability : public QObject {
    Q_OBJECT

  private:
    QTemporaryDir tmp_;
    fs::path newStore(const std::string& name) {
        const auto p = fs::path(tmp_.path().toStdString()) / name;
        Store::open(p)->ensureVideo({.filename = "shared", .durationMs = 10000});
        return p;
    }

  private slots:
    void committedEditsSurviveSigkill() {
        std::mt19937 rng(11);
        for (int round = 0; round < 3; ++round) {
            const auto p = newStore("kill" + std::to_string(round) + ".avvpstore");
            std::vector<Report> all;
            {
                Writer w(p, "writer", 1000000, static_cast<unsigned>(round + 1));
                const auto killAt = std::uniform_int_distribution<std::size_t>(40, 250)(rng);
                QVERIFY(w.readUntil(killAt) >= killAt);
                w.kill();               // while it is committing the next edits
                w.readUntil(SIZE_MAX);  // what it reported before it died
                QCOMPARE(w.wait(), -SIGKILL);
                all = w.reports;
                QVERIFY(all.size() >= killAt);
            }
            auto s = Store::open(p, {.annotator = "writer"});
            QCOMPARE(s->integrityCheck(), std::string("ok"));
            verify(*s, all, "writer", /*allowUnreported=*/true);
            // The history is usable after the crash: undo the last reported edit.
            QCOMPARE(s->undoEntry()->id >= all.back().edit, true);
            s->undo();
        }
    }

    void twoProcessesLoseNothing() {
        const auto p = newStore("two.avvpstore");
        const int n = 400;
        const auto go = p.string() + ".go";
        // A pause between edits, as people make them: without one, SQLite's busy handler
        // (sleep and retry) lets one writer run its whole stream before the other.
        Writer a(p, "alice", n, 1, go, 300);
        Writer b(p, "bob", n, 2, go, 300);
        writeAll(go, "go");
        a.readUntil(SIZE_MAX);
        b.readUntil(SIZE_MAX);
        QCOMPARE(a.wait(), 0);
        QCOMPARE(b.wait(), 0);
        auto s = Store::open(p);
        QCOMPARE(s->integrityCheck(), std::string("ok"));
        verify(*s, a.reports, "alice");
        verify(*s, b.reports, "bob");
        QCOMPARE(s->impl().scalar("SELECT count(*) FROM edits"),
                 static_cast<std::int64_t>(a.reports.size() + b.reports.size()));
        // They really wrote at the same time: their edits interleave in the log.
        QVERIFY(a.reports.front().edit < b.reports.back().edit &&
                b.reports.front().edit < a.reports.back().edit);
        for (const auto* w : {&a, &b}) {
            std::set<EventId> events;
            for (const auto& r : w->reports) events.insert(r.event);
            QVERIFY(events.size() > 100);
        }
    }
};

int main(int argc, char** argv) {
    if (argc == 8 && std::string(argv[1]) == "--writer")
        return writerMain(argv[2], argv[3], std::atoi(argv[4]),
                          static_cast<unsigned>(std::atoi(argv[5])), argv[6], std::atoi(argv[7]));
    QCoreApplication app(argc, argv);
    TestStoreReliability test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_store_reliability.moc"

// avvp_bench_store_load: many annotators editing one store at once (issue 18, item 6).
//
// Starts a local PostgreSQL server in a scratch folder (as the tests' fixture does,
// tests/store/pg_server.h) and makes one SQLite store file; imports a small LLP subset
// (the first test-split videos with their dense labels) into each; then, per backend in
// the same run, starts N annotator PROCESSES (this executable again, in its hidden
// --worker mode) that each apply E edits through Store::apply (create / move / delete of
// their own correction events, each edit one transaction with its history row), on two
// videos of their own and on videos every annotator edits (--shared). When all have
// finished it checks that nothing was lost: per annotator, the store holds exactly the
// events the worker believes it has (id, video, times) and one history row per edit.
// Prints edit latency p50 / p99 / max and the throughput per backend; progress on stderr.
//
// usage: avvp_bench_store_load [--processes N] [--edits N] [--shared N] [--llp DIR]
//            [--backends postgresql,sqlite] [--seed N] [--keep DIR]
// Exit status: 0 when every backend kept every edit, 1 when something was lost or failed,
// 2 on a bad option.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "core/error.h"
#include "core/quote.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"
#include "tests/store/pg_server.h"

#include "bench_util.h"

namespace fs = std::filesystem;
using namespace avvp;
using bench::Clock;
using bench::msSince;

namespace {

constexpr const char* kUsage =
    "usage: avvp_bench_store_load [--processes N] [--edits N] [--shared N] [--llp DIR]\n"
    "           [--backends postgresql,sqlite] [--seed N] [--keep DIR]\n"
    "  N annotator processes x E edits (create / move / delete, each one transaction)\n"
    "  against a local PostgreSQL server and one SQLite file, in the same run; checks\n"
    "  that nothing was lost and prints edit latency p50 / p99 and the throughput.\n"
    "  defaults: --processes 10 --edits 1000 --shared 2 --backends postgresql,sqlite";

[[noreturn]] void badOption(const std::string& message) {
    std::fprintf(stderr, "avvp_bench_store_load: %s\n%s\n", message.c_str(), kUsage);
    std::exit(2);
}

int parseCount(const std::string& option, const std::string& v, int min) {
    char* end = nullptr;
    errno = 0;
    const long n = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end || errno || n < min || n > 1000000)
        badOption(option + " takes a count from " + std::to_string(min) + ", not " +
                  core::quote(v));
    return static_cast<int>(n);
}

// One correction event as the worker believes it is in the store.
struct Mine {
    store::EventId id = 0;
    store::VideoId video = 0;
    std::int64_t onset = 0, offset = 0;
    auto key() const { return std::tuple(id, video, onset, offset); }
};

std::vector<store::VideoId> parseIds(const std::string& text) {
    std::vector<store::VideoId> ids;
    std::stringstream ss(text);
    for (std::string part; std::getline(ss, part, ',');)
        if (!part.empty()) ids.push_back(std::stoll(part));
    return ids;
}

std::string joinIds(const std::vector<store::VideoId>& ids) {
    std::string out;
    for (auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
}

// ---- the worker: one annotator process ----------------------------------------------
// Opens the store, says "ready" on stdout, waits for a byte on stdin (all start
// together), applies the edits, writes "p K" every 50 edits and "done" at the end; its
// latencies and final events go to --out.
int worker(const std::map<std::string, std::string>& o) {
    const auto storeText = o.at("--store");
    const auto annotator = o.at("--annotator");
    const int edits = std::stoi(o.at("--edits"));
    const auto own = parseIds(o.at("--own"));
    const auto shared = parseIds(o.at("--shared-videos"));
    std::mt19937 rng(static_cast<unsigned>(std::stoul(o.at("--seed"))));
    auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    auto s = store::Store::open(fs::path(storeText), {.annotator = annotator, .create = false});
    std::printf("ready\n");
    std::fflush(stdout);
    char go = 0;
    if (::read(0, &go, 1) != 1) return 1;

    std::vector<Mine> mine;
    std::vector<double> latency;
    latency.reserve(static_cast<std::size_t>(edits));
    int adds = 0, moves = 0, deletes = 0, errors = 0;
    std::string firstError;
    for (int i = 0; i < edits; ++i) {
        const int kind = uni(0, 99);
        store::Edit e;
        std::size_t target = 0;
        if (mine.size() < 3 || kind < 40) {
            const bool onShared = !shared.empty() && uni(0, 99) < 30;
            const auto& pool = onShared ? shared : own;
            const auto video = pool[static_cast<std::size_t>(uni(0, int(pool.size()) - 1))];
            const int on = uni(0, 8);
            e = store::Edit::add(video, uni(0, 1) ? core::Modality::Audio : core::Modality::Visual,
                                 uni(0, 24), on * 1000LL, uni(on + 1, 10) * 1000LL);
        } else {
            target = static_cast<std::size_t>(uni(0, int(mine.size()) - 1));
            const auto& m = mine[target];
            if (kind < 75) {
                const auto slots = static_cast<int>((10000 - (m.offset - m.onset)) / 500);
                std::int64_t onset = m.onset;
                if (slots == 0) {
                    e = store::Edit::remove(m.id);  // a 10 s event cannot move
                } else {
                    while (onset == m.onset) onset = uni(0, slots) * 500LL;
                    e = store::Edit::move(m.id, onset);
                }
            } else {
                e = store::Edit::remove(m.id);
            }
        }
        const auto t0 = Clock::now();
        try {
            const auto r = s->apply(e);
            latency.push_back(msSince(t0));
            switch (e.kind) {
                case store::EditKind::Add:
                    ++adds;
                    mine.push_back({r.events.back(), e.video, e.onsetMs, e.offsetMs});
                    break;
                case store::EditKind::Move: {
                    ++moves;
                    auto& m = mine[target];
                    m.offset += e.onsetMs - m.onset;
                    m.onset = e.onsetMs;
                    break;
                }
                default:
                    ++deletes;
                    mine[target] = mine.back();
                    mine.pop_back();
                    break;
            }
        } catch (const std::exception& ex) {
            ++errors;
            if (firstError.empty()) firstError = ex.what();
        }
        if ((i + 1) % 50 == 0) {
            std::printf("p %d\n", i + 1);
            std::fflush(stdout);
        }
    }
    std::ofstream out(o.at("--out"));
    out << "summary " << adds << ' ' << moves << ' ' << deletes << ' ' << errors << '\n';
    if (!firstError.empty()) out << "error " << core::oneLine(firstError) << '\n';
    for (double ms : latency) out << "lat " << ms << '\n';
    for (const auto& m : mine)
        out << "event " << m.id << ' ' << m.video << ' ' << m.onset << ' ' << m.offset << '\n';
    out.close();
    std::printf("done\n");
    std::fflush(stdout);
    return out ? 0 : 1;
}

// ---- the parent ---------------------------------------------------------------------

struct Child {
    pid_t pid = -1;
    int in = -1, out = -1;  // our ends: its stdin, its stdout
    std::string buffer;
    bool ready = false, eof = false;
    int progress = 0;
};

Child spawnWorker(const std::vector<std::string>& argv) {
    int toChild[2], fromChild[2];
    // Close-on-exec: no worker inherits the pipes of another.
    if (::pipe2(toChild, O_CLOEXEC) != 0 || ::pipe2(fromChild, O_CLOEXEC) != 0)
        throw std::runtime_error("cannot create a pipe");
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("cannot fork a worker");
    if (pid == 0) {
        ::dup2(toChild[0], 0);
        ::dup2(fromChild[1], 1);
        ::close(toChild[0]);
        ::close(toChild[1]);
        ::close(fromChild[0]);
        ::close(fromChild[1]);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv("/proc/self/exe", args.data());
        std::_Exit(127);
    }
    ::close(toChild[0]);
    ::close(fromChild[1]);
    Child c;
    c.pid = pid;
    c.in = toChild[1];
    c.out = fromChild[0];
    return c;
}

// Reads what the children wrote; returns false when none is left open.
bool pumpChildren(std::vector<Child>& children, int timeoutMs) {
    std::vector<pollfd> fds;
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < children.size(); ++i)
        if (!children[i].eof) {
            fds.push_back({children[i].out, POLLIN, 0});
            which.push_back(i);
        }
    if (fds.empty()) return false;
    if (::poll(fds.data(), fds.size(), timeoutMs) <= 0) return true;
    for (std::size_t k = 0; k < fds.size(); ++k) {
        if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        auto& c = children[which[k]];
        char buf[4096];
        const auto n = ::read(c.out, buf, sizeof buf);
        if (n <= 0) {
            c.eof = true;
            ::close(c.out);
            continue;
        }
        c.buffer.append(buf, static_cast<std::size_t>(n));
        for (auto nl = c.buffer.find('\n'); nl != std::string::npos; nl = c.buffer.find('\n')) {
            const auto line = c.buffer.substr(0, nl);
            c.buffer.erase(0, nl + 1);
            if (line == "ready") c.ready = true;
            if (line.rfind("p ", 0) == 0) c.progress = std::atoi(line.c_str() + 2);
        }
    }
    return true;
}

struct BackendResult {
    std::string name;
    bench::Stat latency;
    double wallS = 0;
    int applied = 0, errors = 0;
    std::vector<std::string> problems;
};

// The first `videos` test-split videos of the LLP folder with their dense rows, as an LLP
// folder of their own.
store::LlpFiles writeSubset(const fs::path& llp, const fs::path& dir, int videos) {
    fs::create_directories(dir);
    std::unordered_set<std::string> names;
    {
        std::ifstream in(llp / "AVVP_test_pd.csv");
        if (!in) throw core::InputError(llp / "AVVP_test_pd.csv", 0, "cannot be read");
        std::ofstream out(dir / "AVVP_test_pd.csv");
        std::string line;
        std::getline(in, line);
        out << line << '\n';
        while (static_cast<int>(names.size()) < videos && std::getline(in, line)) {
            out << line << '\n';
            names.insert(line.substr(0, line.find('\t')));
        }
        if (static_cast<int>(names.size()) < videos)
            throw std::runtime_error("the LLP test split has only " + std::to_string(names.size()) +
                                     " videos; " + std::to_string(videos) + " are needed");
    }
    for (const char* dense : {"AVVP_eval_audio.csv", "AVVP_eval_visual.csv"}) {
        std::ifstream in(llp / dense);
        std::ofstream out(dir / dense);
        std::string line;
        if (std::getline(in, line)) out << line << '\n';
        while (std::getline(in, line))
            if (names.contains(line.substr(0, line.find('\t')))) out << line << '\n';
    }
    return store::LlpFiles::inFolder(dir);
}

BackendResult runBackend(const std::string& name, const std::string& storeText,
                         const store::LlpFiles& subset, const fs::path& scratch, int processes,
                         int edits, int sharedCount, unsigned seed) {
    BackendResult result;
    result.name = name;
    std::vector<store::VideoId> videos;
    {
        auto s = store::Store::open(fs::path(storeText), {.annotator = "setup"});
        store::importLlp(*s, subset);
        for (const auto& v : s->videos()) videos.push_back(v.video.id);
    }
    std::sort(videos.begin(), videos.end());
    const std::vector<store::VideoId> shared(videos.begin(), videos.begin() + sharedCount);
    std::vector<Child> children;
    std::vector<std::string> annotators;
    std::vector<fs::path> outs;
    for (int i = 0; i < processes; ++i) {
        const auto first = videos.begin() + sharedCount + 2 * i;
        annotators.push_back("annotator" + std::to_string(i + 1));
        outs.push_back(scratch / (name + "-" + annotators.back() + ".txt"));
        children.push_back(
            spawnWorker({"avvp_bench_store_load", "--worker", "--store", storeText, "--annotator",
                         annotators.back(), "--edits", std::to_string(edits), "--own",
                         joinIds({first, first + 2}), "--shared-videos", joinIds(shared), "--seed",
                         std::to_string(seed * 1000 + static_cast<unsigned>(i)), "--out",
                         outs.back().string()}));
    }
    // All open their connection first, then start together.
    // (A worker that failed to open has closed its end: start the others all the same.)
    while (!std::all_of(children.begin(), children.end(), [](auto& c) { return c.ready || c.eof; }))
        if (!pumpChildren(children, 1000)) break;
    const auto t0 = Clock::now();
    for (auto& c : children) {
        if (c.eof || ::write(c.in, "g", 1) != 1)
            result.problems.push_back("a worker did not start");
        ::close(c.in);
    }
    const int total = processes * edits;
    auto lastReport = Clock::now();
    while (pumpChildren(children, 200)) {
        if (msSince(lastReport) < 500) continue;
        lastReport = Clock::now();
        int done = 0;
        for (const auto& c : children) done += c.progress;
        const double s = msSince(t0) / 1000;
        const double rate = s > 0 ? done / s : 0;
        if (done > 0)
            std::fprintf(stderr, "\r  %s: %d/%d edits, %.0f edits/s, about %.0f s left   ",
                         name.c_str(), done, total, rate, (total - done) / rate);
    }
    result.wallS = msSince(t0) / 1000;
    std::fprintf(stderr, "\r  %s: %d/%d edits in %.1f s%30s\n", name.c_str(), total, total,
                 result.wallS, "");
    for (std::size_t i = 0; i < children.size(); ++i) {
        int status = 0;
        ::waitpid(children[i].pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            result.problems.push_back(annotators[i] + ": the worker process failed");
    }

    // Nothing lost: per annotator, the events it believes it has and one history row per
    // applied edit.
    std::vector<double> latencies;
    auto check = store::Store::open(fs::path(storeText), {.annotator = "check"});
    for (std::size_t i = 0; i < children.size(); ++i) {
        std::ifstream in(outs[i]);
        int adds = 0, moves = 0, deletes = 0, errors = 0;
        std::set<std::tuple<store::EventId, store::VideoId, std::int64_t, std::int64_t>> expected;
        for (std::string tag; in >> tag;) {
            if (tag == "summary") {
                in >> adds >> moves >> deletes >> errors;
            } else if (tag == "lat") {
                double ms = 0;
                in >> ms;
                latencies.push_back(ms);
            } else if (tag == "event") {
                Mine m;
                in >> m.id >> m.video >> m.onset >> m.offset;
                expected.insert(m.key());
            } else {
                std::string rest;
                std::getline(in, rest);
                if (tag == "error") result.problems.push_back(annotators[i] + ":" + rest);
            }
        }
        result.applied += adds + moves + deletes;
        result.errors += errors;
        if (errors)
            result.problems.push_back(annotators[i] + ": " + std::to_string(errors) +
                                      " edits failed");
        decltype(expected) found;
        for (const auto& e :
             check->events({.source = store::Source::Correction, .annotator = annotators[i]}))
            found.insert({e.id, e.video, e.onsetMs, e.offsetMs});
        if (found != expected)
            result.problems.push_back(annotators[i] + ": the store has " +
                                      std::to_string(found.size()) + " events, the worker " +
                                      std::to_string(expected.size()) + " (or they differ)");
        auto as =
            store::Store::open(fs::path(storeText), {.annotator = annotators[i], .create = false});
        const auto rows = static_cast<int>(as->history().size());
        if (rows != adds + moves + deletes)
            result.problems.push_back(annotators[i] + ": " + std::to_string(rows) +
                                      " history rows for " +
                                      std::to_string(adds + moves + deletes) + " edits");
    }
    result.latency = bench::summarize(latencies);
    return result;
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> o;
    bool isWorker = false;
    for (int i = 1; i < argc; ++i) {
        const std::string k = argv[i];
        if (k == "-h" || k == "--help") {
            std::puts(kUsage);
            return 0;
        }
        if (k == "--worker") {
            isWorker = true;
            continue;
        }
        static const std::set<std::string> known = {
            "--processes", "--edits", "--shared", "--llp", "--backends", "--seed", "--keep",
            // the worker's
            "--store", "--annotator", "--own", "--shared-videos", "--out"};
        if (!known.contains(k)) badOption("unknown option " + core::quote(k));
        if (i + 1 >= argc) badOption(k + " needs a value");
        o[k] = argv[++i];
    }
    // A worker that died must not kill us when we write its start byte.
    ::signal(SIGPIPE, SIG_IGN);
    if (isWorker) {
        try {
            return worker(o);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "avvp_bench_store_load worker: %s\n", e.what());
            return 1;
        }
    }
    const int processes =
        o.contains("--processes") ? parseCount("--processes", o["--processes"], 1) : 10;
    const int edits = o.contains("--edits") ? parseCount("--edits", o["--edits"], 1) : 1000;
    const int shared = o.contains("--shared") ? parseCount("--shared", o["--shared"], 0) : 2;
    const unsigned seed =
        o.contains("--seed") ? static_cast<unsigned>(parseCount("--seed", o["--seed"], 0)) : 1;
    const fs::path llp = o.contains("--llp") ? fs::path(o["--llp"])
                                             : fs::path(AVVP_SOURCE_DIR) / "resources" / "llp";
    std::vector<std::string> backends;
    {
        std::stringstream ss(o.contains("--backends") ? o["--backends"] : "postgresql,sqlite");
        for (std::string b; std::getline(ss, b, ',');) {
            if (b != "postgresql" && b != "sqlite")
                badOption("--backends takes postgresql and/or sqlite, not " + core::quote(b));
            backends.push_back(b);
        }
        if (backends.empty()) badOption("--backends names no backend");
    }
    try {
        std::string tmpl = (fs::temp_directory_path() / "avvp_bench_load_XXXXXX").string();
        if (!o.contains("--keep") && !::mkdtemp(tmpl.data()))
            throw std::runtime_error("cannot create a scratch folder");
        const fs::path scratch = o.contains("--keep") ? fs::path(o["--keep"]) : fs::path(tmpl);
        fs::create_directories(scratch);
        const int subsetVideos = std::max(50, shared + 2 * processes);
        const auto subset = writeSubset(llp, scratch / "llp", subsetVideos);
        std::printf(
            "avvp_bench_store_load: %d annotator processes x %d edits, %d shared videos, "
            "%d LLP test videos (scratch %s)\n\n",
            processes, edits, shared, subsetVideos, scratch.c_str());
        std::optional<store::test::PgServer> server;
        std::vector<BackendResult> results;
        for (const auto& b : backends) {
            std::string storeText;
            if (b == "postgresql") {
                std::fprintf(stderr, "  starting a local PostgreSQL server...\n");
                server.emplace();
                storeText = server->createDatabase("load");
            } else {
                storeText = (scratch / "load.avvpstore").string();
            }
            results.push_back(
                runBackend(b, storeText, subset, scratch, processes, edits, shared, seed));
        }
        server.reset();
        std::printf(
            "backend      processes x edits   p50 ms   p99 ms   max ms   edits/s   wall s  "
            "nothing lost\n");
        bool ok = true;
        for (const auto& r : results) {
            std::printf("%-12s %9d x %-6d %8.2f %8.2f %8.1f %9.0f %8.1f  %s\n", r.name.c_str(),
                        processes, edits, r.latency.median, r.latency.p99, r.latency.max,
                        r.wallS > 0 ? r.applied / r.wallS : 0.0, r.wallS,
                        r.problems.empty() ? "yes" : "NO");
            for (const auto& p : r.problems) std::printf("    %s: %s\n", r.name.c_str(), p.c_str());
            ok = ok && r.problems.empty();
        }
        if (!o.contains("--keep")) fs::remove_all(scratch);
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "avvp_bench_store_load: error: %s\n", e.what());
        return 1;
    }
}

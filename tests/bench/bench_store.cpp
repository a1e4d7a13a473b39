// avvp_bench_store: how fast the label store imports LLP and applies edits.
//
//  (a) import of the six LLP annotation files (11849 videos, 6626 dense rows) into a new
//      store: importLlp (one transaction, prepared statements) against a baseline measured
//      in the same run, the same rows written one transaction per row (the naive way:
//      autocommit); median and min over runs, fresh store file each run;
//  (b) the whole `avvp import` process (Qt loaded on demand), and a re-import (nothing
//      changes);
//  (c) edit latency: a stream of edits (add, move, resize, relabel, delete, accept and
//      reject of predictions) applied one by one through Store::apply, each its own
//      transaction with its history row, median / p99 / max; against the same stream with
//      synchronous=FULL (an fsync per commit) as the baseline; then undo and redo;
//  (d) reads the GUI does: the video list with counts (all 11849) and the probabilities
//      of a run for the test split.
//
// usage: avvp_bench_store [--llp DIR] [--runs N] [--baseline-runs N] [--edits N]
//            [--baseline-edits N] [--process-runs N] [--seed N] [--avvp PATH] [--keep DIR]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/llp_dataset.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"

#include "bench_util.h"

namespace fs = std::filesystem;
using namespace avvp;
using bench::Clock;
using bench::msSince;
using bench::Stat;
using bench::summarize;

namespace {

void removeStore(const fs::path& p) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix);
}

// The baseline import: the same parsed rows, every write its own transaction.
void naiveImport(store::Store& s, const fs::path& llp) {
    const auto files = store::LlpFiles::inFolder(llp);
    std::vector<std::pair<core::Split, core::WeakLabelFile>> splits;
    for (auto sp : core::kSplits)
        splits.emplace_back(sp, core::readWeakLabels(core::splitFile(llp, sp)));
    const auto audio = core::readDenseLabels(*files.audio);
    const auto visual = core::readDenseLabels(*files.visual);
    std::unordered_map<std::string, store::VideoId> ids;
    for (const auto& [split, file] : splits)
        for (const auto& r : file.rows) {
            if (ids.contains(r.filename)) continue;
            const auto id = s.ensureVideo({r.filename, split, 10000, {}});
            ids.emplace(r.filename, id);
            s.setWeakLabels(id, r.classes);
        }
    for (auto m : core::kModalities) {
        std::map<store::VideoId, std::vector<store::NewEvent>> byVideo;
        for (const auto& r : (m == core::Modality::Audio ? audio : visual).rows) {
            const auto it = ids.find(r.filename);
            if (it == ids.end() || r.offset <= r.onset) continue;
            byVideo[it->second].push_back({m, r.cls, r.onset * 1000LL, r.offset * 1000LL});
        }
        for (const auto& [id, events] : byVideo)
            s.replaceEvents(id, m, store::Source::GroundTruth, events);
    }
}

struct EditTimes {
    std::vector<double> apply, undo, redo;
    int failed = 0;
};

// A realistic stream of annotation edits on the test split.
EditTimes editStream(store::Store& s, int n, unsigned seed) {
    std::mt19937 rng(seed);
    auto pick = [&](auto& v) -> auto& {
        return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
    };
    auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    store::VideoFilter f;
    f.split = core::Split::Test;
    std::vector<store::VideoId> videos;
    for (const auto& v : s.videos(f)) videos.push_back(v.video.id);
    std::vector<store::EventId> predictions;
    const auto run = s.runByName("bench");
    if (run)
        for (const auto& e : s.events(
                 {.split = core::Split::Test, .source = store::Source::Prediction, .run = run->id}))
            predictions.push_back(e.id);
    std::vector<store::EventId> mine;  // live corrections
    EditTimes t;
    for (int i = 0; i < n; ++i) {
        store::Edit e;
        const int kind = uni(0, 99);
        if (mine.size() < 20 || kind < 30) {
            const int on = uni(0, 9);
            e = store::Edit::add(pick(videos),
                                 uni(0, 1) ? core::Modality::Audio : core::Modality::Visual,
                                 uni(0, 24), on * 1000LL, uni(on + 1, 10) * 1000LL);
        } else if (kind < 50) {
            const auto ev = s.event(pick(mine));
            const auto len = ev->offsetMs - ev->onsetMs;
            e = store::Edit::move(ev->id, uni(0, static_cast<int>((10000 - len) / 500)) * 500LL);
        } else if (kind < 65) {
            const int on = uni(0, 18);
            e = store::Edit::resize(pick(mine), on * 500LL, uni(on + 1, 20) * 500LL);
        } else if (kind < 75) {
            e = store::Edit::relabel(pick(mine), uni(0, 24));
        } else if (kind < 85) {
            auto& id = pick(mine);
            e = store::Edit::remove(id);
            std::swap(id, mine.back());
            mine.pop_back();
        } else if (!predictions.empty()) {
            auto& id = pick(predictions);
            e = kind < 95 ? store::Edit::accept(id) : store::Edit::reject(id);
            std::swap(id, predictions.back());
            predictions.pop_back();
        } else {
            continue;
        }
        const auto t0 = Clock::now();
        try {
            const auto r = s.apply(e);
            t.apply.push_back(msSince(t0));
            if (e.kind == store::EditKind::Add || e.kind == store::EditKind::Accept)
                mine.push_back(r.events.back());
        } catch (const store::EditError&) {
            ++t.failed;  // e.g. a move to where it already is
        }
    }
    for (int i = 0; i < std::min(n / 10, 1000); ++i) {
        const auto t0 = Clock::now();
        s.undo();
        t.undo.push_back(msSince(t0));
    }
    for (int i = 0; i < std::min(n / 10, 1000); ++i) {
        const auto t0 = Clock::now();
        s.redo();
        t.redo.push_back(msSince(t0));
    }
    return t;
}

void addRandomRun(store::Store& s, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0, 1);
    const auto run = s.addRun({.name = "bench"});
    store::VideoFilter f;
    f.split = core::Split::Test;
    std::vector<store::SegmentProbabilities> probs;
    for (const auto& v : s.videos(f)) {
        store::SegmentProbabilities p;
        p.video = v.video.id;
        p.frame.resize(10 * 2 * 25);
        p.global.resize(25);
        for (auto& x : p.frame) x = u(rng);
        for (auto& x : p.global) x = u(rng) * u(rng);
        probs.push_back(std::move(p));
    }
    s.putProbabilities(run, probs);
}

void row(const char* name, const Stat& s, const std::string& note = "") {
    std::printf("  %-52s %6d %9.2f %9.2f  %s\n", name, s.runs, s.median, s.min, note.c_str());
}

void latency(const char* name, const Stat& s, const std::string& note = "") {
    std::printf("  %-44s %6d %8.3f %8.3f %8.3f  %s\n", name, s.runs, s.median, s.p99, s.max,
                note.c_str());
}

int parseInt(const char* v, const char* opt) {
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    if (!*v || *end || n < 0) {
        std::fprintf(stderr, "avvp_bench_store: bad value for %s\n", opt);
        std::exit(2);
    }
    return static_cast<int>(n);
}

}  // namespace

int main(int argc, char** argv) {
    fs::path llp = fs::path(AVVP_SOURCE_DIR) / "resources" / "llp";
    int runs = 7, baselineRuns = 1, edits = 10000, baselineEdits = 10000, processRuns = 5;
    unsigned seed = 1;
    std::error_code ec;
    fs::path avvp = fs::read_symlink("/proc/self/exe", ec).parent_path() / "avvp";
    std::optional<fs::path> keep;
    for (int i = 1; i < argc; ++i) {
        const std::string k = argv[i];
        if (k == "-h" || k == "--help") {
            std::puts(
                "usage: avvp_bench_store [--llp DIR] [--runs N] [--baseline-runs N] [--edits N]\n"
                "           [--baseline-edits N] [--process-runs N] [--seed N] [--avvp PATH] "
                "[--keep DIR]");
            return 0;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "avvp_bench_store: %s needs a value\n", k.c_str());
            return 2;
        }
        const char* v = argv[++i];
        if (k == "--llp")
            llp = v;
        else if (k == "--runs")
            runs = std::max(1, parseInt(v, "--runs"));
        else if (k == "--baseline-runs")
            baselineRuns = parseInt(v, "--baseline-runs");
        else if (k == "--edits")
            edits = parseInt(v, "--edits");
        else if (k == "--baseline-edits")
            baselineEdits = parseInt(v, "--baseline-edits");
        else if (k == "--process-runs")
            processRuns = parseInt(v, "--process-runs");
        else if (k == "--seed")
            seed = static_cast<unsigned>(parseInt(v, "--seed"));
        else if (k == "--avvp")
            avvp = v;
        else if (k == "--keep")
            keep = v;
        else {
            std::fprintf(stderr, "avvp_bench_store: unknown option %s\n", k.c_str());
            return 2;
        }
    }
    try {
        std::string tmpl = (fs::temp_directory_path() / "avvp_bench_store_XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a scratch folder");
        const fs::path tmp = keep.value_or(fs::path(tmpl));
        fs::create_directories(tmp);
        const fs::path db = tmp / "bench.avvpstore";
        const auto files = store::LlpFiles::inFolder(llp);
        std::printf("avvp_bench_store: %s (scratch %s)\n\n", llp.c_str(), tmp.c_str());

        std::printf("import of the six LLP files into a new store     runs  median ms    min ms\n");
        std::vector<double> ours, naive, reimport;
        store::ImportReport report;
        for (int r = 0; r < runs; ++r) {
            removeStore(db);
            const auto t0 = Clock::now();
            auto s = store::Store::open(db);
            report = store::importLlp(*s, files);
            s.reset();
            ours.push_back(msSince(t0));
        }
        {
            auto s = store::Store::open(db);
            for (int r = 0; r < runs; ++r) {
                const auto t0 = Clock::now();
                const auto again = store::importLlp(*s, files);
                reimport.push_back(msSince(t0));
                if (again.changed()) throw std::runtime_error("re-import changed the store");
            }
        }
        const fs::path naiveDb = tmp / "naive.avvpstore";
        for (int r = 0; r < baselineRuns; ++r) {
            removeStore(naiveDb);
            const auto t0 = Clock::now();
            auto s = store::Store::open(naiveDb);
            naiveImport(*s, llp);
            s.reset();
            naive.push_back(msSince(t0));
        }
        const auto so = summarize(ours);
        row("importLlp (open + one transaction)", so,
            std::to_string(report.videosAdded) + " videos, " +
                std::to_string(report.eventsImported) + " events");
        row("re-import of the same files (no change)", summarize(reimport));
        if (!naive.empty()) {
            const auto sn = summarize(naive);
            char note[64];
            std::snprintf(note, sizeof note, "baseline: %.1fx slower", sn.median / so.median);
            row("naive: a transaction per row (autocommit)", sn, note);
        }
        if (processRuns > 0 && fs::exists(avvp)) {
            std::vector<double> proc;
            const fs::path pdb = tmp / "process.avvpstore";
            for (int r = 0; r < processRuns; ++r) {
                removeStore(pdb);
                const double ms =
                    bench::runProcess({avvp.string(), "import", "--store", pdb.string(), "--llp",
                                       llp.string(), "--quiet"},
                                      "/dev/null", false);
                if (ms < 0) throw std::runtime_error("avvp import failed");
                proc.push_back(ms);
            }
            row("`avvp import --llp` whole process, new store", summarize(proc));
        }

        std::printf(
            "\nedit latency (ms), one edit = one transaction    edits   median      p99      "
            "max\n");
        {
            auto s = store::Store::open(db);
            addRandomRun(*s, seed);
        }
        fs::copy_file(db, tmp / "full.avvpstore", fs::copy_options::overwrite_existing);
        EditTimes normal, full;
        {
            auto s = store::Store::open(db, {.annotator = "bench"});
            normal = editStream(*s, edits, seed);
            if (s->integrityCheck() != "ok") throw std::runtime_error("integrity check failed");
        }
        const auto sa = summarize(normal.apply);
        latency("apply, synchronous=NORMAL (ours)", sa);
        latency("undo", summarize(normal.undo));
        latency("redo", summarize(normal.redo));
        if (baselineEdits > 0) {
            auto s = store::Store::open(tmp / "full.avvpstore",
                                        {.annotator = "bench", .fullSync = true});
            full = editStream(*s, baselineEdits, seed);
            const auto sf = summarize(full.apply);
            char note[64];
            std::snprintf(note, sizeof note, "baseline: median %.1fx, p99 %.1fx",
                          sf.median / sa.median, sf.p99 / sa.p99);
            latency("apply, synchronous=FULL (fsync per commit)", sf, note);
        }

        std::printf(
            "\nreads                                               runs  median ms    min ms\n");
        {
            auto s = store::Store::open(db);
            std::vector<double> list, probs;
            std::size_t n = 0, p = 0;
            const auto run = s->runByName("bench");
            for (int r = 0; r < runs; ++r) {
                auto t0 = Clock::now();
                n = s->videos().size();
                list.push_back(msSince(t0));
                t0 = Clock::now();
                p = s->probabilities(run->id, core::Split::Test).size();
                probs.push_back(msSince(t0));
            }
            row("videos(): every video with counts", summarize(list),
                std::to_string(n) + " videos");
            row("probabilities(run, test split)", summarize(probs), std::to_string(p) + " videos");
        }
        if (!keep) fs::remove_all(tmp);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "avvp_bench_store: error: %s\n", e.what());
        return 1;
    }
    return 0;
}

// avvp_bench_eval: how long scoring the LLP test split takes.
//
//  (a) in process with avvp_core: parse the five files (split, GT audio / visual,
//      predicted audio / visual), build the grids, score; median and min over N runs;
//  (b) a naive C++ port of the public reference's algorithm (per video, a linear scan of
//      every row of every table as pandas' df.loc does, double 25x10 arrays, events as
//      10-long double vectors, IoU by summing vectors), on the same inputs in the same
//      run; it must give the same ten scores; the speed-up is reported;
//  (c) whole process: `avvp eval --format tsv` started N times; and, when
//      /usr/bin/python3 exists, the Python oracle tools/reference_eval.py likewise.
//
// usage: avvp_bench_eval [--llp DIR] [--split test|val|FILE] [--gt-audio GA]
//            [--gt-visual GV] [--pred-audio PA --pred-visual PV] [--seed N] [--reps N]
//            [--process-runs N] [--python-runs N] [--avvp PATH] [--python PATH]
// Without --pred-*, deterministic realistic predictions are generated from the GT.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "bench_util.h"
#include "core/error.h"
#include "core/evaluation.h"
#include "core/llp_dataset.h"
#include "core/llp_files.h"
#include "core/rng.h"

namespace fs = std::filesystem;
using namespace avvp::core;
using avvp::bench::Clock;
using avvp::bench::msSince;
using avvp::bench::runProcess;
using avvp::bench::Stat;
using avvp::bench::summarize;
using Scores = std::array<double, 10>;

namespace {

Scores flatten(const LevelScores& s) {
    Scores out{};
    for (int i = 0; i < kNumMetrics; ++i) {
        out[static_cast<std::size_t>(i)] = s.segment[static_cast<std::size_t>(i)];
        out[static_cast<std::size_t>(i + 5)] = s.event[static_cast<std::size_t>(i)];
    }
    return out;
}

// ------------------------------------------------------------------ prediction generator
// splitmix64: the same numbers on every platform (std distributions are not portable).
using Rng = avvp::core::SplitMix64;

int clip10(int x) {
    return std::clamp(x, 0, kLlpSegments);
}

// Mirrors tools/make_random_preds.py: GT rows dropped / jittered / relabelled, duplicate
// and overlapping copies, rows from the other modality, spurious rows (some zero-length
// or reversed), rows for videos outside the split.
std::vector<DenseLabelRow> perturb(Rng& rng, const std::vector<DenseLabelRow>& gt,
                                   const std::vector<DenseLabelRow>& other,
                                   const std::vector<std::string>& videos,
                                   const std::vector<std::string>& outside) {
    std::vector<DenseLabelRow> out;
    for (auto r : gt) {
        const double u = rng.uniform();
        if (u < 0.15) continue;
        if (u < 0.75) {
            r.onset = clip10(r.onset + rng.between(-3, 3));
            r.offset = clip10(r.offset + rng.between(-3, 3));
        } else if (u < 0.80) {
            r.cls = rng.between(0, kNumClasses - 1);
        }
        out.push_back(r);
        const double q = rng.uniform();
        if (q < 0.05) {
            out.push_back(r);
        } else if (q < 0.12 && r.offset > r.onset) {
            const int a = rng.between(r.onset, r.offset);
            out.push_back({r.filename, a, clip10(a + rng.between(0, 4)), r.cls, 0});
        }
    }
    for (const auto& r : other)
        if (rng.uniform() < 0.08) out.push_back(r);
    for (const auto& v : videos) {
        static constexpr int kSpurious[] = {0, 0, 0, 1, 1, 2, 3};
        for (int k = kSpurious[rng.between(0, 6)]; k > 0; --k) {
            int a = rng.between(0, 10), b = rng.between(0, 10);
            if (rng.uniform() < 0.85 && a > b) std::swap(a, b);
            out.push_back({v, a, b, rng.between(0, kNumClasses - 1), 0});
        }
        if (rng.uniform() < 0.02) out.push_back({v, 0, 10, rng.between(0, kNumClasses - 1), 0});
    }
    for (const auto& name : outside) {
        const int a = rng.between(0, 9);
        out.push_back({name, a, rng.between(a + 1, 10), rng.between(0, kNumClasses - 1), 0});
    }
    for (std::size_t i = out.size(); i > 1; --i)  // Fisher-Yates
        std::swap(out[i - 1], out[static_cast<std::size_t>(rng.next() % i)]);
    return out;
}

std::vector<DenseLabelRow> rowsOf(const std::vector<DenseLabelRow>& rows,
                                  const std::unordered_set<std::string>& names) {
    std::vector<DenseLabelRow> out;
    for (const auto& r : rows)
        if (names.contains(r.filename)) out.push_back(r);
    return out;
}

// ------------------------------------------------------------------ naive reference port
struct NaiveRow {
    std::string filename;
    double onset = 0, offset = 0;
    std::string label;
};

// Reads a tab-separated table the simple way (getline + stringstream), like read_csv.
std::vector<std::map<std::string, std::string>> naiveReadTable(const fs::path& path) {
    std::ifstream in(path);
    std::string line;
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
    auto splitLine = [](const std::string& l) {
        std::vector<std::string> f;
        std::stringstream ss(l);
        std::string x;
        while (std::getline(ss, x, '\t')) f.push_back(x);
        if (!l.empty() && l.back() == '\t') f.emplace_back();
        return f;
    };
    if (!std::getline(in, line)) return rows;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    header = splitLine(line);
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        const auto f = splitLine(line);
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < f.size(); ++i) row[header[i]] = f[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<NaiveRow> naiveReadDense(const fs::path& path) {
    std::vector<NaiveRow> out;
    for (auto& r : naiveReadTable(path))
        out.push_back(
            {r["filename"], std::stod(r["onset"]), std::stod(r["offset"]), r["event_labels"]});
    return out;
}

using Grid = std::array<std::array<double, 10>, kNumClasses>;
using Vec10 = std::array<double, 10>;

void naiveFill(Grid& g, const std::vector<NaiveRow>& table, const std::string& name,
               const std::map<std::string, int>& idToIdx) {
    for (const auto& r : table) {  // df.loc[df['filename'] == name]
        if (r.filename != name) continue;
        const int idx = idToIdx.at(r.label);
        const int x1 = static_cast<int>(r.onset), x2 = static_cast<int>(r.offset);
        for (int t = std::max(x1, 0); t < std::min(x2, 10); ++t)
            g[static_cast<std::size_t>(idx)][static_cast<std::size_t>(t)] = 1;
    }
}

Vec10 toVec(int start, int end) {
    Vec10 x{};
    for (int i = start; i < end; ++i) x[static_cast<std::size_t>(i)] = 1;
    return x;
}

std::vector<Vec10> extractEvent(const Vec10& seq) {
    std::vector<Vec10> x;
    int i = 0;
    while (i < 10) {
        if (seq[static_cast<std::size_t>(i)] == 1) {
            const int start = i;
            while (i < 10 && seq[static_cast<std::size_t>(i)] == 1) ++i;
            x.push_back(toVec(start, i));
        } else {
            ++i;
        }
    }
    return x;
}

bool iouPass(const Vec10& a, const Vec10& b) {
    double inter = 0, uni = 0;
    for (std::size_t k = 0; k < 10; ++k) {
        inter += a[k] * b[k];
        uni += a[k] + b[k] - a[k] * b[k];
    }
    return inter >= 0.5 * uni;
}

void eventWiseMetric(const std::vector<Vec10>& p, const std::vector<Vec10>& g, double& tp,
                     double& fp, double& fn) {
    tp = fp = fn = 0;
    for (const auto& x1 : p) {
        bool flag = true;
        for (const auto& x2 : g)
            if (iouPass(x1, x2)) {
                tp += 1;
                flag = false;
                break;
            }
        if (flag) fp += 1;
    }
    for (const auto& x1 : g) {
        bool flag = true;
        for (const auto& x2 : p)
            if (iouPass(x1, x2)) {
                flag = false;
                break;
            }
        if (flag) fn += 1;
    }
}

double naiveF(const std::array<double, kNumClasses>& tp, const std::array<double, kNumClasses>& fp,
              const std::array<double, kNumClasses>& fn) {
    std::vector<double> f;
    for (std::size_t i = 0; i < kNumClasses; ++i)
        if (tp[i] + fp[i] != 0 || tp[i] + fn[i] != 0)
            f.push_back(2 * tp[i] / (2 * tp[i] + fn[i] + fp[i]));
    if (f.empty()) return 1.0;
    double s = 0;
    for (double x : f) s += x;
    return s / static_cast<double>(f.size());
}

using CountFn =
    std::function<void(const Grid&, const Grid&, std::array<double, kNumClasses>&,
                       std::array<double, kNumClasses>&, std::array<double, kNumClasses>&)>;

void segmentCountsNaive(const Grid& so, const Grid& gt, std::array<double, kNumClasses>& tp,
                        std::array<double, kNumClasses>& fp, std::array<double, kNumClasses>& fn) {
    for (std::size_t c = 0; c < kNumClasses; ++c) {
        tp[c] = fp[c] = fn[c] = 0;
        for (std::size_t t = 0; t < 10; ++t) {
            tp[c] += so[c][t] * gt[c][t];
            fn[c] += (1 - so[c][t]) * gt[c][t];
            fp[c] += so[c][t] * (1 - gt[c][t]);
        }
    }
}

void eventCountsNaive(const Grid& so, const Grid& gt, std::array<double, kNumClasses>& tp,
                      std::array<double, kNumClasses>& fp, std::array<double, kNumClasses>& fn) {
    for (std::size_t c = 0; c < kNumClasses; ++c) {
        std::vector<Vec10> ep, eg;
        double sp = 0, sg = 0;
        for (std::size_t t = 0; t < 10; ++t) {
            sp += so[c][t];
            sg += gt[c][t];
        }
        if (sp != 0) ep = extractEvent(so[c]);
        if (sg != 0) eg = extractEvent(gt[c]);
        eventWiseMetric(ep, eg, tp[c], fp[c], fn[c]);
    }
}

std::array<double, 4> naiveLevel(const CountFn& count, const Grid& soA, const Grid& soV,
                                 const Grid& soAv, const Grid& gtA, const Grid& gtV,
                                 const Grid& gtAv) {
    std::array<double, kNumClasses> tpA{}, fpA{}, fnA{}, tpV{}, fpV{}, fnV{}, tpAv{}, fpAv{},
        fnAv{}, tp{}, fp{}, fn{};
    count(soA, gtA, tpA, fpA, fnA);
    count(soV, gtV, tpV, fpV, fnV);
    count(soAv, gtAv, tpAv, fpAv, fnAv);
    for (std::size_t c = 0; c < kNumClasses; ++c) {
        tp[c] = tpA[c] + tpV[c];
        fp[c] = fpA[c] + fpV[c];
        fn[c] = fnA[c] + fnV[c];
    }
    return {naiveF(tpA, fpA, fnA), naiveF(tpV, fpV, fnV), naiveF(tpAv, fpAv, fnAv),
            naiveF(tp, fp, fn)};
}

struct NaiveTiming {
    double parseMs = 0, scoreMs = 0;
};

Scores naiveEvaluate(const fs::path& split, const fs::path& ga, const fs::path& gv,
                     const fs::path& pa, const fs::path& pv, NaiveTiming& timing) {
    const auto t0 = Clock::now();
    std::vector<std::string> videos;
    for (auto& r : naiveReadTable(split)) videos.push_back(r["filename"]);
    const auto gtA = naiveReadDense(ga), gtV = naiveReadDense(gv);
    const auto pA = naiveReadDense(pa), pV = naiveReadDense(pv);
    timing.parseMs = msSince(t0);

    const auto t1 = Clock::now();
    std::map<std::string, int> idToIdx;
    for (int c = 0; c < kNumClasses; ++c)
        idToIdx[std::string(kClassNames[static_cast<std::size_t>(c)])] = c;
    std::vector<std::array<double, 4>> seg, evt;
    for (const auto& name : videos) {
        Grid soA{}, soV{}, gA{}, gV{}, soAv{}, gAv{};
        naiveFill(gA, gtA, name, idToIdx);
        naiveFill(gV, gtV, name, idToIdx);
        naiveFill(soA, pA, name, idToIdx);
        naiveFill(soV, pV, name, idToIdx);
        for (std::size_t c = 0; c < kNumClasses; ++c)
            for (std::size_t t = 0; t < 10; ++t) {
                soAv[c][t] = soA[c][t] * soV[c][t];
                gAv[c][t] = gA[c][t] * gV[c][t];
            }
        seg.push_back(naiveLevel(segmentCountsNaive, soA, soV, soAv, gA, gV, gAv));
        evt.push_back(naiveLevel(eventCountsNaive, soA, soV, soAv, gA, gV, gAv));
    }
    auto mean = [](const std::vector<std::array<double, 4>>& v, std::size_t k) {
        double s = 0;
        for (const auto& x : v) s += x[k];
        return 100.0 * s / static_cast<double>(v.size());
    };
    Scores out{};
    for (std::size_t lv = 0; lv < 2; ++lv) {
        const auto& v = lv == 0 ? seg : evt;
        const double a = mean(v, 0), vis = mean(v, 1), av = mean(v, 2), ev = mean(v, 3);
        out[lv * 5 + 0] = a;
        out[lv * 5 + 1] = vis;
        out[lv * 5 + 2] = av;
        out[lv * 5 + 3] = (a + vis + av) / 3.0;
        out[lv * 5 + 4] = ev;
    }
    timing.scoreMs = msSince(t1);
    return out;
}

// ------------------------------------------------------------------ whole process
std::optional<Scores> readTsvScores(const fs::path& file) {
    std::ifstream in(file);
    std::string header, values;
    if (!std::getline(in, header) || !std::getline(in, values)) return std::nullopt;
    Scores s{};
    std::stringstream ss(values);
    for (auto& x : s)
        if (!(ss >> x)) return std::nullopt;
    return s;
}

double maxDiff(const Scores& a, const Scores& b) {
    double d = 0;
    for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
    return d;
}

std::string formatScores(const Scores& s) {
    std::string out;
    char buf[32];
    for (std::size_t i = 0; i < s.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%s%.2f", i ? " " : "", s[i]);
        out += buf;
    }
    return out;
}

struct Args {
    fs::path llp = fs::path(AVVP_SOURCE_DIR) / "resources" / "llp";
    std::string split = "test";
    std::optional<fs::path> gtAudio, gtVisual, predAudio, predVisual;
    unsigned long seed = 1;
    int reps = 15, processRuns = 30, pythonRuns = 5;
    fs::path avvp, python = "/usr/bin/python3";
    fs::path oracle = fs::path(AVVP_SOURCE_DIR) / "tools" / "reference_eval.py";
};

[[noreturn]] void usage(const char* msg) {
    std::fprintf(stderr,
                 "avvp_bench_eval: %s\nusage: avvp_bench_eval [--llp DIR] [--split "
                 "test|val|FILE] [--gt-audio GA] [--gt-visual GV] [--pred-audio PA "
                 "--pred-visual PV] [--seed N] [--reps N] [--process-runs N] [--python-runs N] "
                 "[--avvp PATH] [--python PATH]\n",
                 msg);
    std::exit(2);
}

Args parseArgs(int argc, char** argv) {
    Args a;
    std::error_code ec;
    a.avvp = fs::read_symlink("/proc/self/exe", ec).parent_path() / "avvp";
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        if (k == "-h" || k == "--help") usage("scores the LLP test split, timed");
        std::string v;
        if (const auto eq = k.find('='); eq != std::string::npos) {
            v = k.substr(eq + 1);
            k = k.substr(0, eq);
        } else {
            if (i + 1 >= argc) usage(("option " + k + " needs a value").c_str());
            v = argv[++i];
        }
        auto num = [&](int lo) {
            char* end = nullptr;
            const long n = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end != 0 || n < lo) usage(("bad value for " + k).c_str());
            return static_cast<int>(n);
        };
        if (k == "--llp")
            a.llp = v;
        else if (k == "--split")
            a.split = v;
        else if (k == "--gt-audio")
            a.gtAudio = v;
        else if (k == "--gt-visual")
            a.gtVisual = v;
        else if (k == "--pred-audio")
            a.predAudio = v;
        else if (k == "--pred-visual")
            a.predVisual = v;
        else if (k == "--seed")
            a.seed = static_cast<unsigned long>(num(0));
        else if (k == "--reps")
            a.reps = num(1);
        else if (k == "--process-runs")
            a.processRuns = num(0);
        else if (k == "--python-runs")
            a.pythonRuns = num(0);
        else if (k == "--avvp")
            a.avvp = v;
        else if (k == "--python")
            a.python = v;
        else
            usage(("unknown option " + k).c_str());
    }
    if (a.predAudio.has_value() != a.predVisual.has_value())
        usage("give both --pred-audio and --pred-visual, or neither");
    return a;
}

void printRow(const char* name, const Stat& s, const std::string& note = "") {
    std::printf("  %-46s %5d %11.2f %9.2f  %s\n", name, s.runs, s.median, s.min, note.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    const Args args = parseArgs(argc, argv);
    try {
        fs::path splitPath = args.split;
        if (auto s = splitFromName(args.split)) splitPath = splitFile(args.llp, *s);
        const fs::path gaPath = args.gtAudio.value_or(args.llp / LlpFileNames::audio);
        const fs::path gvPath = args.gtVisual.value_or(args.llp / LlpFileNames::visual);

        // Scratch folder for generated predictions and process output.
        std::string tmpl = (fs::temp_directory_path() / "avvp_bench_XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a scratch folder");
        const fs::path tmp = tmpl;

        fs::path paPath, pvPath;
        std::string predNote;
        if (args.predAudio) {
            paPath = *args.predAudio;
            pvPath = *args.predVisual;
            predNote = "given";
        } else {
            const auto split = readWeakLabels(splitPath);
            const auto names = videoNames(split);
            const std::unordered_set<std::string> nameSet(names.begin(), names.end());
            const auto ga = rowsOf(readDenseLabels(gaPath).rows, nameSet);
            const auto gv = rowsOf(readDenseLabels(gvPath).rows, nameSet);
            std::vector<std::string> outside;
            for (const auto& v : loadLlpFolder(args.llp).videos)
                if (!nameSet.contains(v.filename) && outside.size() < 40)
                    outside.push_back(v.filename);
            outside.insert(outside.end(), {"19jWnmYnlD8_30_400", "P7x4FV4lg_570_580",
                                           "Baby_cry_infant_cry", "KvIjsmANkxI_10_20`"});
            Rng rng{args.seed};
            paPath = tmp / "pred_audio.csv";
            pvPath = tmp / "pred_visual.csv";
            writeDenseLabels(paPath, perturb(rng, ga, gv, names, outside));
            writeDenseLabels(pvPath, perturb(rng, gv, ga, names, outside));
            predNote = "generated in-process, seed " + std::to_string(args.seed);
        }

        // (a) avvp_core in process.
        std::vector<double> parseMs, gridMs, scoreMs, totalMs;
        Scores ours{};
        std::size_t nVideos = 0, rowsPa = 0, rowsPv = 0, rowsGa = 0, rowsGv = 0;
        for (int r = 0; r < args.reps; ++r) {
            const auto t0 = Clock::now();
            const auto split = readWeakLabels(splitPath);
            const auto gtA = readDenseLabels(gaPath);
            const auto gtV = readDenseLabels(gvPath);
            const auto pA = readDenseLabels(paPath);
            const auto pV = readDenseLabels(pvPath);
            const auto t1 = Clock::now();
            // What `avvp eval` does: one video's grids at a time (grid building is part of
            // the "score" row).
            auto videos = videoNames(split);
            const auto t2 = Clock::now();
            const auto result =
                evaluateRows(std::move(videos), pA.rows, pV.rows, gtA.rows, gtV.rows);
            const auto t3 = Clock::now();
            using ms = std::chrono::duration<double, std::milli>;
            parseMs.push_back(ms(t1 - t0).count());
            gridMs.push_back(ms(t2 - t1).count());
            scoreMs.push_back(ms(t3 - t2).count());
            totalMs.push_back(ms(t3 - t0).count());
            ours = flatten(result.dataset);
            nVideos = result.videos.size();
            rowsPa = pA.rows.size();
            rowsPv = pV.rows.size();
            rowsGa = gtA.rows.size();
            rowsGv = gtV.rows.size();
        }

        // (b) naive port of the reference, same inputs.
        std::vector<double> naiveParse, naiveScore, naiveTotal;
        Scores naive{};
        for (int r = 0; r < args.reps; ++r) {
            NaiveTiming t;
            naive = naiveEvaluate(splitPath, gaPath, gvPath, paPath, pvPath, t);
            naiveParse.push_back(t.parseMs);
            naiveScore.push_back(t.scoreMs);
            naiveTotal.push_back(t.parseMs + t.scoreMs);
        }
        const double naiveDiff = maxDiff(ours, naive);

        // (c) whole processes.
        std::vector<double> procMs;
        std::optional<Scores> procScores;
        std::string procNote;
        if (args.processRuns > 0 && ::access(args.avvp.c_str(), X_OK) == 0) {
            const std::vector<std::string> cmd = {args.avvp.string(),
                                                  "eval",
                                                  "--format",
                                                  "tsv",
                                                  "--llp",
                                                  args.llp.string(),
                                                  "--split",
                                                  splitPath.string(),
                                                  "--gt-audio",
                                                  gaPath.string(),
                                                  "--gt-visual",
                                                  gvPath.string(),
                                                  "--pred-audio",
                                                  paPath.string(),
                                                  "--pred-visual",
                                                  pvPath.string()};
            for (int r = 0; r < args.processRuns; ++r) {
                const double ms = runProcess(cmd, tmp / "avvp.tsv");
                if (ms < 0) {
                    procNote = "avvp eval failed";
                    break;
                }
                procMs.push_back(ms);
            }
            procScores = readTsvScores(tmp / "avvp.tsv");
        } else if (args.processRuns > 0) {
            procNote = "not found: " + args.avvp.string();
        }

        std::vector<double> pyMs;
        std::optional<Scores> pyScores;
        std::string pyNote;
        if (args.pythonRuns > 0 && ::access(args.python.c_str(), X_OK) == 0 &&
            fs::exists(args.oracle)) {
            const std::vector<std::string> cmd = {
                args.python.string(), args.oracle.string(), "--split",       splitPath.string(),
                "--gt-audio",         gaPath.string(),      "--gt-visual",   gvPath.string(),
                "--pred-audio",       paPath.string(),      "--pred-visual", pvPath.string()};
            for (int r = 0; r < args.pythonRuns; ++r) {
                const double ms = runProcess(cmd, tmp / "python.tsv");
                if (ms < 0) {
                    pyNote = "oracle failed";
                    break;
                }
                pyMs.push_back(ms);
            }
            pyScores = readTsvScores(tmp / "python.tsv");
        } else if (args.pythonRuns > 0) {
            pyNote = "skipped (no " + args.python.string() + ")";
        }

        // Report.
        std::printf("AVVP scoring benchmark (%s)\n", kAvvpProtocol);
        std::printf("  split        %s (%zu videos)\n", splitPath.string().c_str(), nVideos);
        std::printf("  ground truth %s (%zu rows), %s (%zu rows)\n", gaPath.string().c_str(),
                    rowsGa, gvPath.string().c_str(), rowsGv);
        std::printf("  predictions  %s (%zu audio rows, %zu visual rows)\n", predNote.c_str(),
                    rowsPa, rowsPv);
        std::printf("  scores       %s\n", formatScores(ours).c_str());
        std::printf("               (seg A V AV Type Event, evt A V AV Type Event, %%)\n\n");
        std::printf("  %-46s %5s %11s %9s\n", "what", "runs", "median ms", "min ms");
        printRow("avvp_core: parse 5 files", summarize(parseMs));
        printRow("avvp_core: split names", summarize(gridMs));
        printRow("avvp_core: score", summarize(scoreMs));
        const auto coreTotal = summarize(totalMs);
        printRow("avvp_core: total (in process)", coreTotal);
        char note[160];
        printRow("naive reference port: parse", summarize(naiveParse));
        printRow("naive reference port: score", summarize(naiveScore));
        const auto naiveStat = summarize(naiveTotal);
        std::snprintf(note, sizeof note, "%.1fx slower than avvp_core; scores %s (max diff %.1e)",
                      naiveStat.median / std::max(coreTotal.median, 1e-9),
                      naiveDiff <= 1e-9 ? "identical" : "DIFFER", naiveDiff);
        printRow("naive reference port: total (in process)", naiveStat, note);
        if (!procMs.empty()) {
            std::string n = procNote;
            if (procScores)
                n += maxDiff(*procScores, ours) <= 1e-6 ? "output matches" : "output DIFFERS";
            printRow("avvp eval --format tsv (whole process)", summarize(procMs), n);
        } else if (!procNote.empty()) {
            std::printf("  %-46s %s\n", "avvp eval --format tsv (whole process)", procNote.c_str());
        }
        if (!pyMs.empty()) {
            const auto py = summarize(pyMs);
            std::string n = pyNote;
            if (pyScores)
                n += maxDiff(*pyScores, ours) <= 1e-6 ? "output matches" : "output DIFFERS";
            if (!procMs.empty()) {
                std::snprintf(note, sizeof note, "; %.1fx the avvp process",
                              py.median / std::max(summarize(procMs).median, 1e-9));
                n += note;
            }
            printRow("python3 reference_eval.py (whole process)", py, n);
        } else if (!pyNote.empty()) {
            std::printf("  %-46s %s\n", "python3 reference_eval.py (whole process)",
                        pyNote.c_str());
        }

        std::error_code ec;
        fs::remove_all(tmp, ec);
        const bool failed = procNote == "avvp eval failed" || pyNote == "oracle failed";
        const bool ok = naiveDiff <= 1e-9 && !failed &&
                        (!procScores || maxDiff(*procScores, ours) <= 1e-6) &&
                        (!pyScores || maxDiff(*pyScores, ours) <= 1e-6);
        return ok ? 0 : 1;
    } catch (const InputError& e) {
        std::fprintf(stderr, "avvp_bench_eval: error: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "avvp_bench_eval: %s\n", e.what());
        return 2;
    }
}

// `avvp reproduce`: options, help, the log lines and progress line around
// models::reproduce, and its markdown tables.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "app/cli/models_plugin.h"
#include "app/cli/options.h"
#include "core/error.h"
#include "core/progress.h"
#include "core/quote.h"
#include "models/model_api.h"
#include "models/reproduce.h"

namespace avvp::app {

namespace {

constexpr const char* kUsage = R"(usage: avvp reproduce --out DIR [options]

The paper's Tables I and II on SYNTHETIC data: for each misalignment F and seed S,
`avvp synth --videos N --seed S --misaligned F` (CLAP tokens + CLIP; HAN: VGGish +
ResNet152 + motion), then every row trained with seed S and scored on the test split
(best validation checkpoint, thresholds 0.5): VALOR++, LEAP, HAN, LINK and its ablations
w/ T (TSAM + CMIM), w/ S (S-LOSS), w/ P (PLSIM), T+S, S+P, T+P. Rows with PLSIM come
twice: with the self labels at validation and test (two passes), and with zero-shot labels
(-zs; the synthetic class prototypes as text embeddings, cosine >= --zs-threshold). Prints markdown tables of mean ± sample std over the seeds.
Results go to DIR/results.jsonl as they come: run it again to continue an interrupted
reproduction (finished runs are kept; --tables-only prints them).

options:
  --out DIR            working folder (data, runs, results.jsonl)          (required)
  --videos N           videos per synthetic dataset                    [default: 600]
  --misaligned LIST    misaligned fractions                          [default: 0,0.5]
  --seeds LIST         data and training seeds                       [default: 1,2,3]
  --rows LIST          valor,leap,han,T,S,P,P-zs,TS,SP,SP-zs,TP,TP-zs,link,link-zs
                                                                     [default: all]
  --epochs N [20]  --batch N [16]  --lr X [1e-3]  --warmup N [2]
  --hidden N [64]  --layers N [2]  --heads N [4]  --ff N [128]   (HAN: 1 layer, 1 head,
                       ff = hidden, Adam, batch 16, x 0.1 every 10 epochs)
  --zs-threshold X     zero-shot cosine threshold                        [default: 0.2]
  --keep-data          keep the synthetic datasets (else removed after their runs)
  --tables-only        print the tables of DIR/results.jsonl and stop
  --device D [auto]   --threads N [0 = all]   --quiet
)";

template <typename T>
std::vector<T> parseList(const std::string& s, const char* name) {
    std::vector<T> out;
    std::size_t i = 0;
    while (i <= s.size()) {
        const auto e = std::min(s.find(',', i), s.size());
        const std::string item = s.substr(i, e - i);
        try {
            std::size_t used = 0;
            if constexpr (std::is_same_v<T, double>)
                out.push_back(std::stod(item, &used));
            else
                out.push_back(static_cast<T>(std::stoull(item, &used)));
            if (used != item.size()) throw std::invalid_argument(item);
        } catch (const std::exception&) {
            throw UsageError(std::string("--") + name + " takes a comma-separated list, not '" + s +
                             "'");
        }
        i = e + 1;
    }
    return out;
}

}  // namespace

int reproduceCommand(int argc, char** argv) {
    const Options opt(
        argc, argv,
        {"out", "videos", "misaligned", "seeds", "rows", "epochs", "batch", "lr", "warmup",
         "hidden", "layers", "heads", "ff", "zs-threshold", "device", "threads"},
        {"keep-data", "tables-only", "quiet"});
    if (opt.help()) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    models::ReproduceOptions o;
    o.out = opt.require("out");
    o.videos = static_cast<int>(opt.getInt("videos", o.videos, 10, 1000000));
    if (auto v = opt.get("misaligned")) o.misaligned = parseList<double>(*v, "misaligned");
    for (double f : o.misaligned)
        if (!(f >= 0 && f <= 1)) throw UsageError("--misaligned values must lie in [0, 1]");
    if (auto v = opt.get("seeds")) o.seeds = parseList<std::uint64_t>(*v, "seeds");
    const auto rows = models::reproduceRows();
    if (auto v = opt.get("rows")) {
        o.rows.clear();
        for (std::size_t i = 0; i <= v->size();) {
            const auto e = std::min(v->find(',', i), v->size());
            o.rows.push_back(v->substr(i, e - i));
            i = e + 1;
        }
    }
    o.epochs = static_cast<int>(opt.getInt("epochs", o.epochs, 1, 100000));
    o.batch = static_cast<int>(opt.getInt("batch", o.batch, 1, 1 << 20));
    o.lr = opt.getDouble("lr", o.lr, 0.0, 10.0);
    o.warmup = static_cast<int>(opt.getInt("warmup", o.warmup, 0, 100000));
    o.hidden = static_cast<int>(opt.getInt("hidden", o.hidden, 8, 65536));
    o.layers = static_cast<int>(opt.getInt("layers", o.layers, 0, 64));
    o.heads = static_cast<int>(opt.getInt("heads", o.heads, 1, 1024));
    o.ff = static_cast<int>(opt.getInt("ff", o.ff, 1, 1 << 20));
    o.zeroShotThreshold = opt.getDouble("zs-threshold", o.zeroShotThreshold, -1.0, 1.0);
    o.keepData = opt.has("keep-data");
    o.device = opt.get("device", "auto");
    models::setCpuThreads(static_cast<int>(opt.getInt("threads", 0, 0, 4096)));
    for (const auto& k : o.rows)
        if (std::none_of(rows.begin(), rows.end(), [&](const auto& r) { return r.key == k; }))
            throw core::InputError("--rows", 0, "unknown row " + core::quote(k));
    const bool quiet = opt.has("quiet");
    core::ProgressLine line("avvp reproduce", !quiet);
    o.progress = &line;
    o.onStep = [&](const std::string& s) {
        if (quiet) return;
        line.clear();
        std::fprintf(stderr, "avvp reproduce: %s\n", core::oneLine(s).c_str());
    };
    if (opt.has("tables-only")) {
        o.seeds.clear();
        o.misaligned.clear();
    }
    const auto t0 = std::chrono::steady_clock::now();
    const auto runs = models::reproduce(o);
    line.finish();
    std::fputs(models::reproduceTables(runs, rows).c_str(), stdout);
    if (!opt.has("tables-only"))
        std::printf(
            "\n%zu runs, %.1f min in this call\n", runs.size(),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 60.0);
    return 0;
}

}  // namespace avvp::app

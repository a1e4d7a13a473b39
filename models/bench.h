#pragma once
// The benchmark of a model: forward throughput and train-step time, with baselines
// measured in the same run (the literal CLAP frontend; the PyTorch reference model of
// tools/pytorch_reference when a Python with torch is available). Plain types only; the
// `avvp bench` command around it is app/cli/bench_command.cpp.
#include <functional>
#include <string>
#include <vector>

#include "models/model_api.h"

namespace avvp::models {

struct BenchOptions {
    ModelConfig model;  // the variant and its sizes
    std::string device = "auto";
    std::vector<int> batches = {1, 64, 1200};
    int trainBatch = 64;
    double minSeconds = 1.0;  // per measurement, after one warm-up run
    int minRepeats = 3;
    // Each measurement is taken `rounds` times, ours and the PyTorch reference's in turn
    // (A B A B ...), so that a load that comes and goes weighs on both sides alike; a row
    // gives the median of its rounds and keeps them all.
    int rounds = 3;
    // The literal CLAP frontend holds (B, 768, 2, 1024) floats: on CPU it runs only up to
    // this batch (0: never); CUDA runs every batch.
    int literalMaxBatch = 64;
    std::string python = "/usr/bin/python3";  // empty: no PyTorch baseline
    // Also the reference under torch.compile (PyTorch 2.0 or later): rows of impl
    // "pytorch-compiled", measured in turn with ours and the eager reference (A B C A B C).
    bool pytorchCompiled = false;
    std::string pytorchScript;  // tools/pytorch_reference/bench_reference.py
    int threads = 0;
    std::uint64_t seed = 1;
    // The fraction of the measurements done (stage "forward folded batch 64"); cancelling
    // it stops between measurements with core::Cancelled.
    core::Progress* progress = nullptr;
};

struct BenchRow {
    std::string variant;   // "valor", "link", ...
    std::string impl;      // "avvp", "pytorch" or "pytorch-compiled"
    std::string what;      // "forward" or "train_step"
    std::string frontend;  // "folded" or "literal"
    int batch = 0;
    double seconds = 0.0;  // per iteration: the median over the rounds of each round's best
    double videosPerSecond = 0.0;
    std::string note;                  // why a row was skipped (seconds 0)
    std::vector<double> roundSeconds;  // each round's best time, in the order taken
};

// Ours against theirs, round by round: throughput ratios (> 1: `ours` is faster) of the
// rounds taken side by side, their median and spread. `rounds` 0 when either row has no
// rounds (skipped) or the two have a different count.
struct PairedRatio {
    double median = 0.0, min = 0.0, max = 0.0;
    int rounds = 0;
};
AVVP_MODELS_API PairedRatio pairedRatio(const BenchRow& ours, const BenchRow& theirs);

// What became of the PyTorch baseline; BenchReport::pytorchNote says it in words.
enum class PytorchBaseline {
    Measured,      // its rows are in the report (a note may still tell of trouble)
    NotRequested,  // BenchOptions::python empty
    NoScript,      // bench_reference.py not found (BenchOptions::pytorchScript)
    NoPython,      // BenchOptions::python not found or not startable
    Failed,        // the script failed (e.g. a Python without torch)
    NoReference,   // no PyTorch reference model for the variant
};

struct BenchReport {
    std::string device, torchVersion, pytorchVersion, pytorchNote;
    // Why there are no (or no more) compiled rows when they were asked for: this torch has
    // no torch.compile, or a compiled measurement failed (which one, and its error).
    std::string compiledNote;
    PytorchBaseline pytorch = PytorchBaseline::NotRequested;
    int threads = 0;
    std::int64_t parameters = 0;
    std::vector<BenchRow> rows;
};

// Benchmarks one model (options.model): forward at each batch, one train step; the literal
// CLAP frontend for VALOR++ with CLAP tokens; the PyTorch reference (valor, link) when
// options.python has torch, run as a server process (bench_reference.py --serve) whose
// measurements alternate with ours. `onStep` gets a line per measurement as it starts.
AVVP_MODELS_API BenchReport runBench(const BenchOptions& options,
                                     const std::function<void(const std::string&)>& onStep = {});

// The config the benchmark measures for a variant: the spec's sizes; valor, link and leap
// on CLAP tokens + CLIP + motion, han on its own VGGish + ResNet152 + motion. Throws
// std::invalid_argument for an unknown variant.
AVVP_MODELS_API ModelConfig benchConfig(const std::string& variant);

}  // namespace avvp::models

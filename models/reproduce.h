#pragma once
// The paper's Tables I and II on synthetic data (core/synth.h with a misaligned fraction
// F): every variant and every ablation row of LINK trained on the same data for several
// seeds, scored on the test split, as markdown tables of mean +- std. Plain C++ over the
// facade (no LibTorch in this file); the `avvp reproduce` command around it is
// app/cli/reproduce_command.cpp.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/evaluation.h"
#include "core/progress.h"
#include "models/export.h"

namespace avvp::models {

// One row of the tables: a variant with LINK's switches (and the features it takes).
struct ReproduceRow {
    std::string key;      // valor, leap, han, T, S, P, TS, SP, TP, link; -zs: zero-shot
    std::string name;     // "VALOR++", "w/ TSAM (T)", ...
    std::string variant;  // valor | link | leap | han
    bool tsam = false, cmim = false, plsim = false, sloss = false;  // link
    bool zeroShot = false;  // link: validate and test with zero-shot PLSIM labels
};

// The rows of the paper's Table I (VALOR++, LEAP, HAN, LINK) and Table II (w/ T, w/ S,
// w/ P, w/ T and S, w/ S and P, w/ T and P), T = TSAM + CMIM as in the paper (its TSAM
// section holds both); rows with PLSIM once with self labels and once with zero-shot labels.
AVVP_MODELS_API std::vector<ReproduceRow> reproduceRows();

struct ReproduceOptions {
    std::filesystem::path out;  // data, runs and results.jsonl
    int videos = 600;
    std::vector<double> misaligned = {0.0, 0.5};
    std::vector<std::uint64_t> seeds = {1, 2, 3};  // data and training seed
    int epochs = 20;
    int hidden = 64, layers = 2, heads = 4, ff = 128;
    int batch = 16;
    double lr = 1e-3;
    int warmup = 2;
    double zeroShotThreshold = 0.2;
    std::vector<std::string> rows;  // keys of reproduceRows(); empty: all
    std::string device = "auto";
    bool keepData = false;
    std::function<void(const std::string&)> onStep;  // a log line per synth and run
    // The fraction of the runs to do (stage "row P, seed 2, misaligned 0.5: epoch 3/20");
    // cancelling it stops training with core::Cancelled (finished runs stay recorded).
    core::Progress* progress = nullptr;
};

struct ReproduceRun {
    std::string row;
    double misaligned = 0.0;
    std::uint64_t seed = 0;
    core::LevelScores test;  // test split, best validation checkpoint
    double seconds = 0.0;    // training + test inference
    int bestEpoch = 0;
};

// Runs what is missing (results already in out/results.jsonl are kept: an interrupted
// run continues) and returns every run. Throws std::invalid_argument naming a row key
// that reproduceRows() does not know, core::InputError naming a file that cannot be read
// or written.
AVVP_MODELS_API std::vector<ReproduceRun> reproduce(const ReproduceOptions& options);

// Markdown tables: for each misalignment, segment level and event level, one line per
// row with mean +- sample std over the seeds of the five metrics.
AVVP_MODELS_API std::string reproduceTables(const std::vector<ReproduceRun>& runs,
                                            const std::vector<ReproduceRow>& rows);

}  // namespace avvp::models

// The LibTorch commands of `avvp` (info, train, infer, forward, bench), loaded on demand
// by the CLI. This file sees only the plain-types facade (models/model_api.h).
#include "models/cli_plugin.h"

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "core/error.h"
#include "core/llp_dataset.h"
#include "core/npy.h"
#include "core/options.h"
#include "core/progress.h"
#include "models/bench.h"
#include "models/model_api.h"
#include "models/runtime.h"

namespace {

using avvp::core::Options;
using avvp::core::UsageError;
namespace fs = std::filesystem;
namespace models = avvp::models;
namespace core = avvp::core;

int infoCommand(const Options& opt) {
    if (opt.help()) {
        std::printf(
            "usage: avvp info [--threads N]\n\nPrints the LibTorch version and the devices models "
            "can run on.\n");
        return 0;
    }
    const auto info = models::runtimeInfo();
    std::printf("LibTorch %s\n", info.torchVersion.c_str());
    std::printf("CUDA: %s\n", info.cudaAvailable ? "available" : "not available");
    for (const auto& d : info.devices)
        std::printf("device %-8s %s\n", d.name.c_str(), d.description.c_str());
    std::printf("default device: %s\n", models::resolveDevice("auto").c_str());
    std::printf("variants: ");
    for (const auto& v : models::knownVariants()) std::printf("%s ", v.c_str());
    std::printf("\n");
    return 0;
}

// Options every model command shares.
const std::set<std::string> kCommonValued = {"device", "threads"};

models::LoadOptions loadOptions(const Options& opt) {
    models::LoadOptions l;
    l.device = opt.get("device", "auto");
    l.variant = opt.get("variant", "valor");
    if (auto f = opt.get("checkpoint-format")) {
        auto k = models::checkpointFormatFromName(*f);
        if (!k)
            throw UsageError("--checkpoint-format must be auto, native or pytorch, not '" + *f +
                             "'");
        l.format = *k;
    }
    if (opt.has("heads")) l.heads = static_cast<int>(opt.getInt("heads", 8, 1, 1024));
    if (auto n = opt.get("norm")) {
        if (*n != "post" && *n != "pre") throw UsageError("--norm must be post or pre");
        l.norm = *n;
    }
    return l;
}

std::string fmtScores(const core::LevelScores& s) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "seg A %.1f V %.1f AV %.1f Type@AV %.2f Event@AV %.1f",
                  s.segment[core::kAudio], s.segment[core::kVisual], s.segment[core::kAudioVisual],
                  s.segment[core::kTypeAv], s.segment[core::kEventAv]);
    return buf;
}

constexpr const char* kTrainUsage =
    R"(usage: avvp train --variant valor --features DIR --labels DIR --out RUN [options]

Trains a model on features in VALOR's layout (DIR/audio, visual, [motion], pseudo_audio,
pseudo_visual; see avvp synth --help) with the weak labels of LABELS/AVVP_train.csv and
the segment pseudo labels; validates every epoch on LABELS/AVVP_val_pd.csv against the
dense AVVP_eval_audio.csv / AVVP_eval_visual.csv. Writes RUN/best.ckpt (best validation
segment-level Type@AV, first best wins), RUN/last.ckpt (with optimizer state, for
--resume) and RUN/history.jsonl. Prints one line per epoch: loss terms, lr, validation
scores.

options:
  --variant V        model variant: valor                           [default: valor]
  --epochs N         [60]    --batch N  [64]    --seed S  [1]
  --lr X             peak learning rate (warm-up, then cosine)     [default: 3e-4]
  --lr-min X         [3e-6]  --warmup N  warm-up epochs            [default: 10]
  --weight-decay X   AdamW (betas 0.5 / 0.999, eps 1e-8)           [default: 1e-3]
  --clip X           gradient-norm clip, 0 = none                  [default: 1.0]
  --hidden N [256]  --layers N [4]  --heads N [8]  --ff N [1024]  --dropout X [0.1]
  --norm post|pre    HAN layer normalisation                        [default: post]
  --no-motion        ignore DIR/motion even when it exists
  --resume           continue RUN from RUN/last.ckpt (same data; --epochs may grow)
  --device D         auto | cpu | cuda[:N]                          [default: auto]
  --threads N        CPU threads, 0 = all                           [default: 0]
  --quiet            no progress line (the per-epoch lines stay)
)";

int trainCommand(const Options& opt) {
    if (opt.help()) {
        std::fputs(kTrainUsage, stdout);
        return 0;
    }
    models::TrainOptions t;
    t.model = models::defaultConfig(opt.get("variant", "valor"));
    t.features = opt.require("features");
    t.labels = opt.require("labels");
    t.out = opt.require("out");
    t.epochs = static_cast<int>(opt.getInt("epochs", t.epochs, 1, 100000));
    t.batch = static_cast<int>(opt.getInt("batch", t.batch, 1, 1 << 20));
    t.seed = static_cast<std::uint64_t>(opt.getInt("seed", 1, 0, 1L << 62));
    t.lrMax = opt.getDouble("lr", t.lrMax, 0.0, 10.0);
    t.lrMin = opt.getDouble("lr-min", t.lrMin, 0.0, 10.0);
    t.warmupEpochs = static_cast<int>(opt.getInt("warmup", t.warmupEpochs, 0, 100000));
    t.weightDecay = opt.getDouble("weight-decay", t.weightDecay, 0.0, 10.0);
    t.clipNorm = opt.getDouble("clip", t.clipNorm, 0.0, 1e9);
    t.model.hidden = static_cast<int>(opt.getInt("hidden", t.model.hidden, 1, 65536));
    t.model.layers = static_cast<int>(opt.getInt("layers", t.model.layers, 0, 64));
    t.model.heads = static_cast<int>(opt.getInt("heads", t.model.heads, 1, 1024));
    t.model.ff = static_cast<int>(opt.getInt("ff", t.model.ff, 1, 1 << 20));
    t.model.dropout = opt.getDouble("dropout", t.model.dropout, 0.0, 0.99);
    t.model.norm = opt.get("norm", t.model.norm);
    try {
        models::validateConfig(t.model);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    if (opt.has("no-motion")) t.motion = core::StreamUse::Off;
    t.device = opt.get("device", "auto");
    t.resume = opt.has("resume");

    core::ProgressLine line("avvp train", !opt.has("quiet"));
    t.onProgress = [&](int epoch, double f) {
        line.update(f, "epoch " + std::to_string(epoch) + "/" + std::to_string(t.epochs));
    };
    t.onEpoch = [&](const models::EpochReport& r) {
        line.finish();
        auto loss = [](const std::map<std::string, double>& m) {
            if (m.empty()) return std::string("-");
            char b[128];
            std::snprintf(
                b, sizeof b, "%.4f (video %.4f seg_a %.4f seg_v %.4f)",
                m.count("total") ? m.at("total") : 0.0, m.count("video") ? m.at("video") : 0.0,
                m.count("seg_a") ? m.at("seg_a") : 0.0, m.count("seg_v") ? m.at("seg_v") : 0.0);
            return std::string(b);
        };
        std::printf("epoch %d/%d  lr %.3g  train loss %s  val loss %s  val %s  %.1f s%s\n", r.epoch,
                    r.epochs, r.lr, loss(r.trainLoss).c_str(), loss(r.valLoss).c_str(),
                    fmtScores(r.val).c_str(), r.seconds, r.best ? "  *best" : "");
        std::fflush(stdout);
    };
    const auto res = models::train(t);
    line.finish();
    std::printf("best: epoch %d, validation segment Type@AV %.2f -> %s\n", res.bestEpoch,
                res.bestScore, res.best.string().c_str());
    return 0;
}

constexpr const char* kInferUsage =
    R"(usage: avvp infer --checkpoint C --features DIR --split S --out DIR [options]

Predicts every video of a split and writes
  DIR/pred_audio.csv, DIR/pred_visual.csv   LLP dense predictions (what avvp eval scores;
                                            a cell is on when frame_prob >= 0.5 and
                                            global_prob >= 0.5)
  DIR/frame_prob.npy    (N, 10, 2, 25) float32: video, segment, modality (0 audio,
                        1 visual), class in LLP order
  DIR/global_prob.npy   (N, 25) float32
  DIR/videos.txt        the N filenames in row order

options:
  --split S              a split file (filename, event_labels), or train|val|test
                         for the split file in --labels
  --labels DIR           LLP folder for a split name
  --checkpoint-format F  auto | native | pytorch                   [default: auto]
  --variant V, --heads N, --norm post|pre   for a PyTorch state_dict (it has no
                         config)                               [valor, 8, post]
  --batch N              videos per forward pass                   [default: 64]
  --device D  [auto]   --threads N  [0 = all]   --quiet
)";

int inferCommand(const Options& opt) {
    if (opt.help()) {
        std::fputs(kInferUsage, stdout);
        return 0;
    }
    models::InferOptions o;
    o.checkpoint = opt.require("checkpoint");
    o.features = opt.require("features");
    o.out = opt.require("out");
    const std::string split = opt.require("split");
    if (auto s = core::splitFromName(split)) {
        if (!opt.has("labels"))
            throw UsageError("--split " + split +
                             " names a split: give --labels DIR too (or a split file)");
        o.split = core::splitFile(opt.require("labels"), *s);
    } else {
        o.split = split;
    }
    o.load = loadOptions(opt);
    o.batch = static_cast<int>(opt.getInt("batch", 64, 1, 1 << 20));
    core::ProgressLine line("avvp infer", !opt.has("quiet"));
    o.onProgress = [&](double f) { line.update(f, "predicting"); };
    const auto r = models::infer(o);
    line.finish();
    std::printf("predicted %zu videos of %s:\n", r.videos, o.split.string().c_str());
    for (const auto& f : r.files) std::printf("  %s\n", f.string().c_str());
    return 0;
}

constexpr const char* kForwardUsage =
    R"(usage: avvp forward --checkpoint C --audio A.npy --visual V.npy [--motion M.npy] --dump-dir D

Runs one batch through a checkpoint in eval mode and writes every output as D/<name>.npy
(float32): global_prob, a_prob, v_prob (B, 25), frame_prob, frame_logits (B, 10, 2, 25).
The arrays carry the batch dimension: audio (B, 64, 768) CLAP tokens or (B, 10, 128)
VGGish, visual (B, 10, 768) CLIP or (B, 80, 2048) ResNet152, motion (B, 10, 512).

options:
  --checkpoint-format F  auto | native | pytorch                   [default: auto]
  --variant V, --heads N, --norm post|pre   for a PyTorch state_dict (it has no
                         config)                               [valor, 8, post]
  --literal-clap         compute the CLAP frontend literally (2 x 1024 positions)
                         instead of folded onto the 10 segments
  --device D  [auto]   --threads N  [0 = all]
)";

models::Array readArray(const std::string& path, const char* what) {
    auto a = core::readNpy(path);
    if (a.shape.size() != 3)
        throw core::InputError(
            path, 0,
            std::string(what) + " has shape " + a.shapeString() + "; expected (batch, rows, dim)");
    core::requireFinite(a, path);
    models::Array out;
    out.shape = a.shape;
    out.data = a.type == core::NpyType::Float32 ? std::move(a.f32) : a.toFloat();
    return out;
}

int forwardCommand(const Options& opt) {
    if (opt.help()) {
        std::fputs(kForwardUsage, stdout);
        return 0;
    }
    const fs::path dump = opt.require("dump-dir");
    models::Inputs in;
    in.audio = readArray(opt.require("audio"), "audio");
    in.visual = readArray(opt.require("visual"), "visual");
    if (auto m = opt.get("motion")) in.motion = readArray(*m, "motion");
    auto load = loadOptions(opt);
    // A state_dict does not say which features it was trained on: the arrays do.
    if (auto k = core::audioFeatureFromRows(in.audio.shape[1]))
        load.audioFeature = std::string(core::featureName(*k));
    if (auto k = core::visualFeatureFromRows(in.visual.shape[1]))
        load.visualFeature = std::string(core::featureName(*k));
    auto model = models::Model::load(opt.require("checkpoint"), load);
    model.setLiteralClap(opt.has("literal-clap"));
    const auto out = model.forward(in);
    std::error_code ec;
    fs::create_directories(dump, ec);
    if (ec) throw core::InputError(dump.string(), 0, "cannot create: " + ec.message());
    for (const auto& [name, a] : out) {
        core::writeNpy(dump / (name + ".npy"), a.data, a.shape);
        std::printf("%s %s\n", (dump / (name + ".npy")).string().c_str(), a.shapeString().c_str());
    }
    return 0;
}

int run(const std::string& cmd, int argc, char** argv) {
    const std::set<std::string> load = {"checkpoint", "checkpoint-format", "heads", "norm",
                                        "batch"};
    auto valued = [&](std::set<std::string> s, bool withLoad = false) {
        s.insert(kCommonValued.begin(), kCommonValued.end());
        if (withLoad) s.insert(load.begin(), load.end());
        return s;
    };
    std::unique_ptr<Options> opt;
    if (cmd == "info") {
        opt = std::make_unique<Options>(argc, argv, valued({}), std::set<std::string>{});
    } else if (cmd == "train") {
        opt = std::make_unique<Options>(
            argc, argv,
            valued({"variant", "features", "labels", "out", "epochs", "batch", "seed", "lr",
                    "lr-min", "warmup", "weight-decay", "clip", "hidden", "layers", "heads", "ff",
                    "dropout", "norm"}),
            std::set<std::string>{"no-motion", "resume", "quiet"});
    } else if (cmd == "infer") {
        opt = std::make_unique<Options>(argc, argv,
                                        valued({"features", "split", "labels", "out"}, true),
                                        std::set<std::string>{"quiet"});
    } else if (cmd == "forward") {
        opt = std::make_unique<Options>(argc, argv,
                                        valued({"audio", "visual", "motion", "dump-dir"}, true),
                                        std::set<std::string>{"literal-clap"});
    } else if (cmd == "bench") {
        return models::benchCommand(argc, argv);
    } else {
        std::fprintf(stderr, "avvp: unknown model command '%s'\n", cmd.c_str());
        return 2;
    }
    models::setCpuThreads(static_cast<int>(opt->getInt("threads", 0, 0, 4096)));
    if (cmd == "info") return infoCommand(*opt);
    if (cmd == "train") return trainCommand(*opt);
    if (cmd == "infer") return inferCommand(*opt);
    return forwardCommand(*opt);
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int avvp_models_main(int argc, char** argv) {
    const std::string cmd = argc > 0 ? argv[0] : "";
    try {
        return run(cmd, argc, argv);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avvp %s: %s (see avvp %s --help)\n", cmd.c_str(), e.what(),
                     cmd.c_str());
        return 2;
    } catch (const core::InputError& e) {
        std::fprintf(stderr, "avvp %s: error: %s\n", cmd.c_str(), e.what());
        return 2;
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "avvp %s: error: %s\n", cmd.c_str(), e.what());
        return 2;
    } catch (const std::exception& e) {
        std::string what = e.what();
        std::fprintf(stderr, "avvp %s: error: %s\n", cmd.c_str(),
                     what.substr(0, what.find('\n')).c_str());
        return 1;
    }
}

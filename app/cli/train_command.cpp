// `avvp train`: options, help, the per-epoch lines and the progress line around
// models::train.
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>

#include "app/cli/model_options.h"
#include "app/cli/models_plugin.h"
#include "core/error.h"
#include "core/progress.h"
#include "models/model_api.h"

namespace avvp::app {

namespace {

constexpr const char* kTrainUsage =
    R"(usage: avvp train --variant link|valor|leap|han --features DIR --labels DIR --out RUN [options]

Trains a model on features in VALOR's layout (DIR/audio, visual, [motion], pseudo_audio,
pseudo_visual; see avvp synth --help) with the weak labels of LABELS/AVVP_train.csv and
the segment pseudo labels; validates every epoch on LABELS/AVVP_val_pd.csv against the
dense AVVP_eval_audio.csv / AVVP_eval_visual.csv. Writes RUN/best.ckpt (best validation
segment-level Type@AV, first best wins), RUN/last.ckpt (with optimizer state, for
--resume) and RUN/history.jsonl. Prints one line per epoch: loss terms, lr, learnable
scalars (LINK: mu, alpha, beta), validation scores.

Variants (docs/model.md): link = VALOR++ + TSAM, CMIM, PLSIM, S-LOSS; valor = VALOR++;
leap = the LEAP decoder on the VALOR++ encoder; han = HAN (VGGish + ResNet152 + motion).
Training settings default to the spec's for the variant: valor, link, leap: AdamW, 60
epochs, batch 64, warm-up-cosine 3e-4 -> 3e-6 over 10 warm-up epochs, clip 1.0; han:
Adam, 40 epochs, batch 16, lr 3e-4 x 0.1 every 10 epochs, no clipping.

options:
  --variant V        link | valor | leap | han                      [default: valor]
  --epochs N  --batch N  --seed S [1]
  --optimizer adamw|adam   --schedule warmup-cosine|step
  --lr X             peak (warm-up-cosine) or initial (step) learning rate
  --lr-min X  --warmup N    warm-up-cosine: final lr, warm-up epochs
  --step-every N  --step-gamma X   step: lr x gamma every N epochs
  --weight-decay X   --clip X (gradient-norm clip, 0 = none)
  --hidden N  --layers N  --heads N  --ff N  --dropout X   (encoder sizes; defaults:
                     the variant's, VALOR++ 256 / 4 / 8 / 1024 / 0.1, HAN 512 / 1 / 1 / 512)
  --norm post|pre    HAN layer normalisation                        [default: post]
  --no-tsam --no-cmim --no-plsim --no-sloss
                     LINK: switch a module off (the ablation rows of the paper's Table II)
  --class-emb-audio F.npy --class-emb-visual F.npy
                     LINK: (25, d) text-embedding tables for PLSIM (frozen; default:
                     learned 25 x H tables)
  --label-emb F.npy  LEAP: (25, d) label-embedding table (default: learned)
  --zs-audio-table T.npy --zs-audio DIR (and the -visual- / -threshold options of
                     avvp infer --help): LINK: validate with zero-shot PLSIM labels (what
                     inference will use) instead of the self labels
  --plsim-self-mix P LINK: the share of training videos whose PLSIM labels are those the
                     self-label path gives at inference (half none, half a first pass's
                     frame_prob >= 0.5) instead of the stored pseudo labels [default: 0.5
                     when validating with the self labels, 0 with a zero-shot source]
  --leap-layers N [2]  --leap-heads N [8]   LEAP decoder layers per stack, heads
  --no-motion        ignore DIR/motion even when it exists
  --resume           continue RUN from RUN/last.ckpt (same data; --epochs may grow)
  --device D         auto | cpu | cuda[:N]                          [default: auto]
  --threads N        CPU threads, 0 = all                           [default: 0]
  --quiet            no progress line (the per-epoch lines stay)
)";

std::string fmtScores(const core::LevelScores& s) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "seg A %.1f V %.1f AV %.1f Type@AV %.2f Event@AV %.1f",
                  s.segment[core::kAudio], s.segment[core::kVisual], s.segment[core::kAudioVisual],
                  s.segment[core::kTypeAv], s.segment[core::kEventAv]);
    return buf;
}

std::string fmtLoss(const std::map<std::string, double>& m) {
    if (m.empty()) return "-";
    char b[64];
    std::snprintf(b, sizeof b, "%.4f (", m.count("total") ? m.at("total") : 0.0);
    std::string s = b;
    bool first = true;
    for (const auto& [k, v] : m) {
        if (k == "total") continue;
        std::snprintf(b, sizeof b, "%s%s %.4f", first ? "" : " ", k.c_str(), v);
        s += b;
        first = false;
    }
    return s + ")";
}

}  // namespace

int trainCommand(int argc, char** argv) {
    auto valued = kCommonValued;
    valued.insert({"variant",
                   "features",
                   "labels",
                   "out",
                   "epochs",
                   "batch",
                   "seed",
                   "optimizer",
                   "schedule",
                   "lr",
                   "lr-min",
                   "warmup",
                   "step-every",
                   "step-gamma",
                   "weight-decay",
                   "clip",
                   "hidden",
                   "layers",
                   "heads",
                   "ff",
                   "dropout",
                   "norm",
                   "class-emb-audio",
                   "class-emb-visual",
                   "label-emb",
                   "leap-layers",
                   "leap-heads",
                   "plsim-self-mix"});
    valued.insert(kLabelSourceValued.begin(), kLabelSourceValued.end());
    const Options opt(
        argc, argv, valued,
        {"no-motion", "resume", "quiet", "no-tsam", "no-cmim", "no-plsim", "no-sloss"});
    applyThreads(opt);
    if (opt.help()) {
        std::fputs(kTrainUsage, stdout);
        return 0;
    }
    const std::string variant = opt.get("variant", "valor");
    models::TrainOptions t;
    try {
        t = models::defaultTrainOptions(variant);
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string(e.what()) + " (link, valor, leap or han)");
    }
    t.features = opt.require("features");
    t.labels = opt.require("labels");
    t.out = opt.require("out");
    t.epochs = static_cast<int>(opt.getInt("epochs", t.epochs, 1, 100000));
    t.batch = static_cast<int>(opt.getInt("batch", t.batch, 1, 1 << 20));
    t.seed = static_cast<std::uint64_t>(opt.getInt("seed", 1, 0, 1L << 62));
    t.optimizer = opt.get("optimizer", t.optimizer);
    t.schedule = opt.get("schedule", t.schedule);
    if (t.optimizer != "adamw" && t.optimizer != "adam")
        throw UsageError("--optimizer must be adamw or adam");
    if (t.schedule != "warmup-cosine" && t.schedule != "step")
        throw UsageError("--schedule must be warmup-cosine or step");
    t.lrMax = opt.getDouble("lr", t.lrMax, 0.0, 10.0);
    t.lrMin = opt.getDouble("lr-min", t.lrMin, 0.0, 10.0);
    t.warmupEpochs = static_cast<int>(opt.getInt("warmup", t.warmupEpochs, 0, 100000));
    t.stepEvery = static_cast<int>(opt.getInt("step-every", t.stepEvery, 1, 100000));
    t.stepGamma = opt.getDouble("step-gamma", t.stepGamma, 0.0, 1.0);
    t.weightDecay = opt.getDouble("weight-decay", t.weightDecay, 0.0, 10.0);
    t.clipNorm = opt.getDouble("clip", t.clipNorm, 0.0, 1e9);
    t.model.hidden = static_cast<int>(opt.getInt("hidden", t.model.hidden, 1, 65536));
    t.model.layers = static_cast<int>(opt.getInt("layers", t.model.layers, 0, 64));
    t.model.heads = static_cast<int>(opt.getInt("heads", t.model.heads, 1, 1024));
    t.model.ff = static_cast<int>(opt.getInt("ff", t.model.ff, 1, 1 << 20));
    t.model.dropout = opt.getDouble("dropout", t.model.dropout, 0.0, 0.99);
    t.model.norm = opt.get("norm", t.model.norm);
    for (const char* m : {"tsam", "cmim", "plsim", "sloss"}) {
        if (!opt.has(std::string("no-") + m)) continue;
        if (variant != "link")
            throw UsageError(std::string("--no-") + m + " is for --variant link");
        models::setSwitch(t.model, m, false);
    }
    if (opt.has("plsim-self-mix")) {
        if (variant != "link") throw UsageError("--plsim-self-mix is for --variant link");
        t.model.params["plsim_self_mix"] = opt.getDouble("plsim-self-mix", 0.5, 0.0, 1.0);
    }
    if (variant == "leap") {
        t.model.params["leap_layers"] = static_cast<double>(opt.getInt("leap-layers", 2, 1, 16));
        t.model.params["leap_heads"] = static_cast<double>(opt.getInt("leap-heads", 8, 1, 1024));
    } else if (opt.has("leap-layers") || opt.has("leap-heads")) {
        throw UsageError("--leap-layers / --leap-heads are for --variant leap");
    }
    if (auto f = opt.get("class-emb-audio"))
        t.classEmbeddings.audio = models::readClassEmbedding(*f);
    if (auto f = opt.get("class-emb-visual"))
        t.classEmbeddings.visual = models::readClassEmbedding(*f);
    if (auto f = opt.get("label-emb")) t.classEmbeddings.label = models::readClassEmbedding(*f);
    t.valLabels = labelSource(opt);
    t.valZeroShot = zeroShotFolders(opt, t.valLabels);
    try {
        models::validateConfig(t.model);
        auto probe = t.model;
        models::adoptClassEmbeddings(probe, t.classEmbeddings);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    if (opt.has("no-motion")) t.motion = core::StreamUse::Off;
    t.device = opt.get("device", "auto");
    t.resume = opt.has("resume");

    core::ProgressLine line("avvp train", !opt.has("quiet"));
    t.progress = &line;
    t.onEpoch = [&](const models::EpochReport& r) {
        line.finish();
        std::string scalars;
        for (const auto& [k, v] : r.scalars) {
            char b[48];
            std::snprintf(b, sizeof b, " %s %.4g", k.c_str(), v);
            scalars += b;
        }
        std::printf("epoch %d/%d  lr %.3g  train loss %s  val loss %s%s%s  val %s  %.1f s%s\n",
                    r.epoch, r.epochs, r.lr, fmtLoss(r.trainLoss).c_str(),
                    fmtLoss(r.valLoss).c_str(), scalars.empty() ? "" : " ", scalars.c_str(),
                    fmtScores(r.val).c_str(), r.seconds, r.best ? "  *best" : "");
        std::fflush(stdout);
    };
    models::TrainResult res;
    try {
        res = models::train(t);
    } catch (const core::InputError& e) {
        throw withOptionHints(
            e, {{"; resume it or choose a new output folder", "; use --resume or a new --out"},
                {" epochs; resuming it needs more epochs than that",
                 " epochs; ask for more with --epochs"}});
    }
    line.finish();
    std::printf("best: epoch %d, validation segment Type@AV %.2f -> %s\n", res.bestEpoch,
                res.bestScore, res.best.string().c_str());
    return 0;
}

}  // namespace avvp::app

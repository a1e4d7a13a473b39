// The LibTorch commands of `avvp` (info, train, infer, forward, bench), loaded on demand
// by the CLI. This file sees only the plain-types facade (models/model_api.h).
#include "models/cli_plugin.h"

#include <algorithm>
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
#include "models/reproduce.h"
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
            "usage: avvp info [--threads N] [--keys VARIANT [--motion]]\n\nPrints the LibTorch "
            "version and the devices models can run on. --keys lists the state_dict keys and\n"
            "shapes of a variant at the spec's sizes (valor, link, leap on CLAP tokens + CLIP,\n"
            "--motion adds the motion stream; han on VGGish + ResNet152 + motion).\n");
        return 0;
    }
    if (auto v = opt.get("keys")) {
        auto c = models::defaultConfig(*v);
        if (opt.has("motion")) c.useMotion = true;
        const auto m = models::Model::create(c, 1, "cpu");
        for (const auto& [k, shape] : m.parameters()) {
            std::string s = "(";
            for (std::size_t i = 0; i < shape.size(); ++i)
                s += (i ? ", " : "") + std::to_string(shape[i]);
            std::printf("%s %s\n", k.c_str(), (s + (shape.size() == 1 ? ",)" : ")")).c_str());
        }
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
    l.variant = opt.get("variant", "auto");
    if (l.variant != "auto") {
        const auto known = models::knownVariants();
        if (std::find(known.begin(), known.end(), l.variant) == known.end())
            throw UsageError("--variant must be auto, link, valor, leap or han, not '" + l.variant +
                             "'");
    }
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
  --leap-layers N [2]  --leap-heads N [8]   LEAP decoder layers per stack, heads
  --no-motion        ignore DIR/motion even when it exists
  --resume           continue RUN from RUN/last.ckpt (same data; --epochs may grow)
  --device D         auto | cpu | cuda[:N]                          [default: auto]
  --threads N        CPU threads, 0 = all                           [default: 0]
  --quiet            no progress line (the per-epoch lines stay)
)";

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

models::LabelSource labelSource(const Options& opt);
models::ZeroShotFolders zeroShotFolders(const Options& opt, const models::LabelSource& s);

int trainCommand(const Options& opt) {
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
    const auto res = models::train(t);
    line.finish();
    std::printf("best: epoch %d, validation segment Type@AV %.2f -> %s\n", res.bestEpoch,
                res.bestScore, res.best.string().c_str());
    return 0;
}

// ---- LINK's label source at inference (infer, forward) -------------------------------

constexpr const char* kLabelSourceUsage =
    R"(LINK's PLSIM labels at inference (never ground truth or weak labels): by default the
model's own labels (a first pass with PLSIM fed zeros, frame_prob >= 0.5, then a second
pass). Zero-shot labels per modality instead, cos(segment embedding, class text
embedding) >= threshold:
  --zs-audio-table T.npy  --zs-visual-table T.npy   (25, d) class text embeddings
  --zs-audio-threshold X|F.npy  --zs-visual-threshold X|F.npy
                         one threshold for all classes, or 25 per-class values [0.25]
)";

std::vector<float> thresholds(const Options& opt, const std::string& name) {
    const std::string v = opt.get(name, "0.25");
    if (v.size() > 4 && v.substr(v.size() - 4) == ".npy") {
        const auto a = models::readArray(v);
        if (a.data.size() != 25)
            throw core::InputError(
                v, 0, "per-class thresholds must be 25 values, not " + a.shapeString());
        return a.data;
    }
    return std::vector<float>(25, static_cast<float>(opt.getDouble(name, 0.25, -1.0, 1.0)));
}

models::LabelSource labelSource(const Options& opt) {
    models::LabelSource s;
    if (auto t = opt.get("zs-audio-table"))
        s.audio = models::ZeroShotTable{models::readClassEmbedding(*t),
                                        thresholds(opt, "zs-audio-threshold")};
    if (auto t = opt.get("zs-visual-table"))
        s.visual = models::ZeroShotTable{models::readClassEmbedding(*t),
                                         thresholds(opt, "zs-visual-threshold")};
    return s;
}

// The folders of segment embeddings (--zs-audio / --zs-visual DIR) of a zero-shot label
// source (infer, train's validation).
models::ZeroShotFolders zeroShotFolders(const Options& opt, const models::LabelSource& s) {
    models::ZeroShotFolders z;
    if (auto d = opt.get("zs-audio")) z.audio = *d;
    if (auto d = opt.get("zs-visual")) z.visual = *d;
    if (s.audio.has_value() != !z.audio.empty() || s.visual.has_value() != !z.visual.empty())
        throw UsageError("a zero-shot label source needs both --zs-M-table and --zs-M DIR");
    return z;
}

const std::set<std::string> kLabelSourceValued = {"zs-audio-table",     "zs-visual-table",
                                                  "zs-audio-threshold", "zs-visual-threshold",
                                                  "zs-audio",           "zs-visual"};

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

Only the features are read (and zero-shot segment embeddings): never the pseudo-label
folders, and the split's weak labels never reach the model.

options:
  --split S              a split file (filename, event_labels), or train|val|test
                         for the split file in --labels
  --labels DIR           LLP folder for a split name
  --checkpoint-format F  auto | native | pytorch                   [default: auto]
  --variant V, --heads N, --norm post|pre   for a PyTorch state_dict (it has no
                         config; auto: link / leap by their keys, else valor)
                                                               [auto, 8, post]
  --zs-audio DIR  --zs-visual DIR   folders of <id>.npy segment embeddings (10, d) or
                         (64, d) for a zero-shot label source (below)
  --batch N              videos per forward pass                   [default: 64]
  --device D  [auto]   --threads N  [0 = all]   --quiet

)";

int inferCommand(const Options& opt) {
    if (opt.help()) {
        std::fputs(kInferUsage, stdout);
        std::fputs(kLabelSourceUsage, stdout);
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
    o.labels = labelSource(opt);
    o.zeroShot = zeroShotFolders(opt, o.labels);
    o.batch = static_cast<int>(opt.getInt("batch", 64, 1, 1 << 20));
    core::ProgressLine line("avvp infer", !opt.has("quiet"));
    o.progress = &line;
    const auto r = models::infer(o);
    line.finish();
    std::printf("predicted %zu videos of %s:\n", r.videos, o.split.string().c_str());
    for (const auto& f : r.files) std::printf("  %s\n", f.string().c_str());
    return 0;
}

constexpr const char* kForwardUsage =
    R"(usage: avvp forward --checkpoint C --audio A.npy --visual V.npy [--motion M.npy] --dump-dir D

Runs one batch through a checkpoint in eval mode and writes every output as D/<name>.npy
(float32). All variants: global_prob, a_prob, v_prob (B, 25), frame_prob, frame_logits
(B, 10, 2, 25); valor, han, link: frame_att, av_att (B, 10, 2, 25); link: tsam_w_a,
tsam_w_v (B, 10), tsam_s_a, tsam_s_v (B, H), cmim_a_av, cmim_a_va (B, 10, 10),
seg_labels_a, seg_labels_v (B, 10, 25), sloss_c, sloss_r, sloss_lambda (B, 10, 10),
sloss_mu (1,) -- each when its module is on; leap: leap_att_a, leap_att_v (B, 25, 10),
sloss_c. The arrays carry the batch dimension: audio (B, 64, 768) CLAP tokens or (B, 10,
128) VGGish, visual (B, 10, 768) CLIP or (B, 80, 2048) ResNet152, motion (B, 10, 512).

options:
  --checkpoint-format F  auto | native | pytorch                   [default: auto]
  --variant V, --heads N, --norm post|pre   for a PyTorch state_dict (it has no
                         config; auto: link / leap by their keys, else valor)
  --pseudo-audio P.npy --pseudo-visual P.npy
                         explicit segment labels (B, 10, 25) of 0 / 1 for PLSIM and the
                         AVSS target (to check the module math against another
                         implementation; avvp infer never takes labels)
  --weak Y.npy           video labels (B, 25): with the pseudo labels, also dump the loss
                         terms loss_total, loss_<term> (1,)
  --zs-audio E.npy --zs-visual E.npy   segment embeddings (B, 10, d) or (B, 64, d) for
                         a zero-shot label source (below)
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
        std::fputs(kLabelSourceUsage, stdout);
        return 0;
    }
    const fs::path dump = opt.require("dump-dir");
    models::Inputs in;
    in.audio = readArray(opt.require("audio"), "audio");
    in.visual = readArray(opt.require("visual"), "visual");
    if (auto m = opt.get("motion")) in.motion = readArray(*m, "motion");
    if (auto m = opt.get("zs-audio")) in.zeroShotAudio = readArray(*m, "zero-shot audio");
    if (auto m = opt.get("zs-visual")) in.zeroShotVisual = readArray(*m, "zero-shot visual");
    if (auto m = opt.get("pseudo-audio")) in.pseudoAudio = readArray(*m, "pseudo audio");
    if (auto m = opt.get("pseudo-visual")) in.pseudoVisual = readArray(*m, "pseudo visual");
    if (auto m = opt.get("weak")) in.weak = models::readArray(*m);
    auto load = loadOptions(opt);
    // A state_dict does not say which features it was trained on: the arrays do.
    if (auto k = core::audioFeatureFromRows(in.audio.shape[1]))
        load.audioFeature = std::string(core::featureName(*k));
    if (auto k = core::visualFeatureFromRows(in.visual.shape[1]))
        load.visualFeature = std::string(core::featureName(*k));
    auto model = models::Model::load(opt.require("checkpoint"), load);
    model.setLiteralClap(opt.has("literal-clap"));
    model.setLabelSource(labelSource(opt));
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
        opt = std::make_unique<Options>(argc, argv, valued({"keys"}),
                                        std::set<std::string>{"motion"});
    } else if (cmd == "train") {
        auto v = valued({"variant",
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
                         "leap-heads"});
        v.insert(kLabelSourceValued.begin(), kLabelSourceValued.end());
        opt = std::make_unique<Options>(
            argc, argv, v,
            std::set<std::string>{"no-motion", "resume", "quiet", "no-tsam", "no-cmim", "no-plsim",
                                  "no-sloss"});
    } else if (cmd == "infer") {
        auto v = valued({"features", "split", "labels", "out", "variant"}, true);
        v.insert(kLabelSourceValued.begin(), kLabelSourceValued.end());
        opt = std::make_unique<Options>(argc, argv, v, std::set<std::string>{"quiet"});
    } else if (cmd == "forward") {
        auto v = valued({"audio", "visual", "motion", "dump-dir", "variant", "pseudo-audio",
                         "pseudo-visual", "weak"},
                        true);
        v.insert(kLabelSourceValued.begin(), kLabelSourceValued.end());
        opt = std::make_unique<Options>(argc, argv, v, std::set<std::string>{"literal-clap"});
    } else if (cmd == "bench") {
        return models::benchCommand(argc, argv);
    } else if (cmd == "reproduce") {
        return models::reproduceCommand(argc, argv);
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

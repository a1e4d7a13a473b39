#pragma once
// The facade of the models layer: plain C++ types only (no LibTorch), so the Qt GUI and
// the CLI can build and run models without seeing <torch/torch.h>. Everything that
// touches LibTorch lives in models/*.cpp and the internal headers models/net.h and
// models/model_impl.h.
//
// Variants (docs/model.md): "valor" (VALOR++, section 2), "link" (LINK, section 3: TSAM,
// CMIM, PLSIM, S-LOSS, each switchable), "leap" (the LEAP decoder on the same encoder,
// section 4) and "han" (HAN, section 5). They share ModelConfig (variant + switches +
// params), the variant factory in net.h and the named Outputs map.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/evaluation.h"
#include "core/feature_dataset.h"
#include "core/prediction.h"
#include "core/progress.h"
#include "models/export.h"

namespace avvp::models {

// A float32 array in C order.
struct AVVP_MODELS_API Array {
    std::vector<std::int64_t> shape;
    std::vector<float> data;

    std::int64_t size() const;
    std::string shapeString() const;  // "(2, 10, 768)"
};

// Where a model's weights came from.
struct Provenance {
    std::string features;  // feature root it was trained on
    std::string labels;    // LLP label folder
    int epochs = 0;        // epochs trained
    std::uint64_t seed = 0;
    int bestEpoch = 0;         // epoch of these weights
    double bestScore = 0.0;    // validation segment-level Type@AV (%) of these weights
    std::string importedFrom;  // a PyTorch state_dict this was imported from
};

struct ModelConfig {
    std::string variant = "valor";
    int hidden = 256;
    int layers = 4;
    int heads = 8;
    int ff = 1024;
    double dropout = 0.1;
    std::string norm = "post";  // "post" or "pre" (HAN layer normalisation)
    // Input streams: kind names of core/features.h and their shapes (rows, dim).
    std::string audioFeature = "clap";
    std::int64_t audioRows = 64, audioDim = 768;
    std::string visualFeature = "clip";
    std::int64_t visualRows = 10, visualDim = 768;
    bool useMotion = false;
    std::int64_t motionDim = 512;
    // Variant switches and numeric settings. LINK: switches tsam, cmim, plsim, sloss
    // (each on or off: the ablation rows); params class_emb_dim_a / class_emb_dim_v (width
    // of supplied text-embedding tables; absent: learned 25 x H tables), plsim_self_mix
    // (training: the share of videos whose PLSIM labels are the self-label path's). LEAP: params
    // leap_layers (2), leap_heads (8), label_emb_dim (absent: learned 25 x H).
    std::map<std::string, bool> switches;
    std::map<std::string, double> params;
    std::vector<std::string> classes;  // output order; the 25 LLP classes
    Provenance provenance;
};

// The variants this build can construct.
AVVP_MODELS_API std::vector<std::string> knownVariants();
// A config with the spec's defaults for a variant (throws std::invalid_argument if unknown).
AVVP_MODELS_API ModelConfig defaultConfig(const std::string& variant);
// Throws std::invalid_argument naming the first bad field.
AVVP_MODELS_API void validateConfig(const ModelConfig& c);
AVVP_MODELS_API std::string configToJson(const ModelConfig& c);
// Throws core::InputError(source, 0, reason) on malformed JSON or bad fields.
AVVP_MODELS_API ModelConfig configFromJson(const std::string& json, const std::string& source);
// A LINK config with one switch set (tsam, cmim, plsim, sloss); throws
// std::invalid_argument for another variant or switch name.
AVVP_MODELS_API void setSwitch(ModelConfig& c, const std::string& name, bool on);
// Whether a switch is on (LINK's switches default to on).
AVVP_MODELS_API bool switchOn(const ModelConfig& c, const std::string& name);
// Takes the input kinds and shapes of a feature folder into a config.
AVVP_MODELS_API void adoptFeatures(ModelConfig& c, const core::FeatureSpec& spec);
// Refuses features that do not fit a model: throws core::InputError(where, 0, reason).
AVVP_MODELS_API void checkFeatures(const ModelConfig& c, const core::FeatureSpec& spec,
                                   const std::string& where);

// A float32 array in C order (Array) read from a .npy file of any float / int dtype;
// throws core::InputError naming the file.
AVVP_MODELS_API Array readArray(const std::filesystem::path& file);

// Class-embedding tables, (25, d) in LLP class order: text embeddings of the class names
// (LINK's PLSIM: CLAP text embeddings of "This is a sound of <class>" for audio, CLIP text
// embeddings of "A photo of <class>" for visual; LEAP: its label embeddings). Supplied
// tables are frozen and stored in the checkpoint's state_dict (as buffers, under the
// same keys a learned table has); without one the network learns a (25, H) table.
struct ClassEmbeddings {
    std::optional<Array> audio, visual;  // LINK: plsim.class_emb_a, plsim.class_emb_v
    std::optional<Array> label;          // LEAP: leap.label_emb
};
// Reads a (25, d) table from .npy (InputError naming the file otherwise).
AVVP_MODELS_API Array readClassEmbedding(const std::filesystem::path& file);
// Records the widths of the supplied tables in c.params (class_emb_dim_a / _v,
// label_emb_dim); throws std::invalid_argument when a table does not fit the variant.
AVVP_MODELS_API void adoptClassEmbeddings(ModelConfig& c, const ClassEmbeddings& e);

// Where LINK's PLSIM takes its segment labels from at inference (model.md 3.3) -- never
// ground truth or weak labels. Per modality:
//  - zero-shot, when a table is set: P[t, c] = cos(x_t, E[c]) >= thresholds[c], with E a
//    (25, d) table of text embeddings and x the segment embeddings of the video
//    (Inputs::zeroShotAudio / zeroShotVisual: (B, 10, d), or (B, 64, d) token maps,
//    averaged onto the 10 segments with the CLAP frontend's fold);
//  - otherwise the model's own labels: a first pass with PLSIM fed zeros, frame_prob >=
//    0.5 of that modality, then the second pass with those labels.
struct ZeroShotTable {
    Array table;                    // (25, d)
    std::vector<float> thresholds;  // 25 per-class thresholds on logitScale * cosine
    // The plain rule: cos >= threshold (scale 1). VALOR's rule: logitScale * cos > threshold,
    // with the encoder's logit scale (CLIP 100) and the published per-class thresholds.
    float logitScale = 1.0F;
    bool strict = false;
};
struct LabelSource {
    std::optional<ZeroShotTable> audio, visual;
};

// Folders of per-video segment embeddings (<id>.npy, (10, d) or (64, d)) for a zero-shot
// LabelSource; empty: none for that modality.
struct ZeroShotFolders {
    std::filesystem::path audio, visual;
};

// VALOR's segment pseudo labels for training, from a zero-shot label source with both
// tables: each video's zero-shot labels (the tables' rule on its segment embeddings), kept
// only for the video's weak classes (VALOR's AND with the video-level labels; without
// `andWeak`, LINK's test-time rule). Written as (10, 25) int64 {0, 1} arrays,
// out/pseudo_audio/<id>.npy and out/pseudo_visual/<id>.npy, the layout training reads.
struct PseudoLabelOptions {
    std::vector<core::FeatureVideo> videos;  // their ids and weak labels
    LabelSource source;                      // audio and visual tables both
    ZeroShotFolders embeddings;              // <dir>/<id>.npy, (10, d) or (64, d)
    std::filesystem::path out;
    bool andWeak = true;
    bool overwrite = false;  // replace pseudo labels already in `out`
    core::Progress* progress = nullptr;
};
struct PseudoLabelReport {
    std::size_t videos = 0;
    // Per modality: segment labels on, and the segments of the videos' weak classes (the
    // most the AND leaves on: 10 per weak class).
    std::int64_t audioOn = 0, visualOn = 0, weakSegments = 0;
};
// Checks every input before it writes anything (core::InputError naming the file: a
// missing or misshapen embedding, pseudo labels already there without `overwrite`);
// std::invalid_argument for a source without both tables.
AVVP_MODELS_API PseudoLabelReport makePseudoLabels(const PseudoLabelOptions& options);

// One batch of inputs, each with the batch dimension first: audio (B, rows, dim),
// visual (B, rows, dim), motion (B, 10, 512) when the model fuses motion.
struct Inputs {
    Array audio, visual;
    std::optional<Array> motion;
    // Segment embeddings for a zero-shot LabelSource (LINK), (B, 10, d) or (B, 64, d).
    std::optional<Array> zeroShotAudio = {}, zeroShotVisual = {};
    // Explicit segment labels (B, 10, 25) in {0, 1}: PLSIM's labels (instead of the label
    // source) and the targets of the loss. For checking the module math against another
    // implementation (`avvp forward --pseudo-audio/--pseudo-visual`); predict() and
    // infer() never set them, so inference never sees pseudo, weak or true labels.
    std::optional<Array> pseudoAudio = {}, pseudoVisual = {};
    // Video-level labels (B, 25): with both pseudo-label arrays, forward() also returns
    // the loss terms as loss_<term> (shape (1,)): loss_total, loss_video, ...
    std::optional<Array> weak = {};
};

// Named outputs of a forward pass. Every variant gives global_prob (B, 25), a_prob and
// v_prob (B, 25), frame_prob and frame_logits (B, 10, 2, 25). The interpretable
// quantities (what the GUI plots; T = 10 segments, C = 25 classes, H hidden size):
//  - valor, han, link (the MMIL head): frame_att, av_att (B, T, 2, C): the temporal
//    softmax attention and the audio / visual softmax attention of the head.
//  - link, TSAM on: tsam_w_a, tsam_w_v (B, T) temporal weights W; tsam_s_a, tsam_s_v
//    (B, H) feature-axis weights S.
//  - link, CMIM on: cmim_a_av, cmim_a_va (B, T, T): row i = audio segment i's attention
//    over the visual segments (A_av), and the reverse (A_va).
//  - link: seg_labels_a, seg_labels_v (B, T, C): the segment labels PLSIM (if on) and the
//    AVSS target used (explicit pseudo labels, zero-shot or self labels);
//    sloss_c (B, T, T) cosine of encoder audio segment i and visual segment j;
//    sloss_r (B, T, T) the AVSS target r from those labels;
//    with S-LOSS on: sloss_lambda (B, T, T) the weight lambda(c), sloss_mu (1,) mu, and
//    sloss_lambda_curve (B, 201, 2) the curve lambda(c) itself: row k holds (c, lambda(c))
//    at c = -1 + 0.01 k, computed by the same code as sloss_lambda (for plotting; no
//    other layer re-implements lambda).
//  - leap: leap_att_a, leap_att_v (B, C, T): the last decoder layer's head-averaged
//    attention of each class query over the segments; sloss_c (B, T, T); sloss_r when
//    labels are given.
using Outputs = std::map<std::string, Array>;

enum class CheckpointFormat { Auto, Native, PyTorch };
// "auto" | "native" | "pytorch"; nullopt otherwise.
AVVP_MODELS_API std::optional<CheckpointFormat> checkpointFormatFromName(const std::string& n);

struct LoadOptions {
    CheckpointFormat format = CheckpointFormat::Auto;
    // The variant a PyTorch state_dict is imported into (native checkpoints name theirs);
    // "auto": link or leap when their keys are present, valor otherwise (han has
    // VALOR's keys: name it).
    std::string variant = "auto";
    std::string device = "auto";  // auto | cpu | cuda[:N]
    // A PyTorch state_dict carries no config: hidden size, layers, feed-forward width,
    // input widths and motion fusion follow from the weights; these cannot, and default
    // to the VALOR++ values (8 heads, post-norm, CLAP tokens, CLIP).
    std::optional<int> heads;
    std::optional<std::string> norm;
    std::optional<std::string> audioFeature, visualFeature;
};

class AVVP_MODELS_API Model {
  public:
    // A freshly initialised model (PyTorch's default initialisation, seeded), with the
    // supplied class-embedding tables, if any (their widths go into the config).
    static Model create(const ModelConfig& config, std::uint64_t seed,
                        const std::string& device = "cpu", const ClassEmbeddings& tables = {});
    // Loads a native checkpoint or imports a PyTorch state_dict. Throws core::InputError
    // naming the file and the reason (wrong variant, missing / unexpected keys, shape
    // mismatches, truncated or not a checkpoint).
    static Model load(const std::filesystem::path& checkpoint, const LoadOptions& options = {});

    Model(Model&&) noexcept;
    Model& operator=(Model&&) noexcept;
    ~Model();

    const ModelConfig& config() const;
    std::string device() const;
    std::int64_t parameterCount() const;
    // The state_dict keys and shapes: parameters in registration order, then buffers
    // (supplied class-embedding tables).
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> parameters() const;

    // Writes a native checkpoint (weights + JSON config) that Model::load reads back.
    void save(const std::filesystem::path& file) const;

    // Eval-mode forward of one batch (no gradients). Throws core::InputError naming the
    // input ("audio", ...) when its shape does not fit the config. With inputs.weak (and
    // the pseudo labels) the outputs also hold the loss terms (loss_total, loss_<term>).
    Outputs forward(const Inputs& inputs) const;
    // The CLAP frontend computed literally (interpolate to 2 x 1024, fc_a, mean, pool)
    // instead of folded onto the 10 segments; for tests and the benchmark.
    void setLiteralClap(bool literal);
    // PLSIM's label source at inference (LINK; other variants ignore it). Throws
    // std::invalid_argument when a table is not (25, d) or the thresholds are not 25.
    void setLabelSource(const LabelSource& source);
    const LabelSource& labelSource() const;

    // Internals (LibTorch) for the models layer itself; opaque everywhere else.
    struct Impl;
    explicit Model(std::unique_ptr<Impl> impl);
    Impl& impl() const { return *impl_; }

  private:
    std::unique_ptr<Impl> impl_;
};

// Sets LibTorch's intra-op CPU threads; 0 means one per hardware thread.
AVVP_MODELS_API void setCpuThreads(int threads);

// ---- training --------------------------------------------------------------------

struct EpochReport {
    int epoch = 0, epochs = 0;
    double lr = 0.0;
    // "total" and the variant's terms (valor: video, seg_a, seg_v; link with S-LOSS: also
    // label, avss; leap: audio, visual, video, seg_a, seg_v, avss; han: video, audio, visual)
    std::map<std::string, double> trainLoss, valLoss;
    // Learnable scalars after the epoch (link: mu, alpha1, alpha2, beta1, beta2).
    std::map<std::string, double> scalars;
    core::LevelScores val;  // validation scores (%)
    bool best = false;
    double seconds = 0.0;
};

struct TrainOptions {
    std::filesystem::path features, labels, out;
    // Variant and sizes; the input kinds and widths are taken from the features.
    ModelConfig model = defaultConfig("valor");
    ClassEmbeddings classEmbeddings;  // supplied text-embedding tables (link, leap)
    // LINK: PLSIM's label source while validating (training itself feeds the stored pseudo
    // labels), i.e. what inference will use: default self labels; zero-shot with the
    // segment embeddings of valZeroShot. Never ground truth or weak labels.
    LabelSource valLabels;
    ZeroShotFolders valZeroShot;
    int epochs = 60;
    int batch = 64;
    std::string optimizer = "adamw";         // "adamw" | "adam"
    std::string schedule = "warmup-cosine";  // "warmup-cosine" | "step"
    double lrMax = 3e-4, lrMin = 3e-6;
    int warmupEpochs = 10;
    int stepEvery = 10;  // "step": lr x stepGamma every stepEvery epochs
    double stepGamma = 0.1;
    double weightDecay = 1e-3, beta1 = 0.5, beta2 = 0.999, eps = 1e-8;
    double clipNorm = 1.0;  // 0: no clipping
    std::uint64_t seed = 1;
    std::string device = "auto";
    core::StreamUse motion = core::StreamUse::Auto;  // fuse motion/ when present
    bool resume = false;                             // continue from out/last.ckpt
    std::function<void(const EpochReport&)> onEpoch;
    // The fraction of the run done (stage "epoch 3/60"); cancelling it stops training
    // between batches (TrainResult::cancelled, the checkpoints written so far stay).
    core::Progress* progress = nullptr;
};

struct TrainResult {
    int epochsRun = 0;  // epochs trained by this call
    int lastEpoch = 0;
    int bestEpoch = 0;
    double bestScore = 0.0;  // validation segment Type@AV (%)
    std::filesystem::path best, last;
    bool cancelled = false;
};

// The spec's training settings for a variant: valor, link, leap: AdamW (0.5 / 0.999, wd
// 1e-3), warm-up-cosine 3e-4 -> 3e-6, batch 64, 60 epochs, clip 1.0 (model.md 2; LEAP's
// section names none, so VALOR's -- decision); han: Adam lr 3e-4, batch 16, 40 epochs,
// x 0.1 every 10 epochs, no clipping (section 5). `model` = defaultConfig(variant).
AVVP_MODELS_API TrainOptions defaultTrainOptions(const std::string& variant);

// The learning rate of an epoch (counted from 1) under the options' schedule.
AVVP_MODELS_API double learningRate(const TrainOptions& options, int epoch);

// Trains with the options' optimizer and schedule; writes out/best.ckpt (best
// validation segment Type@AV, first best wins), out/last.ckpt (with optimizer state,
// for --resume) and out/history.jsonl (one JSON object per epoch).
AVVP_MODELS_API TrainResult train(const TrainOptions& options);

// ---- inference -------------------------------------------------------------------

// Frame and global probabilities of every video of a dataset, batched on the model's
// device (one host copy per batch). Only the features (and the zero-shot embeddings of
// the model's label source) are read: never labels or pseudo labels.
// Cancelling `progress` stops between batches and returns the videos predicted so far.
AVVP_MODELS_API core::PredictionSet predict(const Model& model, const core::FeatureDataset& data,
                                            int batch = 64, core::Progress* progress = nullptr,
                                            const ZeroShotFolders& zeroShot = {});

struct InferOptions {
    std::filesystem::path checkpoint, features, split, out;
    LoadOptions load;
    LabelSource labels;        // LINK's PLSIM labels (default: self labels, two passes)
    ZeroShotFolders zeroShot;  // segment embeddings for a zero-shot label source
    int batch = 64;
    core::Thresholds thresholds;
    core::Progress* progress = nullptr;  // cancelled: nothing is written
};

struct InferResult {
    std::size_t videos = 0;
    std::vector<std::filesystem::path> files;
};

// Writes out/pred_audio.csv and out/pred_visual.csv (LLP dense rows, what `avvp eval`
// scores; a cell is on when frame_prob >= 0.5 and global_prob >= 0.5),
// out/frame_prob.npy (N, 10, 2, 25: video, segment, modality 0 audio / 1 visual, class),
// out/global_prob.npy (N, 25) and out/videos.txt (the N filenames, in row order).
AVVP_MODELS_API InferResult infer(const InferOptions& options);

}  // namespace avvp::models

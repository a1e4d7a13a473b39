#pragma once
// The facade of the models layer: plain C++ types only (no LibTorch), so the Qt GUI and
// the CLI can build and run models without seeing <torch/torch.h>. Everything that
// touches LibTorch lives in models/*.cpp and the internal headers models/net.h and
// models/model_impl.h.
//
// Variants: "valor" (VALOR++, docs/model.md section 2) today; LINK, LEAP and HAN plug in
// through the same ModelConfig (variant + switches), the variant factory in net.h and
// the named Outputs map.
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
#include "models/export.h"

namespace avvp::models {

// A float32 array in C order.
struct Array {
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
    // Variant switches and numeric settings (LINK: tsam, cmim, plsim, sloss, ...).
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
// Takes the input kinds and shapes of a feature folder into a config.
AVVP_MODELS_API void adoptFeatures(ModelConfig& c, const core::FeatureSpec& spec);
// Refuses features that do not fit a model: throws core::InputError(where, 0, reason).
AVVP_MODELS_API void checkFeatures(const ModelConfig& c, const core::FeatureSpec& spec,
                                   const std::string& where);

// One batch of inputs, each with the batch dimension first: audio (B, rows, dim),
// visual (B, rows, dim), motion (B, 10, 512) when the model fuses motion.
struct Inputs {
    Array audio, visual;
    std::optional<Array> motion;
};

// Named outputs of a forward pass. Every variant gives global_prob (B, 25), a_prob and
// v_prob (B, 25), frame_prob and frame_logits (B, 10, 2, 25); variants add more (LINK:
// attention maps, ...).
using Outputs = std::map<std::string, Array>;

enum class CheckpointFormat { Auto, Native, PyTorch };
// "auto" | "native" | "pytorch"; nullopt otherwise.
AVVP_MODELS_API std::optional<CheckpointFormat> checkpointFormatFromName(const std::string& n);

struct LoadOptions {
    CheckpointFormat format = CheckpointFormat::Auto;
    // The variant a PyTorch state_dict is imported into (native checkpoints name theirs).
    std::string variant = "valor";
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
    // A freshly initialised model (PyTorch's default initialisation, seeded).
    static Model create(const ModelConfig& config, std::uint64_t seed,
                        const std::string& device = "cpu");
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
    // Parameter names (the state_dict keys) and shapes, in registration order.
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> parameters() const;

    // Writes a native checkpoint (weights + JSON config) that Model::load reads back.
    void save(const std::filesystem::path& file) const;

    // Eval-mode forward of one batch (no gradients). Throws core::InputError naming the
    // input ("audio", ...) when its shape does not fit the config.
    Outputs forward(const Inputs& inputs) const;
    // The CLAP frontend computed literally (interpolate to 2 x 1024, fc_a, mean, pool)
    // instead of folded onto the 10 segments; for tests and the benchmark.
    void setLiteralClap(bool literal);

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
    std::map<std::string, double> trainLoss, valLoss;  // "total", "video", "seg_a", "seg_v"
    core::LevelScores val;                             // validation scores (%)
    bool best = false;
    double seconds = 0.0;
};

struct TrainOptions {
    std::filesystem::path features, labels, out;
    // Variant and sizes; the input kinds and widths are taken from the features.
    ModelConfig model = defaultConfig("valor");
    int epochs = 60;
    int batch = 64;
    double lrMax = 3e-4, lrMin = 3e-6;
    int warmupEpochs = 10;
    double weightDecay = 1e-3, beta1 = 0.5, beta2 = 0.999, eps = 1e-8;
    double clipNorm = 1.0;  // 0: no clipping
    std::uint64_t seed = 1;
    std::string device = "auto";
    core::StreamUse motion = core::StreamUse::Auto;  // fuse motion/ when present
    bool resume = false;                             // continue from out/last.ckpt
    std::function<void(const EpochReport&)> onEpoch;
    std::function<void(int epoch, double fraction)> onProgress;  // within an epoch
    const std::atomic<bool>* cancel = nullptr;
};

struct TrainResult {
    int epochsRun = 0;  // epochs trained by this call
    int lastEpoch = 0;
    int bestEpoch = 0;
    double bestScore = 0.0;  // validation segment Type@AV (%)
    std::filesystem::path best, last;
    bool cancelled = false;
};

// Trains with AdamW and the warm-up-cosine schedule; writes out/best.ckpt (best
// validation segment Type@AV, first best wins), out/last.ckpt (with optimizer state,
// for --resume) and out/history.jsonl (one JSON object per epoch).
AVVP_MODELS_API TrainResult train(const TrainOptions& options);

// ---- inference -------------------------------------------------------------------

// Frame and global probabilities of every video of a dataset, batched on the model's
// device (one host copy per batch).
AVVP_MODELS_API core::PredictionSet predict(const Model& model, const core::FeatureDataset& data,
                                            int batch = 64,
                                            const std::function<void(double)>& onProgress = {},
                                            const std::atomic<bool>* cancel = nullptr);

struct InferOptions {
    std::filesystem::path checkpoint, features, split, out;
    LoadOptions load;
    int batch = 64;
    core::Thresholds thresholds;
    std::function<void(double)> onProgress;
    const std::atomic<bool>* cancel = nullptr;
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

#pragma once
// Internal (LibTorch) header of the models layer: the networks, their losses and the
// learning-rate schedule. Never include it from ui/ or app/ (use models/model_api.h).
//
// A variant is a Network: a torch::nn::Module whose parameter names are the state_dict
// keys of docs/model.md, with a forward pass returning named outputs and its own loss.
// makeNetwork() dispatches on ModelConfig::variant: valor and han here, link in
// models/link.h, leap in models/leap.h.
#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>

#include "models/model_api.h"

namespace avvp::models {

struct NetInputs {
    torch::Tensor audio;   // (B, rows, dim)
    torch::Tensor visual;  // (B, rows, dim)
    torch::Tensor motion;  // (B, 10, 512) or undefined
    // (B, 10, 25) segment labels fed into the network (LINK's PLSIM): the stored pseudo
    // labels at training time, explicit labels from `avvp forward`; undefined at inference
    // (the network's own label source then).
    torch::Tensor pseudoAudio;
    torch::Tensor pseudoVisual;
    // (B, 10, d) or (B, 64, d) segment embeddings for a zero-shot label source, or undefined.
    torch::Tensor zsAudio = {};
    torch::Tensor zsVisual = {};
};

struct Targets {
    torch::Tensor weak;         // (B, 25) video-level labels
    torch::Tensor pseudoAudio;  // (B, 10, 25) segment pseudo labels
    torch::Tensor pseudoVisual;
};

using NetOutputs = std::map<std::string, torch::Tensor>;

struct LossTerms {
    torch::Tensor total;
    std::map<std::string, torch::Tensor> terms;  // named parts, for logging
};

class Network : public torch::nn::Module {
  public:
    explicit Network(ModelConfig config) : config_(std::move(config)) {}
    const ModelConfig& config() const { return config_; }
    // Provenance is filled in while training.
    ModelConfig& mutableConfig() { return config_; }
    virtual NetOutputs forward(const NetInputs& in) = 0;
    virtual LossTerms loss(const NetOutputs& out, const Targets& t) = 0;
    // Names of parameters that get no gradient by design in this configuration (e.g. the
    // pre-norm final norms of a post-norm encoder); tests skip them.
    virtual std::vector<std::string> unusedParameters() const { return {}; }
    // Learnable scalars worth logging per epoch (LINK: mu, alpha1, ...).
    virtual std::map<std::string, double> scalars() const { return {}; }
    // Copies supplied class-embedding tables into the network's buffers (link, leap).
    virtual void setClassEmbeddings(const ClassEmbeddings& /*tables*/) {}
    // PLSIM's label source at inference (link).
    virtual void setLabelSource(const LabelSource& /*source*/) {}
    const LabelSource& labelSource() const { return labelSource_; }

  protected:
    LabelSource labelSource_;
    ModelConfig config_;
};

std::shared_ptr<Network> makeNetwork(const ModelConfig& config);

// Multi-head attention with PyTorch's parameter layout (packed in_proj_weight 3H x H,
// in_proj_bias, out_proj.weight / .bias), on batch-first tensors (B, T, H). Dropout
// applies to the attention weights, as in torch.nn.MultiheadAttention.
class MultiheadAttentionImpl : public torch::nn::Module {
  public:
    MultiheadAttentionImpl(std::int64_t hidden, std::int64_t heads, double dropout);
    // Returns (B, Tq, H); `weights` (B, Tq, Tk), averaged over heads, when not null;
    // `logits` (B, Tq, Tk), the scaled products q k^T / sqrt(d) before the softmax,
    // averaged over heads, when not null.
    torch::Tensor forward(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                          torch::Tensor* weights = nullptr, torch::Tensor* logits = nullptr);

    torch::Tensor in_proj_weight, in_proj_bias;
    torch::nn::Linear out_proj{nullptr};

  private:
    std::int64_t hidden_, heads_;
    double dropout_;
};
TORCH_MODULE(MultiheadAttention);

// One HAN layer (shared by both modalities): cross-modal and self attention, then the
// feed-forward block; post- or pre-norm.
class HanLayerImpl : public torch::nn::Module {
  public:
    HanLayerImpl(std::int64_t hidden, std::int64_t heads, std::int64_t ff, double dropout);
    torch::Tensor forward(const torch::Tensor& q, const torch::Tensor& other, bool preNorm);

    MultiheadAttention self_attn{nullptr}, cm_attn{nullptr};
    torch::nn::Linear linear1{nullptr}, linear2{nullptr};
    torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};

  private:
    double dropout_;
};
TORCH_MODULE(HanLayer);

class HanEncoderImpl : public torch::nn::Module {
  public:
    HanEncoderImpl(std::int64_t hidden, std::int64_t layers, std::int64_t heads, std::int64_t ff,
                   double dropout);
    // a = layer_i(a, v), then v = layer_i(v, a) with the updated a, for every layer.
    std::pair<torch::Tensor, torch::Tensor> forward(torch::Tensor a, torch::Tensor v, bool preNorm);

    torch::nn::ModuleList layers;
    torch::nn::LayerNorm final_norm_a{nullptr}, final_norm_v{nullptr};
};
TORCH_MODULE(HanEncoder);

// The (10 x 64) map of the CLAP frontend's linear steps that precede and follow fc_a:
// bicubic interpolation of the 2 x 32 token grid to 2 x 1024 (align_corners false),
// mean over the 2 rows, adaptive average pooling to 10. Computed once in float64 by
// running exactly those operations on the 64 unit vectors. Since fc_a is affine and
// every row of the map sums to 1, fc_a(M x) equals the literal frontend.
torch::Tensor clapFoldMatrix();

// VALOR++ (MMIL_Net of VALOR): frontends, optional motion fusion, HAN encoder, MMIL head.
// The backbone of the other variants: LINK adds its modules between the frontends and the
// encoder, LEAP replaces the MMIL head (mmilHead = false: no fc_prob / fc_frame_att /
// fc_av_att), HAN is the same network with its own sizes and loss.
class ValorNet : public Network {
  public:
    explicit ValorNet(ModelConfig config, bool mmilHead = true);
    NetOutputs forward(const NetInputs& in) override;
    LossTerms loss(const NetOutputs& out, const Targets& t) override;
    std::vector<std::string> unusedParameters() const override;

    // The parts, for variants built on the same backbone.
    torch::Tensor audioFrontend(const torch::Tensor& audio);
    torch::Tensor visualFrontend(const torch::Tensor& visual, const torch::Tensor& motion);
    std::pair<torch::Tensor, torch::Tensor> encode(const torch::Tensor& a, const torch::Tensor& v);
    // global_prob, a_prob, v_prob, frame_prob, frame_logits, frame_att, av_att.
    NetOutputs mmilHead(const torch::Tensor& a, const torch::Tensor& v);

    // Literal CLAP frontend (for tests and the benchmark baseline).
    void setLiteralClap(bool literal) { literalClap_ = literal; }
    torch::Tensor clapLiteral(const torch::Tensor& audio);
    torch::Tensor clapFolded(const torch::Tensor& audio);

    torch::nn::Linear fc_prob{nullptr}, fc_frame_att{nullptr}, fc_av_att{nullptr};
    torch::nn::Linear fc_a{nullptr}, fc_v{nullptr}, fc_st{nullptr}, fc_fusion{nullptr};
    HanEncoder hat_encoder{nullptr};

  private:
    bool literalClap_ = false;
    torch::Tensor fold_;  // clapFoldMatrix() as float32, moved with the module lazily
};

// HAN (model.md section 5): the VALOR++ network at HAN's sizes with HAN's loss.
class HanNet : public ValorNet {
  public:
    explicit HanNet(ModelConfig config) : ValorNet(std::move(config)) {}
    LossTerms loss(const NetOutputs& out, const Targets& t) override;
};

// The VALOR loss: BCE(clamp(global_prob, 1e-7, 1 - 1e-7), weak) + BCEWithLogits of the
// audio and visual frame logits against the pseudo labels, mean-reduced, weights 1:1:1.
LossTerms valorLoss(const NetOutputs& out, const Targets& t);

// HAN's loss: BCE(global, y) + BCE(a_prob, y) + BCE(v_prob, 0.9 y + 0.05), probabilities
// clamped to [1e-7, 1 - 1e-7] like VALOR's video term.
LossTerms hanLoss(const NetOutputs& out, const Targets& t);

// BCE of probabilities clamped to [1e-7, 1 - 1e-7], mean-reduced.
torch::Tensor clampedBce(const torch::Tensor& prob, const torch::Tensor& target);

// c[b, i, j] = cosine(a[b, i], v[b, j]) (B, T, T); norms below 1e-8 count as 1e-8.
torch::Tensor cosineMatrix(const torch::Tensor& a, const torch::Tensor& v);

// The AVSS target of LEAP / S-LOSS from segment labels (B, T, C): S[i, j] = P_a[i] . P_v[j]
// / K, K = the most classes on in one segment of either modality (1e-6 when 0), r = S /
// (1 + S) + 0.01 (B, T, T).
torch::Tensor avssTarget(const torch::Tensor& pa, const torch::Tensor& pv);

// The CLAP fold applied to (B, 64, d) token maps -> (B, 10, d); other inputs unchanged.
torch::Tensor foldTokens(const torch::Tensor& x);

// The schedule of model.md: e < warmup: e / warmup * lrMax, else cosine from lrMax to
// lrMin over the remaining epochs (epochs counted from 1).
double warmupCosineLr(int epoch, int epochs, int warmup, double lrMax, double lrMin);

}  // namespace avvp::models

#pragma once
// Internal (LibTorch) header of the models layer: the networks, their losses and the
// learning-rate schedule. Never include it from ui/ or app/ (use models/model_api.h).
//
// A variant is a Network: a torch::nn::Module whose parameter names are the state_dict
// keys of docs/model.md, with a forward pass returning named outputs and its own loss.
// makeNetwork() dispatches on ModelConfig::variant; issue 6 adds link / leap / han there.
#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>

#include "models/model_api.h"

namespace avvp::models {

struct NetInputs {
    torch::Tensor audio;        // (B, rows, dim)
    torch::Tensor visual;       // (B, rows, dim)
    torch::Tensor motion;       // (B, 10, 512) or undefined
    torch::Tensor pseudoAudio;  // (B, 10, 25) or undefined (variants that feed them in)
    torch::Tensor pseudoVisual;
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

  protected:
    ModelConfig config_;
};

std::shared_ptr<Network> makeNetwork(const ModelConfig& config);

// Multi-head attention with PyTorch's parameter layout (packed in_proj_weight 3H x H,
// in_proj_bias, out_proj.weight / .bias), on batch-first tensors (B, T, H). Dropout
// applies to the attention weights, as in torch.nn.MultiheadAttention.
class MultiheadAttentionImpl : public torch::nn::Module {
  public:
    MultiheadAttentionImpl(std::int64_t hidden, std::int64_t heads, double dropout);
    // Returns (B, Tq, H); `weights` (B, Tq, Tk), averaged over heads, when not null.
    torch::Tensor forward(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                          torch::Tensor* weights = nullptr);

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
class ValorNet : public Network {
  public:
    explicit ValorNet(ModelConfig config);
    NetOutputs forward(const NetInputs& in) override;
    LossTerms loss(const NetOutputs& out, const Targets& t) override;
    std::vector<std::string> unusedParameters() const override;

    // The parts, for variants built on the same backbone.
    torch::Tensor audioFrontend(const torch::Tensor& audio);
    torch::Tensor visualFrontend(const torch::Tensor& visual, const torch::Tensor& motion);
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

// The VALOR loss: BCE(clamp(global_prob, 1e-7, 1 - 1e-7), weak) + BCEWithLogits of the
// audio and visual frame logits against the pseudo labels, mean-reduced, weights 1:1:1.
LossTerms valorLoss(const NetOutputs& out, const Targets& t);

// The schedule of model.md: e < warmup: e / warmup * lrMax, else cosine from lrMax to
// lrMin over the remaining epochs (epochs counted from 1).
double warmupCosineLr(int epoch, int epochs, int warmup, double lrMax, double lrMin);

}  // namespace avvp::models

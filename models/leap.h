#pragma once
// Internal (LibTorch) header: the LEAP decoder (docs/model.md section 4) as an alternative
// head on the VALOR++ encoder (no MMIL head).
#include "models/net.h"

namespace avvp::models {

// A pre-norm transformer decoder layer with the parameter names of PyTorch's
// nn.TransformerDecoderLayer(norm_first=True): x += self_attn(norm1(x)); x +=
// multihead_attn(norm2(x), memory); x += linear2(relu(linear1(norm3(x)))). Dropout as
// PyTorch's (attention weights, each residual branch, the feed-forward hidden layer).
class LeapDecoderLayerImpl : public torch::nn::Module {
  public:
    LeapDecoderLayerImpl(std::int64_t hidden, std::int64_t heads, std::int64_t ff, double dropout);
    // `weights` / `logits`: the cross-attention's head-averaged weights / scaled logits.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& memory,
                          torch::Tensor* weights = nullptr, torch::Tensor* logits = nullptr);

    MultiheadAttention self_attn{nullptr}, multihead_attn{nullptr};
    torch::nn::Linear linear1{nullptr}, linear2{nullptr};
    torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr}, norm3{nullptr};

  private:
    double dropout_;
};
TORCH_MODULE(LeapDecoderLayer);

// A stack of decoder layers (keys layers.<i>.*, like nn.TransformerDecoder without a final
// norm); returns the last layer's cross-attention weights and logits.
class LeapStackImpl : public torch::nn::Module {
  public:
    LeapStackImpl(std::int64_t layers, std::int64_t hidden, std::int64_t heads, std::int64_t ff,
                  double dropout);
    torch::Tensor forward(torch::Tensor x, const torch::Tensor& memory, torch::Tensor* weights,
                          torch::Tensor* logits);
    torch::nn::ModuleList layers;
};
TORCH_MODULE(LeapStack);

// The decoder's parameters, registered as "leap": fc_label (d -> H), dec_a, dec_v, fc_a,
// fc_v (H -> 1) and the label table label_emb (25, d): learned (normal(0, 1)) or a
// supplied, frozen buffer.
class LeapHeadImpl : public torch::nn::Module {
  public:
    LeapHeadImpl(std::int64_t hidden, std::int64_t layers, std::int64_t heads, std::int64_t dim,
                 bool learned, double dropout);
    torch::nn::Linear fc_label{nullptr}, fc_a{nullptr}, fc_v{nullptr};
    LeapStack dec_a{nullptr}, dec_v{nullptr};
    torch::Tensor label_emb;
};
TORCH_MODULE(LeapHead);

// LEAP: class queries Q = fc_label(E) attend to the encoder's audio segments (dec_a) and
// visual segments (dec_v); a_prob / v_prob = sigmoid(fc_a / fc_v(per-class outputs)); the
// segment logits are the last layer's head-averaged scaled cross-attention logits,
// transposed to (B, 10, 25); global_prob = 1 - (1 - a_prob)(1 - v_prob).
class LeapNet : public ValorNet {
  public:
    explicit LeapNet(ModelConfig config);
    NetOutputs forward(const NetInputs& in) override;
    // BCE(a_prob, Y_a) + BCE(v_prob, Y_v) + BCE(global, y) + BCE of the segment
    // probabilities against P_a, P_v + the AVSS term with lambda = 1.
    LossTerms loss(const NetOutputs& out, const Targets& t) override;
    void setClassEmbeddings(const ClassEmbeddings& tables) override;

    LeapHead leap{nullptr};
};

}  // namespace avvp::models

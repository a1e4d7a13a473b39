#pragma once
// Internal (LibTorch) header: LINK (docs/model.md section 3) on the VALOR++ backbone.
// Forward order (decision of the spec): frontends -> TSAM (per modality) -> CMIM -> PLSIM
// -> HAN encoder -> MMIL head; S-LOSS replaces the VALOR loss. Each module has a switch
// (config.switches tsam, cmim, plsim, sloss); a module switched off is the identity (the
// VALOR loss for sloss) and registers no weights, so the state_dict of an ablation holds
// exactly the keys of its modules.
#include "models/net.h"

namespace avvp::models {

// TSAM (model.md 3.1): temporal attention W = sigmoid(mlp(mean_H f) + mlp(max_H f)) with
// one shared temporal_mlp (Linear T -> T/2, ReLU, Linear T/2 -> T); f' = W f; spatial
// (feature-axis) attention S = sigmoid(Conv1d(2 -> 1, kernel 7, padding 3)([mean_T f';
// max_T f'])); f_hat = S f'.
class TsamImpl : public torch::nn::Module {
  public:
    explicit TsamImpl(std::int64_t segments = 10);
    struct Result {
        torch::Tensor out;  // f_hat (B, T, H)
        torch::Tensor w;    // W (B, T)
        torch::Tensor s;    // S (B, H)
    };
    Result forward(const torch::Tensor& f);

    torch::nn::Sequential temporal_mlp{nullptr};
    torch::nn::Conv1d spatial_conv{nullptr};
};
TORCH_MODULE(Tsam);

// CMIM (model.md 3.2): A_av = softmax(f_a f_v^T / sqrt(H)), f_aout = f_a + (f_a + alpha2
// A_av (beta2 f_v)); A_va = softmax(f_v f_a^T / sqrt(H)), f_vout = f_v + (f_v + alpha1
// A_va (beta1 f_a)). Scalars (0-dim) alpha = 0.1, beta = 1.0 at initialisation.
class CmimImpl : public torch::nn::Module {
  public:
    CmimImpl();
    struct Result {
        torch::Tensor a, v;    // f_aout, f_vout (B, T, H)
        torch::Tensor av, va;  // A_av, A_va (B, T, T)
    };
    Result forward(const torch::Tensor& fa, const torch::Tensor& fv);

    torch::Tensor alpha1, alpha2, beta1, beta2;
};
TORCH_MODULE(Cmim);

// PLSIM (model.md 3.3): e_m[t] = sum_c P_m[t, c] E_m[c] / max(1, sum_c P_m[t, c]);
// F_a = f_a * gamma1(e_a) + gamma2(e_a) + f_a, F_v = f_v * rho1(e_v) + rho2(e_v) + f_v; each
// MLP Linear(d -> H), ReLU, Linear(H -> H) with the last layer zero-initialised (PLSIM
// starts as the identity). E_m is a learned (25, H) parameter (normal(0, 1) at
// initialisation) or a supplied (25, d_m) table (a frozen buffer).
class PlsimImpl : public torch::nn::Module {
  public:
    PlsimImpl(std::int64_t hidden, std::int64_t dimA, std::int64_t dimV, bool learnedA,
              bool learnedV);
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& fa,
                                                    const torch::Tensor& fv,
                                                    const torch::Tensor& pa,
                                                    const torch::Tensor& pv);
    // The mean class embedding of each segment's labels (B, T, d).
    static torch::Tensor meanEmbedding(const torch::Tensor& labels, const torch::Tensor& table);

    torch::nn::Sequential gamma1{nullptr}, gamma2{nullptr}, rho1{nullptr}, rho2{nullptr};
    torch::Tensor class_emb_a, class_emb_v;
};
TORCH_MODULE(Plsim);

// S-LOSS's learnable mu (model.md 3.4), 0-dim, 0 at initialisation.
class SlossImpl : public torch::nn::Module {
  public:
    SlossImpl();
    torch::Tensor mu;
};
TORCH_MODULE(Sloss);

// lambda(c) = 1 for c <= -0.2; e^|1 - mu| for -0.2 < c < 0; e^|1 - mu| + (1 - e^|1 - mu|) c
// for c >= 0 (differentiable in c and mu).
torch::Tensor slossLambda(const torch::Tensor& c, const torch::Tensor& mu);

// The curve lambda(c) for plotting (output sloss_lambda_curve): (batch, 201, 2), row k
// holding (c, lambda(c)) at c = -1 + 0.01 k, lambda from slossLambda itself.
torch::Tensor slossLambdaCurve(const torch::Tensor& mu, std::int64_t batch);

// Zero-shot segment labels: scale * cos(x_t, E[c]) >= thresholds[c] (> where strict, VALOR's
// rule); x (B, 10 or 64, d) (64 rows are folded onto the segments), table (25, d),
// thresholds (25) -> (B, 10, 25) of 0 / 1.
torch::Tensor zeroShotLabels(const torch::Tensor& x, const torch::Tensor& table,
                             const torch::Tensor& thresholds, double scale = 1.0,
                             bool strict = false);

// A (d0, d1, ...) Array as a float32 tensor of its own (a copy).
torch::Tensor tableTensor(const Array& a);

// Per-video segment embeddings of a zero-shot label source, <dir>/<id>.npy, every file the
// shape of the first video's: (10, d) or (64, d). An empty folder stands for none.
struct ZeroShotEmbeddings {
    std::filesystem::path dir;
    std::int64_t rows = 0, dim = 0;

    // Checks the folder and the first video's file (core::InputError naming it); `what`
    // names the files in the errors.
    ZeroShotEmbeddings(std::filesystem::path folder, const std::vector<core::FeatureVideo>& videos,
                       const std::string& what = "zero-shot segment embeddings");
    // Checks that every video's file is there with the first one's shape, for a pass that
    // must not stop midway.
    void requireAll(const std::vector<core::FeatureVideo>& videos) const;
    bool used() const { return !dir.empty(); }
    std::vector<float> load(const core::FeatureVideo& v) const;

  private:
    std::string what_;
};

class LinkNet : public ValorNet {
  public:
    explicit LinkNet(ModelConfig config);
    // Labels for PLSIM and the AVSS target: in.pseudoAudio / in.pseudoVisual when given
    // (training; explicit labels), otherwise the label source: zero-shot per modality
    // when set, else the self labels of a first pass with PLSIM fed zeros. With PLSIM on,
    // training mode without given labels throws std::logic_error.
    NetOutputs forward(const NetInputs& in) override;
    // S-LOSS when on (targets' pseudo labels give Y_m and r), else the VALOR loss.
    LossTerms loss(const NetOutputs& out, const Targets& t) override;
    std::vector<std::string> unusedParameters() const override;
    std::map<std::string, double> scalars() const override;
    void setClassEmbeddings(const ClassEmbeddings& tables) override;
    void setLabelSource(const LabelSource& source) override;

    bool tsamOn() const { return tsamOn_; }
    bool cmimOn() const { return cmimOn_; }
    bool plsimOn() const { return plsimOn_; }
    bool slossOn() const { return slossOn_; }

    Tsam tsam_a{nullptr}, tsam_v{nullptr};
    Cmim cmim{nullptr};
    Plsim plsim{nullptr};
    Sloss sloss{nullptr};

  private:
    // PLSIM (when on; labels undefined = zeros), encoder, head; adds sloss_c.
    NetOutputs tail(const torch::Tensor& a, const torch::Tensor& v, const torch::Tensor& pa,
                    const torch::Tensor& pv);
    // Inference labels of one modality from the label source (zs embeddings or frame_prob).
    torch::Tensor sourceLabels(int modality, const torch::Tensor& zs,
                               const torch::Tensor& frameProb) const;

    // Training only: the labels PLSIM sees at inference for a share plsim_self_mix of the
    // videos (none, or the self labels of a first pass), the given pseudo labels otherwise.
    std::pair<torch::Tensor, torch::Tensor> inferenceLikeLabels(const torch::Tensor& a,
                                                                const torch::Tensor& v,
                                                                const torch::Tensor& pa,
                                                                const torch::Tensor& pv);

    bool tsamOn_, cmimOn_, plsimOn_, slossOn_;
    double selfMix_ = 0.0;  // params plsim_self_mix
};

}  // namespace avvp::models

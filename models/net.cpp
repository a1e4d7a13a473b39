// The networks of the models layer (LibTorch). Spec: docs/model.md section 2.
#include "models/net.h"

#include <cmath>

#include <stdexcept>
#include "models/cpu_kernels.h"
#include "models/leap.h"
#include "models/link.h"

namespace avvp::models {

namespace F = torch::nn::functional;

// ---- attention and the HAN encoder ------------------------------------------------

namespace {
// F::linear, with one addmm for a contiguous (B, T, in) input: LibTorch 1.13 takes
// matmul (an output zeroed first) and a separate bias pass there.
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight,
                     const torch::Tensor& bias) {
    if (x.dim() == 3 && x.is_contiguous() && bias.defined())
        return torch::addmm(bias, x.view({-1, x.size(2)}), weight.t())
            .view({x.size(0), x.size(1), weight.size(0)});
    return F::linear(x, weight, bias);
}

torch::Tensor linear(const torch::nn::Linear& l, const torch::Tensor& x) {
    return linear(x, l->weight, l->bias);
}
}  // namespace

MultiheadAttentionImpl::MultiheadAttentionImpl(std::int64_t hidden, std::int64_t heads,
                                               double dropout)
    : hidden_(hidden), heads_(heads), dropout_(dropout) {
    if (heads <= 0 || hidden % heads != 0)
        throw std::invalid_argument("hidden size " + std::to_string(hidden) +
                                    " is not a multiple of the " + std::to_string(heads) +
                                    " attention heads");
    // torch.nn.MultiheadAttention's initialisation: Xavier-uniform packed projection,
    // zero biases; out_proj keeps Linear's default weights and a zero bias.
    in_proj_weight = register_parameter("in_proj_weight", torch::empty({3 * hidden, hidden}));
    in_proj_bias = register_parameter("in_proj_bias", torch::zeros({3 * hidden}));
    out_proj = register_module("out_proj", torch::nn::Linear(hidden, hidden));
    torch::nn::init::xavier_uniform_(in_proj_weight);
    torch::NoGradGuard g;
    out_proj->bias.zero_();
}

torch::Tensor MultiheadAttentionImpl::forward(const torch::Tensor& q, const torch::Tensor& k,
                                              const torch::Tensor& v, torch::Tensor* weights,
                                              torch::Tensor* logits) {
    const auto B = q.size(0), Tq = q.size(1), Tk = k.size(1);
    const auto d = hidden_ / heads_;
    const auto w = in_proj_weight.chunk(3, 0);
    const auto b = in_proj_bias.chunk(3, 0);
    if (!weights && !logits && attentionCoreSupported(q, k, v)) {
        // One projection GEMM for self-attention (q, k, v packed) and one for k and v of
        // cross-attention, then the fused per-head core (models/cpu_kernels.h).
        torch::Tensor qp, kp, vp;
        if (q.is_same(k) && k.is_same(v)) {
            const auto p = linear(q, in_proj_weight, in_proj_bias).chunk(3, -1);
            qp = p[0], kp = p[1], vp = p[2];
        } else if (k.is_same(v)) {
            qp = linear(q, w[0], b[0]);
            const auto p = linear(k, in_proj_weight.narrow(0, hidden_, 2 * hidden_),
                                  in_proj_bias.narrow(0, hidden_, 2 * hidden_))
                               .chunk(2, -1);
            kp = p[0], vp = p[1];
        } else {
            qp = linear(q, w[0], b[0]), kp = linear(k, w[1], b[1]);
            vp = linear(v, w[2], b[2]);
        }
        return linear(out_proj,
                      attentionCore(qp, kp, vp, heads_, dropout_, dropout_ > 0.0 && is_training()));
    }
    // (B, T, H) -> (B, heads, T, d); the query is scaled before the product, like PyTorch.
    auto split = [&](const torch::Tensor& x, std::int64_t T) {
        return x.view({B, T, heads_, d}).transpose(1, 2);
    };
    auto qh = split(F::linear(q, w[0], b[0]), Tq) * (1.0 / std::sqrt(static_cast<double>(d)));
    auto kh = split(F::linear(k, w[1], b[1]), Tk);
    auto vh = split(F::linear(v, w[2], b[2]), Tk);
    auto scores = torch::matmul(qh, kh.transpose(-2, -1));  // (B, h, Tq, Tk)
    if (logits) *logits = scores.mean(1);
    auto att = torch::softmax(scores, -1);
    if (weights) *weights = att.mean(1);
    if (dropout_ > 0.0 && is_training())
        att = F::dropout(att, F::DropoutFuncOptions().p(dropout_).training(true));
    auto out = torch::matmul(att, vh).transpose(1, 2).reshape({B, Tq, hidden_});
    return out_proj->forward(out);
}

HanLayerImpl::HanLayerImpl(std::int64_t hidden, std::int64_t heads, std::int64_t ff, double dropout)
    : dropout_(dropout) {
    self_attn = register_module("self_attn", MultiheadAttention(hidden, heads, dropout));
    cm_attn = register_module("cm_attn", MultiheadAttention(hidden, heads, dropout));
    linear1 = register_module("linear1", torch::nn::Linear(hidden, ff));
    linear2 = register_module("linear2", torch::nn::Linear(ff, hidden));
    norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden})));
    norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden})));
}

torch::Tensor HanLayerImpl::forward(const torch::Tensor& q, const torch::Tensor& other,
                                    bool preNorm) {
    auto drop = [&](const torch::Tensor& x) { return fastDropout(x, dropout_, is_training()); };
    if (!preNorm) {
        auto cm = cm_attn->forward(q, other, other);
        auto sa = self_attn->forward(q, q, q);
        auto x = norm1->forward(q + drop(cm) + drop(sa));
        return norm2->forward(x + drop(linear(linear2, drop(linear(linear1, x).relu_()))));
    }
    auto qn = norm1->forward(q);
    auto cm = cm_attn->forward(qn, other, other);
    auto sa = self_attn->forward(qn, qn, qn);
    auto x = q + drop(cm) + drop(sa);
    return x + drop(linear(linear2, drop(linear(linear1, norm2->forward(x)).relu_())));
}

HanEncoderImpl::HanEncoderImpl(std::int64_t hidden, std::int64_t layerCount, std::int64_t heads,
                               std::int64_t ff, double dropout) {
    layers = register_module("layers", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < layerCount; ++i)
        layers->push_back(HanLayer(hidden, heads, ff, dropout));
    final_norm_a = register_module("final_norm_a",
                                   torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden})));
    final_norm_v = register_module("final_norm_v",
                                   torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden})));
}

std::pair<torch::Tensor, torch::Tensor> HanEncoderImpl::forward(torch::Tensor a, torch::Tensor v,
                                                                bool preNorm) {
    for (const auto& m : *layers) {
        auto* layer = m->as<HanLayerImpl>();
        a = layer->forward(a, v, preNorm);
        v = layer->forward(v, a, preNorm);
    }
    if (preNorm) {
        a = final_norm_a->forward(a);
        v = final_norm_v->forward(v);
    }
    return {a, v};
}

// ---- CLAP frontend fold ---------------------------------------------------------------

namespace {
constexpr std::int64_t kTokens = 64, kRows = 2, kCols = 32, kUpCols = 1024, kT = 10;

// interpolate -> mean over rows -> pool, on (N, C, 2, 32); fc_a (if given) between the
// interpolation and the mean, applied on the channel axis as the spec does.
torch::Tensor clapSteps(const torch::Tensor& x, torch::nn::Linear* fc) {
    auto up = F::interpolate(x, F::InterpolateFuncOptions()
                                    .size(std::vector<std::int64_t>{kRows, kUpCols})
                                    .mode(torch::kBicubic)
                                    .align_corners(false));
    if (fc) up = (*fc)->forward(up.permute({0, 2, 3, 1})).permute({0, 3, 1, 2});
    return F::adaptive_avg_pool1d(up.mean(2), F::AdaptiveAvgPool1dFuncOptions(kT));
}
}  // namespace

torch::Tensor clapFoldMatrix() {
    torch::NoGradGuard g;
    auto basis = torch::eye(kTokens, torch::kFloat64).view({kTokens, 1, kRows, kCols});
    return clapSteps(basis, nullptr).view({kTokens, kT}).t().contiguous();  // (10, 64)
}

// ---- VALOR++ -----------------------------------------------------------------------------

ValorNet::ValorNet(ModelConfig config, bool mmilHead) : Network(std::move(config)) {
    const auto& c = config_;
    const std::int64_t H = c.hidden, C = static_cast<std::int64_t>(c.classes.size());
    if (mmilHead) {
        fc_prob = register_module("fc_prob", torch::nn::Linear(H, C));
        fc_frame_att = register_module("fc_frame_att", torch::nn::Linear(H, C));
        fc_av_att = register_module("fc_av_att", torch::nn::Linear(H, C));
    }
    fc_a = register_module("fc_a", torch::nn::Linear(c.audioDim, H));
    fc_v = register_module("fc_v", torch::nn::Linear(c.visualDim, H));
    if (c.useMotion) {
        fc_st = register_module("fc_st", torch::nn::Linear(c.motionDim, H));
        fc_fusion = register_module("fc_fusion", torch::nn::Linear(2 * H, H));
    }
    hat_encoder = register_module("hat_encoder", HanEncoder(H, c.layers, c.heads, c.ff, c.dropout));
}

std::vector<std::string> ValorNet::unusedParameters() const {
    if (config_.norm == "pre") return {};
    return {"hat_encoder.final_norm_a.weight", "hat_encoder.final_norm_a.bias",
            "hat_encoder.final_norm_v.weight", "hat_encoder.final_norm_v.bias"};
}

torch::Tensor ValorNet::clapLiteral(const torch::Tensor& audio) {
    const auto B = audio.size(0), D = audio.size(2);
    auto x = audio.transpose(1, 2).contiguous().view({B, D, kRows, kCols});
    return clapSteps(x, &fc_a).transpose(1, 2);  // (B, 10, H)
}

torch::Tensor ValorNet::clapFolded(const torch::Tensor& audio) {
    if (!fold_.defined() || fold_.device() != audio.device() || fold_.dtype() != audio.dtype())
        fold_ = clapFoldMatrix().to(audio.device(), audio.scalar_type());
    // (10, 64) x (64, D) per video, then fc_a on (B, 10, D).
    return linear(fc_a, foldPerVideo(fold_, audio));
}

torch::Tensor ValorNet::audioFrontend(const torch::Tensor& audio) {
    if (audio.size(1) == kTokens) return literalClap_ ? clapLiteral(audio) : clapFolded(audio);
    return fc_a->forward(audio);
}

torch::Tensor ValorNet::visualFrontend(const torch::Tensor& visual, const torch::Tensor& motion) {
    auto v = linear(fc_v, visual);
    if (visual.size(1) == 80) v = v.view({v.size(0), kT, 8, v.size(2)}).mean(2);  // ResNet: 8 fps
    if (config_.useMotion) {
        if (!motion.defined())
            throw std::invalid_argument("this model fuses a motion stream: motion features needed");
        v = linear(fc_fusion, torch::cat({v, linear(fc_st, motion)}, -1));
    }
    return v;
}

NetOutputs ValorNet::mmilHead(const torch::Tensor& a, const torch::Tensor& v) {
    auto x = torch::stack({a, v}, 2);  // (B, T, 2, H)
    auto frameLogits = fc_prob->forward(x);
    auto frameProb = torch::sigmoid(frameLogits);
    auto frameAtt = torch::softmax(fc_frame_att->forward(x), 1);
    auto avAtt = torch::softmax(fc_av_att->forward(x), 2);
    auto temporal = frameAtt * frameProb;
    NetOutputs out;
    out["global_prob"] = (temporal * avAtt).sum(2).sum(1);
    out["a_prob"] = temporal.select(2, 0).sum(1);
    out["v_prob"] = temporal.select(2, 1).sum(1);
    out["frame_prob"] = frameProb;
    out["frame_logits"] = frameLogits;
    out["frame_att"] = frameAtt;  // MMIL temporal attention (B, T, 2, C), softmax over T
    out["av_att"] = avAtt;        // MMIL modality attention (B, T, 2, C), softmax over 2
    return out;
}

std::pair<torch::Tensor, torch::Tensor> ValorNet::encode(const torch::Tensor& a,
                                                         const torch::Tensor& v) {
    return hat_encoder->forward(a, v, config_.norm == "pre");
}

NetOutputs ValorNet::forward(const NetInputs& in) {
    auto a = audioFrontend(in.audio);
    auto v = visualFrontend(in.visual, in.motion);
    auto [ea, ev] = encode(a, v);
    return mmilHead(ea, ev);
}

LossTerms ValorNet::loss(const NetOutputs& out, const Targets& t) {
    return valorLoss(out, t);
}

LossTerms HanNet::loss(const NetOutputs& out, const Targets& t) {
    return hanLoss(out, t);
}

torch::Tensor clampedBce(const torch::Tensor& prob, const torch::Tensor& target) {
    return F::binary_cross_entropy(prob.clamp(1e-7, 1.0 - 1e-7), target);
}

LossTerms hanLoss(const NetOutputs& out, const Targets& t) {
    LossTerms l;
    l.terms["video"] = clampedBce(out.at("global_prob"), t.weak);
    l.terms["audio"] = clampedBce(out.at("a_prob"), t.weak);
    l.terms["visual"] = clampedBce(out.at("v_prob"), 0.9 * t.weak + 0.05);
    l.total = l.terms["video"] + l.terms["audio"] + l.terms["visual"];
    return l;
}

torch::Tensor cosineMatrix(const torch::Tensor& a, const torch::Tensor& v) {
    auto an = a / a.norm(2, -1, true).clamp_min(1e-8);
    auto vn = v / v.norm(2, -1, true).clamp_min(1e-8);
    return torch::matmul(an, vn.transpose(-2, -1));
}

torch::Tensor avssTarget(const torch::Tensor& pa, const torch::Tensor& pv) {
    auto s = torch::matmul(pa, pv.transpose(-2, -1));                   // (B, T, T): shared classes
    auto k = torch::maximum(pa.sum(-1).amax(-1), pv.sum(-1).amax(-1));  // (B,)
    k = torch::where(k > 0, k, torch::full_like(k, 1e-6));
    s = s / k.view({-1, 1, 1});
    return s / (1 + s) + 0.01;
}

torch::Tensor foldTokens(const torch::Tensor& x) {
    if (x.size(1) != kTokens) return x;
    auto fold = clapFoldMatrix().to(x.device(), x.scalar_type());  // (10, 64)
    return torch::matmul(fold, x);
}

LossTerms valorLoss(const NetOutputs& out, const Targets& t) {
    const auto& g = out.at("global_prob");
    const auto& logits = out.at("frame_logits");
    LossTerms l;
    l.terms["video"] = F::binary_cross_entropy(g.clamp(1e-7, 1.0 - 1e-7), t.weak);
    l.terms["seg_a"] = F::binary_cross_entropy_with_logits(logits.select(2, 0), t.pseudoAudio);
    l.terms["seg_v"] = F::binary_cross_entropy_with_logits(logits.select(2, 1), t.pseudoVisual);
    l.total = l.terms["video"] + l.terms["seg_a"] + l.terms["seg_v"];
    return l;
}

double warmupCosineLr(int epoch, int epochs, int warmup, double lrMax, double lrMin) {
    if (epoch < warmup) return static_cast<double>(epoch) / warmup * lrMax;
    const int span = std::max(1, epochs - warmup);
    return lrMin + 0.5 * (lrMax - lrMin) * (1.0 + std::cos(M_PI * (epoch - warmup) / span));
}

std::shared_ptr<Network> makeNetwork(const ModelConfig& config) {
    validateConfig(config);
    if (config.variant == "valor") return std::make_shared<ValorNet>(config);
    if (config.variant == "han") return std::make_shared<HanNet>(config);
    if (config.variant == "link") return std::make_shared<LinkNet>(config);
    if (config.variant == "leap") return std::make_shared<LeapNet>(config);
    throw std::invalid_argument("unknown model variant '" + config.variant + "'");
}

}  // namespace avvp::models

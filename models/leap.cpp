// The LEAP decoder (LibTorch). Spec: docs/model.md section 4.
#include "models/leap.h"

#include <stdexcept>

namespace avvp::models {

namespace F = torch::nn::functional;

LeapDecoderLayerImpl::LeapDecoderLayerImpl(std::int64_t hidden, std::int64_t heads, std::int64_t ff,
                                           double dropout)
    : dropout_(dropout) {
    self_attn = register_module("self_attn", MultiheadAttention(hidden, heads, dropout));
    multihead_attn = register_module("multihead_attn", MultiheadAttention(hidden, heads, dropout));
    linear1 = register_module("linear1", torch::nn::Linear(hidden, ff));
    linear2 = register_module("linear2", torch::nn::Linear(ff, hidden));
    auto norm = [&] { return torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden})); };
    norm1 = register_module("norm1", norm());
    norm2 = register_module("norm2", norm());
    norm3 = register_module("norm3", norm());
}

torch::Tensor LeapDecoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& memory,
                                            torch::Tensor* weights, torch::Tensor* logits) {
    auto drop = [&](const torch::Tensor& t) {
        return F::dropout(t, F::DropoutFuncOptions().p(dropout_).training(is_training()));
    };
    auto n1 = norm1->forward(x);
    auto y = x + drop(self_attn->forward(n1, n1, n1));
    y = y + drop(multihead_attn->forward(norm2->forward(y), memory, memory, weights, logits));
    return y + drop(linear2->forward(drop(torch::relu(linear1->forward(norm3->forward(y))))));
}

LeapStackImpl::LeapStackImpl(std::int64_t count, std::int64_t hidden, std::int64_t heads,
                             std::int64_t ff, double dropout) {
    layers = register_module("layers", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < count; ++i)
        layers->push_back(LeapDecoderLayer(hidden, heads, ff, dropout));
}

torch::Tensor LeapStackImpl::forward(torch::Tensor x, const torch::Tensor& memory,
                                     torch::Tensor* weights, torch::Tensor* logits) {
    const auto n = layers->size();
    for (std::size_t i = 0; i < n; ++i) {
        const bool last = i + 1 == n;
        x = layers->at<LeapDecoderLayerImpl>(i).forward(x, memory, last ? weights : nullptr,
                                                        last ? logits : nullptr);
    }
    return x;
}

LeapHeadImpl::LeapHeadImpl(std::int64_t hidden, std::int64_t layers, std::int64_t heads,
                           std::int64_t dim, bool learned, double dropout) {
    fc_label = register_module("fc_label", torch::nn::Linear(dim, hidden));
    dec_a = register_module("dec_a", LeapStack(layers, hidden, heads, 4 * hidden, dropout));
    dec_v = register_module("dec_v", LeapStack(layers, hidden, heads, 4 * hidden, dropout));
    fc_a = register_module("fc_a", torch::nn::Linear(hidden, 1));
    fc_v = register_module("fc_v", torch::nn::Linear(hidden, 1));
    label_emb = learned ? register_parameter("label_emb", torch::randn({25, dim}))
                        : register_buffer("label_emb", torch::zeros({25, dim}));
}

LeapNet::LeapNet(ModelConfig config) : ValorNet(std::move(config), false) {
    const auto& c = config_;
    const auto learned = !c.params.count("label_emb_dim");
    const std::int64_t dim =
        learned ? c.hidden : static_cast<std::int64_t>(c.params.at("label_emb_dim"));
    leap = register_module(
        "leap",
        LeapHead(c.hidden, static_cast<std::int64_t>(c.params.at("leap_layers")),
                 static_cast<std::int64_t>(c.params.at("leap_heads")), dim, learned, c.dropout));
}

void LeapNet::setClassEmbeddings(const ClassEmbeddings& tables) {
    if (tables.audio || tables.visual)
        throw std::invalid_argument("audio / visual class-embedding tables are LINK's, not LEAP's");
    if (!tables.label) return;
    if (!config_.params.count("label_emb_dim"))
        throw std::invalid_argument("this LEAP model learns its label table (none supplied)");
    const auto& a = *tables.label;
    auto t = torch::from_blob(const_cast<float*>(a.data.data()), a.shape, torch::kFloat32).clone();
    if (t.sizes() != leap->label_emb.sizes())
        throw std::invalid_argument("the label-embedding table is " + a.shapeString() +
                                    ", the model takes (25, " +
                                    std::to_string(leap->label_emb.size(1)) + ")");
    torch::NoGradGuard g;
    leap->label_emb.copy_(t.to(leap->label_emb.device()));
}

NetOutputs LeapNet::forward(const NetInputs& in) {
    auto [ea, ev] = encode(audioFrontend(in.audio), visualFrontend(in.visual, in.motion));
    const auto B = ea.size(0);
    auto q = leap->fc_label->forward(leap->label_emb).unsqueeze(0).expand({B, -1, -1});
    torch::Tensor wa, la, wv, lv;
    auto xa = leap->dec_a->forward(q, ea, &wa, &la);  // (B, 25, H); la, wa (B, 25, 10)
    auto xv = leap->dec_v->forward(q, ev, &wv, &lv);
    NetOutputs out;
    auto aProb = torch::sigmoid(leap->fc_a->forward(xa).squeeze(-1));
    auto vProb = torch::sigmoid(leap->fc_v->forward(xv).squeeze(-1));
    out["a_prob"] = aProb;
    out["v_prob"] = vProb;
    out["global_prob"] = 1.0 - (1.0 - aProb) * (1.0 - vProb);
    out["frame_logits"] = torch::stack({la.transpose(1, 2), lv.transpose(1, 2)}, 2);
    out["frame_prob"] = torch::sigmoid(out["frame_logits"]);
    out["leap_att_a"] = wa;
    out["leap_att_v"] = wv;
    out["sloss_c"] = cosineMatrix(ea, ev);
    if (in.pseudoAudio.defined() && in.pseudoVisual.defined())
        out["sloss_r"] = avssTarget(in.pseudoAudio, in.pseudoVisual);
    return out;
}

LossTerms LeapNet::loss(const NetOutputs& out, const Targets& t) {
    LossTerms l;
    const auto& logits = out.at("frame_logits");
    l.terms["audio"] = clampedBce(out.at("a_prob"), t.pseudoAudio.amax(1));
    l.terms["visual"] = clampedBce(out.at("v_prob"), t.pseudoVisual.amax(1));
    l.terms["video"] = clampedBce(out.at("global_prob"), t.weak);
    l.terms["seg_a"] = F::binary_cross_entropy_with_logits(logits.select(2, 0), t.pseudoAudio);
    l.terms["seg_v"] = F::binary_cross_entropy_with_logits(logits.select(2, 1), t.pseudoVisual);
    const auto& c = out.at("sloss_c");
    l.terms["avss"] = (torch::relu(c) - avssTarget(t.pseudoAudio, t.pseudoVisual)).pow(2).mean();
    l.total = l.terms["audio"] + l.terms["visual"] + l.terms["video"] + l.terms["seg_a"] +
              l.terms["seg_v"] + l.terms["avss"];
    return l;
}

}  // namespace avvp::models

// LINK (LibTorch): TSAM, CMIM, PLSIM, S-LOSS on the VALOR++ backbone. Spec: docs/model.md
// section 3.
#include "models/link.h"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "core/error.h"
#include "core/feature_dataset.h"
#include "core/npy.h"

namespace avvp::models {

namespace F = torch::nn::functional;

namespace {

// Linear(d -> H), ReLU, Linear(H -> H) with the last layer zero (PLSIM's MLPs).
torch::nn::Sequential zeroLastMlp(std::int64_t in, std::int64_t hidden) {
    torch::nn::Sequential s(torch::nn::Linear(in, hidden), torch::nn::ReLU(),
                            torch::nn::Linear(hidden, hidden));
    torch::NoGradGuard g;
    auto* last = s[2]->as<torch::nn::LinearImpl>();
    last->weight.zero_();
    last->bias.zero_();
    return s;
}

}  // namespace

torch::Tensor tableTensor(const Array& a) {
    return torch::from_blob(const_cast<float*>(a.data.data()), a.shape, torch::kFloat32).clone();
}

// ---- TSAM -------------------------------------------------------------------------------

TsamImpl::TsamImpl(std::int64_t segments) {
    temporal_mlp = register_module(
        "temporal_mlp",
        torch::nn::Sequential(torch::nn::Linear(segments, segments / 2), torch::nn::ReLU(),
                              torch::nn::Linear(segments / 2, segments)));
    spatial_conv = register_module("spatial_conv",
                                   torch::nn::Conv1d(torch::nn::Conv1dOptions(2, 1, 7).padding(3)));
}

TsamImpl::Result TsamImpl::forward(const torch::Tensor& f) {
    // Temporal: pool over the feature axis, one shared MLP for both poolings.
    auto w = torch::sigmoid(temporal_mlp->forward(f.mean(-1)) + temporal_mlp->forward(f.amax(-1)));
    auto fp = w.unsqueeze(-1) * f;  // f' (B, T, H)
    // Spatial (feature axis): pool over time, [avg; max] -> Conv1d -> (B, 1, H).
    auto pooled = torch::stack({fp.mean(1), fp.amax(1)}, 1);
    auto s = torch::sigmoid(spatial_conv->forward(pooled));
    return {s * fp, w, s.squeeze(1)};
}

// ---- CMIM -------------------------------------------------------------------------------

CmimImpl::CmimImpl() {
    alpha1 = register_parameter("alpha1", torch::tensor(0.1F));
    alpha2 = register_parameter("alpha2", torch::tensor(0.1F));
    beta1 = register_parameter("beta1", torch::tensor(1.0F));
    beta2 = register_parameter("beta2", torch::tensor(1.0F));
}

CmimImpl::Result CmimImpl::forward(const torch::Tensor& fa, const torch::Tensor& fv) {
    const double scale = std::sqrt(static_cast<double>(fa.size(-1)));
    auto av = torch::softmax(torch::matmul(fa, fv.transpose(-2, -1)) / scale, -1);
    auto va = torch::softmax(torch::matmul(fv, fa.transpose(-2, -1)) / scale, -1);
    auto fac = fa + alpha2 * torch::matmul(av, beta2 * fv);
    auto fvc = fv + alpha1 * torch::matmul(va, beta1 * fa);
    return {fa + fac, fv + fvc, av, va};
}

// ---- PLSIM ------------------------------------------------------------------------------

PlsimImpl::PlsimImpl(std::int64_t hidden, std::int64_t dimA, std::int64_t dimV, bool learnedA,
                     bool learnedV) {
    gamma1 = register_module("gamma1", zeroLastMlp(dimA, hidden));
    gamma2 = register_module("gamma2", zeroLastMlp(dimA, hidden));
    rho1 = register_module("rho1", zeroLastMlp(dimV, hidden));
    rho2 = register_module("rho2", zeroLastMlp(dimV, hidden));
    const std::int64_t C = 25;
    class_emb_a = learnedA ? register_parameter("class_emb_a", torch::randn({C, dimA}))
                           : register_buffer("class_emb_a", torch::zeros({C, dimA}));
    class_emb_v = learnedV ? register_parameter("class_emb_v", torch::randn({C, dimV}))
                           : register_buffer("class_emb_v", torch::zeros({C, dimV}));
}

torch::Tensor PlsimImpl::meanEmbedding(const torch::Tensor& labels, const torch::Tensor& table) {
    auto count = labels.sum(-1, true).clamp_min(1.0);
    return torch::matmul(labels, table) / count;
}

std::pair<torch::Tensor, torch::Tensor> PlsimImpl::forward(const torch::Tensor& fa,
                                                           const torch::Tensor& fv,
                                                           const torch::Tensor& pa,
                                                           const torch::Tensor& pv) {
    auto ea = meanEmbedding(pa, class_emb_a);
    auto ev = meanEmbedding(pv, class_emb_v);
    auto outA = fa * gamma1->forward(ea) + gamma2->forward(ea) + fa;
    auto outV = fv * rho1->forward(ev) + rho2->forward(ev) + fv;
    return {outA, outV};
}

// ---- S-LOSS -----------------------------------------------------------------------------

SlossImpl::SlossImpl() {
    mu = register_parameter("mu", torch::tensor(0.0F));
}

torch::Tensor slossLambda(const torch::Tensor& c, const torch::Tensor& mu) {
    auto e = torch::exp(torch::abs(1.0 - mu));  // e^|1 - mu|
    auto positive = e + (1.0 - e) * c;
    auto band = e.expand_as(c);
    return torch::where(c <= -0.2, torch::ones_like(c), torch::where(c < 0.0, band, positive));
}

torch::Tensor slossLambdaCurve(const torch::Tensor& mu, std::int64_t batch) {
    // c = (k - 100) / 100: one rounding, so the grid holds c = 0 exactly and c = -0.2 as
    // the float -0.2 that slossLambda compares with (-1 + 0.01 k would miss it). 201 points
    // draw the jump at -0.2 as a jump, not as a ramp.
    auto c = (torch::arange(201, mu.options()) - 100.0) / 100.0;
    auto curve = torch::stack({c, slossLambda(c, mu)}, 1);  // (201, 2)
    return curve.unsqueeze(0).expand({batch, 201, 2});
}

torch::Tensor zeroShotLabels(const torch::Tensor& x, const torch::Tensor& table,
                             const torch::Tensor& thresholds, double scale, bool strict) {
    auto seg = foldTokens(x);
    if (seg.size(1) != 10 || seg.size(-1) != table.size(1))
        throw std::invalid_argument("zero-shot segment embeddings are (B, " +
                                    std::to_string(x.size(1)) + ", " + std::to_string(x.size(-1)) +
                                    "); the table needs (B, 10 or 64, " +
                                    std::to_string(table.size(1)) + ")");
    auto logits = cosineMatrix(seg, table);  // (B, 10, 25)
    if (scale != 1.0) logits = logits * scale;
    const auto thr = thresholds.view({1, 1, -1});
    return (strict ? logits > thr : logits >= thr).to(torch::kFloat32);
}

ZeroShotEmbeddings::ZeroShotEmbeddings(std::filesystem::path folder,
                                       const std::vector<core::FeatureVideo>& videos,
                                       const std::string& what)
    : dir(std::move(folder)), what_(what) {
    if (dir.empty()) return;
    if (!std::filesystem::is_directory(dir))
        throw core::InputError(dir.string(), 0, "not a folder");
    if (videos.empty()) return;
    const auto first = dir / (videos[0].id + ".npy");
    if (!std::filesystem::exists(first))
        throw core::InputError(first.string(), 0, "missing (" + what_ + ")");
    const auto h = core::readNpyHeader(first);
    if (h.shape.size() != 2 || (h.shape[0] != 10 && h.shape[0] != 64))
        throw core::InputError(first.string(), 0,
                               what_ + " must be (10, d) or (64, d), not " + h.shapeString());
    rows = h.shape[0];
    dim = h.shape[1];
}

void ZeroShotEmbeddings::requireAll(const std::vector<core::FeatureVideo>& videos) const {
    for (const auto& v : videos) {
        const auto file = dir / (v.id + ".npy");
        if (!std::filesystem::exists(file))
            throw core::InputError(file.string(), 0, "missing (" + what_ + ")");
        const auto h = core::readNpyHeader(file);
        if (h.shape != std::vector<std::int64_t>{rows, dim})
            throw core::InputError(file.string(), 0,
                                   "is " + h.shapeString() + ", the first video's is (" +
                                       std::to_string(rows) + ", " + std::to_string(dim) + ")");
    }
}

std::vector<float> ZeroShotEmbeddings::load(const core::FeatureVideo& v) const {
    return core::loadFeatureArray(dir / (v.id + ".npy"), rows, dim);
}

// ---- LINK -------------------------------------------------------------------------------

LinkNet::LinkNet(ModelConfig config) : ValorNet(std::move(config)) {
    const auto& c = config_;
    tsamOn_ = switchOn(c, "tsam");
    cmimOn_ = switchOn(c, "cmim");
    plsimOn_ = switchOn(c, "plsim");
    slossOn_ = switchOn(c, "sloss");
    const std::int64_t H = c.hidden;
    if (tsamOn_) {
        tsam_a = register_module("tsam_a", Tsam(10));
        tsam_v = register_module("tsam_v", Tsam(10));
    }
    if (cmimOn_) cmim = register_module("cmim", Cmim());
    if (plsimOn_) {
        auto dim = [&](const char* key) {
            auto it = c.params.find(key);
            return it == c.params.end() ? H : static_cast<std::int64_t>(it->second);
        };
        plsim = register_module(
            "plsim", Plsim(H, dim("class_emb_dim_a"), dim("class_emb_dim_v"),
                           !c.params.count("class_emb_dim_a"), !c.params.count("class_emb_dim_v")));
    }
    if (slossOn_) sloss = register_module("sloss", Sloss());
    if (auto it = c.params.find("plsim_self_mix"); it != c.params.end()) selfMix_ = it->second;
}

std::vector<std::string> LinkNet::unusedParameters() const {
    return ValorNet::unusedParameters();
}

std::map<std::string, double> LinkNet::scalars() const {
    std::map<std::string, double> s;
    if (cmimOn_) {
        s["alpha1"] = cmim->alpha1.item<double>();
        s["alpha2"] = cmim->alpha2.item<double>();
        s["beta1"] = cmim->beta1.item<double>();
        s["beta2"] = cmim->beta2.item<double>();
    }
    if (slossOn_) s["mu"] = sloss->mu.item<double>();
    return s;
}

void LinkNet::setClassEmbeddings(const ClassEmbeddings& tables) {
    if (tables.label) throw std::invalid_argument("a label-embedding table is LEAP's, not LINK's");
    auto put = [&](const std::optional<Array>& a, const char* key, const char* what, bool audio) {
        if (!a) return;
        if (!plsimOn_ || !config_.params.count(key))
            throw std::invalid_argument(std::string("this model has no supplied ") + what +
                                        " class-embedding table (PLSIM off or learned)");
        auto& buffer = audio ? plsim->class_emb_a : plsim->class_emb_v;
        auto t = tableTensor(*a);
        if (t.sizes() != buffer.sizes())
            throw std::invalid_argument(std::string("the ") + what + " class-embedding table is " +
                                        a->shapeString() + ", the model takes (25, " +
                                        std::to_string(buffer.size(1)) + ")");
        torch::NoGradGuard g;
        buffer.copy_(t.to(buffer.device()));
    };
    put(tables.audio, "class_emb_dim_a", "audio", true);
    put(tables.visual, "class_emb_dim_v", "visual", false);
}

void LinkNet::setLabelSource(const LabelSource& source) {
    auto check = [](const std::optional<ZeroShotTable>& z, const char* what) {
        if (!z) return;
        if (z->table.shape.size() != 2 || z->table.shape[0] != 25 || z->table.shape[1] < 1 ||
            z->table.size() != static_cast<std::int64_t>(z->table.data.size()))
            throw std::invalid_argument(std::string("the ") + what +
                                        " zero-shot table must be (25, d), not " +
                                        z->table.shapeString());
        if (z->thresholds.size() != 25)
            throw std::invalid_argument(std::string("the ") + what +
                                        " zero-shot thresholds must be 25 values, not " +
                                        std::to_string(z->thresholds.size()));
    };
    for (const auto* z : {&source.audio, &source.visual})
        if (*z && !(std::isfinite((*z)->logitScale) && (*z)->logitScale > 0.0F))
            throw std::invalid_argument("a zero-shot logit scale must be a positive number, not " +
                                        std::to_string((*z)->logitScale));
    check(source.audio, "audio");
    check(source.visual, "visual");
    labelSource_ = source;
}

namespace {

// The self-label rule: a first pass's frame_prob >= 0.5 (no gradient through the labels).
torch::Tensor selfLabels(const torch::Tensor& frameProb, int modality) {
    return (frameProb.select(2, modality) >= 0.5).to(torch::kFloat32).detach();
}

}  // namespace

torch::Tensor LinkNet::sourceLabels(int modality, const torch::Tensor& zs,
                                    const torch::Tensor& frameProb) const {
    const auto& z = modality == 0 ? labelSource_.audio : labelSource_.visual;
    if (z) {
        if (!zs.defined())
            throw std::invalid_argument(std::string("the zero-shot label source needs ") +
                                        (modality == 0 ? "audio" : "visual") +
                                        " segment embeddings");
        auto table = tableTensor(z->table).to(zs.device());
        auto thr = torch::tensor(z->thresholds, torch::kFloat32).to(zs.device());
        return zeroShotLabels(zs.to(torch::kFloat32), table, thr, z->logitScale, z->strict);
    }
    return selfLabels(frameProb, modality);
}

NetOutputs LinkNet::tail(const torch::Tensor& a, const torch::Tensor& v, const torch::Tensor& pa,
                         const torch::Tensor& pv) {
    auto fa = a, fv = v;
    if (plsimOn_) {
        const auto zeros = torch::zeros({a.size(0), a.size(1), 25}, a.options());
        std::tie(fa, fv) =
            plsim->forward(a, v, pa.defined() ? pa : zeros, pv.defined() ? pv : zeros);
    }
    auto [ea, ev] = encode(fa, fv);
    auto out = mmilHead(ea, ev);
    out["sloss_c"] = cosineMatrix(ea, ev);
    return out;
}

std::pair<torch::Tensor, torch::Tensor> LinkNet::inferenceLikeLabels(const torch::Tensor& a,
                                                                     const torch::Tensor& v,
                                                                     const torch::Tensor& pa,
                                                                     const torch::Tensor& pv) {
    // A share selfMix_ of the videos gets what the self-label path feeds PLSIM at inference:
    // half of them no labels (its first pass), half the labels of such a first pass
    // (frame_prob >= 0.5; the self-label rule even where a zero-shot source is set, as the
    // training batches hold no segment embeddings). Trained only on the stored pseudo
    // labels, PLSIM learns to read the answer from them and the self-label path collapses
    // (docs/models.md, avvp reproduce).
    const auto B = a.size(0);
    const auto u = torch::rand({B, 1, 1}).to(a.device());
    const auto dropped = u < selfMix_ / 2.0;
    const auto own = (u >= selfMix_ / 2.0) & (u < selfMix_);
    auto zeros = torch::zeros_like(pa);
    auto outA = torch::where(dropped, zeros, pa), outV = torch::where(dropped, zeros, pv);
    if (own.any().item<bool>()) {
        torch::Tensor first;
        {
            torch::NoGradGuard g;
            first = tail(a, v, {}, {}).at("frame_prob");
        }
        outA = torch::where(own, selfLabels(first, 0), outA);
        outV = torch::where(own, selfLabels(first, 1), outV);
    }
    return {outA, outV};
}

NetOutputs LinkNet::forward(const NetInputs& in) {
    auto a = audioFrontend(in.audio);
    auto v = visualFrontend(in.visual, in.motion);
    NetOutputs extra;
    if (tsamOn_) {
        auto ra = tsam_a->forward(a);
        auto rv = tsam_v->forward(v);
        a = ra.out;
        v = rv.out;
        extra["tsam_w_a"] = ra.w;
        extra["tsam_s_a"] = ra.s;
        extra["tsam_w_v"] = rv.w;
        extra["tsam_s_v"] = rv.s;
    }
    if (cmimOn_) {
        auto r = cmim->forward(a, v);
        a = r.a;
        v = r.v;
        extra["cmim_a_av"] = r.av;
        extra["cmim_a_va"] = r.va;
    }
    NetOutputs out;
    torch::Tensor pa, pv;
    if (in.pseudoAudio.defined() && in.pseudoVisual.defined()) {
        pa = in.pseudoAudio.to(a.scalar_type());
        pv = in.pseudoVisual.to(a.scalar_type());
        if (plsimOn_ && is_training() && selfMix_ > 0.0)
            std::tie(pa, pv) = inferenceLikeLabels(a, v, pa, pv);
        out = tail(a, v, pa, pv);
    } else if (!plsimOn_) {
        // One pass; its own frame probabilities (or zero-shot labels) give the AVSS target.
        out = tail(a, v, {}, {});
        pa = sourceLabels(0, in.zsAudio, out.at("frame_prob"));
        pv = sourceLabels(1, in.zsVisual, out.at("frame_prob"));
    } else {
        // Training feeds the stored pseudo labels (model.md 3.3); a training step without
        // them is a bug of the caller, not a case for the inference label source.
        if (is_training())
            throw std::logic_error("LINK's PLSIM needs the segment pseudo labels at training time");
        // PLSIM's label source: zero-shot where set, else the self labels of a first pass
        // with PLSIM fed zeros (thresholds have no gradient), then the second pass.
        torch::Tensor firstProb;
        if (!labelSource_.audio || !labelSource_.visual) {
            torch::NoGradGuard g;
            firstProb = tail(a, v, {}, {}).at("frame_prob");
        }
        pa = sourceLabels(0, in.zsAudio, firstProb);
        pv = sourceLabels(1, in.zsVisual, firstProb);
        out = tail(a, v, pa, pv);
    }
    for (auto& [k, t] : extra) out[k] = t;
    out["seg_labels_a"] = pa;
    out["seg_labels_v"] = pv;
    out["sloss_r"] = avssTarget(pa, pv);
    if (slossOn_) {
        out["sloss_lambda"] = slossLambda(out.at("sloss_c"), sloss->mu);
        out["sloss_mu"] = sloss->mu.reshape({1});
        out["sloss_lambda_curve"] = slossLambdaCurve(sloss->mu, out.at("sloss_c").size(0));
    }
    return out;
}

LossTerms LinkNet::loss(const NetOutputs& out, const Targets& t) {
    auto l = valorLoss(out, t);
    if (!slossOn_) return l;
    auto ya = t.pseudoAudio.amax(1), yv = t.pseudoVisual.amax(1);  // video-level pseudo labels
    l.terms["label"] = clampedBce(out.at("a_prob"), ya) + clampedBce(out.at("v_prob"), yv);
    const auto& c = out.at("sloss_c");
    auto r = avssTarget(t.pseudoAudio, t.pseudoVisual);
    l.terms["avss"] = (slossLambda(c, sloss->mu) * (torch::relu(c) - r).pow(2)).mean();
    l.total = l.total + l.terms["label"] + l.terms["avss"];
    return l;
}

}  // namespace avvp::models

// The VALOR++ network against docs/model.md section 2: frontend shapes, the folded CLAP
// frontend against the literal one, the MMIL head, the loss on a hand-computed case,
// the schedule, gradients to every parameter, attention against LibTorch's own module.
#include <gtest/gtest.h>

#include <cmath>

#include <ATen/CPUGeneratorImpl.h>

#include "models/cpu_kernels.h"
#include "models/net.h"

using namespace avvp::models;

namespace {

ModelConfig tiny(const std::string& audio, const std::string& visual, bool motion,
                 const std::string& norm = "post", double dropout = 0.1) {
    auto c = defaultConfig("valor");
    c.hidden = 16;
    c.layers = 2;
    c.heads = 4;
    c.ff = 32;
    c.dropout = dropout;
    c.norm = norm;
    c.audioFeature = audio;
    c.audioRows = audio == "clap" ? 64 : 10;
    c.audioDim = audio == "clap" ? 768 : 128;
    c.visualFeature = visual;
    c.visualRows = visual == "clip" ? 10 : 80;
    c.visualDim = visual == "clip" ? 768 : 2048;
    c.useMotion = motion;
    return c;
}

std::shared_ptr<ValorNet> net(const ModelConfig& c) {
    torch::manual_seed(7);
    auto n = std::dynamic_pointer_cast<ValorNet>(makeNetwork(c));
    n->eval();
    return n;
}

std::vector<std::int64_t> sizes(const torch::Tensor& t) {
    return {t.sizes().begin(), t.sizes().end()};
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).abs().max().item<double>();
}

}  // namespace

TEST(Frontends, ClapTokensGiveTenSegments) {
    auto n = net(tiny("clap", "clip", false));
    torch::NoGradGuard g;
    EXPECT_EQ(sizes(n->audioFrontend(torch::randn({3, 64, 768}))),
              (std::vector<std::int64_t>{3, 10, 16}));
}

TEST(Frontends, VggishIsFcA) {
    auto n = net(tiny("vggish", "clip", false));
    torch::NoGradGuard g;
    auto x = torch::randn({3, 10, 128});
    auto y = n->audioFrontend(x);
    EXPECT_EQ(sizes(y), (std::vector<std::int64_t>{3, 10, 16}));
    EXPECT_LT(maxDiff(y, n->fc_a->forward(x)), 1e-7);
}

TEST(Frontends, ClipIsFcV) {
    auto n = net(tiny("vggish", "clip", false));
    torch::NoGradGuard g;
    auto x = torch::randn({2, 10, 768});
    auto y = n->visualFrontend(x, {});
    EXPECT_EQ(sizes(y), (std::vector<std::int64_t>{2, 10, 16}));
    // One addmm instead of LibTorch's matmul then bias: the same up to rounding.
    EXPECT_LT(maxDiff(y, n->fc_v->forward(x)), 1e-6);
}

TEST(Frontends, ResnetAveragesEachEightFrames) {
    auto n = net(tiny("vggish", "resnet", false));
    torch::NoGradGuard g;
    auto x = torch::randn({2, 80, 2048});
    auto y = n->visualFrontend(x, {});
    ASSERT_EQ(sizes(y), (std::vector<std::int64_t>{2, 10, 16}));
    auto f = n->fc_v->forward(x);
    // segment 3 = frames 24..31
    auto want = f.slice(1, 24, 32).mean(1);
    EXPECT_LT(maxDiff(y.select(1, 3), want), 1e-6);
}

TEST(Frontends, MotionFusion) {
    auto n = net(tiny("vggish", "clip", true));
    torch::NoGradGuard g;
    auto v = torch::randn({2, 10, 768});
    auto m = torch::randn({2, 10, 512});
    auto y = n->visualFrontend(v, m);
    ASSERT_EQ(sizes(y), (std::vector<std::int64_t>{2, 10, 16}));
    auto want = n->fc_fusion->forward(torch::cat({n->fc_v->forward(v), n->fc_st->forward(m)}, -1));
    EXPECT_LT(maxDiff(y, want), 1e-6);
    EXPECT_THROW(n->visualFrontend(v, {}), std::invalid_argument);
    // Without motion there are no fusion weights at all.
    auto plain = net(tiny("vggish", "clip", false));
    for (const auto& p : plain->named_parameters())
        EXPECT_EQ(p.key().rfind("fc_st", 0) + p.key().rfind("fc_fusion", 0), 2 * std::string::npos);
}

TEST(ClapFold, RowsSumToOneAndBothTokenRowsWeighAlike) {
    auto m = clapFoldMatrix();
    ASSERT_EQ(sizes(m), (std::vector<std::int64_t>{10, 64}));
    EXPECT_EQ(m.scalar_type(), torch::kFloat64);
    EXPECT_LT((m.sum(1) - 1.0).abs().max().item<double>(), 1e-12);
    // The height interpolation 2 -> 2 is the identity and the mean weighs both rows 1/2.
    EXPECT_LT(maxDiff(m.slice(1, 0, 32), m.slice(1, 32, 64)), 1e-15);
    // Segment 0 draws on the first columns only; the last columns feed segment 9.
    EXPECT_GT(m[0][0].item<double>(), 0.1);
    EXPECT_NEAR(m[0][20].item<double>(), 0.0, 1e-12);
    EXPECT_GT(m[9][31].item<double>(), 0.1);
}

TEST(ClapFold, FoldedEqualsLiteral) {
    auto n = net(tiny("clap", "clip", false));
    torch::NoGradGuard g;
    auto x = torch::randn({4, 64, 768}) * 3.0;
    auto folded = n->clapFolded(x);
    auto literal = n->clapLiteral(x);
    // float32: the two orders of summation differ by rounding only.
    EXPECT_LT(maxDiff(folded, literal), 2e-5 * literal.abs().max().item<double>());
    // float64: equal to rounding of doubles.
    n->to(torch::kFloat64);
    auto xd = x.to(torch::kFloat64);
    EXPECT_LT(maxDiff(n->clapFolded(xd), n->clapLiteral(xd)), 1e-11);
}

TEST(ClapFold, WholeNetworkAgrees) {
    auto n = net(tiny("clap", "clip", true));
    torch::NoGradGuard g;
    NetInputs in{
        torch::randn({2, 64, 768}), torch::randn({2, 10, 768}), torch::randn({2, 10, 512}), {}, {}};
    auto a = n->forward(in);
    n->setLiteralClap(true);
    auto b = n->forward(in);
    for (const auto& [k, t] : a) EXPECT_LT(maxDiff(t, b.at(k)), 1e-5) << k;
}

TEST(Head, OutputsHaveTheSpecShapesAndRelations) {
    auto n = net(tiny("vggish", "clip", false));
    torch::NoGradGuard g;
    auto out = n->forward({torch::randn({3, 10, 128}), torch::randn({3, 10, 768}), {}, {}, {}});
    EXPECT_EQ(sizes(out.at("global_prob")), (std::vector<std::int64_t>{3, 25}));
    EXPECT_EQ(sizes(out.at("a_prob")), (std::vector<std::int64_t>{3, 25}));
    EXPECT_EQ(sizes(out.at("v_prob")), (std::vector<std::int64_t>{3, 25}));
    EXPECT_EQ(sizes(out.at("frame_prob")), (std::vector<std::int64_t>{3, 10, 2, 25}));
    EXPECT_EQ(sizes(out.at("frame_logits")), (std::vector<std::int64_t>{3, 10, 2, 25}));
    EXPECT_LT(maxDiff(out.at("frame_prob"), torch::sigmoid(out.at("frame_logits"))), 1e-7);
    // a_prob is a frame-attention-weighted mean of the audio frame probabilities.
    const auto fp = out.at("frame_prob");
    EXPECT_TRUE((out.at("a_prob") <= fp.select(2, 0).amax(1) + 1e-6).all().item<bool>());
    EXPECT_TRUE((out.at("a_prob") >= fp.select(2, 0).amin(1) - 1e-6).all().item<bool>());
    const auto gp = out.at("global_prob");
    EXPECT_TRUE((gp >= 0).all().item<bool>() && (gp <= 1 + 1e-6).all().item<bool>());
}

TEST(Loss, HandComputedCase) {
    // B = 1, T = 1, C = 2. BCEWithLogits(x, y) = max(x, 0) - x y + log(1 + e^-|x|).
    NetOutputs out;
    out["global_prob"] = torch::tensor({{0.8F, 0.0F}});
    out["frame_logits"] = torch::tensor({0.0F, 2.0F, -1.0F, 3.0F}).view({1, 1, 2, 2});
    Targets t;
    t.weak = torch::tensor({{1.0F, 0.0F}});
    t.pseudoAudio = torch::tensor({{{1.0F, 0.0F}}});
    t.pseudoVisual = torch::tensor({{{0.0F, 1.0F}}});
    const auto l = valorLoss(out, t);
    // video: (-ln 0.8 - ln(1 - 1e-7)) / 2 (0 is clamped to 1e-7)
    EXPECT_NEAR(l.terms.at("video").item<double>(), (0.2231435513 + 1.0e-7) / 2, 1e-6);
    // audio: x = 0, y = 1 -> ln 2; x = 2, y = 0 -> 2 + ln(1 + e^-2)
    EXPECT_NEAR(l.terms.at("seg_a").item<double>(), (0.6931471806 + 2.1269280110) / 2, 1e-6);
    // visual: x = -1, y = 0 -> ln(1 + e^-1); x = 3, y = 1 -> ln(1 + e^-3)
    EXPECT_NEAR(l.terms.at("seg_v").item<double>(), (0.3132616875 + 0.0485873516) / 2, 1e-6);
    EXPECT_NEAR(l.total.item<double>(),
                l.terms.at("video").item<double>() + l.terms.at("seg_a").item<double>() +
                    l.terms.at("seg_v").item<double>(),
                1e-6);
    // A certain wrong answer is clamped, not infinite.
    out["global_prob"] = torch::tensor({{0.0F, 1.0F}});
    EXPECT_TRUE(std::isfinite(valorLoss(out, t).total.item<double>()));
}

TEST(Schedule, WarmUpThenCosine) {
    auto lr = [](int e) { return warmupCosineLr(e, 60, 10, 3e-4, 3e-6); };
    EXPECT_NEAR(lr(1), 3e-5, 1e-12);
    EXPECT_NEAR(lr(5), 1.5e-4, 1e-12);
    EXPECT_NEAR(lr(9), 2.7e-4, 1e-12);
    EXPECT_NEAR(lr(10), 3e-4, 1e-12);
    EXPECT_NEAR(lr(35), 3e-6 + 0.5 * (3e-4 - 3e-6), 1e-12);
    EXPECT_NEAR(lr(60), 3e-6, 1e-12);
    EXPECT_NEAR(lr(20), 3e-6 + 0.5 * (3e-4 - 3e-6) * (1 + std::cos(M_PI * 10 / 50)), 1e-12);
}

TEST(Gradients, ReachEveryParameter) {
    for (const std::string norm : {"post", "pre"}) {
        auto n = net(tiny("clap", "clip", true, norm, 0.0));
        n->train();
        NetInputs in{torch::randn({2, 64, 768}),
                     torch::randn({2, 10, 768}),
                     torch::randn({2, 10, 512}),
                     {},
                     {}};
        Targets t{(torch::rand({2, 25}) < 0.3).to(torch::kFloat32),
                  (torch::rand({2, 10, 25}) < 0.3).to(torch::kFloat32),
                  (torch::rand({2, 10, 25}) < 0.3).to(torch::kFloat32)};
        n->loss(n->forward(in), t).total.backward();
        const auto unused = n->unusedParameters();
        int checked = 0;
        for (const auto& p : n->named_parameters()) {
            const bool expectUnused =
                std::find(unused.begin(), unused.end(), p.key()) != unused.end();
            const auto& grad = p.value().grad();
            const double norm2 = grad.defined() ? grad.norm().item<double>() : 0.0;
            if (expectUnused) {
                EXPECT_EQ(norm2, 0.0) << norm << " " << p.key();
            } else {
                EXPECT_GT(norm2, 0.0) << norm << " " << p.key() << " gets no gradient";
                ++checked;
            }
        }
        EXPECT_EQ(unused.empty(), norm == "pre");
        EXPECT_GT(checked, 30);
    }
}

TEST(Attention, MatchesLibTorchMultiheadAttention) {
    torch::manual_seed(3);
    MultiheadAttention ours(16, 4, 0.0);
    torch::nn::MultiheadAttention ref(torch::nn::MultiheadAttentionOptions(16, 4));
    {
        torch::NoGradGuard g;
        ref->in_proj_weight.copy_(ours->in_proj_weight);
        ref->in_proj_bias.copy_(torch::randn({48}));
        ours->in_proj_bias.copy_(ref->in_proj_bias);
        ref->out_proj->weight.copy_(ours->out_proj->weight);
        ref->out_proj->bias.copy_(torch::randn({16}));
        ours->out_proj->bias.copy_(ref->out_proj->bias);
    }
    ours->eval();
    ref->eval();
    torch::NoGradGuard g;
    auto q = torch::randn({3, 10, 16}), k = torch::randn({3, 10, 16});
    torch::Tensor w;
    auto a = ours->forward(q, k, k, &w);
    auto [b, bw] = ref->forward(q.transpose(0, 1), k.transpose(0, 1), k.transpose(0, 1));
    EXPECT_LT(maxDiff(a, b.transpose(0, 1)), 1e-5);
    EXPECT_LT(maxDiff(w, bw), 1e-6);
    // Without weights asked for, the fused core (models/cpu_kernels.h) answers.
    EXPECT_LT(maxDiff(ours->forward(q, k, k), b.transpose(0, 1)), 1e-5);
}

// The fused core against the unfused formulation (asking for the weights takes it), for
// self-, cross- and three-input attention: outputs, gradients to the inputs and to every
// parameter, and in training the same dropout masks from the same seed.
TEST(Attention, FusedCoreMatchesTheUnfusedFormulaAndItsGradients) {
    for (const double dropout : {0.0, 0.3}) {
        torch::manual_seed(5);
        MultiheadAttention m(32, 4, dropout);
        m->train();
        {
            torch::NoGradGuard g;
            m->in_proj_bias.copy_(torch::randn({96}));
            m->out_proj->bias.copy_(torch::randn({32}));
        }
        const auto x = torch::randn({5, 7, 32}), y = torch::randn({5, 9, 32}),
                   z = torch::randn({5, 9, 32});
        for (int kind = 0; kind < 3; ++kind) {
            auto run = [&](bool fused) {
                // kind 0: m(q, q, q); 1: m(q, k, k); 2: m(q, k, v)
                auto q = x.clone().requires_grad_(true), k = y.clone().requires_grad_(true),
                     v = z.clone().requires_grad_(true);
                const auto& kk = kind == 0 ? q : k;
                const auto& vv = kind == 0 ? q : kind == 1 ? k : v;
                m->zero_grad();
                torch::manual_seed(11);
                torch::Tensor w;
                auto out = fused ? m->forward(q, kk, vv) : m->forward(q, kk, vv, &w);
                (out * torch::linspace(-1, 1, out.numel()).view(out.sizes())).sum().backward();
                std::vector<torch::Tensor> r{out.detach(), q.grad()};
                if (kind > 0) r.push_back(k.grad());
                if (kind == 2) r.push_back(v.grad());
                for (const auto& p : m->parameters()) r.push_back(p.grad().clone());
                return r;
            };
            const auto fused = run(true), plain = run(false);
            ASSERT_EQ(fused.size(), plain.size());
            for (std::size_t i = 0; i < fused.size(); ++i) {
                EXPECT_LT(maxDiff(fused[i], plain[i]), 2e-5)
                    << "dropout " << dropout << " kind " << kind << " tensor " << i;
            }
        }
    }
    // Dropped weights really are dropped: two draws differ, eval mode does not drop.
    torch::manual_seed(5);
    MultiheadAttention m(32, 4, 0.5);
    m->train();
    const auto x = torch::randn({4, 10, 32});
    torch::NoGradGuard g;
    EXPECT_GT(maxDiff(m->forward(x, x, x), m->forward(x, x, x)), 1e-3);
    m->eval();
    EXPECT_EQ(maxDiff(m->forward(x, x, x), m->forward(x, x, x)), 0.0);
}

TEST(Names, AreTheStateDictKeysOfTheSpec) {
    auto n = net(tiny("clap", "clip", true));
    std::vector<std::string> keys;
    for (const auto& p : n->named_parameters()) keys.push_back(p.key());
    for (const char* k :
         {"fc_prob.weight", "fc_frame_att.bias", "fc_av_att.weight", "fc_a.weight", "fc_v.bias",
          "fc_st.weight", "fc_fusion.weight", "hat_encoder.layers.0.self_attn.in_proj_weight",
          "hat_encoder.layers.1.cm_attn.in_proj_bias",
          "hat_encoder.layers.1.cm_attn.out_proj.weight", "hat_encoder.layers.0.linear1.weight",
          "hat_encoder.layers.0.linear2.bias", "hat_encoder.layers.1.norm1.weight",
          "hat_encoder.layers.1.norm2.bias", "hat_encoder.final_norm_a.weight",
          "hat_encoder.final_norm_v.bias"})
        EXPECT_NE(std::find(keys.begin(), keys.end(), k), keys.end()) << k;
    // 7 linears x 2 + 2 final norms x 2 + per layer (2 x 4 attention + 4 linear + 4 norm)
    EXPECT_EQ(keys.size(), 14U + 4U + 2U * 16U);
}

// fastDropout (models/cpu_kernels.h): the share kept, the scale, the mask from the hash,
// the same masks from the same seed whatever the thread count, and the gradient.
TEST(Dropout, HashedMaskKeepsOneMinusPScaledAndBackpropagatesThroughIt) {
    const double p = 0.3;
    auto x = (torch::rand({640, 1024}) + 0.5).requires_grad_(true);
    torch::manual_seed(21);
    auto y = fastDropout(x, p, true);
    const auto kept = (y != 0).to(torch::kFloat64);
    EXPECT_NEAR(kept.mean().item<double>(), 1.0 - p, 0.003);
    EXPECT_LT(maxDiff(y.masked_select(y != 0), (x / (1.0 - p)).masked_select(y != 0)), 1e-6);
    // the mask is the hash of (one draw of the default generator, element index)
    torch::manual_seed(21);
    const auto seed =
        at::check_generator<at::CPUGeneratorImpl>(at::detail::getDefaultCPUGenerator())->random64();
    auto flat = kept.view(-1);
    for (std::int64_t i : {0L, 1L, 4095L, 655359L})
        EXPECT_EQ(flat[i].item<double>() == 1.0, dropoutKeeps(seed, i, p)) << i;
    // the same seed gives the same mask on one thread or two
    const int threads = at::get_num_threads();
    at::set_num_threads(1);
    torch::manual_seed(21);
    auto y1 = fastDropout(x, p, true);
    at::set_num_threads(2);
    torch::manual_seed(21);
    auto y2 = fastDropout(x, p, true);
    at::set_num_threads(threads);
    EXPECT_EQ(maxDiff(y1, y), 0.0);
    EXPECT_EQ(maxDiff(y2, y), 0.0);
    // two draws differ; the gradient is the mask times 1 / (1 - p)
    EXPECT_GT(maxDiff(fastDropout(x, p, true), y), 0.1);
    const auto w = torch::randn({640, 1024});
    (y * w).sum().backward();
    EXPECT_LT(maxDiff(x.grad(), kept.to(torch::kFloat32) * w / (1.0 - p)), 1e-5);
    // not training, or p = 0: the input itself
    EXPECT_TRUE(fastDropout(x, p, false).is_same(x));
    EXPECT_TRUE(fastDropout(x, 0.0, true).is_same(x));
}

TEST(ClapFold, PerVideoFoldAndItsGradientMatchMatmul) {
    const auto fold = clapFoldMatrix().to(torch::kFloat32);
    auto x = torch::randn({6, 64, 40}, torch::requires_grad());
    auto y = foldPerVideo(fold, x);
    const auto ref = torch::matmul(fold, x.detach());
    EXPECT_LT(maxDiff(y, ref), 1e-5);
    const auto w = torch::randn({6, 10, 40});
    (y * w).sum().backward();
    EXPECT_LT(maxDiff(x.grad(), torch::matmul(fold.t(), w)), 1e-5);
}

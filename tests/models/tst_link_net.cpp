// LINK, LEAP and HAN against docs/model.md sections 3-5 on small hand-checked tensors:
// lambda at and around its breakpoints, TSAM's poolings and convolution, CMIM with
// alpha = 0, PLSIM's identity start and mean embeddings, the AVSS target and K, zero-shot
// labels, the label sources, gradients to alpha / beta / mu and every parameter, the
// switches, LEAP's and HAN's shapes and losses.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/leap.h"
#include "models/link.h"

using namespace avvp::models;

namespace {

ModelConfig tinyLink(bool tsam = true, bool cmim = true, bool plsim = true, bool sloss = true) {
    auto c = defaultConfig("link");
    c.hidden = 16;
    c.layers = 1;
    c.heads = 2;
    c.ff = 32;
    c.dropout = 0.0;
    c.audioFeature = "vggish";
    c.audioRows = 10;
    c.audioDim = 128;
    setSwitch(c, "tsam", tsam);
    setSwitch(c, "cmim", cmim);
    setSwitch(c, "plsim", plsim);
    setSwitch(c, "sloss", sloss);
    return c;
}

template <typename Net>
std::shared_ptr<Net> make(const ModelConfig& c, std::uint64_t seed = 7) {
    torch::manual_seed(seed);
    auto n = std::dynamic_pointer_cast<Net>(makeNetwork(c));
    n->eval();
    return n;
}

NetInputs inputs(std::int64_t b = 2) {
    return {torch::randn({b, 10, 128}), torch::randn({b, 10, 768}), {}, {}, {}, {}, {}};
}

torch::Tensor labels(std::int64_t b, double p = 0.3) {
    return (torch::rand({b, 10, 25}) < p).to(torch::kFloat32);
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).abs().max().item<double>();
}

std::vector<std::int64_t> sizes(const torch::Tensor& t) {
    return {t.sizes().begin(), t.sizes().end()};
}

double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

// Gives PLSIM's zero-initialised last layers values, so that labels change the outputs.
void perturbPlsim(LinkNet& n) {
    torch::NoGradGuard g;
    for (auto& p : n.plsim->named_parameters())
        if (p.key().find(".2.") != std::string::npos) p.value().normal_(0.0, 0.3);
}

}  // namespace

// ---- S-LOSS ---------------------------------------------------------------------------

TEST(Lambda, AtAndAroundItsBreakpoints) {
    // e^|1 - mu| for mu = 0, 0.5, 3: e, e^0.5, e^2.
    for (const double mu : {0.0, 0.5, 3.0}) {
        const double e = std::exp(std::fabs(1.0 - mu));
        const auto m = torch::tensor(static_cast<float>(mu));
        const std::vector<float> cs = {-1.0F, -0.2F, -0.2F + 1e-4F, -0.1F, -1e-6F,
                                       0.0F,  1e-6F, 0.5F,          1.0F};
        const auto lam = slossLambda(torch::tensor(cs), m);
        const std::vector<double> want = {
            1.0, 1.0, e, e, e, e, e + (1 - e) * 1e-6, e + (1 - e) * 0.5, 1.0};
        for (std::size_t i = 0; i < cs.size(); ++i)
            EXPECT_NEAR(lam[static_cast<std::int64_t>(i)].item<double>(), want[i], 1e-5 * e)
                << "mu " << mu << " c " << cs[i];
    }
}

namespace {

// lambda(c) of model.md 3.4 by hand: 1 for c <= -0.2, e^|1 - mu| for -0.2 < c < 0,
// e^|1 - mu| + (1 - e^|1 - mu|) c for c >= 0.
double handLambda(double c, double mu) {
    const double e = std::exp(std::fabs(1.0 - mu));
    if (c <= -0.2) return 1.0;
    if (c < 0.0) return e;
    return e + (1.0 - e) * c;
}

}  // namespace

TEST(Lambda, CurveOutputIsLambdaOnItsGrid) {
    auto n = make<LinkNet>(tinyLink());
    torch::NoGradGuard g;
    n->sloss->mu.fill_(0.4);  // e^|1 - 0.4| = e^0.6
    const auto out = n->forward(inputs(3));
    const auto curve = out.at("sloss_lambda_curve");
    ASSERT_EQ(sizes(curve), (std::vector<std::int64_t>{3, 201, 2}));
    const float mu = 0.4F;  // as the model holds it (float)
    for (std::int64_t b = 0; b < 3; ++b)
        for (std::int64_t k = 0; k <= 200; ++k) {
            const double c = curve[b][k][0].item<double>();
            EXPECT_NEAR(c, -1.0 + 0.01 * static_cast<double>(k), 1e-6) << k;
            EXPECT_NEAR(curve[b][k][1].item<double>(), handLambda(c, mu), 1e-5) << "c " << c;
        }
    // The grid holds the breakpoints: c = -0.2 (k 80) still weighs 1, c = -0.19 (k 81) and
    // c = 0 (k 100) e^0.6, c = 1 (k 200) 1.
    EXPECT_NEAR(curve[0][80][1].item<double>(), 1.0, 1e-6);
    EXPECT_NEAR(curve[0][81][1].item<double>(), std::exp(0.6), 1e-5);
    EXPECT_NEAR(curve[0][100][1].item<double>(), std::exp(0.6), 1e-5);
    EXPECT_NEAR(curve[0][200][1].item<double>(), 1.0, 1e-5);
}

TEST(Lambda, CurveAgreesWithTheVideosOwnPoints) {
    auto n = make<LinkNet>(tinyLink());
    torch::NoGradGuard g;
    n->sloss->mu.fill_(-0.5);  // e^1.5
    const auto out = n->forward(inputs(2));
    const auto c = out.at("sloss_c"), lam = out.at("sloss_lambda");
    const auto curve = out.at("sloss_lambda_curve");
    const double mu = out.at("sloss_mu")[0].item<double>();
    int interpolated = 0;
    for (std::int64_t b = 0; b < 2; ++b)
        for (std::int64_t i = 0; i < 10; ++i) {
            // The diagonal: audio segment i with visual segment i, the video's own points.
            const double ci = c[b][i][i].item<double>(), li = lam[b][i][i].item<double>();
            EXPECT_NEAR(li, handLambda(ci, mu), 1e-5) << "c " << ci;
            // lambda is linear between grid points except across the step at -0.2, so
            // the curve interpolated at the point's c gives its lambda.
            if (ci > -0.2 && ci <= -0.19) continue;
            const auto k = std::clamp<std::int64_t>(
                static_cast<std::int64_t>(std::floor((ci + 1.0) / 0.01)), 0, 199);
            const double c0 = curve[b][k][0].item<double>(), c1 = curve[b][k + 1][0].item<double>();
            const double l0 = curve[b][k][1].item<double>(), l1 = curve[b][k + 1][1].item<double>();
            EXPECT_NEAR(l0 + (l1 - l0) * (ci - c0) / (c1 - c0), li, 1e-4) << "c " << ci;
            ++interpolated;
        }
    EXPECT_GT(interpolated, 0);
}

TEST(Lambda, GradientsReachMuAndC) {
    auto mu = torch::tensor(0.0F).set_requires_grad(true);
    auto c = torch::tensor({-0.5F, -0.1F, 0.4F}).set_requires_grad(true);
    slossLambda(c, mu).sum().backward();
    // d/dmu e^|1 - mu| = -e^|1 - mu| for mu < 1, in the band and (times 1 - c) above 0.
    const double e = std::exp(1.0);
    EXPECT_NEAR(mu.grad().item<double>(), -e - e * (1 - 0.4), 1e-5);
    // d/dc: 0, 0, 1 - e.
    EXPECT_NEAR(c.grad()[0].item<double>(), 0.0, 1e-7);
    EXPECT_NEAR(c.grad()[1].item<double>(), 0.0, 1e-7);
    EXPECT_NEAR(c.grad()[2].item<double>(), 1.0 - e, 1e-5);
}

TEST(AvssTarget, HandComputedCaseAndK) {
    // B = 1, T = 2, C = 3. K = the most classes on in one segment of either modality = 2.
    auto pa = torch::tensor({1.F, 1.F, 0.F, 0.F, 0.F, 0.F}).view({1, 2, 3});
    auto pv = torch::tensor({1.F, 0.F, 0.F, 0.F, 1.F, 1.F}).view({1, 2, 3});
    auto r = avssTarget(pa, pv);
    ASSERT_EQ(sizes(r), (std::vector<std::int64_t>{1, 2, 2}));
    const double s = 0.5 / 1.5 + 0.01;  // S = 1 shared class / K 2 = 0.5
    EXPECT_NEAR(r[0][0][0].item<double>(), s, 1e-6);
    EXPECT_NEAR(r[0][0][1].item<double>(), s, 1e-6);
    EXPECT_NEAR(r[0][1][0].item<double>(), 0.01, 1e-7);
    EXPECT_NEAR(r[0][1][1].item<double>(), 0.01, 1e-7);
    // K from the visual side (3 classes in one segment): S = 2 / 3.
    pv = torch::tensor({1.F, 1.F, 1.F, 0.F, 0.F, 0.F}).view({1, 2, 3});
    EXPECT_NEAR(avssTarget(pa, pv)[0][0][0].item<double>(), (2.0 / 3) / (5.0 / 3) + 0.01, 1e-6);
    // No class anywhere: K = 1e-6, S = 0, r = 0.01.
    auto z = torch::zeros({1, 2, 3});
    EXPECT_NEAR(maxDiff(avssTarget(z, z), torch::full({1, 2, 2}, 0.01F)), 0.0, 1e-7);
}

TEST(Cosine, MatrixOfSegmentPairs) {
    auto a = torch::tensor({1.F, 0.F, 3.F, 4.F}).view({1, 2, 2});
    auto v = torch::tensor({0.F, 2.F, -1.F, 0.F}).view({1, 2, 2});
    auto c = cosineMatrix(a, v);
    EXPECT_NEAR(c[0][0][0].item<double>(), 0.0, 1e-7);
    EXPECT_NEAR(c[0][0][1].item<double>(), -1.0, 1e-7);
    EXPECT_NEAR(c[0][1][0].item<double>(), 0.8, 1e-6);
    EXPECT_NEAR(c[0][1][1].item<double>(), -0.6, 1e-6);
}

// ---- TSAM -----------------------------------------------------------------------------

TEST(Tsam, PoolingAndConvolutionOnAHandCheckedCase) {
    Tsam t(10);
    const int T = 10, H = 4;
    {
        torch::NoGradGuard g;
        // temporal_mlp: hidden unit i reads segment 2i; output 2i reads hidden unit i, -0.5.
        auto* l1 = t->temporal_mlp[0]->as<torch::nn::LinearImpl>();
        auto* l2 = t->temporal_mlp[2]->as<torch::nn::LinearImpl>();
        l1->weight.zero_();
        l1->bias.zero_();
        l2->weight.zero_();
        l2->bias.fill_(-0.5);
        for (int i = 0; i < 5; ++i) {
            l1->weight[i][2 * i] = 1.0;
            l2->weight[2 * i][i] = 1.0;
        }
        // Conv: out[h] = 1 * avg[h] + 0.5 * max[h + 1] + 0.1 (cross-correlation, padding 3).
        t->spatial_conv->weight.zero_();
        t->spatial_conv->weight[0][0][3] = 1.0;
        t->spatial_conv->weight[0][1][4] = 0.5;
        t->spatial_conv->bias.fill_(0.1);
    }
    std::vector<double> f(T * H);
    for (int s = 0; s < T; ++s)
        for (int h = 0; h < H; ++h)
            f[s * H + h] = 0.1 * (s + 1) * ((h % 2) ? 1.0 : -0.5) + 0.05 * h;
    auto x = torch::tensor(std::vector<float>(f.begin(), f.end())).view({1, T, H});
    torch::NoGradGuard g;
    auto r = t->forward(x);

    // By hand: W, f', the poolings over time, S, f_hat.
    std::vector<double> w(T), fp(T * H), out(T * H), s(H);
    auto mlp = [](const std::vector<double>& p) {
        std::vector<double> o(10, -0.5);
        for (int i = 0; i < 5; ++i) o[2 * i] += std::max(0.0, p[2 * i]);
        return o;
    };
    std::vector<double> pavg(T), pmax(T);
    for (int s2 = 0; s2 < T; ++s2) {
        double sum = 0, mx = -1e9;
        for (int h = 0; h < H; ++h) {
            sum += f[s2 * H + h];
            mx = std::max(mx, f[s2 * H + h]);
        }
        pavg[s2] = sum / H;
        pmax[s2] = mx;
    }
    const auto ma = mlp(pavg), mm = mlp(pmax);
    for (int s2 = 0; s2 < T; ++s2) w[s2] = sigmoid(ma[s2] + mm[s2]);
    for (int i = 0; i < T * H; ++i) fp[i] = w[i / H] * f[i];
    std::vector<double> qavg(H, 0.0), qmax(H, -1e9);
    for (int s2 = 0; s2 < T; ++s2)
        for (int h = 0; h < H; ++h) {
            qavg[h] += fp[s2 * H + h] / T;
            qmax[h] = std::max(qmax[h], fp[s2 * H + h]);
        }
    for (int h = 0; h < H; ++h)
        s[h] = sigmoid(qavg[h] + 0.5 * (h + 1 < H ? qmax[h + 1] : 0.0) + 0.1);
    for (int i = 0; i < T * H; ++i) out[i] = s[i % H] * fp[i];

    ASSERT_EQ(sizes(r.w), (std::vector<std::int64_t>{1, T}));
    ASSERT_EQ(sizes(r.s), (std::vector<std::int64_t>{1, H}));
    ASSERT_EQ(sizes(r.out), (std::vector<std::int64_t>{1, T, H}));
    for (int i = 0; i < T; ++i) EXPECT_NEAR(r.w[0][i].item<double>(), w[i], 1e-6) << "W " << i;
    for (int h = 0; h < H; ++h) EXPECT_NEAR(r.s[0][h].item<double>(), s[h], 1e-6) << "S " << h;
    for (int i = 0; i < T * H; ++i)
        EXPECT_NEAR(r.out[0][i / H][i % H].item<double>(), out[i], 1e-6) << "f_hat " << i;
}

TEST(Tsam, KeysAndShapes) {
    Tsam t(10);
    std::map<std::string, std::vector<std::int64_t>> keys;
    for (const auto& p : t->named_parameters()) keys[p.key()] = sizes(p.value());
    EXPECT_EQ(keys.at("temporal_mlp.0.weight"), (std::vector<std::int64_t>{5, 10}));
    EXPECT_EQ(keys.at("temporal_mlp.2.weight"), (std::vector<std::int64_t>{10, 5}));
    EXPECT_EQ(keys.at("spatial_conv.weight"), (std::vector<std::int64_t>{1, 2, 7}));
    EXPECT_EQ(keys.at("spatial_conv.bias"), (std::vector<std::int64_t>{1}));
    EXPECT_EQ(keys.size(), 6U);
}

// ---- CMIM -----------------------------------------------------------------------------

TEST(Cmim, AlphaZeroIsIdentityPlusFhat) {
    Cmim m;
    {
        torch::NoGradGuard g;
        m->alpha1.zero_();
        m->alpha2.zero_();
        m->beta1.fill_(3.0);
    }
    auto fa = torch::randn({2, 10, 16}), fv = torch::randn({2, 10, 16});
    auto r = m->forward(fa, fv);
    EXPECT_EQ(maxDiff(r.a, 2 * fa), 0.0);
    EXPECT_EQ(maxDiff(r.v, 2 * fv), 0.0);
}

TEST(Cmim, HandComputedCase) {
    // H = 2, T = 2: A_av = softmax(f_a f_v^T / sqrt 2) by hand.
    Cmim m;  // alpha 0.1, beta 1
    auto fa = torch::tensor({1.F, 0.F, 0.F, 2.F}).view({1, 2, 2});
    auto fv = torch::tensor({0.F, 1.F, 1.F, 1.F}).view({1, 2, 2});
    torch::NoGradGuard g;
    auto r = m->forward(fa, fv);
    const double k = 1 / std::sqrt(2.0);
    // row 0: f_a0 . f_v = (0, 1) -> softmax(0, k); row 1: (2, 2) -> (1/2, 1/2).
    const double a00 = 1 / (1 + std::exp(k)), a01 = 1 - a00;
    EXPECT_NEAR(r.av[0][0][0].item<double>(), a00, 1e-6);
    EXPECT_NEAR(r.av[0][0][1].item<double>(), a01, 1e-6);
    EXPECT_NEAR(r.av[0][1][0].item<double>(), 0.5, 1e-6);
    // f_aout[0] = 2 f_a0 + 0.1 (a00 f_v0 + a01 f_v1)
    EXPECT_NEAR(r.a[0][0][0].item<double>(), 2 + 0.1 * a01, 1e-6);
    EXPECT_NEAR(r.a[0][0][1].item<double>(), 0.1 * (a00 + a01), 1e-6);
    // A_va rows sum to one, and so do A_av's.
    EXPECT_LT(maxDiff(r.va.sum(-1), torch::ones({1, 2})), 1e-6);
    EXPECT_EQ(sizes(m->alpha1), (std::vector<std::int64_t>{}));  // 0-dim scalars
}

// ---- PLSIM ----------------------------------------------------------------------------

TEST(Plsim, ZeroInitialisedLastLayersAreTheIdentity) {
    Plsim p(16, 16, 24, true, false);
    auto fa = torch::randn({2, 10, 16}), fv = torch::randn({2, 10, 16});
    torch::NoGradGuard g;
    p->class_emb_v.normal_();
    auto [oa, ov] = p->forward(fa, fv, labels(2, 0.5), labels(2, 0.5));
    EXPECT_EQ(maxDiff(oa, fa), 0.0);
    EXPECT_EQ(maxDiff(ov, fv), 0.0);
    // Supplied tables are buffers, learned ones parameters.
    bool bufferV = false;
    for (const auto& b : p->named_buffers()) bufferV = bufferV || b.key() == "class_emb_v";
    EXPECT_TRUE(bufferV);
    bool paramA = false;
    for (const auto& q : p->named_parameters()) paramA = paramA || q.key() == "class_emb_a";
    EXPECT_TRUE(paramA);
}

TEST(Plsim, MeanEmbeddingOfTheLabels) {
    auto table = torch::arange(25 * 2, torch::kFloat32).view({25, 2});
    auto p = torch::zeros({1, 3, 25});
    p[0][0][1] = 1;  // class 1 -> (2, 3)
    p[0][1][1] = 1;
    p[0][1][4] = 1;  // classes 1 and 4 -> ((2 + 8) / 2, (3 + 9) / 2)
    auto e = PlsimImpl::meanEmbedding(p, table);
    EXPECT_NEAR(e[0][0][0].item<double>(), 2, 1e-6);
    EXPECT_NEAR(e[0][0][1].item<double>(), 3, 1e-6);
    EXPECT_NEAR(e[0][1][0].item<double>(), 5, 1e-6);
    EXPECT_NEAR(e[0][1][1].item<double>(), 6, 1e-6);
    EXPECT_NEAR(e[0][2].abs().sum().item<double>(), 0, 1e-7);  // no class: zero
}

TEST(ZeroShot, CosineAgainstPerClassThresholds) {
    auto table = torch::zeros({25, 3});
    table[0][0] = 2;  // class 0 along x
    table[1][1] = 1;  // class 1 along y
    for (int c = 2; c < 25; ++c) table[c][2] = -1;
    auto x = torch::tensor({3.F, 4.F, 0.F}).view({1, 1, 3}).expand({1, 10, 3}).contiguous();
    auto thr = torch::full({25}, 0.7F);
    thr[1] = 0.8F;
    auto p = zeroShotLabels(x, table, thr);  // cos 0.6 (class 0), 0.8 (class 1), 0 (rest)
    EXPECT_EQ(p[0][3][0].item<float>(), 0.F);
    EXPECT_EQ(p[0][3][1].item<float>(), 1.F);  // >= is on
    EXPECT_EQ(p.sum().item<float>(), 10.F);
    // 64-row token maps are folded onto the segments first.
    EXPECT_EQ(sizes(zeroShotLabels(torch::randn({2, 64, 3}), table, thr)),
              (std::vector<std::int64_t>{2, 10, 25}));
    EXPECT_THROW(zeroShotLabels(torch::randn({1, 10, 4}), table, thr), std::invalid_argument);
}

// VALOR's rule: logit_scale * cos > threshold, strictly (its scripts compare with '>').
TEST(ZeroShot, ValorRuleScalesAndComparesStrictly) {
    auto table = torch::zeros({25, 2});
    table[0][0] = 1;                               // cos 1 with x
    for (int c = 1; c < 25; ++c) table[c][1] = 3;  // cos 0 with x
    auto x = torch::tensor({5.F, 0.F}).view({1, 1, 2}).expand({1, 10, 2}).contiguous();
    auto thr = torch::full({25}, 0.F);
    thr[0] = 20.F;
    thr[2] = -1.F;
    const auto atEdge = zeroShotLabels(x, table, thr, 20.0, true);  // 20 * 1 > 20: no
    EXPECT_EQ(atEdge[0][0][0].item<float>(), 0.F);
    EXPECT_EQ(atEdge[0][0][1].item<float>(), 0.F);  // 0 > 0: no
    EXPECT_EQ(atEdge[0][0][2].item<float>(), 1.F);  // 0 > -1
    EXPECT_EQ(atEdge.sum().item<float>(), 10.F);
    EXPECT_EQ(zeroShotLabels(x, table, thr, 20.0, false)[0][0][0].item<float>(), 1.F);  // >=
    EXPECT_EQ(zeroShotLabels(x, table, thr, 21.0, true)[0][0][0].item<float>(), 1.F);
    // A label source refuses a scale that is not a positive number.
    auto net = make<LinkNet>(tinyLink());
    ZeroShotTable z{Array{{25, 2}, std::vector<float>(50, 1.F)}, std::vector<float>(25, 0.F)};
    z.logitScale = 0.F;
    EXPECT_THROW(net->setLabelSource(LabelSource{z, std::nullopt}), std::invalid_argument);
    z.logitScale = 100.F;
    EXPECT_NO_THROW(net->setLabelSource(LabelSource{z, std::nullopt}));
}

// Training with plsim_self_mix: a share of the videos gets the labels the self-label path
// gives PLSIM at inference (none, or a first pass's frame_prob >= 0.5) instead of the
// stored pseudo labels; off (0), PLSIM always sees the stored ones; eval mode never mixes.
TEST(LinkNet, SelfMixTrainsOnInferenceLabels) {
    auto c = tinyLink();
    auto in = inputs(64);
    in.pseudoAudio = labels(64, 0.5);
    in.pseudoVisual = labels(64, 0.5);
    auto plain = make<LinkNet>(c);
    plain->train();
    auto out = plain->forward(in);
    EXPECT_EQ(maxDiff(out.at("seg_labels_a"), in.pseudoAudio), 0.0);

    c.params["plsim_self_mix"] = 1.0;
    auto mixed = make<LinkNet>(c);
    mixed->eval();
    EXPECT_EQ(maxDiff(mixed->forward(in).at("seg_labels_v"), in.pseudoVisual), 0.0);
    mixed->train();
    torch::manual_seed(3);
    out = mixed->forward(in);
    const auto first = [&] {
        torch::NoGradGuard g;
        mixed->eval();  // dropout is 0: the first pass is the same in both modes
        NetInputs none = in;
        none.pseudoAudio = none.pseudoVisual = torch::zeros_like(in.pseudoAudio);
        auto p = mixed->forward(none).at("frame_prob");
        mixed->train();
        return p;
    }();
    int dropped = 0, own = 0;
    for (int b = 0; b < 64; ++b) {
        const auto la = out.at("seg_labels_a")[b], lv = out.at("seg_labels_v")[b];
        if (la.sum().item<float>() == 0.F && lv.sum().item<float>() == 0.F) {
            ++dropped;
            continue;
        }
        EXPECT_EQ(maxDiff(la, (first[b].select(1, 0) >= 0.5).to(torch::kFloat32)), 0.0) << b;
        EXPECT_EQ(maxDiff(lv, (first[b].select(1, 1) >= 0.5).to(torch::kFloat32)), 0.0) << b;
        ++own;
    }
    EXPECT_GT(dropped, 16);  // about half of 64 each
    EXPECT_GT(own, 16);
    out.at("global_prob").sum().backward();  // the mixed labels keep the graph usable

    c.params["plsim_self_mix"] = 1.5;
    EXPECT_THROW(make<LinkNet>(c), std::invalid_argument);
}

// A model validated with a zero-shot source still trains on the self-label rule when asked
// for a mix (the training batches hold no segment embeddings to apply the source to).
TEST(LinkNet, SelfMixWithAZeroShotSourceTrainsOnTheSelfLabels) {
    auto c = tinyLink();
    c.params["plsim_self_mix"] = 1.0;
    auto net = make<LinkNet>(c);
    ZeroShotTable z{Array{{25, 768}, std::vector<float>(25 * 768, 1.F)},
                    std::vector<float>(25, 0.F)};
    net->setLabelSource(LabelSource{std::nullopt, z});
    auto in = inputs(32);
    in.pseudoAudio = labels(32, 0.5);
    in.pseudoVisual = labels(32, 0.5);
    net->train();
    NetOutputs out;
    ASSERT_NO_THROW(out = net->forward(in));
    const auto first = [&] {
        torch::NoGradGuard g;
        NetInputs none = in;
        none.pseudoAudio = none.pseudoVisual = torch::zeros_like(in.pseudoAudio);
        return net->forward(none).at("frame_prob");
    }();
    int own = 0;
    for (int b = 0; b < 32; ++b) {
        const auto lv = out.at("seg_labels_v")[b];
        if (lv.sum().item<float>() == 0.F) continue;
        EXPECT_EQ(maxDiff(lv, (first[b].select(1, 1) >= 0.5).to(torch::kFloat32)), 0.0) << b;
        ++own;
    }
    EXPECT_GT(own, 4);
}

// ---- LINK -----------------------------------------------------------------------------

TEST(Link, AllSwitchesOffIsValor) {
    auto valorConfig = tinyLink();
    valorConfig.variant = "valor";
    valorConfig.switches.clear();
    auto v = make<ValorNet>(valorConfig);
    auto l = make<LinkNet>(tinyLink(false, false, false, false));
    std::vector<std::string> keysV, keysL;
    for (const auto& p : v->named_parameters()) keysV.push_back(p.key());
    for (const auto& p : l->named_parameters()) keysL.push_back(p.key());
    EXPECT_EQ(keysV, keysL);
    torch::NoGradGuard g;
    auto in = inputs();
    auto a = v->forward(in), b = l->forward(in);
    for (const auto& [k, t] : a) EXPECT_EQ(maxDiff(t, b.at(k)), 0.0) << k;
}

TEST(Link, SwitchesDecideTheModulesAndOutputs) {
    auto full = make<LinkNet>(tinyLink());
    torch::NoGradGuard g;
    auto out = full->forward(inputs(3));
    for (const char* k : {"tsam_w_a", "tsam_w_v"})
        EXPECT_EQ(sizes(out.at(k)), (std::vector<std::int64_t>{3, 10})) << k;
    for (const char* k : {"tsam_s_a", "tsam_s_v"})
        EXPECT_EQ(sizes(out.at(k)), (std::vector<std::int64_t>{3, 16})) << k;
    for (const char* k : {"cmim_a_av", "cmim_a_va", "sloss_c", "sloss_r", "sloss_lambda"})
        EXPECT_EQ(sizes(out.at(k)), (std::vector<std::int64_t>{3, 10, 10})) << k;
    for (const char* k : {"seg_labels_a", "seg_labels_v"})
        EXPECT_EQ(sizes(out.at(k)), (std::vector<std::int64_t>{3, 10, 25})) << k;
    for (const char* k : {"frame_att", "av_att"})
        EXPECT_EQ(sizes(out.at(k)), (std::vector<std::int64_t>{3, 10, 2, 25})) << k;
    EXPECT_EQ(sizes(out.at("sloss_mu")), (std::vector<std::int64_t>{1}));
    // frame_att is a softmax over time, av_att over the modalities.
    EXPECT_LT(maxDiff(out.at("frame_att").sum(1), torch::ones({3, 2, 25})), 1e-5);
    EXPECT_LT(maxDiff(out.at("av_att").sum(2), torch::ones({3, 10, 25})), 1e-5);

    auto tp = make<LinkNet>(tinyLink(true, false, true, false));
    auto o2 = tp->forward(inputs(1));
    EXPECT_TRUE(o2.count("tsam_w_a"));
    EXPECT_FALSE(o2.count("cmim_a_av"));
    EXPECT_FALSE(o2.count("sloss_lambda"));
    EXPECT_FALSE(o2.count("sloss_lambda_curve"));
    for (const auto& p : tp->named_parameters())
        EXPECT_TRUE(p.key().rfind("cmim.", 0) != 0 && p.key().rfind("sloss.", 0) != 0) << p.key();
}

TEST(Link, SelfLabelsAreTheFirstPassThresholded) {
    auto n = make<LinkNet>(tinyLink());
    perturbPlsim(*n);
    torch::NoGradGuard g;
    auto in = inputs();
    auto out = n->forward(in);  // eval, no labels: the two-pass self labels
    // The first pass is the model with PLSIM fed zeros.
    auto zerosIn = in;
    zerosIn.pseudoAudio = torch::zeros({2, 10, 25});
    zerosIn.pseudoVisual = torch::zeros({2, 10, 25});
    auto first = n->forward(zerosIn);
    auto pa = (first.at("frame_prob").select(2, 0) >= 0.5).to(torch::kFloat32);
    auto pv = (first.at("frame_prob").select(2, 1) >= 0.5).to(torch::kFloat32);
    EXPECT_EQ(maxDiff(out.at("seg_labels_a"), pa), 0.0);
    EXPECT_EQ(maxDiff(out.at("seg_labels_v"), pv), 0.0);
    // ... and the second pass is the model fed those labels.
    auto second = in;
    second.pseudoAudio = pa;
    second.pseudoVisual = pv;
    EXPECT_EQ(maxDiff(n->forward(second).at("global_prob"), out.at("global_prob")), 0.0);
    EXPECT_LT(maxDiff(out.at("sloss_r"), avssTarget(pa, pv)), 1e-7);
    // Given labels reach PLSIM: other labels, other outputs.
    auto other = in;
    other.pseudoAudio = labels(2, 0.5);
    other.pseudoVisual = labels(2, 0.5);
    EXPECT_GT(maxDiff(n->forward(other).at("global_prob"), out.at("global_prob")), 1e-4);
}

TEST(Link, ZeroShotLabelSourcePerModality) {
    auto n = make<LinkNet>(tinyLink());
    perturbPlsim(*n);
    LabelSource src;
    Array table{{25, 8}, std::vector<float>(25 * 8)};
    for (std::size_t i = 0; i < table.data.size(); ++i)
        table.data[i] = static_cast<float>(std::sin(0.7 * static_cast<double>(i)));
    src.visual = ZeroShotTable{table, std::vector<float>(25, 0.3F)};
    n->setLabelSource(src);
    torch::NoGradGuard g;
    auto in = inputs();
    EXPECT_THROW(n->forward(in), std::invalid_argument);  // no visual segment embeddings
    in.zsVisual = torch::randn({2, 10, 8});
    auto out = n->forward(in);
    auto want =
        zeroShotLabels(in.zsVisual, torch::from_blob(table.data.data(), {25, 8}, torch::kFloat32),
                       torch::full({25}, 0.3F));
    EXPECT_EQ(maxDiff(out.at("seg_labels_v"), want), 0.0);
    src.audio = ZeroShotTable{table, std::vector<float>(24, 0.3F)};
    EXPECT_THROW(n->setLabelSource(src), std::invalid_argument);
}

TEST(Link, TrainingModeNeedsTheStoredPseudoLabels) {
    auto n = make<LinkNet>(tinyLink());
    n->train();
    EXPECT_THROW(n->forward(inputs()), std::logic_error);
}

TEST(Link, GradientsReachAlphaBetaMuAndEveryParameter) {
    auto n = make<LinkNet>(tinyLink());
    perturbPlsim(*n);
    n->train();
    auto in = inputs(4);
    in.pseudoAudio = labels(4);
    in.pseudoVisual = labels(4);
    Targets t{(torch::rand({4, 25}) < 0.3).to(torch::kFloat32), in.pseudoAudio, in.pseudoVisual};
    auto l = n->loss(n->forward(in), t);
    EXPECT_EQ(l.terms.size(), 5U);  // video, seg_a, seg_v, label, avss
    l.total.backward();
    for (auto* s :
         {&n->cmim->alpha1, &n->cmim->alpha2, &n->cmim->beta1, &n->cmim->beta2, &n->sloss->mu})
        EXPECT_GT(s->grad().abs().item<double>(), 0.0);
    const auto unused = n->unusedParameters();
    for (const auto& p : n->named_parameters()) {
        if (std::find(unused.begin(), unused.end(), p.key()) != unused.end()) continue;
        const auto& g = p.value().grad();
        EXPECT_TRUE(g.defined() && g.abs().sum().item<double>() > 0) << p.key();
    }
}

TEST(Link, SlossOffIsTheValorLoss) {
    auto n = make<LinkNet>(tinyLink(true, true, true, false));
    auto in = inputs();
    in.pseudoAudio = labels(2);
    in.pseudoVisual = labels(2);
    Targets t{(torch::rand({2, 25}) < 0.3).to(torch::kFloat32), in.pseudoAudio, in.pseudoVisual};
    torch::NoGradGuard g;
    auto out = n->forward(in);
    auto l = n->loss(out, t);
    EXPECT_EQ(l.terms.size(), 3U);
    EXPECT_NEAR(l.total.item<double>(), valorLoss(out, t).total.item<double>(), 1e-7);
}

TEST(Link, SlossTermsByHand) {
    auto n = make<LinkNet>(tinyLink());
    auto in = inputs();
    in.pseudoAudio = labels(2);
    in.pseudoVisual = labels(2);
    Targets t{(torch::rand({2, 25}) < 0.3).to(torch::kFloat32), in.pseudoAudio, in.pseudoVisual};
    torch::NoGradGuard g;
    { n->sloss->mu.fill_(0.4); }
    auto out = n->forward(in);
    auto l = n->loss(out, t);
    // L_label with the video-level pseudo labels, element by element.
    auto ya = in.pseudoAudio.amax(1), yv = in.pseudoVisual.amax(1);
    double label = 0;
    for (int m = 0; m < 2; ++m) {
        auto p = out.at(m == 0 ? "a_prob" : "v_prob").clamp(1e-7, 1 - 1e-7);
        auto y = m == 0 ? ya : yv;
        double sum = 0;
        for (int i = 0; i < 2; ++i)
            for (int c = 0; c < 25; ++c) {
                const double pi = p[i][c].item<double>(), yi = y[i][c].item<double>();
                sum -= yi * std::log(pi) + (1 - yi) * std::log(1 - pi);
            }
        label += sum / 50;
    }
    EXPECT_NEAR(l.terms.at("label").item<double>(), label, 1e-5);
    // L_avss = mean lambda(c) (relu(c) - r)^2 with e^|1 - 0.4|.
    const double e = std::exp(0.6);
    auto c = out.at("sloss_c");
    auto r = avssTarget(in.pseudoAudio, in.pseudoVisual);
    double avss = 0;
    for (int b = 0; b < 2; ++b)
        for (int i = 0; i < 10; ++i)
            for (int j = 0; j < 10; ++j) {
                const double ci = c[b][i][j].item<double>();
                const double lam = ci <= -0.2 ? 1.0 : ci < 0 ? e : e + (1 - e) * ci;
                const double d = std::max(ci, 0.0) - r[b][i][j].item<double>();
                avss += lam * d * d / 200;
            }
    EXPECT_NEAR(l.terms.at("avss").item<double>(), avss, 1e-6);
}

// ---- LEAP and HAN ---------------------------------------------------------------------

TEST(Leap, ShapesRelationsAndLoss) {
    auto c = tinyLink();
    c.variant = "leap";
    c.switches.clear();
    c.params = {{"leap_layers", 2}, {"leap_heads", 8}};
    auto n = make<LeapNet>(c);
    for (const auto& p : n->named_parameters())
        EXPECT_TRUE(p.key().rfind("fc_prob", 0) != 0) << "LEAP has no MMIL head: " << p.key();
    auto in = inputs(3);
    torch::NoGradGuard g;
    auto out = n->forward(in);
    EXPECT_EQ(sizes(out.at("frame_prob")), (std::vector<std::int64_t>{3, 10, 2, 25}));
    EXPECT_EQ(sizes(out.at("leap_att_a")), (std::vector<std::int64_t>{3, 25, 10}));
    const auto a = out.at("a_prob"), v = out.at("v_prob");
    EXPECT_LT(maxDiff(out.at("global_prob"), 1 - (1 - a) * (1 - v)), 1e-6);
    EXPECT_LT(maxDiff(out.at("leap_att_a").sum(-1), torch::ones({3, 25})), 1e-5);
    EXPECT_LT(maxDiff(out.at("frame_prob"), torch::sigmoid(out.at("frame_logits"))), 1e-7);
    Targets t{(torch::rand({3, 25}) < 0.3).to(torch::kFloat32), labels(3), labels(3)};
    auto l = n->loss(out, t);
    EXPECT_EQ(l.terms.size(), 6U);
    double sum = 0;
    for (const auto& [k, x] : l.terms) sum += x.item<double>();
    EXPECT_NEAR(l.total.item<double>(), sum, 1e-5);
    // The AVSS term with lambda = 1.
    auto r = avssTarget(t.pseudoAudio, t.pseudoVisual);
    EXPECT_NEAR(l.terms.at("avss").item<double>(),
                (torch::relu(out.at("sloss_c")) - r).pow(2).mean().item<double>(), 1e-7);
}

TEST(Leap, GradientsReachEveryDecoderParameter) {
    auto c = tinyLink();
    c.variant = "leap";
    c.switches.clear();
    c.params = {{"leap_layers", 2}, {"leap_heads", 8}};
    auto n = make<LeapNet>(c);
    n->train();
    auto in = inputs(4);
    Targets t{(torch::rand({4, 25}) < 0.3).to(torch::kFloat32), labels(4), labels(4)};
    n->loss(n->forward(in), t).total.backward();
    const auto unused = n->unusedParameters();
    for (const auto& p : n->named_parameters()) {
        if (std::find(unused.begin(), unused.end(), p.key()) != unused.end()) continue;
        const auto& g = p.value().grad();
        EXPECT_TRUE(g.defined() && g.abs().sum().item<double>() > 0) << p.key();
    }
}

TEST(Han, DefaultsAndLossByHand) {
    const auto c = defaultConfig("han");
    EXPECT_EQ(c.hidden, 512);
    EXPECT_EQ(c.layers, 1);
    EXPECT_EQ(c.heads, 1);
    EXPECT_EQ(c.ff, 512);
    EXPECT_EQ(c.audioFeature, "vggish");
    EXPECT_EQ(c.visualFeature, "resnet");
    EXPECT_TRUE(c.useMotion);
    NetOutputs out;
    out["global_prob"] = torch::tensor({{0.8F, 0.1F}});
    out["a_prob"] = torch::tensor({{0.6F, 0.2F}});
    out["v_prob"] = torch::tensor({{0.5F, 0.3F}});
    Targets t;
    t.weak = torch::tensor({{1.F, 0.F}});
    const auto l = hanLoss(out, t);
    EXPECT_NEAR(l.terms.at("video").item<double>(), -(std::log(0.8) + std::log(0.9)) / 2, 1e-6);
    EXPECT_NEAR(l.terms.at("audio").item<double>(), -(std::log(0.6) + std::log(0.8)) / 2, 1e-6);
    // Visual targets are smoothed: 0.95 and 0.05.
    const double v = -(0.95 * std::log(0.5) + 0.05 * std::log(0.5) + 0.05 * std::log(0.3) +
                       0.95 * std::log(0.7)) /
                     2;
    EXPECT_NEAR(l.terms.at("visual").item<double>(), v, 1e-6);
    auto tr = defaultTrainOptions("han");
    EXPECT_EQ(tr.optimizer, "adam");
    EXPECT_EQ(tr.batch, 16);
    EXPECT_EQ(tr.epochs, 40);
    EXPECT_NEAR(learningRate(tr, 1), 3e-4, 1e-12);
    EXPECT_NEAR(learningRate(tr, 10), 3e-4, 1e-12);
    EXPECT_NEAR(learningRate(tr, 11), 3e-5, 1e-12);
    EXPECT_NEAR(learningRate(tr, 35), 3e-7, 1e-15);
}

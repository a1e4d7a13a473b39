// The CUDA path against the CPU, where a CUDA device is present (skipped elsewhere: the
// CI machine has none; tools/device/gpu_check.sh runs it on a GPU machine). Every variant
// at small sizes: the same weights on both devices give the same outputs, loss and
// gradients to float rounding (cuBLAS without TF32), and one AdamW step moves them alike.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "models/bench.h"
#include "models/net.h"
#include "models/runtime.h"

using namespace avvp;
using namespace avvp::models;

namespace {

ModelConfig small(const std::string& variant) {
    auto c = benchConfig(variant);
    c.hidden = 64;
    c.layers = 2;
    c.heads = 4;
    c.ff = 128;
    c.dropout = 0.0;  // the two devices draw different random numbers
    return c;
}

NetInputs inputs(const ModelConfig& c, std::int64_t b) {
    torch::manual_seed(7);
    NetInputs in;
    in.audio = torch::randn({b, c.audioRows, c.audioDim});
    in.visual = torch::randn({b, c.visualRows, c.visualDim});
    if (c.useMotion) in.motion = torch::randn({b, 10, c.motionDim});
    return in;
}

NetInputs to(const NetInputs& in, const torch::Device& d) {
    NetInputs out = in;
    for (auto* t : {&out.audio, &out.visual, &out.motion, &out.pseudoAudio, &out.pseudoVisual})
        if (t->defined()) *t = t->to(d);
    return out;
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.to(torch::kCPU) - b.to(torch::kCPU)).abs().max().item<double>();
}

class Cuda : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA device here";
        // LibTorch's default; said here because the tolerances below assume full fp32.
        at::globalContext().setAllowTF32CuBLAS(false);
    }
};

}  // namespace

TEST_P(Cuda, ForwardLossAndStepMatchTheCpu) {
    const auto c = small(GetParam());
    const torch::Device gpu(resolveDevice("cuda"));
    torch::manual_seed(1);
    auto cpuNet = makeNetwork(c);
    torch::manual_seed(1);
    auto gpuNet = makeNetwork(c);
    gpuNet->to(gpu);
    const auto in = inputs(c, 6);

    {
        torch::NoGradGuard noGrad;
        cpuNet->eval();
        gpuNet->eval();
        const auto a = cpuNet->forward(in);
        const auto b = gpuNet->forward(to(in, gpu));
        for (const auto& [name, t] : a) {
            ASSERT_TRUE(b.count(name)) << name;
            EXPECT_EQ(b.at(name).device().type(), torch::kCUDA) << name;
            EXPECT_LT(maxDiff(t, b.at(name)), 1e-4) << GetParam() << " " << name;
        }
    }

    cpuNet->train();
    gpuNet->train();
    torch::manual_seed(3);
    Targets t;
    t.weak = (torch::rand({6, 25}) < 0.2).to(torch::kFloat32);
    t.pseudoAudio = (torch::rand({6, 10, 25}) < 0.2).to(torch::kFloat32);
    t.pseudoVisual = (torch::rand({6, 10, 25}) < 0.2).to(torch::kFloat32);
    auto trainIn = in;
    trainIn.pseudoAudio = t.pseudoAudio;
    trainIn.pseudoVisual = t.pseudoVisual;
    Targets tg{t.weak.to(gpu), t.pseudoAudio.to(gpu), t.pseudoVisual.to(gpu)};
    torch::optim::AdamW optCpu(cpuNet->parameters(), torch::optim::AdamWOptions(3e-4));
    torch::optim::AdamW optGpu(gpuNet->parameters(), torch::optim::AdamWOptions(3e-4));
    const auto la = cpuNet->loss(cpuNet->forward(trainIn), t);
    const auto lb = gpuNet->loss(gpuNet->forward(to(trainIn, gpu)), tg);
    EXPECT_NEAR(la.total.item<double>(), lb.total.item<double>(), 1e-4) << GetParam();
    la.total.backward();
    lb.total.backward();
    const auto pa = cpuNet->named_parameters();
    const auto pb = gpuNet->named_parameters();
    for (const auto& item : pa) {
        const auto& ga = item.value().grad();
        const auto& gb = pb[item.key()].grad();
        ASSERT_EQ(ga.defined(), gb.defined()) << item.key();
        if (ga.defined()) {
            EXPECT_LT(maxDiff(ga, gb), 1e-4 * (1.0 + ga.abs().max().item<double>()))
                << GetParam() << " " << item.key();
        }
    }
    optCpu.step();
    optGpu.step();
    for (const auto& item : pa)
        EXPECT_LT(maxDiff(item.value(), pb[item.key()]), 1e-5) << GetParam() << " " << item.key();
}

INSTANTIATE_TEST_SUITE_P(Variants, Cuda, ::testing::Values("valor", "link", "leap", "han"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

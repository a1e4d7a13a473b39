// Checkpoints: import of PyTorch state_dicts (fixtures written by torch.save from the
// reference implementation, tools/pytorch_reference), native save / load round trips,
// and clear errors for bad checkpoints and bad inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>

#include "core/error.h"
#include "core/npy.h"
#include "models/model_impl.h"
#include "tests/models/fixture_util.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace avvp::models;
using avvp::test::errorOf;
using avvp::test::fixtureInput;
using avvp::test::maxDiff;

namespace {

const fs::path kFixtures = fs::path(AVVP_SOURCE_DIR) / "tests/data/models";

Array readExpected(const fs::path& dir, const std::string& name) {
    auto n = avvp::core::readNpy(dir / "expected" / (name + ".npy"));
    return {n.shape, n.f32};
}

class Checkpoint : public ::testing::Test {
  protected:
    static ModelConfig tinyConfig() {
        auto c = defaultConfig("valor");
        c.hidden = 16;
        c.layers = 1;
        c.heads = 2;
        c.ff = 24;
        c.audioFeature = "vggish";
        c.audioRows = 10;
        c.audioDim = 128;
        return c;
    }
    static Inputs tinyInputs(std::int64_t b = 2) {
        return {fixtureInput({b, 10, 128}, 1), fixtureInput({b, 10, 768}, 2), std::nullopt};
    }
    // A dict of tensors written by LibTorch's pickler: what torch.save writes for a
    // state_dict, as far as our reader is concerned.
    void writeStateDict(const fs::path& f, const std::map<std::string, torch::Tensor>& w) {
        c10::Dict<std::string, at::Tensor> d;
        for (const auto& [k, t] : w) d.insert(k, t);
        const auto bytes = torch::pickle_save(c10::IValue(d));
        std::ofstream(f, std::ios::binary)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }

    avvp::test::TempDir tmp_{"avvp_ckpt"};
    fs::path dir_ = tmp_.path();
};

struct ParityCase {
    const char* fixture;
    int heads;
    const char* norm;
};

void checkParity(const ParityCase& pc) {
    const fs::path dir = kFixtures / pc.fixture;
    LoadOptions lo;
    lo.heads = pc.heads;
    lo.norm = pc.norm;
    lo.device = "cpu";
    const auto model = Model::load(dir / "state_dict.pt", lo);
    const auto& c = model.config();
    Inputs in;
    in.audio = fixtureInput({2, c.audioRows, c.audioDim}, 1);
    in.visual = fixtureInput({2, c.visualRows, c.visualDim}, 2);
    if (c.useMotion) in.motion = fixtureInput({2, 10, 512}, 3);
    const auto out = model.forward(in);
    for (const char* name : {"global_prob", "a_prob", "v_prob", "frame_prob", "frame_logits"})
        EXPECT_LT(maxDiff(out.at(name), readExpected(dir, name)), 1e-5)
            << pc.fixture << " " << name;
}

}  // namespace

TEST_F(Checkpoint, ImportsPyTorchStateDictClapClipMotion) {
    checkParity({"pytorch_tiny_clap", 4, "post"});
    LoadOptions lo;
    lo.heads = 4;
    const auto c = Model::load(kFixtures / "pytorch_tiny_clap/state_dict.pt", lo).config();
    EXPECT_EQ(c.hidden, 32);
    EXPECT_EQ(c.layers, 2);
    EXPECT_EQ(c.ff, 64);
    EXPECT_TRUE(c.useMotion);
    EXPECT_EQ(c.audioFeature, "clap");
    EXPECT_EQ(c.visualFeature, "clip");
}

TEST_F(Checkpoint, ImportsPyTorchStateDictVggishResnetPreNorm) {
    checkParity({"pytorch_tiny_resnet", 4, "pre"});
}

TEST_F(Checkpoint, LiteralClapGivesTheSameOutputs) {
    LoadOptions lo;
    lo.heads = 4;
    auto model = Model::load(kFixtures / "pytorch_tiny_clap/state_dict.pt", lo);
    model.setLiteralClap(true);
    const auto out = model.forward({fixtureInput({2, 64, 768}, 1), fixtureInput({2, 10, 768}, 2),
                                    fixtureInput({2, 10, 512}, 3)});
    EXPECT_LT(maxDiff(out.at("frame_logits"),
                      readExpected(kFixtures / "pytorch_tiny_clap", "frame_logits")),
              1e-5);
}

TEST_F(Checkpoint, WrongHeadCountChangesTheOutputs) {
    // The head count is not in a state_dict; the parity above must not be a coincidence.
    LoadOptions lo;
    lo.heads = 8;
    const auto model = Model::load(kFixtures / "pytorch_tiny_clap/state_dict.pt", lo);
    const auto out = model.forward({fixtureInput({2, 64, 768}, 1), fixtureInput({2, 10, 768}, 2),
                                    fixtureInput({2, 10, 512}, 3)});
    EXPECT_GT(maxDiff(out.at("frame_logits"),
                      readExpected(kFixtures / "pytorch_tiny_clap", "frame_logits")),
              1e-3);
}

TEST_F(Checkpoint, NativeRoundTripIsExact) {
    const auto a = Model::create(tinyConfig(), 11);
    a.save(dir_ / "m.ckpt");
    const auto b = Model::load(dir_ / "m.ckpt");
    EXPECT_EQ(configToJson(a.config()), configToJson(b.config()));
    EXPECT_EQ(a.parameters(), b.parameters());
    const auto oa = a.forward(tinyInputs()), ob = b.forward(tinyInputs());
    for (const auto& [k, v] : oa) EXPECT_EQ(maxDiff(v, ob.at(k)), 0.0) << k;
    // A different seed gives different weights.
    const auto c = Model::create(tinyConfig(), 12);
    EXPECT_GT(maxDiff(c.forward(tinyInputs()).at("frame_logits"), oa.at("frame_logits")), 1e-4);
}

TEST_F(Checkpoint, ImportedModelSavesNatively) {
    LoadOptions lo;
    lo.heads = 4;
    lo.norm = "pre";
    const auto a = Model::load(kFixtures / "pytorch_tiny_resnet/state_dict.pt", lo);
    a.save(dir_ / "imported.ckpt");
    const auto b = Model::load(dir_ / "imported.ckpt");  // no options needed any more
    EXPECT_EQ(b.config().heads, 4);
    EXPECT_EQ(b.config().norm, "pre");
    EXPECT_NE(b.config().provenance.importedFrom.find("state_dict.pt"), std::string::npos);
    const Inputs in{fixtureInput({2, 10, 128}, 1), fixtureInput({2, 80, 2048}, 2), std::nullopt};
    EXPECT_EQ(maxDiff(a.forward(in).at("global_prob"), b.forward(in).at("global_prob")), 0.0);
}

TEST_F(Checkpoint, FormatSelection) {
    const auto pt = kFixtures / "pytorch_tiny_clap/state_dict.pt";
    LoadOptions native;
    native.format = CheckpointFormat::Native;
    EXPECT_NE(errorOf([&] { Model::load(pt, native); }).find("not a native AVVP checkpoint"),
              std::string::npos);
    Model::create(tinyConfig(), 1).save(dir_ / "n.ckpt");
    LoadOptions pytorch;
    pytorch.format = CheckpointFormat::PyTorch;
    EXPECT_NE(
        errorOf([&] { Model::load(dir_ / "n.ckpt", pytorch); }).find("not a PyTorch state_dict"),
        std::string::npos);
}

TEST_F(Checkpoint, RefusesBrokenFiles) {
    EXPECT_NE(errorOf([&] { Model::load(dir_ / "absent.ckpt"); }).find("cannot open"),
              std::string::npos);
    std::ofstream(dir_ / "text.ckpt") << "hello, I am not a checkpoint\n";
    EXPECT_NE(errorOf([&] { Model::load(dir_ / "text.ckpt"); }).find("not a checkpoint"),
              std::string::npos);
    std::ofstream(dir_ / "legacy.pt", std::ios::binary) << "\x80\x02\x8a\x0a"
                                                           "l\xfc\x9c"
                                                           "F\xf9 j\xa8"
                                                           "P\x19.";
    EXPECT_NE(errorOf([&] { Model::load(dir_ / "legacy.pt"); }).find("legacy"), std::string::npos);
    // Truncated: the zip directory at the end is gone.
    Model::create(tinyConfig(), 1).save(dir_ / "full.ckpt");
    const auto size = fs::file_size(dir_ / "full.ckpt");
    fs::copy_file(dir_ / "full.ckpt", dir_ / "cut.ckpt");
    fs::resize_file(dir_ / "cut.ckpt", size / 2);
    const auto e = errorOf([&] { Model::load(dir_ / "cut.ckpt"); });
    EXPECT_NE(e.find("cut.ckpt: "), std::string::npos) << e;
    EXPECT_NE(e.find("truncated"), std::string::npos) << e;
}

TEST_F(Checkpoint, RefusesWrongVariantAndShapes) {
    auto cfg = tinyConfig();
    auto net = makeNetwork(cfg);
    net->mutableConfig().variant = "mystery";
    writeCheckpoint(dir_ / "variant.ckpt", *net);
    EXPECT_NE(errorOf([&] {
                  Model::load(dir_ / "variant.ckpt");
              }).find("unknown model variant 'mystery'"),
              std::string::npos);
    // VALOR++ weights under a LINK config: LINK's modules are missing, and named.
    net->mutableConfig().variant = "link";
    writeCheckpoint(dir_ / "link.ckpt", *net);
    const auto missing = errorOf([&] { Model::load(dir_ / "link.ckpt"); });
    EXPECT_NE(missing.find("missing weights: tsam_a.temporal_mlp.0.weight"), std::string::npos)
        << missing;

    auto small = makeNetwork(cfg);
    small->mutableConfig().hidden = 32;  // the config claims 32, the weights are 16 wide
    writeCheckpoint(dir_ / "shape.ckpt", *small);
    const auto e = errorOf([&] { Model::load(dir_ / "shape.ckpt"); });
    EXPECT_NE(e.find("shape mismatch"), std::string::npos) << e;
    EXPECT_NE(e.find("[25, 16]"), std::string::npos) << e;
}

TEST_F(Checkpoint, RefusesMissingAndUnexpectedKeys) {
    LoadOptions lo;
    lo.heads = 4;
    lo.variant = "valor";  // "auto" would take the extra tsam_a key for LINK
    auto ck = readCheckpoint(kFixtures / "pytorch_tiny_clap/state_dict.pt", lo);
    auto missing = ck.weights;
    missing.erase("hat_encoder.layers.1.norm2.bias");
    writeStateDict(dir_ / "missing.pt", missing);
    auto e = errorOf([&] { Model::load(dir_ / "missing.pt", lo); });
    EXPECT_NE(e.find("missing weights: hat_encoder.layers.1.norm2.bias"), std::string::npos) << e;

    auto extra = ck.weights;
    extra["tsam_a.spatial_conv.weight"] = torch::zeros({1, 2, 7});
    writeStateDict(dir_ / "extra.pt", extra);
    e = errorOf([&] { Model::load(dir_ / "extra.pt", lo); });
    EXPECT_NE(e.find("unexpected weights"), std::string::npos) << e;
    EXPECT_NE(e.find("tsam_a.spatial_conv.weight"), std::string::npos) << e;

    auto noFcA = ck.weights;
    noFcA.erase("fc_a.weight");
    writeStateDict(dir_ / "nofca.pt", noFcA);
    e = errorOf([&] { Model::load(dir_ / "nofca.pt", lo); });
    EXPECT_NE(e.find("not a valor state_dict: key 'fc_a.weight' is missing"), std::string::npos)
        << e;

    // DataParallel's "module." prefix is accepted.
    std::map<std::string, torch::Tensor> prefixed;
    for (const auto& [k, t] : ck.weights) prefixed["module." + k] = t;
    writeStateDict(dir_ / "dp.pt", prefixed);
    EXPECT_EQ(Model::load(dir_ / "dp.pt", lo).config().hidden, 32);
}

// Issue 19, item 7: NaN / Inf weights would load and give NaN outputs; refused at load,
// naming the file, the first tensor with a non-finite value and how many it holds.
TEST_F(Checkpoint, RefusesNonFiniteWeights) {
    auto net = makeNetwork(tinyConfig());
    auto sd = stateDict(*net);
    std::string poisoned;
    {
        torch::NoGradGuard g;
        for (auto& [name, t] : sd)
            if (name == "fc_a.weight") {
                t.view(-1)[3] = std::nanf("");
                t.view(-1)[7] = INFINITY;
                poisoned = name;
            }
    }
    ASSERT_EQ(poisoned, "fc_a.weight");
    writeCheckpoint(dir_ / "nan.ckpt", *net);
    auto e = errorOf([&] { Model::load(dir_ / "nan.ckpt"); });
    EXPECT_NE(e.find("nan.ckpt: "), std::string::npos) << e;
    EXPECT_NE(e.find("fc_a.weight"), std::string::npos) << e;
    EXPECT_NE(e.find("2 non-finite values"), std::string::npos) << e;

    // A PyTorch state_dict too.
    std::map<std::string, torch::Tensor> w;
    for (const auto& [k, t] : sd) w[k] = t.detach().clone();
    w["hat_encoder.layers.0.norm1.bias"] = torch::full({16}, -INFINITY);
    writeStateDict(dir_ / "inf.pt", w);
    e = errorOf([&] { Model::load(dir_ / "inf.pt"); });
    EXPECT_NE(e.find("inf.pt: "), std::string::npos) << e;
    EXPECT_NE(e.find("fc_a.weight"), std::string::npos) << e;  // the first, by name
    EXPECT_NE(e.find("2 tensors"), std::string::npos) << e;
}

TEST_F(Checkpoint, RefusesBadInputs) {
    const auto m = Model::create(tinyConfig(), 1);
    auto in = tinyInputs();
    in.audio.data[5] = std::nanf("");
    EXPECT_NE(errorOf([&] { m.forward(in); }).find("audio: NaN at flat element 5"),
              std::string::npos);
    in = tinyInputs();
    in.visual = fixtureInput({2, 80, 2048}, 2);
    EXPECT_NE(errorOf([&] {
                  m.forward(in);
              }).find("visual: shape (2, 80, 2048), the model takes clip (B, 10, 768)"),
              std::string::npos);
    in = tinyInputs();
    in.visual = fixtureInput({3, 10, 768}, 2);
    EXPECT_NE(errorOf([&] { m.forward(in); }).find("with B = 2"), std::string::npos);

    auto cm = tinyConfig();
    cm.useMotion = true;
    const auto withMotion = Model::create(cm, 1);
    EXPECT_NE(errorOf([&] { withMotion.forward(tinyInputs()); }).find("motion: missing"),
              std::string::npos);

    avvp::core::FeatureSpec spec;
    spec.audio = avvp::core::AudioFeature::ClapTokens;
    spec.audioShape = {64, 768};
    spec.visualShape = {10, 768};
    EXPECT_NE(errorOf([&] { checkFeatures(tinyConfig(), spec, "feats"); })
                  .find("feats: features do not fit the model: audio is clap (64, 768), the model "
                        "takes vggish (10, 128)"),
              std::string::npos);
}

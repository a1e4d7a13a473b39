// Every variant through the plain-types facade (no LibTorch in this file): PyTorch parity of
// every exposed quantity and of the loss terms on the committed LINK / LEAP fixtures
// (tools/pytorch_reference/make_fixture.py), import with the variant and switches read from
// the keys, checkpoint round trips of every variant, config validation.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "core/error.h"
#include "core/npy.h"
#include "models/model_api.h"
#include "tests/models/fixture_util.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace avvp::models;
using avvp::test::errorOf;
using avvp::test::fixtureInput;
using avvp::test::maxDiff;

namespace {

const fs::path kFixtures = fs::path(AVVP_SOURCE_DIR) / "tests/data/models";

// Compares every output a fixture folder holds (expected/, given/ or zs/).
void expectOutputs(const Outputs& out, const fs::path& dir, double tol = 2e-5) {
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        const auto name = e.path().stem().string();
        ASSERT_TRUE(out.count(name)) << dir << ": no output " << name;
        EXPECT_LT(maxDiff(out.at(name), readArray(e.path())), tol) << dir << " " << name;
        ++n;
    }
    EXPECT_GT(n, 4) << dir;
}

Inputs fixtureInputs(const ModelConfig& c, std::int64_t b = 2) {
    Inputs in;
    in.audio = fixtureInput({b, c.audioRows, c.audioDim}, 1);
    in.visual = fixtureInput({b, c.visualRows, c.visualDim}, 2);
    if (c.useMotion) in.motion = fixtureInput({b, 10, c.motionDim}, 3);
    return in;
}

Model loadFixture(const std::string& name, const std::string& norm = "post") {
    LoadOptions lo;
    lo.heads = 2;
    lo.norm = norm;
    lo.device = "cpu";
    return Model::load(kFixtures / name / "state_dict.pt", lo);
}

void checkFixture(const std::string& name, const std::string& norm = "post") {
    const auto dir = kFixtures / name;
    auto model = loadFixture(name, norm);
    auto in = fixtureInputs(model.config());
    expectOutputs(model.forward(in), dir / "expected");
    in.pseudoAudio = readArray(dir / "inputs/pseudo_audio.npy");
    in.pseudoVisual = readArray(dir / "inputs/pseudo_visual.npy");
    in.weak = readArray(dir / "inputs/weak.npy");
    expectOutputs(model.forward(in), dir / "given");
}

ModelConfig small(const std::string& variant) {
    auto c = defaultConfig(variant);
    c.hidden = 16;
    c.layers = 1;
    c.heads = 2;
    c.ff = 24;
    if (variant != "han") {
        c.audioFeature = "vggish";
        c.audioRows = 10;
        c.audioDim = 128;
    }
    return c;
}

}  // namespace

TEST(Parity, LinkEveryModuleLearnedTablesClapClip) {
    checkFixture("pytorch_tiny_link");
    const auto c = loadFixture("pytorch_tiny_link").config();
    EXPECT_EQ(c.variant, "link");
    for (const char* s : {"tsam", "cmim", "plsim", "sloss"}) EXPECT_TRUE(switchOn(c, s)) << s;
    EXPECT_EQ(c.audioFeature, "clap");
    EXPECT_TRUE(c.params.empty());  // learned 25 x H tables
}

TEST(Parity, LinkSuppliedTablesAndZeroShotLabels) {
    checkFixture("pytorch_tiny_link_text");
    const auto dir = kFixtures / "pytorch_tiny_link_text";
    auto model = loadFixture("pytorch_tiny_link_text");
    EXPECT_EQ(model.config().params.at("class_emb_dim_a"), 20);
    EXPECT_EQ(model.config().params.at("class_emb_dim_v"), 24);
    LabelSource src;
    src.audio = ZeroShotTable{readArray(dir / "inputs/zs_table_a.npy"),
                              readArray(dir / "inputs/zs_thr_a.npy").data};
    src.visual = ZeroShotTable{readArray(dir / "inputs/zs_table_v.npy"),
                               readArray(dir / "inputs/zs_thr_v.npy").data};
    model.setLabelSource(src);
    auto in = fixtureInputs(model.config());
    EXPECT_NE(errorOf([&] { model.forward(in); }), "(no error)");  // embeddings missing
    in.zeroShotAudio = readArray(dir / "inputs/zs_audio.npy");
    in.zeroShotVisual = readArray(dir / "inputs/zs_visual.npy");
    expectOutputs(model.forward(in), dir / "zs");
}

TEST(Parity, LinkAblationTsamPlsimPreNormResnet) {
    checkFixture("pytorch_tiny_link_tp", "pre");
    const auto c = loadFixture("pytorch_tiny_link_tp", "pre").config();
    EXPECT_TRUE(switchOn(c, "tsam"));
    EXPECT_FALSE(switchOn(c, "cmim"));
    EXPECT_TRUE(switchOn(c, "plsim"));
    EXPECT_FALSE(switchOn(c, "sloss"));
    EXPECT_EQ(c.visualFeature, "resnet");
}

TEST(Parity, LeapDecoder) {
    checkFixture("pytorch_tiny_leap");
    const auto c = loadFixture("pytorch_tiny_leap").config();
    EXPECT_EQ(c.variant, "leap");
    EXPECT_EQ(c.params.at("leap_layers"), 2);
    EXPECT_EQ(c.params.at("leap_heads"), 8);
}

TEST(Parity, ExplicitVariantMustFitTheKeys) {
    LoadOptions lo;
    lo.heads = 2;
    lo.variant = "valor";
    const auto e = errorOf([&] { Model::load(kFixtures / "pytorch_tiny_link/state_dict.pt", lo); });
    EXPECT_NE(e.find("unexpected weights"), std::string::npos) << e;
    EXPECT_NE(e.find("state_dict.pt"), std::string::npos) << e;
}

TEST(Variants, CheckpointRoundTripOfEveryVariant) {
    avvp::test::TempDir tmp("avvp_variants");
    for (const auto& v : knownVariants()) {
        auto c = small(v);
        if (v == "leap") c.params["leap_heads"] = 4;
        const auto a = Model::create(c, 3);
        const auto file = tmp / (v + ".ckpt");
        a.save(file);
        const auto b = Model::load(file);
        EXPECT_EQ(b.config().variant, v);
        EXPECT_EQ(configToJson(a.config()), configToJson(b.config())) << v;
        EXPECT_EQ(a.parameters(), b.parameters()) << v;
        const auto in = fixtureInputs(c);
        const auto oa = a.forward(in), ob = b.forward(in);
        ASSERT_EQ(oa.size(), ob.size()) << v;
        for (const auto& [k, x] : oa) EXPECT_EQ(maxDiff(x, ob.at(k)), 0.0) << v << " " << k;
    }
}

TEST(Variants, SuppliedTablesAreSavedAndFrozenInTheStateDict) {
    avvp::test::TempDir tmp("avvp_variants_tables");
    auto c = small("link");
    ClassEmbeddings e;
    e.audio = fixtureInput({25, 12}, 40);
    e.visual = fixtureInput({25, 20}, 41);
    const auto a = Model::create(c, 3, "cpu", e);
    EXPECT_EQ(a.config().params.at("class_emb_dim_a"), 12);
    bool found = false;
    for (const auto& [k, shape] : a.parameters())
        if (k == "plsim.class_emb_v") {
            found = true;
            EXPECT_EQ(shape, (std::vector<std::int64_t>{25, 20}));
        }
    EXPECT_TRUE(found);
    a.save(tmp / "t.ckpt");
    const auto b = Model::load(tmp / "t.ckpt");
    const auto in = fixtureInputs(c);
    const auto oa = a.forward(in), ob = b.forward(in);
    for (const auto& [k, x] : oa) EXPECT_EQ(maxDiff(x, ob.at(k)), 0.0) << k;
    // A table of the wrong width, or for the wrong variant, is refused.
    ClassEmbeddings bad;
    bad.label = fixtureInput({25, 12}, 42);
    EXPECT_THROW(Model::create(c, 3, "cpu", bad), std::invalid_argument);
    bad = {};
    bad.audio = fixtureInput({24, 12}, 42);
    EXPECT_THROW(Model::create(c, 3, "cpu", bad), std::invalid_argument);
}

TEST(Variants, ConfigValidation) {
    auto c = defaultConfig("link");
    EXPECT_THROW(setSwitch(c, "tsm", false), std::invalid_argument);
    auto v = defaultConfig("valor");
    EXPECT_THROW(setSwitch(v, "tsam", false), std::invalid_argument);
    c.switches["bogus"] = true;
    EXPECT_THROW(validateConfig(c), std::invalid_argument);
    auto l = defaultConfig("leap");
    l.hidden = 12;  // not a multiple of 8 decoder heads
    EXPECT_THROW(validateConfig(l), std::invalid_argument);
    // The switches survive JSON.
    auto d = defaultConfig("link");
    setSwitch(d, "cmim", false);
    const auto back = configFromJson(configToJson(d), "test");
    EXPECT_FALSE(switchOn(back, "cmim"));
    EXPECT_TRUE(switchOn(back, "tsam"));
    EXPECT_EQ(knownVariants(), (std::vector<std::string>{"link", "valor", "leap", "han"}));
}

TEST(Variants, ForwardRefusesBadLabels) {
    const auto m = Model::create(small("link"), 1);
    auto in = fixtureInputs(m.config());
    in.pseudoAudio = fixtureInput({2, 10, 25}, 5);  // not 0 / 1
    in.pseudoVisual = in.pseudoAudio;
    EXPECT_NE(errorOf([&] { m.forward(in); }).find("labels are 0 or 1"), std::string::npos);
    in.pseudoVisual.reset();
    EXPECT_NE(errorOf([&] { m.forward(in); }).find("both"), std::string::npos);
}

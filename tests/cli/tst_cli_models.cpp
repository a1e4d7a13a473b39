// `avvp synth | train | infer | forward | bench` as a user runs them: the real binary
// (which loads the models plugin libavvp_models_cli.so on demand), exit codes, one-line
// errors, and the synth -> train -> infer -> eval walkthrough of the README at a tiny size.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/npy.h"
#include "core/taxonomy.h"
#include "tests/cli/cli_runner.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using avvp::test::lines;
using avvp::test::quote;

namespace {

const fs::path kSource = AVVP_SOURCE_DIR;
const fs::path kAvvp = fs::path(AVVP_BIN_DIR) / "avvp";
const fs::path kFixture = kSource / "tests/data/models/pytorch_tiny_clap";
const char* const kPython = "/usr/bin/python3";

class CliModels : public ::testing::Test {
  protected:
    using Result = avvp::test::RunResult;

    static void SetUpTestSuite() {
        tmp_ = std::make_unique<avvp::test::TempDir>("avvp_tst_cli_models");
        dir_ = tmp_->path();
    }
    static void TearDownTestSuite() { tmp_.reset(); }
    static std::string path(const std::string& name) { return (dir_ / name).string(); }
    static Result avvp(const std::vector<std::string>& args) {
        std::string cmd = quote(kAvvp.string());
        for (const auto& a : args) cmd += " " + quote(a);
        return avvp::test::runShell(cmd, dir_);
    }
    // A bad-input failure: exit code 2 and exactly one line on stderr holding `what`.
    static void expectOneLineError(const Result& r, const std::string& what) {
        EXPECT_EQ(r.code, 2) << r.out << r.err;
        EXPECT_EQ(lines(r.err).size(), 1U) << r.err;
        EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
    }
    // fixture_input() of tools/pytorch_reference/valor_reference.py.
    static void writeInput(const std::string& name, std::vector<std::int64_t> shape,
                           std::uint64_t salt) {
        std::int64_t n = 1;
        for (auto d : shape) n *= d;
        std::vector<float> v(static_cast<std::size_t>(n));
        for (std::size_t i = 0; i < v.size(); ++i) {
            const std::uint64_t h = (i * 2654435761ULL + salt * 40503ULL) & 0xFFFFFFFFULL;
            v[i] = static_cast<float>(static_cast<double>(h >> 8) / static_cast<double>(1 << 23) -
                                      1.0);
        }
        avvp::core::writeNpy(path(name), v, shape);
    }

    static std::unique_ptr<avvp::test::TempDir> tmp_;
    static fs::path dir_;
};

std::unique_ptr<avvp::test::TempDir> CliModels::tmp_;
fs::path CliModels::dir_;

// A copy of the torch.save zip `from` at `to` with the first float of the stored (uncompressed)
// record `name` set to NaN, its CRC-32 updated in the local header, the data descriptor and
// the central directory, so that only the value is damaged.
void poisonZipRecord(const fs::path& from, const fs::path& to, const std::string& name) {
    std::ifstream in(from, std::ios::binary);
    std::string z(static_cast<std::size_t>(fs::file_size(from)), '\0');
    in.read(z.data(), static_cast<std::streamsize>(z.size()));
    auto u16 = [&](std::size_t at) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(z[at]) |
                                          static_cast<unsigned char>(z[at + 1]) << 8);
    };
    auto u32 = [&](std::size_t at) { return u16(at) | u16(at + 2) << 16; };
    auto put32 = [&](std::size_t at, std::uint32_t v) {
        for (int k = 0; k < 4; ++k) z[at + k] = static_cast<char>((v >> (8 * k)) & 0xff);
    };
    auto crc32 = [&](std::size_t at, std::size_t n) {
        std::uint32_t c = 0xffffffffU;
        for (std::size_t i = 0; i < n; ++i) {
            c ^= static_cast<unsigned char>(z[at + i]);
            for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320U & (0U - (c & 1U)));
        }
        return ~c;
    };
    std::size_t central = std::string::npos;
    for (auto at = z.find("PK\x01\x02"); at != std::string::npos; at = z.find("PK\x01\x02", at + 4))
        if (u16(at + 28) == name.size() && z.compare(at + 46, name.size(), name) == 0) central = at;
    ASSERT_NE(central, std::string::npos) << name;
    ASSERT_EQ(u16(central + 10), 0U) << "stored, not compressed";
    const std::size_t local = u32(central + 42), size = u32(central + 24);
    const std::size_t data = local + 30 + u16(local + 26) + u16(local + 28);
    const auto oldCrc = u32(central + 16);
    ASSERT_EQ(crc32(data, size), oldCrc);
    const float nan = std::nanf("");
    z.replace(data, sizeof nan, reinterpret_cast<const char*>(&nan), sizeof nan);
    const auto newCrc = crc32(data, size);
    put32(central + 16, newCrc);
    if (u32(local + 14) == oldCrc) put32(local + 14, newCrc);
    const auto descriptor = data + size + (z.compare(data + size, 4, "PK\x07\x08") == 0 ? 4 : 0);
    if (u32(descriptor) == oldCrc) put32(descriptor, newCrc);
    std::ofstream(to, std::ios::binary) << z;
}

}  // namespace

TEST_F(CliModels, EveryCommandHasHelp) {
    for (const char* cmd :
         {"synth", "train", "infer", "forward", "bench", "reproduce", "pseudo-labels"}) {
        const auto r = avvp({cmd, "--help"});
        EXPECT_EQ(r.code, 0) << cmd << r.err;
        EXPECT_NE(r.out.find(std::string("usage: avvp ") + cmd), std::string::npos) << cmd;
    }
}

TEST_F(CliModels, BadUsageIsOneLine) {
    expectOneLineError(avvp({"synth"}), "missing required option --out");
    expectOneLineError(avvp({"synth", "--out", path("x"), "--videos", "two"}),
                       "--videos must be a whole number");
    expectOneLineError(avvp({"train", "--features", path("none")}),
                       "missing required option --labels");
    expectOneLineError(avvp({"train", "--features", path("none"), "--labels", path("none"), "--out",
                             path("r"), "--hidden", "10", "--heads", "4"}),
                       "not a multiple of 4 heads");
    expectOneLineError(
        avvp({"infer", "--checkpoint", "c", "--features", "f", "--split", "test", "--out", "o"}),
        "give --labels DIR too");
    expectOneLineError(avvp({"forward", "--checkpoint", path("absent.ckpt"), "--audio",
                             path("absent.npy"), "--visual", "v", "--dump-dir", path("d")}),
                       "absent.npy: cannot open");
    expectOneLineError(avvp({"bench", "--batches", "1,x"}),
                       "--batches takes a comma-separated list");
    expectOneLineError(avvp({"train", "--variant", "valor", "--plsim-self-mix", "0.5", "--features",
                             path("none"), "--labels", path("none"), "--out", path("r")}),
                       "--plsim-self-mix is for --variant link");
    expectOneLineError(avvp({"train", "--variant", "link", "--plsim-self-mix", "2", "--features",
                             path("none"), "--labels", path("none"), "--out", path("r")}),
                       "--plsim-self-mix must be a number in [0, 1], not '2'");
}

TEST_F(CliModels, SynthTrainInferEval) {
    const auto data = path("synth");
    auto r = avvp({"synth", "--out", data, "--videos", "60", "--seed", "3", "--audio", "vggish",
                   "--no-motion"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("SYNTHETIC dataset, 42 train / 9 val / 9 test videos"), std::string::npos)
        << r.out;
    expectOneLineError(avvp({"synth", "--out", data}), "exists and is not an empty folder");

    const auto run = path("run");
    r = avvp({"train",
              "--features",
              data + "/features",
              "--labels",
              data + "/labels",
              "--out",
              run,
              "--epochs",
              "2",
              "--batch",
              "8",
              "--hidden",
              "16",
              "--layers",
              "1",
              "--heads",
              "2",
              "--ff",
              "16",
              "--threads",
              "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("epoch 1/2  lr "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("val seg A "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("best: epoch "), std::string::npos) << r.out;
    EXPECT_TRUE(fs::exists(run + "/best.ckpt") && fs::exists(run + "/last.ckpt"));
    expectOneLineError(avvp({"train", "--features", data + "/features", "--labels",
                             data + "/labels", "--out", run, "--epochs", "2"}),
                       "already holds a training run");

    const auto pred = path("pred");
    r = avvp({"infer", "--checkpoint", run + "/best.ckpt", "--features", data + "/features",
              "--split", "test", "--labels", data + "/labels", "--out", pred, "--threads", "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("predicted 9 videos"), std::string::npos) << r.out;
    r = avvp({"eval", "--llp", data + "/labels", "--split", "test", "--pred-audio",
              pred + "/pred_audio.csv", "--pred-visual", pred + "/pred_visual.csv", "--format",
              "tsv"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(lines(r.out).size(), 2U) << r.out;

    // The model refuses features of another kind, naming the file.
    const auto other = path("synth_clap");
    ASSERT_EQ(avvp({"synth", "--out", other, "--videos", "6", "--no-motion"}).code, 0);
    expectOneLineError(
        avvp({"infer", "--checkpoint", run + "/best.ckpt", "--features", other + "/features",
              "--split", other + "/labels/AVVP_test_pd.csv", "--out", path("pred2")}),
        "features do not fit the model: audio is clap (64, 768), the model takes vggish (10, 128)");

    // The native checkpoint is a torch.save-compatible zip: PyTorch reads it.
    if (::access(kPython, X_OK) == 0 &&
        avvp::test::runShell(std::string(kPython) + " -c 'import torch'", dir_).code == 0) {
        r = avvp::test::runShell(std::string(kPython) +
                                     " -c 'import torch,json,sys; d=torch.load(sys.argv[1]); "
                                     "print(d[\"format\"], json.loads(d[\"config\"])[\"hidden\"], "
                                     "tuple(d[\"state_dict\"][\"fc_a.weight\"].shape))' " +
                                     quote(run + "/best.ckpt"),
                                 dir_);
        EXPECT_EQ(r.code, 0) << r.err;
        EXPECT_NE(r.out.find("avvp-checkpoint 16 (16, 128)"), std::string::npos) << r.out << r.err;
    }
}

TEST_F(CliModels, ForwardReproducesPyTorch) {
    writeInput("audio.npy", {2, 64, 768}, 1);
    writeInput("visual.npy", {2, 10, 768}, 2);
    writeInput("motion.npy", {2, 10, 512}, 3);
    const auto dump = path("dump");
    const auto r =
        avvp({"forward", "--checkpoint", (kFixture / "state_dict.pt").string(), "--heads", "4",
              "--audio", path("audio.npy"), "--visual", path("visual.npy"), "--motion",
              path("motion.npy"), "--dump-dir", dump, "--threads", "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const char* name : {"global_prob", "a_prob", "v_prob", "frame_prob", "frame_logits"}) {
        const auto got = avvp::core::readNpy(dump + "/" + name + ".npy");
        const auto want = avvp::core::readNpy(kFixture / "expected" / (std::string(name) + ".npy"));
        ASSERT_EQ(got.shape, want.shape) << name;
        double m = 0;
        for (std::size_t i = 0; i < got.f32.size(); ++i)
            m = std::max(m, static_cast<double>(std::fabs(got.f32[i] - want.f32[i])));
        EXPECT_LT(m, 1e-5) << name;
    }
    // Without the motion stream the model cannot run.
    expectOneLineError(
        avvp({"forward", "--checkpoint", (kFixture / "state_dict.pt").string(), "--heads", "4",
              "--audio", path("audio.npy"), "--visual", path("visual.npy"), "--dump-dir", dump}),
        "motion: missing");
    // NaN in a feature file is named with its index.
    std::vector<float> v(2 * 10 * 768, 0.0F);
    v[768 + 5] = std::nanf("");
    avvp::core::writeNpy(path("nan.npy"), v, {2, 10, 768});
    expectOneLineError(avvp({"forward", "--checkpoint", (kFixture / "state_dict.pt").string(),
                             "--heads", "4", "--audio", path("audio.npy"), "--visual",
                             path("nan.npy"), "--motion", path("motion.npy"), "--dump-dir", dump}),
                       "nan.npy: NaN at element [0, 1, 5]");
    expectOneLineError(
        avvp({"forward", "--checkpoint", path("audio.npy"), "--audio", path("audio.npy"),
              "--visual", path("visual.npy"), "--dump-dir", dump}),
        "not a checkpoint");
}

// Issue 19, item 7: a checkpoint with a NaN weight is refused at load (it would give NaN
// outputs): exit 2, naming the file and the tensor. fc_a.weight is the fixture's record 6.
TEST_F(CliModels, ForwardRefusesNonFiniteWeights) {
    writeInput("audio.npy", {2, 64, 768}, 1);
    writeInput("visual.npy", {2, 10, 768}, 2);
    writeInput("motion.npy", {2, 10, 512}, 3);
    const auto poisoned = path("poisoned.pt");
    poisonZipRecord(kFixture / "state_dict.pt", poisoned, "state_dict/data/6");
    const auto r = avvp({"forward", "--checkpoint", poisoned, "--heads", "4", "--audio",
                         path("audio.npy"), "--visual", path("visual.npy"), "--motion",
                         path("motion.npy"), "--dump-dir", path("dump_nan"), "--threads", "1"});
    expectOneLineError(r, "poisoned.pt: ");
    EXPECT_NE(r.err.find("'fc_a.weight' holds 1 non-finite value"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(path("dump_nan") + "/global_prob.npy"));
}

TEST_F(CliModels, BenchRunsSmall) {
    const auto r = avvp(
        {"bench", "--hidden",  "16",  "--layers",      "1",      "--heads",         "2", "--ff",
         "16",    "--batches", "1,4", "--train-batch", "4",      "--min-seconds",   "0", "--python",
         "",      "--threads", "1",   "--quiet",       "--json", path("bench.json")});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("forward     folded        4"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("train_step  folded        4"), std::string::npos) << r.out;
    for (const char* v : {"\nvalor: ", "\nlink: ", "\nleap: ", "\nhan: vggish + resnet + motion"})
        EXPECT_NE(r.out.find(v), std::string::npos) << v << r.out;
    EXPECT_TRUE(fs::exists(path("bench.json")));
    expectOneLineError(avvp({"bench", "--variants", "valor,lnk"}), "unknown model variant 'lnk'");
}

// Every output of the committed LINK fixture, with its self labels and with explicit
// labels plus the loss terms, from the command line (what a reviewer runs against another
// implementation of model.md).
TEST_F(CliModels, ForwardReproducesPyTorchLink) {
    const fs::path fx = kSource / "tests/data/models/pytorch_tiny_link";
    writeInput("link_audio.npy", {2, 64, 768}, 1);
    writeInput("link_visual.npy", {2, 10, 768}, 2);
    auto compare = [&](const std::string& dump, const fs::path& expected) {
        int n = 0;
        for (const auto& e : fs::directory_iterator(expected)) {
            const auto got = avvp::core::readNpy(dump + "/" + e.path().filename().string());
            const auto want = avvp::core::readNpy(e.path());
            ASSERT_EQ(got.shape, want.shape) << e.path();
            double m = 0;
            for (std::size_t i = 0; i < got.f32.size(); ++i)
                m = std::max(m, static_cast<double>(std::fabs(got.f32[i] - want.f32[i])));
            EXPECT_LT(m, 2e-5) << e.path();
            ++n;
        }
        EXPECT_GE(n, 19);
    };
    const std::vector<std::string> base = {"forward",
                                           "--checkpoint",
                                           (fx / "state_dict.pt").string(),
                                           "--heads",
                                           "2",
                                           "--audio",
                                           path("link_audio.npy"),
                                           "--visual",
                                           path("link_visual.npy"),
                                           "--threads",
                                           "1"};
    auto args = base;
    args.insert(args.end(), {"--dump-dir", path("link_self")});
    auto r = avvp(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("tsam_w_a.npy (2, 10)"), std::string::npos) << r.out;
    compare(path("link_self"), fx / "expected");
    args = base;
    args.insert(args.end(), {"--dump-dir", path("link_given"), "--pseudo-audio",
                             (fx / "inputs/pseudo_audio.npy").string(), "--pseudo-visual",
                             (fx / "inputs/pseudo_visual.npy").string(), "--weak",
                             (fx / "inputs/weak.npy").string()});
    r = avvp(args);
    ASSERT_EQ(r.code, 0) << r.err;
    compare(path("link_given"), fx / "given");
    args = base;
    args.insert(args.end(), {"--dump-dir", path("d"), "--variant", "valor"});
    expectOneLineError(avvp(args), "unexpected weights");
}

TEST_F(CliModels, LinkTrainInferWithAblationSwitches) {
    const auto data = path("synth_link");
    ASSERT_EQ(avvp({"synth", "--out", data, "--videos", "60", "--seed", "4", "--audio", "vggish",
                    "--no-motion"})
                  .code,
              0);
    const std::vector<std::string> train = {"train",
                                            "--variant",
                                            "link",
                                            "--features",
                                            data + "/features",
                                            "--labels",
                                            data + "/labels",
                                            "--epochs",
                                            "1",
                                            "--batch",
                                            "8",
                                            "--hidden",
                                            "16",
                                            "--layers",
                                            "1",
                                            "--heads",
                                            "2",
                                            "--ff",
                                            "16",
                                            "--threads",
                                            "1"};
    auto args = train;
    args.insert(args.end(), {"--out", path("link_run")});
    auto r = avvp(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("(avss "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(" mu "), std::string::npos) << r.out;
    args = train;
    args.insert(args.end(), {"--out", path("link_tp"), "--no-cmim", "--no-sloss"});
    r = avvp(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.find(" mu "), std::string::npos) << r.out;
    args = train;
    args[2] = "valor";
    args.insert(args.end(), {"--out", path("valor_no"), "--no-tsam"});
    expectOneLineError(avvp(args), "--no-tsam is for --variant link");

    r = avvp({"infer", "--checkpoint", path("link_tp") + "/best.ckpt", "--features",
              data + "/features", "--split", "test", "--labels", data + "/labels", "--out",
              path("link_pred"), "--threads", "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(fs::exists(path("link_pred") + "/pred_audio.csv"));
    // A zero-shot label source with the synthetic class prototypes as text embeddings.
    const std::vector<std::string> zs = {"infer",
                                         "--checkpoint",
                                         path("link_run") + "/best.ckpt",
                                         "--features",
                                         data + "/features",
                                         "--split",
                                         "test",
                                         "--labels",
                                         data + "/labels",
                                         "--zs-audio-table",
                                         data + "/class_emb/audio.npy",
                                         "--zs-visual-table",
                                         data + "/class_emb/visual.npy",
                                         "--zs-audio",
                                         data + "/features/audio",
                                         "--zs-visual",
                                         data + "/features/visual",
                                         "--threads",
                                         "1"};
    auto withZs = [&](const std::string& out, std::vector<std::string> extra) {
        auto a = zs;
        a.insert(a.end(), {"--out", path(out)});
        a.insert(a.end(), extra.begin(), extra.end());
        return avvp(a);
    };
    r = withZs("link_zs", {"--zs-visual-threshold", "0.2"});
    ASSERT_EQ(r.code, 0) << r.err;
    expectOneLineError(
        avvp({"infer", "--checkpoint", path("link_run") + "/best.ckpt", "--features",
              data + "/features", "--split", "test", "--labels", data + "/labels", "--out",
              path("link_zs2"), "--zs-audio-table", data + "/class_emb/audio.npy"}),
        "needs both --zs-M-table and --zs-M DIR");

    // VALOR's rule: scale * cos > the preset's threshold. Scale 10 with thresholds 2.5 / 2
    // labels what cos >= 0.25 / 0.2 labels, so the predictions equal link_zs's.
    {
        std::ofstream preset(path("preset.tsv"));
        preset << "class\taudio_threshold\tvisual_threshold\taudio_prompt\tvisual_prompt\n";
        for (const auto& c : avvp::core::kClassNames) preset << c << "\t2.5\t2\ta\tv\n";
    }
    auto valor = [&](const std::string& out, std::vector<std::string> extra) {
        extra.insert(extra.begin(), {"--zs-rule", "valor"});
        return withZs(out, extra);
    };
    r = valor("link_valor", {"--zs-preset", path("preset.tsv"), "--zs-audio-logit-scale", "10",
                             "--zs-visual-logit-scale", "10"});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const char* f : {"/pred_audio.csv", "/pred_visual.csv"})
        EXPECT_EQ(avvp::test::readAll(path("link_valor") + f),
                  avvp::test::readAll(path("link_zs") + f))
            << f;
    // The bundled published thresholds are read and applied: with scale 1 no segment
    // passes them (cos <= 1 < 14..20), so PLSIM gets no zero-shot labels and the
    // predictions differ from link_zs's, whatever the trained weights.
    r = valor("link_valor_published",
              {"--zs-audio-logit-scale", "1", "--zs-visual-logit-scale", "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(avvp::test::readAll(path("link_valor_published") + "/pred_audio.csv") +
                  avvp::test::readAll(path("link_valor_published") + "/pred_visual.csv"),
              avvp::test::readAll(path("link_zs") + "/pred_audio.csv") +
                  avvp::test::readAll(path("link_zs") + "/pred_visual.csv"));
    expectOneLineError(valor("link_valor_bad", {}),
                       "--zs-rule valor needs --zs-audio-logit-scale S");
    expectOneLineError(
        valor("link_valor_bad", {"--zs-preset", path("nope.tsv"), "--zs-audio-logit-scale", "10"}),
        path("nope.tsv"));
    expectOneLineError(withZs("link_valor_bad", {"--zs-audio-logit-scale", "3"}),
                       "--zs-audio-logit-scale is for --zs-rule valor");
    expectOneLineError(withZs("link_valor_bad", {"--zs-rule", "cosine2"}),
                       "--zs-rule must be cosine or valor, not 'cosine2'");
    EXPECT_FALSE(fs::exists(path("link_valor_bad")));
}

// The model commands live in the plugin, not in the models library: libavvp_models.so
// exports the facade only, libavvp_models_cli.so the entry point the CLI resolves.
TEST(ModelsPlugin, EntryPointIsInThePluginOnly) {
    const fs::path bin = AVVP_BIN_DIR;
    void* lib = dlopen((bin / "libavvp_models.so").c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(lib, nullptr) << dlerror();
    EXPECT_EQ(dlsym(lib, "avvp_models_main"), nullptr);
    // A facade function: avvp::models::setCpuThreads(int).
    EXPECT_NE(dlsym(lib, "_ZN4avvp6models13setCpuThreadsEi"), nullptr);
    void* plugin = dlopen((bin / "libavvp_models_cli.so").c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(plugin, nullptr) << dlerror();
    EXPECT_NE(dlsym(plugin, "avvp_models_main"), nullptr);
    dlclose(plugin);
    dlclose(lib);
}

// models/ names the folder or the value that is wrong; the commands name the option that
// fixes it, as avvp always has.
TEST_F(CliModels, LibraryErrorsNameTheOption) {
    const auto data = path("synth_hints");
    ASSERT_EQ(
        avvp({"synth", "--out", data, "--videos", "20", "--audio", "vggish", "--no-motion"}).code,
        0);
    const auto run = path("run_hints");
    fs::create_directories(run);
    std::ofstream(run + "/last.ckpt") << "x";
    expectOneLineError(avvp({"train", "--features", data + "/features", "--labels",
                             data + "/labels", "--out", run, "--epochs", "1"}),
                       run +
                           ": already holds a training run (last.ckpt); use --resume or a "
                           "new --out");
    writeInput("hint_audio.npy", {1, 64, 768}, 1);
    writeInput("hint_visual.npy", {1, 10, 768}, 2);
    expectOneLineError(
        avvp({"forward", "--checkpoint", (kFixture / "state_dict.pt").string(),
              "--checkpoint-format", "native", "--audio", path("hint_audio.npy"), "--visual",
              path("hint_visual.npy"), "--dump-dir", path("hint_dump")}),
        "not a native AVVP checkpoint (a PyTorch state_dict? use --checkpoint-format pytorch or "
        "auto)");
    expectOneLineError(avvp({"reproduce", "--out", path("repro"), "--rows", "valor,lnk"}),
                       "avvp reproduce: error: --rows: unknown row 'lnk'");
    EXPECT_FALSE(fs::exists(path("repro")));
    const auto r = avvp({"bench",
                         "--variant",
                         "valor",
                         "--hidden",
                         "16",
                         "--layers",
                         "1",
                         "--heads",
                         "2",
                         "--ff",
                         "16",
                         "--batches",
                         "1",
                         "--train-batch",
                         "2",
                         "--min-seconds",
                         "0",
                         "--literal-max-batch",
                         "0",
                         "--pytorch-script",
                         path("absent.py"),
                         "--threads",
                         "1",
                         "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("PyTorch baseline: PyTorch baseline skipped: bench_reference.py not "
                         "found (--pytorch-script)"),
              std::string::npos)
        << r.out;
}

// `avvp infer` on a feature folder of windowed videos (index.tsv as `avvp features` writes
// it): a 24.5 s video in three windows gives (25, 2, 25) frame probabilities and (3, 25)
// globals, equal to predicting each window's features as a 10 s clip (segments 20-24 from
// the third window's first five rows); its events are in seconds over the whole video and
// it stays out of the LLP CSVs, which keep the 10 s clip.
TEST_F(CliModels, InferWindowedVideosOfAnyLength) {
    const auto data = path("synth_windows");
    ASSERT_EQ(avvp({"synth", "--out", data, "--videos", "24", "--seed", "3", "--audio", "vggish",
                    "--no-motion", "--no-encoders"})
                  .code,
              0);
    const auto run = path("run_windows");
    auto r = avvp({"train",
                   "--features",
                   data + "/features",
                   "--labels",
                   data + "/labels",
                   "--out",
                   run,
                   "--epochs",
                   "1",
                   "--batch",
                   "8",
                   "--hidden",
                   "16",
                   "--layers",
                   "1",
                   "--heads",
                   "2",
                   "--ff",
                   "16",
                   "--threads",
                   "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto ckpt = run + "/best.ckpt";
    const auto clips = path("pred_clips");
    r = avvp({"infer", "--checkpoint", ckpt, "--features", data + "/features", "--split", "test",
              "--labels", data + "/labels", "--out", clips, "--threads", "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto ids = lines(avvp::test::readAll(fs::path(clips) / "videos.txt"));
    ASSERT_GE(ids.size(), 4U);
    for (auto& id : ids) id = id.substr(0, id.rfind("_0_10"));  // the feature file's id

    // long = clips 0, 1, 2 (the third window has 5 valid segments), clip = clip 3.
    const fs::path folder = path("windows");
    const std::vector<std::string> names = {"long_0_10", "long_10_20", "long_20_30", "clip"};
    for (const char* kind : {"audio", "visual"}) {
        fs::create_directories(folder / kind);
        for (std::size_t i = 0; i < names.size(); ++i)
            fs::copy_file(fs::path(data) / "features" / kind / (ids[i] + ".npy"),
                          folder / kind / (names[i] + ".npy"));
    }
    {
        std::ofstream index(folder / "index.tsv");
        index << "name\tvideo\tstart\tend\tvalid_segments\tduration\n"
                 "long_0_10\t/videos/long.mp4\t0\t10\t10\t24.500\n"
                 "long_10_20\t/videos/long.mp4\t10\t20\t10\t24.500\n"
                 "long_20_30\t/videos/long.mp4\t20\t30\t5\t24.500\n"
                 "clip\t/videos/clip.mp4\t0\t10\t10\t10.000\n";
    }
    const auto out = path("pred_windows");
    r = avvp({"infer", "--checkpoint", ckpt, "--features", folder.string(), "--out", out, "--batch",
              "2", "--threads", "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("predicted 2 videos"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("note: the LLP CSVs hold the 1 clip(s)"), std::string::npos) << r.out;

    const auto F = avvp::core::readNpy(fs::path(clips) / "frame_prob.npy").toFloat();
    const auto G = avvp::core::readNpy(fs::path(clips) / "global_prob.npy").toFloat();
    const auto frame = avvp::core::readNpy(fs::path(out) / "frame_prob" / "long.npy");
    const auto global = avvp::core::readNpy(fs::path(out) / "global_prob" / "long.npy");
    ASSERT_EQ(frame.shape, (std::vector<std::int64_t>{25, 2, 25}));
    ASSERT_EQ(global.shape, (std::vector<std::int64_t>{3, 25}));
    const auto f = frame.toFloat(), g = global.toFloat();
    const std::size_t perSegment = 50, perClip = 500;
    for (std::size_t t = 0; t < 25; ++t)
        for (std::size_t k = 0; k < perSegment; ++k)
            ASSERT_NEAR(f[t * perSegment + k], F[(t / 10) * perClip + (t % 10) * perSegment + k],
                        1e-5)
                << "segment " << t;
    for (std::size_t i = 0; i < 75; ++i)
        ASSERT_NEAR(g[i], std::clamp(G[i], 0.0F, 1.0F), 1e-5) << "global " << i;
    const auto clip = avvp::core::readNpy(fs::path(out) / "frame_prob" / "clip.npy").toFloat();
    ASSERT_EQ(clip.size(), perClip);
    for (std::size_t i = 0; i < perClip; ++i) ASSERT_NEAR(clip[i], F[3 * perClip + i], 1e-5);

    const auto listed = lines(avvp::test::readAll(fs::path(out) / "videos.tsv"));
    ASSERT_EQ(listed.size(), 3U);
    EXPECT_EQ(listed[1], "long\t25\t3\t24.5");
    // Events: seconds over the whole video, the last one ending at 24.5 s at the latest.
    for (const char* m : {"audio", "visual"}) {
        const auto rows =
            lines(avvp::test::readAll(fs::path(out) / ("pred_" + std::string(m) + ".tsv")));
        ASSERT_FALSE(rows.empty());
        EXPECT_EQ(rows[0], "filename\tonset\toffset\tevent_label");
        for (std::size_t i = 1; i < rows.size(); ++i) {
            const auto cells = avvp::test::split(rows[i], '\t');
            ASSERT_GE(cells.size(), 3U) << rows[i];
            if (cells[1].empty()) continue;  // a video without events
            EXPECT_LE(std::stod(cells[2]), cells[0] == "long" ? 24.5 : 10.0) << rows[i];
        }
        const auto csv = avvp::test::readAll(fs::path(out) / ("pred_" + std::string(m) + ".csv"));
        EXPECT_EQ(csv.find("long"), std::string::npos) << csv;
    }

    // A window missing from the index is named.
    {
        std::ofstream index(folder / "index.tsv", std::ios::trunc);
        index << "name\tvideo\tstart\tend\tvalid_segments\tduration\n"
                 "long_0_10\t/videos/long.mp4\t0\t10\t10\t24.500\n"
                 "long_20_30\t/videos/long.mp4\t20\t30\t5\t24.500\n";
    }
    expectOneLineError(avvp({"infer", "--checkpoint", ckpt, "--features", folder.string(), "--out",
                             path("pred_bad")}),
                       "long: window 10-20 is missing");

    // --store: the app's model run from the command line, stored as a new run.
    if (!fs::exists(fs::path(AVVP_BIN_DIR) / "libavvp_workspace_cli.so"))
        GTEST_SKIP() << "no store plugin in this build (headless)";
    const auto store = path("windows.avvpstore");
    r = avvp(
        {"import", "--store", store, "--llp", data + "/labels", "--features", data + "/features"});
    ASSERT_EQ(r.code, 0) << r.err;
    r = avvp({"infer", "--checkpoint", ckpt, "--store", store, "--split", "test", "--run-name",
              "from the cli", "--threads", "1", "--batch", "3"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("\"from the cli\": 4 video(s)"), std::string::npos) << r.out;
    r = avvp({"eval", "--store", store, "--run", "from the cli", "--split", "test"});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    expectOneLineError(avvp({"infer", "--checkpoint", ckpt, "--store", store, "no_such_video"}),
                       "no video named no_such_video");
    r = avvp({"infer", "--store", store, "--help"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("usage: avvp infer --checkpoint C --store S"), std::string::npos);
}

// `avvp pseudo-labels` on hand-made embeddings (d = 3): class 0's text embedding is x,
// class 1's y, every other class's z. Audio segments 0-4 are x and 5-9 are y (cos 1 with
// their class, 0 with the others); visual segments are (x + y) / sqrt 2 as CLAP-style
// (64, 3) token maps (cos 0.707 with classes 0 and 1). Video A's weak label is class 0,
// video B's classes 0 and 1: the AND keeps only those, --no-and keeps all, VALOR's rule is
// strict (scale * cos > threshold), and bad input writes nothing.
TEST_F(CliModels, PseudoLabelsFromZeroShotLabelsAndWeakLabels) {
    const fs::path root = path("pl");
    fs::create_directories(root / "llp");
    fs::create_directories(root / "emb_a");
    fs::create_directories(root / "emb_v");
    std::ofstream(root / "llp/AVVP_train.csv")
        << "filename\tevent_labels\naaaaaaaaaaa_0_10\tSpeech\nbbbbbbbbbbb_0_10\tSpeech,Car\n";
    std::vector<float> table(25 * 3, 0.0F);
    for (int c = 0; c < 25; ++c) table[static_cast<std::size_t>(c * 3 + std::min(c, 2))] = 1.0F;
    avvp::core::writeNpy(root / "table.npy", table, {25, 3});
    std::vector<float> audio(10 * 3, 0.0F), visual(64 * 3, 0.0F);
    for (int t = 0; t < 10; ++t) audio[static_cast<std::size_t>(t * 3 + (t < 5 ? 0 : 1))] = 1.0F;
    for (int r = 0; r < 64; ++r)
        visual[static_cast<std::size_t>(r * 3)] = visual[static_cast<std::size_t>(r * 3 + 1)] =
            0.70710678F;
    for (const char* id : {"aaaaaaaaaaa", "bbbbbbbbbbb"}) {
        avvp::core::writeNpy(root / "emb_a" / (std::string(id) + ".npy"), audio, {10, 3});
        avvp::core::writeNpy(root / "emb_v" / (std::string(id) + ".npy"), visual, {64, 3});
    }
    auto run = [&](const std::string& out, std::vector<std::string> extra) {
        std::vector<std::string> args = {"pseudo-labels",
                                         "--labels",
                                         (root / "llp").string(),
                                         "--zs-audio-table",
                                         (root / "table.npy").string(),
                                         "--zs-visual-table",
                                         (root / "table.npy").string(),
                                         "--zs-audio",
                                         (root / "emb_a").string(),
                                         "--zs-visual",
                                         (root / "emb_v").string(),
                                         "--out",
                                         (root / out).string(),
                                         "--threads",
                                         "1"};
        args.insert(args.end(), extra.begin(), extra.end());
        return avvp(args);
    };
    // Cell (t, c) of a written (10, 25) file, and the segments on per class.
    auto labels = [&](const std::string& out, const char* m, const char* id) {
        const auto a = avvp::core::readNpy(root / out / (std::string("pseudo_") + m) /
                                           (std::string(id) + ".npy"));
        EXPECT_EQ(a.shape, (std::vector<std::int64_t>{10, 25}));
        EXPECT_EQ(avvp::core::npyTypeName(a.type), "int64");
        std::vector<int> perClass(25, 0);
        const auto v = a.toFloat();
        for (int t = 0; t < 10; ++t)
            for (int c = 0; c < 25; ++c)
                perClass[static_cast<std::size_t>(c)] +=
                    v[static_cast<std::size_t>(t * 25 + c)] > 0.5F;
        return perClass;
    };
    auto only = [](std::initializer_list<std::pair<int, int>> on) {
        std::vector<int> v(25, 0);
        for (auto [c, n] : on) v[static_cast<std::size_t>(c)] = n;
        return v;
    };

    auto r = run("and", {});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("wrote the pseudo labels of 2 videos"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("audio 15 segment labels (50.0 % of the segments of the weak classes), "
                         "visual 30 (100.0 %)"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(labels("and", "audio", "aaaaaaaaaaa"), only({{0, 5}}));
    EXPECT_EQ(labels("and", "audio", "bbbbbbbbbbb"), only({{0, 5}, {1, 5}}));
    EXPECT_EQ(labels("and", "visual", "aaaaaaaaaaa"), only({{0, 10}}));
    EXPECT_EQ(labels("and", "visual", "bbbbbbbbbbb"), only({{0, 10}, {1, 10}}));

    r = run("all", {"--no-and", "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(labels("all", "audio", "aaaaaaaaaaa"), only({{0, 5}, {1, 5}}));
    EXPECT_EQ(labels("all", "visual", "aaaaaaaaaaa"), only({{0, 10}, {1, 10}}));

    // VALOR's rule: 10 * cos > 10 is false for cos 1 (strict); 100 * 0.707 > 70 is true.
    r = run("valor", {"--zs-rule", "valor", "--zs-audio-logit-scale", "10", "--zs-audio-threshold",
                      "10", "--zs-visual-threshold", "70", "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(labels("valor", "audio", "bbbbbbbbbbb"), only({}));
    EXPECT_EQ(labels("valor", "visual", "bbbbbbbbbbb"), only({{0, 10}, {1, 10}}));

    // Pseudo labels already there: refused without --force, replaced with it.
    expectOneLineError(run("and", {}),
                       "already holds pseudo labels (use --force or another --out)");
    r = run("and", {"--force", "--no-and", "--quiet"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(labels("and", "audio", "aaaaaaaaaaa"), only({{0, 5}, {1, 5}}));

    // A missing embedding or a table without its folder: an error, nothing written.
    fs::remove(root / "emb_v/bbbbbbbbbbb.npy");
    expectOneLineError(run("bad", {}),
                       "bbbbbbbbbbb.npy: missing (visual zero-shot segment embeddings)");
    EXPECT_FALSE(fs::exists(root / "bad"));
    expectOneLineError(avvp({"pseudo-labels", "--labels", (root / "llp").string(),
                             "--zs-audio-table", (root / "table.npy").string(), "--zs-audio",
                             (root / "emb_a").string(), "--out", (root / "bad").string()}),
                       "give --zs-audio-table and --zs-visual-table: training reads both");
    EXPECT_FALSE(fs::exists(root / "bad"));
}

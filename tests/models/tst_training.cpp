// Training on `avvp synth` data beats trivial predictors; resume; inference files that
// `avvp eval` scores. Small sizes so the whole file runs in seconds.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include "core/error.h"
#include "core/evaluation.h"
#include "core/llp_dataset.h"
#include "core/npy.h"
#include "core/synth.h"
#include "models/model_api.h"
#include "tests/test_util.h"

namespace fs = std::filesystem;
using namespace avvp;

namespace {

std::unique_ptr<avvp::test::TempDir> gTmp;
fs::path gRoot;

// The spec's training settings of a variant at tiny sizes on the suite's data.
models::TrainOptions variantOptions(const std::string& variant, const std::string& run,
                                    int epochs) {
    auto t = models::defaultTrainOptions(variant);
    t.features = gRoot / "data/features";
    t.labels = gRoot / "data/labels";
    t.out = gRoot / run;
    t.model.hidden = 32;
    t.model.layers = 1;
    t.model.heads = 4;
    t.model.ff = 64;
    t.model.dropout = 0.0;
    t.epochs = epochs;
    t.batch = 16;
    t.lrMax = 1e-2;
    t.warmupEpochs = 1;
    t.seed = 2;
    t.device = "cpu";
    return t;
}

class Training : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        models::setCpuThreads(1);
        gTmp = std::make_unique<avvp::test::TempDir>("avvp_train");
        gRoot = gTmp->path();
        core::SynthOptions o;
        o.videos = 400;
        o.seed = 4;
        o.audio = core::AudioFeature::Vggish;
        o.visual = core::VisualFeature::Clip;
        o.motion = false;
        core::writeSynthDataset(gRoot / "data", o);
    }
    static void TearDownTestSuite() { gTmp.reset(); }

    static models::TrainOptions options(const std::string& run, int epochs) {
        return variantOptions("valor", run, epochs);
    }

    // Segment Type@AV on the validation split of predictions made by `decide`.
    static double score(const std::function<bool(int cls, int seg, core::Modality)>& decide) {
        const auto split = core::readWeakLabels(gRoot / "data/labels" / core::LlpFileNames::val);
        const auto gtA = core::readDenseLabels(gRoot / "data/labels" / core::LlpFileNames::audio);
        const auto gtV = core::readDenseLabels(gRoot / "data/labels" / core::LlpFileNames::visual);
        core::PredictionSet p;
        for (const auto& r : split.rows) {
            std::vector<float> frame(10 * 2 * 25), global(25, 1.0F);
            for (int t = 0; t < 10; ++t)
                for (int m = 0; m < 2; ++m)
                    for (int c = 0; c < 25; ++c)
                        frame[core::frameIndex(t, static_cast<core::Modality>(m), c)] =
                            decide(c, t, static_cast<core::Modality>(m)) ? 1.0F : 0.0F;
            p.add(r.filename, frame, global);
        }
        const auto videos = core::videoNames(split);
        return core::evaluate(videos, core::gridsFromPredictions(videos, p, gtA.rows, gtV.rows))
            .dataset.segment[core::kTypeAv];
    }
};

}  // namespace

TEST_F(Training, BeatsTrivialPredictorsByFar) {
    // Trivial predictors: nothing anywhere; the most frequent training class everywhere.
    const auto train = core::readWeakLabels(gRoot / "data/labels" / core::LlpFileNames::train);
    std::vector<int> freq(25, 0);
    for (const auto& r : train.rows)
        for (int c = 0; c < 25; ++c)
            freq[static_cast<std::size_t>(c)] += core::hasClass(r.classes, c);
    const int top = static_cast<int>(std::max_element(freq.begin(), freq.end()) - freq.begin());
    const double none = score([](int, int, core::Modality) { return false; });
    const double majority = score([&](int c, int, core::Modality) { return c == top; });

    int epochs = 0;
    auto t = options("run", 10);
    t.onEpoch = [&](const models::EpochReport& r) {
        ++epochs;
        EXPECT_GT(r.trainLoss.at("total"), 0.0);
        EXPECT_EQ(r.trainLoss.size(), 4U);
        EXPECT_EQ(r.valLoss.size(), 4U);
    };
    const auto res = models::train(t);
    EXPECT_EQ(epochs, 10);
    EXPECT_EQ(res.epochsRun, 10);
    std::printf("val segment Type@AV: trained %.2f, all-negative %.2f, majority class %.2f\n",
                res.bestScore, none, majority);
    EXPECT_GT(res.bestScore, none + 20.0);
    EXPECT_GT(res.bestScore, majority + 20.0);
    ASSERT_TRUE(fs::exists(res.best));
    const auto best = models::Model::load(res.best);
    EXPECT_EQ(best.config().provenance.bestEpoch, res.bestEpoch);
    EXPECT_DOUBLE_EQ(best.config().provenance.bestScore, res.bestScore);
    EXPECT_EQ(best.config().audioFeature, "vggish");
    EXPECT_FALSE(best.config().useMotion);

    // Inference writes files that score the same as the in-memory predictions.
    models::InferOptions io;
    io.checkpoint = res.best;
    io.features = gRoot / "data/features";
    io.split = gRoot / "data/labels" / core::LlpFileNames::val;
    io.out = gRoot / "pred";
    const auto ir = models::infer(io);
    EXPECT_EQ(ir.videos, 60U);
    const auto frame = core::readNpy(io.out / "frame_prob.npy");
    EXPECT_EQ(frame.shape, (std::vector<std::int64_t>{60, 10, 2, 25}));
    EXPECT_EQ(core::readNpy(io.out / "global_prob.npy").shape, (std::vector<std::int64_t>{60, 25}));
    const auto split = core::readWeakLabels(io.split);
    const auto gtA = core::readDenseLabels(gRoot / "data/labels" / core::LlpFileNames::audio);
    const auto gtV = core::readDenseLabels(gRoot / "data/labels" / core::LlpFileNames::visual);
    const auto fromCsv = core::evaluateRows(
        core::videoNames(split), core::readDenseLabels(io.out / "pred_audio.csv").rows,
        core::readDenseLabels(io.out / "pred_visual.csv").rows, gtA.rows, gtV.rows);
    EXPECT_NEAR(fromCsv.dataset.segment[core::kTypeAv], res.bestScore, 1e-9);
}

TEST_F(Training, ResumesWhereItStopped) {
    auto t = options("resume", 2);
    EXPECT_EQ(models::train(t).lastEpoch, 2);
    // Without --resume an existing run is refused.
    EXPECT_THROW(models::train(t), core::InputError);
    t.epochs = 3;
    t.resume = true;
    const auto r = models::train(t);
    EXPECT_EQ(r.epochsRun, 1);
    EXPECT_EQ(r.lastEpoch, 3);
    std::ifstream h(gRoot / "resume/history.jsonl");
    int lines = 0;
    for (std::string l; std::getline(h, l);) ++lines;
    EXPECT_EQ(lines, 3);
    try {
        models::train(t);
        ADD_FAILURE() << "resuming a finished run must fail";
    } catch (const core::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("already trained 3 epochs"), std::string::npos);
    }
}

// The library names the folder or the value that is wrong, never a command-line option
// (the CLI maps its errors to options: tests/cli/tst_cli_models.cpp).
TEST_F(Training, ErrorsNameTheFolderOrValueNotAnOption) {
    auto t = options("taken", 1);
    fs::create_directories(t.out);
    std::ofstream(t.out / "last.ckpt") << "x";
    try {
        models::train(t);
        ADD_FAILURE() << "an existing run must be refused";
    } catch (const core::InputError& e) {
        EXPECT_EQ(e.file(), t.out.string());
        EXPECT_EQ(e.reason(),
                  "already holds a training run (last.ckpt); resume it or choose a new output "
                  "folder");
    }
    t.epochs = 0;
    const auto e = avvp::test::errorOf([&] { models::train(t); });
    EXPECT_EQ(e, "epochs: must be at least 1, not 0");
}

// Pseudo labels made for the training split only (`avvp pseudo-labels` by default): the
// run validates without the validation loss; a validation split with some videos' pseudo
// labels and not others' is refused, naming a missing file.
TEST_F(Training, ValidatesWithoutTheLossWhenOnlyTrainingVideosHavePseudoLabels) {
    const auto root = gRoot / "trainpseudo";
    fs::copy(gRoot / "data/features", root, fs::copy_options::recursive);
    const auto val = core::readWeakLabels(gRoot / "data/labels" / core::LlpFileNames::val);
    const auto videos = core::featureVideos(val);
    ASSERT_GT(videos.size(), 2U);
    // One val video keeps its files: some present, some missing.
    for (std::size_t i = 1; i < videos.size(); ++i)
        for (const char* m : {"pseudo_audio", "pseudo_visual"})
            fs::remove(root / m / (videos[i].id + ".npy"));
    auto t = options("trainpseudo_run", 1);
    t.features = root;
    EXPECT_NE(avvp::test::errorOf([&] { models::train(t); }).find(videos[1].id + ".npy: missing"),
              std::string::npos);
    for (const char* m : {"pseudo_audio", "pseudo_visual"})
        fs::remove(root / m / (videos[0].id + ".npy"));
    int epochs = 0;
    t.onEpoch = [&](const models::EpochReport& r) {
        ++epochs;
        EXPECT_EQ(r.trainLoss.size(), 4U);
        EXPECT_TRUE(r.valLoss.empty());
        EXPECT_GT(r.val.segment[core::kTypeAv], 0.0);
    };
    models::train(t);
    EXPECT_EQ(epochs, 1);
}

TEST_F(Training, RefusesDataWithoutPseudoLabels) {
    fs::create_directories(gRoot / "nopseudo");
    fs::copy(gRoot / "data/features/audio", gRoot / "nopseudo/audio");
    fs::copy(gRoot / "data/features/visual", gRoot / "nopseudo/visual");
    auto t = options("nopseudo_run", 1);
    t.features = gRoot / "nopseudo";
    try {
        models::train(t);
        ADD_FAILURE() << "training without pseudo labels must fail";
    } catch (const core::InputError& e) {
        EXPECT_NE(std::string(e.what()).find("pseudo_audio: missing folder"), std::string::npos)
            << e.what();
    }
}

namespace {

// Every frame and global probability of two prediction sets, the largest difference.
double maxDiff(const core::PredictionSet& a, const core::PredictionSet& b) {
    EXPECT_EQ(a.size(), b.size());
    double m = 0;
    for (std::size_t v = 0; v < a.size() && v < b.size(); ++v)
        for (int c = 0; c < 25; ++c) {
            m = std::max(m,
                         static_cast<double>(std::fabs(a.globalProb(v, c) - b.globalProb(v, c))));
            for (int t = 0; t < 10; ++t)
                for (const auto mod : {core::Modality::Audio, core::Modality::Visual})
                    m = std::max(m, static_cast<double>(std::fabs(a.frameProb(v, t, mod, c) -
                                                                  b.frameProb(v, t, mod, c))));
        }
    return m;
}

}  // namespace

TEST_F(Training, LinkTrainsWithPseudoLabelsAndInferenceNeverReadsLabels) {
    // LINK's PLSIM takes the stored pseudo labels at training time (the network refuses a
    // training step without them, so this run fails if the loop does not feed them).
    auto t = variantOptions("link", "link", 4);
    std::map<std::string, double> scalars;
    std::size_t terms = 0;
    t.onEpoch = [&](const models::EpochReport& r) {
        scalars = r.scalars;
        terms = r.trainLoss.size();
    };
    const auto res = models::train(t);
    EXPECT_EQ(terms, 6U);  // total, video, seg_a, seg_v, label, avss
    ASSERT_TRUE(scalars.count("mu") && scalars.count("alpha1") && scalars.count("beta2"));
    EXPECT_NE(scalars.at("mu"), 0.0);  // mu learns
    std::printf("LINK val segment Type@AV %.2f after 4 epochs, mu %.4f\n", res.bestScore,
                scalars.at("mu"));
    const auto model = models::Model::load(res.best);
    // Validated with the self labels: half of the videos train on the labels that path
    // gives PLSIM (docs/models.md), and the checkpoint says so.
    EXPECT_EQ(model.config().params.at("plsim_self_mix"), 0.5);

    // The val videos, with their features and pseudo labels, three ways: as they are; with
    // every pseudo label on and every class in the weak labels; without pseudo labels.
    const auto split = core::readWeakLabels(gRoot / "data/labels" / core::LlpFileNames::val);
    auto videos = core::featureVideos(split);
    const fs::path corrupt = gRoot / "corrupt", bare = gRoot / "bare";
    for (const char* d : {"audio", "visual", "pseudo_audio", "pseudo_visual"})
        fs::create_directories(corrupt / d);
    fs::create_directories(bare / "audio");
    fs::create_directories(bare / "visual");
    const std::vector<std::int64_t> ones(250, 1);
    for (const auto& v : videos) {
        const auto f = v.id + ".npy";
        for (const char* d : {"audio", "visual"}) {
            fs::copy_file(gRoot / "data/features" / d / f, corrupt / d / f);
            fs::copy_file(gRoot / "data/features" / d / f, bare / d / f);
        }
        core::writeNpy(corrupt / "pseudo_audio" / f, ones, {10, 25});
        core::writeNpy(corrupt / "pseudo_visual" / f, ones, {10, 25});
    }
    auto allWeak = videos;
    for (auto& v : allWeak) v.weak = (core::ClassSet{1} << 25) - 1;
    using core::StreamUse;
    const core::FeatureDataset plain(gRoot / "data/features", videos,
                                     {StreamUse::Off, StreamUse::Required});
    const core::FeatureDataset corrupted(corrupt, allWeak, {StreamUse::Off, StreamUse::Required});
    const core::FeatureDataset without(bare, videos, {StreamUse::Off, StreamUse::Auto});
    ASSERT_TRUE(plain.spec().pseudo && corrupted.spec().pseudo && !without.spec().pseudo);
    const auto a = models::predict(model, plain);
    EXPECT_EQ(maxDiff(a, models::predict(model, corrupted)), 0.0);
    EXPECT_EQ(maxDiff(a, models::predict(model, without)), 0.0);

    // Positive control: had the labels reached PLSIM, the outputs would differ.
    const auto f = plain.load(0);
    models::Inputs in;
    in.audio = {{1, 10, 128}, f.audio};
    in.visual = {{1, 10, 768}, f.visual};
    const auto self = model.forward(in);
    in.pseudoAudio = models::Array{{1, 10, 25}, std::vector<float>(250, 1.0F)};
    in.pseudoVisual = in.pseudoAudio;
    const auto fed = model.forward(in);
    double d = 0;
    for (std::size_t i = 0; i < 25; ++i)
        d = std::max(d, static_cast<double>(std::fabs(self.at("global_prob").data[i] -
                                                      fed.at("global_prob").data[i])));
    EXPECT_GT(d, 1e-4);
    for (std::size_t i = 0; i < 25; ++i)
        EXPECT_NEAR(self.at("global_prob").data[i], a.globalProb(0, static_cast<int>(i)), 1e-6);
}

// LINK validates (chooses best.ckpt) with the label source inference will use: here
// zero-shot labels from the synthetic class prototypes. The epoch's validation score is
// that of predict() with the same source, not that of the self labels.
TEST_F(Training, LinkValidatesWithTheInferenceLabelSource) {
    auto t = variantOptions("link", "link_zs", 1);
    const std::vector<float> thr(25, 0.2F);
    const fs::path data = gRoot / "data";
    t.valLabels = {
        models::ZeroShotTable{models::readClassEmbedding(data / "class_emb/audio.npy"), thr},
        models::ZeroShotTable{models::readClassEmbedding(data / "class_emb/visual.npy"), thr}};
    t.valZeroShot = {data / "features/audio", data / "features/visual"};
    const auto res = models::train(t);
    auto model = models::Model::load(res.best);
    EXPECT_EQ(model.config().params.count("plsim_self_mix"), 0U);  // stored pseudo labels only

    const auto split = core::readWeakLabels(data / "labels" / core::LlpFileNames::val);
    const auto gtA = core::readDenseLabels(data / "labels" / core::LlpFileNames::audio);
    const auto gtV = core::readDenseLabels(data / "labels" / core::LlpFileNames::visual);
    const auto videos = core::videoNames(split);
    const core::FeatureDataset val(data / "features", core::featureVideos(split),
                                   {core::StreamUse::Off, core::StreamUse::Off});
    auto typeAv = [&](const core::PredictionSet& p) {
        return core::evaluate(videos, core::gridsFromPredictions(videos, p, gtA.rows, gtV.rows))
            .dataset.segment[core::kTypeAv];
    };
    const auto self = models::predict(model, val);
    model.setLabelSource(t.valLabels);
    const auto zs = models::predict(model, val, 64, nullptr, t.valZeroShot);
    EXPECT_NEAR(typeAv(zs), res.bestScore, 1e-9);
    EXPECT_GT(maxDiff(zs, self), 1e-4);  // the label source matters
}

TEST_F(Training, HanTrainsWithAdamAndStepDecay) {
    auto t = variantOptions("han", "han", 2);
    t.stepEvery = 1;
    std::vector<double> lrs;
    t.onEpoch = [&](const models::EpochReport& r) {
        lrs.push_back(r.lr);
        EXPECT_EQ(r.trainLoss.size(), 4U);  // total, video, audio, visual
    };
    const auto res = models::train(t);
    ASSERT_EQ(lrs.size(), 2U);
    EXPECT_NEAR(lrs[0], 1e-2, 1e-12);
    EXPECT_NEAR(lrs[1], 1e-3, 1e-12);
    const auto c = models::Model::load(res.best).config();
    EXPECT_EQ(c.variant, "han");
    EXPECT_EQ(c.audioFeature, "vggish");  // HAN takes the data's features
}

TEST_F(Training, LeapTrains) {
    auto t = variantOptions("leap", "leap", 2);
    t.model.params["leap_heads"] = 4;
    std::size_t terms = 0;
    t.onEpoch = [&](const models::EpochReport& r) { terms = r.trainLoss.size(); };
    const auto res = models::train(t);
    EXPECT_EQ(terms, 7U);  // total, audio, visual, video, seg_a, seg_v, avss
    EXPECT_GT(res.bestScore, 0.0);
}

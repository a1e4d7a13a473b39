// Training on `avvp synth` data beats trivial predictors; resume; inference files that
// `avvp eval` scores. Small sizes so the whole file runs in seconds.
#include <gtest/gtest.h>

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
        models::TrainOptions t;
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
                        frame[static_cast<std::size_t>((t * 2 + m) * 25 + c)] =
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

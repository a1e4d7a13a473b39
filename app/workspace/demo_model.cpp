#include "app/workspace/demo_model.h"

#include <chrono>
#include <fstream>
#include <string>

#include "core/synth.h"
#include "models/model_api.h"

namespace avvp::workspace {

namespace fs = std::filesystem;

namespace {

// Bump when the demo model's recipe changes: a cached model of another recipe is trained
// again.
constexpr const char* kRecipe = "demo model 2: LINK, no motion stream";

std::string readRecipe(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

}  // namespace

fs::path demoModelCheckpoint(const fs::path& demoFolder) {
    return demoFolder / "model" / "best.ckpt";
}

DemoModel ensureDemoModel(const DemoModelOptions& options, core::Progress* progress) {
    DemoModel out;
    out.checkpoint = demoModelCheckpoint(options.folder);
    const fs::path recipe = out.checkpoint.parent_path() / "recipe.txt";
    if (fs::exists(out.checkpoint) && readRecipe(recipe) == kRecipe) return out;
    const auto started = std::chrono::steady_clock::now();
    const fs::path data = options.folder / "model-data";
    const fs::path run = options.folder / "model.part";
    std::error_code ec;
    fs::remove_all(data, ec);
    fs::remove_all(run, ec);
    core::SynthOptions so;
    so.videos = options.videos;
    so.seed = 1;  // as `avvp synth` (and the demo project's synthetic videos)
    core::Progress none;
    core::Progress& p = progress ? *progress : none;
    p.step(0.0, "synthetic training data");
    {
        core::ProgressRange part(p, 0.0, 0.1, "synthetic training data");
        core::writeSynthDataset(data, so, &part);
    }
    models::TrainOptions o;
    o.features = data / "features";
    o.labels = data / "labels";
    o.out = run;
    // LINK with TSAM, CMIM and S-LOSS, so that every research view has something to draw.
    // PLSIM stays off: its default self labels collapse on synthetic data (the README's
    // reproduction tables), and zero-shot labels need class text tables the demo lacks.
    o.model = models::defaultConfig("link");
    models::setSwitch(o.model, "plsim", false);
    // Audio and visual streams only: the features Extract Features makes (the encoder
    // manifest has no motion encoder), so the model also runs on the demo's long video.
    o.motion = core::StreamUse::Off;
    o.model.hidden = 64;
    o.model.layers = 2;
    o.model.heads = 4;
    o.model.ff = 128;
    o.epochs = options.epochs;
    o.batch = 16;  // LINK learns much faster with more steps: 66 against 48 Type@AV at 32
    o.lrMax = 1e-3;
    o.lrMin = 1e-5;  // the README walkthrough's recipe
    o.warmupEpochs = 2;
    o.seed = 1;
    o.device = "cpu";
    core::ProgressRange training(p, 0.1, 1.0, "training the demo model");
    o.progress = &training;
    models::setCpuThreads(options.threads);
    const auto result = models::train(o);
    fs::remove_all(data, ec);
    if (result.cancelled || result.best.empty()) {
        fs::remove_all(run, ec);
        p.throwIfCancelled();
        throw std::runtime_error("the demo model was not trained");
    }
    fs::remove_all(out.checkpoint.parent_path(), ec);
    fs::rename(run, out.checkpoint.parent_path());
    std::ofstream(recipe) << kRecipe << "\n";
    out.trained = true;
    out.bestScore = result.bestScore;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    p.report(1.0, "ready");
    return out;
}

}  // namespace avvp::workspace

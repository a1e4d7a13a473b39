#pragma once
// The demo model: a small LINK (TSAM, CMIM, S-LOSS; PLSIM off) trained once on a SYNTHETIC dataset
// (core/synth.h, the same generator and seed as the demo project's synthetic videos, so it
// recognises their classes) and cached beside the demo project. About a minute on two cores; later
// starts reuse the checkpoint. Torch-free: it trains through models/model_api.h.
//
// Note: the demo project's synthetic videos (synth000000 ...) are among this model's
// training videos, so its predictions on them show what the panels draw, not how well a
// model generalises (`avvp train` / `avvp eval` report that on held-out data).
#include <filesystem>
#include <string>

#include "core/progress.h"

namespace avvp::workspace {

struct DemoModelOptions {
    std::filesystem::path folder;  // the demo folder: the model goes to folder/model
    int videos = 500;              // synthetic training videos (seed 1, as `avvp synth`)
    int epochs = 20;
    int threads = 1;
};

struct DemoModel {
    std::filesystem::path checkpoint;  // folder/model/best.ckpt
    bool trained = false;              // trained now (false: the cache was used)
    double seconds = 0.0;
    double bestScore = 0.0;  // validation segment Type@AV (%) when trained now
};

// The run of the demo model's predictions in the demo project.
inline constexpr const char* kDemoModelRunName = "demo model (LINK trained on SYNTHETIC data)";

// Where the cached checkpoint is (it may not exist yet).
std::filesystem::path demoModelCheckpoint(const std::filesystem::path& demoFolder);

// Trains the demo model when it is not cached. Cancelling `progress` stops between batches
// and leaves no checkpoint (core::Cancelled). Throws on failure.
DemoModel ensureDemoModel(const DemoModelOptions& options, core::Progress* progress = nullptr);

}  // namespace avvp::workspace

#pragma once
// The demo project `make run` opens: the real LLP annotation files imported into a label
// store, playable SYNTHETIC videos and a SYNTHETIC stand-in prediction run, cached in a
// folder and re-created when missing.
//
// Videos: when `avvp synth --render` works (the synthetic dataset generator with rendered
// videos), its dataset (labels, features, videos) is imported too; otherwise, and in any
// case for a handful of LLP test videos, videos are rendered from their ground-truth
// labels (media::renderLabelVideo: a shape per visual event, a tone per audio event), in a
// folder marked SYNTHETIC. The stand-in run ("synthetic-demo") is the ground truth with
// noise, not a model: it lets the prediction rows, accept / reject and the evaluation
// panel show something until a real model is run.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/progress.h"
#include "core/store/records.h"

namespace avvp::workspace {

struct DemoOptions {
    std::filesystem::path folder;  // the cache: demo.avvpstore, videos/, synth/
    std::filesystem::path llp;     // the LLP annotation folder
    std::filesystem::path avvp;    // the avvp executable (for `avvp synth`); empty: skip
    int renderedVideos = 8;        // LLP test videos given synthetic renderings
    int synthVideos = 24;          // videos asked of `avvp synth --render`
    // A long SYNTHETIC video of this many seconds (0: none), its events at real times and
    // not aligned, with its features extracted by the synthetic stand-in encoders of
    // `avvp synth` (when it ran): what a user's own video looks like in the workspace.
    double longVideoSeconds = 90.0;
    bool reset = false;  // delete the cached project first (edits included)
};

struct DemoProject {
    std::filesystem::path store;
    bool created = false;                     // built now (false: the cache was used)
    int videosRendered = 0;                   // rendered now
    bool synthImported = false;               // avvp synth --render was available
    std::vector<std::string> playable;        // videos with media, the first to show first
    std::optional<store::VideoId> longVideo;  // the long video, when made now
    std::string note;                         // what the demo holds, for the window title
};

// Builds what is missing (a few seconds the first time; otherwise it only checks files).
// `progress` hears (stage, fraction); cancelling it stops between steps (core::Cancelled)
// and leaves no half-made store behind. Throws core::InputError / std::exception on failure.
DemoProject ensureDemoProject(const DemoOptions& options, core::Progress* progress = nullptr);

// The run the demo adds (ground truth with noise; SYNTHETIC, not a model).
inline constexpr const char* kDemoRunName = "synthetic-demo (noisy ground truth, not a model)";

}  // namespace avvp::workspace

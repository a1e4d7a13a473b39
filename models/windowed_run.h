#pragma once
// Windowed inference: a model sees one 10-segment window (docs/model.md 1), so a video of
// any length runs over its consecutive windows, the feature files `avvp features` writes
// (core/features.h: <id>_0_10.npy, <id>_10_20.npy, ..., the last window padded), and the
// windows' outputs are joined into one prediction over the whole video:
//  - frame_prob: window w gives segments [10 w, 10 w + 10); the padded segments of the last
//    window are dropped, leaving T = the video's segments (T x 2 x 25);
//  - global_prob: one 25-vector per window, window-major (25 W values). This is the
//    "per window" video-level gate of the 0.5 rule: the gate of window w applies to the
//    segments of window w, exactly as the model computed it from those segments alone
//    (core::thresholdGrids). Thresholding then runs on the whole T grid, so on-cells that
//    continue over a window border make one event;
//  - research outputs (when asked for): stacked with a leading window dimension W.
// Plain C++ over the facade (no LibTorch here): the application layer's model runs and
// `avvp infer` share it.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/progress.h"
#include "models/model_api.h"

namespace avvp::models {

// One video's feature files, one per window in window order, per stream (motion only when
// the model fuses it). segments: the video's real segments T, with
// core::windowCount(T) == the number of files.
struct WindowedVideo {
    std::string name;  // named in errors
    int segments = 10;
    std::vector<std::filesystem::path> audio, visual, motion;
};

struct WindowedPrediction {
    int segments = 0;
    std::vector<float> frame;   // T x 2 x 25 (core::frameIndex)
    std::vector<float> global;  // 25 per window, window-major; clamped to [0, 1], NaN kept
    // The outputs named in WindowedRunOptions::keep that the model gives, with a leading
    // window dimension: (W, ...) where a window's own output is (1, ...); outputs without a
    // batch dimension (sloss_mu, (1,)) are kept whole.
    Outputs outputs;
};

struct WindowedRunOptions {
    // Windows per forward pass: the windows of one video or of several consecutive videos
    // share a batch (a 10 s clip is one window, so for LLP this counts videos).
    int batch = 16;
    std::vector<std::string> keep;       // outputs to keep per window besides the probabilities
    core::Progress* progress = nullptr;  // "window i of N"; cancelled: throws core::Cancelled
};

struct WindowedRunResult {
    // One per requested video, in order; nullopt for a video whose features could not be
    // read or do not fit the model (its reason in `skipped`: "<name>: <reason>").
    std::vector<std::optional<WindowedPrediction>> videos;
    std::vector<std::string> skipped;
};

// Window `window` of a video as a batch of one, checked against the model's config
// (rows, width, finite values). Throws core::InputError naming the file.
AVVP_MODELS_API Inputs windowInputs(const ModelConfig& config, const WindowedVideo& video,
                                    int window);

// Runs every window of every video in batches of options.batch windows and joins each
// video's windows (see the top of this file). A video whose file count does not fit its
// segments, or whose features fail to read, is skipped, not fatal.
AVVP_MODELS_API WindowedRunResult predictWindowed(const Model& model,
                                                  const std::vector<WindowedVideo>& videos,
                                                  const WindowedRunOptions& options = {});

}  // namespace avvp::models

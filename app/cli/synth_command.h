#pragma once
// `avvp synth`, shared by the CLI (features and labels) and the media plugin (the same,
// plus --render, which needs FFmpeg). Both write the SYNTHETIC stand-in encoders through
// the models plugin (`avvp synth-encoders`, LibTorch), unless --no-encoders.
#include <filesystem>
#include <functional>

#include "core/progress.h"
#include "core/synth.h"

namespace avvp::app {

// Renders the videos of the dataset `options` describes into `dir`, reporting the
// fraction done: its 10 s clips when `seconds` is 0, else as many long videos of `seconds`
// (core::synthLongVideos).
using SynthRenderer =
    std::function<void(const std::filesystem::path& dir, const core::SynthOptions& options,
                       double seconds, core::Progress& progress)>;

// Runs the command; without a renderer, --render is refused.
int runSynth(int argc, char** argv, const SynthRenderer& render);

}  // namespace avvp::app

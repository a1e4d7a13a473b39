#pragma once
// `avvp synth`, shared by the CLI (features and labels) and the media plugin (the same,
// plus --render, which needs FFmpeg).
#include <filesystem>
#include <functional>

#include "core/progress.h"
#include "core/synth.h"

namespace avvp::app {

// Renders the videos of the dataset `options` describes into `dir`, reporting the
// fraction done.
using SynthRenderer = std::function<void(
    const std::filesystem::path& dir, const core::SynthOptions& options, core::Progress& progress)>;

// Runs the command; without a renderer, --render is refused.
int runSynth(int argc, char** argv, const SynthRenderer& render);

}  // namespace avvp::app

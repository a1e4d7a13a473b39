#pragma once
// Renders a short SYNTHETIC video that shows and sounds the given audio / visual events,
// so that labels without footage can be played: every visual event draws its class's
// shape and name while it lasts, every audio event sounds its class's tone pattern (a
// class-specific pitch, harmonics and tremolo), and the frame says SYNTHETIC. Used by the
// GUI's demo project; the synthetic dataset generator can use it for `--render`.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/taxonomy.h"

namespace avvp::media {

struct LabelSpan {
    core::Modality modality = core::Modality::Audio;
    int cls = 0;
    std::int64_t onsetMs = 0;
    std::int64_t offsetMs = 0;
};

struct LabelVideoOptions {
    int width = 480;  // even
    int height = 270;
    int frameRate = 25;
    int sampleRate = 48000;
    std::string caption = "SYNTHETIC";  // drawn on every frame (A-Z, 0-9, _-.:() )
};

// Writes `seconds` of H.264 + AAC (MP4, or by extension as VideoWriter allows). Throws
// MediaError when the file cannot be written.
void renderLabelVideo(const std::filesystem::path& file, const std::vector<LabelSpan>& events,
                      double seconds, const LabelVideoOptions& options = {});

// The tone of a class (Hz), for tests and the legend.
double classPitch(int cls);

}  // namespace avvp::media

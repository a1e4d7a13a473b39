#pragma once
// Rendering the synthetic demo videos of `avvp synth --render`: for every video of a
// synthetic dataset (core/synth.h), a short video whose pictures show exactly its visual
// events and whose sound plays exactly its audio events, so that playback, timelines and
// annotation can be tried on a machine without any real data.
//
// Picture: a 5 x 5 board with one cell per class (canonical order, row by row); the
// cell of a class that is seen in the current one-second segment lights up in the
// class's colour with a moving pattern of its own, the others stay dim. A bar at the
// bottom marks the ten segments and the playhead, and "SYNTHETIC" stands on every frame.
// Sound: each class that is heard plays its own tone (220 Hz * 2^(class / 5)) beeping
// at its own rate; segment edges are faded over 5 ms so they do not click.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "core/media/video_writer.h"
#include "core/synth.h"

namespace avvp::media {

struct SynthRenderOptions {
    int width = 320;  // even
    int height = 180;
    int frameRate = 25;
    int sampleRate = 48000;
    VideoCodec videoCodec = VideoCodec::H264;
};

// Renders one video of `seconds` (the dataset's videos are 10 s) into `file` (.mp4,
// .mkv or .webm; MediaError on failure, and no partial file is left).
void renderSynthVideo(const std::filesystem::path& file, const core::SynthVideo& video,
                      const SynthRenderOptions& options = {}, double seconds = 10.0);

// The class whose board cell covers pixel (x, y), or -1: how tests read a frame back.
int synthBoardCell(const SynthRenderOptions& options, int x, int y);
// The centre pixel of class `cls`'s cell.
std::pair<int, int> synthBoardCentre(const SynthRenderOptions& options, int cls);
// The tone frequency of class `cls` in Hz.
double synthToneHz(int cls);

// Renders every video of `videos` as `<dir>/<11-char id>.mp4` (the layout `avvp import
// --videos` reads). `progress` gets the fraction done.
void renderSynthVideos(const std::filesystem::path& dir,
                       const std::vector<core::SynthVideo>& videos,
                       const SynthRenderOptions& options = {},
                       const std::function<void(double)>& progress = {});

}  // namespace avvp::media

#pragma once
// Renders a SYNTHETIC video that shows and sounds given audio / visual events, so that
// labels without footage can be played: the GUI's demo project renders LLP ground truth
// with it, `avvp synth --render` the synthetic dataset's videos.
//
// Picture: every visual event draws its class's shape and name while it lasts, and a
// strip of 25 cells (one per class, canonical order, two rows inside the centred square of
// the picture: core::synthStripCell) under the caption lights the cells of the classes seen
// at that moment, so tests, users and the SYNTHETIC stand-in encoders
// (models/synthetic_encoders.h) can read the labels back from a frame, also after the
// centre crop of CLIP-style preprocessing. A
// bar at the bottom marks the one-second segments, the caption (default "SYNTHETIC") and a clock
// stand on every frame. Sound: every audio event sounds its class's pure tone
// (classPitch) with a class-specific tremolo, faded over 10 ms at its edges.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/media/video_writer.h"
#include "core/synth.h"
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
    VideoCodec videoCodec = VideoCodec::H264;  // VP9 gets Opus audio, the others AAC
    std::string caption = "SYNTHETIC";         // drawn on every frame (A-Z, 0-9, _-.:() )
};

// Writes `seconds` of video + audio to `file` (.mp4, .mkv or .webm). Throws MediaError
// when the file cannot be written.
void renderLabelVideo(const std::filesystem::path& file, const std::vector<LabelSpan>& events,
                      double seconds, const LabelVideoOptions& options = {});

// The tone of a class in Hz: 220 Hz * 2^(class / 5), five classes to the octave
// (core::synthClassPitch).
double classPitch(int cls);

// The centre pixel of class `cls`'s cell in the class strip (lit while it is seen).
std::pair<int, int> classCellCentre(const LabelVideoOptions& options, int cls);

// A synthetic dataset's video (core/synth.h, segment labels) as label spans.
std::vector<LabelSpan> labelSpans(const core::SynthVideo& video);

// A long synthetic video (core::synthLongVideos, real times) as label spans.
std::vector<LabelSpan> labelSpans(const core::SynthLongVideo& video);

// `avvp synth --render --seconds N`: every long video as `<dir>/<id>.mp4` ("long0000042"),
// its whole length, captioned "SYNTHETIC <id>"; progress and temporary names as below.
void renderSynthLongVideos(const std::filesystem::path& dir,
                           const std::vector<core::SynthLongVideo>& videos,
                           const LabelVideoOptions& options = {.width = 320, .height = 180},
                           core::Progress* progress = nullptr);

// `avvp synth --render`: every video of `videos` as `<dir>/<11-char id>.mp4` (the layout
// `avvp import --videos` reads), 10 s each, captioned "SYNTHETIC <id>"; `progress` gets
// the fraction done (and cancels between videos: core::Cancelled). A video is written
// under a temporary name and renamed when whole.
void renderSynthVideos(const std::filesystem::path& dir,
                       const std::vector<core::SynthVideo>& videos,
                       const LabelVideoOptions& options = {.width = 320, .height = 180},
                       core::Progress* progress = nullptr);

}  // namespace avvp::media

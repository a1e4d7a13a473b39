#pragma once
// Frames and audio for feature extraction, on the one-second segment grid of AVVP.
//
// Visual: `perSecond` frames per segment at t = k + (j + 0.5) / perSecond (one frame per
// second at the segment centre for CLIP; 8 per second for the ResNet layout), each
// preprocessed like CLIP's own transform: the shorter side resized to `size` with bicubic
// filtering (the longer side to floor(size * long / short), as torchvision does), a
// centred size x size crop (offsets rounded half to even, as Python's round()), scaled to
// [0, 1] and normalised per channel with `mean` / `std`; planar CHW float32.
// swscale's bicubic filter is not bit-identical to PIL's, so features differ from a
// Python pipeline by resampling noise, not by geometry.
//
// Audio: `seconds` of mono float PCM at `sampleRate` from the window start (10 s at
// 48 kHz = 480000 samples for CLAP), zero where the file has no audio.
//
// Windows: a video of any length is cut into windows of 10 segments from t = 0. The last
// window is padded: its segments past the end of the video repeat the last frame and
// have silent audio; FeatureWindow::validSegments says how many segments are real.
#include <array>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "core/media/media_info.h"
#include "core/media/video_frame.h"

namespace avvp::media {

struct ImagePreprocess {
    int size = 224;
    std::array<float, 3> mean{0.48145466f, 0.4578275f, 0.40821073f};  // CLIP
    std::array<float, 3> std{0.26862954f, 0.26130258f, 0.27577711f};
};

struct FeatureWindow {
    int index = 0;          // window number
    int firstSegment = 0;   // = index * segments
    int segments = 10;      // segments per window
    int validSegments = 0;  // segments inside the video (the rest is padding)
    double start() const { return static_cast<double>(firstSegment); }
};

// The windows covering `segmentCount` one-second segments (at least one window).
std::vector<FeatureWindow> featureWindows(int segmentCount, int segmentsPerWindow = 10);

// Sample times of `segments` segments from `firstSegment`, `perSecond` per segment.
std::vector<double> segmentSampleTimes(int firstSegment, int segments, int perSecond);

// Size after "shorter side to `size`" (torchvision's rule).
void shortSideResize(int width, int height, int size, int& outWidth, int& outHeight);

// Centre-crops an RGB24 frame (already resized so that its shorter side is p.size) and
// writes 3 x size x size normalised floats to `out`.
void cropAndNormalise(const VideoFrame& rgb, const ImagePreprocess& p, std::span<float> out);

class SegmentSampler {
  public:
    // Opens the video for sampling (throws MediaError; NoVideo when it has none).
    explicit SegmentSampler(const std::filesystem::path& file, ImagePreprocess preprocess = {});
    ~SegmentSampler();
    SegmentSampler(SegmentSampler&&) noexcept;
    SegmentSampler& operator=(SegmentSampler&&) noexcept;

    const MediaInfo& info() const;
    const ImagePreprocess& preprocess() const;
    std::vector<FeatureWindow> windows(int segmentsPerWindow = 10) const;

    // (times.size(), 3, size, size) floats: the frame covering each time (the last frame
    // for times past the end).
    std::vector<float> images(std::span<const double> times);
    // The images of a window: segments * perSecond of them, in time order.
    std::vector<float> windowImages(const FeatureWindow& w, int perSecond = 1);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

class AudioDecoder;

// Mono audio of a window: round(seconds * sampleRate) samples from the window start,
// zero-padded. Throws MediaError (NoAudio when the file has none).
std::vector<float> windowAudio(const std::filesystem::path& file, const FeatureWindow& w,
                               int sampleRate = 48000, double seconds = 10.0);
// The same from an open decoder (mono, at its rate), for several windows of one file.
std::vector<float> windowAudio(AudioDecoder& decoder, const FeatureWindow& w,
                               double seconds = 10.0);

}  // namespace avvp::media

#pragma once
// Writing short videos from generated RGB frames and float PCM: H.264 (libx264), VP9
// (libvpx) or MPEG-4 part 2 video, with AAC or Opus audio, in MP4 / Matroska / WebM /
// MOV (chosen by the file extension). Made for rendering synthetic demo videos and test
// media; not a general transcoder.
//
//   VideoWriterOptions o{.width = 320, .height = 180, .frameRate = {25, 1}, .audio = true};
//   VideoWriter w("demo.mp4", o);
//   w.writeFrame(rgb);          // width*height*3 bytes, as many times as there are frames
//   w.writeAudio(pcm);          // interleaved floats in [-1, 1], any chunk size
//   w.finish();                 // flushes the encoders and writes the index
//
// or in one call with callbacks, see renderVideo(). A writer destroyed without finish()
// (an exception on the way) deletes its partial file. Errors throw MediaError naming the
// file.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "core/media/media_error.h"
#include "core/media/media_info.h"
#include "core/media/video_frame.h"

namespace avvp::media {

enum class VideoCodec { H264, Vp9, Mpeg4 };
enum class AudioCodec { Aac, Opus };

struct VideoWriterOptions {
    int width = 0;  // both even (4:2:0 chroma)
    int height = 0;
    Rational frameRate{25, 1};
    VideoCodec videoCodec = VideoCodec::H264;
    // Constant-quality setting of the codec's own scale: H.264 CRF 0-51 (default 20),
    // VP9 CRF 0-63 (default 32), MPEG-4 qscale 1-31 (default 3). -1 = the default.
    int quality = -1;
    int keyframeInterval = 0;         // frames between keyframes; 0 = 2 seconds
    std::string preset = "veryfast";  // x264 preset (speed / size trade-off)

    bool audio = false;
    AudioCodec audioCodec = AudioCodec::Aac;
    int sampleRate = 48000;  // Opus: 48000, 24000, 16000, 12000 or 8000
    int channels = 1;
    int audioBitRate = 0;  // bits per second; 0 = 64 kb/s per channel

    bool fastStart = true;  // MP4 / MOV: index at the front (plays while downloading)
};

class VideoWriter {
  public:
    VideoWriter(const std::filesystem::path& file, VideoWriterOptions options);
    ~VideoWriter();
    VideoWriter(VideoWriter&&) noexcept;
    VideoWriter& operator=(VideoWriter&&) noexcept;

    const VideoWriterOptions& options() const;
    // One frame of packed RGB24 rows (width * height * 3 bytes).
    void writeFrame(std::span<const std::uint8_t> rgb24);
    // A decoded frame of the writer's size (Rgb24 or Bgra).
    void writeFrame(const VideoFrame& frame);
    // Interleaved float samples at the writer's rate and channel count.
    void writeAudio(std::span<const float> interleaved);
    // Flushes everything and closes the file. Further writes throw.
    void finish();

    std::int64_t framesWritten() const;
    std::int64_t audioFramesWritten() const;  // sample frames

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Draws frame `index` (at time t = index / frameRate) into `rgb` (width*height*3 bytes,
// zero-initialised each time).
using FrameDrawer = std::function<void(std::int64_t index, double t, std::span<std::uint8_t> rgb)>;
// Fills `pcm` (interleaved) with the sample frames starting at `firstFrame`.
using AudioSynth = std::function<void(std::int64_t firstFrame, std::span<float> pcm)>;

// Writes `seconds` of video (round(seconds * frameRate) frames) and, when options.audio
// is set and `audio` given, round(seconds * sampleRate) sample frames, interleaving them.
void renderVideo(const std::filesystem::path& file, const VideoWriterOptions& options,
                 double seconds, const FrameDrawer& draw, const AudioSynth& audio = {});

}  // namespace avvp::media

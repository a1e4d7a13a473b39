#pragma once
// Video decoding to packed RGB at a requested size, with frame-accurate seeking.
//
//   VideoDecoder dec("clip.mp4", {.width = 640});     // height follows the aspect ratio
//   while (auto f = dec.next()) use(*f);              // every frame in presentation order
//   VideoFrame f = dec.seek(3.7);                     // the frame shown at t = 3.7 s
//
// seek(t) returns the frame whose presentation interval [pts, next pts) covers t: it
// seeks the demuxer to the keyframe at or before t and decodes forward (when t lies a
// little ahead of the current position it just decodes forward). Times before the first
// frame give the first frame, times after the last frame the last one. next() after
// seek(t) continues with the frame after the one returned.
//
// Decoding uses FFmpeg's frame and slice threading; frames are converted with swscale
// straight to the output size (the source colour matrix and range are honoured).
// Errors (missing file, no video, unsupported codec, truncated or corrupt data) throw
// MediaError naming the file. Not thread-safe: one decoder per thread.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/media/media_error.h"
#include "core/media/media_info.h"
#include "core/media/video_frame.h"

namespace avvp::media {

enum class Scaling { FastBilinear, Bilinear, Bicubic, Area };

struct VideoDecoderOptions {
    // Output size. 0 x 0: the display size (pixel aspect applied); one of them 0: that one
    // follows the display aspect ratio.
    int width = 0;
    int height = 0;
    PixelFormat format = PixelFormat::Rgb24;
    Scaling scaling = Scaling::Bilinear;
    int threads = 0;  // decoder threads; 0 = as many as useful for this machine
    // seek(t) decodes forward instead of seeking when t is ahead of the last returned
    // frame by at most this many seconds (cheaper than going back to a keyframe).
    double forwardDecodeSeconds = 1.0;
    // While seeking, do not decode frames no other frame references (B-frames) that are
    // shown well before the target; the result is the same frame (checked, and redone
    // without skipping when a skipped frame would have been the answer).
    bool skipUnreferencedWhileSeeking = true;
    // Open files whose data ends before their declared duration (decode what is there)
    // instead of throwing MediaError(Truncated).
    bool allowTruncated = false;
};

struct VideoDecoderStats {
    std::int64_t framesDecoded = 0;
    std::int64_t framesConverted = 0;
    std::int64_t demuxerSeeks = 0;
    std::int64_t decodeErrors = 0;  // packets the decoder refused (concealed or skipped)
    std::string lastDecodeError;
};

class VideoDecoder {
  public:
    explicit VideoDecoder(const std::filesystem::path& file, VideoDecoderOptions options = {});
    ~VideoDecoder();
    VideoDecoder(VideoDecoder&&) noexcept;
    VideoDecoder& operator=(VideoDecoder&&) noexcept;

    const MediaInfo& info() const;
    int outputWidth() const;
    int outputHeight() const;
    PixelFormat outputFormat() const;
    // Changes the output size (same rules as the options); applies to the next frame.
    void setOutputSize(int width, int height);

    // The next frame in presentation order, or nullopt after the last one.
    std::optional<VideoFrame> next();
    // The same into an existing frame (reuses its buffer); false after the last one.
    bool next(VideoFrame& into);
    // Decodes the next frame without converting it; returns its pts, nullopt at the end.
    std::optional<double> skip();
    // Converts the frame the last next() / skip() / seek() stopped on (after skip(): to
    // convert it only when it turns out to be wanted). False when there is none.
    bool convertCurrent(VideoFrame& into);

    // The frame covering t (see above).
    VideoFrame seek(double t);
    void seek(double t, VideoFrame& into);

    const VideoDecoderStats& stats() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Output size for a source of display size srcW x srcH under the rules of
// VideoDecoderOptions::width / height (rounded to even numbers when derived).
void resolveOutputSize(int srcW, int srcH, int& width, int& height);

}  // namespace avvp::media

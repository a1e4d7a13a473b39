#pragma once
// Audio decoding to interleaved float PCM at a requested rate and channel count, with
// sample-accurate seeking, on the media time axis of media_info.h.
//
//   AudioDecoder dec("clip.mp4", {.sampleRate = 48000, .channels = 1});
//   std::vector<float> clap = dec.readWindow(0.0, 10.0);   // 480000 samples, zero-padded
//
// Down-mixing to mono averages the channels with equal weights (as librosa and
// torchaudio do); other layouts use FFmpeg's default matrices. Samples before t = 0 (an
// audio stream that starts before the video) are dropped, gaps at the start are filled
// with silence, so sample i of a read from t is at t + i / rate.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "core/media/media_error.h"
#include "core/media/media_info.h"

namespace avvp::media {

struct AudioFormat {
    int sampleRate = 48000;
    int channels = 1;  // 1 = mono, 2 = stereo, n = FFmpeg's default layout for n
    friend bool operator==(const AudioFormat&, const AudioFormat&) = default;
};

struct AudioDecoderOptions {
    AudioFormat format{};
    bool allowTruncated = false;  // see VideoDecoderOptions::allowTruncated
};

class AudioDecoder {
  public:
    explicit AudioDecoder(const std::filesystem::path& file, AudioDecoderOptions options = {});
    ~AudioDecoder();
    AudioDecoder(AudioDecoder&&) noexcept;
    AudioDecoder& operator=(AudioDecoder&&) noexcept;

    const MediaInfo& info() const;
    const AudioFormat& format() const;

    // Fills `out` (interleaved, a whole number of sample frames) from the current
    // position; returns the sample frames written, fewer than asked only at the end.
    std::size_t read(std::span<float> out);
    // Appends up to `frames` sample frames to `out`; returns how many.
    std::size_t read(std::vector<float>& out, std::size_t frames);
    // Everything from the current position to the end.
    std::vector<float> readAll();

    // Time (seconds) of the next sample frame read returns.
    double position() const;
    // Sample-accurate: the next read starts at t (t < 0 first yields silence up to 0).
    void seek(double t);

    // `seconds` of audio starting at `start` (round(seconds * rate) frames), zero where the
    // file has no audio (before its start, after its end). Moves the position.
    std::vector<float> readWindow(double start, double seconds);

    std::int64_t decodeErrors() const;
    // The most converted samples (floats) held at once, waiting to be read: a few codec
    // frames, whatever the file's length (silence before a late stream start is not held).
    std::size_t peakBuffered() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace avvp::media

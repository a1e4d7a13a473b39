#pragma once
// Decoding a whole file to check it, in bounded memory: every video frame (decoded, not
// converted) and all the audio (mono at 48 kHz, read in small chunks and dropped), with
// the decode errors FFmpeg concealed. What `avvp probe --decode` reports and what the
// feature extraction checks before it writes anything (the decoded fraction, issue 19).
//
//   const auto info = probe("clip.mp4");
//   const DecodeCheck c = checkDecode(info);
//   if (c.decodedFraction() < 0.9) refuse(...);
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/media/media_info.h"

namespace avvp::media {

struct DecodeCheck {
    bool video = false, audio = false;     // which streams were decoded
    std::int64_t videoFrames = 0;          // frames the decoder returned
    std::int64_t expectedVideoFrames = 0;  // the header's frame count, or duration x rate
    double audioSeconds = 0.0;             // audio the decoder returned
    double expectedAudioSeconds = 0.0;     // the audio stream's duration (or the file's)
    std::int64_t decodeErrors = 0;         // packets refused, video and audio together
    // The most audio (in floats) the audio decoder held at once: bounded by a few codec
    // frames, whatever the duration (the regression check of issue 19, item 3).
    std::size_t peakBufferedAudio = 0;

    // Decoded / expected, at most 1; 1 for a stream that was not decoded (or is empty).
    double videoFraction() const;
    double audioFraction() const;
    // The smaller of the two.
    double decodedFraction() const;
    // "98.0 % of the video frames (78 of 80), 24.0 % of the audio (2.40 of 10.00 s),
    // 362 decode errors" (only the streams decoded).
    std::string describe() const;
};

// Decodes the streams of `info` (its video when `video`, its audio when `audio`, where the
// file has them). Throws MediaError (a core::InputError) like the decoders do.
DecodeCheck checkDecode(const MediaInfo& info, bool video = true, bool audio = true);

}  // namespace avvp::media

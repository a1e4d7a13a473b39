#include "core/media/decode_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "core/media/audio_decoder.h"
#include "core/media/video_decoder.h"

namespace avvp::media {

namespace {

constexpr int kCheckRate = 48000;

double fraction(double got, double expected) {
    if (!(expected > 0)) return 1.0;
    return std::clamp(got / expected, 0.0, 1.0);
}

}  // namespace

double DecodeCheck::videoFraction() const {
    return video ? fraction(static_cast<double>(videoFrames),
                            static_cast<double>(expectedVideoFrames))
                 : 1.0;
}

double DecodeCheck::audioFraction() const {
    return audio ? fraction(audioSeconds, expectedAudioSeconds) : 1.0;
}

double DecodeCheck::decodedFraction() const {
    return std::min(videoFraction(), audioFraction());
}

std::string DecodeCheck::describe() const {
    std::string s;
    char buf[160];
    if (video) {
        std::snprintf(buf, sizeof buf, "%.1f %% of the video frames (%lld of %lld), ",
                      100.0 * videoFraction(), static_cast<long long>(videoFrames),
                      static_cast<long long>(expectedVideoFrames));
        s += buf;
    }
    if (audio) {
        std::snprintf(buf, sizeof buf, "%.1f %% of the audio (%.2f of %.2f s), ",
                      100.0 * audioFraction(), audioSeconds, expectedAudioSeconds);
        s += buf;
    }
    std::snprintf(buf, sizeof buf, "%lld decode error%s", static_cast<long long>(decodeErrors),
                  decodeErrors == 1 ? "" : "s");
    return s + buf;
}

DecodeCheck checkDecode(const MediaInfo& info, bool video, bool audio) {
    DecodeCheck c;
    const auto* vs =
        info.hasVideo() ? &info.streams[static_cast<std::size_t>(info.videoStream)] : nullptr;
    const auto* as =
        info.hasAudio() ? &info.streams[static_cast<std::size_t>(info.audioStream)] : nullptr;
    if (video && vs) {
        c.video = true;
        const double rate = vs->frameRate.value();
        const double seconds = vs->duration > 0 ? vs->duration : info.duration;
        c.expectedVideoFrames = vs->frames > 0 ? vs->frames
                                : rate > 0     ? std::llround(seconds * rate)
                                               : 0;
        VideoDecoder v(info.path, {.width = 64});
        while (v.skip()) ++c.videoFrames;
        c.decodeErrors += v.stats().decodeErrors;
    }
    if (audio && as) {
        c.audio = true;
        c.expectedAudioSeconds = as->duration > 0 ? as->duration : info.duration;
        AudioDecoder a(info.path, {.format = {kCheckRate, 1}});
        // Read in small chunks and dropped: memory does not grow with the duration.
        std::vector<float> chunk(4096);
        std::int64_t samples = 0;
        while (const auto n = a.read(chunk)) samples += static_cast<std::int64_t>(n);
        c.peakBufferedAudio = a.peakBuffered();
        c.audioSeconds = static_cast<double>(samples) / kCheckRate;
        c.decodeErrors += a.decodeErrors();
    }
    return c;
}

}  // namespace avvp::media

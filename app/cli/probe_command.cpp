// avvp probe: what a media file holds (MediaInfo), optionally checked by decoding it all.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/media_plugin.h"
#include "app/cli/options.h"
#include "core/error.h"
#include "core/media/decode_check.h"
#include "core/media/media_info.h"
#include "core/quote.h"

namespace avvp::app {

namespace {

constexpr const char* kUsage = R"(usage: avvp probe FILE... [--format text|json] [--decode]

Prints what each media file holds: container, duration, the one-second segment count,
and every stream (codec, size, frame rate, sample rate, channels). A file that cannot be
used is reported on stderr with the reason (missing, empty, not media, truncated,
corrupt, unsupported codec).

options:
  --format F   text | json                                        [default: text]
  --decode     also decode every video frame and all the audio, and report the counts
               and the decode errors FFmpeg concealed

Exit codes: 0 all files readable, 2 a file is not (one line each on stderr).
)";

nlohmann::json toJson(const media::MediaInfo& info) {
    nlohmann::json j = {{"file", info.path.string()},        {"container", info.container},
                        {"duration", info.duration},         {"segments", info.segments()},
                        {"bit_rate", info.bitRate},          {"size", info.fileSize},
                        {"video_stream", info.videoStream},  {"audio_stream", info.audioStream},
                        {"streams", nlohmann::json::array()}};
    for (const auto& s : info.streams) {
        nlohmann::json o = {{"index", s.index}, {"kind", media::streamKindName(s.kind)},
                            {"codec", s.codec}, {"decodable", s.decodable},
                            {"start", s.start}, {"duration", s.duration}};
        if (s.kind == media::StreamKind::Video) {
            o["width"] = s.width;
            o["height"] = s.height;
            o["frame_rate"] = s.frameRate.value();
            o["frame_rate_ratio"] =
                std::to_string(s.frameRate.num) + "/" + std::to_string(s.frameRate.den);
            o["variable_frame_rate"] = s.variableFrameRate;
            o["pixel_format"] = s.pixelFormat;
            o["frames"] = s.frames;
        } else if (s.kind == media::StreamKind::Audio) {
            o["sample_rate"] = s.sampleRate;
            o["channels"] = s.channels;
            o["channel_layout"] = s.channelLayout;
        }
        j["streams"].push_back(o);
    }
    return j;
}

}  // namespace

int probeCommand(int argc, char** argv) {
    std::vector<std::string> files;
    std::vector<char*> rest = {argv[0]};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--", 0) == 0 || a == "-h") {
            rest.push_back(argv[i]);
            if (a == "--format" && i + 1 < argc) rest.push_back(argv[++i]);
        } else {
            files.push_back(a);
        }
    }
    try {
        const Options opt(static_cast<int>(rest.size()), rest.data(), {"format"}, {"decode"});
        if (opt.help()) {
            std::fputs(kUsage, stdout);
            return 0;
        }
        const auto format = opt.get("format", "text");
        if (format != "text" && format != "json") throw UsageError("--format must be text or json");
        if (files.empty()) throw UsageError("name at least one media file");
        int bad = 0;
        nlohmann::json all = nlohmann::json::array();
        for (const auto& f : files) {
            try {
                const auto info = media::probe(f);
                nlohmann::json decoded;
                std::string decodedText;
                if (opt.has("decode")) {
                    // Streams: counts only, nothing decoded is kept (bounded memory).
                    const auto c = media::checkDecode(info);
                    decoded = {{"video_frames", c.videoFrames},
                               {"audio_seconds", c.audioSeconds},
                               {"decode_errors", c.decodeErrors},
                               {"decoded_fraction", c.decodedFraction()}};
                    if (c.video) {
                        decoded["expected_video_frames"] = c.expectedVideoFrames;
                        decoded["video_fraction"] = c.videoFraction();
                    }
                    if (c.audio) {
                        decoded["expected_audio_seconds"] = c.expectedAudioSeconds;
                        decoded["audio_fraction"] = c.audioFraction();
                    }
                    char buf[200];
                    std::snprintf(
                        buf, sizeof buf,
                        "decoded: %lld video frames, %.3f s of audio, %lld decode errors\n",
                        static_cast<long long>(c.videoFrames), c.audioSeconds,
                        static_cast<long long>(c.decodeErrors));
                    decodedText = buf;
                    if (c.video || c.audio)
                        decodedText += "decoded fraction: " + c.describe() + "\n";
                }
                if (format == "json") {
                    auto j = toJson(info);
                    if (!decoded.is_null()) j["decoded"] = decoded;
                    all.push_back(j);
                } else {
                    std::cout << media::describe(info) << decodedText;
                    if (files.size() > 1) std::cout << "\n";
                }
            } catch (const core::InputError& e) {
                std::fprintf(stderr, "avvp probe: error: %s\n", core::oneLine(e.what()).c_str());
                ++bad;
            }
        }
        if (format == "json") std::cout << all.dump(2) << "\n";
        std::cout.flush();
        return bad ? 2 : 0;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avvp probe: %s (see avvp probe --help)\n",
                     core::oneLine(e.what()).c_str());
        return 2;
    }
}

}  // namespace avvp::app

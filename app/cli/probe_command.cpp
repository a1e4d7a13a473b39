// avvp probe: what a media file holds (MediaInfo), optionally checked by decoding it all.
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/media_plugin.h"
#include "app/cli/options.h"
#include "core/media/audio_decoder.h"
#include "core/media/media_info.h"
#include "core/media/video_decoder.h"

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
                    std::int64_t frames = 0, errors = 0, samples = 0;
                    if (info.hasVideo()) {
                        media::VideoDecoder v(f, {.width = 64});
                        while (v.skip()) ++frames;
                        errors += v.stats().decodeErrors;
                    }
                    if (info.hasAudio()) {
                        media::AudioDecoder a(f, {.format = {48000, 1}});
                        samples = static_cast<std::int64_t>(a.readAll().size());
                        errors += a.decodeErrors();
                    }
                    decoded = {{"video_frames", frames},
                               {"audio_seconds", samples / 48000.0},
                               {"decode_errors", errors}};
                    char buf[200];
                    std::snprintf(
                        buf, sizeof buf,
                        "decoded: %lld video frames, %.3f s of audio, %lld decode errors\n",
                        static_cast<long long>(frames), samples / 48000.0,
                        static_cast<long long>(errors));
                    decodedText = buf;
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
                std::fprintf(stderr, "avvp probe: error: %s\n", e.what());
                ++bad;
            }
        }
        if (format == "json") std::cout << all.dump(2) << "\n";
        std::cout.flush();
        return bad ? 2 : 0;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avvp probe: %s (see avvp probe --help)\n", e.what());
        return 2;
    }
}

}  // namespace avvp::app

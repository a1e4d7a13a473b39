// avvp features: VALOR-layout features of videos with TorchScript encoders.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "app/cli/media_plugin.h"
#include "app/cli/options.h"
#include "app/common/feature_extraction.h"
#include "core/error.h"
#include "core/media/media_error.h"
#include "core/progress.h"
#include "core/quote.h"

namespace avvp::app {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kUsage =
    R"(usage: avvp features --encoders DIR --videos PATH... --out DIR [options]

Extracts features in VALOR's layout with the TorchScript encoders of DIR (its
manifest.json; tools/export_encoders.py makes CLIP ViT-L/14 and LAION-CLAP ones):
  <out>/visual/<id>.npy   image features, (10 * frames_per_second, dim): CLIP (10, 768)
  <out>/audio/<id>.npy    audio features, the manifest's shape: CLAP tokens (64, 768)
(the folder names come from the manifest). <id> is the video's file name without its
extension. Frames are sampled at the centre of every one-second segment (8 per second
for a ResNet-layout encoder) and preprocessed as CLIP does; audio is decoded to mono at
the encoder's rate (48 kHz for CLAP), 10 s per window.

Videos longer than 10 s are cut into 10-second windows written as <id>_<start>_<end>.npy
(LLP's naming); the last window is padded (its frames repeat the last frame, its audio
is silence). <out>/index.tsv lists every file with its video, window and valid segments.
A video without audio gets audio features of silence (noted on stderr). Each video is
first decoded whole to check it: a damaged one (decode errors, missing frames or audio)
is noted on stderr with its decoded fraction, and refused below --min-decoded.

options:
  --encoders DIR     encoder folder with manifest.json (required)
  --videos PATH...   video files, folders (their video files, not recursive) or @LIST
                     (a text file with one path per line); several may follow (required)
  --out DIR          output folder, created when missing (required)
  --device D         auto | cpu | cuda | cuda:N                        [default: auto]
  --only M           visual | audio: run only that encoder
  --overwrite        recompute features that exist already (default: skip those videos)
  --min-decoded F    refuse a damaged video: one whose decoded fraction (video frames
                     decoded / expected, audio seconds decoded / its duration, of the
                     streams the encoders use) is below F, 0..1 or a percentage; nothing
                     is written for it; 0 accepts any                    [default: 0.9]
  --quiet            no progress line on stderr

Exit codes: 0 all videos done, 2 bad usage or input (one line per failed video on stderr;
the other videos are still written).
)";

const std::set<std::string> kVideoExtensions = {".mp4", ".mkv", ".webm", ".avi", ".mov",
                                                ".m4v", ".mpg", ".mpeg", ".flv", ".wmv",
                                                ".ogv", ".ts",  ".3gp",  ".mts", ".m2ts"};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::vector<fs::path> collectVideos(const std::vector<std::string>& args) {
    std::vector<fs::path> out;
    for (const auto& a : args) {
        if (a.size() > 1 && a[0] == '@') {
            const fs::path list = a.substr(1);
            std::ifstream in(list);
            if (!in) throw core::InputError(list.string(), 0, "cannot read the video list");
            std::string line;
            while (std::getline(in, line)) {
                while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
                    line.pop_back();
                if (!line.empty() && line[0] != '#') out.emplace_back(line);
            }
            continue;
        }
        std::error_code ec;
        if (fs::is_directory(a, ec)) {
            std::vector<fs::path> inFolder;
            for (const auto& e : fs::directory_iterator(a, ec))
                if (e.is_regular_file() &&
                    kVideoExtensions.contains(lower(e.path().extension().string())))
                    inFolder.push_back(e.path());
            std::sort(inFolder.begin(), inFolder.end());
            if (inFolder.empty()) throw core::InputError(a, 0, "folder holds no video files");
            out.insert(out.end(), inFolder.begin(), inFolder.end());
        } else {
            out.emplace_back(a);
        }
    }
    return out;
}

double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int featuresCommand(int argc, char** argv) {
    // --videos takes every following argument up to the next option.
    std::vector<std::string> videoArgs;
    std::vector<char*> rest = {argv[0]};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--videos") {
            while (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0)
                videoArgs.emplace_back(argv[++i]);
            if (videoArgs.empty()) videoArgs.emplace_back("");  // reported below
        } else if (a.rfind("--videos=", 0) == 0) {
            videoArgs.push_back(a.substr(9));
        } else {
            rest.push_back(argv[i]);
        }
    }
    try {
        const Options opt(static_cast<int>(rest.size()), rest.data(),
                          {"encoders", "out", "device", "only", "min-decoded"},
                          {"overwrite", "quiet"});
        if (opt.help()) {
            std::fputs(kUsage, stdout);
            return 0;
        }
        const fs::path encodersDir = opt.require("encoders");
        const fs::path out = opt.require("out");
        if (videoArgs.empty() || (videoArgs.size() == 1 && videoArgs[0].empty()))
            throw UsageError("missing required option --videos");
        const auto only = opt.get("only", "");
        if (!only.empty() && only != "audio" && only != "visual")
            throw UsageError("--only must be audio or visual, not " + core::quote(only));
        const bool quiet = opt.has("quiet");
        double minDecoded = FeatureExtractor::kDefaultMinDecoded;
        if (opt.has("min-decoded")) {
            auto text = opt.get("min-decoded", "");
            const bool percent = !text.empty() && text.back() == '%';
            if (percent) text.pop_back();
            std::size_t used = 0;
            try {
                minDecoded = std::stod(text, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (percent) minDecoded /= 100.0;
            if (used == 0 || used != text.size() || !(minDecoded >= 0.0 && minDecoded <= 1.0))
                throw UsageError(
                    "--min-decoded must be a fraction from 0 to 1 (or 0% to 100%), "
                    "not " +
                    core::quote(opt.get("min-decoded", "")));
        }
        const auto videos = collectVideos(videoArgs);

        const FeatureStreams streams = only == "audio"    ? FeatureStreams::Audio
                                       : only == "visual" ? FeatureStreams::Visual
                                                          : FeatureStreams::Both;
        std::optional<FeatureExtractor> extractor;
        try {
            extractor.emplace(encodersDir, opt.get("device", "auto"), streams);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }

        std::error_code ec;
        for (const auto& kind : extractor->kinds()) {
            fs::create_directories(out / kind, ec);
            if (ec) break;
        }
        if (ec)
            throw core::InputError(out.string(), 0,
                                   "cannot create the output folder: " + ec.message());

        std::map<std::string, fs::path> ids;
        std::vector<ExtractedVideo> index;
        int done = 0, failed = 0, skipped = 0, windowsWritten = 0;
        const auto t0 = Clock::now();
        core::ProgressLine progress("avvp features", !quiet);
        const FeatureExtractor::Options options{.overwrite = opt.has("overwrite"),
                                                .minDecoded = minDecoded};
        double lowestDecoded = 1.0;
        std::int64_t decodeErrors = 0;
        for (std::size_t vi = 0; vi < videos.size(); ++vi) {
            const auto& video = videos[vi];
            const double n = static_cast<double>(videos.size());
            core::ProgressRange part(progress, static_cast<double>(vi) / n,
                                     static_cast<double>(vi + 1) / n, video.filename().string());
            progress.update(static_cast<double>(vi) / n, video.filename().string());
            try {
                const std::string id = video.stem().string();
                if (auto [it, fresh] = ids.emplace(id, video); !fresh)
                    throw core::InputError(video.string(), 0,
                                           "same id " + core::quote(id) + " as " +
                                               it->second.string() + " (rename one)");
                ExtractedVideo v;
                try {
                    v = extractor->extract(video, id, out, options, &part);
                } catch (const media::MediaError& e) {
                    if (e.kind() != media::MediaErrorKind::NoVideo) throw;
                    throw media::MediaError(
                        e.kind(), video.string(),
                        "no video stream for the image encoder (use --only audio)");
                }
                v.commit();
                if (v.silentAudio) {
                    progress.clear();
                    std::fprintf(stderr,
                                 "avvp features: note: %s has no audio stream: its audio "
                                 "features are those of silence\n",
                                 core::oneLine(video.string()).c_str());
                }
                if (!v.skipped && (v.decodedFraction < 1.0 || v.decodeErrors > 0)) {
                    progress.clear();
                    std::fprintf(stderr, "avvp features: note: %s: decoded %s\n",
                                 core::oneLine(video.string()).c_str(), v.decodeSummary.c_str());
                }
                lowestDecoded = std::min(lowestDecoded, v.decodedFraction);
                decodeErrors += v.decodeErrors;
                if (v.skipped) {
                    ++skipped;
                } else {
                    ++done;
                    windowsWritten += static_cast<int>(v.windows.size());
                }
                index.push_back(std::move(v));
            } catch (const core::InputError& e) {
                progress.clear();
                std::fprintf(stderr, "avvp features: error: %s\n", core::oneLine(e.what()).c_str());
                ++failed;
            }
        }
        progress.clear();
        if (!index.empty()) writeFeatureIndex(out, index);
        std::printf(
            "features: %d video(s) written (%d window(s)), %d skipped (already there), %d failed, "
            "in %.1f s on %s\n",
            done, windowsWritten, skipped, failed, since(t0), extractor->device().c_str());
        std::printf(
            "  decoded: the lowest fraction %.1f %% (at least %g %% needed), %lld decode "
            "error(s) in all\n",
            100.0 * lowestDecoded, 100.0 * minDecoded, static_cast<long long>(decodeErrors));
        const auto& t = extractor->timings();
        std::printf("  encoder loading %.2f s, decoding + preprocessing %.2f s, encoders %.2f s\n",
                    t.loadSeconds, t.decodeSeconds, t.encodeSeconds);
        return failed ? 2 : 0;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avvp features: %s (see avvp features --help)\n",
                     core::oneLine(e.what()).c_str());
        return 2;
    } catch (const core::InputError& e) {
        std::fprintf(stderr, "avvp features: error: %s\n", core::oneLine(e.what()).c_str());
        return 2;
    }
}

}  // namespace avvp::app

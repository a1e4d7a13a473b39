// avvp features: VALOR-layout features of videos with TorchScript encoders.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "app/cli/media_plugin.h"
#include "app/cli/options.h"
#include "core/error.h"
#include "core/media/audio_decoder.h"
#include "core/media/media_info.h"
#include "core/media/segment_sampler.h"
#include "core/npy.h"
#include "core/progress.h"
#include "models/encoders.h"

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
A video without audio gets audio features of silence (noted on stderr).

options:
  --encoders DIR     encoder folder with manifest.json (required)
  --videos PATH...   video files, folders (their video files, not recursive) or @LIST
                     (a text file with one path per line); several may follow (required)
  --out DIR          output folder, created when missing (required)
  --device D         auto | cpu | cuda | cuda:N                        [default: auto]
  --only M           visual | audio: run only that encoder
  --overwrite        recompute features that exist already (default: skip those videos)
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

// Written next to the target and renamed into place, so no half-written file remains.
void writeFeatures(const fs::path& file, std::span<const float> data,
                   const std::vector<std::int64_t>& shape) {
    auto tmp = file;
    tmp += ".part";
    core::writeNpy(tmp, data, shape);
    std::error_code ec;
    fs::rename(tmp, file, ec);
    if (ec) throw core::InputError(file.string(), 0, "cannot write: " + ec.message());
}

std::string windowName(const std::string& id, const media::FeatureWindow& w, std::size_t windows) {
    if (windows == 1) return id;
    return id + "_" + std::to_string(w.firstSegment) + "_" +
           std::to_string(w.firstSegment + w.segments);
}

struct IndexRow {
    std::string name, video;
    int start = 0, end = 0, valid = 0;
    double duration = 0;
};

void writeIndex(const fs::path& out, const std::vector<IndexRow>& rows) {
    // Keep the rows of earlier runs for videos this run did not touch.
    const auto file = out / "index.tsv";
    std::map<std::string, std::string> lines;
    std::set<std::string> touched;
    for (const auto& r : rows) touched.insert(r.video);
    if (std::ifstream in(file); in) {
        std::string line;
        std::getline(in, line);  // header
        while (std::getline(in, line)) {
            std::istringstream ss(line);
            std::string name, video;
            std::getline(ss, name, '\t');
            std::getline(ss, video, '\t');
            if (!name.empty() && !touched.contains(video)) lines[name] = line;
        }
    }
    for (const auto& r : rows) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "\t%d\t%d\t%d\t%.3f", r.start, r.end, r.valid, r.duration);
        lines[r.name] = r.name + "\t" + r.video + buf;
    }
    auto tmp = file;
    tmp += ".part";
    {
        std::ofstream o(tmp, std::ios::trunc);
        o << "name\tvideo\tstart\tend\tvalid_segments\tduration\n";
        for (const auto& [name, line] : lines) o << line << "\n";
        if (!o) throw core::InputError(file.string(), 0, "cannot write");
    }
    fs::rename(tmp, file);
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
                          {"encoders", "out", "device", "only"}, {"overwrite", "quiet"});
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
            throw UsageError("--only must be audio or visual, not '" + only + "'");
        const bool quiet = opt.has("quiet");
        const auto videos = collectVideos(videoArgs);

        const auto tLoad = Clock::now();
        std::optional<models::EncoderSet> encoders;
        try {
            encoders.emplace(encodersDir, opt.get("device", "auto"));
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
        const auto& manifest = encoders->manifest();
        const bool doImage = manifest.image && only != "audio";
        const bool doAudio = manifest.audio && only != "visual";
        if (only == "audio" && !manifest.audio)
            throw UsageError("the encoder folder has no audio encoder");
        if (only == "visual" && !manifest.image)
            throw UsageError("the encoder folder has no image encoder");
        const double loadSeconds = since(tLoad);

        std::error_code ec;
        if (doImage) fs::create_directories(out / manifest.image->folder, ec);
        if (!ec && doAudio) fs::create_directories(out / manifest.audio->folder, ec);
        if (ec)
            throw core::InputError(out.string(), 0,
                                   "cannot create the output folder: " + ec.message());

        std::map<std::string, fs::path> ids;
        std::vector<IndexRow> index;
        int done = 0, failed = 0, skipped = 0, windowsWritten = 0;
        double decodeSeconds = 0, encodeSeconds = 0;
        const auto t0 = Clock::now();
        core::ProgressLine progress("avvp features", !quiet);
        for (std::size_t vi = 0; vi < videos.size(); ++vi) {
            const auto& video = videos[vi];
            progress.update(static_cast<double>(vi) / static_cast<double>(videos.size()),
                            video.filename().string());
            try {
                const std::string id = video.stem().string();
                if (auto [it, fresh] = ids.emplace(id, video); !fresh)
                    throw core::InputError(
                        video.string(), 0,
                        "same id '" + id + "' as " + it->second.string() + " (rename one)");
                const auto info = media::probe(video);
                const auto windows = media::featureWindows(info.segments());
                std::vector<std::string> names;
                for (const auto& w : windows) names.push_back(windowName(id, w, windows.size()));

                bool exists = !opt.has("overwrite");
                for (const auto& n : names) {
                    if (doImage)
                        exists = exists && fs::exists(out / manifest.image->folder / (n + ".npy"));
                    if (doAudio)
                        exists = exists && fs::exists(out / manifest.audio->folder / (n + ".npy"));
                }
                if (exists) {
                    ++skipped;
                } else {
                    if (doImage) {
                        if (!info.hasVideo())
                            throw media::MediaError(
                                media::MediaErrorKind::NoVideo, video.string(),
                                "no video stream for the image encoder (use --only audio)");
                        const auto& s = *manifest.image;
                        media::SegmentSampler sampler(
                            video, {.size = s.size, .mean = s.mean, .std = s.std});
                        for (std::size_t k = 0; k < windows.size(); ++k) {
                            auto t = Clock::now();
                            const auto images = sampler.windowImages(windows[k], s.framesPerSecond);
                            decodeSeconds += since(t);
                            t = Clock::now();
                            const std::int64_t n =
                                static_cast<std::int64_t>(windows[k].segments) * s.framesPerSecond;
                            const auto feats = encoders->encodeImages(images, n);
                            encodeSeconds += since(t);
                            writeFeatures(out / s.folder / (names[k] + ".npy"), feats, {n, s.dim});
                        }
                    }
                    if (doAudio) {
                        const auto& s = *manifest.audio;
                        std::optional<media::AudioDecoder> audio;
                        if (info.hasAudio()) {
                            audio.emplace(video,
                                          media::AudioDecoderOptions{.format = {s.sampleRate, 1}});
                        } else {
                            progress.clear();
                            std::fprintf(stderr,
                                         "avvp features: note: %s has no audio stream: its audio "
                                         "features are those of silence\n",
                                         video.string().c_str());
                        }
                        for (std::size_t k = 0; k < windows.size(); ++k) {
                            auto t = Clock::now();
                            const auto samples =
                                audio ? media::windowAudio(*audio, windows[k], s.seconds)
                                      : std::vector<float>(static_cast<std::size_t>(s.samples()),
                                                           0.0f);
                            decodeSeconds += since(t);
                            t = Clock::now();
                            const auto feats = encoders->encodeAudio(samples);
                            encodeSeconds += since(t);
                            writeFeatures(out / s.folder / (names[k] + ".npy"), feats, s.shape);
                        }
                    }
                    ++done;
                    windowsWritten += static_cast<int>(windows.size());
                }
                for (std::size_t k = 0; k < windows.size(); ++k)
                    index.push_back({names[k], video.string(), windows[k].firstSegment,
                                     windows[k].firstSegment + windows[k].segments,
                                     windows[k].validSegments, info.duration});
            } catch (const core::InputError& e) {
                progress.clear();
                std::fprintf(stderr, "avvp features: error: %s\n", e.what());
                ++failed;
            }
        }
        progress.clear();
        if (!index.empty()) writeIndex(out, index);
        std::printf(
            "features: %d video(s) written (%d window(s)), %d skipped (already there), %d failed, "
            "in %.1f s on %s\n",
            done, windowsWritten, skipped, failed, since(t0), encoders->device().c_str());
        std::printf("  encoder loading %.2f s, decoding + preprocessing %.2f s, encoders %.2f s\n",
                    loadSeconds, decodeSeconds, encodeSeconds);
        return failed ? 2 : 0;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avvp features: %s (see avvp features --help)\n", e.what());
        return 2;
    } catch (const core::InputError& e) {
        std::fprintf(stderr, "avvp features: error: %s\n", e.what());
        return 2;
    }
}

}  // namespace avvp::app

#include "app/common/feature_extraction.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/error.h"
#include "core/features.h"
#include "core/media/audio_decoder.h"
#include "core/media/decode_check.h"
#include "core/media/media_error.h"
#include "core/media/media_info.h"
#include "core/media/segment_sampler.h"
#include "core/npy.h"
#include "core/output_file.h"
#include "core/taxonomy.h"
#include "models/encoders.h"

namespace avvp::app {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

fs::path partOf(const fs::path& file) {
    auto tmp = file;
    tmp += ".part";
    return tmp;
}

}  // namespace

void ExtractedVideo::commit() {
    if (!pending_) return;
    pending_ = false;
    for (const auto& f : files) {
        std::error_code ec;
        fs::rename(partOf(f.path), f.path, ec);
        if (ec) {
            // Leave no .part behind: the rest of this video is removed.
            for (const auto& g : files) fs::remove(partOf(g.path), ec);
            throw core::InputError(f.path.string(), 0, "cannot write: " + ec.message());
        }
    }
}

void ExtractedVideo::discard() {
    if (!pending_) return;
    pending_ = false;
    std::error_code ec;
    for (const auto& f : files) fs::remove(partOf(f.path), ec);
}

FeatureExtractor::FeatureExtractor(const fs::path& encoders, const std::string& device,
                                   FeatureStreams streams) {
    const auto t = Clock::now();
    encoders_ = std::make_unique<models::EncoderSet>(encoders, device);
    const auto& m = encoders_->manifest();
    if (streams == FeatureStreams::Audio && !m.audio)
        throw std::invalid_argument("the encoder folder has no audio encoder");
    if (streams == FeatureStreams::Visual && !m.image)
        throw std::invalid_argument("the encoder folder has no image encoder");
    image_ = m.image.has_value() && streams != FeatureStreams::Audio;
    audio_ = m.audio.has_value() && streams != FeatureStreams::Visual;
    timings_.loadSeconds = since(t);
}

FeatureExtractor::~FeatureExtractor() = default;

const models::EncoderManifest& FeatureExtractor::manifest() const {
    return encoders_->manifest();
}

const std::string& FeatureExtractor::device() const {
    return encoders_->device();
}

std::vector<std::string> FeatureExtractor::kinds() const {
    std::vector<std::string> out;
    if (image_) out.push_back(manifest().image->folder);
    if (audio_) out.push_back(manifest().audio->folder);
    return out;
}

ExtractedVideo FeatureExtractor::extract(const fs::path& video, const std::string& id,
                                         const fs::path& out, const Options& options,
                                         core::Progress* progress) {
    const auto& manifest = encoders_->manifest();
    ExtractedVideo result;
    result.video = video;
    result.id = id;
    const auto info = media::probe(video);
    result.duration = info.duration;
    const int segments = options.segments.value_or(info.segments());
    const auto windows = media::featureWindows(segments, core::kWindowSegments);
    const int count = static_cast<int>(windows.size());
    for (const auto& w : windows)
        result.windows.push_back({core::featureWindowName(id, w.index, count), w.firstSegment,
                                  w.firstSegment + w.segments, w.validSegments});
    std::vector<std::int64_t> imageShape, audioShape;
    if (image_) {
        const auto& s = *manifest.image;
        imageShape = {static_cast<std::int64_t>(core::kWindowSegments) * s.framesPerSecond, s.dim};
        for (const auto& w : result.windows)
            result.files.push_back({s.folder, out / s.folder / (w.name + ".npy"), imageShape});
    }
    if (audio_) {
        const auto& s = *manifest.audio;
        audioShape = s.shape;
        for (const auto& w : result.windows)
            result.files.push_back({s.folder, out / s.folder / (w.name + ".npy"), audioShape});
    }
    if (!options.overwrite) {
        bool exists = true;
        for (const auto& f : result.files) exists = exists && fs::exists(f.path);
        if (exists) {
            result.skipped = true;
            return result;
        }
    }
    if (image_ && !info.hasVideo())
        throw media::MediaError(media::MediaErrorKind::NoVideo, video.string(),
                                "no video stream for the image encoder");

    // A damaged file (corrupt packets the decoders skip or conceal) is refused before
    // anything is written for it; the check decodes the streams the encoders use.
    {
        core::step(progress, 0.0, "checking the decoding");
        const auto t = Clock::now();
        const auto check = media::checkDecode(info, image_, audio_);
        timings_.decodeSeconds += since(t);
        result.decodedFraction = check.decodedFraction();
        result.decodeErrors = check.decodeErrors;
        result.decodeSummary = check.describe();
        if (result.decodedFraction < options.minDecoded) {
            char need[64];
            std::snprintf(need, sizeof need, "%g %%", 100.0 * options.minDecoded);
            throw core::InputError(video.string(), 0,
                                   "damaged media: decoded only " + result.decodeSummary +
                                       " (at least " + need +
                                       " needed; no features written for it)");
        }
    }

    // From here on files are written: remove them on the way out of an exception.
    result.pending_ = true;
    struct Guard {
        ExtractedVideo& v;
        bool armed = true;
        ~Guard() {
            if (armed) v.discard();
        }
    } guard{result};
    const int steps = (image_ ? count : 0) + (audio_ ? count : 0);
    int done = 0;
    const auto stepTo = [&](const char* what, int k) {
        char stage[96];
        std::snprintf(stage, sizeof stage, "%s window %d of %d", what, k + 1, count);
        core::step(progress, static_cast<double>(done) / std::max(1, steps), stage);
    };
    const auto write = [](const fs::path& file, std::span<const float> data,
                          const std::vector<std::int64_t>& shape) {
        core::writeNpy(partOf(file), data, shape);
    };
    std::size_t fileIndex = 0;
    if (image_) {
        const auto& s = *manifest.image;
        media::SegmentSampler sampler(video, {.size = s.size, .mean = s.mean, .std = s.std});
        for (int k = 0; k < count; ++k) {
            stepTo("visual", k);
            auto t = Clock::now();
            const auto images =
                sampler.windowImages(windows[static_cast<std::size_t>(k)], s.framesPerSecond);
            timings_.decodeSeconds += since(t);
            t = Clock::now();
            const auto feats = encoders_->encodeImages(images, imageShape[0]);
            timings_.encodeSeconds += since(t);
            write(result.files[fileIndex++].path, feats, imageShape);
            ++done;
        }
    }
    if (audio_) {
        const auto& s = *manifest.audio;
        std::optional<media::AudioDecoder> audio;
        if (info.hasAudio())
            audio.emplace(video, media::AudioDecoderOptions{.format = {s.sampleRate, 1}});
        else
            result.silentAudio = true;
        for (int k = 0; k < count; ++k) {
            stepTo("audio", k);
            auto t = Clock::now();
            const auto samples =
                audio ? media::windowAudio(*audio, windows[static_cast<std::size_t>(k)], s.seconds)
                      : std::vector<float>(static_cast<std::size_t>(s.samples()), 0.0f);
            timings_.decodeSeconds += since(t);
            t = Clock::now();
            const auto feats = encoders_->encodeAudio(samples);
            timings_.encodeSeconds += since(t);
            write(result.files[fileIndex++].path, feats, audioShape);
            ++done;
        }
    }
    core::report(progress, 1.0, "written");
    guard.armed = false;
    return result;
}

void writeFeatureIndex(const fs::path& out, const std::vector<ExtractedVideo>& videos) {
    // Keep the rows of earlier runs for videos this run did not touch.
    const auto file = out / "index.tsv";
    std::map<std::string, std::string> lines;
    std::set<std::string> touched;
    for (const auto& v : videos) touched.insert(v.video.string());
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
    for (const auto& v : videos)
        for (const auto& w : v.windows) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "\t%d\t%d\t%d\t%.3f", w.start, w.end, w.valid,
                          v.duration);
            lines[w.name] = w.name + "\t" + v.video.string() + buf;
        }
    // Whole or not at all: a full disk leaves the old index as it was.
    core::writeFileWith(file, [&](std::ostream& o) {
        o << "name\tvideo\tstart\tend\tvalid_segments\tduration\n";
        for (const auto& [name, line] : lines) o << line << "\n";
    });
}

}  // namespace avvp::app

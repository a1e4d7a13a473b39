#include "core/synth.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.h"
#include "core/llp_files.h"
#include "core/npy.h"
#include "core/rng.h"

namespace avvp::core {

namespace fs = std::filesystem;

namespace {

using Rng = SplitMix64;

std::uint64_t streamSeed(std::uint64_t seed, std::uint64_t index, std::uint64_t purpose) {
    Rng r(seed ^ (index * 0xD1B54A32D192ED03ULL) ^ (purpose * 0x8CB92BA72F3D8DD7ULL));
    r.next();
    return r.next();
}

// Unit vectors, one per class, in a `dim`-dimensional space.
std::vector<float> prototypes(std::uint64_t seed, std::int64_t dim) {
    Rng rng(seed);
    const auto d = static_cast<std::size_t>(dim);
    std::vector<float> p(kNumClasses * d);
    for (std::size_t c = 0; c < kNumClasses; ++c) {
        double norm = 0.0;
        for (std::size_t i = 0; i < d; ++i) {
            const double v = rng.normal();
            p[c * d + i] = static_cast<float>(v);
            norm += v * v;
        }
        const auto inv = static_cast<float>(1.0 / std::sqrt(norm));
        for (std::size_t i = 0; i < d; ++i) p[c * d + i] *= inv;
    }
    return p;
}

Event randomInterval(Rng& rng, int cls) {
    if (rng.chance(0.35)) return {cls, 0, kLlpSegments};
    const int len = 1 + rng.below(kLlpSegments - 1);
    const int onset = rng.below(kLlpSegments - len + 1);
    return {cls, onset, onset + len};
}

int weightedClass(Rng& rng, ClassSet taken) {
    // Speech is three times as common as any other class, as in LLP.
    double total = 0.0;
    for (int c = 0; c < kNumClasses; ++c)
        if (!hasClass(taken, c)) total += c == 0 ? 3.0 : 1.0;
    double u = rng.uniform() * total;
    for (int c = 0; c < kNumClasses; ++c) {
        if (hasClass(taken, c)) continue;
        u -= c == 0 ? 3.0 : 1.0;
        if (u < 0.0) return c;
    }
    for (int c = kNumClasses - 1; c >= 0; --c)
        if (!hasClass(taken, c)) return c;
    return 0;
}

// VALOR-style pseudo labels: the true grid with boundary jitter, missed cells, and false
// positives only among the video's own classes (VALOR filters by the weak labels).
LabelGrid pseudoLabels(Rng& rng, const std::vector<Event>& events, ClassSet weak) {
    LabelGrid g;
    for (auto e : events) {
        if (rng.chance(0.3))
            e.onset = std::clamp(e.onset + (rng.chance(0.5) ? 1 : -1), 0, e.offset - 1);
        if (rng.chance(0.3))
            e.offset = std::clamp(e.offset + (rng.chance(0.5) ? 1 : -1), e.onset + 1, kLlpSegments);
        g.fill(e);
    }
    for (int c = 0; c < kNumClasses; ++c) {
        if (!hasClass(weak, c)) continue;
        for (int t = 0; t < kLlpSegments; ++t) {
            if (g.at(c, t)) {
                if (rng.chance(0.08)) g.set(c, t, false);
            } else if (rng.chance(0.04)) {
                g.set(c, t, true);
            }
        }
    }
    return g;
}

std::string videoId(std::size_t i) {
    char id[16];
    std::snprintf(id, sizeof id, "synth%06zu", i);
    return id;
}

std::vector<std::int64_t> pseudoArray(const LabelGrid& g) {
    std::vector<std::int64_t> out(kLlpSegments * kNumClasses);
    for (int t = 0; t < kLlpSegments; ++t)
        for (int c = 0; c < kNumClasses; ++c)
            out[static_cast<std::size_t>(t * kNumClasses + c)] = g.at(c, t) ? 1 : 0;
    return out;
}

nlohmann::json eventsJson(const std::vector<Event>& events) {
    auto a = nlohmann::json::array();
    for (const auto& e : events)
        a.push_back({{"class", std::string(kClassNames[static_cast<std::size_t>(e.cls)])},
                     {"onset", e.onset},
                     {"offset", e.offset}});
    return a;
}

}  // namespace

SynthGenerator::SynthGenerator(const SynthOptions& options) : options_(options) {
    if (options_.videos < 3)
        throw InputError("--videos", 0, "at least 3 videos are needed (one per split)");
    if (!(options_.misaligned >= 0.0 && options_.misaligned <= 1.0))
        throw InputError("--misaligned", 0, "must lie in [0, 1]");
    if (!(options_.noise >= 0.0 && options_.noise <= 100.0))
        throw InputError("--noise", 0, "must lie in [0, 100]");
    if (!(options_.trainFraction > 0.0 && options_.trainFraction < 1.0))
        throw InputError("train fraction", 0, "must lie in (0, 1)");

    const auto n = static_cast<std::size_t>(options_.videos);
    const auto nTrain = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::llround(options_.trainFraction * static_cast<double>(n))), 1,
        n - 2);
    const std::size_t nVal = std::max<std::size_t>(1, (n - nTrain) / 2);
    videos_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        Rng rng(streamSeed(options_.seed, i, 1));
        SynthVideo v;
        v.filename = videoId(i) + "_0_10";
        v.split = i < nTrain ? Split::Train : i < nTrain + nVal ? Split::Val : Split::Test;
        const double u = rng.uniform();
        const int k = u < 0.45 ? 1 : u < 0.85 ? 2 : 3;
        for (int j = 0; j < k; ++j) {
            const int c = weightedClass(rng, v.weak);
            v.weak |= ClassSet{1} << c;
            const double kind = rng.uniform();
            if (kind < 0.25) {
                v.audio.push_back(randomInterval(rng, c));
            } else if (kind < 0.45) {
                v.visual.push_back(randomInterval(rng, c));
            } else {
                const Event a = randomInterval(rng, c);
                Event b = a;
                ++v.audioVisualClasses;
                if (rng.chance(options_.misaligned)) {
                    for (int tries = 0; tries < 32 && b == a; ++tries) b = randomInterval(rng, c);
                    if (b == a)
                        b = a.onset > 0 ? Event{c, 0, a.onset} : Event{c, a.offset, kLlpSegments};
                    if (b.length() == 0) b = {c, 0, kLlpSegments - 1};
                    ++v.misalignedClasses;
                }
                v.audio.push_back(a);
                v.visual.push_back(b);
            }
        }
        auto byClass = [](const Event& x, const Event& y) { return x.cls < y.cls; };
        std::sort(v.audio.begin(), v.audio.end(), byClass);
        std::sort(v.visual.begin(), v.visual.end(), byClass);
        v.pseudoAudio = pseudoLabels(rng, v.audio, v.weak);
        v.pseudoVisual = pseudoLabels(rng, v.visual, v.weak);
        videos_.push_back(std::move(v));
    }

    protoAudio_ = prototypes(streamSeed(options_.seed, 0, 10), standardShape(options_.audio).dim);
    protoVisual_ = prototypes(streamSeed(options_.seed, 0, 11), standardShape(options_.visual).dim);
    if (options_.motion)
        protoMotion_ = prototypes(streamSeed(options_.seed, 0, 12), kMotionShape.dim);
}

SynthFeatures SynthGenerator::features(std::size_t index) const {
    const SynthVideo& v = videos_.at(index);
    Rng rng(streamSeed(options_.seed, index, 2));

    // One stream: rows of `dim` values, row r showing segment segOf(r); each row is the
    // sum of the prototypes of the classes on in that segment (per-video amplitudes), a
    // per-video background, sometimes a faint unlabelled distractor class, and noise.
    auto stream = [&](const std::vector<float>& proto, std::int64_t rows, std::int64_t dim,
                      const std::vector<Event>& events, auto segOf, bool normalise) {
        const auto d = static_cast<std::size_t>(dim);
        std::vector<double> amp(kNumClasses, 0.0);
        for (const auto& e : events)
            amp[static_cast<std::size_t>(e.cls)] = 0.7 + 0.4 * rng.uniform();
        std::vector<double> background(d);
        double bnorm = 0.0;
        for (auto& b : background) {
            b = rng.normal();
            bnorm += b * b;
        }
        for (auto& b : background) b *= 0.6 / std::sqrt(bnorm);
        std::array<int, kLlpSegments> distractor{};
        for (auto& x : distractor) {
            x = -1;
            if (rng.chance(0.3)) {
                const int c = rng.below(kNumClasses);
                if (!hasClass(v.weak, c)) x = c;
            }
        }
        const double sigma = options_.noise / std::sqrt(static_cast<double>(dim));
        std::vector<float> out(static_cast<std::size_t>(rows) * d);
        std::vector<double> row(d);
        for (std::int64_t r = 0; r < rows; ++r) {
            const int t = segOf(r);
            for (std::size_t i = 0; i < d; ++i) row[i] = background[i] + sigma * rng.normal();
            for (const auto& e : events) {
                if (t < e.onset || t >= e.offset) continue;
                const float* p = &proto[static_cast<std::size_t>(e.cls) * d];
                const double a = amp[static_cast<std::size_t>(e.cls)];
                for (std::size_t i = 0; i < d; ++i) row[i] += a * p[i];
            }
            if (const int c = distractor[static_cast<std::size_t>(t)]; c >= 0) {
                const float* p = &proto[static_cast<std::size_t>(c) * d];
                for (std::size_t i = 0; i < d; ++i) row[i] += 0.25 * p[i];
            }
            double scale = 1.0;
            if (normalise) {
                double n2 = 0.0;
                for (double x : row) n2 += x * x;
                scale = n2 > 0.0 ? 1.0 / std::sqrt(n2) : 1.0;
            }
            float* o = &out[static_cast<std::size_t>(r) * d];
            for (std::size_t i = 0; i < d; ++i) o[i] = static_cast<float>(row[i] * scale);
        }
        return out;
    };

    SynthFeatures f;
    if (options_.audio == AudioFeature::ClapTokens) {
        // Token k is (row k / 32, column k % 32) of a 2 × 32 map over the 10 s.
        const auto s = kClapTokensShape;
        f.audio = stream(
            protoAudio_, s.rows, s.dim, v.audio,
            [](std::int64_t k) { return static_cast<int>((k % 32) * 10 / 32); }, false);
    } else {
        const auto s = kVggishShape;
        f.audio = stream(
            protoAudio_, s.rows, s.dim, v.audio, [](std::int64_t k) { return static_cast<int>(k); },
            false);
    }
    if (options_.visual == VisualFeature::Clip) {
        const auto s = kClipShape;
        f.visual = stream(
            protoVisual_, s.rows, s.dim, v.visual,
            [](std::int64_t k) { return static_cast<int>(k); }, true);
    } else {
        const auto s = kResnetShape;
        f.visual = stream(
            protoVisual_, s.rows, s.dim, v.visual,
            [](std::int64_t k) { return static_cast<int>(k / kResnetFramesPerSegment); }, false);
    }
    if (options_.motion)
        f.motion = stream(
            protoMotion_, kMotionShape.rows, kMotionShape.dim, v.visual,
            [](std::int64_t k) { return static_cast<int>(k); }, false);
    return f;
}

double synthClassPitch(int cls) {
    return 220.0 * std::pow(2.0, static_cast<double>(cls) / 5.0);
}

double synthTremoloHz(int cls) {
    return 2.0 + static_cast<double>(cls % 5);
}

SynthStripCell synthStripCell(int cls) {
    // Two rows of 13 (and 12) cells under the caption bar, 4 % margins on the sides.
    constexpr double margin = 0.04, top = 0.22, height = 0.06, rowStep = 0.08;
    constexpr int perRow = 13;
    const double w = (1.0 - 2.0 * margin) / perRow;
    const int row = cls / perRow, col = cls % perRow;
    return {margin + col * w, top + row * rowStep, margin + (col + 1) * w,
            top + row * rowStep + height};
}

namespace {

// Sorts by class and onset and joins the spans of a class that overlap or touch.
std::vector<SynthSpan> mergeSpans(std::vector<SynthSpan> spans) {
    std::sort(spans.begin(), spans.end(), [](const SynthSpan& a, const SynthSpan& b) {
        return a.cls != b.cls ? a.cls < b.cls : a.onsetMs < b.onsetMs;
    });
    std::vector<SynthSpan> out;
    for (const auto& s : spans) {
        if (!out.empty() && out.back().cls == s.cls && s.onsetMs <= out.back().offsetMs)
            out.back().offsetMs = std::max(out.back().offsetMs, s.offsetMs);
        else
            out.push_back(s);
    }
    return out;
}

nlohmann::json spansJson(const std::vector<SynthSpan>& spans) {
    auto a = nlohmann::json::array();
    for (const auto& e : spans)
        a.push_back({{"class", std::string(kClassNames[static_cast<std::size_t>(e.cls)])},
                     {"onset", static_cast<double>(e.onsetMs) / 1000.0},
                     {"offset", static_cast<double>(e.offsetMs) / 1000.0}});
    return a;
}

void writeJsonFile(const fs::path& file, const nlohmann::json& doc) {
    std::error_code ec;
    if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
    std::ofstream t(file, std::ios::binary | std::ios::trunc);
    t << doc.dump(1) << '\n';
    if (!t) throw InputError(file.string(), 0, "write failed");
}

}  // namespace

std::vector<SynthLongVideo> synthLongVideos(const SynthOptions& options, int count,
                                            double minSeconds) {
    if (count < 1 || count > 100000) throw InputError("video count", 0, "must be from 1 to 100000");
    if (!(minSeconds >= 10.0 && minSeconds <= 86400.0))
        throw InputError("--seconds", 0, "must be a number of seconds from 10 to 86400");
    if (!(options.misaligned >= 0.0 && options.misaligned <= 1.0))
        throw InputError("--misaligned", 0, "must lie in [0, 1]");
    const double maxSeconds = std::max(minSeconds, options.longMaxSeconds);
    if (!(maxSeconds <= 86400.0))
        throw InputError("--seconds", 0, "must be a number of seconds from 10 to 86400");
    const double fixedSeconds = minSeconds;
    std::vector<SynthLongVideo> out;
    out.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        Rng rng(streamSeed(options.seed, static_cast<std::uint64_t>(i), 20));
        // Each video's length from a stream of its own, so that a fixed length draws
        // exactly the events it always did.
        double seconds = fixedSeconds;  // this video's length
        if (maxSeconds > fixedSeconds) {
            Rng lengths(streamSeed(options.seed, static_cast<std::uint64_t>(i), 21));
            // On a 0.2 s grid: whole frames at 25, 10 or 5 fps and whole audio samples, so
            // the rendered file lasts exactly the length its labels give.
            seconds =
                std::round((fixedSeconds + (maxSeconds - fixedSeconds) * lengths.uniform()) * 5.0) /
                5.0;
        }
        const std::int64_t duration = std::llround(seconds * 1000.0);
        SynthLongVideo v;
        char id[16];
        std::snprintf(id, sizeof id, "long%07d", i);
        v.id = id;
        v.durationMs = duration;
        // A pool of classes (more for longer videos), about one draw per 6 s.
        const int poolSize = std::min(12, 2 + static_cast<int>(seconds / 20.0));
        ClassSet pool = 0;
        std::vector<int> classes;
        for (int k = 0; k < poolSize; ++k) {
            const int c = weightedClass(rng, pool);
            pool |= ClassSet{1} << c;
            classes.push_back(c);
        }
        const auto draws =
            std::max<std::int64_t>(2, std::llround(seconds / 6.0 * (0.8 + 0.4 * rng.uniform())));
        std::vector<SynthSpan> audio, visual;
        auto span = [&](int c, std::int64_t len) {
            len = std::min(len, duration);
            const auto onset =
                static_cast<std::int64_t>(rng.uniform() * static_cast<double>(duration - len));
            return SynthSpan{c, onset, onset + len};
        };
        for (std::int64_t d = 0; d < draws; ++d) {
            const int c = classes[static_cast<std::size_t>(rng.below(poolSize))];
            const auto len = static_cast<std::int64_t>(
                rng.chance(0.1) ? 8000 + 7000 * rng.uniform() : 1500 + 6500 * rng.uniform());
            const double kind = rng.uniform();
            if (kind < 0.25) {
                audio.push_back(span(c, len));
            } else if (kind < 0.45) {
                visual.push_back(span(c, len));
            } else {
                const SynthSpan a = span(c, len);
                SynthSpan b = a;
                if (rng.chance(options.misaligned)) {
                    // Seen earlier or later than heard, for a different length.
                    const auto shift = static_cast<std::int64_t>((rng.chance(0.5) ? 1 : -1) *
                                                                 (700 + 3300 * rng.uniform()));
                    const auto len2 = std::max<std::int64_t>(
                        600, static_cast<std::int64_t>(static_cast<double>(a.offsetMs - a.onsetMs) *
                                                       (0.6 + 0.8 * rng.uniform())));
                    b.onsetMs = std::clamp<std::int64_t>(a.onsetMs + shift, 0, duration - 600);
                    b.offsetMs = std::min(duration, b.onsetMs + len2);
                }
                audio.push_back(a);
                visual.push_back(b);
            }
        }
        v.audio = mergeSpans(std::move(audio));
        v.visual = mergeSpans(std::move(visual));
        out.push_back(std::move(v));
    }
    return out;
}

void writeSynthLongLabels(const fs::path& jsonFile, const fs::path& timelineFile,
                          const std::vector<SynthLongVideo>& videos, const fs::path& mediaDir) {
    auto labelVideos = nlohmann::json::array();
    auto timeline = nlohmann::json::array();
    for (const auto& v : videos) {
        const double seconds = static_cast<double>(v.durationMs) / 1000.0;
        auto events = nlohmann::json::array();
        auto weak = nlohmann::json::array();
        ClassSet classes = 0;
        for (const auto* list : {&v.audio, &v.visual})
            for (const auto& e : *list) {
                events.push_back(
                    {{"modality", list == &v.audio ? "audio" : "visual"},
                     {"class", std::string(kClassNames[static_cast<std::size_t>(e.cls)])},
                     {"onset", static_cast<double>(e.onsetMs) / 1000.0},
                     {"offset", static_cast<double>(e.offsetMs) / 1000.0},
                     {"source", "ground_truth"}});
                classes |= ClassSet{1} << e.cls;
            }
        for (int c = 0; c < kNumClasses; ++c)
            if (hasClass(classes, c))
                weak.push_back(std::string(kClassNames[static_cast<std::size_t>(c)]));
        labelVideos.push_back({{"filename", v.id},
                               {"duration", seconds},
                               {"media", (mediaDir / (v.id + ".mp4")).string()},
                               {"weak_labels", weak},
                               {"annotated", {"audio", "visual"}},
                               {"events", events}});
        timeline.push_back({{"filename", v.id},
                            {"id", v.id},
                            {"duration", seconds},
                            {"audio", spansJson(v.audio)},
                            {"visual", spansJson(v.visual)}});
    }
    writeJsonFile(jsonFile, {{"format", "avvp-labels"}, {"version", 1}, {"videos", labelVideos}});
    writeJsonFile(timelineFile,
                  {{"synthetic", true},
                   {"generator", "avvp synth --render --seconds"},
                   {"times", "seconds"},
                   {"classes", std::vector<std::string>(kClassNames.begin(), kClassNames.end())},
                   {"videos", timeline}});
}

SynthSummary writeSynthDataset(const fs::path& out, const SynthOptions& options,
                               Progress* progress) {
    if (fs::exists(out) && !(fs::is_directory(out) && fs::is_empty(out)))
        throw InputError(out.string(), 0, "exists and is not an empty folder (choose a new --out)");
    const SynthGenerator gen(options);
    const auto& videos = gen.videos();
    const fs::path features = out / "features";
    const fs::path labels = out / "labels";
    std::vector<const char*> folders = {FeatureFolders::audio, FeatureFolders::visual,
                                        FeatureFolders::pseudoAudio, FeatureFolders::pseudoVisual};
    if (options.motion) folders.push_back(FeatureFolders::motion);
    std::error_code ec;
    for (const char* f : folders) {
        fs::create_directories(features / f, ec);
        if (ec) throw InputError((features / f).string(), 0, "cannot create: " + ec.message());
    }
    fs::create_directories(labels, ec);
    if (ec) throw InputError(labels.string(), 0, "cannot create: " + ec.message());

    SynthSummary sum;
    // Labels first (small), then the features in parallel.
    std::vector<WeakLabelRow> weak[3], full;
    std::vector<DenseLabelRow> denseA, denseV;
    nlohmann::json timeline = nlohmann::json::array();
    for (const auto& v : videos) {
        const auto s = static_cast<std::size_t>(v.split);
        ++sum.videos[s];
        sum.audioVisualClasses += static_cast<std::size_t>(v.audioVisualClasses);
        sum.misalignedClasses += static_cast<std::size_t>(v.misalignedClasses);
        sum.audioEvents += v.audio.size();
        sum.visualEvents += v.visual.size();
        weak[s].push_back({v.filename, v.weak, 0});
        full.push_back({v.filename, v.weak, 0});
        if (v.split != Split::Train) {
            for (const auto& e : v.audio)
                denseA.push_back({v.filename, e.onset, e.offset, e.cls, 0});
            for (const auto& e : v.visual)
                denseV.push_back({v.filename, e.onset, e.offset, e.cls, 0});
        }
        timeline.push_back({{"filename", v.filename},
                            {"id", std::string(featureId(v.filename))},
                            {"split", std::string(splitName(v.split))},
                            {"duration", kLlpSegments},
                            {"audio", eventsJson(v.audio)},
                            {"visual", eventsJson(v.visual)}});
    }
    {
        const fs::path emb = out / "class_emb";
        fs::create_directories(emb, ec);
        if (ec) throw InputError(emb.string(), 0, "cannot create: " + ec.message());
        writeNpy(emb / "audio.npy", gen.audioPrototypes(),
                 {kNumClasses, standardShape(options.audio).dim});
        writeNpy(emb / "visual.npy", gen.visualPrototypes(),
                 {kNumClasses, standardShape(options.visual).dim});
    }
    writeWeakLabels(labels / LlpFileNames::train, weak[0]);
    writeWeakLabels(labels / LlpFileNames::val, weak[1]);
    writeWeakLabels(labels / LlpFileNames::test, weak[2]);
    writeWeakLabels(labels / LlpFileNames::full, full);
    writeDenseLabels(labels / LlpFileNames::audio, denseA);
    writeDenseLabels(labels / LlpFileNames::visual, denseV);
    {
        const nlohmann::json doc = {
            {"synthetic", true},
            {"generator", "avvp synth"},
            {"seed", options.seed},
            {"misaligned", options.misaligned},
            {"noise", options.noise},
            {"audio_feature", std::string(featureName(options.audio))},
            {"visual_feature", std::string(featureName(options.visual))},
            {"segments", kLlpSegments},
            {"classes", std::vector<std::string>(kClassNames.begin(), kClassNames.end())},
            {"videos", timeline}};
        std::ofstream t(out / "timeline.json", std::ios::binary | std::ios::trunc);
        t << doc.dump(1) << '\n';
        if (!t) throw InputError((out / "timeline.json").string(), 0, "write failed");
    }
    {
        std::ofstream r(out / "README.md", std::ios::binary | std::ios::trunc);
        r << "# SYNTHETIC data (avvp synth)\n\n"
          << "Not real videos: features are class prototypes plus noise, made by `avvp synth "
             "--videos "
          << options.videos << " --seed " << options.seed << " --misaligned " << options.misaligned
          << " --noise " << options.noise << " --audio " << featureName(options.audio)
          << " --visual " << featureName(options.visual) << (options.motion ? "" : " --no-motion")
          << "`.\n\n- `features/`: VALOR layout (audio/, visual/, motion/, pseudo_audio/, "
             "pseudo_visual/), one `<id>.npy` per video\n"
          << "- `labels/`: LLP annotation files (weak labels for every split, dense val/test "
             "labels)\n"
          << "- `class_emb/audio.npy`, `class_emb/visual.npy`: (25, dim) class prototypes, the "
             "stand-in for CLAP / CLIP class text embeddings\n"
          << "- `timeline.json`: every video's audio and visual events (what a renderer "
             "draws)\n";
        if (!r) throw InputError((out / "README.md").string(), 0, "write failed");
    }

    std::atomic<std::size_t> next{0}, done{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex errorMutex;
    auto worker = [&] {
        for (;;) {
            const std::size_t i = next++;
            if (i >= videos.size() || failed || cancelled(progress)) return;
            try {
                const auto f = gen.features(i);
                const std::string name = std::string(featureId(videos[i].filename)) + ".npy";
                const auto as = standardShape(options.audio);
                const auto vs = standardShape(options.visual);
                writeNpy(features / FeatureFolders::audio / name, f.audio, {as.rows, as.dim});
                writeNpy(features / FeatureFolders::visual / name, f.visual, {vs.rows, vs.dim});
                if (options.motion)
                    writeNpy(features / FeatureFolders::motion / name, f.motion,
                             {kMotionShape.rows, kMotionShape.dim});
                writeNpy(features / FeatureFolders::pseudoAudio / name,
                         pseudoArray(videos[i].pseudoAudio), {kLlpSegments, kNumClasses});
                writeNpy(features / FeatureFolders::pseudoVisual / name,
                         pseudoArray(videos[i].pseudoVisual), {kLlpSegments, kNumClasses});
            } catch (...) {
                std::lock_guard lock(errorMutex);
                if (!error) error = std::current_exception();
                failed = true;
                return;
            }
            ++done;
        }
    };
    const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 8U);
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    while (progress && done < videos.size() && !failed && !progress->cancelled()) {
        const std::size_t n = done;
        progress->report(static_cast<double>(n) / static_cast<double>(videos.size()),
                         "video " + std::to_string(n) + " of " + std::to_string(videos.size()));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    throwIfCancelled(progress);
    report(progress, 1.0, "written");
    for (const auto& e : fs::recursive_directory_iterator(out))
        if (e.is_regular_file()) sum.bytes += e.file_size();
    return sum;
}

}  // namespace avvp::core

// The SYNTHETIC stand-in encoders (models/synthetic_encoders.h) on a freshly rendered long
// video, through the real decoder path of `avvp features` (media::SegmentSampler,
// media::AudioDecoder + windowAudio, models::EncoderSet): the features' nearest class
// prototypes recover the rendered labels, in the synthetic dataset's standard shapes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "core/features.h"
#include "core/media/audio_decoder.h"
#include "core/media/label_video.h"
#include "core/media/media_info.h"
#include "core/media/segment_sampler.h"
#include "core/synth.h"
#include "core/taxonomy.h"
#include "models/encoders.h"
#include "models/synthetic_encoders.h"
#include "tests/test_util.h"

using namespace avvp;
namespace fs = std::filesystem;

namespace {

models::SyntheticEncoderSpec specOf(const core::SynthGenerator& gen) {
    models::SyntheticEncoderSpec s;
    s.audio = gen.options().audio;
    s.visual = gen.options().visual;
    s.audioPrototypes = gen.audioPrototypes();
    s.visualPrototypes = gen.visualPrototypes();
    s.noise = gen.options().noise;
    return s;
}

// Overlap in ms of [a0, a1) and the spans of class `cls`.
double covered(const std::vector<core::SynthSpan>& spans, int cls, double a0, double a1) {
    double sum = 0;
    for (const auto& e : spans)
        if (e.cls == cls)
            sum += std::max(0.0, std::min(a1, static_cast<double>(e.offsetMs)) -
                                     std::max(a0, static_cast<double>(e.onsetMs)));
    return sum;
}

// The classes whose prototype projects above `threshold` on a row.
std::vector<bool> decode(const float* row, const std::vector<float>& proto, std::int64_t dim,
                         double threshold) {
    std::vector<bool> on(core::kNumClasses);
    for (int c = 0; c < core::kNumClasses; ++c) {
        double dot = 0;
        for (std::int64_t j = 0; j < dim; ++j)
            dot += row[j] * proto[static_cast<std::size_t>(c * dim + j)];
        on[static_cast<std::size_t>(c)] = dot > threshold;
    }
    return on;
}

}  // namespace

TEST(SyntheticEncoders, ManifestHasTheDatasetShapesAndSaysSynthetic) {
    test::TempDir dir("synthetic_encoders_manifest");
    for (auto [audio, visual] :
         {std::pair{core::AudioFeature::ClapTokens, core::VisualFeature::Clip},
          std::pair{core::AudioFeature::Vggish, core::VisualFeature::Resnet}}) {
        core::SynthOptions o;
        o.videos = 3;
        o.audio = audio;
        o.visual = visual;
        const core::SynthGenerator gen(o);
        const auto folder = dir / std::string(core::featureName(audio));
        models::writeSyntheticEncoders(folder, specOf(gen));
        const auto m = models::readEncoderManifest(folder);
        ASSERT_TRUE(m.image && m.audio);
        const auto as = core::standardShape(audio), vs = core::standardShape(visual);
        EXPECT_EQ(m.audio->shape, (std::vector<std::int64_t>{as.rows, as.dim}));
        EXPECT_EQ(m.image->dim, vs.dim);
        EXPECT_EQ(10 * m.image->framesPerSecond, vs.rows);
        EXPECT_EQ(m.image->l2Normalize, visual == core::VisualFeature::Clip);
        EXPECT_NE(m.image->name.find("SYNTHETIC"), std::string::npos);
        EXPECT_NE(m.audio->name.find("SYNTHETIC"), std::string::npos);
        std::ifstream readme(folder / "README.md");
        std::ostringstream buffer;
        buffer << readme.rdbuf();
        const std::string text = buffer.str();
        EXPECT_NE(text.find("SYNTHETIC"), std::string::npos);

        // The modules run and return those shapes (silence and a grey picture: no class).
        models::EncoderSet enc(folder, "cpu");
        const auto a =
            enc.encodeAudio(std::vector<float>(static_cast<std::size_t>(m.audio->samples()), 0.0f));
        EXPECT_EQ(static_cast<std::int64_t>(a.size()), as.rows * as.dim);
        const std::int64_t n = vs.rows;
        const auto v = enc.encodeImages(
            std::vector<float>(static_cast<std::size_t>(n * 3 * m.image->size * m.image->size),
                               0.0f),
            n);
        EXPECT_EQ(static_cast<std::int64_t>(v.size()), vs.rows * vs.dim);
    }
    // Prototypes of the wrong width are refused.
    auto bad = specOf(core::SynthGenerator({.videos = 3}));
    bad.audioPrototypes.resize(25 * 128);
    EXPECT_THROW(models::writeSyntheticEncoders(dir / "bad", bad), std::invalid_argument);
}

TEST(SyntheticEncoders, RecoverTheLabelsOfARenderedLongVideo) {
    test::TempDir dir("synthetic_encoders_video");
    core::SynthOptions o;
    o.videos = 3;
    o.seed = 11;
    o.misaligned = 0.6;
    const core::SynthGenerator gen(o);
    const auto encoders = dir / "encoders";
    models::writeSyntheticEncoders(encoders, specOf(gen));

    const auto longVideo = core::synthLongVideos(o, 1, 24.5).front();
    const auto file = dir / (longVideo.id + ".mp4");
    media::renderLabelVideo(file, media::labelSpans(longVideo), 24.5,
                            {.width = 320, .height = 180, .caption = "SYNTHETIC TEST"});
    const auto info = media::probe(file);
    ASSERT_EQ(info.segments(), 25);

    models::EncoderSet enc(encoders, "cpu");
    const auto& ms = enc.manifest();
    media::SegmentSampler sampler(
        file, {.size = ms.image->size, .mean = ms.image->mean, .std = ms.image->std});
    media::AudioDecoder audio(file, {.format = {ms.audio->sampleRate, 1}});
    const auto windows = media::featureWindows(info.segments());
    ASSERT_EQ(windows.size(), 3U);

    int visualRight = 0, visualTotal = 0, audioRight = 0, audioTotal = 0;
    std::string visualWrong;
    for (const auto& w : windows) {
        const auto images = sampler.windowImages(w, 1);
        const auto vf = enc.encodeImages(images, 10);
        ASSERT_EQ(vf.size(), 10U * 768U);
        EXPECT_EQ(enc.encodeImages(images, 10), vf) << "the same input gives the same features";
        const auto samples = media::windowAudio(audio, w, ms.audio->seconds);
        const auto af = enc.encodeAudio(samples);
        ASSERT_EQ(af.size(), 64U * 768U);

        for (int k = 0; k < w.validSegments; ++k) {
            const double t0 = (w.firstSegment + k) * 1000.0;
            // Visual: the frame at the segment's centre. CLIP rows are L2-normalised: undo it
            // with the row's expected raw norm (noise 2, background 0.6, ~0.9 per class),
            // then cut between a distractor (0.25) and the smallest class amplitude (0.7).
            const float* row = &vf[static_cast<std::size_t>(k) * 768];
            const auto rough = decode(row, gen.visualPrototypes(), 768, 0.17);
            const auto classes = std::count(rough.begin(), rough.end(), true);
            const double norm = std::sqrt(4.36 + 0.81 * static_cast<double>(classes));
            const auto seen = decode(row, gen.visualPrototypes(), 768, 0.47 / norm);
            bool right = true;
            for (int c = 0; c < core::kNumClasses; ++c) {
                const double at = covered(longVideo.visual, c, t0 + 400, t0 + 600);
                if (at > 0 && at < 200) continue;  // an edge within 0.1 s of the frame
                if (seen[static_cast<std::size_t>(c)] != (at > 0))
                    visualWrong += " " +
                                   std::string(core::kClassNames[static_cast<std::size_t>(c)]) +
                                   "@" + std::to_string(w.firstSegment + k);
                right = right && seen[static_cast<std::size_t>(c)] == (at > 0);
            }
            visualRight += right ? 1 : 0;
            ++visualTotal;
            // Audio: the tokens of the segment (both rows of the 2 x 32 map), by majority.
            std::vector<int> votes(core::kNumClasses);
            int count = 0;
            for (int tok = 0; tok < 64; ++tok) {
                if ((tok % 32) * 10 / 32 != k) continue;
                const auto on = decode(&af[static_cast<std::size_t>(tok) * 768],
                                       gen.audioPrototypes(), 768, 0.35);
                for (std::size_t c = 0; c < votes.size(); ++c) votes[c] += on[c] ? 1 : 0;
                ++count;
            }
            right = true;
            for (int c = 0; c < core::kNumClasses; ++c) {
                const double frac = covered(longVideo.audio, c, t0, t0 + 1000) / 1000.0;
                if (frac > 0.25 && frac < 0.75) continue;  // ambiguous at token resolution
                right = right && (2 * votes[static_cast<std::size_t>(c)] > count) == (frac >= 0.75);
            }
            audioRight += right ? 1 : 0;
            ++audioTotal;
        }
    }
    EXPECT_EQ(visualTotal, 25);
    EXPECT_GE(visualRight, 0.9 * visualTotal)
        << visualRight << " of " << visualTotal << "; wrong:" << visualWrong;
    EXPECT_GE(audioRight, 0.9 * audioTotal) << audioRight << " of " << audioTotal;
    // The rendered video has events of several classes in both modalities.
    EXPECT_FALSE(longVideo.audio.empty());
    EXPECT_FALSE(longVideo.visual.empty());
}

// The SYNTHETIC label videos (core/media/label_video.h) of `avvp synth --render` and the
// GUI's demo: decoded back with our own decoders, every segment's picture lights exactly
// the class-strip cells of the classes seen then, and its sound holds the tone of exactly
// the classes heard then.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "core/media/audio_decoder.h"
#include "core/media/label_video.h"
#include "core/media/media_info.h"
#include "core/media/video_decoder.h"
#include "core/synth.h"
#include "core/taxonomy.h"
#include "tests/media/media_test_util.h"

using namespace avvp;

namespace {

// Energy of a tone of frequency f in `pcm` (Goertzel), relative to the window's length.
double tonePower(std::span<const float> pcm, double f, double rate) {
    const double w = 2 * std::numbers::pi * f / rate, c = 2 * std::cos(w);
    double s1 = 0, s2 = 0;
    for (float x : pcm) {
        const double s0 = x + c * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    const double n = static_cast<double>(pcm.size());
    return (s1 * s1 + s2 * s2 - c * s1 * s2) / (n * n);
}

bool heard(const core::SynthVideo& v, int cls, int segment, bool audio) {
    for (const auto& e : audio ? v.audio : v.visual)
        if (e.cls == cls && segment >= e.onset && segment < e.offset) return true;
    return false;
}

}  // namespace

TEST(SynthRender, PicturesAndSoundFollowTheEvents) {
    test::TempDir dir("synth_render");
    core::SynthVideo v;
    v.filename = "synth000007_0_10";
    // Audio-visual but not aligned (Dog), audio only (Cello, Speech together in 4-6),
    // visual only (Car), and several classes seen at once.
    v.audio = {{3, 0, 4}, {9, 4, 10}, {0, 4, 6}};
    v.visual = {{3, 5, 9}, {1, 0, 3}, {24, 2, 7}, {12, 8, 10}};
    const media::LabelVideoOptions o{.width = 320, .height = 180};
    const auto file = dir / "v.mp4";
    media::renderLabelVideo(file, media::labelSpans(v), 10.0, o);

    const auto info = media::probe(file);
    EXPECT_NEAR(info.duration, 10.0, 0.05);
    ASSERT_TRUE(info.hasAudio());

    media::VideoDecoder dec(file, {.width = o.width, .height = o.height});
    media::AudioDecoder aud(file, {.format = {o.sampleRate, 1}});
    const auto pcm = aud.readAll();
    ASSERT_GE(pcm.size(), static_cast<std::size_t>(9.9 * o.sampleRate));
    for (int seg = 0; seg < 10; ++seg) {
        const auto frame = dec.seek(seg + 0.5);
        for (int cls = 0; cls < core::kNumClasses; ++cls) {
            const auto [x, y] = media::classCellCentre(o, cls);
            const auto* p = frame.pixel(x, y);
            const int brightest = std::max({p[0], p[1], p[2]});
            const bool lit = brightest > 140;
            EXPECT_EQ(lit, heard(v, cls, seg, false))
                << "segment " << seg << " class " << core::kClassNames[cls] << " pixel "
                << int(p[0]) << "," << int(p[1]) << "," << int(p[2]);
        }
        // The middle half second of the segment: no fades, a whole tremolo period.
        const auto first = static_cast<std::size_t>((seg + 0.25) * o.sampleRate);
        const std::span<const float> window(pcm.data() + first,
                                            static_cast<std::size_t>(o.sampleRate / 2));
        for (int cls = 0; cls < core::kNumClasses; ++cls) {
            const double power = tonePower(window, media::classPitch(cls), o.sampleRate);
            EXPECT_EQ(power > 1e-4, heard(v, cls, seg, true))
                << "segment " << seg << " class " << core::kClassNames[cls] << " power " << power;
        }
    }
}

TEST(SynthRender, RendersADatasetByFeatureId) {
    test::TempDir dir("synth_render_set");
    core::SynthOptions so;
    so.videos = 3;
    so.seed = 5;
    const core::SynthGenerator gen(so);
    struct Fractions : core::Progress {
        void report(double f, std::string_view) override { list.push_back(f); }
        std::vector<double> list;
    } progress;
    const auto& fractions = progress.list;
    media::renderSynthVideos(dir.path(), gen.videos(), {.width = 160, .height = 90}, &progress);
    for (const auto& v : gen.videos())
        EXPECT_TRUE(std::filesystem::exists(dir / (v.filename.substr(0, 11) + ".mp4")))
            << v.filename;
    ASSERT_FALSE(fractions.empty());
    EXPECT_DOUBLE_EQ(fractions.back(), 1.0);
    // Whole files only: no temporary left behind.
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        EXPECT_EQ(entry.path().string().find(".part"), std::string::npos) << entry.path();
}

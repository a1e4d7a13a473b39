// The spectrogram (levels and frequencies of known sines, the column limit, cancel, bad
// sizes) and the SYNTHETIC label videos (what is seen shows only during visual events,
// what is heard sounds at the class's pitch only during audio events).
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <numbers>

#include "core/media/label_video.h"
#include "core/media/media_error.h"
#include "core/media/media_info.h"
#include "core/media/spectrogram.h"
#include "core/media/video_decoder.h"
#include "media_test_util.h"

using namespace avvp;
using namespace avvp::media;

namespace {

std::vector<float> sine(double hz, double amplitude, double seconds, int rate) {
    std::vector<float> s(static_cast<std::size_t>(seconds * rate));
    for (std::size_t i = 0; i < s.size(); ++i)
        s[i] = static_cast<float>(
            amplitude * std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / rate));
    return s;
}

int peakBin(const Spectrogram& s, int column) {
    int best = 0;
    for (int b = 1; b < s.bins; ++b)
        if (s.at(column, b) > s.at(column, best)) best = b;
    return best;
}

int binOf(const Spectrogram& s, double hz) {
    return static_cast<int>(std::lround(hz / s.binHz(1)));
}

// Saturated, bright pixels (the class shapes; the background is a dark grey-blue).
int colourfulPixels(const VideoFrame& f) {
    int n = 0;
    for (int y = f.height / 3; y < f.height - 16; ++y)
        for (int x = 0; x < f.width; ++x) {
            const auto* p = f.pixel(x, y);
            const int mx = std::max({p[0], p[1], p[2]}), mn = std::min({p[0], p[1], p[2]});
            if (mx > 150 && mx - mn > 80) ++n;
        }
    return n;
}

}  // namespace

TEST(Spectrogram, FindsTheFrequencyAndLevelOfASine) {
    SpectrogramOptions o;  // 16 kHz, 512-point FFT: 31.25 Hz bins
    const auto s = spectrogramOf(sine(1000.0, 1.0, 1.0, o.sampleRate), o);
    ASSERT_EQ(s.bins, 257);
    EXPECT_NEAR(s.columns, 100, 1);  // 10 ms hops
    EXPECT_NEAR(s.secondsPerColumn, 0.01, 1e-9);
    const int mid = s.columns / 2;
    EXPECT_EQ(peakBin(s, mid), 32);
    EXPECT_NEAR(s.at(mid, 32), 0.0, 1.0);         // a full-scale sine is 0 dB
    EXPECT_LT(s.at(mid, binOf(s, 4000)), -70.0);  // far from it: the Hann side lobes are low
    const auto quiet = spectrogramOf(sine(1000.0, 0.1, 1.0, o.sampleRate), o);
    EXPECT_NEAR(quiet.at(mid, 32), -20.0, 1.0);
    EXPECT_NEAR(quiet.maxDb, -20.0, 1.0);
}

TEST(Spectrogram, LongInputKeepsBelowTheColumnLimit) {
    SpectrogramOptions o;
    o.maxColumns = 50;
    const auto s = spectrogramOf(sine(440.0, 0.5, 3.0, o.sampleRate), o);
    EXPECT_LE(s.columns, 50);
    EXPECT_GE(s.columns, 45);
    EXPECT_NEAR(s.columns * s.secondsPerColumn, 3.0, 0.07);
}

TEST(Spectrogram, CancelAndBadSizes) {
    SpectrogramOptions o;
    core::Progress cancel;
    cancel.cancel();
    EXPECT_TRUE(spectrogramOf(sine(440.0, 0.5, 1.0, o.sampleRate), o, &cancel).empty());
    o.fftSize = 500;
    EXPECT_THROW(spectrogramOf({0.0F}, o), MediaError);
    EXPECT_TRUE(spectrogramOf({}, SpectrogramOptions{}).empty());
}

TEST(LabelVideo, ShowsAndSoundsItsEventsOnlyWhileTheyLast) {
    test::TempDir dir("label_video");
    const auto file = dir / "labels.mp4";
    const int dog = *core::classIndex("Dog");
    LabelVideoOptions o;
    o.width = 240;
    o.height = 136;
    o.frameRate = 10;
    renderLabelVideo(
        file, {{core::Modality::Visual, dog, 1000, 2000}, {core::Modality::Audio, dog, 500, 1500}},
        2.0, o);
    const auto info = probe(file);
    EXPECT_NEAR(info.duration, 2.0, 0.1);
    ASSERT_TRUE(info.hasVideo() && info.hasAudio());
    EXPECT_EQ(info.video().width, 240);

    VideoDecoder dec(file);
    const int before = colourfulPixels(dec.seek(0.4));
    const int during = colourfulPixels(dec.seek(1.5));
    EXPECT_LT(before, 20);
    EXPECT_GT(during, 500);

    const auto s = computeSpectrogram(file);
    const int pitch = binOf(s, classPitch(dog));
    auto level = [&](double t) { return s.at(static_cast<int>(t / s.secondsPerColumn), pitch); };
    EXPECT_GT(level(1.0), level(0.2) + 30.0);
    EXPECT_GT(level(1.0), level(1.8) + 30.0);
    EXPECT_NEAR(classPitch(dog), s.binHz(peakBin(s, static_cast<int>(1.0 / s.secondsPerColumn))),
                s.binHz(1));
}

TEST(Spectrogram, MissingFileIsAMediaError) {
    test::TempDir dir("label_video_err");
    EXPECT_THROW(computeSpectrogram(dir / "missing.mp4"), MediaError);
}

// Segment sampling for features: sample times, windows and their padding, the CLIP
// geometry (shorter side, centre crop with Python's rounding) and normalisation, and the
// whole path on videos whose colour changes every second.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "core/media/audio_decoder.h"
#include "core/media/segment_sampler.h"
#include "core/media/video_writer.h"
#include "tests/media/media_test_util.h"

using namespace avvp::media;
using namespace avvp::test;

namespace {

// The colour of second k of the test videos.
std::array<std::uint8_t, 3> colourOf(int k) {
    return {static_cast<std::uint8_t>(40 + 40 * (k % 5)),
            static_cast<std::uint8_t>(200 - 30 * (k % 6)),
            static_cast<std::uint8_t>(k % 2 ? 220 : 60)};
}

// Channel means of image i of a (n, 3, s, s) batch.
std::array<double, 3> channelMeans(const std::vector<float>& batch, std::size_t i, int s) {
    const auto plane = static_cast<std::size_t>(s) * static_cast<std::size_t>(s);
    std::array<double, 3> m{};
    for (std::size_t c = 0; c < 3; ++c) {
        const float* p = batch.data() + (i * 3 + c) * plane;
        m[c] = std::accumulate(p, p + plane, 0.0) / static_cast<double>(plane);
    }
    return m;
}

double normalised(std::uint8_t v, std::size_t c) {
    const ImagePreprocess p;
    return (v / 255.0 - p.mean[c]) / p.std[c];
}

// Image k of the batch has, in channel ch, the normalised colour of second `second`.
void expectColour(const std::vector<float>& images, int k, int second, std::size_t ch) {
    const auto m = channelMeans(images, static_cast<std::size_t>(k), 224);
    EXPECT_NEAR(m[ch], normalised(colourOf(second)[ch], ch), 0.06)
        << "image " << k << " (second " << second << ") channel " << ch;
}

void renderColours(const fs::path& path, int w, int h, double seconds, bool audio) {
    VideoWriterOptions o{.width = w, .height = h, .frameRate = {25, 1}, .audio = audio};
    renderVideo(
        path, o, seconds,
        [&](std::int64_t, double t, std::span<std::uint8_t> rgb) {
            const auto c = colourOf(static_cast<int>(std::floor(t + 1e-9)));
            for (std::size_t i = 0; i < rgb.size(); i += 3) std::copy(c.begin(), c.end(), &rgb[i]);
        },
        [](std::int64_t first, std::span<float> pcm) {
            for (std::size_t k = 0; k < pcm.size(); ++k)
                pcm[k] =
                    0.3f * static_cast<float>(std::sin(
                               2 * M_PI * 440 *
                               static_cast<double>(first + static_cast<std::int64_t>(k)) / 48000));
        });
}

class Sampler : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<TempDir>("tst_media_sampler");
        renderColours(*dir_ / "ten.mp4", 320, 180, 10.0, true);
        renderColours(*dir_ / "short.mp4", 320, 180, 2.5, true);
        renderColours(*dir_ / "long.mkv", 160, 90, 23.0, false);
    }
    static void TearDownTestSuite() { dir_.reset(); }
    static fs::path file(const std::string& n) { return *dir_ / n; }
    static std::unique_ptr<TempDir> dir_;
};
std::unique_ptr<TempDir> Sampler::dir_;

}  // namespace

TEST(SamplerMath, SampleTimes) {
    const auto one = segmentSampleTimes(0, 10, 1);
    ASSERT_EQ(one.size(), 10u);
    for (int k = 0; k < 10; ++k) EXPECT_DOUBLE_EQ(one[static_cast<std::size_t>(k)], k + 0.5);
    const auto eight = segmentSampleTimes(10, 2, 8);
    ASSERT_EQ(eight.size(), 16u);
    EXPECT_DOUBLE_EQ(eight[0], 10.0625);
    EXPECT_DOUBLE_EQ(eight[7], 10.9375);
    EXPECT_DOUBLE_EQ(eight[8], 11.0625);
}

TEST(SamplerMath, WindowsCoverAnyLength) {
    auto w = featureWindows(10);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].validSegments, 10);
    w = featureWindows(25);
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(w[1].firstSegment, 10);
    EXPECT_DOUBLE_EQ(w[2].start(), 20.0);
    EXPECT_EQ(w[2].validSegments, 5);
    EXPECT_EQ(w[2].segments, 10);
    w = featureWindows(0);
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].validSegments, 1);
}

TEST(SamplerMath, ShorterSideLikeTorchvision) {
    int w = 0, h = 0;
    shortSideResize(320, 180, 224, w, h);
    EXPECT_EQ(w, 398);  // int(224 * 320 / 180) = int(398.2)
    EXPECT_EQ(h, 224);
    shortSideResize(180, 320, 224, w, h);
    EXPECT_EQ(w, 224);
    EXPECT_EQ(h, 398);
    shortSideResize(640, 480, 224, w, h);
    EXPECT_EQ(w, 298);
    shortSideResize(100, 100, 224, w, h);
    EXPECT_EQ(w, 224);
    EXPECT_EQ(h, 224);
}

TEST(SamplerMath, CentreCropRoundsHalfToEvenAndNormalises) {
    // Pixel value = column (R), row (G), 7 (B).
    for (const int width : {230, 227, 225, 224}) {
        VideoFrame f;
        f.width = width;
        f.height = 224;
        f.pixels.resize(static_cast<std::size_t>(width) * 224 * 3);
        for (int y = 0; y < 224; ++y)
            for (int x = 0; x < width; ++x) {
                auto* p = &f.pixels[(static_cast<std::size_t>(y) * width + x) * 3];
                p[0] = static_cast<std::uint8_t>(x);
                p[1] = static_cast<std::uint8_t>(y);
                p[2] = 7;
            }
        std::vector<float> out(3 * 224 * 224);
        cropAndNormalise(f, {}, out);
        // Python: int(round((width - 224) / 2.0)): 3, 2 (1.5 -> 2), 0 (0.5 -> 0), 0.
        const int left = width == 230 ? 3 : width == 227 ? 2 : 0;
        EXPECT_NEAR(out[0], normalised(static_cast<std::uint8_t>(left), 0), 1e-5) << width;
        EXPECT_NEAR(out[223], normalised(static_cast<std::uint8_t>(left + 223), 0), 1e-5);
        EXPECT_NEAR(out[224 * 224 + 224 * 5], normalised(5, 1), 1e-5);  // G plane, row 5
        EXPECT_NEAR(out[2 * 224 * 224 + 1000], normalised(7, 2), 1e-5);
    }
    VideoFrame tooSmall;
    tooSmall.width = 100;
    tooSmall.height = 100;
    tooSmall.pixels.resize(30000);
    std::vector<float> out(3 * 224 * 224);
    EXPECT_THROW(cropAndNormalise(tooSmall, {}, out), std::invalid_argument);
}

TEST_F(Sampler, OneFramePerSegmentCentre) {
    SegmentSampler s(file("ten.mp4"));
    const auto windows = s.windows();
    ASSERT_EQ(windows.size(), 1u);
    EXPECT_EQ(windows[0].validSegments, 10);
    const auto images = s.windowImages(windows[0], 1);
    ASSERT_EQ(images.size(), 10u * 3 * 224 * 224);
    for (int k = 0; k < 10; ++k)
        for (std::size_t ch = 0; ch < 3; ++ch) expectColour(images, k, k, ch);
}

TEST_F(Sampler, EightFramesPerSegment) {
    SegmentSampler s(file("ten.mp4"));
    const auto images = s.windowImages(s.windows()[0], 8);
    ASSERT_EQ(images.size(), 80u * 3 * 224 * 224);
    for (int i = 0; i < 80; i += 7) expectColour(images, i, i / 8, 2);
}

TEST_F(Sampler, ShortVideosArePaddedWithTheLastFrameAndSilence) {
    SegmentSampler s(file("short.mp4"));
    const auto windows = s.windows();
    ASSERT_EQ(windows.size(), 1u);
    EXPECT_EQ(windows[0].validSegments, 3);
    const auto images = s.windowImages(windows[0], 1);
    for (int k = 2; k < 10; ++k) expectColour(images, k, 2, 0);  // padding: the last frame
    const auto audio = windowAudio(file("short.mp4"), windows[0]);
    ASSERT_EQ(audio.size(), 480000u);
    double early = 0, late = 0;
    for (std::size_t i = 0; i < 48000; ++i) early += std::abs(audio[i]);
    for (std::size_t i = 3 * 48000; i < audio.size(); ++i) late += std::abs(audio[i]);
    EXPECT_GT(early / 48000, 0.15);
    EXPECT_EQ(late, 0.0);
}

TEST_F(Sampler, LongVideosGetSeveralWindows) {
    SegmentSampler s(file("long.mkv"));
    const auto windows = s.windows();
    ASSERT_EQ(windows.size(), 3u);
    EXPECT_EQ(windows[2].validSegments, 3);
    const auto images = s.windowImages(windows[1], 1);
    for (int k = 0; k < 10; ++k) expectColour(images, k, 10 + k, 1);
    EXPECT_THROW(windowAudio(file("long.mkv"), windows[0]), MediaError);  // no audio stream
}

TEST_F(Sampler, CropIsCentred) {
    // Left half red, right half blue, 320x180: the shorter side becomes 224 (398 wide),
    // the crop keeps columns 87..310, so the crop's own centre is the boundary.
    const auto path = file("halves.mp4");
    VideoWriterOptions o{.width = 320, .height = 180};
    renderVideo(path, o, 1.0, [](std::int64_t, double, std::span<std::uint8_t> rgb) {
        for (int y = 0; y < 180; ++y)
            for (int x = 0; x < 320; ++x) {
                auto* p = &rgb[(static_cast<std::size_t>(y) * 320 + x) * 3];
                p[0] = x < 160 ? 230 : 20;
                p[2] = x < 160 ? 20 : 230;
            }
    });
    SegmentSampler s(path, {.size = 64});
    const double t = 0.5;
    const auto img = s.images(std::span<const double>(&t, 1));
    ASSERT_EQ(img.size(), 3u * 64 * 64);
    EXPECT_NEAR(img[10 * 64 + 20], normalised(230, 0), 0.1);  // R plane, left of centre
    EXPECT_NEAR(img[10 * 64 + 44], normalised(20, 0), 0.1);   // right of centre
    EXPECT_NEAR(img[2 * 64 * 64 + 10 * 64 + 44], normalised(230, 2), 0.1);
}

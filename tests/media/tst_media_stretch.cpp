// TimeStretcher (librubberband): a real decoded tone played at 0.5x and 2x keeps its
// pitch and lasts twice / half as long; the player plays sound at those rates.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>

#include "core/media/audio_decoder.h"
#include "core/media/audio_output.h"
#include "core/media/player.h"
#include "core/media/time_stretch.h"
#include "media_test_util.h"

using namespace avvp::media;
using namespace avvp::test;
using namespace std::chrono_literals;

namespace {

constexpr int kRate = 48000;

// The dominant frequency of a mono signal from its rising zero crossings, skipping the
// first and last 10 % (the stretcher's ramps).
double zeroCrossingFrequency(const std::vector<float>& x, int rate) {
    const std::size_t from = x.size() / 10, to = x.size() - x.size() / 10;
    std::size_t first = 0, last = 0;
    int crossings = 0;
    for (std::size_t i = from + 1; i < to; ++i) {
        if (x[i - 1] < 0 && x[i] >= 0) {
            if (crossings == 0) first = i;
            last = i;
            ++crossings;
        }
    }
    if (crossings < 2) return 0;
    return (crossings - 1) * static_cast<double>(rate) / static_cast<double>(last - first);
}

double rms(const std::vector<float>& x) {
    double s = 0;
    for (float v : x) s += static_cast<double>(v) * v;
    return x.empty() ? 0 : std::sqrt(s / static_cast<double>(x.size()));
}

class StretchTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<TempDir>("tst_media_stretch");
        ASSERT_EQ(ffmpeg("-f lavfi -i sine=f=440:d=2:sample_rate=48000 -c:a aac -b:a 128k " +
                         shellQuote((*dir_ / "tone.m4a").string())),
                  0);
    }
    static void TearDownTestSuite() { dir_.reset(); }
    static std::vector<float> tone() {
        AudioDecoder dec(*dir_ / "tone.m4a", {.format = {kRate, 1}});
        return dec.readAll();
    }
    static std::unique_ptr<TempDir> dir_;
};
std::unique_ptr<TempDir> StretchTest::dir_;

}  // namespace

TEST_F(StretchTest, DecodedToneKeepsItsPitchAtHalfAndDoubleSpeed) {
    const auto in = tone();
    ASSERT_GT(in.size(), static_cast<std::size_t>(kRate));
    const double f0 = zeroCrossingFrequency(in, kRate);
    ASSERT_NEAR(f0, 440.0, 440.0 * 0.01);
    for (double speed : {0.5, 2.0}) {
        SCOPED_TRACE(speed);
        const auto out = timeStretch(in, kRate, 1, speed);
        const double expected = static_cast<double>(in.size()) / speed;
        std::printf("speed %.2f: %zu -> %zu samples (x%.3f), %.1f Hz -> %.1f Hz\n", speed,
                    in.size(), out.size(),
                    static_cast<double>(out.size()) / static_cast<double>(in.size()), f0,
                    zeroCrossingFrequency(out, kRate));
        EXPECT_NEAR(static_cast<double>(out.size()), expected, expected * 0.03) << "length";
        EXPECT_NEAR(zeroCrossingFrequency(out, kRate), 440.0, 440.0 * 0.03) << "pitch kept";
        EXPECT_GT(rms(out), 0.5 * rms(in)) << "not silence";
    }
}

TEST_F(StretchTest, StreamingInSmallChunksMatchesTheLength) {
    const auto in = tone();
    TimeStretcher s(kRate, 1);
    s.setSpeed(0.75);
    std::vector<float> out;
    for (std::size_t i = 0; i < in.size(); i += 700) {
        const std::size_t n = std::min<std::size_t>(700, in.size() - i);
        s.process(std::span<const float>(in.data() + i, n), false, out);
    }
    s.process({}, true, out);
    const double expected = static_cast<double>(in.size()) / 0.75;
    EXPECT_NEAR(static_cast<double>(out.size()), expected, expected * 0.03);
    EXPECT_NEAR(zeroCrossingFrequency(out, kRate), 440.0, 440.0 * 0.03);
    EXPECT_THROW(s.setSpeed(0.1), std::invalid_argument);
}

TEST_F(StretchTest, PlayerPlaysSoundWithPitchKeptAtDoubleRate) {
    NullAudioOutput out({kRate, 1}, 0.2, true);
    Player p(*dir_ / "tone.m4a", {}, &out);
    p.setRate(2.0);
    p.play();
    std::this_thread::sleep_for(600ms);
    const double pos = p.position();
    EXPECT_NEAR(pos, 1.2, 0.25) << "the audio clock runs at 2x";
    const auto heard = out.captured();
    ASSERT_GT(heard.size(), static_cast<std::size_t>(kRate / 4)) << "sound at 2x";
    EXPECT_NEAR(zeroCrossingFrequency(heard, kRate), 440.0, 440.0 * 0.03);
}

// Player: paused and playing states, frame-exact seeks and steps, segment steps, rates,
// the audio clock (a NullAudioOutput that consumes in real time and records what it was
// given, and a PullAudioOutput driven by a simulated device thread), the end of the
// file, audio-only and video-only files. The video carries its frame index in its
// pixels. Timing tolerances are generous: the machine is shared.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "core/media/audio_decoder.h"
#include "core/media/audio_output.h"
#include "core/media/player.h"
#include "core/media/video_writer.h"
#include "tests/media/media_test_util.h"

using namespace avvp::media;
using namespace avvp::test;
using namespace std::chrono_literals;

namespace {

constexpr int kW = 160, kH = 90, kFps = 25;
constexpr double kSeconds = 4.0;

int indexOf(const std::shared_ptr<const VideoFrame>& f) {
    return f ? readIndex(f->pixels.data(), f->width, f->height, bytesPerPixel(f->format)) : -1;
}

class PlayerTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<TempDir>("tst_media_player");
        VideoWriterOptions o{.width = kW, .height = kH, .frameRate = {kFps, 1}, .audio = true};
        // A 440 Hz tone whose level steps every second (0.1, 0.2, ...): the position of
        // the audio can be read back from what the output received.
        renderVideo(
            *dir_ / "av.mp4", o, kSeconds,
            [](std::int64_t i, double, std::span<std::uint8_t> rgb) {
                drawIndex(rgb, kW, kH, static_cast<int>(i));
            },
            [](std::int64_t first, std::span<float> pcm) {
                for (std::size_t k = 0; k < pcm.size(); ++k) {
                    const double t =
                        static_cast<double>(first + static_cast<std::int64_t>(k)) / 48000;
                    pcm[k] = static_cast<float>(0.1 * (1 + std::floor(t)) *
                                                std::sin(2 * M_PI * 440 * t));
                }
            });
        o.audio = false;
        renderVideo(*dir_ / "video_only.mkv", o, 2.0,
                    [](std::int64_t i, double, std::span<std::uint8_t> rgb) {
                        drawIndex(rgb, kW, kH, static_cast<int>(i));
                    });
        ASSERT_EQ(ffmpeg("-f lavfi -i sine=f=440:d=1.5 -c:a aac " +
                         shellQuote((*dir_ / "audio_only.m4a").string())),
                  0);
    }
    static void TearDownTestSuite() { dir_.reset(); }
    static fs::path file(const std::string& n) { return *dir_ / n; }

    // Polls like a 200 Hz display for `seconds`; returns the indices shown, in order.
    static std::vector<int> watch(Player& p, double seconds) {
        std::vector<int> shown;
        const auto until =
            std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < until) {
            const int i = indexOf(p.currentFrame());
            if (shown.empty() || shown.back() != i) shown.push_back(i);
            std::this_thread::sleep_for(5ms);
        }
        return shown;
    }

    static int settle(Player& p) {
        EXPECT_TRUE(p.waitIdle());
        return indexOf(p.currentFrame());
    }

    static std::unique_ptr<TempDir> dir_;
};
std::unique_ptr<TempDir> PlayerTest::dir_;

}  // namespace

TEST_F(PlayerTest, StartsPausedOnTheFirstFrame) {
    Player p(file("av.mp4"), {.width = 80});
    EXPECT_EQ(p.state(), PlayerState::Paused);
    EXPECT_NEAR(p.duration(), kSeconds, 0.05);
    EXPECT_EQ(settle(p), 0);
    const auto f = p.currentFrame();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->width, 80);
    EXPECT_EQ(f->height, 45);
    EXPECT_EQ(f->format, PixelFormat::Bgra);
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(p.position(), 0.0) << "paused: the clock stands still";
}

TEST_F(PlayerTest, SeeksShowTheExactFrame) {
    Player p(file("av.mp4"));
    for (double t : {2.0, 0.5, 3.97, 1.234, 0.0, 3.0399, 3.04}) {
        p.seek(t);
        EXPECT_EQ(settle(p), static_cast<int>(std::floor(t * kFps + 1e-9))) << t;
        EXPECT_DOUBLE_EQ(p.position(), t);
    }
    p.seek(99);  // clamped to the end: the last frame
    EXPECT_EQ(settle(p), kFps * 4 - 1);
}

TEST_F(PlayerTest, StepsFramesAndSegments) {
    Player p(file("av.mp4"));
    p.seek(1.3);
    ASSERT_EQ(settle(p), 32);
    for (int k = 1; k <= 4; ++k) {
        p.stepFrames(1);
        EXPECT_EQ(settle(p), 32 + k);
    }
    p.stepFrames(-1);
    EXPECT_EQ(settle(p), 35);
    p.stepFrames(-3);
    EXPECT_EQ(settle(p), 32);
    p.stepSegments(1);
    EXPECT_EQ(settle(p), 50);
    EXPECT_DOUBLE_EQ(p.position(), 2.0);
    p.stepSegments(1);
    EXPECT_DOUBLE_EQ(p.position(), 3.0);
    p.stepSegments(5);  // clamped to the last segment's start
    EXPECT_DOUBLE_EQ(p.position(), 3.0);
    p.stepSegments(-1);
    EXPECT_DOUBLE_EQ(p.position(), 2.0);
    p.seek(2.5);
    p.stepSegments(-1);  // the previous boundary is the start of this segment
    EXPECT_DOUBLE_EQ(p.position(), 2.0);
    EXPECT_EQ(settle(p), 50);
    p.stepFrames(-1);
    EXPECT_EQ(settle(p), 49);
    p.stepSegments(-10);
    EXPECT_EQ(settle(p), 0);
    p.stepFrames(-1);  // before the first frame: stays
    EXPECT_EQ(settle(p), 0);
    EXPECT_EQ(p.state(), PlayerState::Paused);
}

TEST_F(PlayerTest, PlaysInRealTimeOnTheAudioClock) {
    NullAudioOutput out({48000, 2}, 0.2, true);
    Player p(file("av.mp4"), {}, &out);
    settle(p);
    p.seek(1.0);
    settle(p);
    p.play();
    const auto shown = watch(p, 0.8);
    p.pause();
    const double pos = p.position();
    EXPECT_NEAR(pos, 1.8, 0.25);
    // Frames came in order, starting at the seek target.
    ASSERT_GE(shown.size(), 12u);
    EXPECT_EQ(shown.front(), 25);
    for (std::size_t i = 1; i < shown.size(); ++i) EXPECT_GT(shown[i], shown[i - 1]);
    // The frame on screen is the one the clock is in.
    EXPECT_NEAR(indexOf(p.currentFrame()), std::floor(pos * kFps), 1.0);
    const auto s = p.stats();
    EXPECT_EQ(s.framesDropped, 0);
    // The output got the file's audio from t = 1.0 on (level 0.2 in [1, 2)).
    const auto pcm = out.captured();
    ASSERT_GT(pcm.size(), 2 * 48000 * 4u / 10);
    AudioDecoder ref(file("av.mp4"), {.format = {48000, 2}});
    const auto expected = ref.readWindow(1.0, 0.4);
    double err = 0;
    for (std::size_t i = 0; i < expected.size(); ++i)
        err = std::max(err, static_cast<double>(std::abs(pcm[i] - expected[i])));
    EXPECT_LT(err, 2e-3);  // the same samples (AAC decoding after a seek differs in the last bits)

    // Paused: the clock stays.
    std::this_thread::sleep_for(200ms);
    EXPECT_DOUBLE_EQ(p.position(), pos);
}

TEST_F(PlayerTest, RatesKeepTheSound) {
    NullAudioOutput out({48000, 2}, 0.2, true);
    Player p(file("av.mp4"), {}, &out);
    settle(p);
    p.setRate(2.0);
    EXPECT_DOUBLE_EQ(p.rate(), 2.0);
    p.play();
    watch(p, 0.6);
    EXPECT_NEAR(p.position(), 1.2, 0.2);
    EXPECT_GT(out.framesWritten(), 0) << "sound at 2x, time-stretched";
    p.setRate(0.5);
    const double before = p.position();
    watch(p, 0.6);
    EXPECT_NEAR(p.position() - before, 0.3, 0.15);
    p.setRate(1.0);
    const double back = p.position();
    watch(p, 0.5);
    EXPECT_NEAR(p.position() - back, 0.5, 0.2);
    EXPECT_GT(out.framesWritten(), 0) << "audio back at rate 1";
    EXPECT_THROW(p.setRate(3.0), std::invalid_argument);
    EXPECT_THROW(p.setRate(0.1), std::invalid_argument);
}

TEST_F(PlayerTest, SeekWhilePlayingKeepsPlayingFromThere) {
    NullAudioOutput out({48000, 1});
    Player p(file("av.mp4"), {}, &out);
    p.play();
    watch(p, 0.3);
    p.seek(3.0);
    const auto shown = watch(p, 0.4);
    EXPECT_EQ(p.state(), PlayerState::Playing);
    EXPECT_NEAR(p.position(), 3.4, 0.2);
    ASSERT_FALSE(shown.empty());
    EXPECT_GE(shown.back(), 75);
}

TEST_F(PlayerTest, EndsAtTheEndAndRestarts) {
    std::atomic<int> updates{0};
    Player p(file("video_only.mkv"));
    p.setOnUpdate([&] { ++updates; });
    p.seek(1.7);
    EXPECT_EQ(settle(p), 42);
    p.play();
    watch(p, 0.6);
    EXPECT_EQ(p.state(), PlayerState::Ended);
    EXPECT_DOUBLE_EQ(p.position(), p.duration());
    EXPECT_EQ(indexOf(p.currentFrame()), 49);
    EXPECT_GE(updates.load(), 2);  // the seek's frame, then the end
    p.play();                      // from the start again
    EXPECT_EQ(p.state(), PlayerState::Playing);
    EXPECT_LT(p.position(), 0.2);
}

TEST_F(PlayerTest, AudioOnlyFilesPlay) {
    NullAudioOutput out({48000, 1});
    Player p(file("audio_only.m4a"), {}, &out);
    EXPECT_FALSE(p.info().hasVideo());
    p.play();
    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(p.currentFrame(), nullptr);
    EXPECT_NEAR(p.position(), 0.4, 0.15);
    p.seek(1.0);
    std::this_thread::sleep_for(800ms);
    EXPECT_EQ(p.state(), PlayerState::Ended);
}

TEST_F(PlayerTest, PullOutputDrivesTheClock) {
    // A simulated device pulling 10 ms every 10 ms with 30 ms of its own latency.
    PullAudioOutput out({48000, 2});
    std::atomic<bool> stop{false};
    std::thread device([&] {
        std::vector<float> buf(480 * 2);
        auto next = std::chrono::steady_clock::now();
        while (!stop) {
            out.pull(buf);
            out.setDeviceLatency(1440);
            next += 10ms;
            std::this_thread::sleep_until(next);
        }
    });
    {
        Player p(file("av.mp4"), {}, &out);
        settle(p);
        p.play();
        watch(p, 0.8);
        const double pos = p.position();
        EXPECT_NEAR(pos, 0.8, 0.25);
        EXPECT_NEAR(indexOf(p.currentFrame()), std::floor(pos * kFps), 1.5);
        p.pause();
        const double paused = p.position();
        std::this_thread::sleep_for(150ms);
        EXPECT_NEAR(p.position(), paused, 0.035);  // at most the device's latency drains
    }
    stop = true;
    device.join();
}

TEST_F(PlayerTest, DisplaySizeChangesRedrawTheCurrentFrame) {
    Player p(file("av.mp4"), {.width = 160, .height = 90});
    p.seek(2.2);
    EXPECT_EQ(settle(p), 55);
    p.setDisplaySize(320, 0);
    EXPECT_EQ(settle(p), 55);
    const auto f = p.currentFrame();
    EXPECT_EQ(f->width, 320);
    EXPECT_EQ(f->height, 180);
}

TEST_F(PlayerTest, RefusesBadFiles) {
    writeBytes(file("bad.mp4"), "not a video");
    EXPECT_THROW(Player p(file("bad.mp4")), MediaError);
    EXPECT_THROW(Player p(file("missing.mp4")), MediaError);
}

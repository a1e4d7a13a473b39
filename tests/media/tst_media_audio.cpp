// AudioDecoder: float PCM at a requested rate and layout, placed exactly on the media time
// axis. Test signals are generated with the ffmpeg CLI (aevalsrc) and our VideoWriter;
// a 1 kHz sine whose phase is known at every instant makes a one-sample error visible
// (it changes samples by up to 0.065 at 48 kHz).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>

#include "core/media/audio_decoder.h"
#include "core/media/video_decoder.h"
#include "core/media/video_writer.h"
#include "tests/media/media_test_util.h"

using namespace avvp::media;
using namespace avvp::test;

namespace {

double sine1k(double t) {
    return 0.5 * std::sin(2 * M_PI * 1000.0 * t);
}

// Largest difference between a decoded window and the 1 kHz sine at its times,
// ignoring `skip` sample frames at both ends (resampler edges).
double maxError(const std::vector<float>& pcm, double start, int rate, int channels,
                std::size_t skip = 0) {
    double worst = 0;
    const std::size_t frames = pcm.size() / static_cast<std::size_t>(channels);
    for (std::size_t i = skip; i + skip < frames; ++i)
        for (int c = 0; c < channels; ++c)
            worst = std::max(
                worst,
                std::abs(pcm[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] -
                         sine1k(start + static_cast<double>(i) / rate)));
    return worst;
}

// The shift (in samples, -4..4) that best aligns the window with the sine: 0 when the
// decoder put every sample at its time.
int bestLag(const std::vector<float>& pcm, double start) {
    int best = 99;
    double bestErr = 1e300;
    for (int lag = -4; lag <= 4; ++lag) {
        double err = 0;
        for (std::size_t i = 8; i + 8 < pcm.size(); ++i) {
            const double d = pcm[i] - sine1k(start + (static_cast<double>(i) + lag) / 48000);
            err += d * d;
        }
        if (err < bestErr) {
            bestErr = err;
            best = lag;
        }
    }
    return best;
}

double rms(const float* p, std::size_t n) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(p[i]) * p[i];
    return n ? std::sqrt(s / static_cast<double>(n)) : 0.0;
}

class Audio : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<TempDir>("tst_media_audio");
        const std::string sine = "-f lavfi -i \"aevalsrc='0.5*sin(2*PI*1000*t)':s=%R:d=3\" ";
        auto gen = [&](const std::string& rate, const std::string& out, const std::string& args) {
            std::string cmd = sine;
            cmd.replace(cmd.find("%R"), 2, rate);
            ASSERT_EQ(ffmpeg(cmd + args + " " + shellQuote((*dir_ / out).string())), 0) << out;
        };
        gen("44100", "sine44k.wav", "-c:a pcm_s16le");
        gen("48000", "sine48k.wav", "-c:a pcm_s16le");
        gen("44100", "sine44k.flac", "-c:a flac");
        gen("44100", "sine44k.m4a", "-c:a aac -b:a 192k");
        gen("48000", "sine48k.opus", "-c:a libopus -b:a 128k");
        // Stereo: left 0.4 sin, right 0.2 sin -> mono mean 0.3 sin.
        ASSERT_EQ(
            ffmpeg(
                "-f lavfi -i \"aevalsrc='0.4*sin(2*PI*1000*t)|0.2*sin(2*PI*1000*t)':s=48000:d=2\" "
                "-c:a pcm_s16le " +
                shellQuote((*dir_ / "stereo.wav").string())),
            0);
        // A video whose audio starts 0.5 s after the video, and one whose video starts
        // 0.5 s after the audio (the media time axis starts with the video).
        const std::string video = "-f lavfi -i testsrc2=s=160x90:r=25:d=3 ";
        const std::string tone = "-f lavfi -i \"aevalsrc='0.5*sin(2*PI*1000*t)':s=48000:d=3\" ";
        ASSERT_EQ(ffmpeg(video + "-itsoffset 0.5 " + tone +
                         "-map 0:v -map 1:a -c:v libx264 -preset veryfast -c:a pcm_s16le " +
                         shellQuote((*dir_ / "audio_late.mkv").string())),
                  0);
        ASSERT_EQ(ffmpeg("-itsoffset 0.5 " + video + tone +
                         "-map 0:v -map 1:a -c:v libx264 -preset veryfast -c:a pcm_s16le " +
                         shellQuote((*dir_ / "video_late.mkv").string())),
                  0);
    }
    static void TearDownTestSuite() { dir_.reset(); }
    static fs::path file(const std::string& name) { return *dir_ / name; }
    static std::unique_ptr<TempDir> dir_;
};
std::unique_ptr<TempDir> Audio::dir_;

}  // namespace

TEST_F(Audio, ReportsTheStream) {
    const auto info = probe(file("sine44k.m4a"));
    EXPECT_FALSE(info.hasVideo());
    ASSERT_TRUE(info.hasAudio());
    EXPECT_EQ(info.audio().codec, "aac");
    EXPECT_EQ(info.audio().sampleRate, 44100);
    EXPECT_EQ(info.audio().channels, 1);
    EXPECT_EQ(info.audio().channelLayout, "mono");
    EXPECT_NEAR(info.duration, 3.0, 0.05);
    EXPECT_EQ(info.segments(), 3);
    const auto stereo = probe(file("stereo.wav"));
    EXPECT_EQ(stereo.audio().channels, 2);
    EXPECT_EQ(stereo.audio().channelLayout, "stereo");
}

TEST_F(Audio, ReadsEverySampleAtTheRequestedRate) {
    for (const char* name : {"sine44k.wav", "sine48k.wav", "sine44k.flac"}) {
        AudioDecoder dec(file(name), {.format = {48000, 1}});
        EXPECT_EQ(dec.format().sampleRate, 48000);
        const auto all = dec.readAll();
        EXPECT_NEAR(static_cast<double>(all.size()), 3.0 * 48000, 2) << name;
        EXPECT_LT(maxError(all, 0.0, 48000, 1, 64), 0.01) << name;
        EXPECT_NEAR(dec.position(), 3.0, 1e-3) << name;
    }
}

TEST_F(Audio, WindowsStartAtTheExactSample) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> start(0.0, 2.7);
    for (const char* name : {"sine44k.wav", "sine48k.wav", "sine44k.flac"}) {
        AudioDecoder dec(file(name), {.format = {48000, 1}});
        for (int k = 0; k < 15; ++k) {
            const double s = std::round(start(rng) * 48000) / 48000;  // on the sample grid
            const auto w = dec.readWindow(s, 0.2);
            ASSERT_EQ(w.size(), 9600u);
            EXPECT_LT(maxError(w, s, 48000, 1, 32), 0.01) << name << " window at " << s;
        }
    }
}

TEST_F(Audio, LossyCodecsStayAligned) {
    // AAC and Opus are not sample-exact (a few hundredths here and there), so the test
    // asks for the best alignment with the true signal to be at lag 0 and for the error
    // to be small on the whole.
    for (const char* name : {"sine44k.m4a", "sine48k.opus"}) {
        AudioDecoder dec(file(name), {.format = {48000, 1}});
        for (double s : {0.0, 0.25, 1.0, 1.7345, 2.5}) {
            const auto w = dec.readWindow(s, 0.2);
            EXPECT_EQ(bestLag(w, s), 0) << name << " window at " << s;
            EXPECT_LT(maxError(w, s, 48000, 1, 48), 0.08) << name << " window at " << s;
        }
    }
}

TEST_F(Audio, WindowsArePaddedWithSilenceOutsideTheFile) {
    AudioDecoder dec(file("sine48k.wav"), {.format = {48000, 1}});
    auto w = dec.readWindow(-0.5, 1.0);
    ASSERT_EQ(w.size(), 48000u);
    EXPECT_EQ(rms(w.data(), 24000), 0.0);
    EXPECT_NEAR(rms(w.data() + 24000, 24000), 0.5 / std::sqrt(2.0), 0.01);
    w = dec.readWindow(2.5, 1.0);
    EXPECT_NEAR(rms(w.data(), 24000), 0.5 / std::sqrt(2.0), 0.01);
    EXPECT_EQ(rms(w.data() + 24000, 24000), 0.0);
    w = dec.readWindow(10.0, 10.0);  // wholly after the end
    EXPECT_EQ(w.size(), 480000u);
    EXPECT_EQ(rms(w.data(), w.size()), 0.0);
}

TEST_F(Audio, MonoIsTheMeanOfTheChannelsAndStereoCopiesMono) {
    AudioDecoder mono(file("stereo.wav"), {.format = {48000, 1}});
    auto m = mono.readWindow(0.5, 0.5);
    EXPECT_NEAR(rms(m.data(), m.size()), 0.3 / std::sqrt(2.0), 0.005);

    AudioDecoder both(file("stereo.wav"), {.format = {48000, 2}});
    auto s = both.readWindow(0.5, 0.5);
    ASSERT_EQ(s.size(), 48000u);
    std::vector<float> left, right;
    for (std::size_t i = 0; i < s.size(); i += 2) {
        left.push_back(s[i]);
        right.push_back(s[i + 1]);
    }
    EXPECT_NEAR(rms(left.data(), left.size()), 0.4 / std::sqrt(2.0), 0.005);
    EXPECT_NEAR(rms(right.data(), right.size()), 0.2 / std::sqrt(2.0), 0.005);

    AudioDecoder up(file("sine48k.wav"), {.format = {16000, 2}});
    auto u = up.readWindow(1.0, 0.1);
    ASSERT_EQ(u.size(), 3200u);
    for (std::size_t i = 0; i < u.size(); i += 2) ASSERT_EQ(u[i], u[i + 1]);
    EXPECT_LT(maxError(u, 1.0, 16000, 2, 16), 0.01);
}

TEST_F(Audio, SharesTheVideoTimeAxis) {
    // Audio 0.5 s after the video: silence first.
    AudioDecoder late(file("audio_late.mkv"), {.format = {48000, 1}});
    auto w = late.readWindow(0.0, 1.0);
    EXPECT_LT(rms(w.data(), 23000), 1e-4);
    EXPECT_LT(maxError(std::vector<float>(w.begin() + 24000, w.end()), 0.0, 48000, 1, 32), 0.01)
        << "the tone's own t = 0 is at media t = 0.5";
    // Video 0.5 s after the audio: media t = 0 is audio t = 0.5.
    AudioDecoder early(file("video_late.mkv"), {.format = {48000, 1}});
    EXPECT_NEAR(early.info().duration, 3.0, 0.05);
    w = early.readWindow(0.0, 0.5);
    EXPECT_LT(maxError(w, 0.5, 48000, 1, 32), 0.01);
    VideoDecoder video(file("video_late.mkv"));
    EXPECT_NEAR(video.seek(0.0).pts, 0.0, 1e-9);
}

TEST_F(Audio, WriterAudioRoundTrips) {
    const auto path = file("written.mp4");
    VideoWriterOptions o{.width = 64, .height = 36, .audio = true, .channels = 2};
    renderVideo(
        path, o, 2.0, [](std::int64_t, double, std::span<std::uint8_t>) {},
        [](std::int64_t first, std::span<float> pcm) {
            for (std::size_t i = 0; i < pcm.size() / 2; ++i) {
                const double t = static_cast<double>(first + static_cast<std::int64_t>(i)) / 48000;
                pcm[2 * i] = static_cast<float>(sine1k(t));
                pcm[2 * i + 1] = 0.0f;
            }
        });
    const auto info = probe(path);
    ASSERT_TRUE(info.hasAudio());
    EXPECT_EQ(info.audio().codec, "aac");
    EXPECT_EQ(info.audio().channels, 2);
    EXPECT_NEAR(info.duration, 2.0, 0.05);
    AudioDecoder dec(path, {.format = {48000, 2}});
    const auto w = dec.readWindow(0.5, 1.0);
    std::vector<float> left;
    for (std::size_t i = 0; i < w.size(); i += 2) left.push_back(w[i]);
    EXPECT_LT(maxError(left, 0.5, 48000, 1, 48), 0.03);
    EXPECT_LT(rms(w.data() + 1, 1), 0.01);
}

TEST_F(Audio, AudioOnlyFileHasNoVideo) {
    try {
        VideoDecoder v(file("sine44k.m4a"));
        FAIL() << "expected a MediaError";
    } catch (const MediaError& e) {
        EXPECT_EQ(e.kind(), MediaErrorKind::NoVideo);
        EXPECT_NE(std::string(e.what()).find("sine44k.m4a"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("no video stream"), std::string::npos);
    }
}

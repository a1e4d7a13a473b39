// VideoDecoder on media generated here (ffmpeg CLI and our VideoWriter): H.264, VP9 and
// MPEG-4 in MP4, Matroska, WebM and AVI at 25, 29.97 and 30 fps and at a variable frame
// rate. Every frame carries its index in its pixels, so sequential decoding and
// frame-accurate seeking (the frame whose [pts, next pts) covers t) are checked against
// what is really in the file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>

#include "core/media/media_info.h"
#include "core/media/video_decoder.h"
#include "core/media/video_writer.h"
#include "tests/media/media_test_util.h"

using namespace avvp::media;
using namespace avvp::test;

namespace {

constexpr int kW = 160, kH = 90;

struct Clip {
    std::string file;
    std::string codec;  // expected codec name
    double fps;         // nominal; 0 for variable frame rate
    int frames;
    std::function<double(int)> pts;  // expected pts of frame i
    std::function<bool(const fs::path&)> make;
};

double vfrPts(int i) {
    return (i / 2) * 0.08 + (i % 2) * 0.03;
}

std::vector<Clip> clips() {
    auto cfr = [](double fps) { return [fps](int i) { return i / fps; }; };
    auto cli = [](const std::string& rate, int frames, const std::string& args) {
        return [=](const fs::path& out) {
            return ffmpegFromIndexFrames(kW, kH, rate, frames, args + " " + shellQuote(out)) == 0;
        };
    };
    auto writer = [](VideoCodec vc, Rational rate, int frames, bool audio, AudioCodec ac) {
        return [=](const fs::path& out) {
            VideoWriterOptions o;
            o.width = kW;
            o.height = kH;
            o.frameRate = rate;
            o.videoCodec = vc;
            o.audio = audio;
            o.audioCodec = ac;
            renderVideo(
                out, o, frames / rate.value(),
                [](std::int64_t i, double, std::span<std::uint8_t> rgb) {
                    drawIndex(rgb, kW, kH, static_cast<int>(i));
                },
                [&](std::int64_t first, std::span<float> pcm) {
                    for (std::size_t k = 0; k < pcm.size(); ++k)
                        pcm[k] =
                            0.3f *
                            static_cast<float>(std::sin(
                                2 * M_PI * 440.0 *
                                static_cast<double>(first + static_cast<std::int64_t>(k)) / 48000));
                });
            return true;
        };
    };
    const double ntsc = 30000.0 / 1001;
    return {
        {"h264_25_bframes.mp4", "h264", 25, 100, cfr(25),
         cli("25", 100, "-c:v libx264 -preset veryfast -pix_fmt yuv420p -g 30 -bf 3")},
        {"h264_2997_onegop.mkv", "h264", ntsc, 90, cfr(ntsc),
         cli("30000/1001", 90, "-c:v libx264 -preset veryfast -pix_fmt yuv420p")},
        {"h264_2997.mp4", "h264", ntsc, 90, cfr(ntsc),
         cli("30000/1001", 90, "-c:v libx264 -preset veryfast -pix_fmt yuv420p -g 24")},
        {"vp9_30.webm", "vp9", 30, 90, cfr(30),
         cli("30", 90, "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -crf 30 -b:v 0 -g 40")},
        {"mpeg4_25_bframes.mkv", "mpeg4", 25, 75, cfr(25),
         cli("25", 75, "-c:v mpeg4 -q:v 3 -bf 2 -g 20")},
        {"mpeg4_30.avi", "mpeg4", 30, 60, cfr(30), cli("30", 60, "-c:v mpeg4 -q:v 3 -g 15")},
        {"h264_vfr.mkv", "h264", 0, 80, vfrPts,
         cli("25", 80,
             "-vf \"settb=1/1000,setpts='(floor(N/2)*0.08+mod(N,2)*0.03)/TB'\" -fps_mode "
             "passthrough -enc_time_base 1/1000 -c:v libx264 "
             "-preset veryfast -pix_fmt yuv420p -g 20")},
        // Frame 21 is a B-frame nothing references (b-pyramid off) shown for 1.04 s: the
        // answer for t in [0.84, 1.88), which a seek must not skip.
        {"h264_vfr_long_bframe.mkv", "h264", 0, 60,
         [](int i) { return i * 0.04 + (i >= 22 ? 1.0 : 0.0); },
         cli("25", 60,
             "-vf \"settb=1/1000,setpts='(N*0.04+gte(N,22)*1.0)/TB'\" -fps_mode passthrough "
             "-enc_time_base 1/1000 -c:v libx264 -preset veryfast -pix_fmt yuv420p "
             "-x264-params b-adapt=0:bframes=3:b-pyramid=none")},
        {"writer_h264_aac.mp4", "h264", 25, 80, cfr(25),
         writer(VideoCodec::H264, {25, 1}, 80, true, AudioCodec::Aac)},
        {"writer_vp9_opus.webm", "vp9", 30, 75, cfr(30),
         writer(VideoCodec::Vp9, {30, 1}, 75, true, AudioCodec::Opus)},
        {"writer_mpeg4.mkv", "mpeg4", 25, 60, cfr(25),
         writer(VideoCodec::Mpeg4, {25, 1}, 60, false, AudioCodec::Aac)},
    };
}

class Decoder : public ::testing::TestWithParam<Clip> {
  protected:
    static void SetUpTestSuite() { dir_ = std::make_unique<TempDir>("tst_media_decoder"); }
    static void TearDownTestSuite() { dir_.reset(); }

    fs::path clipPath() {
        const auto& c = GetParam();
        const auto p = *dir_ / c.file;
        if (!fs::exists(p)) {
            EXPECT_TRUE(c.make(p)) << "could not generate " << c.file;
        }
        return p;
    }

    static std::unique_ptr<TempDir> dir_;
};
std::unique_ptr<TempDir> Decoder::dir_;

// The index of the frame an interval search over `pts` gives for t.
int expectedIndex(const std::vector<double>& pts, double t) {
    const auto it = std::upper_bound(pts.begin(), pts.end(), t);
    return it == pts.begin() ? 0 : static_cast<int>(it - pts.begin()) - 1;
}

}  // namespace

TEST_P(Decoder, ReportsStreams) {
    const auto& c = GetParam();
    const auto info = probe(clipPath());
    ASSERT_TRUE(info.hasVideo());
    EXPECT_EQ(info.video().codec, c.codec);
    EXPECT_EQ(info.video().width, kW);
    EXPECT_EQ(info.video().height, kH);
    EXPECT_TRUE(info.video().decodable);
    if (c.fps > 0) {
        EXPECT_NEAR(info.video().frameRate.value(), c.fps, 1e-3);
    }
    const double expectedDuration = c.pts(c.frames - 1) + (c.fps > 0 ? 1 / c.fps : 0.05);
    EXPECT_NEAR(info.duration, expectedDuration, 0.1);
    EXPECT_EQ(info.segments(), static_cast<int>(std::ceil(expectedDuration - 0.1)));
}

TEST_P(Decoder, DecodesEveryFrameInOrderWithItsTime) {
    const auto& c = GetParam();
    VideoDecoder dec(clipPath());
    EXPECT_EQ(dec.outputWidth(), kW);
    EXPECT_EQ(dec.outputHeight(), kH);
    int n = 0;
    double prevEnd = 0;
    while (auto f = dec.next()) {
        ASSERT_EQ(f->width, kW);
        ASSERT_EQ(f->pixels.size(), static_cast<std::size_t>(kW * kH * 3));
        EXPECT_EQ(readIndex(f->pixels.data(), kW, kH, 3), n) << "frame " << n;
        EXPECT_NEAR(f->pts, c.pts(n), 1.5e-3) << "frame " << n;
        if (n > 0) {
            EXPECT_NEAR(f->pts, prevEnd, 1e-9) << "durations must tile the time axis";
        }
        EXPECT_GT(f->duration, 0);
        prevEnd = f->end();
        ++n;
    }
    EXPECT_EQ(n, c.frames);
    EXPECT_FALSE(dec.next().has_value());
}

TEST_P(Decoder, SeeksAreFrameAccurate) {
    const auto& c = GetParam();
    const auto path = clipPath();
    std::vector<double> pts;
    {
        VideoDecoder seq(path);
        while (auto t = seq.skip()) pts.push_back(*t);
    }
    ASSERT_EQ(static_cast<int>(pts.size()), c.frames);
    const double end = pts.back() + 0.2;

    std::mt19937 rng(1234);
    std::uniform_real_distribution<double> anyTime(-0.3, end + 0.3);
    std::uniform_int_distribution<int> anyFrame(0, c.frames - 1);
    std::vector<double> times;
    for (int i = 0; i < 40; ++i) times.push_back(anyTime(rng));
    for (int i = 0; i < 12; ++i) {
        const int k = anyFrame(rng);
        times.push_back(pts[static_cast<std::size_t>(k)]);         // exactly at a frame start
        times.push_back(pts[static_cast<std::size_t>(k)] - 1e-4);  // just before it
    }
    times.push_back(0.0);
    times.push_back(pts.back());
    std::shuffle(times.begin(), times.end(), rng);

    VideoDecoder dec(path);
    VideoFrame f;
    for (double t : times) {
        dec.seek(t, f);
        const int want = expectedIndex(pts, t);
        ASSERT_EQ(readIndex(f.pixels.data(), kW, kH, 3), want) << c.file << " seek to " << t;
        EXPECT_DOUBLE_EQ(f.pts, pts[static_cast<std::size_t>(want)]);
        if (t >= 0 && want + 1 < c.frames) {
            EXPECT_TRUE(f.covers(t)) << t;
        }
        // next() continues with the following frame.
        if (want + 1 < c.frames && (static_cast<int>(t * 1000) % 3 == 0)) {
            ASSERT_TRUE(dec.next(f));
            EXPECT_EQ(readIndex(f.pixels.data(), kW, kH, 3), want + 1)
                << "next after seek to " << t;
        }
    }
}

TEST_P(Decoder, StepsForwardAndBackwardOneFrameAtATime) {
    const auto& c = GetParam();
    VideoDecoder dec(clipPath());
    VideoFrame f = dec.seek(0.5);
    int idx = readIndex(f.pixels.data(), kW, kH, 3);
    // Backwards by seeking just before the current frame, as the player's step does.
    for (int k = 0; k < 5 && idx > 0; ++k) {
        dec.seek(f.pts - 1e-6, f);
        const int prev = readIndex(f.pixels.data(), kW, kH, 3);
        EXPECT_EQ(prev, idx - 1);
        idx = prev;
    }
    for (int k = 0; k < 5 && idx + 1 < c.frames; ++k) {
        dec.seek(f.end(), f);
        EXPECT_EQ(readIndex(f.pixels.data(), kW, kH, 3), idx + 1);
        ++idx;
    }
}

TEST_P(Decoder, ScalesToTheRequestedSize) {
    VideoDecoder half(clipPath(), {.width = 80});
    EXPECT_EQ(half.outputWidth(), 80);
    EXPECT_EQ(half.outputHeight(), 45);
    VideoFrame f = half.seek(1.0);
    EXPECT_EQ(f.width, 80);
    EXPECT_EQ(f.height, 45);
    EXPECT_GE(readIndex(f.pixels.data(), 80, 45, 3), 0);

    VideoDecoder bgra(clipPath(), {.width = 320, .height = 180, .format = PixelFormat::Bgra});
    f = bgra.seek(1.0);
    EXPECT_EQ(f.stride(), 320 * 4);
    EXPECT_EQ(f.pixels.size(), static_cast<std::size_t>(320 * 180 * 4));
    EXPECT_GE(readIndex(f.pixels.data(), 320, 180, 4), 0);
    EXPECT_EQ(f.pixel(5, 5)[3], 255);  // opaque alpha
    bgra.setOutputSize(0, 30);
    f = bgra.seek(0.0);
    EXPECT_EQ(f.height, 30);
    EXPECT_EQ(f.width, 53);
}

INSTANTIATE_TEST_SUITE_P(Generated, Decoder, ::testing::ValuesIn(clips()), [](const auto& param) {
    std::string n = param.param.file;
    std::replace_if(
        n.begin(), n.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); },
        '_');
    return n;
});

TEST(DecoderColour, RgbValuesSurviveEncodeAndDecode) {
    TempDir dir("tst_media_colour");
    const auto path = dir / "colours.mp4";
    // Four flat colour quadrants.
    const std::uint8_t colours[4][3] = {
        {200, 40, 40}, {40, 180, 60}, {50, 60, 210}, {128, 128, 128}};
    VideoWriterOptions o{.width = 160, .height = 90};
    renderVideo(path, o, 0.4, [&](std::int64_t, double, std::span<std::uint8_t> rgb) {
        for (int y = 0; y < 90; ++y)
            for (int x = 0; x < 160; ++x) {
                const auto& c = colours[(y >= 45) * 2 + (x >= 80)];
                std::copy(c, c + 3, &rgb[(static_cast<std::size_t>(y) * 160 + x) * 3]);
            }
    });
    VideoDecoder dec(path);
    const auto f = dec.seek(0.2);
    const int pts[4][2] = {{40, 22}, {120, 22}, {40, 67}, {120, 67}};
    for (int q = 0; q < 4; ++q) {
        const auto* p = f.pixel(pts[q][0], pts[q][1]);
        for (int ch = 0; ch < 3; ++ch)
            EXPECT_NEAR(p[ch], colours[q][ch], 6) << "quadrant " << q << " channel " << ch;
    }
}

// Issue 17: the display geometry a player needs, the pixel aspect ratio (SAR) and the
// rotation of the display matrix, and the aspect ratio of the picture as shown.
TEST(DecoderGeometry, SampleAspectAndRotationFromTheContainer) {
    TempDir dir("geometry");
    const auto plain = dir / "plain.mp4", sar = dir / "sar.mp4", rotated = dir / "rot.mp4";
    ASSERT_EQ(ffmpegFromIndexFrames(64, 32, "10", 3,
                                    "-c:v mpeg4 -pix_fmt yuv420p " + shellQuote(plain.string())),
              0);
    ASSERT_EQ(ffmpeg("-i " + shellQuote(plain.string()) + " -vf setsar=2/1 -c:v mpeg4 " +
                     shellQuote(sar.string())),
              0);
    ASSERT_EQ(ffmpeg("-i " + shellQuote(plain.string()) + " -c copy -metadata:s:v:0 rotate=90 " +
                     shellQuote(rotated.string())),
              0);

    const auto p = probe(plain);
    EXPECT_EQ(p.video().rotation, 0);
    EXPECT_DOUBLE_EQ(p.displayAspect(), 2.0);

    const auto s = probe(sar);
    EXPECT_EQ(s.video().sampleAspect, (Rational{2, 1}));
    EXPECT_EQ(s.video().rotation, 0);
    EXPECT_DOUBLE_EQ(s.displayAspect(), 4.0);  // twice as wide as its pixels
    EXPECT_NE(describe(s).find("SAR 2:1"), std::string::npos);

    const auto r = probe(rotated);
    // FFmpeg 5.1 stores the "rotate=90" tag as a display matrix turning the picture 90
    // degrees counter-clockwise (ffprobe: rotation=90; ffmpeg's autorotate agrees), i.e.
    // 270 clockwise.
    EXPECT_EQ(r.video().rotation, 270);
    EXPECT_DOUBLE_EQ(r.displayAspect(), 0.5);  // shown upright: 32 wide, 64 high
    EXPECT_NE(describe(r).find("rotated 270"), std::string::npos);
    // Decoded frames stay as stored (the view turns them).
    VideoDecoder dec(rotated);
    EXPECT_EQ(dec.outputWidth(), 64);
    EXPECT_EQ(dec.outputHeight(), 32);
}

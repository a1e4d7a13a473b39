// `avvp probe` and `avvp features` as a user runs them (the real binary and its on-demand
// libavvp_media_cli.so): output, exit codes, one-line errors, and features whose values
// are checked against the videos' known content through tiny TorchScript encoders made
// by the test (image: per-channel means; audio: energy per token).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/media/video_writer.h"
#include "core/npy.h"
#include "tests/media/media_test_util.h"
#include "tests/models/test_encoders.h"

using namespace avvp::test;
namespace media = avvp::media;

namespace {

const fs::path kAvvp = fs::path(AVVP_BIN_DIR) / "avvp";

struct CliRun {
    int code = -1;
    std::string out, err;
};

std::array<std::uint8_t, 3> colourOf(int k) {
    return {static_cast<std::uint8_t>(30 + 20 * k), static_cast<std::uint8_t>(220 - 15 * k),
            static_cast<std::uint8_t>(k % 2 ? 200 : 50)};
}
double levelOf(int k) {
    return 0.05 * (k + 1);
}

// A video whose colour and tone level change every second.
void render(const fs::path& path, double seconds, bool audio) {
    media::VideoWriterOptions o{
        .width = 96, .height = 64, .frameRate = {25, 1}, .audio = audio, .sampleRate = 48000};
    media::renderVideo(
        path, o, seconds,
        [](std::int64_t, double t, std::span<std::uint8_t> rgb) {
            const auto c = colourOf(static_cast<int>(std::floor(t + 1e-9)));
            for (std::size_t i = 0; i < rgb.size(); i += 3) std::copy(c.begin(), c.end(), &rgb[i]);
        },
        [](std::int64_t first, std::span<float> pcm) {
            for (std::size_t i = 0; i < pcm.size(); ++i) {
                const double t = static_cast<double>(first + static_cast<std::int64_t>(i)) / 48000;
                pcm[i] = static_cast<float>(levelOf(static_cast<int>(std::floor(t))) *
                                            std::sin(2 * M_PI * 300 * t));
            }
        });
}

class CliMedia : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<TempDir>("tst_cli_media");
        fs::create_directories(*dir_ / "videos");
        render(*dir_ / "videos" / "long_clip.mp4", 12.0, true);
        render(*dir_ / "videos" / "silent.mkv", 3.0, false);
        writeBytes(*dir_ / "videos" / "broken.mp4", "this is not a video at all");
        writeTinyEncoders(*dir_ / "enc", {.imageSize = 32,
                                          .dim = 12,
                                          .sampleRate = 8000,
                                          .seconds = 10.0,
                                          .tokens = 64,
                                          .width = 16});
    }
    static void TearDownTestSuite() { dir_.reset(); }
    static fs::path path(const std::string& n) { return *dir_ / n; }

    static CliRun avvp(const std::string& args) {
        const auto out = path("stdout.txt"), err = path("stderr.txt");
        const std::string cmd = shellQuote(kAvvp.string()) + " " + args + " >" +
                                shellQuote(out.string()) + " 2>" + shellQuote(err.string());
        CliRun r;
        r.code = exitCode(std::system(cmd.c_str()));
        r.out = readBytes(out);
        r.err = readBytes(err);
        return r;
    }

    static std::unique_ptr<TempDir> dir_;
};
std::unique_ptr<TempDir> CliMedia::dir_;

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

double normalised(std::uint8_t v, int c) {
    const double mean[3] = {0.48145466, 0.4578275, 0.40821073},
                 sd[3] = {0.26862954, 0.26130258, 0.27577711};
    return (v / 255.0 - mean[c]) / sd[c];
}

}  // namespace

TEST_F(CliMedia, ProbePrintsStreamsAndSegments) {
    const auto r = avvp("probe " + shellQuote(path("videos/long_clip.mp4").string()));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("duration: 12.0"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("12 one-second segments"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("video h264"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("96x64"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("audio aac"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("48000 Hz"), std::string::npos) << r.out;

    const auto j =
        avvp("probe --format json --decode " + shellQuote(path("videos/silent.mkv").string()));
    ASSERT_EQ(j.code, 0) << j.err;
    const auto doc = nlohmann::json::parse(j.out);
    ASSERT_EQ(doc.size(), 1u);
    EXPECT_EQ(doc[0]["segments"], 3);
    EXPECT_EQ(doc[0]["audio_stream"], -1);
    EXPECT_EQ(doc[0]["streams"][0]["codec"], "h264");
    EXPECT_EQ(doc[0]["decoded"]["video_frames"], 75);
    EXPECT_EQ(doc[0]["decoded"]["decode_errors"], 0);
}

TEST_F(CliMedia, ProbeReportsBadFilesOneLineEach) {
    const auto r = avvp("probe " + shellQuote(path("videos/broken.mp4").string()) + " " +
                        shellQuote(path("nothing.mp4").string()) + " " +
                        shellQuote(path("videos/silent.mkv").string()));
    EXPECT_EQ(r.code, 2);
    const auto err = lines(r.err);
    ASSERT_EQ(err.size(), 2u) << r.err;
    EXPECT_EQ(err[0], "avvp probe: error: " + path("videos/broken.mp4").string() +
                          ": not a media file: FFmpeg recognises no audio or video format in it");
    EXPECT_EQ(err[1], "avvp probe: error: " + path("nothing.mp4").string() + ": no such file");
    EXPECT_NE(r.out.find("silent.mkv"), std::string::npos) << "the good file is still described";
    EXPECT_EQ(avvp("probe").code, 2);
    EXPECT_EQ(avvp("probe --help").code, 0);
    EXPECT_EQ(avvp("probe --format xml x").code, 2);
}

TEST_F(CliMedia, FeaturesInValorLayout) {
    const auto out = path("feats");
    const auto r = avvp("features --quiet --encoders " + shellQuote(path("enc").string()) +
                        " --videos " + shellQuote(path("videos").string()) + " --out " +
                        shellQuote(out.string()) + " --device cpu");
    // broken.mp4 fails (exit 2, one line); the two others are written.
    EXPECT_EQ(r.code, 2) << r.err;
    const auto err = lines(r.err);
    ASSERT_EQ(err.size(), 2u) << r.err;
    EXPECT_NE(err[0].find("avvp features: error: " + path("videos/broken.mp4").string() +
                          ": not a media file"),
              std::string::npos)
        << err[0];
    EXPECT_NE(err[1].find("silent.mkv has no audio stream"), std::string::npos) << err[1];
    EXPECT_NE(r.out.find("2 video(s) written (3 window(s)), 0 skipped (already there), 1 failed"),
              std::string::npos)
        << r.out;

    // 12 s: two windows, the second padded with the last frame (colour of second 11).
    const auto v0 = avvp::core::readNpy(out / "visual" / "long_clip_0_10.npy");
    const auto v1 = avvp::core::readNpy(out / "visual" / "long_clip_10_20.npy");
    ASSERT_EQ(v0.shapeString(), "(10, 12)");
    ASSERT_EQ(v1.shapeString(), "(10, 12)");
    for (int k = 0; k < 20; ++k) {
        const auto& a = k < 10 ? v0 : v1;
        const auto c = colourOf(std::min(k, 11));
        for (int j = 0; j < 12; ++j) {
            const double want =
                normalised(c[static_cast<std::size_t>(j % 3)], j % 3) * (1 + 0.01 * j);
            EXPECT_NEAR(a.f32[static_cast<std::size_t>((k % 10) * 12 + j)], want, 0.08)
                << "segment " << k << " dim " << j;
        }
    }
    // Audio: token i covers 10/64 s; its energy is level^2 / 2 of its second; silence after 12 s.
    const auto a0 = avvp::core::readNpy(out / "audio" / "long_clip_0_10.npy");
    const auto a1 = avvp::core::readNpy(out / "audio" / "long_clip_10_20.npy");
    ASSERT_EQ(a0.shapeString(), "(64, 16)");
    for (int w = 0; w < 2; ++w) {
        const auto& a = w == 0 ? a0 : a1;
        for (int i = 0; i < 64; ++i) {
            const double t0 = 10.0 * w + i * 10.0 / 64, t1 = t0 + 10.0 / 64;
            if (std::floor(t0) != std::floor(t1 - 1e-9)) continue;  // straddles a second
            const int k = static_cast<int>(std::floor(t0));
            const double energy = k < 12 ? levelOf(k) * levelOf(k) / 2 : 0.0;
            EXPECT_NEAR(a.f32[static_cast<std::size_t>(i * 16)], energy, 0.1 * energy + 1e-5)
                << "window " << w << " token " << i;
            EXPECT_NEAR(a.f32[static_cast<std::size_t>(i * 16 + 15)], energy * (1 + 15.0 / 16),
                        0.1 * energy + 1e-5);
        }
    }
    // 3 s without audio: one window named by the id; audio features of silence.
    const auto vs = avvp::core::readNpy(out / "visual" / "silent.npy");
    EXPECT_EQ(vs.shapeString(), "(10, 12)");
    const auto as = avvp::core::readNpy(out / "audio" / "silent.npy");
    for (float x : as.f32) EXPECT_EQ(x, 0.0f);
    EXPECT_FALSE(fs::exists(out / "visual" / "broken.npy"));
    // Windows are written as .part and renamed when the video is whole: none is left.
    for (const auto& f : fs::recursive_directory_iterator(out))
        EXPECT_NE(f.path().extension(), ".part") << f.path();

    const auto index = lines(readBytes(out / "index.tsv"));
    ASSERT_EQ(index.size(), 4u);
    EXPECT_EQ(index[0], "name\tvideo\tstart\tend\tvalid_segments\tduration");
    EXPECT_EQ(index[1].substr(0, index[1].find('\t', 20)),
              "long_clip_0_10\t" + path("videos/long_clip.mp4").string());
    EXPECT_NE(index[2].find("long_clip_10_20\t" + path("videos/long_clip.mp4").string() +
                            "\t10\t20\t2\t12.0"),
              std::string::npos)
        << index[2];
    EXPECT_NE(index[3].find("silent\t" + path("videos/silent.mkv").string() + "\t0\t10\t3\t3.0"),
              std::string::npos)
        << index[3];

    // Run again: nothing to do unless --overwrite.
    const auto again =
        avvp("features --quiet --encoders " + shellQuote(path("enc").string()) + " --videos " +
             shellQuote(path("videos/silent.mkv").string()) + " --out " + shellQuote(out.string()));
    EXPECT_EQ(again.code, 0) << again.err;
    EXPECT_NE(again.out.find("0 video(s) written (0 window(s)), 1 skipped"), std::string::npos)
        << again.out;
    EXPECT_EQ(lines(readBytes(out / "index.tsv")).size(), 4u) << "earlier rows kept";
}

TEST_F(CliMedia, FeaturesOnlyOneModality) {
    const auto out = path("only_visual");
    std::ofstream(path("list.txt")) << "# videos\n" << path("videos/silent.mkv").string() << "\n";
    const auto r =
        avvp("features --quiet --only visual --encoders " + shellQuote(path("enc").string()) +
             " --videos @" + shellQuote(path("list.txt").string()) + " --out " +
             shellQuote(out.string()));
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(fs::exists(out / "visual" / "silent.npy"));
    EXPECT_FALSE(fs::exists(out / "audio"));
}

TEST_F(CliMedia, FeaturesUsageErrors) {
    // Each run loads LibTorch (about a second): only the distinct error paths.
    const std::string enc = " --encoders " + shellQuote(path("enc").string());
    const std::string vid = " --videos " + shellQuote(path("videos/silent.mkv").string());
    const std::string outDir = " --out " + shellQuote(path("x").string());
    auto r = avvp("features" + vid + outDir);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err,
              "avvp features: missing required option --encoders (see avvp features --help)\n");
    r = avvp("features" + enc + vid + outDir + " --device gpu");
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("unknown device 'gpu'"), std::string::npos) << r.err;
    r = avvp("features --encoders " + shellQuote(path("videos").string()) + vid + outDir);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "avvp features: error: " + (path("videos") / "manifest.json").string() +
                         ": cannot read the encoder manifest\n");
    EXPECT_FALSE(fs::exists(path("x"))) << "nothing written on bad input";
}

TEST_F(CliMedia, ExporterDummyEncodersGiveValorShapes) {
    // tools/export_encoders.py --dummy: random stand-ins with the real inputs and outputs,
    // traced by Python's torch; checks the manifest and TorchScript files it writes work
    // with `avvp features` and give model.md's shapes. Needs Debian's python3-torch.
    if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "no python3-torch";
    const auto enc = path("exported");
    ASSERT_EQ(
        std::system(
            ("/usr/bin/python3 " +
             shellQuote((fs::path(AVVP_SOURCE_DIR) / "tools" / "export_encoders.py").string()) +
             " --dummy --out " + shellQuote(enc.string()) + " >/dev/null")
                .c_str()),
        0);
    const auto out = path("exported_feats");
    const auto r =
        avvp("features --quiet --encoders " + shellQuote(enc.string()) + " --videos " +
             shellQuote(path("videos/silent.mkv").string()) + " --out " + shellQuote(out.string()));
    ASSERT_EQ(r.code, 0) << r.err;
    const auto v = avvp::core::readNpy(out / "visual" / "silent.npy");
    const auto a = avvp::core::readNpy(out / "audio" / "silent.npy");
    EXPECT_EQ(v.shapeString(), "(10, 768)");
    EXPECT_EQ(a.shapeString(), "(64, 768)");
    for (int k = 0; k < 10; ++k) {
        double norm = 0;
        for (int j = 0; j < 768; ++j)
            norm += std::pow(v.f32[static_cast<std::size_t>(k * 768 + j)], 2);
        EXPECT_NEAR(norm, 1.0, 1e-4) << "CLIP rows are L2-normalised";
    }
}

// `avvp synth --render` runs in the media plugin: the dataset plus one playable video per
// synthetic video, named by feature id, which `avvp probe` reads as 10 s with sound.
TEST_F(CliMedia, SynthRendersMatchingVideos) {
    const auto out = path("synth_rendered");
    const auto r =
        avvp("synth --quiet --videos 4 --seed 3 --render --out " + shellQuote(out.string()));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("rendered 4 videos"), std::string::npos) << r.out;
    int videos = 0;
    for (const auto& f : fs::directory_iterator(out / "features" / "visual")) {
        const auto video = out / "videos" / (f.path().stem().string() + ".mp4");
        ASSERT_TRUE(fs::exists(video)) << video;
        const auto p = avvp("probe " + shellQuote(video.string()));
        EXPECT_EQ(p.code, 0) << p.err;
        EXPECT_NE(p.out.find("duration: 10.000 s"), std::string::npos) << p.out;
        EXPECT_NE(p.out.find("audio aac"), std::string::npos) << p.out;
        ++videos;
    }
    EXPECT_EQ(videos, 4);
    // Without --render the CLI writes the dataset itself and no videos.
    const auto plain = path("synth_plain");
    ASSERT_EQ(avvp("synth --quiet --videos 3 --out " + shellQuote(plain.string())).code, 0);
    EXPECT_FALSE(fs::exists(plain / "videos"));
}

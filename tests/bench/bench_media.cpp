// avvp_bench_media: how fast the media engine is, each number next to a baseline measured
// in the same run on the same files.
//
//  (1) decode throughput (frames/s) of 1080p30 and 360p30 H.264 clips generated here
//      with the ffmpeg CLI: VideoDecoder with FFmpeg's threading, single-threaded, and
//      with conversion to display sizes; baseline `ffmpeg -threads 0 -i F -f null -`.
//  (2) seek latency (median, p99) of frame-accurate VideoDecoder::seek to random times;
//      baseline `ffmpeg -ss T -i F -frames:v 1 -f null -` (accurate seek, one process).
//  (3) real-time playback: the Player plays the whole 1080p clip with audio on a
//      NullAudioOutput (a real-time sink) while a 60 Hz "display" pulls frames; frames
//      shown, dropped and late, and the CPU time it took.
//  (4) feature extraction on --device (cpu by default): per 10-second 360p video, the
//      decoding + CLIP preprocessing + 10 s of 48 kHz audio, and dummy encoders as costly
//      as CLIP ViT-L/14 and HTS-AT (random weights); baseline for the decoding part:
//      `ffmpeg` extracting the same 10 frames (fps=1, bicubic scale, crop) to raw RGB.
//
// usage: avvp_bench_media [--seconds S] [--seeks N] [--videos N] [--image-layers L]
//                         [--device D] [--skip-decode] [--skip-features] [--skip-playback]
//                         [--dir DIR]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/media/audio_decoder.h"
#include "core/media/audio_output.h"
#include "core/media/player.h"
#include "core/media/segment_sampler.h"
#include "core/media/video_decoder.h"
#include "models/encoders.h"
#include "tests/models/test_encoders.h"

namespace fs = std::filesystem;
using namespace avvp::media;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
    return v[std::min(i, v.size() - 1)];
}

double median(std::vector<double> v) {
    return percentile(std::move(v), 0.5);
}

// Wall time of a shell command (seconds); exits on failure.
double timeCommand(const std::string& cmd) {
    const auto t0 = Clock::now();
    if (std::system(cmd.c_str()) != 0) {
        std::fprintf(stderr, "avvp_bench_media: failed: %s\n", cmd.c_str());
        std::exit(1);
    }
    return since(t0);
}

std::string q(const fs::path& p) {
    return "'" + p.string() + "'";
}

struct Options {
    double seconds = 10;
    int seeks = 60;
    int videos = 3;
    int imageLayers = 24;
    std::string device = "cpu";
    bool features = true, playback = true, decode = true;
    fs::path dir;
};

void makeClip(const fs::path& out, int w, int h, double seconds) {
    if (fs::exists(out)) return;
    char cmd[1024];
    // Moving test pattern with film-like noise and a tone, at the bit rate of web video
    // (YouTube-like: 6 Mb/s at 1080p, 1 Mb/s at 360p); x264 medium, 2 s GOP, B-frames.
    const int kbps = h >= 1080 ? 6000 : h >= 720 ? 3000 : 1000;
    std::snprintf(
        cmd, sizeof cmd,
        "ffmpeg -nostdin -hide_banner -v error -y -f lavfi -i testsrc2=s=%dx%d:r=30:d=%g "
        "-f lavfi -i sine=f=440:r=48000:d=%g -vf noise=alls=6:allf=t -c:v libx264 "
        "-preset medium -b:v %dk -maxrate %dk -bufsize %dk -g 60 -pix_fmt yuv420p -c:a aac "
        "-b:a 128k %s",
        w, h, seconds, seconds, kbps, kbps * 3 / 2, kbps * 2, q(out).c_str());
    std::printf("  generating %s ...\n", out.filename().c_str());
    std::fflush(stdout);
    timeCommand(cmd);
}

// Frames/s of decoding the whole clip (optionally converting to a display size).
double decodeFps(const fs::path& f, int threads, int width, int height, bool convert,
                 std::int64_t* frames = nullptr, Scaling scaling = Scaling::Bilinear) {
    VideoDecoder dec(f, {.width = width,
                         .height = height,
                         .format = PixelFormat::Bgra,
                         .scaling = scaling,
                         .threads = threads});
    VideoFrame frame;
    std::int64_t n = 0;
    const auto t0 = Clock::now();
    if (convert) {
        while (dec.next(frame)) ++n;
    } else {
        while (dec.skip()) ++n;
    }
    const double s = since(t0);
    if (frames) *frames = n;
    return static_cast<double>(n) / s;
}

void benchDecode(const Options& o, const fs::path& clip, const char* label, int dispW, int dispH) {
    const auto info = probe(clip);
    std::printf("\n[decode] %s: %dx%d, %.1f s, %.2f Mb/s\n", label, info.video().width,
                info.video().height, info.duration, static_cast<double>(info.bitRate) / 1e6);
    std::int64_t frames = 0;
    const double mt = decodeFps(clip, 0, 0, 0, false, &frames);
    const double st = decodeFps(clip, 1, 0, 0, false);
    const double conv = decodeFps(clip, 0, dispW, dispH, true);
    const double convFast = decodeFps(clip, 0, dispW, dispH, true, nullptr, Scaling::FastBilinear);
    const double convFull = decodeFps(clip, 0, 0, 0, true);
    const double ff =
        static_cast<double>(frames) /
        timeCommand("ffmpeg -nostdin -v error -threads 0 -i " + q(clip) + " -map 0:v -f null -");
    std::printf("  %-52s %8.1f fps\n", "VideoDecoder, FFmpeg frame+slice threads (decode only)",
                mt);
    std::printf("  %-52s %8.1f fps  (%.2fx)\n", "VideoDecoder, 1 thread (baseline)", st, mt / st);
    std::printf("  %-52s %8.1f fps  (%.2fx)\n",
                "ffmpeg -threads 0 -f null (baseline, whole process)", ff, mt / ff);
    char what[96];
    std::snprintf(what, sizeof what, "decode + swscale to %dx%d BGRA", dispW, dispH);
    std::printf("  %-52s %8.1f fps\n", what, conv);
    std::snprintf(what, sizeof what, "decode + swscale to %dx%d BGRA, fast bilinear", dispW, dispH);
    std::printf("  %-52s %8.1f fps\n", what, convFast);
    std::snprintf(what, sizeof what, "decode + swscale to %dx%d BGRA (full size)",
                  info.video().width, info.video().height);
    std::printf("  %-52s %8.1f fps\n", what, convFull);
    std::printf("  real time needs 30 fps: %.1fx headroom with conversion to %dx%d\n", conv / 30.0,
                dispW, dispH);
    (void)o;
}

void benchSeek(const Options& o, const fs::path& clip, const char* label) {
    std::mt19937 rng(42);
    const auto info = probe(clip);
    std::uniform_real_distribution<double> anyTime(0.0, info.duration - 0.05);
    VideoDecoder dec(clip, {.width = 640, .format = PixelFormat::Bgra});
    VideoDecoder plain(
        clip, {.width = 640, .format = PixelFormat::Bgra, .skipUnreferencedWhileSeeking = false});
    VideoFrame f;
    std::vector<double> ms, plainMs;
    for (int i = 0; i < o.seeks; ++i) {
        const double t = anyTime(rng);
        auto t0 = Clock::now();
        dec.seek(t, f);
        ms.push_back(since(t0) * 1000);
        t0 = Clock::now();
        plain.seek(t, f);
        plainMs.push_back(since(t0) * 1000);
    }
    std::vector<double> step;
    dec.seek(1.0, f);
    for (int i = 0; i < 30; ++i) {
        const auto t0 = Clock::now();
        dec.seek(f.end(), f);
        step.push_back(since(t0) * 1000);
    }
    std::vector<double> cli;
    for (int i = 0; i < std::max(5, o.seeks / 6); ++i) {
        char t[32];
        std::snprintf(t, sizeof t, "%.3f", anyTime(rng));
        cli.push_back(1000 * timeCommand(std::string("ffmpeg -nostdin -v error -threads 0 -ss ") +
                                         t + " -i " + q(clip) + " -map 0:v -frames:v 1 -f null -"));
    }
    std::printf("\n[seek] %s, %d random frame-accurate seeks (GOP 2 s)\n", label, o.seeks);
    std::printf("  %-52s median %7.1f ms  p99 %7.1f ms\n",
                "VideoDecoder::seek (exact frame, 640 px BGRA)", median(ms), percentile(ms, 0.99));
    std::printf("  %-52s median %7.1f ms  p99 %7.1f ms\n",
                "the same, decoding every frame (baseline)", median(plainMs),
                percentile(plainMs, 0.99));
    std::printf("  %-52s median %7.1f ms  p99 %7.1f ms\n",
                "one frame forward (seek to the frame's end)", median(step),
                percentile(step, 0.99));
    std::printf("  %-52s median %7.1f ms  p99 %7.1f ms\n",
                "ffmpeg -ss T -frames:v 1 (baseline, whole process)", median(cli),
                percentile(cli, 0.99));
}

void benchPlayback(const fs::path& clip, int w, int h) {
    NullAudioOutput out({48000, 2});
    Player p(clip, {.width = w, .height = h, .format = PixelFormat::Bgra}, &out);
    p.waitIdle();
    const double cpu0 = cpuSeconds();
    const auto t0 = Clock::now();
    p.play();
    auto next = Clock::now();
    std::int64_t paints = 0;
    while (p.state() == PlayerState::Playing && since(t0) < p.duration() + 5) {
        if (p.currentFrame()) ++paints;
        next += std::chrono::microseconds(16667);
        std::this_thread::sleep_until(next);
    }
    const double wall = since(t0), cpu = cpuSeconds() - cpu0;
    const auto s = p.stats();
    const auto frames = static_cast<std::int64_t>(std::llround(p.duration() * 30));
    std::printf(
        "  %4dx%-4d  %.2f s for %.2f s of video: %lld of ~%lld frames shown, %lld dropped, %lld "
        "late; "
        "CPU %.0f%% of one core\n",
        w, h, wall, p.duration(), static_cast<long long>(s.framesShown),
        static_cast<long long>(frames), static_cast<long long>(s.framesDropped),
        static_cast<long long>(s.framesLate), 100 * cpu / wall);
}

void benchFeatures(const Options& o, const fs::path& clip) {
    const auto enc = o.dir / "dummy_encoders";
    if (!fs::exists(enc / "manifest.json")) avvp::test::writeDummyEncoders(enc, o.imageLayers);
    avvp::models::EncoderSet set(enc, o.device);
    const auto& m = set.manifest();
    std::printf(
        "\n[features] %d x %s, device %s; dummy ViT-L/14-sized image encoder (%d layers) and "
        "HTS-AT-sized "
        "audio encoder\n",
        o.videos, clip.filename().c_str(), set.device().c_str(), o.imageLayers);
    // Warm-up: first calls allocate and (on CUDA) initialise kernels.
    {
        std::vector<float> img(3 * 224 * 224, 0.f);
        set.encodeImages(img, 1);
        std::vector<float> wav(static_cast<std::size_t>(m.audio->samples()), 0.f);
        set.encodeAudio(wav);
    }
    std::vector<double> decode, image, audio;
    for (int v = 0; v < o.videos; ++v) {
        auto t0 = Clock::now();
        SegmentSampler sampler(clip, {.size = 224});
        const auto w = sampler.windows().front();
        const auto images = sampler.windowImages(w, 1);
        const auto pcm = windowAudio(clip, w, 48000, 10.0);
        decode.push_back(since(t0));
        t0 = Clock::now();
        set.encodeImages(images, 10);
        image.push_back(since(t0));
        t0 = Clock::now();
        set.encodeAudio(pcm);
        audio.push_back(since(t0));
    }
    std::vector<double> cli;
    for (int v = 0; v < o.videos; ++v)
        cli.push_back(
            timeCommand("ffmpeg -nostdin -v error -i " + q(clip) +
                        " -vf 'fps=1:start_time=0.5,scale=-2:224:flags=bicubic,crop=224:224' "
                        "-frames:v 10 -pix_fmt rgb24 -f rawvideo - >/dev/null"));
    const double total = median(decode) + median(image) + median(audio);
    std::printf("  %-52s %8.3f s per video\n", "decode 10 frames + CLIP preprocess + 10 s audio",
                median(decode));
    std::printf("  %-52s %8.3f s per video (%.2fx)\n",
                "ffmpeg CLI: the 10 frames only (baseline, process)", median(cli),
                median(cli) / median(decode));
    std::printf("  %-52s %8.3f s per video (%.1f images/s)\n", "image encoder, 10 frames",
                median(image), 10 / median(image));
    std::printf("  %-52s %8.3f s per video\n", "audio encoder, one 10 s window", median(audio));
    std::printf("  %-52s %8.3f s per video = %.3f videos/s (decoding %.1f%% of it)\n", "total",
                total, 1 / total, 100 * median(decode) / total);
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "avvp_bench_media: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--seconds")
            o.seconds = std::stod(value());
        else if (a == "--seeks")
            o.seeks = std::stoi(value());
        else if (a == "--videos")
            o.videos = std::stoi(value());
        else if (a == "--image-layers")
            o.imageLayers = std::stoi(value());
        else if (a == "--device")
            o.device = value();
        else if (a == "--dir")
            o.dir = value();
        else if (a == "--skip-features")
            o.features = false;
        else if (a == "--skip-playback")
            o.playback = false;
        else if (a == "--skip-decode")
            o.decode = false;
        else {
            std::fprintf(
                stderr,
                "usage: avvp_bench_media [--seconds S] [--seeks N] [--videos N] [--image-layers L] "
                "[--device D] [--skip-decode] [--skip-features] [--skip-playback] [--dir DIR]\n");
            return a == "-h" || a == "--help" ? 0 : 2;
        }
    }
    if (o.dir.empty()) o.dir = fs::temp_directory_path() / "avvp_bench_media";
    fs::create_directories(o.dir);
    std::printf("avvp_bench_media: %u hardware threads; clips in %s\n",
                std::thread::hardware_concurrency(), o.dir.c_str());
    const auto hd =
        o.dir / ("h264_1080p30_" + std::to_string(static_cast<int>(o.seconds)) + "s.mp4");
    const auto sd =
        o.dir / ("h264_360p30_" + std::to_string(static_cast<int>(o.seconds)) + "s.mp4");
    const auto llp = o.dir / "h264_360p30_10s.mp4";
    makeClip(hd, 1920, 1080, o.seconds);
    makeClip(sd, 640, 360, o.seconds);
    makeClip(llp, 640, 360, 10);

    if (o.decode) {
        benchDecode(o, hd, "1080p30 H.264", 960, 540);
        benchDecode(o, sd, "360p30 H.264", 640, 360);
        benchSeek(o, hd, "1080p30 H.264");
        benchSeek(o, sd, "360p30 H.264");
    }
    if (o.playback) {
        std::printf(
            "\n[playback] real time, 1080p30 H.264 + AAC, audio clock (NullAudioOutput), 60 Hz "
            "display pull\n");
        benchPlayback(hd, 1920, 1080);
        benchPlayback(hd, 960, 540);
    }
    if (o.features) benchFeatures(o, llp);
    return 0;
}

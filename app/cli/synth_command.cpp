#include "app/cli/synth_command.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "app/cli/commands.h"
#include "app/cli/options.h"
#include "core/error.h"
#include "core/progress.h"
#include "core/quote.h"

namespace avvp::app {

namespace {

constexpr const char* kUsage = R"(usage: avvp synth --out DIR [options]

Writes a SYNTHETIC LLP-like dataset (no real videos): features in VALOR's layout made
from per-class prototypes plus noise, audio and visual events of which a fraction are
deliberately not aligned in time, weak labels for train / val / test, dense labels for
val and test, and noisy segment pseudo labels. Deterministic for a given seed.

  DIR/features/audio|visual|motion|pseudo_audio|pseudo_visual/<id>.npy
  DIR/labels/AVVP_train.csv, AVVP_val_pd.csv, AVVP_test_pd.csv, AVVP_dataset_full.csv,
             AVVP_eval_audio.csv, AVVP_eval_visual.csv   (LLP format: avvp eval reads them)
  DIR/class_emb/audio.npy, visual.npy   (25, dim) class prototypes: the stand-in for
                      CLAP / CLIP class text embeddings (LINK's PLSIM tables, zero-shot labels)
  DIR/timeline.json   every video's audio / visual events
  DIR/videos/<id>.mp4 with --render: 10 s videos (320x180, 25 fps, H.264 + AAC) that
                      show the visual events (a shape and a lit strip cell per class)
                      and play the audio events (a tone per class), marked SYNTHETIC
  DIR/encoders/       SYNTHETIC stand-in encoders (manifest.json + TorchScript, written
                      through the models plugin): not CLIP or CLAP, they read the class
                      strip and the class tones of rendered videos and emit this
                      dataset's features (avvp features --encoders DIR/encoders)
  DIR/README.md       marks the folder as synthetic and records the command

With --render --seconds N, the videos are N seconds long instead, with events at real
times (not on second boundaries) and heard-and-seen classes seen at other times:
  DIR/videos/long0000000.mp4 ...   one per --videos, captioned SYNTHETIC
  DIR/videos/labels.json   their ground truth in our JSON label format (real times,
                           durations, media paths): avvp import --add-videos --format
                           json DIR/videos/labels.json
  DIR/videos/timeline.json their events in seconds
The features and LLP labels of DIR stay those of the 10 s clips (training data).

options:
  --out DIR          output folder; must not exist or be empty (required)
  --videos N         number of videos, split 70 / 15 / 15 %          [default: 1000]
  --seed S           random seed                                      [default: 1]
  --misaligned F     fraction of heard-and-seen classes whose audio and visual events
                     cover different segments                         [default: 0.3]
  --noise X          feature noise relative to a class prototype      [default: 2.0]
  --audio KIND       clap (64 x 768 token maps) | vggish (10 x 128)   [default: clap]
  --visual KIND      clip (10 x 768) | resnet (80 x 2048)             [default: clip]
  --no-motion        leave out the R(2+1)D motion stream (10 x 512)
  --render           also render a matching video per video into DIR/videos (about
                     0.5 s each; `avvp import --videos DIR/videos` attaches them)
  --seconds N        with --render: long videos of N seconds (N >= 10), non-aligned;
                     MIN-MAX: each video's length drawn from that range
  --no-encoders      do not write DIR/encoders (no LibTorch needed)
  --quiet            no progress line
)";

}  // namespace

namespace {
std::string fmtSeconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", s);
    return buf;
}
}  // namespace

int runSynth(int argc, char** argv, const SynthRenderer& render) {
    try {
        const Options opt(
            argc, argv,
            {"out", "videos", "seed", "misaligned", "noise", "audio", "visual", "seconds"},
            {"no-motion", "render", "quiet", "no-encoders"});
        if (opt.help()) {
            std::fputs(kUsage, stdout);
            return 0;
        }
        core::SynthOptions o;
        const std::string out = opt.require("out");
        o.videos = static_cast<int>(opt.getInt("videos", o.videos, 3, 1000000));
        o.seed = static_cast<std::uint64_t>(opt.getInt("seed", 1, 0, 1L << 62));
        o.misaligned = opt.getDouble("misaligned", o.misaligned, 0.0, 1.0);
        o.noise = opt.getDouble("noise", o.noise, 0.0, 100.0);
        if (auto a = opt.get("audio")) {
            const auto k = core::audioFeatureFromName(*a);
            if (!k) throw UsageError("--audio must be clap or vggish, not " + core::quote(*a));
            o.audio = *k;
        }
        if (auto v = opt.get("visual")) {
            const auto k = core::visualFeatureFromName(*v);
            if (!k) throw UsageError("--visual must be clip or resnet, not " + core::quote(*v));
            o.visual = *k;
        }
        o.motion = !opt.has("no-motion");
        // 0: the dataset's 10 s clips; N >= 10: long videos with events at real times.
        // --seconds N or MIN-MAX (each video's length drawn from the range).
        double seconds = 0.0;
        if (const auto text = opt.get("seconds")) {
            const auto dash = text->find('-', 1);
            auto number = [&](const std::string& t) {
                char* end = nullptr;
                const double v = std::strtod(t.c_str(), &end);
                if (t.empty() || end != t.c_str() + t.size() || !(v >= 10.0 && v <= 86400.0))
                    throw UsageError(
                        "--seconds must be a number of seconds from 10 to 86400, "
                        "or a range MIN-MAX of them, not '" +
                        *text + "'");
                return v;
            };
            seconds = number(dash == std::string::npos ? *text : text->substr(0, dash));
            if (dash != std::string::npos) {
                o.longMaxSeconds = number(text->substr(dash + 1));
                if (o.longMaxSeconds < seconds)
                    throw UsageError("--seconds " + *text + ": the range's end is below its start");
            }
        }
        if (opt.has("seconds") && !opt.has("render"))
            throw UsageError(
                "--seconds needs --render (it sets the length of the rendered videos)");
        if (opt.has("render") && !render)
            throw UsageError(
                "--render needs libavvp_media_cli.so (FFmpeg), which this build "
                "does not have");

        core::ProgressLine line("avvp synth", !opt.has("quiet"));
        core::ProgressRange writing(line, 0.0, 1.0, "writing features");
        const auto sum = core::writeSynthDataset(out, o, &writing);
        const auto videosDir = std::filesystem::path(out) / "videos";
        if (opt.has("render")) {
            if (seconds > 0) {
                const auto longVideos = core::synthLongVideos(o, o.videos, seconds);
                core::writeSynthLongLabels(videosDir / "labels.json", videosDir / "timeline.json",
                                           longVideos, std::filesystem::absolute(videosDir));
            }
            core::ProgressRange rendering(line, 0.0, 1.0, "rendering videos");
            render(videosDir, o, seconds, rendering);
        }
        line.finish();
        if (!opt.has("no-encoders")) {
            // TorchScript needs LibTorch: the models plugin writes the encoders.
            std::string a0 = "synth-encoders", a1 = "--dataset", a2 = out, a3 = "--quiet";
            std::vector<char*> args = {a0.data(), a1.data(), a2.data(), a3.data()};
            if (const int rc = modelsCommand(static_cast<int>(args.size()), args.data()); rc != 0) {
                std::fprintf(stderr,
                             "avvp synth: the dataset is written, but not its stand-in encoders "
                             "(use --no-encoders to leave them out)\n");
                return rc;
            }
        }
        std::printf(
            "wrote %s: SYNTHETIC dataset, %zu train / %zu val / %zu test videos, %zu audio and "
            "%zu visual events, %zu of %zu heard-and-seen classes not aligned, %.1f MB\n",
            out.c_str(), sum.videos[0], sum.videos[1], sum.videos[2], sum.audioEvents,
            sum.visualEvents, sum.misalignedClasses, sum.audioVisualClasses,
            static_cast<double>(sum.bytes) / 1e6);
        if (opt.has("render") && seconds > 0)
            std::printf(
                "rendered %d SYNTHETIC videos of %g%s s with events at real times into %s "
                "(labels: %s)\n",
                o.videos, seconds,
                o.longMaxSeconds > seconds ? ("-" + fmtSeconds(o.longMaxSeconds)).c_str() : "",
                videosDir.c_str(), (videosDir / "labels.json").c_str());
        else if (opt.has("render"))
            std::printf("rendered %zu videos into %s/videos\n",
                        sum.videos[0] + sum.videos[1] + sum.videos[2], out.c_str());
        if (!opt.has("no-encoders"))
            std::printf(
                "wrote %s/encoders: SYNTHETIC stand-in encoders (not CLIP or CLAP; they read "
                "rendered SYNTHETIC videos)\n",
                out.c_str());
        return 0;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "avvp synth: %s (see avvp synth --help)\n",
                     core::oneLine(e.what()).c_str());
        return 2;
    } catch (const core::InputError& e) {
        std::fprintf(stderr, "avvp synth: error: %s\n", core::oneLine(e.what()).c_str());
        return 2;
    }
}

}  // namespace avvp::app

// avvp synth-encoders: the SYNTHETIC stand-in encoders of a dataset written by avvp synth
// (which runs this itself unless --no-encoders). In the models plugin: TorchScript needs
// LibTorch.
#include <cstdio>
#include <filesystem>

#include "app/cli/models_plugin.h"
#include "app/cli/options.h"
#include "models/synthetic_encoders.h"

namespace avvp::app {

namespace {

constexpr const char* kUsage = R"(usage: avvp synth-encoders --dataset DIR [--out DIR]

Writes SYNTHETIC stand-in encoders for a dataset written by `avvp synth` (which does this
itself unless --no-encoders): TorchScript modules in the encoder folder layout
(manifest.json, synthetic_image.pt, synthetic_audio.pt, README.md) that read a video
rendered by `avvp synth --render` (the lit cells of its class strip, its class tones)
and emit the dataset's class-prototype features with the generator's noise model, in the
dataset's shapes (CLAP tokens (64, 768) or VGGish (10, 128); CLIP (10, 768) or ResNet
(80, 2048)). They are not CLIP or CLAP: on any other video their output means nothing.
There is no motion encoder: train models for extracted features with --no-motion.

options:
  --dataset DIR      the synthetic dataset (its class_emb/ and timeline.json) (required)
  --out DIR          the encoder folder                         [default: DATASET/encoders]
  --quiet            no summary line
)";

}  // namespace

int synthEncodersCommand(int argc, char** argv) {
    const Options opt(argc, argv, {"dataset", "out"}, {"quiet"});
    if (opt.help()) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    const std::filesystem::path dataset = opt.require("dataset");
    const std::filesystem::path out = opt.get("out", (dataset / "encoders").string());
    const auto spec = models::syntheticEncoderSpec(dataset);
    models::writeSyntheticEncoders(out, spec);
    if (!opt.has("quiet"))
        std::printf("wrote %s: SYNTHETIC stand-in encoders (%s, noise %g; not CLIP or CLAP)\n",
                    out.c_str(), spec.origin.empty() ? "synthetic dataset" : spec.origin.c_str(),
                    spec.noise);
    return 0;
}

}  // namespace avvp::app

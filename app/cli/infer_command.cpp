// `avvp infer`: options, help and the progress line around models::infer.
#include <cstdio>

#include "app/cli/model_options.h"
#include "app/cli/models_plugin.h"
#include "core/error.h"
#include "core/llp_dataset.h"
#include "core/progress.h"
#include "models/model_api.h"

namespace avvp::app {

namespace {

constexpr const char* kInferUsage =
    R"(usage: avvp infer --checkpoint C --features DIR --split S --out DIR [options]

Predicts every video of a split and writes
  DIR/pred_audio.csv, DIR/pred_visual.csv   LLP dense predictions (what avvp eval scores;
                                            a cell is on when frame_prob >= 0.5 and
                                            global_prob >= 0.5)
  DIR/frame_prob.npy    (N, 10, 2, 25) float32: video, segment, modality (0 audio,
                        1 visual), class in LLP order
  DIR/global_prob.npy   (N, 25) float32
  DIR/videos.txt        the N filenames in row order

Only the features are read (and zero-shot segment embeddings): never the pseudo-label
folders, and the split's weak labels never reach the model.

options:
  --split S              a split file (filename, event_labels), or train|val|test
                         for the split file in --labels
  --labels DIR           LLP folder for a split name
  --checkpoint-format F  auto | native | pytorch                   [default: auto]
  --variant V, --heads N, --norm post|pre   for a PyTorch state_dict (it has no
                         config; auto: link / leap by their keys, else valor)
                                                               [auto, 8, post]
  --zs-audio DIR  --zs-visual DIR   folders of <id>.npy segment embeddings (10, d) or
                         (64, d) for a zero-shot label source (below)
  --batch N              videos per forward pass                   [default: 64]
  --device D  [auto]   --threads N  [0 = all]   --quiet

)";

}  // namespace

int inferCommand(int argc, char** argv) {
    auto valued = kCommonValued;
    valued.insert(kLoadValued.begin(), kLoadValued.end());
    valued.insert({"features", "split", "labels", "out", "variant"});
    valued.insert(kLabelSourceValued.begin(), kLabelSourceValued.end());
    const Options opt(argc, argv, valued, {"quiet"});
    applyThreads(opt);
    if (opt.help()) {
        std::fputs(kInferUsage, stdout);
        std::fputs(kLabelSourceUsage, stdout);
        return 0;
    }
    models::InferOptions o;
    o.checkpoint = opt.require("checkpoint");
    o.features = opt.require("features");
    o.out = opt.require("out");
    const std::string split = opt.require("split");
    if (auto s = core::splitFromName(split)) {
        if (!opt.has("labels"))
            throw UsageError("--split " + split +
                             " names a split: give --labels DIR too (or a split file)");
        o.split = core::splitFile(opt.require("labels"), *s);
    } else {
        o.split = split;
    }
    o.load = loadOptions(opt);
    o.labels = labelSource(opt);
    o.zeroShot = zeroShotFolders(opt, o.labels);
    o.batch = static_cast<int>(opt.getInt("batch", 64, 1, 1 << 20));
    core::ProgressLine line("avvp infer", !opt.has("quiet"));
    o.progress = &line;
    models::InferResult r;
    try {
        r = models::infer(o);
    } catch (const core::InputError& e) {
        throw withLoadHints(e);
    }
    line.finish();
    std::printf("predicted %zu videos of %s:\n", r.videos, o.split.string().c_str());
    for (const auto& f : r.files) std::printf("  %s\n", f.string().c_str());
    return 0;
}

}  // namespace avvp::app

// avvp pseudo-labels: VALOR's segment pseudo labels for training, from segment embeddings
// and class text embeddings (models::makePseudoLabels), in the feature layout `avvp train`
// reads.
#include <cstdio>
#include <filesystem>
#include <string>

#include "app/cli/model_options.h"
#include "app/cli/models_plugin.h"
#include "app/cli/options.h"
#include "core/feature_dataset.h"
#include "core/llp_dataset.h"
#include "core/llp_files.h"
#include "core/progress.h"
#include "models/model_api.h"

namespace avvp::app {

namespace {

constexpr const char* kUsage =
    R"(usage: avvp pseudo-labels --labels DIR --zs-audio-table T --zs-audio DIR
                         --zs-visual-table T --zs-visual DIR --out DIR [options]

Makes the segment pseudo labels that `avvp train` reads, as VALOR makes them: per
modality the zero-shot labels of each video's segment embeddings against the class text
embeddings (the rule and thresholds below), kept only for the video's weak classes (AND
with its video-level labels). Writes OUT/pseudo_audio/<id>.npy and
OUT/pseudo_visual/<id>.npy, (10, 25) int64 of 0 / 1; OUT is usually the feature folder.
Nothing is written when an input is missing or misshapen.

options:
  --labels DIR       the LLP folder whose split file gives the videos and weak labels
  --split S          train | val | test, or a weak-label CSV            [default: train]
  --out DIR          the feature folder to write into (required)
  --no-and           keep every zero-shot label (LINK's test-time rule), not only the
                     video's weak classes
  --force            replace pseudo labels already in OUT
  --threads N        CPU threads, 0 = all                                 [default: 0]
  --quiet            no progress line or summary

The zero-shot rule per modality, cos(segment embedding, class text embedding) >=
threshold, or VALOR's (both tables and both embedding folders are required; --zs-M DIR
holds <id>.npy segment embeddings, (10, d) or CLAP-style (64, d) token maps):
)";

}  // namespace

int pseudoLabelsCommand(int argc, char** argv) {
    auto valued = kLabelSourceValued;
    valued.insert({"labels", "split", "out", "threads"});
    const Options opt(argc, argv, valued, {"no-and", "force", "quiet"});
    if (opt.help()) {
        std::fputs(kUsage, stdout);
        std::fputs(kZeroShotOptionsUsage, stdout);
        return 0;
    }
    applyThreads(opt);
    const std::string split = opt.get("split", "train");
    std::filesystem::path splitPath = split;
    if (auto s = core::splitFromName(split)) {
        if (!opt.has("labels"))
            throw UsageError("--split " + split + " names a split: give --labels DIR too");
        splitPath = core::splitFile(opt.require("labels"), *s);
    }
    models::PseudoLabelOptions o;
    o.out = opt.require("out");
    o.source = labelSource(opt);
    if (!o.source.audio || !o.source.visual)
        throw UsageError("give --zs-audio-table and --zs-visual-table: training reads both");
    o.embeddings = zeroShotFolders(opt, o.source);
    o.videos = core::featureVideos(core::readWeakLabels(splitPath));
    o.andWeak = !opt.has("no-and");
    o.overwrite = opt.has("force");
    const bool quiet = opt.has("quiet");
    core::ProgressLine line("avvp pseudo-labels", !quiet);
    o.progress = &line;
    models::PseudoLabelReport r;
    try {
        r = models::makePseudoLabels(o);
    } catch (const core::InputError& e) {
        throw withOptionHints(e, {{"(overwrite them or choose another output folder)",
                                   "(use --force or another --out)"}});
    }
    line.finish();
    if (!quiet) {
        auto share = [](std::int64_t a, double b) {
            return b > 0 ? 100.0 * static_cast<double>(a) / b : 0.0;
        };
        std::printf(
            "wrote the pseudo labels of %zu videos to %s/pseudo_audio and pseudo_visual: audio "
            "%lld "
            "segment labels (%.1f %% of the segments of the weak classes), visual %lld (%.1f "
            "%%)%s\n",
            r.videos, o.out.c_str(), static_cast<long long>(r.audioOn),
            share(r.audioOn, static_cast<double>(r.weakSegments)),
            static_cast<long long>(r.visualOn),
            share(r.visualOn, static_cast<double>(r.weakSegments)),
            o.andWeak ? "" : "; --no-and: not limited to the weak classes");
    }
    return 0;
}

}  // namespace avvp::app

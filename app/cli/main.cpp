// avvp: the command-line tool of AVVP Studio.
#include <cstdio>
#include <cstring>
#include <string>

#include "app/cli/commands.h"
#include "app/cli/synth_command.h"
#include "core/quote.h"

namespace {

constexpr const char* kUsage = R"(usage: avvp <command> [options]

commands:
  eval     score audio / visual event predictions against LLP ground truth
           (--store: a run's predictions or the corrections in a label store)
  import   LLP annotations, features, videos and label files into a label store
  export   labels of a store as LLP CSV, DCASE TSV, ELAN, TextGrid, Audacity, JSON
  store    what a label store holds (info), its integrity (check)
  agreement  two annotators of a store against each other: AVVP scores, kappa
  compare  two model runs of a store side by side: who is right per cell, per video
  adjudicate  two annotators' labels merged into a new correction set (picks, provenance)
  review   review mode: a video's status, progress per split, accept / reject, verify
  queue    the uncertainty queue: a run's cells ranked by how much a look is worth
  runs     a store's model runs: list them, rename one
  calibrate  thresholds of a run calibrated on a split's ground truth (per class, global)
  info     LibTorch version and the devices models can run on
  probe    what a media file holds (streams, duration, segments); --decode checks it all
  features extract VALOR-layout features of videos with TorchScript encoders
  synth    write a synthetic LLP-like dataset (features, labels, pseudo labels,
           SYNTHETIC stand-in encoders; --render: videos, --seconds N: long ones)
  synth-encoders  the SYNTHETIC stand-in encoders of an existing synth dataset
  train    train a model (--variant link|valor|leap|han) on features in VALOR's layout
  infer    predict a split (LLP CSVs) or videos of any length (index.tsv); --store: a run
  pseudo-labels  VALOR's segment pseudo labels for training, from zero-shot labels
  forward  run one batch of feature arrays through a checkpoint, dump every output
  bench    model throughput and train-step time of every variant (CPU, CUDA)
  reproduce  the paper's Tables I and II (all variants, LINK's ablations) on synthetic data

Run `avvp <command> --help` for a command's options.
)";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "-h") == 0 || std::strcmp(argv[1], "--help") == 0 ||
        std::strcmp(argv[1], "help") == 0) {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string cmd = argv[1];
    if (cmd == "--version" || cmd == "version") {
        std::printf("avvp %s\n", AVVP_VERSION);
        return 0;
    }
    if (cmd == "eval") {
        for (int i = 2; i < argc; ++i)
            if (std::strncmp(argv[i], "--store", 7) == 0)
                return avvp::app::storeCommand(argc - 1, argv + 1);
        return avvp::app::evalCommand(argc - 1, argv + 1);
    }
    if (cmd == "import" || cmd == "export" || cmd == "store" || cmd == "runs" ||
        cmd == "agreement" || cmd == "compare" || cmd == "review" || cmd == "calibrate" ||
        cmd == "queue")
        return avvp::app::storeCommand(argc - 1, argv + 1);
    if (cmd == "info") return avvp::app::modelsCommand(argc - 1, argv + 1);
    if (cmd == "probe" || cmd == "features") return avvp::app::mediaCommand(argc - 1, argv + 1);
    if (cmd == "synth") {
        // Rendering needs FFmpeg, which lives in the media plugin (the CLI links core only).
        for (int i = 2; i < argc; ++i)
            if (std::strcmp(argv[i], "--render") == 0)
                return avvp::app::mediaCommand(argc - 1, argv + 1);
        return avvp::app::runSynth(argc - 1, argv + 1, {});
    }
    if (cmd == "synth-encoders") return avvp::app::modelsCommand(argc - 1, argv + 1);
    if (cmd == "infer") {
        // Into a label store: the application layer's model run (Qt Sql + LibTorch).
        for (int i = 2; i < argc; ++i)
            if (std::strncmp(argv[i], "--store", 7) == 0)
                return avvp::app::pluginCommand("libavvp_workspace_cli.so", "avvp_workspace_main",
                                                argc - 1, argv + 1);
    }
    if (cmd == "adjudicate")
        return avvp::app::pluginCommand("libavvp_workspace_cli.so", "avvp_adjudicate_main",
                                        argc - 1, argv + 1);
    if (cmd == "train" || cmd == "infer" || cmd == "forward" || cmd == "bench" ||
        cmd == "reproduce" || cmd == "pseudo-labels")
        return avvp::app::modelsCommand(argc - 1, argv + 1);
    std::fprintf(stderr, "avvp: unknown command %s (see avvp --help)\n",
                 avvp::core::quote(cmd).c_str());
    return 2;
}

#pragma once
// libavvp_models_cli.so: the `avvp` commands that need LibTorch (info, train, infer,
// forward, bench, reproduce), opened by the CLI with dlopen only when one of them runs,
// so that `avvp eval` and friends start without loading LibTorch at all. The work itself
// is in libavvp_models.so (models/); these files parse options, print help and results,
// and drive the progress line.
extern "C" {
// argv[0] is the command name ("info", "train", ...). Returns the exit code.
int avvp_models_main(int argc, char** argv);
}

namespace avvp::app {

// Each takes argv[0] = its name and returns the exit code; bad input throws
// core::UsageError, core::InputError or std::invalid_argument (avvp_models_main turns them
// into the one-line error and exit code 2).
int infoCommand(int argc, char** argv);
int trainCommand(int argc, char** argv);
int inferCommand(int argc, char** argv);
int forwardCommand(int argc, char** argv);
int benchCommand(int argc, char** argv);
int reproduceCommand(int argc, char** argv);
// VALOR's training pseudo labels from zero-shot labels (app/cli/pseudo_labels_command.cpp).
int pseudoLabelsCommand(int argc, char** argv);
// The SYNTHETIC stand-in encoders of an `avvp synth` dataset (app/cli/synth_encoders_command.cpp).
int synthEncodersCommand(int argc, char** argv);

}  // namespace avvp::app

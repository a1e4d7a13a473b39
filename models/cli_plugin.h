#pragma once
// Entry point the `avvp` CLI resolves with dlopen/dlsym for the commands that need
// LibTorch, so that `avvp eval` and friends start without loading LibTorch at all.
extern "C" {
// argv[0] is the command name ("info", later "train", "infer", ...). Returns the exit code.
int avvp_models_main(int argc, char** argv);
}

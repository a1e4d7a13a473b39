#pragma once
// The `avvp` subcommands implemented in the CLI itself (no LibTorch).
namespace avvp::app {

// argv[0] is the subcommand name. Returns the process exit code.
int evalCommand(int argc, char** argv);

// Runs a subcommand from an on-demand plugin library beside the executable: `library` is
// its file name, `entryName` an `extern "C" int (int argc, char** argv)` it exports.
int pluginCommand(const char* library, const char* entryName, int argc, char** argv);

// Runs a LibTorch-backed subcommand (info, train, infer, forward, bench, reproduce) from
// the on-demand models plugin, libavvp_models_cli.so.
int modelsCommand(int argc, char** argv);

// Runs a label-store subcommand (import, export, eval --store, store) from the on-demand
// store library (Qt Sql).
int storeCommand(int argc, char** argv);

// Runs an FFmpeg-backed subcommand from its on-demand library: probe from
// libavvp_media_cli.so, features (FFmpeg + LibTorch) from libavvp_features_cli.so.
int mediaCommand(int argc, char** argv);

}  // namespace avvp::app

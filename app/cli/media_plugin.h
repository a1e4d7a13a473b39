#pragma once
// Entry points of the on-demand plugins with the `avvp` commands that need FFmpeg (the
// CLI itself links only core): libavvp_media_cli.so (FFmpeg only) and
// libavvp_features_cli.so (FFmpeg and LibTorch).
extern "C" {
// argv[0] is the command name. Return the exit code.
int avvp_media_main(int argc, char** argv);     // probe, synth --render
int avvp_features_main(int argc, char** argv);  // features
}

namespace avvp::app {
int featuresCommand(int argc, char** argv);
int probeCommand(int argc, char** argv);
}  // namespace avvp::app

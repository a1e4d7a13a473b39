#pragma once
// The `avvp` subcommands implemented in the CLI itself (no LibTorch).
namespace avvp::app {

// argv[0] is the subcommand name. Returns the process exit code.
int evalCommand(int argc, char** argv);

// Runs a LibTorch-backed subcommand from the on-demand models library.
int modelsCommand(int argc, char** argv);

}  // namespace avvp::app

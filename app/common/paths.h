#pragma once
// Where the executables find their data: the bundled LLP annotation folder and the
// folder holding the executable (for the on-demand models library).
#include <filesystem>
#include <string>

namespace avvp::app {

// Folder of the running executable (from /proc/self/exe).
std::filesystem::path executableDir();

// The LLP annotation folder used when the user names none: $AVVP_LLP_DIR, else the copy
// installed beside the program (../share/avvp-studio/llp), else the source tree's
// resources/llp this build was configured from.
std::filesystem::path defaultLlpFolder();

// A bundled zero-shot label preset (resources/zero_shot/NAME.tsv): the copy installed
// beside the program (../share/avvp-studio/zero_shot), else the source tree's.
std::filesystem::path bundledZeroShotPreset(const std::string& name);

// The label store used when the user names none: $AVVP_STORE, else
// $XDG_DATA_HOME/avvp-studio/default.avvpstore (XDG_DATA_HOME defaults to
// ~/.local/share).
std::filesystem::path defaultStorePath();

// Where avvp-studio keeps its demo project: $AVVP_DEMO_DIR, else
// $XDG_DATA_HOME/avvp-studio/demo.
std::filesystem::path defaultDemoFolder();

}  // namespace avvp::app

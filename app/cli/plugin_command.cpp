#include <dlfcn.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "app/cli/commands.h"
#include "app/common/paths.h"

namespace avvp::app {

namespace {
// Beside the executable in the build tree; installed, in <libdir>/<multiarch>/avvp-studio
// (AVVP_PLUGIN_DIR_FROM_BIN: that folder relative to bin, from CMake).
std::string pluginPath(const char* library) {
    const auto dir = executableDir();
    std::error_code ec;
    if (const auto beside = dir / library; std::filesystem::exists(beside, ec))
        return beside.string();
#ifdef AVVP_PLUGIN_DIR_FROM_BIN
    return (dir / AVVP_PLUGIN_DIR_FROM_BIN / library).lexically_normal().string();
#else
    return (dir / library).string();
#endif
}
}  // namespace

// LibTorch, Qt and FFmpeg are large: loading them costs far more than scoring a whole
// split, so each command that needs one lives in a plugin library beside the executable
// that is opened only when that command runs.
int pluginCommand(const char* library, const char* entryName, int argc, char** argv) {
    const auto lib = pluginPath(library);
    void* handle = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        std::fprintf(stderr, "avvp %s: error: cannot load %s: %s\n", argv[0], library, dlerror());
        return 1;
    }
    using Entry = int (*)(int, char**);
    auto entry = reinterpret_cast<Entry>(dlsym(handle, entryName));
    if (!entry) {
        std::fprintf(stderr, "avvp %s: error: %s has no %s\n", argv[0], lib.c_str(), entryName);
        return 1;
    }
    return entry(argc, argv);
}

int modelsCommand(int argc, char** argv) {
    return pluginCommand("libavvp_models_cli.so", "avvp_models_main", argc, argv);
}

int storeCommand(int argc, char** argv) {
    return pluginCommand("libavvp_store_cli.so", "avvp_store_main", argc, argv);
}

int mediaCommand(int argc, char** argv) {
    if (argc > 0 && std::string(argv[0]) == "features")
        return pluginCommand("libavvp_features_cli.so", "avvp_features_main", argc, argv);
    return pluginCommand("libavvp_media_cli.so", "avvp_media_main", argc, argv);
}

}  // namespace avvp::app

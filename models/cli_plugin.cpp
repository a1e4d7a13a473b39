#include "models/cli_plugin.h"

#include <cstdio>
#include <exception>
#include <string>

#include "models/runtime.h"

namespace {

int infoCommand(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            std::printf(
                "usage: avvp info\n\nPrints the LibTorch version and the devices models can run "
                "on.\n");
            return 0;
        }
        std::fprintf(stderr, "avvp info: unknown option '%s'\n", argv[i]);
        return 2;
    }
    const auto info = avvp::models::runtimeInfo();
    std::printf("LibTorch %s\n", info.torchVersion.c_str());
    std::printf("CUDA: %s\n", info.cudaAvailable ? "available" : "not available");
    for (const auto& d : info.devices)
        std::printf("device %-8s %s\n", d.name.c_str(), d.description.c_str());
    std::printf("default device: %s\n", avvp::models::resolveDevice("auto").c_str());
    return 0;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int avvp_models_main(int argc, char** argv) {
    try {
        const std::string cmd = argc > 0 ? argv[0] : "";
        if (cmd == "info") return infoCommand(argc, argv);
        std::fprintf(stderr, "avvp: unknown model command '%s'\n", cmd.c_str());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "avvp %s: error: %s\n", argc > 0 ? argv[0] : "", e.what());
        return 1;
    }
}

#include "app/cli/media_plugin.h"

#include <cstdio>
#include <exception>
#include <string>

extern "C" __attribute__((visibility("default"))) int avvp_media_main(int argc, char** argv) {
    const std::string cmd = argc > 0 ? argv[0] : "";
    try {
        if (cmd == "probe") return avvp::app::probeCommand(argc, argv);
        std::fprintf(stderr, "avvp: unknown media command '%s'\n", cmd.c_str());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "avvp %s: error: %s\n", cmd.c_str(), e.what());
        return 1;
    }
}

#include <cstdio>
#include <exception>
#include <string>

#include "app/cli/media_plugin.h"

extern "C" __attribute__((visibility("default"))) int avvp_features_main(int argc, char** argv) {
    try {
        return avvp::app::featuresCommand(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "avvp features: error: %s\n", e.what());
        return 1;
    }
}

#include <cstdio>
#include <exception>
#include <string>

#include "app/cli/media_plugin.h"
#include "core/quote.h"

extern "C" __attribute__((visibility("default"))) int avvp_features_main(int argc, char** argv) {
    try {
        return avvp::app::featuresCommand(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "avvp features: error: %s\n", avvp::core::oneLine(e.what()).c_str());
        return 1;
    }
}

// The entry point of libavvp_models_cli.so: dispatch and the one-line errors.
#include "app/cli/models_plugin.h"

#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>

#include "app/cli/model_options.h"
#include "app/cli/options.h"
#include "core/error.h"
#include "core/quote.h"

extern "C" __attribute__((visibility("default"))) int avvp_models_main(int argc, char** argv) {
    using namespace avvp::app;
    const std::string cmd = argc > 0 ? argv[0] : "";
    return runPluginCommand(cmd, cmd + " --help", [&] {
        if (cmd == "info") return infoCommand(argc, argv);
        if (cmd == "train") return trainCommand(argc, argv);
        if (cmd == "infer") return inferCommand(argc, argv);
        if (cmd == "forward") return forwardCommand(argc, argv);
        if (cmd == "bench") return benchCommand(argc, argv);
        if (cmd == "reproduce") return reproduceCommand(argc, argv);
        if (cmd == "pseudo-labels") return pseudoLabelsCommand(argc, argv);
        if (cmd == "synth-encoders") return synthEncodersCommand(argc, argv);
        std::fprintf(stderr, "avvp: unknown model command %s\n", avvp::core::quote(cmd).c_str());
        return 2;
    });
}

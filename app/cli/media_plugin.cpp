#include "app/cli/media_plugin.h"

#include <cstdio>
#include <exception>
#include <string>

#include "app/cli/synth_command.h"
#include "core/media/label_video.h"
#include "core/quote.h"

extern "C" __attribute__((visibility("default"))) int avvp_media_main(int argc, char** argv) {
    const std::string cmd = argc > 0 ? argv[0] : "";
    try {
        if (cmd == "probe") return avvp::app::probeCommand(argc, argv);
        if (cmd == "synth")
            return avvp::app::runSynth(
                argc, argv,
                [](const std::filesystem::path& dir, const avvp::core::SynthOptions& options,
                   double seconds, avvp::core::Progress& progress) {
                    if (seconds > 0) {
                        avvp::media::renderSynthLongVideos(
                            dir, avvp::core::synthLongVideos(options, options.videos, seconds),
                            {.width = 320, .height = 180}, &progress);
                        return;
                    }
                    const avvp::core::SynthGenerator gen(options);
                    avvp::media::renderSynthVideos(dir, gen.videos(), {.width = 320, .height = 180},
                                                   &progress);
                });
        std::fprintf(stderr, "avvp: unknown media command %s\n", avvp::core::quote(cmd).c_str());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "avvp %s: error: %s\n", cmd.c_str(),
                     avvp::core::oneLine(e.what()).c_str());
        return 1;
    }
}

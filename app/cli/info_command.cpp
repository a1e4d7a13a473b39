// `avvp info`: the LibTorch version, the devices, the variants; --keys: a variant's
// state_dict keys.
#include <cstdio>
#include <string>

#include "app/cli/model_options.h"
#include "app/cli/models_plugin.h"
#include "models/model_api.h"
#include "models/runtime.h"

namespace avvp::app {

int infoCommand(int argc, char** argv) {
    auto valued = kCommonValued;
    valued.insert("keys");
    const Options opt(argc, argv, valued, {"motion"});
    applyThreads(opt);
    if (opt.help()) {
        std::printf(
            "usage: avvp info [--threads N] [--keys VARIANT [--motion]]\n\nPrints the LibTorch "
            "version and the devices models can run on. --keys lists the state_dict keys and\n"
            "shapes of a variant at the spec's sizes (valor, link, leap on CLAP tokens + CLIP,\n"
            "--motion adds the motion stream; han on VGGish + ResNet152 + motion).\n");
        return 0;
    }
    if (auto v = opt.get("keys")) {
        auto c = models::defaultConfig(*v);
        if (opt.has("motion")) c.useMotion = true;
        const auto m = models::Model::create(c, 1, "cpu");
        for (const auto& [k, shape] : m.parameters()) {
            std::string s = "(";
            for (std::size_t i = 0; i < shape.size(); ++i)
                s += (i ? ", " : "") + std::to_string(shape[i]);
            std::printf("%s %s\n", k.c_str(), (s + (shape.size() == 1 ? ",)" : ")")).c_str());
        }
        return 0;
    }
    const auto info = models::runtimeInfo();
    std::printf("LibTorch %s\n", info.torchVersion.c_str());
    std::printf("CUDA: %s\n", info.cudaAvailable ? "available" : "not available");
    for (const auto& d : info.devices)
        std::printf("device %-8s %s\n", d.name.c_str(), d.description.c_str());
    std::printf("default device: %s\n", models::resolveDevice("auto").c_str());
    std::printf("variants: ");
    for (const auto& v : models::knownVariants()) std::printf("%s ", v.c_str());
    std::printf("\n");
    return 0;
}

}  // namespace avvp::app

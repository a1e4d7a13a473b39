#include <dlfcn.h>

#include <cstdio>
#include <string>

#include "app/cli/commands.h"
#include "app/common/paths.h"

namespace avvp::app {

// LibTorch is large: loading it costs far more than scoring a whole split, so the models
// library is opened only for the commands that need it.
int modelsCommand(int argc, char** argv) {
    const auto lib = (executableDir() / "libavvp_models.so").string();
    void* handle = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        std::fprintf(stderr, "avvp %s: error: cannot load the models library: %s\n", argv[0],
                     dlerror());
        return 1;
    }
    using Entry = int (*)(int, char**);
    auto entry = reinterpret_cast<Entry>(dlsym(handle, "avvp_models_main"));
    if (!entry) {
        std::fprintf(stderr, "avvp %s: error: %s has no avvp_models_main\n", argv[0], lib.c_str());
        return 1;
    }
    return entry(argc, argv);
}

}  // namespace avvp::app

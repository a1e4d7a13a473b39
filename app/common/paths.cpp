#include "app/common/paths.h"

#include <cstdlib>
#include <system_error>

namespace avvp::app {

std::filesystem::path executableDir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::current_path() : exe.parent_path();
}

std::filesystem::path defaultLlpFolder() {
    if (const char* env = std::getenv("AVVP_LLP_DIR"); env && *env) return env;
    std::error_code ec;
    const auto installed = executableDir() / ".." / "share" / "avvp-studio" / "llp";
    if (std::filesystem::is_directory(installed, ec)) return installed.lexically_normal();
    return AVVP_BUNDLED_LLP_DIR;
}

}  // namespace avvp::app

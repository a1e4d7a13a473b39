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

std::filesystem::path bundledZeroShotPreset(const std::string& name) {
    std::error_code ec;
    const auto installed = executableDir() / ".." / "share" / "avvp-studio" / "zero_shot";
    const auto folder = std::filesystem::is_directory(installed, ec)
                            ? installed.lexically_normal()
                            : std::filesystem::path(AVVP_BUNDLED_ZERO_SHOT_DIR);
    return folder / (name + ".tsv");
}

namespace {
std::filesystem::path dataHome() {
    std::filesystem::path data;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg && xdg[0] == '/')
        data = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home)
        data = std::filesystem::path(home) / ".local" / "share";
    else
        data = std::filesystem::current_path();
    return data / "avvp-studio";
}
}  // namespace

std::filesystem::path defaultStorePath() {
    if (const char* env = std::getenv("AVVP_STORE"); env && *env) return env;
    return dataHome() / "default.avvpstore";
}

std::filesystem::path defaultDemoFolder() {
    if (const char* env = std::getenv("AVVP_DEMO_DIR"); env && *env) return env;
    return dataHome() / "demo";
}

}  // namespace avvp::app

#include "core/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace avvp::core {

bool stderrIsTerminal() {
    return ::isatty(STDERR_FILENO) == 1;
}

ProgressLine::ProgressLine(std::string prefix, bool enabled)
    : prefix_(std::move(prefix)), enabled_(enabled && stderrIsTerminal()) {}

ProgressLine::~ProgressLine() {
    finish();
}

void ProgressLine::update(double fraction, const std::string& text) {
    if (!enabled_) return;
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count();
    if (fraction < 1.0 && now - lastMs_ < 100) return;
    lastMs_ = now;
    const int pct = static_cast<int>(fraction * 100.0 + 0.5);
    std::fprintf(stderr, "\r\033[K%s: %3d%% %s", prefix_.c_str(),
                 pct < 0     ? 0
                 : pct > 100 ? 100
                             : pct,
                 text.c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressLine::clear() {
    if (!drawn_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
}

void ProgressLine::finish() {
    if (!drawn_) return;
    std::fputc('\n', stderr);
    drawn_ = false;
}

}  // namespace avvp::core

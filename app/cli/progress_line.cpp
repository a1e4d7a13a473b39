#include "app/cli/progress_line.h"

#include <unistd.h>

#include <cstdio>

namespace avvp::app {

ProgressLine::ProgressLine(std::string label, long total, bool quiet)
    : label_(std::move(label)), total_(total), active_(!quiet && ::isatty(STDERR_FILENO) != 0) {}

ProgressLine::~ProgressLine() {
    clear();
}

void ProgressLine::update(long done, const std::string& what) {
    if (!active_) return;
    const auto now = std::chrono::steady_clock::now();
    // At most 20 redraws a second, but always the last one.
    if (drawn_ && done < total_ && now - lastDraw_ < std::chrono::milliseconds(50)) return;
    lastDraw_ = now;
    const int pct = total_ > 0 ? static_cast<int>(100 * done / total_) : 0;
    std::string name = what.size() > 50 ? "..." + what.substr(what.size() - 47) : what;
    std::fprintf(stderr, "\r\033[K%s %3d%% (%ld/%ld) %s", label_.c_str(), pct, done, total_,
                 name.c_str());
    std::fflush(stderr);
    drawn_ = true;
}

void ProgressLine::clear() {
    if (!active_ || !drawn_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
}

}  // namespace avvp::app

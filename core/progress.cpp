#include "core/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace avvp::core {

ProgressRange::ProgressRange(Progress& parent, double from, double to, std::string prefix)
    : Progress(parent), parent_(parent), from_(from), to_(to), prefix_(std::move(prefix)) {}

void ProgressRange::report(double fraction, std::string_view stage) {
    const double f = from_ + (to_ - from_) * std::clamp(fraction, 0.0, 1.0);
    if (prefix_.empty()) {
        parent_.report(f, stage);
        return;
    }
    std::string s = prefix_;
    if (!stage.empty()) s.append(": ").append(stage);
    parent_.report(f, s);
}

std::string etaText(std::chrono::milliseconds elapsed, double fraction) {
    if (elapsed.count() < 2000 || !(fraction >= 0.01) || fraction >= 1.0) return {};
    const double left = static_cast<double>(elapsed.count()) / 1000.0 * (1.0 - fraction) / fraction;
    const auto s = static_cast<long long>(std::llround(left));
    char buf[48];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lld h %02lld min", s / 3600, (s % 3600) / 60);
    else if (s >= 60)
        std::snprintf(buf, sizeof buf, "%lld min %02lld s", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lld s", s);
    return buf;
}

bool stderrIsTerminal() {
    return ::isatty(STDERR_FILENO) == 1;
}

ProgressLine::ProgressLine(std::string prefix, bool enabled)
    : prefix_(std::move(prefix)), enabled_(enabled && stderrIsTerminal()) {}

ProgressLine::~ProgressLine() {
    finish();
}

void ProgressLine::report(double fraction, std::string_view text) {
    if (!enabled_) return;
    const auto nowTp = std::chrono::steady_clock::now();
    const auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(nowTp.time_since_epoch()).count();
    if (fraction < 1.0 && now - lastMs_ < 100) return;
    lastMs_ = now;
    const int pct = static_cast<int>(fraction * 100.0 + 0.5);
    const std::string eta =
        etaText(std::chrono::duration_cast<std::chrono::milliseconds>(nowTp - start_), fraction);
    std::fprintf(stderr, "\r\033[K%s: %3d%% %.*s%s%s", prefix_.c_str(), std::clamp(pct, 0, 100),
                 static_cast<int>(text.size()), text.data(), eta.empty() ? "" : "  ETA ",
                 eta.c_str());
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

#include "ui/timeline/timeline_layout.h"

#include <algorithm>
#include <cmath>

namespace avvp::ui {

namespace {

std::size_t stripKey(Lane lane, int cls, store::Source source) {
    return (static_cast<std::size_t>(lane) * core::kNumClasses + static_cast<std::size_t>(cls)) *
               3 +
           static_cast<std::size_t>(source);
}

}  // namespace

void TimelineLayout::lay(const std::vector<int>& classes, int width, int headerWidth,
                         bool spectrogram) {
    strips_.clear();
    index_.fill(0);
    laneHeaders_.clear();
    spectrogram_ = {};
    headerWidth_ = headerWidth;
    width_ = width;
    const int hw = headerWidth;
    const int w = std::max(width, hw + 100);
    int y = kRuler;
    for (const Lane lane : {Lane::Audio, Lane::Visual, Lane::AudioVisual}) {
        laneHeaders_.emplace_back(lane, QRect(0, y, w, kLaneHeader));
        y += kLaneHeader;
        if (lane == Lane::Audio && spectrogram) {
            spectrogram_ = QRect(hw, y + 1, w - hw, kSpectrogram);
            y += kSpectrogram + 3;
        }
        if (classes.empty()) y += strip_ * 2;
        for (const int cls : classes) {
            for (std::size_t s = 0; s < kRowSources.size(); ++s)
                strips_.push_back(
                    {lane, cls, kRowSources[s],
                     QRect(hw, y + 3 + static_cast<int>(s) * strip_, w - hw, strip_ - 1)});
            y += classRow();
        }
    }
    contentHeight_ = y + 6;
    for (std::size_t i = 0; i < strips_.size(); ++i) {
        const auto& st = strips_[i];
        if (st.cls >= 0 && st.cls < core::kNumClasses)
            index_[stripKey(st.lane, st.cls, st.source)] = static_cast<int>(i) + 1;
    }
}

void TimelineLayout::setStripHeight(int px) {
    strip_ = std::clamp(px, kMinStrip, kMaxStrip);
}

QRect TimelineLayout::stripRect(Lane lane, int cls, store::Source source) const {
    if (cls < 0 || cls >= core::kNumClasses || static_cast<std::size_t>(source) > 2) return {};
    const int i = index_[stripKey(lane, cls, source)];
    return i > 0 ? strips_[static_cast<std::size_t>(i - 1)].rect : QRect();
}

const Strip* TimelineLayout::stripAt(const QPoint& pos) const {
    for (const auto& s : strips_)
        if (s.rect.adjusted(0, -1, 0, 1).contains(pos)) return &s;
    return nullptr;
}

void TimelineLayout::setView(double startMs, double spanMs) {
    spanMs_ = std::clamp(spanMs, std::min(1000.0, durationMs_), durationMs_);
    startMs_ = std::clamp(startMs, 0.0, std::max(0.0, durationMs_ - spanMs_));
}

double TimelineLayout::msPerPx() const {
    const int area = std::max(50, width_ - headerWidth_ - 16);  // room for the last label
    return spanMs_ / area;
}

int TimelineLayout::xForTime(double seconds) const {
    return headerWidth_ + static_cast<int>(std::lround((seconds * 1000.0 - startMs_) / msPerPx()));
}

double TimelineLayout::timeAtX(double x) const {
    return (startMs_ + (x - headerWidth_) * msPerPx()) / 1000.0;
}

}  // namespace avvp::ui

#pragma once
// Where the timeline's parts are: the ruler, a header band per lane, the spectrogram strip
// under the audio lane's header, and per class row three strips (ground truth, the run's
// predictions, corrections); and the time axis (the visible span and where it starts)
// that maps seconds to x and back.
#include <QPoint>
#include <QRect>
#include <array>
#include <utility>
#include <vector>

#include "core/store/records.h"
#include "ui/timeline/timeline_rows.h"

namespace avvp::ui {

inline constexpr int kRuler = 24;
inline constexpr int kLaneHeader = 20;
inline constexpr int kSpectrogram = 56;
// The height of one strip (GT, Pred, Corr) of a class row: View > Row Height sets it.
inline constexpr int kStrip = 16;  // the default: readable at 1920x1080
inline constexpr int kMinStrip = 8;
inline constexpr int kMaxStrip = 32;
inline constexpr int classRowHeight(int strip) {
    return 3 * strip + 7;
}
inline constexpr std::array<store::Source, 3> kRowSources = {
    store::Source::GroundTruth, store::Source::Prediction, store::Source::Correction};

struct Strip {
    Lane lane = Lane::Audio;
    int cls = 0;
    store::Source source = store::Source::GroundTruth;
    QRect rect;
};

class TimelineLayout {
  public:
    // Lays out the rows of `classes` for a widget `width` wide with class names in the
    // first `headerWidth` pixels; `spectrogram`: room for the strip under the audio header.
    void lay(const std::vector<int>& classes, int width, int headerWidth, bool spectrogram);
    // The height of a strip, clamped to [kMinStrip, kMaxStrip]; lay() again after it.
    void setStripHeight(int px);
    int stripHeight() const { return strip_; }
    int classRow() const { return classRowHeight(strip_); }

    int headerWidth() const { return headerWidth_; }
    int contentHeight() const { return contentHeight_; }
    const std::vector<Strip>& strips() const { return strips_; }
    const std::vector<std::pair<Lane, QRect>>& laneHeaders() const { return laneHeaders_; }
    QRect spectrogramRect() const { return spectrogram_; }
    // The strip of a lane, class and source (empty when not shown); constant time.
    QRect stripRect(Lane lane, int cls, store::Source source) const;
    const Strip* stripAt(const QPoint& pos) const;

    // The time axis: `durationMs` long, `spanMs` of it visible from `startMs`.
    void setDuration(double durationMs) { durationMs_ = durationMs; }
    double durationMs() const { return durationMs_; }
    double viewStartMs() const { return startMs_; }
    double spanMs() const { return spanMs_; }
    // Clamps the span to [1 s (or the duration), duration] and the start to the video.
    void setView(double startMs, double spanMs);
    double msPerPx() const;
    int xForTime(double seconds) const;
    double timeAtX(double x) const;
    // The visible time in ms, [viewStartMs, viewEndMs]: what the painter draws (a 2-hour
    // video paints only its visible part).
    double viewEndMs() const { return startMs_ + spanMs_; }
    bool visible(std::int64_t onsetMs, std::int64_t offsetMs) const {
        return static_cast<double>(offsetMs) >= startMs_ &&
               static_cast<double>(onsetMs) <= viewEndMs();
    }

    // The span a view of a video `durationMs` long starts with: all of it up to
    // kFitAllMs, else kDefaultSpanMs (readable: segments a few pixels wide at least).
    static constexpr double kFitAllMs = 60'000;
    static constexpr double kDefaultSpanMs = 30'000;
    static double defaultSpanMs(double durationMs) {
        return durationMs <= kFitAllMs + 1e-6 ? durationMs : kDefaultSpanMs;
    }

  private:
    int width_ = 800;
    int headerWidth_ = 150;
    int contentHeight_ = 200;
    int strip_ = kStrip;
    std::vector<Strip> strips_;
    // strips_ index + 1 of (lane, class, source), 0 when not shown.
    std::array<int, 3 * core::kNumClasses * 3> index_{};
    std::vector<std::pair<Lane, QRect>> laneHeaders_;
    QRect spectrogram_;
    double durationMs_ = 10000;
    double startMs_ = 0;
    double spanMs_ = 10000;
};

}  // namespace avvp::ui

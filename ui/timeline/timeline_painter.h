#pragma once
// Paints the timeline: the lanes and their headers, the one-second segment grid and the
// ruler, the spectrogram strip, per class row its three strips with the run's probability
// shading, the events (predictions outlined, accepted ✓, rejected struck through; the
// selection; drag previews), the playhead. Reads only what it is given.
#include <QCoreApplication>
#include <QRect>
#include <QString>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "core/run_comparison.h"
#include "ui/timeline/timeline_layout.h"
#include "ui/timeline/timeline_rows.h"

class QPainter;
class QWidget;

namespace avvp::ui {

class SpectrogramStrip;

struct TimelinePaintState {
    const TimelineRows* rows = nullptr;  // nullptr: no video
    const TimelineLayout* layout = nullptr;
    const SpectrogramStrip* spectrogram = nullptr;
    // The part of the widget to paint (the paint event's rectangle: in a scroll area, the
    // rows scrolled into view); rows outside it are skipped. Null: all of it.
    QRect exposed;
    double playhead = 0.0;
    const std::set<store::EventId>* selection = nullptr;
    // Events being moved or resized: their bounds while dragging.
    const std::vector<std::pair<store::EventId, Span>>* preview = nullptr;
    // An event being created on a strip.
    const Strip* creating = nullptr;
    Span createSpan = {0, 0};
    // Two runs side by side (issue 20, item 5): per cell of the audio and visual prediction
    // strips who is right against the ground truth; nullptr: off.
    const core::VideoComparison* comparison = nullptr;
};

// The colour of a source's events (ground truth blue, predictions orange, corrections
// green) and of a lane's background.
QColor sourceColor(store::Source s);
QColor laneColor(Lane lane);
// The shading of a prediction cell of probability `p` in [0, 1]: the prediction colour,
// clearly visible from low probabilities on (alpha 0.25 at p = 0.05, 0.9 at p = 1).
QColor probabilityShade(float p);
// The colour of a comparison outcome (Okabe-Ito, colour-blind safe): A only right sky blue,
// B only right reddish purple, both wrong black; both right has none (invalid colour).
QColor outcomeColor(core::CellOutcome o);

class TimelinePainter {
    // The timeline's strings share the view's translation context.
    Q_DECLARE_TR_FUNCTIONS(avvp::ui::TimelineView)
  public:
    // Paints `widget` (its palette, font and size) with `state`.
    static void paint(QPainter& p, const QWidget& widget, const TimelinePaintState& state);

  private:
    static void paintLaneHeader(QPainter& p, const QWidget& w, const QRect& r, Lane lane);
};

}  // namespace avvp::ui

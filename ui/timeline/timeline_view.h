#pragma once
// The event timeline of one video, custom painted: lanes Audio, Visual and Audio-Visual
// (derived: audio AND visual of the same class and source, read-only), one row per class
// with three strips (ground truth, the shown run's predictions shaded by their
// per-segment probability, corrections), a spectrogram strip in the audio lane, the
// one-second segment grid and the playhead. Clicking the ruler or empty space moves the
// playhead. Its parts: the rows (timeline_rows.h, what the store holds for the video), the
// layout and time axis (timeline_layout.h), the painter, the edit controller
// (timeline_editor.h: every edit one undoable step through the Document) and the
// spectrogram strip.
#include <QWidget>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "core/run_comparison.h"
#include "core/store/edit.h"
#include "core/store/records.h"
#include "ui/timeline/timeline_editor.h"
#include "ui/timeline/timeline_layout.h"
#include "ui/timeline/timeline_rows.h"

class QMenu;

namespace avvp::store {
struct Change;
}

namespace avvp::ui {

class Document;
class SpectrogramStrip;

class TimelineView : public QWidget {
    Q_OBJECT
  public:
    using Lane = ui::Lane;

    explicit TimelineView(Document* document, QWidget* parent = nullptr);
    ~TimelineView() override;

    void setVideo(std::optional<store::VideoId> video);
    std::optional<store::VideoId> video() const { return video_; }
    // Reloads the events and probabilities from the store.
    void reload();

    double playhead() const { return playhead_; }
    double durationSeconds() const { return static_cast<double>(rows_.durationMs) / 1000.0; }
    // The one-second segments of the grid: ceil(duration), the last one maybe partial.
    int segmentCount() const { return core::segmentCount(rows_.durationMs); }

    // Snapping to one-second segments (free editing when off; Shift inverts it).
    void setSnap(bool on) { snap_ = on; }
    bool snap() const { return snap_; }
    void setSpectrogramVisible(bool on);
    bool spectrogramVisible() const;
    // The height of a class row's strips in pixels (View > Row Height), clamped to
    // [kMinStrip, kMaxStrip]; the application stores it (settings::timelineRowHeight).
    void setRowHeight(int px);
    int rowHeight() const { return layout_.stripHeight(); }
    // The spectrogram's contrast: the dB range its colours span (SpectrogramStrip::setRangeDb).
    void setSpectrogramRange(double db);
    double spectrogramRange() const;
    // Show only the classes present: rows only for the classes that have an event (of any
    // source, in any lane) in this video; off, also the weak labels and the classes the
    // run gives some probability. The application stores it.
    void setOnlyPresentClasses(bool on);
    bool onlyPresentClasses() const { return onlyPresent_; }
    // The class rows laid out (each lane has one per class).
    const std::vector<int>& laidOutClasses() const { return laidOut_; }
    // "Show Only Classes Present" and "Spectrogram Contrast" (the context menu on empty
    // space; the application's View menu adds the same).
    void addViewActions(QMenu* menu);
    // Computes the spectrogram of this media file off the GUI thread ("" clears it).
    void setMedia(const QString& mediaPath);
    bool spectrogramReady() const;
    bool waitForSpectrogram(int timeoutMs);  // tests
    const SpectrogramStrip* spectrogram() const { return spectrogram_; }

    // Zoom: visible span in seconds (clamped to [1 s, duration]).
    void setVisibleSpan(double seconds, std::optional<double> around = {});
    double visibleSpan() const { return layout_.spanMs() / 1000.0; }
    double viewStart() const { return layout_.viewStartMs() / 1000.0; }
    void setViewStart(double seconds);

    const std::set<store::EventId>& selection() const { return editor_.selection(); }
    void setSelection(const std::set<store::EventId>& ids) { editor_.setSelection(ids); }
    const std::vector<store::Event>& events() const { return rows_.events; }
    // The prediction rows of the threshold sliders (empty when they are off).
    const std::vector<store::Event>& thresholded() const { return rows_.thresholded; }
    const std::vector<int>& classes() const { return rows_.classes; }

    // Geometry, for tests and for whoever places things on the timeline.
    int xForTime(double seconds) const { return layout_.xForTime(seconds); }
    double timeAtX(double x) const { return layout_.timeAtX(x); }
    // The rectangle drawn for an event (empty when not shown).
    QRect eventRect(store::EventId id) const;
    // The strip of a lane, class and source (empty when not shown).
    QRect stripRect(Lane lane, int cls, store::Source source) const {
        return layout_.stripRect(lane, cls, source);
    }

    // Two runs side by side (issue 20, item 5): the outcome grid of this video against the
    // ground truth of runs A (the shown run) and B, painted on the prediction strips with
    // a tooltip per cell; nullptr turns it off. The application recomputes it per video.
    void setComparison(std::shared_ptr<const core::VideoComparison> comparison,
                       const QString& runA = {}, const QString& runB = {});
    const core::VideoComparison* comparison() const { return comparison_.get(); }
    // The outcome tooltip of a point on a prediction strip ("" elsewhere or when off).
    QString comparisonTooltipAt(const QPoint& pos) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  public slots:
    void setPlayhead(double seconds);
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    // The view a video opens with: the whole video up to a minute, else a readable
    // 30 s from the playhead (TimelineLayout::defaultSpanMs); the view then pages along
    // with the playhead.
    void showDefaultSpan();
    void deleteSelected() { editor_.deleteSelected(); }
    // Opens the class picker for the selected events (one event: also its lane).
    void relabelSelected() { editor_.relabelSelected(); }
    void relabelSelectedTo(int cls, std::optional<core::Modality> modality = {}) {
        editor_.relabelSelectedTo(cls, modality);
    }
    void acceptSelected() { editor_.acceptSelected(); }
    void rejectSelected() { editor_.rejectSelected(); }
    void selectAll() { editor_.selectAll(); }
    void clearSelection() { editor_.clearSelection(); }
    // Esc: cancels a drag in progress, else clears the selection.
    void cancelOrClear() { editor_.cancelOrClear(); }
    // Selects the next (dir > 0) or previous event after / before the playhead and moves
    // the playhead to its onset.
    void selectAdjacentEvent(int dir) { editor_.selectAdjacentEvent(dir); }
    // Opens the class picker and adds a correction of one segment at the playhead.
    void addEventAtPlayhead() { editor_.addEventAtPlayhead(); }

  signals:
    void seekRequested(double seconds);
    // Asked from the context menu (View > ... holds the same settings).
    void onlyPresentClassesToggled(bool on);
    // The rows' height changed (another video, the spectrogram strip appearing, row height).
    void contentHeightChanged(int px);
    void spectrogramRangeChosen(double db);
    void selectionChanged();
    // The visible range changed (for a scroll bar): start and span in seconds.
    void viewChanged(double start, double span, double total);
    void message(const QString& text);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool event(QEvent* event) override;

  private:
    friend class TimelineEditor;
    void onStoreChanged(const store::Change& change);
    void layoutRows();
    void setView(double startMs, double spanMs);  // clamps, tells viewChanged
    void followPlayhead();
    int headerWidth() const;
    QString tooltipAt(const QPoint& pos) const;

    Document* doc_;
    std::optional<store::VideoId> video_;
    TimelineRows rows_;
    TimelineLayout layout_;
    TimelineEditor editor_;
    SpectrogramStrip* spectrogram_;
    double playhead_ = 0;
    bool snap_ = true;
    bool onlyPresent_ = false;
    std::vector<int> laidOut_;
    std::shared_ptr<const core::VideoComparison> comparison_;
    QString compareA_, compareB_;
};

}  // namespace avvp::ui

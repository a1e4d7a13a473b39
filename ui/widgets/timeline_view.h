#pragma once
// The event timeline of one video, custom painted: lanes Audio, Visual and Audio-Visual
// (derived: audio AND visual of the same class and source, read-only), one row per class
// with three strips (ground truth, the session run's predictions shaded by their
// per-segment probability, corrections), a spectrogram strip in the audio lane, the
// one-second segment grid and the playhead.
//
// Editing (every change is one undoable store edit through the Session):
//   drag an event to move it, its edges to resize it (snapping to one-second segments;
//   free with Shift held or snapping off), drag on empty space of a ground-truth or
//   correction strip to create an event there, Ctrl+click to multi-select, Delete,
//   relabel with the class picker (C or double-click), accept / reject a prediction
//   (A / R). Clicking the ruler or empty space moves the playhead.
#include <QFutureWatcher>
#include <QImage>
#include <QWidget>
#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "core/media/spectrogram.h"
#include "core/store/edit.h"
#include "core/store/records.h"

namespace avvp::store {
struct Change;
}

namespace avvp::ui {

class Session;

class TimelineView : public QWidget {
    Q_OBJECT
  public:
    enum class Lane { Audio = 0, Visual = 1, AudioVisual = 2 };

    explicit TimelineView(Session* session, QWidget* parent = nullptr);
    ~TimelineView() override;

    void setVideo(std::optional<store::VideoId> video);
    std::optional<store::VideoId> video() const { return video_; }
    // Reloads the events and probabilities from the store.
    void reload();

    double playhead() const { return playhead_; }
    double durationSeconds() const { return static_cast<double>(durationMs_) / 1000.0; }

    // Snapping to one-second segments (free editing when off; Shift inverts it).
    void setSnap(bool on) { snap_ = on; }
    bool snap() const { return snap_; }
    void setSpectrogramVisible(bool on);
    bool spectrogramVisible() const { return showSpectrogram_; }
    // Computes the spectrogram of this media file off the GUI thread ("" clears it).
    void setMedia(const QString& mediaPath);
    bool spectrogramReady() const { return !spectrogram_.isNull(); }
    bool waitForSpectrogram(int timeoutMs);  // tests

    // Zoom: visible span in seconds (clamped to [1 s, duration]).
    void setVisibleSpan(double seconds, std::optional<double> around = {});
    double visibleSpan() const;
    double viewStart() const { return viewStartMs_ / 1000.0; }
    void setViewStart(double seconds);

    const std::set<store::EventId>& selection() const { return selected_; }
    void setSelection(const std::set<store::EventId>& ids);
    const std::vector<store::Event>& events() const { return events_; }
    // The prediction rows of the session's threshold sliders (empty when they are off).
    const std::vector<store::Event>& thresholded() const { return thresholded_; }
    const std::vector<int>& classes() const { return classes_; }

    // Geometry, for tests and for whoever places things on the timeline.
    int xForTime(double seconds) const;
    double timeAtX(double x) const;
    // The rectangle drawn for an event (empty when not shown).
    QRect eventRect(store::EventId id) const;
    // The strip of a lane, class and source (empty when not shown).
    QRect stripRect(Lane lane, int cls, store::Source source) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  public slots:
    void setPlayhead(double seconds);
    void zoomIn();
    void zoomOut();
    void zoomToFit();
    void deleteSelected();
    // Opens the class picker for the selected events (one event: also its lane).
    void relabelSelected();
    void relabelSelectedTo(int cls, std::optional<core::Modality> modality = {});
    void acceptSelected();
    void rejectSelected();
    void selectAll();
    void clearSelection();
    // Esc: cancels a drag in progress, else clears the selection.
    void cancelOrClear();
    // Selects the next (dir > 0) or previous event after / before the playhead and moves
    // the playhead to its onset.
    void selectAdjacentEvent(int dir);
    // Opens the class picker and adds a correction of one segment at the playhead.
    void addEventAtPlayhead();

  signals:
    void seekRequested(double seconds);
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
    struct Strip {
        Lane lane;
        int cls;
        store::Source source;
        QRect rect;
    };
    struct Shown {  // an event as drawn (derived audio-visual events have no id)
        std::optional<store::EventId> id;
        Lane lane;
        int cls;
        store::Source source;
        std::int64_t onsetMs, offsetMs;
        store::Review review;
    };
    enum class DragKind { None, Seek, Move, ResizeStart, ResizeEnd, Create };
    struct Hit {
        const Shown* shown = nullptr;
        int edge = 0;  // -1 onset edge, +1 offset edge, 0 body
    };

    void onStoreChanged(const store::Change& change);
    void layoutRows();
    void rebuildShown();
    void clampView();
    double msPerPx() const;
    int headerWidth() const;
    const Strip* stripAt(const QPoint& pos) const;
    Hit hitAt(const QPoint& pos) const;
    const store::Event* eventById(store::EventId id) const;
    // Accept / reject edits for the selected predictions not yet in `review`; `lastOnset`
    // grows to their latest onset.
    std::vector<store::Edit> reviewEdits(store::Review review, std::int64_t& lastOnset) const;
    // The review flow: select the next prediction nobody has reviewed from `fromMs` on.
    void selectNextUnreviewed(std::int64_t fromMs);
    bool editable(const store::Event& e) const;
    std::int64_t snapMs(double ms, bool free) const;
    void commitDrag(const QPoint& pos, Qt::KeyboardModifiers mods);
    void updatePreview(const QPoint& pos, Qt::KeyboardModifiers mods);
    void followPlayhead();
    void emitView();
    std::optional<float> probability(Lane lane, int cls, int segment) const;
    QString tooltipAt(const QPoint& pos) const;
    void pruneSelection();
    void paintLaneHeader(QPainter& p, const QRect& r, Lane lane) const;

    Session* session_;
    std::optional<store::VideoId> video_;
    std::int64_t durationMs_ = 10000;
    core::ClassSet weak_ = 0;
    std::vector<store::Event> events_;  // ground truth, corrections, the run's predictions
    // With the session's threshold sliders set: the run's probabilities thresholded (shown
    // in place of its stored prediction events, read-only).
    std::vector<store::Event> thresholded_;
    std::optional<store::SegmentProbabilities> probabilities_;
    float frameThreshold_ = 0.5F;
    std::vector<int> classes_;
    std::vector<Shown> shown_;
    std::vector<Strip> strips_;
    std::vector<std::pair<Lane, QRect>> laneHeaders_;
    QRect spectrogramRect_;
    int contentHeight_ = 200;

    double playhead_ = 0;
    double viewStartMs_ = 0;
    double spanMs_ = 10000;  // visible span
    bool snap_ = true;
    bool showSpectrogram_ = true;
    std::set<store::EventId> selected_;

    // Dragging: what, from where, and the preview bounds per event.
    DragKind drag_ = DragKind::None;
    QPoint pressPos_;
    bool dragMoved_ = false;
    store::EventId dragEvent_ = 0;
    double pressMs_ = 0;
    const Strip* createStrip_ = nullptr;
    std::vector<std::pair<store::EventId, std::pair<std::int64_t, std::int64_t>>> preview_;
    std::pair<std::int64_t, std::int64_t> createPreview_{0, 0};

    QString mediaPath_;
    QImage spectrogram_;
    double spectrogramSeconds_ = 0;  // the time the image spans
    bool spectrogramPending_ = false;
    std::shared_ptr<core::Progress> spectrogramCancel_;
    QFutureWatcher<media::Spectrogram>* spectrogramWatcher_ = nullptr;
};

}  // namespace avvp::ui

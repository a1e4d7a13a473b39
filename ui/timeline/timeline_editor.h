#pragma once
// The timeline's edit controller: the selection, and what the mouse and the editing keys
// do, turned into store edits that the view's Document applies (each one undoable step).
//
//   drag an event to move it, its edges to resize it (snapping to one-second segments;
//   free to 10 ms with Shift held or snapping off), drag on empty space of a ground-truth
//   or correction strip to create an event there, Ctrl+click to multi-select, Delete,
//   relabel with the class picker (C or double-click), accept / reject a prediction and go
//   on to the next unreviewed one (A / R), add an event at the playhead (Insert).
#include <QCoreApplication>
#include <QPoint>
#include <cstdint>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "core/store/edit.h"
#include "ui/timeline/timeline_layout.h"
#include "ui/timeline/timeline_rows.h"

class QMouseEvent;

namespace avvp::ui {

class TimelineView;

class TimelineEditor {
    // The timeline's strings share the view's translation context.
    Q_DECLARE_TR_FUNCTIONS(avvp::ui::TimelineView)
  public:
    explicit TimelineEditor(TimelineView& view) : view_(view) {}

    // What is under a point: an event as drawn and which of its edges (-1 onset, +1 offset,
    // 0 body).
    struct Hit {
        const ShownEvent* shown = nullptr;
        int edge = 0;
    };
    Hit hitAt(const QPoint& pos) const;

    const std::set<store::EventId>& selection() const { return selected_; }
    void setSelection(const std::set<store::EventId>& ids);
    // Drops selected events that are gone (after a reload); tells the view when it did.
    void pruneSelection();
    void selectAll();
    void clearSelection();
    // Esc: cancels a drag in progress, else clears the selection.
    void cancelOrClear();
    // A new video or new rows: no drag survives.
    void reset(bool clearSelection);

    void press(const QPoint& pos, Qt::MouseButton button, Qt::KeyboardModifiers mods);
    void move(const QPoint& pos, Qt::KeyboardModifiers mods);
    void release(const QPoint& pos, Qt::KeyboardModifiers mods);
    void doubleClick(const QPoint& pos);
    // The cursor shape over `pos` when nothing is dragged.
    Qt::CursorShape cursorAt(const QPoint& pos) const;

    void deleteSelected();
    void relabelSelected();  // opens the class picker
    void relabelSelectedTo(int cls, std::optional<core::Modality> modality = {});
    void acceptSelected();
    void rejectSelected();
    void selectAdjacentEvent(int dir);
    void addEventAtPlayhead();  // opens the class picker

    // For the painter: events being dragged and an event being created.
    const std::vector<std::pair<store::EventId, Span>>& preview() const { return preview_; }
    const Strip* creating() const;
    Span createSpan() const { return createPreview_; }

  private:
    enum class Drag { None, Seek, Move, ResizeStart, ResizeEnd, Create };
    bool editable(const store::Event& e) const { return e.source != store::Source::Prediction; }
    std::int64_t snapMs(double ms, bool free) const;
    void updatePreview(const QPoint& pos, Qt::KeyboardModifiers mods);
    void commitDrag(const QPoint& pos, Qt::KeyboardModifiers mods);
    // Accept / reject edits for the selected predictions not yet in `review`; `lastOnset`
    // grows to their latest onset.
    std::vector<store::Edit> reviewEdits(store::Review review, std::int64_t& lastOnset) const;
    // The review flow: select the next prediction nobody has reviewed from `fromMs` on.
    void selectNextUnreviewed(std::int64_t fromMs);
    void review(store::Review review);
    void selectionChanged();

    TimelineView& view_;
    std::set<store::EventId> selected_;
    Drag drag_ = Drag::None;
    QPoint pressPos_;
    bool dragMoved_ = false;
    store::EventId dragEvent_ = 0;
    double pressMs_ = 0;
    std::optional<Strip> createStrip_;
    std::vector<std::pair<store::EventId, Span>> preview_;
    Span createPreview_{0, 0};
};

}  // namespace avvp::ui

#include "ui/timeline/timeline_editor.h"

#include <algorithm>
#include <cmath>

#include "core/taxonomy.h"
#include "ui/dialogs/class_picker.h"
#include "ui/document.h"
#include "ui/labels.h"
#include "ui/timeline/timeline_view.h"

namespace avvp::ui {

namespace {
constexpr int kEdgePx = 5;
}

void TimelineEditor::selectionChanged() {
    emit view_.selectionChanged();
}

TimelineEditor::Hit TimelineEditor::hitAt(const QPoint& pos) const {
    const auto& l = view_.layout_;
    const Strip* strip = l.stripAt(pos);
    if (!strip) return {};
    Hit best;
    int bestDist = 1 << 30;
    for (const auto& s : view_.rows_.shown) {
        if (s.lane != strip->lane || s.cls != strip->cls || s.source != strip->source) continue;
        const int x0 = l.xForTime(static_cast<double>(s.onsetMs) / 1000.0);
        const int x1 = l.xForTime(static_cast<double>(s.offsetMs) / 1000.0);
        if (pos.x() < x0 - kEdgePx || pos.x() > x1 + kEdgePx) continue;
        const int dStart = std::abs(pos.x() - x0), dEnd = std::abs(pos.x() - x1);
        int edge = 0;
        if (x1 - x0 >= 3 * kEdgePx || pos.x() < x0 || pos.x() > x1) {
            if (dStart <= kEdgePx && dStart <= dEnd)
                edge = -1;
            else if (dEnd <= kEdgePx)
                edge = 1;
        }
        const int dist = (pos.x() >= x0 && pos.x() <= x1) ? 0 : std::min(dStart, dEnd);
        if (dist < bestDist) {
            bestDist = dist;
            best = {&s, edge};
        }
    }
    return best;
}

void TimelineEditor::setSelection(const std::set<store::EventId>& ids) {
    selected_ = ids;
    pruneSelection();
    selectionChanged();
    view_.update();
}

void TimelineEditor::pruneSelection() {
    const auto before = selected_.size();
    std::erase_if(selected_, [this](store::EventId id) { return !view_.rows_.event(id); });
    if (selected_.size() != before) selectionChanged();
}

void TimelineEditor::reset(bool clear) {
    drag_ = Drag::None;
    createStrip_.reset();
    preview_.clear();
    if (clear) selected_.clear();
}

const Strip* TimelineEditor::creating() const {
    return drag_ == Drag::Create && dragMoved_ && createStrip_ ? &*createStrip_ : nullptr;
}

std::int64_t TimelineEditor::snapMs(double ms, bool free) const {
    if (free) return static_cast<std::int64_t>(std::llround(ms / 10.0)) * 10;
    return static_cast<std::int64_t>(std::llround(ms / 1000.0)) * 1000;
}

Qt::CursorShape TimelineEditor::cursorAt(const QPoint& pos) const {
    const Hit hit = hitAt(pos);
    const store::Event* e =
        hit.shown && hit.shown->id ? view_.rows_.event(*hit.shown->id) : nullptr;
    if (e && editable(*e)) return hit.edge != 0 ? Qt::SizeHorCursor : Qt::SizeAllCursor;
    if (e) return Qt::PointingHandCursor;
    return Qt::ArrowCursor;
}

void TimelineEditor::press(const QPoint& pos, Qt::MouseButton button, Qt::KeyboardModifiers mods) {
    if (!view_.video_ || button != Qt::LeftButton) return;
    const auto& l = view_.layout_;
    pressPos_ = pos;
    dragMoved_ = false;
    preview_.clear();
    pressMs_ = l.timeAtX(pos.x()) * 1000.0;
    drag_ = Drag::None;
    const double duration = view_.durationSeconds();
    if (pos.y() < kRuler) {
        drag_ = Drag::Seek;
        emit view_.seekRequested(std::clamp(pressMs_ / 1000.0, 0.0, duration));
        return;
    }
    if (pos.x() < l.headerWidth()) return;
    const bool ctrl = mods & Qt::ControlModifier;
    const Hit hit = hitAt(pos);
    if (hit.shown && hit.shown->id) {
        const auto id = *hit.shown->id;
        if (ctrl) {
            if (!selected_.erase(id)) selected_.insert(id);
            selectionChanged();
            view_.update();
            return;
        }
        if (!selected_.contains(id)) {
            selected_ = {id};
            selectionChanged();
        }
        view_.update();
        const auto* e = view_.rows_.event(id);
        if (e && editable(*e)) {
            drag_ = hit.edge < 0 ? Drag::ResizeStart : hit.edge > 0 ? Drag::ResizeEnd : Drag::Move;
            dragEvent_ = id;
        }
        return;
    }
    const Strip* strip = l.stripAt(pos);
    if (!ctrl && !selected_.empty()) {
        selected_.clear();
        selectionChanged();
        view_.update();
    }
    if (strip && strip->lane != Lane::AudioVisual && strip->source != store::Source::Prediction &&
        !hit.shown) {
        drag_ = Drag::Create;
        createStrip_ = *strip;
        return;
    }
    drag_ = Drag::Seek;
    emit view_.seekRequested(std::clamp(pressMs_ / 1000.0, 0.0, duration));
}

void TimelineEditor::move(const QPoint& pos, Qt::KeyboardModifiers mods) {
    if (drag_ == Drag::None) return;
    if ((pos - pressPos_).manhattanLength() > 3) dragMoved_ = true;
    if (drag_ == Drag::Seek) {
        emit view_.seekRequested(
            std::clamp(view_.layout_.timeAtX(pos.x()), 0.0, view_.durationSeconds()));
        return;
    }
    if (dragMoved_) {
        updatePreview(pos, mods);
        view_.update();
    }
}

void TimelineEditor::release(const QPoint& pos, Qt::KeyboardModifiers mods) {
    const auto kind = drag_;
    if (kind == Drag::Create && !dragMoved_) {
        emit view_.seekRequested(
            std::clamp(view_.layout_.timeAtX(pos.x()), 0.0, view_.durationSeconds()));
    } else if ((kind == Drag::Move || kind == Drag::ResizeStart || kind == Drag::ResizeEnd ||
                kind == Drag::Create) &&
               dragMoved_) {
        commitDrag(pos, mods);
    }
    drag_ = Drag::None;
    createStrip_.reset();
    preview_.clear();
    view_.update();
}

void TimelineEditor::updatePreview(const QPoint& pos, Qt::KeyboardModifiers mods) {
    const bool free = view_.snap_ == static_cast<bool>(mods & Qt::ShiftModifier);
    const double deltaMs = view_.layout_.timeAtX(pos.x()) * 1000.0 - pressMs_;
    const std::int64_t minLen = free ? 10 : 1000;
    const std::int64_t dur = view_.rows_.durationMs;
    preview_.clear();
    if (drag_ == Drag::Create) {
        double lo = std::min(pressMs_, pressMs_ + deltaMs),
               hi = std::max(pressMs_, pressMs_ + deltaMs);
        lo = std::clamp(lo, 0.0, static_cast<double>(dur));
        hi = std::clamp(hi, 0.0, static_cast<double>(dur));
        std::int64_t on, off;
        if (free) {
            on = snapMs(lo, true);
            off = std::max(on + minLen, snapMs(hi, true));
        } else {
            on = static_cast<std::int64_t>(std::floor(lo / 1000.0)) * 1000;
            off = static_cast<std::int64_t>(std::ceil(hi / 1000.0)) * 1000;
            if (off <= on) off = on + 1000;
        }
        createPreview_ = {std::clamp<std::int64_t>(on, 0, dur),
                          std::clamp<std::int64_t>(off, 0, dur)};
        return;
    }
    const auto* dragged = view_.rows_.event(dragEvent_);
    if (!dragged) return;
    if (drag_ == Drag::Move) {
        const std::int64_t newOn = snapMs(static_cast<double>(dragged->onsetMs) + deltaMs, free);
        std::int64_t delta = newOn - dragged->onsetMs;
        std::vector<const store::Event*> moving;
        for (const auto id : selected_)
            if (const auto* e = view_.rows_.event(id); e && editable(*e)) moving.push_back(e);
        for (const auto* e : moving) delta = std::clamp(delta, -e->onsetMs, dur - e->offsetMs);
        for (const auto* e : moving)
            preview_.push_back({e->id, {e->onsetMs + delta, e->offsetMs + delta}});
    } else if (drag_ == Drag::ResizeStart) {
        const std::int64_t on =
            std::clamp<std::int64_t>(snapMs(static_cast<double>(dragged->onsetMs) + deltaMs, free),
                                     0, dragged->offsetMs - std::min(minLen, dragged->offsetMs));
        preview_.push_back({dragged->id, {on, dragged->offsetMs}});
    } else if (drag_ == Drag::ResizeEnd) {
        const std::int64_t off =
            std::clamp<std::int64_t>(snapMs(static_cast<double>(dragged->offsetMs) + deltaMs, free),
                                     std::min(dur, dragged->onsetMs + minLen), dur);
        preview_.push_back({dragged->id, {dragged->onsetMs, off}});
    }
}

void TimelineEditor::commitDrag(const QPoint& pos, Qt::KeyboardModifiers mods) {
    updatePreview(pos, mods);
    std::vector<store::Edit> edits;
    QString description;
    const auto video = view_.video_;
    if (drag_ == Drag::Create && createStrip_ && video) {
        const auto [on, off] = createPreview_;
        if (off <= on) return;
        const auto m =
            createStrip_->lane == Lane::Audio ? core::Modality::Audio : core::Modality::Visual;
        edits.push_back(
            store::Edit::add(*video, m, createStrip_->cls, on, off, createStrip_->source));
    } else if (drag_ == Drag::Move) {
        for (const auto& [id, span] : preview_)
            if (const auto* e = view_.rows_.event(id); e && e->onsetMs != span.first)
                edits.push_back(store::Edit::move(id, span.first));
        if (edits.size() > 1)
            description = tr("Move %n events", nullptr, static_cast<int>(edits.size()));
    } else {
        for (const auto& [id, span] : preview_)
            if (const auto* e = view_.rows_.event(id);
                e && (e->onsetMs != span.first || e->offsetMs != span.second))
                edits.push_back(store::Edit::resize(id, span.first, span.second));
    }
    if (edits.empty()) return;
    const bool created = drag_ == Drag::Create;
    preview_.clear();
    if (view_.doc_->apply(edits, description) && created) {
        selected_.clear();
        for (const auto id : view_.doc_->lastEvents()) selected_.insert(id);
        selectionChanged();
    }
}

void TimelineEditor::doubleClick(const QPoint& pos) {
    const Hit hit = hitAt(pos);
    if (!hit.shown || !hit.shown->id) return;
    selected_ = {*hit.shown->id};
    selectionChanged();
    if (const auto* e = view_.rows_.event(*hit.shown->id); e && editable(*e)) relabelSelected();
}

void TimelineEditor::cancelOrClear() {
    if (drag_ != Drag::None) {
        reset(false);
        view_.update();
    } else {
        clearSelection();
    }
}

void TimelineEditor::selectAll() {
    selected_.clear();
    for (const auto& e : view_.rows_.events) selected_.insert(e.id);
    selectionChanged();
    view_.update();
}

void TimelineEditor::clearSelection() {
    if (selected_.empty()) return;
    selected_.clear();
    selectionChanged();
    view_.update();
}

void TimelineEditor::deleteSelected() {
    std::vector<store::Edit> edits;
    bool predictions = false;
    for (const auto id : selected_)
        if (const auto* e = view_.rows_.event(id)) {
            if (editable(*e))
                edits.push_back(store::Edit::remove(id));
            else
                predictions = true;
        }
    if (predictions)
        emit view_.message(
            tr("Predictions are model output: accept (A) or reject (R) them instead of deleting."));
    if (edits.empty()) return;
    view_.doc_->apply(edits, edits.size() > 1
                                 ? tr("Delete %n events", nullptr, static_cast<int>(edits.size()))
                                 : QString());
}

void TimelineEditor::relabelSelected() {
    std::vector<const store::Event*> targets;
    for (const auto id : selected_)
        if (const auto* e = view_.rows_.event(id); e && editable(*e)) targets.push_back(e);
    if (targets.empty()) {
        emit view_.message(
            selected_.empty() ? tr("Select an event to relabel it.")
                              : tr("Predictions are model output: accept (A) or reject (R) them."));
        return;
    }
    const auto choice = ClassPicker::pick(
        &view_, targets.front()->cls,
        targets.size() == 1 ? std::optional(targets.front()->modality) : std::nullopt,
        targets.size() == 1 ? tr("Relabel event")
                            : tr("Relabel %n events", nullptr, static_cast<int>(targets.size())));
    if (choice) relabelSelectedTo(choice->cls, choice->modality);
}

void TimelineEditor::relabelSelectedTo(int cls, std::optional<core::Modality> modality) {
    std::vector<store::Edit> edits;
    for (const auto id : selected_)
        if (const auto* e = view_.rows_.event(id); e && editable(*e)) {
            const auto m = modality && *modality != e->modality ? modality : std::nullopt;
            if (e->cls != cls || m) edits.push_back(store::Edit::relabel(id, cls, m));
        }
    if (edits.empty()) return;
    view_.doc_->apply(edits, edits.size() > 1 ? tr("Relabel %n events as %1", nullptr,
                                                   static_cast<int>(edits.size()))
                                                    .arg(className(cls))
                                              : QString());
}

std::vector<store::Edit> TimelineEditor::reviewEdits(store::Review review,
                                                     std::int64_t& lastOnset) const {
    std::vector<store::Edit> edits;
    for (const auto id : selected_)
        if (const auto* e = view_.rows_.event(id);
            e && e->source == store::Source::Prediction && e->review != review) {
            edits.push_back(review == store::Review::Accepted ? store::Edit::accept(id)
                                                              : store::Edit::reject(id));
            lastOnset = std::max(lastOnset, e->onsetMs);
        }
    return edits;
}

void TimelineEditor::selectNextUnreviewed(std::int64_t fromMs) {
    const store::Event* next = nullptr;
    for (const auto& e : view_.rows_.events)
        if (e.source == store::Source::Prediction && e.review == store::Review::None &&
            e.onsetMs >= fromMs && (!next || e.onsetMs < next->onsetMs))
            next = &e;
    selected_.clear();
    if (next) selected_.insert(next->id);
    selectionChanged();
    view_.update();
}

void TimelineEditor::review(store::Review review) {
    const bool accept = review == store::Review::Accepted;
    std::int64_t last = -1;
    const auto edits = reviewEdits(review, last);
    if (edits.empty()) {
        emit view_.message(accept ? tr("Select a predicted event (orange) to accept it.")
                                  : tr("Select a predicted event (orange) to reject it."));
        return;
    }
    const auto n = static_cast<int>(edits.size());
    const QString description = n <= 1   ? QString()
                                : accept ? tr("Accept %n predictions", nullptr, n)
                                         : tr("Reject %n predictions", nullptr, n);
    if (!view_.doc_->apply(edits, description)) return;
    // Review flow: on to the next prediction nobody has reviewed.
    selectNextUnreviewed(last);
}

void TimelineEditor::acceptSelected() {
    review(store::Review::Accepted);
}

void TimelineEditor::rejectSelected() {
    review(store::Review::Rejected);
}

void TimelineEditor::selectAdjacentEvent(int dir) {
    const double now = view_.playhead_ * 1000.0;
    const store::Event* best = nullptr;
    for (const auto& e : view_.rows_.events) {
        const auto on = static_cast<double>(e.onsetMs);
        if (dir > 0 ? on <= now + 0.5 : on >= now - 0.5) continue;
        if (!best || (dir > 0 ? e.onsetMs < best->onsetMs : e.onsetMs > best->onsetMs)) best = &e;
    }
    if (!best) {
        emit view_.message(dir > 0 ? tr("No event after the playhead.")
                                   : tr("No event before the playhead."));
        return;
    }
    selected_ = {best->id};
    selectionChanged();
    emit view_.seekRequested(static_cast<double>(best->onsetMs) / 1000.0);
    view_.update();
}

void TimelineEditor::addEventAtPlayhead() {
    const auto video = view_.video_;
    if (!video) return;
    const auto& classes = view_.rows_.classes;
    const double playhead = view_.playhead_;
    const std::int64_t dur = view_.rows_.durationMs;
    // The playhead belongs to the segment it is in; at the very end, to the last one. Past
    // the end (media longer than the video's recorded length) nothing is added.
    if (playhead * 1000.0 > static_cast<double>(dur) + 0.5 || playhead < 0) {
        emit view_.message(
            tr("The playhead (%1) is past the end of the video (%2): no event "
               "added.")
                .arg(formatTime(playhead), formatTime(static_cast<double>(dur) / 1000.0)));
        return;
    }
    const auto choice =
        ClassPicker::pick(&view_, classes.empty() ? 0 : classes.front(), core::Modality::Audio,
                          tr("Add an event at %1").arg(formatTime(playhead)));
    if (!choice) return;
    // The segment under the playhead: [k, k + 1) s, the last one ending at the real end.
    const std::int64_t segment = std::clamp<std::int64_t>(
        static_cast<std::int64_t>(std::floor(playhead)), 0, core::segmentCount(dur) - 1);
    const std::int64_t on = segment * 1000;
    const std::int64_t off = std::min<std::int64_t>(dur, on + 1000);
    if (view_.doc_->apply(store::Edit::add(*video, choice->modality.value_or(core::Modality::Audio),
                                           choice->cls, on, off, store::Source::Correction))) {
        selected_.clear();
        for (const auto id : view_.doc_->lastEvents()) selected_.insert(id);
        selectionChanged();
    }
}

}  // namespace avvp::ui

#include "ui/timeline/timeline_view.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "core/store/store.h"
#include "ui/document.h"
#include "ui/labels.h"
#include "ui/timeline/spectrogram_strip.h"
#include "ui/timeline/timeline_painter.h"

namespace avvp::ui {

TimelineView::TimelineView(Document* document, QWidget* parent)
    : QWidget(parent), doc_(document), editor_(*this) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    spectrogram_ = new SpectrogramStrip(this);
    connect(spectrogram_, &SpectrogramStrip::changed, this, [this] {
        layoutRows();
        spectrogram_->request(layout_);  // the next missing tile, if any
        update();
    });
    connect(doc_, &Document::changed, this, &TimelineView::onStoreChanged);
    connect(doc_, &Document::runChanged, this, &TimelineView::reload);
    connect(doc_, &Document::thresholdsChanged, this, &TimelineView::reload);
    connect(doc_, &Document::closed, this, [this] { setVideo(std::nullopt); });
    layoutRows();
}

TimelineView::~TimelineView() = default;

void TimelineView::setVideo(std::optional<store::VideoId> video) {
    const bool same = video == video_;
    video_ = video;
    if (!same) {
        editor_.reset(true);
        playhead_ = 0;
    }
    reload();
    if (!same) {
        showDefaultSpan();
        emit selectionChanged();
    }
}

void TimelineView::showDefaultSpan() {
    const double span = TimelineLayout::defaultSpanMs(layout_.durationMs());
    setView(std::min(playhead_ * 1000.0, layout_.durationMs() - span), span);
    update();
}

void TimelineView::reload() {
    editor_.reset(false);  // the rows a drag refers to are rebuilt
    const auto* store = doc_->store();
    const auto duration = rows_.durationMs;
    rows_ = TimelineRows{};
    rows_.durationMs = duration;
    if (store && video_) {
        rows_ = loadTimelineRows(*store, *video_, doc_->run(), doc_->thresholds());
        if (!rows_.found) video_.reset();
    }
    editor_.pruneSelection();
    layoutRows();
    setView(layout_.viewStartMs(), layout_.spanMs());
    update();
}

void TimelineView::onStoreChanged(const store::Change& change) {
    if (!video_) return;
    const bool mine =
        std::find(change.videoIds.begin(), change.videoIds.end(), *video_) != change.videoIds.end();
    const bool bulk = change.videoIds.empty() &&
                      (change.events || change.predictions || change.runs || change.videos);
    if (mine || bulk || change.external) reload();
}

int TimelineView::headerWidth() const {
    return std::max(150,
                    fontMetrics().horizontalAdvance(QStringLiteral("Telephone_bell_ringing")) + 44);
}

void TimelineView::layoutRows() {
    laidOut_ = rows_.classes;
    if (onlyPresent_) {
        core::ClassSet present = 0;
        for (const auto& s : rows_.shown) present |= 1U << s.cls;
        std::erase_if(laidOut_, [present](int c) { return !core::hasClass(present, c); });
    }
    const int before = layout_.contentHeight();
    layout_.lay(laidOut_, width(), headerWidth(), spectrogram_->visible());
    layout_.setDuration(static_cast<double>(rows_.durationMs));
    setMinimumHeight(layout_.contentHeight());
    updateGeometry();
    if (layout_.contentHeight() != before) emit contentHeightChanged(layout_.contentHeight());
}

QSize TimelineView::sizeHint() const {
    return {800, layout_.contentHeight()};
}

QSize TimelineView::minimumSizeHint() const {
    return {headerWidth() + 200, layout_.contentHeight()};
}

void TimelineView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    layoutRows();
    setView(layout_.viewStartMs(), layout_.spanMs());
}

void TimelineView::setView(double startMs, double spanMs) {
    layout_.setView(startMs, spanMs);
    spectrogram_->request(layout_);  // the visible range's tiles, computed off this thread
    emit viewChanged(layout_.viewStartMs() / 1000.0, layout_.spanMs() / 1000.0,
                     layout_.durationMs() / 1000.0);
}

void TimelineView::setVisibleSpan(double seconds, std::optional<double> around) {
    const double start = layout_.viewStartMs(), span = layout_.spanMs();
    const double anchor = around.value_or(start / 1000.0 + span / 2000.0) * 1000.0;
    const double ratio = span > 0 ? (anchor - start) / span : 0.5;
    setView(start, seconds * 1000.0);
    setView(anchor - ratio * layout_.spanMs(), layout_.spanMs());
    update();
}

void TimelineView::setViewStart(double seconds) {
    setView(seconds * 1000.0, layout_.spanMs());
    update();
}

void TimelineView::zoomIn() {
    setVisibleSpan(visibleSpan() / 1.5, playhead_);
}

void TimelineView::zoomOut() {
    setVisibleSpan(visibleSpan() * 1.5, playhead_);
}

void TimelineView::zoomToFit() {
    setView(0, layout_.durationMs());
    update();
}

void TimelineView::setPlayhead(double seconds) {
    if (seconds == playhead_) return;
    const int oldX = xForTime(playhead_);
    playhead_ = seconds;
    followPlayhead();
    const int newX = xForTime(playhead_);
    update(QRect(std::min(oldX, newX) - 4, 0, std::abs(newX - oldX) + 9, height()));
}

// Page-follow: when the playhead leaves the visible span (playing past its right edge, or
// a seek elsewhere) the view turns the page so that the playhead is near its left edge.
void TimelineView::followPlayhead() {
    const double ms = playhead_ * 1000.0;
    const double start = layout_.viewStartMs(), span = layout_.spanMs();
    if (span >= layout_.durationMs() - 1) return;
    if (ms < start || ms > start + span) {
        setView(ms - 0.05 * span, span);
        update();
    }
}

void TimelineView::setSpectrogramVisible(bool on) {
    spectrogram_->setShown(on);
}

void TimelineView::setRowHeight(int px) {
    layout_.setStripHeight(px);
    layoutRows();
    update();
}

void TimelineView::setSpectrogramRange(double db) {
    spectrogram_->setRangeDb(static_cast<float>(db));
}

double TimelineView::spectrogramRange() const {
    return spectrogram_->rangeDb();
}

void TimelineView::setOnlyPresentClasses(bool on) {
    if (on == onlyPresent_) return;
    onlyPresent_ = on;
    layoutRows();
    update();
}

bool TimelineView::spectrogramVisible() const {
    return spectrogram_->shown();
}

void TimelineView::setMedia(const QString& mediaPath) {
    spectrogram_->setMedia(mediaPath);
    layoutRows();
    spectrogram_->request(layout_);
    update();
}

bool TimelineView::spectrogramReady() const {
    return spectrogram_->ready();
}

bool TimelineView::waitForSpectrogram(int timeoutMs) {
    return spectrogram_->wait(timeoutMs);
}

QRect TimelineView::eventRect(store::EventId id) const {
    for (const auto& s : rows_.shown) {
        if (s.id != id) continue;
        const QRect strip = stripRect(s.lane, s.cls, s.source);
        if (strip.isNull()) return {};
        const int x0 = std::max(strip.left(), xForTime(static_cast<double>(s.onsetMs) / 1000.0));
        const int x1 = std::min(strip.right(), xForTime(static_cast<double>(s.offsetMs) / 1000.0));
        return x1 > x0 ? QRect(x0, strip.top(), x1 - x0, strip.height()) : QRect();
    }
    return {};
}

void TimelineView::paintEvent(QPaintEvent* event) {
    QPainter p(this);
    TimelinePaintState s;
    s.exposed = event->rect();
    s.rows = video_ ? &rows_ : nullptr;
    s.layout = &layout_;
    s.spectrogram = spectrogram_;
    s.playhead = playhead_;
    s.selection = &editor_.selection();
    s.preview = &editor_.preview();
    s.creating = editor_.creating();
    s.createSpan = editor_.createSpan();
    s.comparison = comparison_.get();
    TimelinePainter::paint(p, *this, s);
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
    setFocus(Qt::MouseFocusReason);
    if (!video_ || event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    editor_.press(event->position().toPoint(), event->button(), event->modifiers());
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    editor_.move(pos, event->modifiers());
    if (event->buttons() == Qt::NoButton) {
        const auto shape = editor_.cursorAt(pos);
        if (shape == Qt::ArrowCursor)
            unsetCursor();
        else
            setCursor(shape);
    }
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event) {
    editor_.release(event->position().toPoint(), event->modifiers());
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent* event) {
    const auto hit = editor_.hitAt(event->position().toPoint());
    if (hit.shown && hit.shown->id) {
        editor_.doubleClick(event->position().toPoint());
        return;
    }
    QWidget::mouseDoubleClickEvent(event);
}

void TimelineView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ControlModifier) {
        setVisibleSpan(visibleSpan() * std::pow(1.25, -steps), timeAtX(event->position().x()));
        event->accept();
        return;
    }
    if ((event->modifiers() & Qt::ShiftModifier) || event->angleDelta().x() != 0) {
        const double dx = event->angleDelta().x() != 0 ? event->angleDelta().x() / 120.0 : steps;
        setViewStart(viewStart() - dx * visibleSpan() / 10.0);
        event->accept();
        return;
    }
    event->ignore();  // the scroll area scrolls vertically
}

void TimelineView::addViewActions(QMenu* menu) {
    auto* only = menu->addAction(tr("Show Only Classes Present"));
    only->setCheckable(true);
    only->setChecked(onlyPresent_);
    connect(only, &QAction::toggled, this, [this](bool on) {
        setOnlyPresentClasses(on);
        emit onlyPresentClassesToggled(on);
    });
    auto* contrast = menu->addMenu(tr("Spectrogram Contrast"));
    for (const auto& [text, db] : {std::pair{tr("High (40 dB range)"), 40.0},
                                   std::pair{tr("Medium (60 dB range, default)"), 60.0},
                                   std::pair{tr("Low (80 dB range)"), 80.0},
                                   std::pair{tr("Lowest (100 dB range)"), 100.0}}) {
        auto* a = contrast->addAction(text);
        a->setCheckable(true);
        a->setChecked(std::abs(spectrogramRange() - db) < 0.5);
        connect(a, &QAction::triggered, this, [this, db] {
            setSpectrogramRange(db);
            emit spectrogramRangeChosen(db);
        });
    }
}

void TimelineView::contextMenuEvent(QContextMenuEvent* event) {
    const auto hit = editor_.hitAt(event->pos());
    if (!hit.shown || !hit.shown->id) {
        QMenu menu(this);
        addViewActions(&menu);
        menu.exec(event->globalPos());
        return;
    }
    if (!selection().contains(*hit.shown->id)) editor_.setSelection({*hit.shown->id});
    const auto* e = rows_.event(*hit.shown->id);
    if (!e) return;
    QMenu menu(this);
    if (e->source == store::Source::Prediction) {
        menu.addAction(tr("Accept prediction\tA"), this, &TimelineView::acceptSelected);
        menu.addAction(tr("Reject prediction\tR"), this, &TimelineView::rejectSelected);
    } else {
        menu.addAction(tr("Relabel…\tC"), this, &TimelineView::relabelSelected);
        menu.addAction(tr("Delete\tDel"), this, &TimelineView::deleteSelected);
    }
    menu.addSeparator();
    const double onset = static_cast<double>(e->onsetMs) / 1000.0;
    menu.addAction(tr("Play from here"), this, [this, onset] { emit seekRequested(onset); });
    menu.exec(event->globalPos());
}

void TimelineView::setComparison(std::shared_ptr<const core::VideoComparison> comparison,
                                 const QString& runA, const QString& runB) {
    comparison_ = std::move(comparison);
    compareA_ = runA;
    compareB_ = runB;
    update();
}

QString TimelineView::comparisonTooltipAt(const QPoint& pos) const {
    if (!comparison_) return {};
    const auto* s = layout_.stripAt(pos);
    if (!s || s->source != store::Source::Prediction || s->lane == Lane::AudioVisual) return {};
    const auto m = static_cast<core::Modality>(s->lane);
    const int seg = static_cast<int>(std::floor(timeAtX(pos.x())));
    if (!comparison_->covers(m) || seg < 0 || seg >= comparison_->segments) return {};
    QString what;
    switch (comparison_->at(m, s->cls, seg)) {
        case core::CellOutcome::BothRight:
            what = tr("both runs right");
            break;
        case core::CellOutcome::BothWrong:
            what = tr("both runs wrong");
            break;
        case core::CellOutcome::AOnly:
            what = tr("only A (%1) right").arg(compareA_);
            break;
        case core::CellOutcome::BOnly:
            what = tr("only B (%1) right").arg(compareB_);
            break;
    }
    return QStringLiteral("<b>%1</b> · %2 · %3<br>%4<br>%5")
        .arg(className(s->cls), modalityLabel(m), tr("segment %1").arg(seg), what,
             tr("A: %1 · B: %2, against the ground truth").arg(compareA_, compareB_));
}

QString TimelineView::tooltipAt(const QPoint& pos) const {
    // Two runs side by side: the cell's outcome first, then the event under it.
    const QString cmp = comparisonTooltipAt(pos);
    const auto hit = editor_.hitAt(pos);
    if (!hit.shown) return cmp;
    const auto& s = *hit.shown;
    QString text =
        QStringLiteral("<b>%1</b> · %2<br>%3 · %4")
            .arg(className(s.cls),
                 s.lane == Lane::AudioVisual ? tr("Audio-Visual (derived)")
                                             : modalityLabel(static_cast<core::Modality>(s.lane)),
                 sourceLabel(s.source), formatSpan(s.onsetMs, s.offsetMs));
    if (s.id)
        if (const auto* e = rows_.event(*s.id)) {
            if (!e->annotator.empty())
                text +=
                    QStringLiteral("<br>") + tr("by %1").arg(QString::fromStdString(e->annotator));
            if (e->source == store::Source::Prediction) {
                text += QStringLiteral("<br>") + reviewLabel(e->review);
                if (const auto r = doc_->currentRun())
                    text +=
                        QStringLiteral(" · ") + tr("run %1").arg(QString::fromStdString(r->name));
                const int seg = static_cast<int>(timeAtX(pos.x()));
                if (const auto prob = rows_.probability(s.lane, s.cls, seg))
                    text += QStringLiteral("<br>") +
                            tr("p = %1 in segment %2").arg(*prob, 0, 'f', 2).arg(seg);
            }
        }
    return cmp.isEmpty() ? text : cmp + QStringLiteral("<hr>") + text;
}

bool TimelineView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const QString text = tooltipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

}  // namespace avvp::ui

#include "ui/widgets/timeline_view.h"

#include <QContextMenuEvent>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHelpEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <array>
#include <cmath>

#include "core/store/store.h"
#include "ui/dialogs/class_picker.h"
#include "ui/labels.h"
#include "ui/session.h"

namespace avvp::ui {

namespace {

// The cells of a run's probabilities that pass the thresholds, as one prediction event per
// maximal run of segments and modality.
std::vector<store::Event> thresholdedEvents(const store::SegmentProbabilities& p,
                                            const ViewThresholds& th) {
    std::vector<store::Event> out;
    const int C = core::kNumClasses;
    for (int m = 0; m < 2; ++m) {
        const float frameTh = m == 0 ? th.audio : th.visual;
        for (int c = 0; c < C; ++c) {
            if (static_cast<std::size_t>(c) >= p.global.size() ||
                p.global[static_cast<std::size_t>(c)] < th.global)
                continue;
            int start = -1;
            for (int t = 0; t <= p.segments; ++t) {
                const auto i = static_cast<std::size_t>((t * 2 + m) * C + c);
                const bool on = t < p.segments && i < p.frame.size() && p.frame[i] >= frameTh;
                if (on && start < 0) start = t;
                if (!on && start >= 0) {
                    store::Event e;
                    e.video = p.video;
                    e.modality = static_cast<core::Modality>(m);
                    e.cls = c;
                    e.onsetMs = start * 1000LL;
                    e.offsetMs = t * 1000LL;
                    e.source = store::Source::Prediction;
                    out.push_back(e);
                    start = -1;
                }
            }
        }
    }
    return out;
}

constexpr int kRuler = 24;
constexpr int kLaneHeader = 20;
constexpr int kSpectrogram = 56;
constexpr int kStrip = 12;
constexpr int kClassRow = 3 * kStrip + 7;
constexpr int kEdgePx = 5;
constexpr std::array<store::Source, 3> kRowSources = {
    store::Source::GroundTruth, store::Source::Prediction, store::Source::Correction};

QColor sourceColor(store::Source s) {
    switch (s) {
        case store::Source::GroundTruth:
            return {47, 111, 200};
        case store::Source::Prediction:
            return {226, 132, 28};
        case store::Source::Correction:
            return {36, 150, 84};
    }
    return Qt::gray;
}

QColor laneColor(TimelineView::Lane lane) {
    switch (lane) {
        case TimelineView::Lane::Audio:
            return {222, 233, 248};
        case TimelineView::Lane::Visual:
            return {232, 244, 228};
        case TimelineView::Lane::AudioVisual:
            return {240, 234, 246};
    }
    return Qt::white;
}

// A perceptual-ish ramp from near black through purple and orange to pale yellow.
QRgb rampColor(double t) {
    static constexpr std::array<std::array<double, 3>, 5> stops = {{{0.02, 0.02, 0.08},
                                                                    {0.28, 0.07, 0.45},
                                                                    {0.72, 0.18, 0.42},
                                                                    {0.98, 0.55, 0.18},
                                                                    {0.99, 0.96, 0.70}}};
    t = std::clamp(t, 0.0, 1.0) * (stops.size() - 1);
    const auto i = std::min<std::size_t>(static_cast<std::size_t>(t), stops.size() - 2);
    const double f = t - static_cast<double>(i);
    auto ch = [&](int c) {
        return static_cast<int>(255.0 * (stops[i][static_cast<std::size_t>(c)] * (1 - f) +
                                         stops[i + 1][static_cast<std::size_t>(c)] * f));
    };
    return qRgb(ch(0), ch(1), ch(2));
}

// Rows on a logarithmic frequency axis from 40 Hz to Nyquist (speech and tones live in
// the lowest tenth of a linear axis), colours over the top 80 dB.
QImage spectrogramImage(const media::Spectrogram& s) {
    if (s.empty()) return {};
    constexpr int kRows = 128;
    QImage img(s.columns, kRows, QImage::Format_RGB32);
    std::array<QRgb, 256> lut{};
    for (std::size_t i = 0; i < lut.size(); ++i) lut[i] = rampColor(static_cast<double>(i) / 255.0);
    const double fMin = 40.0, fMax = s.sampleRate / 2.0;
    const double binHz = fMax / (s.bins - 1);
    const float top = s.maxDb;
    const float range = 80.0F;
    for (int r = 0; r < kRows; ++r) {
        const double f = fMin * std::pow(fMax / fMin, static_cast<double>(r) / (kRows - 1));
        const double pos = std::clamp(f / binHz, 0.0, static_cast<double>(s.bins - 1));
        const int b0 = static_cast<int>(pos), b1 = std::min(s.bins - 1, b0 + 1);
        const auto w1 = static_cast<float>(pos - b0);
        auto* line = reinterpret_cast<QRgb*>(img.scanLine(kRows - 1 - r));
        for (int c = 0; c < s.columns; ++c) {
            const float db = s.at(c, b0) * (1 - w1) + s.at(c, b1) * w1;
            const float t = std::clamp((db - (top - range)) / range, 0.0F, 1.0F);
            line[c] = lut[static_cast<std::size_t>(t * 255.0F)];
        }
    }
    return img;
}

// Intersections of two event lists (same class), merged.
std::vector<std::pair<std::int64_t, std::int64_t>> intersect(
    const std::vector<std::pair<std::int64_t, std::int64_t>>& a,
    const std::vector<std::pair<std::int64_t, std::int64_t>>& b) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (const auto& x : a)
        for (const auto& y : b) {
            const auto on = std::max(x.first, y.first), off = std::min(x.second, y.second);
            if (off > on) out.emplace_back(on, off);
        }
    std::sort(out.begin(), out.end());
    std::vector<std::pair<std::int64_t, std::int64_t>> merged;
    for (const auto& iv : out) {
        if (!merged.empty() && iv.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, iv.second);
        else
            merged.push_back(iv);
    }
    return merged;
}

}  // namespace

TimelineView::TimelineView(Session* session, QWidget* parent) : QWidget(parent), session_(session) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    spectrogramWatcher_ = new QFutureWatcher<media::Spectrogram>(this);
    connect(spectrogramWatcher_, &QFutureWatcher<media::Spectrogram>::finished, this, [this] {
        const auto s = spectrogramWatcher_->result();
        spectrogramPending_ = false;
        spectrogram_ = spectrogramImage(s);
        spectrogramSeconds_ = s.columns * s.secondsPerColumn;
        update();
    });
    connect(session_, &Session::changed, this, &TimelineView::onStoreChanged);
    connect(session_, &Session::runChanged, this, &TimelineView::reload);
    connect(session_, &Session::thresholdsChanged, this, &TimelineView::reload);
    connect(session_, &Session::closed, this, [this] { setVideo(std::nullopt); });
    layoutRows();
}

TimelineView::~TimelineView() {
    if (spectrogramCancel_) spectrogramCancel_->cancel();
}

void TimelineView::setVideo(std::optional<store::VideoId> video) {
    const bool same = video == video_;
    video_ = video;
    if (!same) {
        selected_.clear();
        drag_ = DragKind::None;
        playhead_ = 0;
    }
    reload();
    if (!same) {
        zoomToFit();
        emit selectionChanged();
    }
}

void TimelineView::reload() {
    if (drag_ != DragKind::None) {  // the rows it refers to are rebuilt
        drag_ = DragKind::None;
        createStrip_ = nullptr;
        preview_.clear();
    }
    events_.clear();
    thresholded_.clear();
    probabilities_.reset();
    weak_ = 0;
    auto* store = session_->store();
    if (store && video_) {
        if (const auto v = store->video(*video_)) {
            durationMs_ = v->durationMs > 0 ? v->durationMs : core::kLlpSegments * 1000;
            weak_ = v->weak;
            const auto run = session_->run();
            for (auto& e : store->events(*video_)) {
                if (e.source == store::Source::Prediction && e.run != run) continue;
                events_.push_back(std::move(e));
            }
            if (run) {
                probabilities_ = store->probabilities(*run, *video_);
                if (const auto r = session_->currentRun()) frameThreshold_ = r->frameThreshold;
            }
            if (probabilities_ && session_->thresholds()) {
                thresholded_ = thresholdedEvents(*probabilities_, *session_->thresholds());
                std::erase_if(events_, [](const store::Event& e) {
                    return e.source == store::Source::Prediction;
                });
            }
        } else {
            video_.reset();
        }
    }
    // Rows: the weak labels, every class with an event, and classes the run finds likely.
    core::ClassSet shownClasses = weak_;
    for (const auto& e : events_) shownClasses |= 1U << e.cls;
    for (const auto& e : thresholded_) shownClasses |= 1U << e.cls;
    if (probabilities_)
        for (std::size_t i = 0; i < probabilities_->frame.size(); ++i)
            if (probabilities_->frame[i] >= 0.5F * frameThreshold_)
                shownClasses |= 1U << (i % core::kNumClasses);
    classes_.clear();
    for (int c = 0; c < core::kNumClasses; ++c)
        if (core::hasClass(shownClasses, c)) classes_.push_back(c);
    pruneSelection();
    rebuildShown();
    layoutRows();
    clampView();
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

void TimelineView::pruneSelection() {
    const auto before = selected_.size();
    std::erase_if(selected_, [this](store::EventId id) { return eventById(id) == nullptr; });
    if (selected_.size() != before) emit selectionChanged();
}

void TimelineView::rebuildShown() {
    shown_.clear();
    for (const auto& e : events_)
        shown_.push_back({e.id, e.modality == core::Modality::Audio ? Lane::Audio : Lane::Visual,
                          e.cls, e.source, e.onsetMs, e.offsetMs, e.review});
    for (const auto& e : thresholded_)  // no id: not editable
        shown_.push_back({std::nullopt,
                          e.modality == core::Modality::Audio ? Lane::Audio : Lane::Visual, e.cls,
                          e.source, e.onsetMs, e.offsetMs, e.review});
    // Audio-visual: what is both heard and seen, per source and class.
    for (const auto source : kRowSources)
        for (const int cls : classes_) {
            std::array<std::vector<std::pair<std::int64_t, std::int64_t>>, 2> spans;
            for (const auto* list : {&events_, &thresholded_})
                for (const auto& e : *list)
                    if (e.source == source && e.cls == cls && e.review != store::Review::Rejected)
                        spans[static_cast<std::size_t>(e.modality)].emplace_back(e.onsetMs,
                                                                                 e.offsetMs);
            for (const auto& [on, off] : intersect(spans[0], spans[1]))
                shown_.push_back(
                    {std::nullopt, Lane::AudioVisual, cls, source, on, off, store::Review::None});
        }
}

int TimelineView::headerWidth() const {
    return std::max(150,
                    fontMetrics().horizontalAdvance(QStringLiteral("Telephone_bell_ringing")) + 44);
}

void TimelineView::layoutRows() {
    strips_.clear();
    laneHeaders_.clear();
    spectrogramRect_ = {};
    const int hw = headerWidth();
    const int w = std::max(width(), hw + 100);
    int y = kRuler;
    for (const Lane lane : {Lane::Audio, Lane::Visual, Lane::AudioVisual}) {
        laneHeaders_.emplace_back(lane, QRect(0, y, w, kLaneHeader));
        y += kLaneHeader;
        if (lane == Lane::Audio && showSpectrogram_ && !mediaPath_.isEmpty()) {
            spectrogramRect_ = QRect(hw, y + 1, w - hw, kSpectrogram);
            y += kSpectrogram + 3;
        }
        if (classes_.empty()) y += kStrip * 2;
        for (const int cls : classes_) {
            for (std::size_t s = 0; s < kRowSources.size(); ++s)
                strips_.push_back(
                    {lane, cls, kRowSources[s],
                     QRect(hw, y + 3 + static_cast<int>(s) * kStrip, w - hw, kStrip - 1)});
            y += kClassRow;
        }
    }
    contentHeight_ = y + 6;
    setMinimumHeight(contentHeight_);
    updateGeometry();
}

QSize TimelineView::sizeHint() const {
    return {800, contentHeight_};
}

QSize TimelineView::minimumSizeHint() const {
    return {headerWidth() + 200, contentHeight_};
}

void TimelineView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    layoutRows();
    clampView();
}

double TimelineView::msPerPx() const {
    const int area = std::max(50, width() - headerWidth() - 16);  // room for the last label
    return spanMs_ / area;
}

int TimelineView::xForTime(double seconds) const {
    return headerWidth() +
           static_cast<int>(std::lround((seconds * 1000.0 - viewStartMs_) / msPerPx()));
}

double TimelineView::timeAtX(double x) const {
    return (viewStartMs_ + (x - headerWidth()) * msPerPx()) / 1000.0;
}

void TimelineView::clampView() {
    spanMs_ = std::clamp(spanMs_, std::min<double>(1000.0, static_cast<double>(durationMs_)),
                         static_cast<double>(durationMs_));
    viewStartMs_ =
        std::clamp(viewStartMs_, 0.0, std::max(0.0, static_cast<double>(durationMs_) - spanMs_));
    emitView();
}

void TimelineView::emitView() {
    emit viewChanged(viewStartMs_ / 1000.0, spanMs_ / 1000.0,
                     static_cast<double>(durationMs_) / 1000.0);
}

double TimelineView::visibleSpan() const {
    return spanMs_ / 1000.0;
}

void TimelineView::setVisibleSpan(double seconds, std::optional<double> around) {
    const double anchor = around.value_or(viewStartMs_ / 1000.0 + spanMs_ / 2000.0) * 1000.0;
    const double ratio = spanMs_ > 0 ? (anchor - viewStartMs_) / spanMs_ : 0.5;
    spanMs_ = seconds * 1000.0;
    clampView();
    viewStartMs_ = anchor - ratio * spanMs_;
    clampView();
    update();
}

void TimelineView::setViewStart(double seconds) {
    viewStartMs_ = seconds * 1000.0;
    clampView();
    update();
}

void TimelineView::zoomIn() {
    setVisibleSpan(visibleSpan() / 1.5, playhead_);
}

void TimelineView::zoomOut() {
    setVisibleSpan(visibleSpan() * 1.5, playhead_);
}

void TimelineView::zoomToFit() {
    spanMs_ = static_cast<double>(durationMs_);
    viewStartMs_ = 0;
    clampView();
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

void TimelineView::followPlayhead() {
    const double ms = playhead_ * 1000.0;
    if (spanMs_ >= static_cast<double>(durationMs_) - 1) return;
    if (ms < viewStartMs_ || ms > viewStartMs_ + spanMs_) {
        viewStartMs_ = ms - 0.1 * spanMs_;
        clampView();
        update();
    }
}

void TimelineView::setSpectrogramVisible(bool on) {
    if (on == showSpectrogram_) return;
    showSpectrogram_ = on;
    const QString path = mediaPath_;
    mediaPath_.clear();
    setMedia(path);
}

void TimelineView::setMedia(const QString& mediaPath) {
    if (mediaPath == mediaPath_ && (!spectrogram_.isNull() || spectrogramPending_)) return;
    if (spectrogramCancel_) spectrogramCancel_->cancel();
    spectrogramPending_ = false;
    mediaPath_ = mediaPath;
    spectrogram_ = QImage();
    spectrogramSeconds_ = 0;
    if (!mediaPath.isEmpty() && showSpectrogram_) {
        spectrogramCancel_ = std::make_shared<core::Progress>();
        spectrogramPending_ = true;
        auto cancel = spectrogramCancel_;
        const std::string path = mediaPath.toStdString();
        spectrogramWatcher_->setFuture(QtConcurrent::run([path, cancel] {
            try {
                return media::computeSpectrogram(path, {}, cancel.get());  // cancellable
            } catch (const std::exception&) {
                return media::Spectrogram{};  // no audio stream: the strip stays empty
            }
        }));
    }
    layoutRows();
    update();
}

bool TimelineView::waitForSpectrogram(int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (spectrogramPending_ && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return !spectrogram_.isNull();
}

void TimelineView::setSelection(const std::set<store::EventId>& ids) {
    selected_ = ids;
    pruneSelection();
    emit selectionChanged();
    update();
}

const store::Event* TimelineView::eventById(store::EventId id) const {
    for (const auto& e : events_)
        if (e.id == id) return &e;
    return nullptr;
}

bool TimelineView::editable(const store::Event& e) const {
    return e.source != store::Source::Prediction;
}

QRect TimelineView::stripRect(Lane lane, int cls, store::Source source) const {
    for (const auto& s : strips_)
        if (s.lane == lane && s.cls == cls && s.source == source) return s.rect;
    return {};
}

QRect TimelineView::eventRect(store::EventId id) const {
    for (const auto& s : shown_) {
        if (s.id != id) continue;
        const QRect strip = stripRect(s.lane, s.cls, s.source);
        if (strip.isNull()) return {};
        const int x0 = std::max(strip.left(), xForTime(static_cast<double>(s.onsetMs) / 1000.0));
        const int x1 = std::min(strip.right(), xForTime(static_cast<double>(s.offsetMs) / 1000.0));
        return x1 > x0 ? QRect(x0, strip.top(), x1 - x0, strip.height()) : QRect();
    }
    return {};
}

const TimelineView::Strip* TimelineView::stripAt(const QPoint& pos) const {
    for (const auto& s : strips_)
        if (s.rect.adjusted(0, -1, 0, 1).contains(pos)) return &s;
    return nullptr;
}

TimelineView::Hit TimelineView::hitAt(const QPoint& pos) const {
    const Strip* strip = stripAt(pos);
    if (!strip) return {};
    Hit best;
    int bestDist = 1 << 30;
    for (const auto& s : shown_) {
        if (s.lane != strip->lane || s.cls != strip->cls || s.source != strip->source) continue;
        const int x0 = xForTime(static_cast<double>(s.onsetMs) / 1000.0);
        const int x1 = xForTime(static_cast<double>(s.offsetMs) / 1000.0);
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

std::int64_t TimelineView::snapMs(double ms, bool free) const {
    if (free) return static_cast<std::int64_t>(std::llround(ms / 10.0)) * 10;
    return static_cast<std::int64_t>(std::llround(ms / 1000.0)) * 1000;
}

std::optional<float> TimelineView::probability(Lane lane, int cls, int segment) const {
    if (!probabilities_ || segment < 0 || segment >= probabilities_->segments) return std::nullopt;
    auto at = [&](int m) {
        const auto i = static_cast<std::size_t>((segment * 2 + m) * core::kNumClasses + cls);
        return i < probabilities_->frame.size() ? probabilities_->frame[i] : 0.0F;
    };
    if (lane == Lane::AudioVisual) return std::min(at(0), at(1));
    return at(static_cast<int>(lane));
}

void TimelineView::paintLaneHeader(QPainter& p, const QRect& r, Lane lane) const {
    p.fillRect(r, laneColor(lane).darker(108));
    QString title;
    switch (lane) {
        case Lane::Audio:
            title = tr("Audio — heard");
            break;
        case Lane::Visual:
            title = tr("Visual — seen");
            break;
        case Lane::AudioVisual:
            title = tr("Audio-Visual — heard and seen (derived: A ∧ V, read-only)");
            break;
    }
    QFont f = font();
    f.setBold(true);
    p.setFont(f);
    p.setPen(QColor(40, 40, 50));
    p.drawText(r.adjusted(8, 0, -8, 0), Qt::AlignVCenter | Qt::AlignLeft, title);
    p.setFont(font());
}

void TimelineView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const int hw = headerWidth();
    const QRect area(hw, 0, width() - hw, height());
    p.fillRect(rect(), palette().base());
    p.fillRect(QRect(0, 0, hw, height()), palette().window());

    if (!video_) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Select a video in the browser to see its events"));
        return;
    }
    const double durS = static_cast<double>(durationMs_) / 1000.0;

    // Lanes: header band, then a tinted background under the class rows.
    for (std::size_t i = 0; i < laneHeaders_.size(); ++i) {
        const auto& [lane, r] = laneHeaders_[i];
        const int end =
            i + 1 < laneHeaders_.size() ? laneHeaders_[i + 1].second.top() : contentHeight_ - 4;
        p.fillRect(QRect(hw, r.bottom() + 1, width() - hw, end - r.bottom() - 1),
                   laneColor(lane).lighter(104));
    }
    QFont small = font();
    small.setPointSizeF(std::max(6.5, font().pointSizeF() - 1.5));

    // Segment grid: a line at every second (every step when zoomed far out).
    const double pxPerS = 1000.0 / msPerPx();
    const double steps[] = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600};
    double labelStep = steps[std::size(steps) - 1];
    for (double s : steps)
        if (s * pxPerS >= 46) {
            labelStep = s;
            break;
        }
    const double gridStep = pxPerS >= 6 ? 1.0 : labelStep;
    p.setClipRect(area);
    p.setPen(QColor(0, 0, 0, 28));
    for (double t = std::floor(viewStart() / gridStep) * gridStep; t <= durS + 1e-9;
         t += gridStep) {
        const int x = xForTime(t);
        if (x > width()) break;
        p.drawLine(x, kRuler, x, contentHeight_ - 4);
    }
    p.setClipping(false);

    // Ruler.
    p.fillRect(QRect(0, 0, width(), kRuler), palette().window().color().darker(104));
    p.setPen(palette().color(QPalette::WindowText));
    p.setFont(small);
    p.drawText(QRect(6, 0, hw - 12, kRuler), Qt::AlignVCenter | Qt::AlignLeft,
               tr("%1 s · %2 segments")
                   .arg(durS, 0, 'f', durationMs_ % 1000 ? 2 : 0)
                   .arg(static_cast<int>(std::ceil(durS - 1e-9))));
    p.setClipRect(area);
    for (double t = std::floor(viewStart() / labelStep) * labelStep; t <= durS + 1e-9;
         t += labelStep) {
        const int x = xForTime(t);
        if (x > width()) break;
        p.drawLine(x, kRuler - 7, x, kRuler - 1);
        const QString label = labelStep < 1 ? QString::number(t, 'f', 1)
                                            : QString::number(static_cast<int>(std::lround(t)));
        p.drawText(QRect(x + 3, 0, 60, kRuler - 4), Qt::AlignBottom | Qt::AlignLeft, label);
    }
    if (gridStep == 1.0 && pxPerS >= 30) {
        // Segment numbers are the cells, so mark each cell's middle subtly.
        p.setPen(QColor(0, 0, 0, 60));
        for (int k = static_cast<int>(viewStart()); k < durS; ++k) {
            const int x = xForTime(k + 0.5);
            p.drawLine(x, kRuler - 3, x, kRuler - 1);
        }
    }
    p.setClipping(false);

    for (const auto& [lane, r] : laneHeaders_) paintLaneHeader(p, r, lane);

    // Spectrogram strip.
    if (!spectrogramRect_.isNull()) {
        p.fillRect(spectrogramRect_, QColor(12, 10, 24));
        p.setPen(palette().color(QPalette::WindowText));
        p.setFont(small);
        p.drawText(QRect(8, spectrogramRect_.top(), hw - 16, spectrogramRect_.height()),
                   Qt::AlignVCenter | Qt::AlignLeft, tr("Spectrogram\n40 Hz–8 kHz, log"));
        if (!spectrogram_.isNull() && spectrogramSeconds_ > 0) {
            p.save();
            p.setClipRect(spectrogramRect_);
            const double x0 = xForTime(0), x1 = xForTime(spectrogramSeconds_);
            p.setRenderHint(QPainter::SmoothPixmapTransform);
            p.drawImage(QRectF(x0, spectrogramRect_.top(), x1 - x0, spectrogramRect_.height()),
                        spectrogram_);
            p.restore();
        } else {
            p.setPen(QColor(180, 180, 200));
            p.drawText(spectrogramRect_, Qt::AlignCenter,
                       spectrogramPending_ ? tr("computing spectrogram…") : tr("no audio"));
        }
    }

    // Class rows: name on the left, three strips (GT, prediction, correction).
    const QString sourceShort[3] = {tr("GT"), tr("Pred"), tr("Corr")};
    for (const auto& s : strips_) {
        const auto si = static_cast<std::size_t>(s.source);
        const int rowIndex =
            static_cast<int>(std::find(classes_.begin(), classes_.end(), s.cls) - classes_.begin());
        if (s.source == store::Source::GroundTruth) {
            const QRect row(0, s.rect.top() - 3, width(), kClassRow);
            if (rowIndex % 2 == 1) p.fillRect(row.adjusted(hw, 0, 0, 0), QColor(0, 0, 0, 10));
            p.setPen(QColor(0, 0, 0, 30));
            p.drawLine(0, row.bottom(), width(), row.bottom());
            p.setFont(font());
            p.setPen(palette().color(QPalette::WindowText));
            const bool weak = core::hasClass(weak_, s.cls);
            QFont f = font();
            f.setBold(weak);
            p.setFont(f);
            p.drawText(QRect(8, row.top(), hw - 46, row.height()), Qt::AlignVCenter | Qt::AlignLeft,
                       p.fontMetrics().elidedText(className(s.cls), Qt::ElideRight, hw - 46));
            p.setFont(font());
        }
        p.setFont(small);
        p.setPen(sourceColor(s.source).darker(120));
        p.drawText(QRect(hw - 40, s.rect.top() - 2, 36, s.rect.height() + 4),
                   Qt::AlignVCenter | Qt::AlignRight, sourceShort[si < 3 ? si : 0]);
        p.setFont(font());
        p.fillRect(s.rect, QColor(255, 255, 255, s.lane == Lane::AudioVisual ? 90 : 150));
        // Probability shading of the run, one cell per segment.
        if (s.source == store::Source::Prediction && probabilities_) {
            p.save();
            p.setClipRect(s.rect);
            for (int k = 0; k < probabilities_->segments; ++k) {
                const auto prob = probability(s.lane, s.cls, k);
                if (!prob || *prob < 0.02F) continue;
                const int x0 = xForTime(k), x1 = xForTime(k + 1);
                QColor c = sourceColor(store::Source::Prediction);
                c.setAlphaF(std::clamp(0.08 + 0.6 * *prob, 0.0, 0.7));
                p.fillRect(QRect(x0, s.rect.top(), x1 - x0, s.rect.height()), c);
            }
            p.restore();
        }
    }

    // Events.
    p.setRenderHint(QPainter::Antialiasing);
    auto previewOf = [this](const Shown& s) -> std::pair<std::int64_t, std::int64_t> {
        if (s.id)
            for (const auto& [id, span] : preview_)
                if (id == *s.id) return span;
        return {s.onsetMs, s.offsetMs};
    };
    for (const auto& s : shown_) {
        const QRect strip = stripRect(s.lane, s.cls, s.source);
        if (strip.isNull()) continue;
        const auto [on, off] = previewOf(s);
        const double x0 =
            std::max<double>(strip.left(), xForTime(static_cast<double>(on) / 1000.0));
        const double x1 =
            std::min<double>(strip.right() + 1, xForTime(static_cast<double>(off) / 1000.0));
        if (x1 <= x0) continue;
        const QRectF r(x0, strip.top() + 0.5, x1 - x0, strip.height() - 1);
        QColor c = sourceColor(s.source);
        const bool derived = !s.id;
        const bool selected = s.id && selected_.contains(*s.id);
        if (s.source == store::Source::Prediction) {
            const bool rejected = s.review == store::Review::Rejected;
            QColor fill = rejected ? QColor(150, 150, 150, 60)
                                   : QColor(c.red(), c.green(), c.blue(), derived ? 60 : 90);
            p.setBrush(fill);
            p.setPen(QPen(rejected ? QColor(120, 120, 120) : c.darker(115), 1.4,
                          rejected ? Qt::DashLine : Qt::SolidLine));
            p.drawRoundedRect(r, 2, 2);
            if (rejected) {
                p.setPen(QPen(QColor(110, 110, 110), 1.2));
                p.drawLine(QPointF(r.left() + 2, r.center().y()),
                           QPointF(r.right() - 2, r.center().y()));
            } else if (s.review == store::Review::Accepted && r.width() > 12) {
                p.setPen(QPen(sourceColor(store::Source::Correction).darker(130), 1.8));
                const QPointF a(r.left() + 4, r.center().y()), b(r.left() + 7, r.bottom() - 2),
                    d(r.left() + 12, r.top() + 2);
                p.drawPolyline(std::array<QPointF, 3>{a, b, d}.data(), 3);
            }
        } else {
            if (derived) c.setAlpha(150);
            p.setBrush(c);
            p.setPen(QPen(c.darker(125), 1));
            p.drawRoundedRect(r, 2, 2);
        }
        if (selected) {
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(QColor(20, 20, 20), 2));
            p.drawRoundedRect(r.adjusted(-1, -1, 1, 1), 2, 2);
            p.setBrush(QColor(20, 20, 20));
            p.setPen(Qt::NoPen);
            p.drawRect(QRectF(r.left() - 1, r.top() + 2, 3, r.height() - 4));
            p.drawRect(QRectF(r.right() - 2, r.top() + 2, 3, r.height() - 4));
        }
    }
    // An event being created.
    if (drag_ == DragKind::Create && dragMoved_ && createStrip_) {
        const int x0 = xForTime(static_cast<double>(createPreview_.first) / 1000.0);
        const int x1 = xForTime(static_cast<double>(createPreview_.second) / 1000.0);
        QColor c = sourceColor(createStrip_->source);
        c.setAlpha(120);
        p.setBrush(c);
        p.setPen(QPen(c.darker(150), 1, Qt::DashLine));
        p.drawRoundedRect(
            QRectF(x0, createStrip_->rect.top() + 0.5, x1 - x0, createStrip_->rect.height() - 1), 2,
            2);
    }
    p.setRenderHint(QPainter::Antialiasing, false);

    // Playhead.
    const int px = xForTime(playhead_);
    if (px >= hw) {
        p.setPen(QPen(QColor(220, 40, 40), 2));
        p.drawLine(px, 0, px, contentHeight_);
        p.setBrush(QColor(220, 40, 40));
        p.setPen(Qt::NoPen);
        const QPoint tri[3] = {{px - 5, 0}, {px + 5, 0}, {px, 7}};
        p.drawPolygon(tri, 3);
    }
    if (classes_.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        for (const auto& [lane, r] : laneHeaders_)
            p.drawText(QRect(hw + 8, r.bottom() + 2, width() - hw - 16, kStrip * 2),
                       Qt::AlignVCenter | Qt::AlignLeft,
                       tr("no events — drag on a class row to add one, or press Insert"));
    }
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
    setFocus(Qt::MouseFocusReason);
    if (!video_ || event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    const QPoint pos = event->position().toPoint();
    pressPos_ = pos;
    dragMoved_ = false;
    preview_.clear();
    pressMs_ = timeAtX(pos.x()) * 1000.0;
    drag_ = DragKind::None;
    if (pos.y() < kRuler) {
        drag_ = DragKind::Seek;
        emit seekRequested(std::clamp(pressMs_ / 1000.0, 0.0, durationSeconds()));
        return;
    }
    if (pos.x() < headerWidth()) return;
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    const Hit hit = hitAt(pos);
    if (hit.shown && hit.shown->id) {
        const auto id = *hit.shown->id;
        if (ctrl) {
            if (!selected_.erase(id)) selected_.insert(id);
            emit selectionChanged();
            update();
            return;
        }
        if (!selected_.contains(id)) {
            selected_ = {id};
            emit selectionChanged();
        }
        update();
        const auto* e = eventById(id);
        if (e && editable(*e)) {
            drag_ = hit.edge < 0   ? DragKind::ResizeStart
                    : hit.edge > 0 ? DragKind::ResizeEnd
                                   : DragKind::Move;
            dragEvent_ = id;
        }
        return;
    }
    const Strip* strip = stripAt(pos);
    if (!ctrl && !selected_.empty()) {
        selected_.clear();
        emit selectionChanged();
        update();
    }
    if (strip && strip->lane != Lane::AudioVisual && strip->source != store::Source::Prediction &&
        !hit.shown) {
        drag_ = DragKind::Create;
        createStrip_ = strip;
        return;
    }
    drag_ = DragKind::Seek;
    emit seekRequested(std::clamp(pressMs_ / 1000.0, 0.0, durationSeconds()));
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    if (drag_ == DragKind::None) {
        const Hit hit = hitAt(pos);
        const store::Event* e = hit.shown && hit.shown->id ? eventById(*hit.shown->id) : nullptr;
        if (e && editable(*e))
            setCursor(hit.edge != 0 ? Qt::SizeHorCursor : Qt::SizeAllCursor);
        else if (e)
            setCursor(Qt::PointingHandCursor);
        else
            unsetCursor();
        return;
    }
    if ((pos - pressPos_).manhattanLength() > 3) dragMoved_ = true;
    if (drag_ == DragKind::Seek) {
        emit seekRequested(std::clamp(timeAtX(pos.x()), 0.0, durationSeconds()));
        return;
    }
    if (dragMoved_) {
        updatePreview(pos, event->modifiers());
        update();
    }
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    const auto kind = drag_;
    if (kind == DragKind::Create && !dragMoved_) {
        emit seekRequested(std::clamp(timeAtX(pos.x()), 0.0, durationSeconds()));
    } else if ((kind == DragKind::Move || kind == DragKind::ResizeStart ||
                kind == DragKind::ResizeEnd || kind == DragKind::Create) &&
               dragMoved_) {
        commitDrag(pos, event->modifiers());
    }
    drag_ = DragKind::None;
    createStrip_ = nullptr;
    preview_.clear();
    update();
}

void TimelineView::updatePreview(const QPoint& pos, Qt::KeyboardModifiers mods) {
    const bool free = snap_ == static_cast<bool>(mods & Qt::ShiftModifier);
    const double deltaMs = timeAtX(pos.x()) * 1000.0 - pressMs_;
    const std::int64_t minLen = free ? 10 : 1000;
    const std::int64_t dur = durationMs_;
    preview_.clear();
    if (drag_ == DragKind::Create) {
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
    const auto* dragged = eventById(dragEvent_);
    if (!dragged) return;
    if (drag_ == DragKind::Move) {
        const std::int64_t newOn = snapMs(static_cast<double>(dragged->onsetMs) + deltaMs, free);
        std::int64_t delta = newOn - dragged->onsetMs;
        std::vector<const store::Event*> moving;
        for (const auto id : selected_)
            if (const auto* e = eventById(id); e && editable(*e)) moving.push_back(e);
        for (const auto* e : moving) delta = std::clamp(delta, -e->onsetMs, dur - e->offsetMs);
        for (const auto* e : moving)
            preview_.push_back({e->id, {e->onsetMs + delta, e->offsetMs + delta}});
    } else if (drag_ == DragKind::ResizeStart) {
        const std::int64_t on =
            std::clamp<std::int64_t>(snapMs(static_cast<double>(dragged->onsetMs) + deltaMs, free),
                                     0, dragged->offsetMs - std::min(minLen, dragged->offsetMs));
        preview_.push_back({dragged->id, {on, dragged->offsetMs}});
    } else if (drag_ == DragKind::ResizeEnd) {
        const std::int64_t off =
            std::clamp<std::int64_t>(snapMs(static_cast<double>(dragged->offsetMs) + deltaMs, free),
                                     std::min(dur, dragged->onsetMs + minLen), dur);
        preview_.push_back({dragged->id, {dragged->onsetMs, off}});
    }
}

void TimelineView::commitDrag(const QPoint& pos, Qt::KeyboardModifiers mods) {
    updatePreview(pos, mods);
    std::vector<store::Edit> edits;
    QString description;
    if (drag_ == DragKind::Create && createStrip_ && video_) {
        const auto [on, off] = createPreview_;
        if (off <= on) return;
        const auto m =
            createStrip_->lane == Lane::Audio ? core::Modality::Audio : core::Modality::Visual;
        edits.push_back(
            store::Edit::add(*video_, m, createStrip_->cls, on, off, createStrip_->source));
    } else if (drag_ == DragKind::Move) {
        for (const auto& [id, span] : preview_)
            if (const auto* e = eventById(id); e && e->onsetMs != span.first)
                edits.push_back(store::Edit::move(id, span.first));
        if (edits.size() > 1)
            description = tr("Move %n events", nullptr, static_cast<int>(edits.size()));
    } else {
        for (const auto& [id, span] : preview_)
            if (const auto* e = eventById(id);
                e && (e->onsetMs != span.first || e->offsetMs != span.second))
                edits.push_back(store::Edit::resize(id, span.first, span.second));
    }
    if (edits.empty()) return;
    const bool created = drag_ == DragKind::Create;
    preview_.clear();
    if (session_->apply(edits, description) && created) {
        selected_.clear();
        for (const auto id : session_->lastEvents()) selected_.insert(id);
        emit selectionChanged();
    }
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent* event) {
    const Hit hit = hitAt(event->position().toPoint());
    if (hit.shown && hit.shown->id) {
        selected_ = {*hit.shown->id};
        emit selectionChanged();
        if (const auto* e = eventById(*hit.shown->id); e && editable(*e)) relabelSelected();
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

void TimelineView::contextMenuEvent(QContextMenuEvent* event) {
    const Hit hit = hitAt(event->pos());
    if (!hit.shown || !hit.shown->id) return;
    if (!selected_.contains(*hit.shown->id)) {
        selected_ = {*hit.shown->id};
        emit selectionChanged();
        update();
    }
    const auto* e = eventById(*hit.shown->id);
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
    menu.addAction(tr("Play from here"), this,
                   [this, e] { emit seekRequested(static_cast<double>(e->onsetMs) / 1000.0); });
    menu.exec(event->globalPos());
}

QString TimelineView::tooltipAt(const QPoint& pos) const {
    const Hit hit = hitAt(pos);
    if (!hit.shown) return {};
    const auto& s = *hit.shown;
    QString text =
        QStringLiteral("<b>%1</b> · %2<br>%3 · %4")
            .arg(className(s.cls),
                 s.lane == Lane::AudioVisual ? tr("Audio-Visual (derived)")
                                             : modalityLabel(static_cast<core::Modality>(s.lane)),
                 sourceLabel(s.source), formatSpan(s.onsetMs, s.offsetMs));
    if (s.id)
        if (const auto* e = eventById(*s.id)) {
            if (!e->annotator.empty())
                text +=
                    QStringLiteral("<br>") + tr("by %1").arg(QString::fromStdString(e->annotator));
            if (e->source == store::Source::Prediction) {
                text += QStringLiteral("<br>") + reviewLabel(e->review);
                if (const auto r = session_->currentRun())
                    text +=
                        QStringLiteral(" · ") + tr("run %1").arg(QString::fromStdString(r->name));
                const int seg = static_cast<int>(timeAtX(pos.x()));
                if (const auto prob = probability(s.lane, s.cls, seg))
                    text += QStringLiteral("<br>") +
                            tr("p = %1 in segment %2").arg(*prob, 0, 'f', 2).arg(seg);
            }
        }
    return text;
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

void TimelineView::cancelOrClear() {
    if (drag_ != DragKind::None) {
        drag_ = DragKind::None;
        createStrip_ = nullptr;
        preview_.clear();
        update();
    } else {
        clearSelection();
    }
}

void TimelineView::selectAll() {
    selected_.clear();
    for (const auto& e : events_) selected_.insert(e.id);
    emit selectionChanged();
    update();
}

void TimelineView::clearSelection() {
    if (selected_.empty()) return;
    selected_.clear();
    emit selectionChanged();
    update();
}

void TimelineView::deleteSelected() {
    std::vector<store::Edit> edits;
    bool predictions = false;
    for (const auto id : selected_)
        if (const auto* e = eventById(id)) {
            if (editable(*e))
                edits.push_back(store::Edit::remove(id));
            else
                predictions = true;
        }
    if (predictions)
        emit message(
            tr("Predictions are model output: accept (A) or reject (R) them instead of deleting."));
    if (edits.empty()) return;
    session_->apply(edits, edits.size() > 1
                               ? tr("Delete %n events", nullptr, static_cast<int>(edits.size()))
                               : QString());
}

void TimelineView::relabelSelected() {
    std::vector<const store::Event*> targets;
    for (const auto id : selected_)
        if (const auto* e = eventById(id); e && editable(*e)) targets.push_back(e);
    if (targets.empty()) {
        emit message(selected_.empty()
                         ? tr("Select an event to relabel it.")
                         : tr("Predictions are model output: accept (A) or reject (R) them."));
        return;
    }
    const auto choice = ClassPicker::pick(
        this, targets.front()->cls,
        targets.size() == 1 ? std::optional(targets.front()->modality) : std::nullopt,
        targets.size() == 1 ? tr("Relabel event")
                            : tr("Relabel %n events", nullptr, static_cast<int>(targets.size())));
    if (choice) relabelSelectedTo(choice->cls, choice->modality);
}

void TimelineView::relabelSelectedTo(int cls, std::optional<core::Modality> modality) {
    std::vector<store::Edit> edits;
    for (const auto id : selected_)
        if (const auto* e = eventById(id); e && editable(*e)) {
            const auto m = modality && *modality != e->modality ? modality : std::nullopt;
            if (e->cls != cls || m) edits.push_back(store::Edit::relabel(id, cls, m));
        }
    if (edits.empty()) return;
    session_->apply(edits, edits.size() > 1 ? tr("Relabel %n events as %1", nullptr,
                                                 static_cast<int>(edits.size()))
                                                  .arg(className(cls))
                                            : QString());
}

std::vector<store::Edit> TimelineView::reviewEdits(store::Review review,
                                                   std::int64_t& lastOnset) const {
    std::vector<store::Edit> edits;
    for (const auto id : selected_)
        if (const auto* e = eventById(id);
            e && e->source == store::Source::Prediction && e->review != review) {
            edits.push_back(review == store::Review::Accepted ? store::Edit::accept(id)
                                                              : store::Edit::reject(id));
            lastOnset = std::max(lastOnset, e->onsetMs);
        }
    return edits;
}

void TimelineView::selectNextUnreviewed(std::int64_t fromMs) {
    const store::Event* next = nullptr;
    for (const auto& e : events_)
        if (e.source == store::Source::Prediction && e.review == store::Review::None &&
            e.onsetMs >= fromMs && (!next || e.onsetMs < next->onsetMs))
            next = &e;
    selected_.clear();
    if (next) selected_.insert(next->id);
    emit selectionChanged();
    update();
}

void TimelineView::acceptSelected() {
    std::int64_t last = -1;
    const auto edits = reviewEdits(store::Review::Accepted, last);
    if (edits.empty()) {
        emit message(tr("Select a predicted event (orange) to accept it."));
        return;
    }
    if (!session_->apply(edits, edits.size() > 1 ? tr("Accept %n predictions", nullptr,
                                                      static_cast<int>(edits.size()))
                                                 : QString()))
        return;
    // Review flow: on to the next prediction nobody has reviewed.
    selectNextUnreviewed(last);
}

void TimelineView::rejectSelected() {
    std::int64_t last = -1;
    const auto edits = reviewEdits(store::Review::Rejected, last);
    if (edits.empty()) {
        emit message(tr("Select a predicted event (orange) to reject it."));
        return;
    }
    if (!session_->apply(edits, edits.size() > 1 ? tr("Reject %n predictions", nullptr,
                                                      static_cast<int>(edits.size()))
                                                 : QString()))
        return;
    selectNextUnreviewed(last);
}

void TimelineView::selectAdjacentEvent(int dir) {
    const double now = playhead_ * 1000.0;
    const store::Event* best = nullptr;
    for (const auto& e : events_) {
        const auto on = static_cast<double>(e.onsetMs);
        if (dir > 0 ? on <= now + 0.5 : on >= now - 0.5) continue;
        if (!best || (dir > 0 ? e.onsetMs < best->onsetMs : e.onsetMs > best->onsetMs)) best = &e;
    }
    if (!best) {
        emit message(dir > 0 ? tr("No event after the playhead.")
                             : tr("No event before the playhead."));
        return;
    }
    selected_ = {best->id};
    emit selectionChanged();
    emit seekRequested(static_cast<double>(best->onsetMs) / 1000.0);
    update();
}

void TimelineView::addEventAtPlayhead() {
    if (!video_) return;
    const auto choice =
        ClassPicker::pick(this, classes_.empty() ? 0 : classes_.front(), core::Modality::Audio,
                          tr("Add an event at %1").arg(formatTime(playhead_)));
    if (!choice) return;
    const std::int64_t on =
        std::min<std::int64_t>(static_cast<std::int64_t>(std::floor(playhead_)) * 1000,
                               std::max<std::int64_t>(0, durationMs_ - 1000));
    const std::int64_t off = std::min<std::int64_t>(durationMs_, on + 1000);
    if (session_->apply(store::Edit::add(*video_, choice->modality.value_or(core::Modality::Audio),
                                         choice->cls, on, off, store::Source::Correction))) {
        selected_.clear();
        for (const auto id : session_->lastEvents()) selected_.insert(id);
        emit selectionChanged();
    }
}

}  // namespace avvp::ui

#include "ui/timeline/timeline_painter.h"

#include <QPainter>
#include <QWidget>
#include <algorithm>
#include <array>
#include <cmath>

#include "core/taxonomy.h"
#include "ui/labels.h"
#include "ui/timeline/spectrogram_strip.h"

namespace avvp::ui {

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

QColor laneColor(Lane lane) {
    switch (lane) {
        case Lane::Audio:
            return {222, 233, 248};
        case Lane::Visual:
            return {232, 244, 228};
        case Lane::AudioVisual:
            return {240, 234, 246};
    }
    return Qt::white;
}

QColor outcomeColor(core::CellOutcome o) {
    switch (o) {
        case core::CellOutcome::AOnly:  // sky blue: lighter than the ground truth's blue
            return {0x56, 0xb4, 0xe9};
        case core::CellOutcome::BOnly:
            return {0xcc, 0x79, 0xa7};
        case core::CellOutcome::BothWrong:
            return {0x11, 0x11, 0x11};
        case core::CellOutcome::BothRight:
            break;
    }
    return {};
}

QColor probabilityShade(float p) {
    QColor c = sourceColor(store::Source::Prediction);
    c.setAlphaF(std::clamp(0.22 + 0.68 * static_cast<double>(p), 0.0, 0.9));
    return c;
}

void TimelinePainter::paintLaneHeader(QPainter& p, const QWidget& w, const QRect& r, Lane lane) {
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
    QFont f = w.font();
    f.setBold(true);
    p.setFont(f);
    p.setPen(QColor(40, 40, 50));
    p.drawText(r.adjusted(8, 0, -8, 0), Qt::AlignVCenter | Qt::AlignLeft, title);
    p.setFont(w.font());
}

namespace {

// A ruler label: seconds for short videos ("0", "0.5", "42"), minutes and seconds from a
// minute on ("1:30", "1:02:00").
QString rulerLabel(double t, double step, double durationS) {
    if (step < 1) return QString::number(t, 'f', 1);
    const auto s = static_cast<long long>(std::llround(t));
    if (durationS < 60) return QString::number(s);
    if (s < 3600) return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

// The segment grid and the ruler with its labels, for the visible span only: a line at
// every second while seconds are at least 6 px apart (else at every label), labels at
// least 46 px apart (they thin out as the view zooms out), and a line at the real end
// of the video (the last segment may be partial).
void paintGrid(QPainter& p, const QWidget& w, const TimelineLayout& l, const QFont& small,
               const QString& summary) {
    const int hw = l.headerWidth();
    const QRect area(hw, 0, w.width() - hw, w.height());
    const double durS = l.durationMs() / 1000.0;
    const double viewStart = l.viewStartMs() / 1000.0;
    const double viewEnd = std::min(durS, l.viewEndMs() / 1000.0);
    const double pxPerS = 1000.0 / l.msPerPx();
    static constexpr double steps[] = {0.1, 0.2, 0.5, 1,   2,   5,    10,   15,   30,
                                       60,  120, 300, 600, 900, 1200, 1800, 3600, 7200};
    double labelStep = steps[std::size(steps) - 1];
    for (const double s : steps)
        if (s * pxPerS >= (durS >= 60 && s >= 1 ? 56 : 46)) {
            labelStep = s;
            break;
        }
    const double gridStep = pxPerS >= 6 ? 1.0 : labelStep;
    p.setClipRect(area);
    p.setPen(QColor(0, 0, 0, 28));
    for (double t = std::floor(viewStart / gridStep) * gridStep; t <= viewEnd + 1e-9;
         t += gridStep) {
        const int x = l.xForTime(t);
        if (x > w.width()) break;
        p.drawLine(x, kRuler, x, l.contentHeight() - 4);
    }
    const int xEnd = l.xForTime(durS);
    if (durS <= viewEnd + 1e-9) {
        p.setPen(QColor(0, 0, 0, 90));
        p.drawLine(xEnd, kRuler, xEnd, l.contentHeight() - 4);
    }
    p.setClipping(false);

    p.fillRect(QRect(0, 0, w.width(), kRuler), w.palette().window().color().darker(104));
    p.setPen(w.palette().color(QPalette::WindowText));
    p.setFont(small);
    p.drawText(QRect(6, 0, hw - 12, kRuler), Qt::AlignVCenter | Qt::AlignLeft, summary);
    p.setClipRect(area);
    for (double t = std::floor(viewStart / labelStep) * labelStep; t <= viewEnd + 1e-9;
         t += labelStep) {
        const int x = l.xForTime(t);
        if (x > w.width()) break;
        p.drawLine(x, kRuler - 7, x, kRuler - 1);
        if (x < hw) continue;  // scrolled half out: its label would be cut
        p.drawText(QRect(x + 3, 0, 70, kRuler - 4), Qt::AlignBottom | Qt::AlignLeft,
                   rulerLabel(t, labelStep, durS));
    }
    if (gridStep == 1.0 && pxPerS >= 30) {
        // Segment numbers are the cells, so mark each cell's middle subtly.
        p.setPen(QColor(0, 0, 0, 60));
        for (auto k = static_cast<long long>(viewStart); k < viewEnd; ++k) {
            const int x = l.xForTime(std::min(static_cast<double>(k) + 0.5, durS));
            p.drawLine(x, kRuler - 3, x, kRuler - 1);
        }
    }
    p.setClipping(false);
}

// One event's rectangle, in its source's style.
void paintEvent(QPainter& p, const QRectF& r, const ShownEvent& s, bool selected) {
    QColor c = sourceColor(s.source);
    const bool derived = !s.id;
    if (s.source == store::Source::Prediction) {
        const bool rejected = s.review == store::Review::Rejected;
        const QColor fill = rejected ? QColor(150, 150, 150, 60)
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

}  // namespace

void TimelinePainter::paint(QPainter& p, const QWidget& w, const TimelinePaintState& st) {
    const TimelineLayout& l = *st.layout;
    const int hw = l.headerWidth();
    p.fillRect(w.rect(), w.palette().base());
    p.fillRect(QRect(0, 0, hw, w.height()), w.palette().window());
    if (!st.rows) {
        p.setPen(w.palette().color(QPalette::PlaceholderText));
        p.drawText(w.rect(), Qt::AlignCenter,
                   tr("Select a video in the browser to see its events"));
        return;
    }
    const TimelineRows& rows = *st.rows;
    const double durS = l.durationMs() / 1000.0;

    // Lanes: header band, then a tinted background under the class rows.
    const auto& headers = l.laneHeaders();
    for (std::size_t i = 0; i < headers.size(); ++i) {
        const auto& [lane, r] = headers[i];
        const int end =
            i + 1 < headers.size() ? headers[i + 1].second.top() : l.contentHeight() - 4;
        p.fillRect(QRect(hw, r.bottom() + 1, w.width() - hw, end - r.bottom() - 1),
                   laneColor(lane).lighter(104));
    }
    QFont small = w.font();
    small.setPointSizeF(std::max(6.5, w.font().pointSizeF() - 1.5));
    const auto durMs = static_cast<std::int64_t>(std::llround(l.durationMs()));
    const int segments = core::segmentCount(durMs);
    paintGrid(p, w, l, small,
              durS < 60
                  ? tr("%1 s · %2 segments").arg(durS, 0, 'f', durMs % 1000 ? 2 : 0).arg(segments)
                  : tr("%1 · %2 segments").arg(rulerLabel(durS, 1, durS)).arg(segments));
    for (const auto& [lane, r] : headers) paintLaneHeader(p, w, r, lane);

    // Spectrogram strip.
    const QRect sr = l.spectrogramRect();
    if (!sr.isNull() && st.spectrogram) {
        const auto& sg = *st.spectrogram;
        p.fillRect(sr, QColor(12, 10, 24));
        p.setPen(w.palette().color(QPalette::WindowText));
        p.setFont(small);
        p.drawText(QRect(8, sr.top(), hw - 16, sr.height()), Qt::AlignVCenter | Qt::AlignLeft,
                   tr("Spectrogram\n40 Hz–8 kHz, log"));
        if (!sg.paint(p, sr, l)) {
            p.setPen(QColor(180, 180, 200));
            p.drawText(
                sr, Qt::AlignCenter,
                sg.pending() || !sg.noAudio() ? tr("computing spectrogram…") : tr("no audio"));
        }
    }

    // Class rows: name on the left, three strips (GT, prediction, correction).
    const QString sourceShort[3] = {tr("GT"), tr("Pred"), tr("Corr")};
    const QRect exposed = st.exposed.isNull() ? w.rect() : st.exposed;
    const int classRow = l.classRow();
    auto shownRow = [&exposed, classRow](const QRect& strip) {
        return strip.bottom() + classRow >= exposed.top() &&
               strip.top() - classRow <= exposed.bottom();
    };
    for (const auto& s : l.strips()) {
        if (!shownRow(s.rect)) continue;  // scrolled out of view
        const auto si = static_cast<std::size_t>(s.source);
        const int rowIndex = static_cast<int>(
            std::find(rows.classes.begin(), rows.classes.end(), s.cls) - rows.classes.begin());
        if (s.source == store::Source::GroundTruth) {
            const QRect row(0, s.rect.top() - 3, w.width(), classRow);
            if (rowIndex % 2 == 1) p.fillRect(row.adjusted(hw, 0, 0, 0), QColor(0, 0, 0, 10));
            p.setPen(QColor(0, 0, 0, 30));
            p.drawLine(0, row.bottom(), w.width(), row.bottom());
            p.setPen(w.palette().color(QPalette::WindowText));
            QFont f = w.font();
            f.setBold(core::hasClass(rows.weak, s.cls));
            p.setFont(f);
            p.drawText(QRect(8, row.top(), hw - 46, row.height()), Qt::AlignVCenter | Qt::AlignLeft,
                       p.fontMetrics().elidedText(className(s.cls), Qt::ElideRight, hw - 46));
            p.setFont(w.font());
        }
        p.setFont(small);
        p.setPen(sourceColor(s.source).darker(120));
        p.drawText(QRect(hw - 40, s.rect.top() - 2, 36, s.rect.height() + 4),
                   Qt::AlignVCenter | Qt::AlignRight, sourceShort[si < 3 ? si : 0]);
        p.setFont(w.font());
        p.fillRect(s.rect, QColor(255, 255, 255, s.lane == Lane::AudioVisual ? 90 : 150));
        // Probability shading of the run, one cell per segment.
        if (s.source == store::Source::Prediction && rows.probabilities) {
            p.save();
            p.setClipRect(s.rect);
            const int k0 = std::max(0, static_cast<int>(l.viewStartMs() / 1000.0));
            const int k1 = std::min(rows.probabilities->segments,
                                    static_cast<int>(std::ceil(l.viewEndMs() / 1000.0)) + 1);
            for (int k = k0; k < k1; ++k) {
                const auto prob = rows.probability(s.lane, s.cls, k);
                if (!prob || *prob < 0.02F) continue;
                const int x0 = l.xForTime(k), x1 = l.xForTime(std::min<double>(k + 1, durS));
                p.fillRect(QRect(x0, s.rect.top(), x1 - x0, s.rect.height()),
                           probabilityShade(*prob));
            }
            p.restore();
        }
    }

    // Events.
    p.setRenderHint(QPainter::Antialiasing);
    auto boundsOf = [&st](const ShownEvent& s) -> Span {
        if (s.id && st.preview)
            for (const auto& [id, span] : *st.preview)
                if (id == *s.id) return span;
        return {s.onsetMs, s.offsetMs};
    };
    for (const auto& s : rows.shown) {
        const auto [on, off] = boundsOf(s);
        if (!l.visible(on, off)) continue;  // a long video paints its visible part only
        const QRect strip = l.stripRect(s.lane, s.cls, s.source);
        if (strip.isNull() || !shownRow(strip)) continue;
        const double x0 =
            std::max<double>(strip.left(), l.xForTime(static_cast<double>(on) / 1000.0));
        const double x1 =
            std::min<double>(strip.right() + 1, l.xForTime(static_cast<double>(off) / 1000.0));
        if (x1 <= x0) continue;
        const bool selected = s.id && st.selection && st.selection->contains(*s.id);
        paintEvent(p, QRectF(x0, strip.top() + 0.5, x1 - x0, strip.height() - 1), s, selected);
    }
    // An event being created.
    if (st.creating) {
        const int x0 = l.xForTime(static_cast<double>(st.createSpan.first) / 1000.0);
        const int x1 = l.xForTime(static_cast<double>(st.createSpan.second) / 1000.0);
        QColor c = sourceColor(st.creating->source);
        c.setAlpha(120);
        p.setBrush(c);
        p.setPen(QPen(c.darker(150), 1, Qt::DashLine));
        p.drawRoundedRect(
            QRectF(x0, st.creating->rect.top() + 0.5, x1 - x0, st.creating->rect.height() - 1), 2,
            2);
    }
    p.setRenderHint(QPainter::Antialiasing, false);

    // Two runs side by side: a band along the bottom of each prediction cell where only one
    // run is right or both are wrong (both right stays plain), above the events.
    if (const auto* cmp = st.comparison) {
        const int k0 = std::max(0, static_cast<int>(l.viewStartMs() / 1000.0));
        const int k1 =
            std::min(cmp->segments, static_cast<int>(std::ceil(l.viewEndMs() / 1000.0)) + 1);
        for (const auto& s : l.strips()) {
            if (s.source != store::Source::Prediction || s.lane == Lane::AudioVisual) continue;
            const auto m = static_cast<core::Modality>(s.lane);
            if (!cmp->covers(m) || s.cls >= core::kNumClasses || !shownRow(s.rect)) continue;
            const int band = std::max(3, s.rect.height() / 2);
            for (int k = k0; k < k1; ++k) {
                const QColor c = outcomeColor(cmp->at(m, s.cls, k));
                if (!c.isValid()) continue;
                const int x0 = std::max(s.rect.left(), l.xForTime(k));
                const int x1 =
                    std::min(s.rect.right() + 1, l.xForTime(std::min<double>(k + 1, durS)));
                if (x1 <= x0) continue;
                p.fillRect(QRect(x0, s.rect.bottom() - band + 1, x1 - x0, band), c);
            }
        }
    }

    // Playhead.
    const int px = l.xForTime(st.playhead);
    if (px >= hw) {
        p.setPen(QPen(QColor(220, 40, 40), 2));
        p.drawLine(px, 0, px, l.contentHeight());
        p.setBrush(QColor(220, 40, 40));
        p.setPen(Qt::NoPen);
        const QPoint tri[3] = {{px - 5, 0}, {px + 5, 0}, {px, 7}};
        p.drawPolygon(tri, 3);
    }
    if (rows.classes.empty()) {
        p.setPen(w.palette().color(QPalette::PlaceholderText));
        for (const auto& [lane, r] : headers)
            p.drawText(QRect(hw + 8, r.bottom() + 2, w.width() - hw - 16, l.stripHeight() * 2),
                       Qt::AlignVCenter | Qt::AlignLeft,
                       tr("no events — drag on a class row to add one, or press Insert"));
    }
}

}  // namespace avvp::ui

#include "ui/widgets/video_view.h"

#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <cmath>

#include "core/media/video_frame.h"
#include "ui/labels.h"
#include "ui/media/playback.h"

namespace avvp::ui {

VideoView::VideoView(Playback* playback, QWidget* parent) : QWidget(parent), playback_(playback) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::ClickFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    connect(playback_, &Playback::frameChanged, this, qOverload<>(&QWidget::update));
    connect(playback_, &Playback::opened, this, &VideoView::updateDisplaySize);
}

void VideoView::setPlaceholder(const QString& text) {
    placeholder_ = text;
    update();
}

void VideoView::setSynthetic(bool synthetic) {
    synthetic_ = synthetic;
    update();
}

void VideoView::setSegmentGrid(bool on) {
    grid_ = on;
    update();
}

void VideoView::setSegments(int segments) {
    segments_ = segments;
    update();
}

void VideoView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    updateDisplaySize();
}

QRect VideoView::pictureRect(const QSize& area, double aspect) {
    if (!(aspect > 0) || area.isEmpty()) return {};
    int w = area.width();
    int h = static_cast<int>(w / aspect);
    if (h > area.height()) {
        h = area.height();
        w = static_cast<int>(h * aspect);
    }
    return {(area.width() - w) / 2, (area.height() - h) / 2, w, h};
}

void VideoView::updateDisplaySize() {
    if (!playback_->hasVideo()) return;
    // Decode at the size we paint (device pixels), so painting never scales; a frame
    // turned by 90 or 270 degrees is decoded with the sides swapped.
    const QRect r = pictureRect(size(), playback_->displayAspect());
    if (r.isEmpty()) return;
    const qreal dpr = devicePixelRatioF();
    const bool turned = playback_->rotation() % 180 == 90;
    const int w = static_cast<int>((turned ? r.height() : r.width()) * dpr);
    const int h = static_cast<int>((turned ? r.width() : r.height()) * dpr);
    playback_->setDisplaySize(w, h);
}

QRect VideoView::gridRect() const {
    const int h = std::max(14, fontMetrics().height() + 4);
    return {8, height() - h - 6, width() - 16, h};
}

void VideoView::mousePressEvent(QMouseEvent* event) {
    const QRect g = gridRect();
    if (grid_ && playback_->isOpen() && g.contains(event->position().toPoint())) {
        const double d = playback_->duration();
        const double t = (event->position().x() - g.left()) / std::max(1, g.width()) * d;
        emit seekRequested(t);
        return;
    }
    if (event->button() == Qt::LeftButton && playback_->isOpen()) playback_->togglePlay();
    QWidget::mousePressEvent(event);
}

void VideoView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(16, 16, 18));
    p.setRenderHint(QPainter::Antialiasing);
    if (!playback_->isOpen()) {
        p.setPen(QColor(190, 190, 196));
        p.drawText(rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap,
                   placeholder_.isEmpty() ? tr("No video") : placeholder_);
        return;
    }
    const auto frame = playback_->currentFrame();
    const bool audioOnly = playback_->mode() == Playback::Mode::AudioOnly || !playback_->hasVideo();
    QRect target;
    if (frame && !audioOnly && frame->format == media::PixelFormat::Bgra) {
        // The frame's pixels stay alive while `frame` is held.
        const QImage img(frame->pixels.data(), frame->width, frame->height, frame->stride(),
                         QImage::Format_RGB32);
        target = pictureRect(size(), playback_->displayAspect());
        const int rotation = playback_->rotation();
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        if (rotation == 0) {
            p.drawImage(target, img);
        } else {
            // Turn about the picture's centre; the stored frame has the sides swapped.
            const bool turned = rotation % 180 == 90;
            const QSizeF stored =
                turned ? QSizeF(target.height(), target.width()) : QSizeF(target.size());
            p.save();
            p.translate(QRectF(target).center());
            p.rotate(rotation);
            p.drawImage(QRectF(QPointF(-stored.width() / 2, -stored.height() / 2), stored), img);
            p.restore();
        }
    } else {
        p.setPen(QColor(190, 190, 196));
        p.drawText(rect(), Qt::AlignCenter,
                   playback_->hasVideo() ? tr("Audio only (picture hidden)")
                                         : tr("Audio file (no picture)"));
    }

    const double pos = playback_->position();
    const double dur = playback_->duration();
    QFont small = font();
    small.setPointSizeF(std::max(7.0, font().pointSizeF() - 1));
    p.setFont(small);
    // Time code and mode, top left.
    QString info = QStringLiteral("%1 / %2").arg(formatTime(pos), formatTime(dur));
    if (playback_->rate() != 1.0) info += QStringLiteral("  ×%1").arg(playback_->rate());
    if (playback_->mode() == Playback::Mode::VideoOnly) info += QStringLiteral("  ") + tr("muted");
    if (!playback_->audible() && playback_->hasAudio())
        info += QStringLiteral("  ") + tr("(no audio device)");
    QRect infoRect = p.fontMetrics().boundingRect(info).adjusted(-6, -3, 6, 3);
    infoRect.moveBottomLeft(QPoint(14, gridRect().top() - 6));
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0, 0, 0, 150));
    p.drawRoundedRect(infoRect, 4, 4);
    p.setPen(Qt::white);
    p.drawText(infoRect, Qt::AlignCenter, info);

    if (synthetic_) {
        const QString badge = tr("SYNTHETIC · rendered from the labels");
        QRect r = p.fontMetrics().boundingRect(badge).adjusted(-8, -4, 8, 4);
        r.moveBottomRight(QPoint(width() - 14, gridRect().top() - 6));
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(200, 100, 0, 220));
        p.drawRoundedRect(r, 4, 4);
        p.setPen(Qt::white);
        p.drawText(r, Qt::AlignCenter, badge);
    }

    if (grid_ && dur > 0) {
        const int n =
            segments_ > 0 ? segments_ : std::max(1, static_cast<int>(std::ceil(dur - 1e-6)));
        const QRect g = gridRect();
        const int current = std::min(n - 1, static_cast<int>(std::floor(pos)));
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0, 0, 0, 130));
        p.drawRect(g);
        const double w = static_cast<double>(g.width()) / std::max(dur, 1e-3);
        const bool labels =
            g.width() / n >= p.fontMetrics().horizontalAdvance(QStringLiteral("00")) + 4;
        for (int k = 0; k < n; ++k) {
            const double x0 = g.left() + k * w;
            const double x1 = g.left() + std::min(dur, k + 1.0) * w;
            const QRectF cell(x0, g.top(), x1 - x0, g.height());
            if (k == current) p.fillRect(cell, QColor(255, 255, 255, 70));
            p.setPen(QColor(255, 255, 255, 110));
            p.drawLine(QPointF(x0, g.top()), QPointF(x0, g.bottom()));
            if (labels) {
                p.setPen(QColor(235, 235, 235));
                p.drawText(cell, Qt::AlignCenter, QString::number(k));
            }
        }
        p.setPen(QPen(QColor(255, 70, 60), 2));
        const double px = g.left() + pos * w;
        p.drawLine(QPointF(px, g.top() - 3), QPointF(px, g.bottom() + 1));
    }
}

}  // namespace avvp::ui

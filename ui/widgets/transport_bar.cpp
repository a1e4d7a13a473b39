#include "ui/widgets/transport_bar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <cmath>

#include "ui/labels.h"
#include "ui/media/playback.h"

namespace avvp::ui {

TransportBar::TransportBar(Playback* playback, QWidget* parent)
    : QWidget(parent), playback_(playback) {
    auto button = [this](QStyle::StandardPixmap icon, const QString& tip, auto slot) {
        auto* b = new QToolButton(this);
        b->setIcon(style()->standardIcon(icon));
        b->setToolTip(tip);
        b->setAutoRaise(true);
        b->setFocusPolicy(Qt::NoFocus);
        connect(b, &QToolButton::clicked, playback_, slot);
        return b;
    };
    auto* start =
        button(QStyle::SP_MediaSkipBackward, tr("To the start (Home)"), &Playback::goToStart);
    auto* segBack = button(QStyle::SP_MediaSeekBackward, tr("One segment back (←)"),
                           [this] { playback_->stepSegments(-1); });
    auto* frameBack = button(QStyle::SP_ArrowLeft, tr("One frame back (,)"),
                             [this] { playback_->stepFrames(-1); });
    play_ = button(QStyle::SP_MediaPlay, tr("Play / pause (Space)"), &Playback::togglePlay);
    auto* frameFwd = button(QStyle::SP_ArrowRight, tr("One frame forward (.)"),
                            [this] { playback_->stepFrames(1); });
    auto* segFwd = button(QStyle::SP_MediaSeekForward, tr("One segment forward (→)"),
                          [this] { playback_->stepSegments(1); });
    auto* end = button(QStyle::SP_MediaSkipForward, tr("To the end (End)"), &Playback::goToEnd);

    slider_ = new QSlider(Qt::Horizontal, this);
    slider_->setRange(0, 1000);
    slider_->setFocusPolicy(Qt::NoFocus);
    time_ = new QLabel(this);
    time_->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0:00.000 / 0:00.000")) +
                           8);

    rate_ = new QComboBox(this);
    for (double r : Playback::speeds()) rate_->addItem(QStringLiteral("%1×").arg(r), r);
    rate_->setCurrentIndex(rate_->findData(1.0));
    rate_->setToolTip(tr("Playback speed; the sound keeps its pitch ([ slower, ] faster, \\ 1×)"));
    rate_->setFocusPolicy(Qt::NoFocus);
    mode_ = new QComboBox(this);
    mode_->addItem(tr("Audio + video"), static_cast<int>(Playback::Mode::Both));
    mode_->addItem(tr("Audio only"), static_cast<int>(Playback::Mode::AudioOnly));
    mode_->addItem(tr("Video only"), static_cast<int>(Playback::Mode::VideoOnly));
    mode_->setToolTip(tr("Check one modality: hide the picture, or mute the sound"));
    mode_->setFocusPolicy(Qt::NoFocus);

    auto* lay = new QHBoxLayout(this);
    lay->setContentsMargins(2, 0, 2, 0);
    lay->setSpacing(2);
    for (auto* b : {start, segBack, frameBack, play_, frameFwd, segFwd, end}) lay->addWidget(b);
    lay->addWidget(slider_, 1);
    lay->addWidget(time_);
    lay->addWidget(rate_);
    lay->addWidget(mode_);

    connect(slider_, &QSlider::sliderPressed, this, [this] { dragging_ = true; });
    connect(slider_, &QSlider::sliderReleased, this, [this] {
        dragging_ = false;
        playback_->seek(slider_->value() / 1000.0 * playback_->duration());
    });
    connect(slider_, &QSlider::sliderMoved, this,
            [this](int v) { playback_->seek(v / 1000.0 * playback_->duration()); });
    connect(rate_, &QComboBox::activated, this,
            [this] { playback_->setRate(rate_->currentData().toDouble()); });
    connect(mode_, &QComboBox::activated, this, [this] {
        playback_->setMode(static_cast<Playback::Mode>(mode_->currentData().toInt()));
    });
    connect(playback_, &Playback::positionChanged, this, &TransportBar::sync);
    connect(playback_, &Playback::stateChanged, this, &TransportBar::sync);
    connect(playback_, &Playback::opened, this, &TransportBar::sync);
    connect(playback_, &Playback::closed, this, &TransportBar::sync);
    connect(playback_, &Playback::rateChanged, this, [this](double r) {
        const int i = rate_->findData(r);
        if (i >= 0) rate_->setCurrentIndex(i);
    });
    connect(playback_, &Playback::modeChanged, this, [this](Playback::Mode m) {
        mode_->setCurrentIndex(mode_->findData(static_cast<int>(m)));
    });
    sync();
}

void TransportBar::sync() {
    const bool open = playback_->isOpen();
    setEnabled(open);
    play_->setIcon(
        style()->standardIcon(playback_->playing() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    const double d = playback_->duration();
    const double pos = playback_->position();
    time_->setText(open ? QStringLiteral("%1 / %2").arg(formatTime(pos), formatTime(d))
                        : QString());
    if (!dragging_) {
        const QSignalBlocker block(slider_);
        slider_->setValue(d > 0 ? static_cast<int>(std::lround(pos / d * 1000.0)) : 0);
    }
}

}  // namespace avvp::ui

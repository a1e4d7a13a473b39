#include "ui/timeline/spectrogram_strip.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <array>
#include <cmath>

namespace avvp::ui {

namespace {

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

}  // namespace

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

SpectrogramStrip::SpectrogramStrip(QObject* parent) : QObject(parent) {
    watcher_ = new QFutureWatcher<media::Spectrogram>(this);
    connect(watcher_, &QFutureWatcher<media::Spectrogram>::finished, this, [this] {
        const auto s = watcher_->result();
        pending_ = false;
        image_ = spectrogramImage(s);
        seconds_ = s.columns * s.secondsPerColumn;
        emit changed();
    });
}

SpectrogramStrip::~SpectrogramStrip() {
    if (cancel_) cancel_->cancel();
}

void SpectrogramStrip::setShown(bool on) {
    if (on == shown_) return;
    shown_ = on;
    const QString path = media_;
    media_.clear();
    setMedia(path);
}

void SpectrogramStrip::setMedia(const QString& mediaPath) {
    if (mediaPath == media_ && (!image_.isNull() || pending_)) return;
    if (cancel_) cancel_->cancel();
    pending_ = false;
    media_ = mediaPath;
    image_ = QImage();
    seconds_ = 0;
    if (!media_.isEmpty() && shown_) start();
    emit changed();
}

void SpectrogramStrip::start() {
    cancel_ = std::make_shared<core::Progress>();
    pending_ = true;
    auto cancel = cancel_;
    const std::string path = media_.toStdString();
    watcher_->setFuture(QtConcurrent::run([path, cancel] {
        try {
            return media::computeSpectrogram(path, {}, cancel.get());  // cancellable
        } catch (const std::exception&) {
            return media::Spectrogram{};  // no audio stream: the strip stays empty
        }
    }));
}

bool SpectrogramStrip::wait(int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (pending_ && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return !image_.isNull();
}

}  // namespace avvp::ui

#pragma once
// The spectrogram strip of the timeline: the spectrogram of the current media file,
// computed once per file off the GUI thread (media::computeSpectrogram, cancellable) and
// kept as an image on a logarithmic frequency axis (40 Hz to Nyquist, the top 80 dB).
#include <QFutureWatcher>
#include <QImage>
#include <QObject>
#include <QString>
#include <memory>

#include "core/media/spectrogram.h"

namespace avvp::ui {

// The image of a spectrogram: 128 rows on a log frequency axis, colours over the top 80 dB.
QImage spectrogramImage(const media::Spectrogram& s);

class SpectrogramStrip : public QObject {
    Q_OBJECT
  public:
    explicit SpectrogramStrip(QObject* parent = nullptr);
    ~SpectrogramStrip() override;  // cancels a computation under way

    // Computes the spectrogram of this file when shown ("" clears it); nothing when it is
    // the file already computed or being computed.
    void setMedia(const QString& mediaPath);
    QString media() const { return media_; }
    void setShown(bool on);
    bool shown() const { return shown_; }
    // Whether the timeline has a strip: shown and a media file.
    bool visible() const { return shown_ && !media_.isEmpty(); }

    bool pending() const { return pending_; }
    bool ready() const { return !image_.isNull(); }
    const QImage& image() const { return image_; }
    double seconds() const { return seconds_; }  // the time the image spans
    // Blocks (processing events) until the computation ends; whether an image came (tests).
    bool wait(int timeoutMs);

  signals:
    void changed();

  private:
    void start();

    QString media_;
    bool shown_ = true;
    QImage image_;
    double seconds_ = 0;
    bool pending_ = false;
    std::shared_ptr<core::Progress> cancel_;
    QFutureWatcher<media::Spectrogram>* watcher_;
};

}  // namespace avvp::ui

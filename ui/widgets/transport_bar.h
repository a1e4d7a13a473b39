#pragma once
// Transport controls under the video: play / pause, segment and frame steps, a position
// slider, the time, the rate and the checking mode (both, audio only, video only).
#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace avvp::ui {

class Playback;

class TransportBar : public QWidget {
    Q_OBJECT
  public:
    explicit TransportBar(Playback* playback, QWidget* parent = nullptr);

    QToolButton* playButton() const { return play_; }
    QComboBox* rateCombo() const { return rate_; }
    QComboBox* modeCombo() const { return mode_; }

  private:
    void sync();

    Playback* playback_;
    QToolButton* play_;
    QSlider* slider_;
    QLabel* time_;
    QComboBox* rate_;
    QComboBox* mode_;
    bool dragging_ = false;
};

}  // namespace avvp::ui

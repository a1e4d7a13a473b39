#pragma once
// The timeline with its tool bar (zoom, snapping, spectrogram, which run's predictions
// are shown, a legend) and a horizontal scroll bar for zoomed views.
#include <QWidget>

class QComboBox;
class QScrollArea;
class QScrollBar;
class QToolButton;
class QLabel;

namespace avvp::ui {

class Session;
class TimelineView;

class TimelinePanel : public QWidget {
    Q_OBJECT
  public:
    TimelinePanel(Session* session, QWidget* parent = nullptr);

    TimelineView* view() const { return view_; }
    QComboBox* runCombo() const { return run_; }
    QToolButton* snapButton() const { return snap_; }
    QToolButton* spectrogramButton() const { return spectro_; }
    QScrollArea* scrollArea() const { return scroll_; }

  private:
    void fillRuns();

    Session* session_;
    TimelineView* view_;
    QScrollArea* scroll_;
    QScrollBar* hbar_;
    QComboBox* run_;
    QToolButton* snap_;
    QToolButton* spectro_;
    bool updatingBar_ = false;
};

}  // namespace avvp::ui

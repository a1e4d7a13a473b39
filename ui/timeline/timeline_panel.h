#pragma once
// The timeline with its tool bar (zoom, snapping, spectrogram, which run's predictions
// are shown, a legend) and a horizontal scroll bar for zoomed views. Snapping and the
// spectrogram start on; whoever keeps preferences sets and watches the two buttons.
#include <QWidget>

class QComboBox;
class QScrollArea;
class QScrollBar;
class QToolButton;
class QLabel;

namespace avvp::ui {

class Document;
class TimelineView;

class TimelinePanel : public QWidget {
    Q_OBJECT
  public:
    TimelinePanel(Document* document, QWidget* parent = nullptr);

    TimelineView* view() const { return view_; }
    QComboBox* runCombo() const { return run_; }
    QToolButton* snapButton() const { return snap_; }
    QToolButton* spectrogramButton() const { return spectro_; }
    QScrollArea* scrollArea() const { return scroll_; }
    // Asks for a new name of the shown run (a dialog with its name); renameRunRequested.
    // The run combo's context menu and its "Rename…" button call it.
    void askRenameRun();

  signals:
    // The application renames the run (refusing an empty or taken name, with a message).
    void renameRunRequested(qint64 run, const QString& name);

  private:
    void fillRuns();

    Document* doc_;
    TimelineView* view_;
    QScrollArea* scroll_;
    QScrollBar* hbar_;
    QComboBox* run_;
    QToolButton* snap_;
    QToolButton* spectro_;
    bool updatingBar_ = false;
};

}  // namespace avvp::ui

#pragma once
// The timeline with its tool bar (zoom, snapping, spectrogram, which run's predictions
// are shown, a legend) and a horizontal scroll bar for zoomed views. Snapping and the
// spectrogram start on; whoever keeps preferences sets and watches the two buttons.
#include <QWidget>
#include <memory>
#include <optional>

#include "core/run_comparison.h"

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
    // "Compare with…": run B of two runs side by side (issue 20, item 5); "None" (the
    // default) is off. Choosing one emits compareRunChosen; the application computes the
    // comparison and hands the current video's back through setComparison.
    QComboBox* compareCombo() const { return compare_; }
    std::optional<qint64> compareRun() const;
    // The current video's outcome grid of the shown run (A) and run B against the ground
    // truth, painted on the prediction strips with a legend (nullptr: off).
    void setComparison(std::shared_ptr<const core::VideoComparison> comparison,
                       const QString& runA = {}, const QString& runB = {});
    QLabel* comparisonLegend() const { return compareLegend_; }
    QToolButton* snapButton() const { return snap_; }
    QToolButton* spectrogramButton() const { return spectro_; }
    QScrollArea* scrollArea() const { return scroll_; }
    // Asks for a new name of the shown run (a dialog with its name); renameRunRequested.
    // The run combo's context menu and its "Rename…" button call it.
    void askRenameRun();

  signals:
    // The application renames the run (refusing an empty or taken name, with a message).
    void renameRunRequested(qint64 run, const QString& name);
    // The user chose run B to compare with (nullopt: None, comparison off).
    void compareRunChosen(std::optional<qint64> run);

  private:
    void fillRuns();

    Document* doc_;
    TimelineView* view_;
    QScrollArea* scroll_;
    QScrollBar* hbar_;
    QComboBox* run_;
    QComboBox* compare_ = nullptr;
    QLabel* compareLegend_ = nullptr;
    QToolButton* snap_;
    QToolButton* spectro_;
    bool updatingBar_ = false;
};

}  // namespace avvp::ui

#pragma once
// The Queue dock (issue 18, item 2): the uncertainty queue of a model run, the cells (video
// x modality x class x 1 s segment) ranked by how much a person's look is worth (near the
// threshold, audio-visual disagreement, disagreement with the ground truth or a
// correction). Pick a run, a split, a class and a modality; Rank asks the application to
// rank (store::uncertaintyQueue, the code of `avvp queue`) as a job. Walking the list opens
// each item: Up / Down, J / K (next / previous) and Enter emit itemActivated with the
// video and the cell, which the application opens at that segment.
#include <QWidget>

#include "core/store/uncertainty_queue.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace avvp::ui {

class Document;

class QueuePanel : public QWidget {
    Q_OBJECT
  public:
    explicit QueuePanel(Document* document, QWidget* parent = nullptr);

    QComboBox* runCombo() const { return run_; }
    QComboBox* splitCombo() const { return split_; }
    QComboBox* classCombo() const { return class_; }
    QComboBox* modalityCombo() const { return modality_; }
    QSpinBox* limitBox() const { return limit_; }
    QPushButton* rankButton() const { return rank_; }
    QLabel* statusLabel() const { return status_; }
    QTableWidget* table() const { return table_; }

    // Re-reads the project's runs (the shown run first chosen).
    void refreshRuns();
    // As the Rank button: rankRequested with the current choice; false without a run or
    // while a ranking runs.
    bool rank();
    bool running() const { return running_; }
    // Makes `row` current and opens it (itemActivated); clamped to the list.
    void walkTo(int row);
    int currentRow() const;
    // What the last ranking returned.
    const store::StoreQueue& queue() const { return queue_; }

  public slots:
    void showStarted();
    void showProgress(const QString& stage, double fraction);
    void showResult(const avvp::store::StoreQueue& queue);
    void showFailed(const QString& error);
    void showEnded(bool cancelled);

  signals:
    void rankRequested(const avvp::store::QueueRequest& request, const QString& title);
    // `modality` 0 audio, 1 visual; `segment` the 1 s segment (its onset in seconds).
    void itemActivated(const QString& video, int modality, int cls, int segment);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void open(int row);
    QString reasonText(unsigned reasons) const;

    Document* doc_;
    QComboBox* run_;
    QComboBox* split_;
    QComboBox* class_;
    QComboBox* modality_;
    QSpinBox* limit_;
    QPushButton* rank_;
    QLabel* status_;
    QTableWidget* table_;
    store::StoreQueue queue_;
    bool running_ = false;
    bool filling_ = false;
    bool ranked_ = false;
};

}  // namespace avvp::ui

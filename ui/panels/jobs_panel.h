#pragma once
// The jobs panel: every background job (import, export, evaluation, model run, ...) with
// its stage, progress, time and time left, a Cancel button and a way to clear the finished
// ones; and a compact status-bar view of the newest running job. Both show an item model
// of jobs (one row per job; the roles below) and ask for cancelling and clearing.
#include <QWidget>

class QAbstractItemModel;
class QLabel;
class QModelIndex;
class QProgressBar;
class QTreeWidget;
class QPushButton;

namespace avvp::ui {

// The roles a jobs model gives (column 0 of each row).
namespace JobRoles {
inline constexpr int Title = Qt::UserRole + 1;
inline constexpr int State = Qt::UserRole + 2;  // 0 running, 1 finished, 2 failed, 3 cancelled
inline constexpr int Stage = Qt::UserRole + 3;
inline constexpr int Fraction = Qt::UserRole + 4;  // double in [0, 1]
inline constexpr int Elapsed = Qt::UserRole + 5;   // qint64 ms
inline constexpr int Error = Qt::UserRole + 6;
inline constexpr int Eta = Qt::UserRole + 7;  // text, empty when unknown
// The stage with the time left ("12 of 40 videos · about 1 min left"), while running.
inline constexpr int ProgressText = Qt::UserRole + 8;
// Whether Cancel can still stop it (false once it passed its point of no return).
inline constexpr int Cancellable = Qt::UserRole + 9;
}  // namespace JobRoles

class JobsPanel : public QWidget {
    Q_OBJECT
  public:
    explicit JobsPanel(QAbstractItemModel* jobs, QWidget* parent = nullptr);
    QTreeWidget* tree() const { return tree_; }
    // Enabled while a selected job can still be cancelled.
    QPushButton* cancelButton() const { return cancel_; }

  signals:
    void cancelRequested(int row);
    void clearRequested();

  private:
    void rebuild();
    void refresh(int row);
    void updateCancel();

    QAbstractItemModel* jobs_;
    QTreeWidget* tree_;
    QPushButton* cancel_;
};

// A compact status-bar view of the newest running job: its title, a progress bar and a
// Cancel button; hidden while nothing runs.
class JobStatusWidget : public QWidget {
    Q_OBJECT
  public:
    explicit JobStatusWidget(QAbstractItemModel* jobs, QWidget* parent = nullptr);
    // Disabled once the shown job passed its point of no return.
    QPushButton* cancelButton() const { return cancel_; }

  signals:
    void cancelRequested(int row);

  private:
    void track();
    QAbstractItemModel* jobs_;
    int row_ = -1;
    QLabel* label_;
    QProgressBar* bar_;
    QPushButton* cancel_;
};

}  // namespace avvp::ui

#pragma once
// The jobs panel: every background job (import, export, evaluation, ...) with its stage,
// progress and time, a Cancel button and a way to clear the finished ones.
#include <QHash>
#include <QWidget>

class QLabel;
class QProgressBar;
class QTreeWidget;
class QTreeWidgetItem;
class QPushButton;

namespace avvp::ui {

class Job;
class JobManager;

class JobsPanel : public QWidget {
    Q_OBJECT
  public:
    explicit JobsPanel(JobManager* jobs, QWidget* parent = nullptr);
    QTreeWidget* tree() const { return tree_; }

  private:
    void add(Job* job);
    void refresh(Job* job);
    void rebuild();

    JobManager* jobs_;
    QTreeWidget* tree_;
    QPushButton* cancel_;
    QHash<Job*, QTreeWidgetItem*> items_;
};

// A compact status-bar view of the newest running job: its title, a progress bar and a
// Cancel button; hidden while nothing runs.
class JobStatusWidget : public QWidget {
    Q_OBJECT
  public:
    explicit JobStatusWidget(JobManager* jobs, QWidget* parent = nullptr);

  private:
    void track();
    JobManager* jobs_;
    Job* job_ = nullptr;
    QLabel* label_;
    QProgressBar* bar_;
    QPushButton* cancel_;
};

}  // namespace avvp::ui

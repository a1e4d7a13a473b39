#pragma once
// Queue panel <-> the uncertainty-queue workflow (issue 18, item 2): the ranking runs off
// the GUI thread as a job (workspace::startUncertaintyQueue, progress in the Jobs panel) on
// its own read-only connection; an item the panel opens is found on the timeline.
#include <QObject>
#include <QPointer>
#include <optional>

#include "core/store/store.h"

namespace avvp::workspace {
class Job;
class JobManager;
class Session;
}  // namespace avvp::workspace

namespace avvp::ui {
class QueuePanel;
}

namespace avvp::app {

class QueueController : public QObject {
    Q_OBJECT
  public:
    QueueController(workspace::Session* session, workspace::JobManager* jobs, ui::QueuePanel* panel,
                    QObject* parent = nullptr);
    // As the Rank button: the job, or nullptr when the panel refused.
    workspace::Job* rank();

    // The event the timeline selects for a queued cell of `video`: the shown run's
    // prediction covering the segment, else a correction, else a ground-truth event of that
    // modality and class; nullopt when none covers it.
    static std::optional<store::EventId> cellEvent(const store::Store& store, store::VideoId video,
                                                   std::optional<store::RunId> shownRun,
                                                   core::Modality modality, int cls, int segment);

  private:
    workspace::Session* session_;
    workspace::JobManager* jobs_;
    ui::QueuePanel* panel_;
    QPointer<workspace::Job> last_;
};

}  // namespace avvp::app

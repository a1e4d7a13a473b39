#pragma once
// Training runs in the application: models::train with the options a view assembled, on a
// worker thread, its per-epoch reports handed to the GUI thread as they come (the training
// dashboard draws them), cancellable between batches and resumable from the output
// folder's last.ckpt.
#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>

#include "core/progress.h"
#include "models/model_api.h"

namespace avvp::workspace {

class Job;
class JobManager;

// Trains on this thread with `threads` CPU threads (0: all): `onEpoch` hears each epoch's
// report on this thread. A run cancelled before its first checkpoint throws
// core::Cancelled; one cancelled later returns with result.cancelled (its checkpoints stay).
models::TrainResult runTraining(models::TrainOptions options, int threads, core::Progress& progress,
                                const std::function<void(const models::EpochReport&)>& onEpoch);

class TrainingWorkflow : public QObject {
    Q_OBJECT
  public:
    explicit TrainingWorkflow(JobManager* jobs, QObject* parent = nullptr);
    ~TrainingWorkflow() override;  // cancels its training and waits for it

    // Starts training as a job titled `title` (nullptr when one is under way).
    Job* start(const models::TrainOptions& options, int threads, const QString& title);
    Job* job() const { return job_; }
    bool running() const;

  signals:
    void started(avvp::workspace::Job* job);
    void epochReported(const avvp::models::EpochReport& report);
    void finished(const avvp::models::TrainResult& result);
    void failed(const QString& error);

  private:
    JobManager* jobs_;
    QPointer<Job> job_;
};

}  // namespace avvp::workspace

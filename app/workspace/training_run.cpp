#include "app/workspace/training_run.h"

#include <QMetaObject>
#include <filesystem>

#include "app/workspace/jobs.h"

namespace avvp::workspace {

models::TrainResult runTraining(models::TrainOptions o, int threads, core::Progress& progress,
                                const std::function<void(const models::EpochReport&)>& onEpoch) {
    o.progress = &progress;
    o.onEpoch = onEpoch;
    models::setCpuThreads(threads);
    auto result = models::train(o);
    // Cancelled before any checkpoint was written: nothing to use, nothing to show.
    if (result.cancelled && (result.best.empty() || !std::filesystem::exists(result.best)))
        throw core::Cancelled();
    return result;
}

TrainingWorkflow::TrainingWorkflow(JobManager* jobs, QObject* parent)
    : QObject(parent), jobs_(jobs) {}

TrainingWorkflow::~TrainingWorkflow() {
    if (Job* j = job_.data(); j && j->running()) {
        j->cancel();
        j->wait(60000);
    }
}

bool TrainingWorkflow::running() const {
    const Job* j = job_.data();
    return j && j->running();
}

Job* TrainingWorkflow::start(const models::TrainOptions& options, int threads,
                             const QString& title) {
    if (running()) return nullptr;
    job_ = jobs_->run<models::TrainResult>(
        title,
        [options, threads, this](JobContext& ctx) {
            // Queued to the GUI thread; the destructor waits for this job, so `this` lives.
            return runTraining(options, threads, ctx, [this](const models::EpochReport& r) {
                QMetaObject::invokeMethod(
                    this, [this, r] { emit epochReported(r); }, Qt::QueuedConnection);
            });
        },
        [this](models::TrainResult& r) { emit finished(r); },
        [this](const QString& error) { emit failed(error); });
    emit started(job_);
    return job_;
}

}  // namespace avvp::workspace

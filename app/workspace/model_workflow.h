#pragma once
// The model of the workspace: the loaded checkpoint, and its runs over the project's
// videos as jobs (progress, cancel; the probabilities and research outputs stored as one
// run that becomes the session's shown run).
#include <QObject>
#include <QPointer>
#include <QString>
#include <optional>
#include <vector>

#include "app/workspace/model_runs.h"

namespace avvp::workspace {

class Job;
class JobManager;
class Session;

class ModelWorkflow : public QObject {
    Q_OBJECT
  public:
    ModelWorkflow(Session* session, JobManager* jobs, QObject* parent = nullptr);

    // Loads a checkpoint in a job titled `title`; modelLoaded() or loadFailed() follow.
    Job* load(const QString& checkpoint, const QString& device, const QString& title);
    bool hasModel() const { return model_ != nullptr; }
    SharedModel model() const { return model_; }
    QString checkpoint() const { return checkpoint_; }
    QString description() const { return description_; }

    // Runs the loaded model on these videos, else the split's, else every video, as a job
    // titled `title`; nullptr when no model is loaded, no project is open or a run is under
    // way. On success the run becomes the session's shown run. Given videos none of which
    // has features recorded (browsing videos without features) start no job: nullptr
    // after one quiet noted(reason), not a failed job per video.
    Job* run(std::vector<store::VideoId> videos, std::optional<core::Split> split,
             const QString& runName, const QString& title);
    Job* lastRun() const { return run_; }
    bool running() const;

  signals:
    void modelLoaded(const QString& checkpoint, const QString& description);
    void loadFailed(const QString& error);
    void runStarted(avvp::workspace::Job* job);
    void runFinished(const avvp::workspace::RunSummary& summary);
    void runFailed(const QString& error);
    // Nothing to run: "own_video: no audio features recorded (import a feature folder)".
    void noted(const QString& note);

  private:
    void setModel(const QString& checkpoint, SharedModel model, const QString& description);

    Session* session_;
    JobManager* jobs_;
    SharedModel model_;
    QString checkpoint_, description_;
    QPointer<Job> run_;
};

}  // namespace avvp::workspace

#include "app/workspace/model_workflow.h"

#include <QFileInfo>

#include "app/workspace/jobs.h"
#include "app/workspace/session.h"

namespace avvp::workspace {

ModelWorkflow::ModelWorkflow(Session* session, JobManager* jobs, QObject* parent)
    : QObject(parent), session_(session), jobs_(jobs) {}

bool ModelWorkflow::running() const {
    const Job* j = run_.data();
    return j && j->running();
}

Job* ModelWorkflow::load(const QString& path, const QString& device, const QString& title) {
    using Loaded = std::pair<SharedModel, QString>;
    const std::string dev = device.isEmpty() ? std::string("auto") : device.toStdString();
    return jobs_->run<Loaded>(
        title,
        [path, dev](JobContext& ctx) {
            ctx.step(0.2, "loading");
            auto m = loadModel(path.toStdString(), dev);
            return Loaded{m, QString::fromStdString(describeModel(*m))};
        },
        [this, path](Loaded& loaded) {
            model_ = loaded.first;
            checkpoint_ = path;
            description_ = loaded.second;
            emit modelLoaded(path, description_);
        },
        [this](const QString& error) { emit loadFailed(error); });
}

Job* ModelWorkflow::run(std::vector<store::VideoId> videos, std::optional<core::Split> split,
                        const QString& runName, const QString& title) {
    if (!model_ || !session_->isOpen() || running()) return nullptr;
    RunRequest req;
    req.store = session_->path().toStdString();
    req.annotator = session_->annotator().toStdString();
    req.model = model_;
    req.checkpoint = checkpoint_.toStdString();
    req.videos = std::move(videos);
    req.split = split;
    req.runName = runName.toStdString();
    run_ = jobs_->run<RunSummary>(
        title, [req](JobContext& ctx) { return runModel(req, ctx); },
        [this](RunSummary& r) {
            session_->refresh();
            session_->setRun(r.run);
            emit runFinished(r);
        },
        [this](const QString& error) { emit runFailed(error); });
    emit runStarted(run_);
    return run_;
}

}  // namespace avvp::workspace

#include "app/workspace/model_workflow.h"

#include <QFileInfo>

#include "app/workspace/jobs.h"
#include "app/workspace/session.h"
#include "core/quote.h"

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
        // The workflow may be gone when the job ends (a window rebuilt): QPointer.
        [self = QPointer<ModelWorkflow>(this), path](Loaded& loaded) {
            if (auto* w = self.data()) w->setModel(path, loaded.first, loaded.second);
        },
        [self = QPointer<ModelWorkflow>(this)](const QString& error) {
            if (self) emit self->loadFailed(error);
        });
}

void ModelWorkflow::setModel(const QString& checkpoint, SharedModel model,
                             const QString& description) {
    model_ = std::move(model);
    checkpoint_ = checkpoint;
    description_ = description;
    emit modelLoaded(checkpoint_, description_);
}

Job* ModelWorkflow::run(std::vector<store::VideoId> videos, std::optional<core::Split> split,
                        const QString& runName, const QString& title) {
    if (!model_ || !session_->isOpen() || running()) return nullptr;
    if (!videos.empty()) {
        // The records only (no file is read): the first video with features ends the check.
        QString reason;
        for (const auto id : videos) {
            try {
                videoWindows(*session_->store(), id, model_->config());
                reason.clear();
                break;
            } catch (const std::exception& e) {
                if (reason.isEmpty()) reason = QString::fromStdString(core::oneLine(e.what()));
            }
        }
        if (!reason.isEmpty()) {
            emit noted(tr("The model did not run: %1").arg(reason));
            return nullptr;
        }
    }
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
        [self = QPointer<ModelWorkflow>(this),
         session = QPointer<Session>(session_)](RunSummary& r) {
            if (session) {
                session->refresh();
                session->setRun(r.run);
            }
            if (self) emit self->runFinished(r);
        },
        [self = QPointer<ModelWorkflow>(this)](const QString& error) {
            if (self) emit self->runFailed(error);
        });
    emit runStarted(run_);
    return run_;
}

}  // namespace avvp::workspace

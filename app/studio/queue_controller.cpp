#include "app/studio/queue_controller.h"

#include "app/workspace/jobs.h"
#include "app/workspace/review_queue.h"
#include "app/workspace/session.h"
#include "ui/panels/queue_panel.h"

namespace avvp::app {

using workspace::Job;

QueueController::QueueController(workspace::Session* session, workspace::JobManager* jobs,
                                 ui::QueuePanel* panel, QObject* parent)
    : QObject(parent), session_(session), jobs_(jobs), panel_(panel) {
    connect(panel_, &ui::QueuePanel::rankRequested, this,
            [this](const store::QueueRequest& request, const QString& title) {
                QPointer<ui::QueuePanel> view(panel_);
                Job* job = workspace::startUncertaintyQueue(
                    *jobs_, title, session_->path(), session_->annotator(), request,
                    [view](store::StoreQueue& q) {
                        if (view) view->showResult(q);
                    },
                    [view](const QString& error) {
                        if (view) view->showFailed(error);
                    });
                last_ = job;
                panel_->showStarted();
                connect(job, &Job::progressChanged, panel_, &ui::QueuePanel::showProgress);
                connect(job, &Job::ended, panel_, [view](Job* j) {
                    if (view) view->showEnded(j->state() == Job::State::Cancelled);
                });
            });
}

Job* QueueController::rank() {
    last_ = nullptr;
    panel_->rank();
    return last_;
}

std::optional<store::EventId> QueueController::cellEvent(const store::Store& store,
                                                         store::VideoId video,
                                                         std::optional<store::RunId> shownRun,
                                                         core::Modality modality, int cls,
                                                         int segment) {
    store::EventFilter f;
    f.modality = modality;
    const std::int64_t from = std::int64_t{segment} * 1000, to = from + 1000;
    std::optional<store::EventId> best;
    int bestRank = 3;
    for (const auto& e : store.events(video, f)) {
        if (e.cls != cls || e.offsetMs <= from || e.onsetMs >= to) continue;
        int rank = 3;
        if (e.source == store::Source::Prediction && e.run == shownRun)
            rank = 0;
        else if (e.source == store::Source::Correction)
            rank = 1;
        else if (e.source == store::Source::GroundTruth)
            rank = 2;
        if (rank < bestRank) {
            bestRank = rank;
            best = e.id;
        }
    }
    return best;
}

}  // namespace avvp::app

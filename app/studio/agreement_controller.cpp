#include "app/studio/agreement_controller.h"

#include "app/workspace/jobs.h"
#include "app/workspace/session.h"
#include "core/store/annotator_agreement.h"
#include "core/store/store.h"
#include "ui/panels/agreement_panel.h"

namespace avvp::app {

using workspace::Job;

AgreementController::AgreementController(workspace::Session* session, workspace::JobManager* jobs,
                                         ui::AgreementPanel* panel, QObject* parent)
    : QObject(parent), session_(session), jobs_(jobs), panel_(panel) {
    connect(panel_, &ui::AgreementPanel::computeRequested, this,
            [this](const store::AgreementRequest& request, const QString& title) {
                const auto path = session_->path().toStdString();
                const auto who = session_->annotator().toStdString();
                QPointer<ui::AgreementPanel> view(panel_);
                job_ = jobs_->run<store::StoreAgreement>(
                    title,
                    [path, who, request](workspace::JobContext& ctx) {
                        // A connection of this thread, read only.
                        auto s = store::Store::open(
                            path, {.annotator = who, .create = false, .readOnly = true});
                        return store::annotatorAgreement(*s, request, &ctx);
                    },
                    [view](store::StoreAgreement& r) {
                        if (view) view->showResult(r);
                    },
                    [view](const QString& error) {
                        if (view) view->showFailed(error);
                    });
                last_ = job_;
                panel_->showStarted();
                connect(job_, &Job::progressChanged, panel_, &ui::AgreementPanel::showProgress);
                connect(job_, &Job::ended, panel_, [view](Job* j) {
                    if (view) view->showEnded(j->state() == Job::State::Cancelled);
                });
            });
}

Job* AgreementController::compute() {
    last_ = nullptr;
    panel_->compute();
    return last_;
}

}  // namespace avvp::app

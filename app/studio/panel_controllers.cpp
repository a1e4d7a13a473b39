#include "app/studio/panel_controllers.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>
#include <memory>

#include "app/workspace/evaluation.h"
#include "app/workspace/feature_extraction.h"
#include "app/workspace/jobs.h"
#include "app/workspace/model_workflow.h"
#include "app/workspace/project_io.h"
#include "app/workspace/session.h"
#include "app/workspace/settings.h"
#include "app/workspace/training_run.h"
#include "core/quote.h"
#include "core/store/store.h"
#include "ui/dialogs/export_dialog.h"
#include "ui/panels/evaluation_panel.h"
#include "ui/panels/research_panel.h"
#include "ui/panels/training_panel.h"

namespace avvp::app {

using workspace::Job;

namespace {

// Connects a job's progress and end to a view.
template <class Progress, class Ended>
void follow(Job* job, QObject* context, Progress progress, Ended ended) {
    QObject::connect(job, &Job::progressChanged, context, progress);
    QObject::connect(job, &Job::ended, context,
                     [ended](Job* j) { ended(j->state() == Job::State::Cancelled); });
}

// A model run's progress in the user's language: "12 of 40 videos · about 1 min left".
QString runProgressText(const Job& job) {
    static const QRegularExpression count(QStringLiteral("^(\\d+) of (\\d+) videos$"));
    const QString stage = job.stage();
    const auto m = count.match(stage);
    const QString shown =
        m.hasMatch() ? ModelController::tr("%1 of %2 videos").arg(m.captured(1), m.captured(2))
        : stage == QLatin1String("storing") ? ModelController::tr("storing the run")
                                            : stage;
    const QString eta = job.eta();
    return eta.isEmpty() ? shown : ModelController::tr("%1 · about %2 left").arg(shown, eta);
}

}  // namespace

// ---- models ----------------------------------------------------------------------------

ModelController::ModelController(workspace::Session* session, workspace::JobManager* jobs,
                                 ui::ModelPanel* panel, ui::ResearchPanel* research,
                                 QObject* parent)
    : QObject(parent), session_(session), panel_(panel), research_(research) {
    workflow_ = new workspace::ModelWorkflow(session, jobs, this);
    using W = workspace::ModelWorkflow;
    connect(panel_, &ui::ModelPanel::loadRequested, this,
            [this](const QString& path, const QString& device, const QString& title) {
                last_ = workflow_->load(path, device, title);
            });
    connect(
        workflow_, &W::modelLoaded, this, [this](const QString& path, const QString& description) {
            workspace::settings::setModelCheckpoint(path);
            panel_->showModel(path, QString::fromStdString(workflow_->model()->config().variant),
                              description);
        });
    connect(workflow_, &W::loadFailed, panel_, &ui::ModelPanel::showLoadFailed);
    connect(
        panel_, &ui::ModelPanel::runRequested, this,
        [this](const std::vector<store::VideoId>& videos, const std::optional<core::Split>& split,
               const QString& name, const QString& title) {
            // A run with nothing to run on says so in one quiet line (noted), no job.
            bool noted = false;
            const auto note = connect(workflow_, &W::noted, this, [this, &noted](const QString& n) {
                noted = true;
                panel_->showRunNote(n);
            });
            last_ = workflow_->run(videos, split, name, title);
            disconnect(note);
            if (!last_ && !noted)
                panel_->showRunFailed(
                    tr("no model is loaded, no project is open, or a run "
                       "is under way"));
        });
    connect(workflow_, &W::runStarted, this, [this](Job* job) {
        panel_->showRunStarted();
        follow(
            job, panel_,
            [this, job = QPointer<Job>(job)](const QString&, double f) {
                panel_->showRunProgress(f, job ? runProgressText(*job) : QString());
            },
            [this](bool cancelled) {
                if (cancelled) panel_->showRunCancelled();
            });
    });
    connect(workflow_, &W::runFinished, this, [this](const workspace::RunSummary& r) {
        QStringList skipped;
        for (const auto& s : r.skipped) skipped << QString::fromStdString(s);
        panel_->showRunFinished(QString::fromStdString(r.name), r.videos, skipped);
        showResearch();
    });
    connect(workflow_, &W::runFailed, panel_, &ui::ModelPanel::showRunFailed);
    connect(panel_, &ui::ModelPanel::cancelRequested, this, [this] {
        if (Job* j = workflow_->lastRun()) j->cancel();
    });
    connect(panel_, &ui::ModelPanel::applyThresholdsRequested, this,
            [this](store::RunId run, const core::Thresholds& th) {
                if (!session_->store()) return;
                try {
                    const int n = workspace::applyRunThresholds(*session_->store(), run, th);
                    session_->setThresholds(std::nullopt);  // show the stored events again
                    panel_->showRunNote(tr("Thresholds applied to the run: audio %1, visual %2, "
                                           "global %3 (%n video(s) changed)",
                                           nullptr, n)
                                            .arg(th.audio, 0, 'f', 2)
                                            .arg(th.visual, 0, 'f', 2)
                                            .arg(th.global, 0, 'f', 2));
                } catch (const std::exception& e) {
                    panel_->showRunFailed(QString::fromStdString(e.what()));
                }
            });
    connect(session_, &workspace::Session::runChanged, this, &ModelController::showResearch);
    connect(session_, &workspace::Session::closed, this, &ModelController::showResearch);
    connect(session_, &workspace::Session::changed, this, [this](const store::Change& c) {
        if (c.runs || c.predictions || c.external) showResearch();
    });
    showResearch();
}

Job* ModelController::load(const QString& checkpoint) {
    last_ = nullptr;
    panel_->requestLoad(checkpoint);
    return last_;
}

Job* ModelController::run(ui::ModelPanel::Scope scope, const QString& runName) {
    last_ = nullptr;
    panel_->requestRun(scope, runName);
    return last_;
}

Job* ModelController::runOn(std::vector<store::VideoId> videos, const QString& runName,
                            const QString& what) {
    last_ = nullptr;
    panel_->requestRunOn(std::move(videos), runName, what);
    return last_;
}

void ModelController::setCurrentVideo(std::optional<store::VideoId> video) {
    video_ = video;
    panel_->setCurrentVideo(video);
    showResearch();
}

void ModelController::showResearch() {
    const auto* store = session_->store();
    if (!store || !video_) {
        research_->clear(tr("No current video."));
        return;
    }
    const auto run = session_->currentRun();
    if (!run) {
        research_->clear(
            tr("Load a model and run it (Models panel) to see what it computes for "
               "the current video."));
        return;
    }
    const auto video = store->video(*video_);
    if (!video) return;
    const QString filename = QString::fromStdString(video->filename);
    const QString runName = QString::fromStdString(run->name);
    std::optional<models::Outputs> outputs;
    try {
        outputs = workspace::runOutputs(*store, run->id, *video_);
    } catch (const std::exception& e) {
        research_->clear(QString::fromStdString(avvp::core::oneLine(e.what())));
        return;
    }
    if (!outputs) {
        research_->clear(tr("The run \"%1\" holds no model outputs for %2: run a model on this "
                            "video (Models panel) to see what it computes.")
                             .arg(runName, filename));
        return;
    }
    research_->setOutputs(filename, tr("the run \"%1\"").arg(runName),
                          std::make_shared<const models::Outputs>(std::move(*outputs)));
}

// ---- training --------------------------------------------------------------------------

TrainingController::TrainingController(workspace::JobManager* jobs, ui::TrainingPanel* panel,
                                       QObject* parent)
    : QObject(parent), panel_(panel) {
    workflow_ = new workspace::TrainingWorkflow(jobs, this);
    using W = workspace::TrainingWorkflow;
    connect(panel_, &ui::TrainingPanel::startRequested, this,
            [this](const models::TrainOptions& o, int threads, const QString& title) {
                last_ = workflow_->start(o, threads, title);
                if (!last_) panel_->showFailed(tr("training is already under way"));
            });
    connect(workflow_, &W::started, this, [this](Job* job) {
        panel_->showStarted();
        follow(
            job, panel_,
            [this](const QString& stage, double f) {
                // "epoch 3/60" from the models layer, in the user's language.
                static const QRegularExpression epoch(QStringLiteral("^epoch (\\d+)/(\\d+)"));
                const auto m = epoch.match(stage);
                panel_->showProgress(m.hasMatch() ? QCoreApplication::translate(
                                                        "avvp::ui::TrainingPanel", "epoch %1/%2")
                                                        .arg(m.captured(1), m.captured(2))
                                                  : stage,
                                     f);
            },
            [this](bool cancelled) { panel_->showEnded(cancelled); });
    });
    connect(workflow_, &W::epochReported, panel_, &ui::TrainingPanel::addEpoch);
    connect(workflow_, &W::finished, panel_, &ui::TrainingPanel::showFinished);
    connect(workflow_, &W::failed, panel_, &ui::TrainingPanel::showFailed);
    connect(panel_, &ui::TrainingPanel::cancelRequested, this, [this] {
        if (Job* j = workflow_->job()) j->cancel();
    });
}

Job* TrainingController::start(bool resume) {
    last_ = nullptr;
    panel_->start(resume);
    return last_;
}

// ---- evaluation ------------------------------------------------------------------------

EvaluationController::EvaluationController(workspace::Session* session, workspace::JobManager* jobs,
                                           ui::EvaluationPanel* panel, QObject* parent)
    : QObject(parent), session_(session), jobs_(jobs), panel_(panel) {
    connect(panel_, &ui::EvaluationPanel::evaluateRequested, this,
            [this](const store::LabelSelection& a, const std::optional<store::LabelSelection>& b,
                   const QString& title) {
                const auto path = session_->path().toStdString();
                const auto who = session_->annotator().toStdString();
                const workspace::EvaluationRequest request{a, b, panel_->coveredOnly()};
                QPointer<ui::EvaluationPanel> view(panel_);
                job_ = jobs_->run<workspace::EvaluationResult>(
                    title,
                    [path, who, request](workspace::JobContext& ctx) {
                        return workspace::runEvaluation(path, who, request, ctx);
                    },
                    [view](workspace::EvaluationResult& r) {
                        if (view)
                            view->showScores(
                                r.a.result, r.b ? std::optional(r.b->result) : std::nullopt,
                                r.a.coverage, r.b ? std::optional(r.b->coverage) : std::nullopt);
                        if (view) view->showAveragePrecision(r.apA);
                    },
                    [view](const QString& error) {
                        if (view) view->showFailed(error);
                    });
                last_ = job_;
                panel_->showStarted();
                follow(
                    job_, panel_,
                    [this](const QString& stage, double f) { panel_->showProgress(stage, f); },
                    [this](bool cancelled) { panel_->showEnded(cancelled); });
            });
    connect(panel_, &ui::EvaluationPanel::cancelRequested, this, [this] {
        if (job_) job_->cancel();
    });
    connect(panel_, &ui::EvaluationPanel::saveRequested, this, [this] { save(); });
}

Job* EvaluationController::evaluate() {
    last_ = nullptr;
    panel_->evaluate();
    return last_;
}

bool EvaluationController::save() {
    auto* store = session_->store();
    if (!panel_->resultA() || !panel_->selectionA() || !store) return false;
    try {
        const auto split = panel_->splitKey().toStdString();
        workspace::saveEvaluation(*store, panel_->resultA()->result, *panel_->selectionA(), split);
        if (panel_->resultB() && panel_->selectionB())
            workspace::saveEvaluation(*store, panel_->resultB()->result, *panel_->selectionB(),
                                      split);
        panel_->showSaved(true);
        return true;
    } catch (const std::exception& e) {
        panel_->showSaved(false, QString::fromStdString(avvp::core::oneLine(e.what())));
        return false;
    }
}

// ---- export ----------------------------------------------------------------------------

ExportController::ExportController(workspace::Session* session, workspace::JobManager* jobs,
                                   ui::ExportDialog* dialog)
    : QObject(dialog), session_(session), jobs_(jobs), dialog_(dialog) {
    dialog_->setFormat(static_cast<core::LabelFormat>(
        workspace::settings::exportFormat(static_cast<int>(core::LabelFormat::Eaf))));
    dialog_->setDefaultFolder(workspace::settings::exportFolder());
    connect(
        dialog_, &ui::ExportDialog::exportRequested, this,
        [this](const store::LabelSelection& selection, core::LabelFormat format, const QString& out,
               const QString& title, const core::LabelWriteOptions& options) {
            workspace::settings::setExportFormat(static_cast<int>(format));
            workspace::settings::setExportFolder(QFileInfo(out).path());
            const auto path = session_->path().toStdString();
            const auto who = session_->annotator().toStdString();
            const workspace::ExportRequest request{selection, format, out.toStdString(), options};
            QPointer<ui::ExportDialog> view(dialog_);
            job_ = jobs_->run<workspace::ExportResult>(
                title,
                [path, who, request](workspace::JobContext& ctx) {
                    return workspace::runExport(path, who, request, ctx);
                },
                [view](workspace::ExportResult& r) {
                    if (view) view->showFinished(r.files, r.videos, r.merged, r.rounded);
                },
                [view](const QString& error) {
                    if (view) view->showFailed(error);
                });
            last_ = job_;
            dialog_->showStarted();
            follow(
                job_, dialog_, [this](const QString&, double f) { dialog_->showProgress(f); },
                [this](bool cancelled) { dialog_->showEnded(cancelled); });
        });
    connect(dialog_, &ui::ExportDialog::cancelRequested, this, [this] {
        if (job_) job_->cancel();
    });
}

Job* ExportController::start() {
    last_ = nullptr;
    dialog_->startExport();
    return last_;
}

// ---- feature extraction ----------------------------------------------------------------

FeatureController::FeatureController(workspace::Session* session, workspace::JobManager* jobs,
                                     QObject* parent)
    : QObject(parent), session_(session) {
    workflow_ = new workspace::FeatureExtraction(session, jobs, this);
    using F = workspace::FeatureExtraction;
    connect(workflow_, &F::refused, this, [this](const QString& why) { emit message(why, true); });
    connect(workflow_, &F::failed, this, [this](const QString& error) {
        emit message(tr("Extract Features failed: %1").arg(error), true);
    });
    connect(workflow_, &F::finished, this, [this](const workspace::ExtractionReport& r) {
        emit message(reportText(r), !r.skipped.empty());
    });
}

QString FeatureController::encodersFolder() const {
    return workspace::settings::encodersFolderFor(session_->path());
}

Job* FeatureController::extract(std::vector<store::VideoId> videos, const QString& what) {
    return workflow_->start(std::move(videos), encodersFolder(),
                            tr("Extract features: %1").arg(what));
}

QString FeatureController::reportText(const workspace::ExtractionReport& r) {
    QString text = tr("Features of %n video(s) extracted", nullptr, r.videos) +
                   tr(" (%n window(s), %1 s on %2).", nullptr, r.windows)
                       .arg(r.seconds, 0, 'f', 1)
                       .arg(QString::fromStdString(r.device));
    if (!r.silentAudio.empty())
        text += QLatin1Char(' ') +
                tr("No audio stream (audio features of silence): %1.")
                    .arg(QString::fromStdString(r.silentAudio.front()) +
                         (r.silentAudio.size() > 1 ? tr(" and %n more", nullptr,
                                                        static_cast<int>(r.silentAudio.size() - 1))
                                                   : QString()));
    if (const auto note = workspace::FeatureExtraction::decodeNote(r); !note.isEmpty())
        text += QLatin1Char(' ') + note + QLatin1Char('.');
    if (!r.skipped.empty()) {
        QStringList left;
        for (const auto& s : r.skipped) left << QString::fromStdString(s);
        text += QLatin1Char(' ') +
                tr("Skipped %n video(s): %1", nullptr, static_cast<int>(r.skipped.size()))
                    .arg(left.join(QStringLiteral("; ")));
    }
    return text;
}

}  // namespace avvp::app

#pragma once
// The wiring of the panels that start work: each controller carries a view's requests to
// the workflows of app/workspace (as jobs) and reports progress, results and errors back
// to the view. Each returns the job it started, for the demo and the tests.
#include <QObject>
#include <QPointer>
#include <QString>
#include <optional>
#include <vector>

#include "core/store/records.h"
#include "ui/panels/model_panel.h"

namespace avvp::ui {
class EvaluationPanel;
class ExportDialog;
class ResearchPanel;
class TrainingPanel;
}  // namespace avvp::ui

namespace avvp::workspace {
class FeatureExtraction;
struct ExtractionReport;
class Job;
class JobManager;
class ModelWorkflow;
class Session;
class TrainingWorkflow;
}  // namespace avvp::workspace

namespace avvp::app {

// Models panel and research panels <-> the loaded model and its runs. The research panels
// show what the session's shown run stored for the current video.
class ModelController : public QObject {
    Q_OBJECT
  public:
    ModelController(workspace::Session* session, workspace::JobManager* jobs, ui::ModelPanel* panel,
                    ui::ResearchPanel* research, QObject* parent = nullptr);

    workspace::ModelWorkflow* workflow() const { return workflow_; }
    // As the panel's buttons: the job started, or nullptr when the panel refused (it says
    // why in its status line).
    workspace::Job* load(const QString& checkpoint);
    workspace::Job* run(ui::ModelPanel::Scope scope, const QString& runName = {});
    workspace::Job* runOn(std::vector<store::VideoId> videos, const QString& runName,
                          const QString& what);

  public slots:
    void setCurrentVideo(std::optional<avvp::store::VideoId> video);

  private:
    void showResearch();

    workspace::Session* session_;
    ui::ModelPanel* panel_;
    ui::ResearchPanel* research_;
    workspace::ModelWorkflow* workflow_;
    std::optional<store::VideoId> video_;
    QPointer<workspace::Job> last_;
};

// Training dashboard <-> training runs.
class TrainingController : public QObject {
    Q_OBJECT
  public:
    TrainingController(workspace::JobManager* jobs, ui::TrainingPanel* panel,
                       QObject* parent = nullptr);
    workspace::TrainingWorkflow* workflow() const { return workflow_; }
    // As the Train / Resume buttons: the job, or nullptr when the panel refused.
    workspace::Job* start(bool resume = false);

  private:
    ui::TrainingPanel* panel_;
    workspace::TrainingWorkflow* workflow_;
    QPointer<workspace::Job> last_;
};

// Evaluation panel <-> evaluation jobs and the store's evaluations table.
class EvaluationController : public QObject {
    Q_OBJECT
  public:
    EvaluationController(workspace::Session* session, workspace::JobManager* jobs,
                         ui::EvaluationPanel* panel, QObject* parent = nullptr);
    // As the Evaluate button: the job, or nullptr when nothing can be scored.
    workspace::Job* evaluate();
    // Records the shown scores of A (and B) in the store; false when there are none or the
    // store refused (the panel says why).
    bool save();

  private:
    workspace::Session* session_;
    workspace::JobManager* jobs_;
    ui::EvaluationPanel* panel_;
    QPointer<workspace::Job> job_;
    QPointer<workspace::Job> last_;
};

// Export dialog <-> export jobs; remembers the format and folder for next time.
class ExportController : public QObject {
    Q_OBJECT
  public:
    ExportController(workspace::Session* session, workspace::JobManager* jobs,
                     ui::ExportDialog* dialog);
    // As the Export button: the job, or nullptr when the dialog refused.
    workspace::Job* start();

  private:
    workspace::Session* session_;
    workspace::JobManager* jobs_;
    ui::ExportDialog* dialog_;
    QPointer<workspace::Job> job_;
    QPointer<workspace::Job> last_;
};

// Models ▸ Extract Features <-> the Extract Features job (app/workspace/feature_extraction.h)
// with the encoders folder of the project, else of the Preferences; says what came of it
// through message().
class FeatureController : public QObject {
    Q_OBJECT
  public:
    FeatureController(workspace::Session* session, workspace::JobManager* jobs,
                      QObject* parent = nullptr);
    workspace::FeatureExtraction* workflow() const { return workflow_; }
    // The folder the job uses: the project's own choice, else the Preferences' ("" none).
    QString encodersFolder() const;
    // Extracts these videos (empty: every video with media); `what` names them in the job's
    // title. The job, or nullptr when refused (message() says why).
    workspace::Job* extract(std::vector<store::VideoId> videos, const QString& what);

    // The report as one line for the status bar (counts, then the videos left out).
    static QString reportText(const workspace::ExtractionReport& report);

  signals:
    void message(const QString& text, bool error);

  private:
    workspace::Session* session_;
    workspace::FeatureExtraction* workflow_;
};

}  // namespace avvp::app

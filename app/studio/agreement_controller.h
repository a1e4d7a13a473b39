#pragma once
// Agreement panel <-> agreement jobs (issue 18, item 3): the computation runs off the GUI
// thread as a job (progress in the Jobs panel), on its own read-only connection.
#include <QObject>
#include <QPointer>

namespace avvp::workspace {
class Job;
class JobManager;
class Session;
}  // namespace avvp::workspace

namespace avvp::ui {
class AgreementPanel;
}

namespace avvp::app {

class AgreementController : public QObject {
    Q_OBJECT
  public:
    AgreementController(workspace::Session* session, workspace::JobManager* jobs,
                        ui::AgreementPanel* panel, QObject* parent = nullptr);
    // As the Compute button: the job, or nullptr when the panel refused.
    workspace::Job* compute();

  private:
    workspace::Session* session_;
    workspace::JobManager* jobs_;
    ui::AgreementPanel* panel_;
    QPointer<workspace::Job> job_;
    QPointer<workspace::Job> last_;
};

}  // namespace avvp::app

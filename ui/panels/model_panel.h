#pragma once
// The Models panel: pick a checkpoint (its config shown: variant, sizes, inputs,
// provenance), run it on the current video, the browser's selection, a split or every
// video as a job (progress, cancel, errors), its probabilities stored as a run that the
// timeline then shows; threshold sliders (audio / visual / global) redraw the prediction
// rows at once. With a model loaded, every current video also gets a forward pass whose
// named outputs feed the research panels (outputsReady).
#include <QPointer>
#include <QString>
#include <QWidget>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/store/records.h"
#include "models/model_api.h"
#include "ui/models/model_runner.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSlider;

namespace avvp::ui {

class Job;
class JobManager;
class Session;

class ModelPanel : public QWidget {
    Q_OBJECT
  public:
    enum class Scope { CurrentVideo, Selection, Train, Val, Test, All };

    ModelPanel(Session* session, JobManager* jobs, QWidget* parent = nullptr);

    // The browser's selected videos (for Scope::Selection).
    void setSelectionProvider(std::function<std::vector<store::VideoId>()> provider) {
        selection_ = std::move(provider);
    }

    // Loads a checkpoint in a job; modelLoaded() or loadFailed() follow. Returns the job.
    Job* loadCheckpoint(const QString& path);
    bool hasModel() const { return model_ != nullptr; }
    std::shared_ptr<const models::Model> model() const { return model_; }
    QString checkpoint() const { return checkpoint_; }
    QString configText() const;

    // Runs the loaded model on `scope` as a job (nullptr and a message when it cannot).
    Job* runModel(Scope scope, const QString& runName = {});
    // The same on given videos (`what` names them in the job's title).
    Job* runModelOn(std::vector<store::VideoId> videos, const QString& runName,
                    const QString& what);
    Job* lastRun() const { return runJob_; }
    // The forward pass of the current video (nullptr when none is under way).
    Job* forwardJob() const { return forwardJob_; }
    QString status() const;

    QComboBox* scopeCombo() const { return scope_; }
    QSlider* thresholdSlider(int which) const { return sliders_[which]; }  // 0 A, 1 V, 2 global
    QPushButton* runButton() const { return run_; }

  public slots:
    void setCurrentVideo(std::optional<avvp::store::VideoId> video);
    void resetThresholds();

  signals:
    void modelLoaded(const QString& checkpoint);
    void loadFailed(const QString& error);
    void runFinished(avvp::store::RunId run, int videos);
    void runFailed(const QString& error);
    // A forward pass of the current video: its named outputs.
    void outputsReady(const QString& video, const QString& model,
                      std::shared_ptr<const models::Outputs> outputs);
    // The current video cannot be forwarded (no model, no features, ...).
    void outputsUnavailable(const QString& reason);

  private:
    void browse();
    void startRun();
    bool canRun();
    Job* startRunJob(RunRequest request, const QString& what);
    void forwardCurrent();
    void onSlider();
    void syncSliders();
    void setStatus(const QString& text, bool error = false);

    Session* session_;
    JobManager* jobs_;
    std::function<std::vector<store::VideoId>()> selection_;
    std::shared_ptr<const models::Model> model_;
    QString checkpoint_;
    std::optional<store::VideoId> video_;
    QPointer<Job> runJob_, forwardJob_;
    int forwardSerial_ = 0;

    QLineEdit* path_;
    QComboBox* device_;
    QPlainTextEdit* config_;
    QComboBox* scope_;
    QLineEdit* runName_;
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* status_;
    QSlider* sliders_[3];
    QLabel* values_[3];
    bool syncing_ = false;
};

}  // namespace avvp::ui

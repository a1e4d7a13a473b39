#pragma once
// The Models panel: pick a checkpoint (its config shown: variant, sizes, inputs,
// provenance) and ask for it to be loaded; ask for a run on the current video, the
// browser's selection, a split or every video (the application runs it as a job and
// reports back: progress, the result, errors); threshold sliders (audio / visual / global)
// redraw the prediction rows at once through the Document.
#include <QString>
#include <QWidget>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/llp_dataset.h"
#include "core/prediction.h"
#include "core/store/records.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSlider;

namespace avvp::ui {

class Document;

class ModelPanel : public QWidget {
    Q_OBJECT
  public:
    enum class Scope { CurrentVideo, Selection, Train, Val, Test, All };

    explicit ModelPanel(Document* document, QWidget* parent = nullptr);

    // The browser's selected videos (for Scope::Selection).
    void setSelectionProvider(std::function<std::vector<store::VideoId>()> provider) {
        selection_ = std::move(provider);
    }

    // The checkpoint field (the application fills in the last one used).
    void setCheckpointPath(const QString& path);
    bool hasModel() const { return hasModel_; }
    QString configText() const;
    QString status() const;
    bool running() const { return running_; }

    // Asks for the checkpoint to be loaded (loadRequested); false and a message when there
    // is none.
    bool requestLoad(const QString& path);
    // Asks for a run on `scope` (runRequested); false and a message when it cannot be: no
    // model, no project, a run under way, no current video or no selection.
    bool requestRun(Scope scope, const QString& runName = {});
    // The same on given videos (`what` names them in the job's title).
    bool requestRunOn(std::vector<store::VideoId> videos, const QString& runName,
                      const QString& what);

    QComboBox* scopeCombo() const { return scope_; }
    QSlider* thresholdSlider(int which) const { return sliders_[which]; }  // 0 A, 1 V, 2 global
    QPushButton* runButton() const { return run_; }
    // "Apply to run": asks for the run's prediction events to be re-thresholded with the
    // sliders' thresholds (applyThresholdsRequested); enabled while a run is shown.
    QPushButton* applyButton() const { return apply_; }

  public slots:
    void setCurrentVideo(std::optional<avvp::store::VideoId> video);
    void resetThresholds();
    // What the application reports.
    void showModel(const QString& checkpoint, const QString& variant, const QString& description);
    void showLoadFailed(const QString& error);
    void showRunStarted();
    // `text`: the count and the time left ("12 of 40 videos · about 1 min left").
    void showRunProgress(double fraction, const QString& text = {});
    // A note instead of a run (a video without features): one quiet line.
    void showRunNote(const QString& note);
    void showRunFinished(const QString& runName, int videos, const QStringList& skipped);
    void showRunFailed(const QString& error);
    void showRunCancelled();

  signals:
    void loadRequested(const QString& checkpoint, const QString& device, const QString& title);
    // Videos given, else the split's, else every video.
    void runRequested(const std::vector<avvp::store::VideoId>& videos,
                      const std::optional<avvp::core::Split>& split, const QString& runName,
                      const QString& title);
    void cancelRequested();
    void applyThresholdsRequested(avvp::store::RunId run, const avvp::core::Thresholds& thresholds);

  private:
    void browse();
    bool canRun();
    bool emitRun(std::vector<store::VideoId> videos, std::optional<core::Split> split,
                 const QString& runName, const QString& what);
    // A run ended: Run again possible, the bar at `progress` (of 1000).
    void endRun(int progress);
    void onSlider();
    void syncSliders();
    void setStatus(const QString& text, bool error = false);

    Document* doc_;
    std::function<std::vector<store::VideoId>()> selection_;
    std::optional<store::VideoId> video_;
    bool hasModel_ = false;
    bool running_ = false;
    QString model_;  // the variant, for job titles

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
    QPushButton* apply_ = nullptr;
    bool syncing_ = false;
};

}  // namespace avvp::ui

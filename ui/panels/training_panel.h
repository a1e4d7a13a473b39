#pragma once
// The training dashboard: variant and its switches, sizes, data (a feature folder and an
// LLP label folder), epochs, batch and learning rate; asks for training with those
// options (the application runs models::train as a job, cancellable between batches and
// resumable from the output folder's last.ckpt) and draws, per epoch reported back
// (EpochReport), the loss terms (train and validation), the learning rate, μ when the
// model has one, and the validation scores; marks the best checkpoint. "Use the best
// checkpoint" hands out/best.ckpt on (useCheckpoint).
#include <QString>
#include <QWidget>
#include <map>
#include <vector>

#include "models/model_api.h"

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QCPAxis;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace avvp::ui {

class TrainingPanel : public QWidget {
    Q_OBJECT
  public:
    explicit TrainingPanel(QWidget* parent = nullptr);
    QSize sizeHint() const override;

    // Chooses a variant (one of models::knownVariants()) and sets some of its switches;
    // false when the variant or a switch is unknown.
    bool setVariant(const QString& variant, const std::map<std::string, bool>& switches = {});
    // Presets the data and output folders (e.g. the demo's synthetic dataset).
    void setData(const QString& features, const QString& labels, const QString& out);
    // Sizes and epochs (the dashboard's fields).
    void setSizes(int hidden, int layers, int heads, int ff);
    void setEpochs(int epochs, int batch, double lr, int warmup);

    // Asks for training with the fields (startRequested); false and a message when they
    // are incomplete or training is under way.
    bool start(bool resume = false);
    bool running() const { return running_; }
    const std::vector<models::EpochReport>& history() const { return history_; }
    QString bestCheckpoint() const { return best_; }
    QString status() const;
    QCustomPlot* lossPlot() const { return loss_; }
    QCustomPlot* scorePlot() const { return scores_; }
    QPushButton* useBestButton() const { return useBest_; }

  public slots:
    // What the application reports of the training it runs.
    void showStarted();
    void showProgress(const QString& stage, double fraction);
    void addEpoch(const avvp::models::EpochReport& report);
    void showFinished(const avvp::models::TrainResult& result);
    void showFailed(const QString& error);
    void showEnded(bool cancelled);

  signals:
    void startRequested(const avvp::models::TrainOptions& options, int threads,
                        const QString& title);
    void cancelRequested();
    void epochReported(int epoch);
    // Training ended with a best checkpoint (also after a cancel, when one was written).
    void trained(const QString& bestCheckpoint);
    void useCheckpoint(const QString& checkpoint);

  private:
    void fillSwitches();
    void redraw();
    void setStatus(const QString& text, bool error = false);

    bool running_ = false;
    std::vector<models::EpochReport> history_;
    QString best_;

    QComboBox* variant_;
    QGridLayout* switchGrid_;
    std::map<std::string, QCheckBox*> switches_;
    QLineEdit *features_, *labels_, *out_;
    QSpinBox *hidden_, *layers_, *heads_, *ff_, *epochs_, *batch_, *warmup_, *threads_;
    QDoubleSpinBox* lr_;
    QPushButton *start_, *resume_, *cancel_, *useBest_;
    QProgressBar* progress_;
    QLabel* status_;
    QCustomPlot* loss_;
    QCustomPlot* scores_;
    QCPAxis* muAxis_;  // μ's own axis (right of lr's): it follows μ's values
};

}  // namespace avvp::ui

#pragma once
// The evaluation panel: asks for a prediction run or a correction set (A, and optionally
// B side by side) to be scored against the store's ground truth on a split with the AVVP
// scorer (the application runs the same code as `avvp eval --store` as a job, with
// progress and cancel, and reports back). Shows the ten scores, a per-class table with a
// bar chart, and a per-video list whose rows open the video in the browser (showing set A's
// run on the timeline when A is a prediction run). Every score names its protocol. A line
// says how many videos of the split set A covers, as a warning when not all of them, and
// "Only the videos it covers" scores each set over its covered videos alone. A set combo's
// context menu renames the prediction run it shows ("Rename Run…", as on the timeline).
#include <QWidget>
#include <memory>
#include <optional>

#include "core/average_precision.h"
#include "core/store/coverage.h"
#include "core/store/label_exchange.h"
#include "ui/models/eval_models.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTabWidget;
class QCustomPlot;
class QCPTextElement;
class QCPBarsGroup;

namespace avvp::ui {

class Document;

class EvaluationPanel : public QWidget {
    Q_OBJECT
  public:
    explicit EvaluationPanel(Document* document, QWidget* parent = nullptr);

    // The sets offered: "pred:<run id>", "corr", "corr:<annotator>".
    QComboBox* setACombo() const { return setA_; }
    QComboBox* setBCombo() const { return setB_; }
    QComboBox* splitCombo() const { return split_; }
    QPushButton* evaluateButton() const { return evaluate_; }
    // "Only the videos it covers": the next evaluation scores over the covered videos.
    QCheckBox* coveredOnlyBox() const { return coveredOnly_; }
    bool coveredOnly() const;
    // "Set A covers 4 of 1200 videos of the test split ..." after an evaluation; a warning
    // (coverageWarning()) when A leaves videos out and was scored over all of them.
    QLabel* coverageLabel() const { return coverage_; }
    bool coverageWarning() const { return coverageWarning_; }
    QTableView* summaryTable() const { return summary_; }
    QTableView* classTable() const { return classes_; }
    QTableView* videoTable() const { return videos_; }
    QCustomPlot* chart() const { return chart_; }
    // "Precision-recall": set A's pooled segment-level precision-recall curve per modality
    // (audio, visual, audio-visual), titled with the protocol, mAP in the legend.
    QCustomPlot* prChart() const { return prChart_; }
    EvalSummaryModel* summaryModel() const { return summaryModel_; }
    const std::optional<ScoredSet>& resultA() const { return a_; }
    const std::optional<ScoredSet>& resultB() const { return b_; }
    QString protocolName() const;  // of set A's scores (LLP's when none)
    QString protocolText() const;

    // Asks for the evaluation (as the button does): evaluateRequested; false when nothing
    // can be scored or one is under way.
    bool evaluate();
    bool running() const { return running_; }
    // Writes the per-class chart (PNG / SVG / PDF by extension).
    bool exportChart(const QString& path, QString* error);
    // The selections of the shown (or requested) sets and the split's key ("test", "all").
    const std::optional<store::LabelSelection>& selectionA() const { return selA_; }
    const std::optional<store::LabelSelection>& selectionB() const { return selB_; }
    QString splitKey() const { return splitKey_; }

  public slots:
    // What the application reports of the evaluation it runs.
    void showStarted();
    void showProgress(const QString& stage, double fraction);
    void showScores(const avvp::core::EvalResult& a, const std::optional<avvp::core::EvalResult>& b,
                    const std::optional<avvp::store::Coverage>& coverageA = {},
                    const std::optional<avvp::store::Coverage>& coverageB = {});
    void showFailed(const QString& error);
    void showEnded(bool cancelled);
    void showSaved(bool ok, const QString& error = {});
    // Set A's threshold-free scores (nullopt: A has no probabilities).
    void showAveragePrecision(const std::optional<avvp::core::ApReport>& ap);

  signals:
    void evaluateRequested(const avvp::store::LabelSelection& a,
                           const std::optional<avvp::store::LabelSelection>& b,
                           const QString& title);
    void cancelRequested();
    // Save to store: records the scores of A (and B) in the store's evaluations table.
    void saveRequested();
    void videoActivated(const QString& filename);
    // A set combo's context menu renamed a prediction run (ui/widgets/run_rename.h); the
    // application renames it as the timeline's asks.
    void renameRunRequested(qint64 run, const QString& name);
    // Per-video scores of A after an evaluation (percent, by filename).
    void scoresReady(const QHash<QString, double>& scores, const QString& label);

  private:
    void fillSets();
    std::optional<store::LabelSelection> selection(const QComboBox* combo) const;
    void showResults();
    void showCoverage();
    void updateChart();

    Document* doc_;
    QComboBox* setA_;
    QComboBox* setB_;
    QComboBox* split_;
    QComboBox* level_;
    QComboBox* lane_;
    QComboBox* metric_;
    QPushButton* evaluate_;
    QCheckBox* coveredOnly_;
    QLabel* coverage_;
    bool coverageWarning_ = false;
    std::optional<store::Coverage> coverageA_, coverageB_;
    QPushButton* cancel_;
    QPushButton* save_;
    QPushButton* exportChart_;
    QLabel* status_;
    QLabel* protocol_;
    QTabWidget* tabs_;
    QTableView* summary_;
    QTableView* classes_;
    QTableView* videos_;
    QCustomPlot* chart_;
    QCustomPlot* prChart_;
    QCPTextElement* prTitle_;
    QCPTextElement* chartTitle_;
    QCPBarsGroup* barsGroup_ = nullptr;
    EvalSummaryModel* summaryModel_;
    EvalClassModel* classModel_;
    EvalVideoModel* videoModel_;
    QSortFilterProxyModel* videoProxy_;
    std::optional<ScoredSet> a_, b_;
    std::optional<store::LabelSelection> selA_, selB_;
    QString splitText_;
    QString splitKey_;
    QString setsFor_;  // the store the set lists were made for
    bool running_ = false;
    QString pendingA_, pendingB_;  // the names of the sets asked for
    std::optional<store::LabelSelection> pendingSelA_, pendingSelB_;
};

}  // namespace avvp::ui

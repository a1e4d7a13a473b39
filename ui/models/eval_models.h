#pragma once
// Item models of the evaluation panel over one or two scored sets (A and B): the ten
// dataset scores side by side with their difference, per-class F-scores (pooled over the
// videos) and per-video scores. Scores are percentages, as `avvp eval` prints them.
#include <QAbstractTableModel>
#include <QString>
#include <array>
#include <optional>
#include <vector>

#include "core/evaluation.h"

namespace avvp::ui {

struct ScoredSet {
    QString name;  // "Predictions: link-demo", "Corrections (all)"
    core::EvalResult result;
};

// Index 0..9: segment A, V, AV, Type@AV, Event@AV, then event level likewise.
double datasetScore(const core::EvalResult& r, int metric);
QString metricName(int metric);  // "Segment · Audio", ...

class EvalSummaryModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { ColMetric, ColA, ColB, ColDelta, ColCount };
    explicit EvalSummaryModel(QObject* parent = nullptr);
    void setSets(const ScoredSet* a, const ScoredSet* b);  // borrowed; nullptr: absent

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

  private:
    const ScoredSet* a_ = nullptr;
    const ScoredSet* b_ = nullptr;
};

class EvalClassModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    // Columns: class, then A audio / visual / audio-visual F, then B's.
    explicit EvalClassModel(QObject* parent = nullptr);
    void setSets(const ScoredSet* a, const ScoredSet* b);
    void setEventLevel(bool on);
    bool eventLevel() const { return eventLevel_; }
    // F in percent of a class (-1 when the class never occurs nor is predicted).
    static double classScore(const core::EvalResult& r, int cls, int lane, bool eventLevel);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

  private:
    const ScoredSet* a_ = nullptr;
    const ScoredSet* b_ = nullptr;
    bool eventLevel_ = false;
};

class EvalVideoModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { ColVideo, ColA, ColB, ColDelta, ColCount };
    static constexpr int SortRole = Qt::UserRole + 1;
    explicit EvalVideoModel(QObject* parent = nullptr);
    void setSets(const ScoredSet* a, const ScoredSet* b);
    void setMetric(int metric);  // 0..9
    int metric() const { return metric_; }
    static double videoScore(const core::EvalResult& r, std::size_t video, int metric);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

  private:
    const ScoredSet* a_ = nullptr;
    const ScoredSet* b_ = nullptr;
    std::vector<int> bIndex_;  // row of A's video in B, or -1
    int metric_ = 3;           // segment Type@AV
};

}  // namespace avvp::ui

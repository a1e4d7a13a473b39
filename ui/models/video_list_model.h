#pragma once
// The video browser's rows: the store's videos (Store::videos with a VideoFilter: split,
// class, modality, ground truth, predictions, non-aligned) with their counts, media and,
// after an evaluation, a per-video score. The proxy adds what changes per keystroke
// (text, media only, score at most) and sorting, so typing never queries the store.
#include <QAbstractTableModel>
#include <QHash>
#include <QSortFilterProxyModel>
#include <optional>
#include <vector>

#include "core/run_comparison.h"
#include "core/store/records.h"

namespace avvp::store {
class Store;
}

namespace avvp::ui {

class VideoListModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        ColVideo,
        ColSplit,
        ColReview,  // review status (core/store/review.h)
        ColWeak,
        ColGroundTruth,
        ColPredictions,
        ColCorrections,
        ColNonAligned,
        ColMedia,
        ColScore,
        // Two runs side by side (issue 20, item 5): segment x class cells only run A gets
        // right, only run B, and neither (empty while no comparison is on).
        ColAOnly,
        ColBOnly,
        ColBothWrong,
        ColCount
    };
    enum Role {
        VideoIdRole = Qt::UserRole + 1,
        FilenameRole,
        SortRole,
        HasMediaRole,
        ScoreRole,  // double in [0, 100] or invalid
        SyntheticRole,
        ReviewStatusRole,  // int: store::ReviewStatus
    };

    explicit VideoListModel(QObject* parent = nullptr);

    // Re-queries the store (nullptr: empty). Keeps the rows in place when the same videos
    // come back (only their values change).
    void reload(const store::Store* store, const store::VideoFilter& filter);
    const store::VideoFilter& filter() const { return filter_; }

    // Per-video scores in percent (by filename) and what they are, e.g. "Type@AV seg.".
    void setScores(QHash<QString, double> scores, const QString& label);
    bool hasScores() const { return !scores_.isEmpty(); }
    // Per-video outcome counts of two runs against the ground truth (by filename) and the
    // runs' names; empty: no comparison.
    void setComparison(QHash<QString, core::OutcomeCounts> counts, const QString& runA = {},
                       const QString& runB = {});
    bool hasComparison() const { return !comparison_.isEmpty(); }

    const store::VideoSummary* summary(int row) const;
    int rowOf(const QString& filename) const;
    int rowOf(store::VideoId id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString classList(core::ClassSet classes);
    // "To do", "In progress", "Needs review", "Done".
    static QString reviewStatusLabel(int status);

  private:
    struct Row {
        store::VideoSummary s;
        QString filename;
        bool synthetic = false;
        int review = 0;  // store::ReviewStatus
        QString reviewer;
        std::int64_t reviewedAt = 0;
    };
    std::vector<Row> rows_;
    store::VideoFilter filter_;
    QHash<QString, double> scores_;
    QString scoreLabel_;
    QHash<QString, core::OutcomeCounts> comparison_;
    QString compareA_, compareB_;
};

class VideoFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    explicit VideoFilterProxy(QObject* parent = nullptr);
    // Case-insensitive substring of the filename or the weak labels.
    void setText(const QString& text);
    void setMediaOnly(bool on);
    // Videos whose score is at most this (percent); nullopt: no limit. Videos without a
    // score are hidden while the limit is set.
    void setMaxScore(std::optional<double> max);
    // Only videos of this review status (store::ReviewStatus); nullopt: any.
    void setReviewStatus(std::optional<int> status);

  protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

  private:
    QString text_;
    bool mediaOnly_ = false;
    std::optional<double> maxScore_;
    std::optional<int> review_;
};

}  // namespace avvp::ui

#include "ui/models/video_list_model.h"

#include <QColor>
#include <QDateTime>
#include <QFileInfo>
#include <unordered_map>

#include "core/store/review.h"
#include "core/store/store.h"
#include "ui/labels.h"
#include "ui/synthetic.h"

namespace avvp::ui {

VideoListModel::VideoListModel(QObject* parent) : QAbstractTableModel(parent) {}

QString VideoListModel::classList(core::ClassSet classes) {
    QStringList names;
    for (int c = 0; c < core::kNumClasses; ++c)
        if (core::hasClass(classes, c))
            names << QString::fromLatin1(core::kClassNames[static_cast<std::size_t>(c)].data());
    return names.join(QStringLiteral(", "));
}

QString VideoListModel::reviewStatusLabel(int status) {
    switch (status) {
        case 1:
            return tr("In progress");
        case 2:
            return tr("Needs review");
        case 3:
            return tr("Done");
        default:
            return tr("To do");
    }
}

void VideoListModel::reload(const store::Store* store, const store::VideoFilter& filter) {
    filter_ = filter;
    std::vector<Row> rows;
    if (store) {
        SyntheticMediaCheck synthetic;
        // Review statuses of every video that has one (one query; ~10 ms for all of LLP).
        std::unordered_map<store::VideoId, store::VideoReview> review;
        for (auto& r : store::videoStatuses(*store))
            if (r.at > 0) review.emplace(r.video, std::move(r));
        auto all = store->videos(filter);
        rows.reserve(all.size());
        for (auto& s : all) {
            Row r;
            r.filename = QString::fromStdString(s.video.filename);
            r.synthetic = isSyntheticVideoName(r.filename) ||
                          synthetic(QString::fromStdString(s.video.mediaPath));
            if (const auto it = review.find(s.video.id); it != review.end()) {
                r.review = static_cast<int>(it->second.status);
                r.reviewer = QString::fromStdString(it->second.annotator);
                r.reviewedAt = it->second.at;
            }
            r.s = std::move(s);
            rows.push_back(std::move(r));
        }
    }
    const bool same =
        rows.size() == rows_.size() &&
        std::equal(rows.begin(), rows.end(), rows_.begin(),
                   [](const Row& a, const Row& b) { return a.s.video.id == b.s.video.id; });
    if (same) {
        rows_ = std::move(rows);
        if (!rows_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColCount - 1));
        return;
    }
    beginResetModel();
    rows_ = std::move(rows);
    endResetModel();
}

void VideoListModel::setScores(QHash<QString, double> scores, const QString& label) {
    scores_ = std::move(scores);
    scoreLabel_ = label;
    emit headerDataChanged(Qt::Horizontal, ColScore, ColScore);
    if (!rows_.empty()) emit dataChanged(index(0, ColScore), index(rowCount() - 1, ColScore));
}

void VideoListModel::setComparison(QHash<QString, core::OutcomeCounts> counts, const QString& runA,
                                   const QString& runB) {
    comparison_ = std::move(counts);
    compareA_ = runA;
    compareB_ = runB;
    emit headerDataChanged(Qt::Horizontal, ColAOnly, ColBothWrong);
    if (!rows_.empty()) emit dataChanged(index(0, ColAOnly), index(rowCount() - 1, ColBothWrong));
}

const store::VideoSummary* VideoListModel::summary(int row) const {
    return row >= 0 && row < rowCount() ? &rows_[static_cast<std::size_t>(row)].s : nullptr;
}

int VideoListModel::rowOf(const QString& filename) const {
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].filename == filename) return static_cast<int>(i);
    return -1;
}

int VideoListModel::rowOf(store::VideoId id) const {
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].s.video.id == id) return static_cast<int>(i);
    return -1;
}

int VideoListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int VideoListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColCount;
}

QVariant VideoListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const Row& r = rows_[static_cast<std::size_t>(index.row())];
    const auto& v = r.s.video;
    const auto score = scores_.find(r.filename);
    switch (role) {
        case VideoIdRole:
            return QVariant::fromValue<qint64>(v.id);
        case FilenameRole:
            return r.filename;
        case HasMediaRole:
            return !v.mediaPath.empty();
        case SyntheticRole:
            return r.synthetic;
        case ScoreRole:
            return score == scores_.end() ? QVariant() : QVariant(*score);
        case ReviewStatusRole:
            return r.review;
        default:
            break;
    }
    if (index.column() >= ColAOnly && index.column() <= ColBothWrong &&
        (role == SortRole || role == Qt::DisplayRole)) {
        const auto c = comparison_.find(r.filename);
        if (c == comparison_.end()) return role == SortRole ? QVariant(-1) : QVariant(QString());
        const long n = index.column() == ColAOnly   ? c->aOnly
                       : index.column() == ColBOnly ? c->bOnly
                                                    : c->bothWrong;
        return role == SortRole ? QVariant(static_cast<qlonglong>(n))
                                : QVariant(QString::number(n));
    }
    const int gt = r.s.gtEvents[0] + r.s.gtEvents[1];
    if (role == SortRole) {
        switch (index.column()) {
            case ColVideo:
                return r.filename;
            case ColSplit:
                return v.split ? static_cast<int>(*v.split) : 3;
            case ColWeak:
                return classList(v.weak);
            case ColGroundTruth:
                return gt;
            case ColPredictions:
                return r.s.predictionEvents;
            case ColCorrections:
                return r.s.correctionEvents;
            case ColNonAligned:
                return r.s.nonAligned ? 1 : 0;
            case ColMedia:
                return v.mediaPath.empty() ? 0 : (r.synthetic ? 1 : 2);
            case ColScore:
                return score == scores_.end() ? -1.0 : *score;
            case ColReview:
                return r.review;
            default:
                return {};
        }
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
            case ColVideo:
                return r.filename;
            case ColSplit:
                return splitLabel(v.split);
            case ColWeak:
                return classList(v.weak);
            case ColGroundTruth:
                if (!v.groundTruth[0] && !v.groundTruth[1]) return QStringLiteral("–");
                return tr("A %1 · V %2").arg(r.s.gtEvents[0]).arg(r.s.gtEvents[1]);
            case ColPredictions:
                return r.s.predictionEvents > 0
                           ? QString::number(r.s.predictionEvents)
                           : (r.s.hasProbabilities ? QStringLiteral("0") : QString());
            case ColCorrections:
                return r.s.correctionEvents > 0 ? QString::number(r.s.correctionEvents) : QString();
            case ColNonAligned:
                return r.s.nonAligned ? tr("non-aligned") : QString();
            case ColMedia:
                if (v.mediaPath.empty()) return QString();
                return r.synthetic ? tr("synthetic") : tr("video");
            case ColScore:
                return score == scores_.end() ? QString() : QString::number(*score, 'f', 1);
            case ColReview:
                return reviewStatusLabel(r.review);
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == ColMedia && !v.mediaPath.empty())
            return r.synthetic ? tr("%1\nSYNTHETIC: rendered from the labels, not the real video")
                                     .arg(QString::fromStdString(v.mediaPath))
                               : QString::fromStdString(v.mediaPath);
        if (index.column() == ColNonAligned && r.s.nonAligned)
            return tr(
                "Audio and visual labels disagree: a class is heard where it is not seen, or "
                "seen where it is not heard");
        if (index.column() == ColReview && r.reviewedAt > 0)
            return tr("Set by %1 on %2")
                .arg(r.reviewer.isEmpty() ? tr("(unknown)") : r.reviewer,
                     QDateTime::fromMSecsSinceEpoch(r.reviewedAt)
                         .toString(QStringLiteral("yyyy-MM-dd HH:mm")));
        if (index.column() == ColVideo && isSyntheticVideoName(r.filename))
            return tr("SYNTHETIC video (avvp synth)");
        return {};
    }
    if (role == Qt::ForegroundRole && index.column() == ColMedia && r.synthetic)
        return QColor(0xb0, 0x5a, 0x00);
    if (role == Qt::ForegroundRole && index.column() == ColReview) {
        if (r.review == 1) return QColor(0x1f, 0x61, 0xa8);
        if (r.review == 2) return QColor(0xc0, 0x39, 0x2b);
        if (r.review == 3) return QColor(0x1e, 0x84, 0x49);
    }
    if (role == Qt::TextAlignmentRole &&
        (index.column() == ColPredictions || index.column() == ColCorrections ||
         index.column() == ColScore || index.column() >= ColAOnly))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant VideoListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
            case ColVideo:
                return tr("Video");
            case ColSplit:
                return tr("Split");
            case ColWeak:
                return tr("Weak labels");
            case ColGroundTruth:
                return tr("Ground truth");
            case ColPredictions:
                return tr("Pred.");
            case ColCorrections:
                return tr("Corr.");
            case ColNonAligned:
                return tr("Alignment");
            case ColMedia:
                return tr("Media");
            case ColScore:
                return scoreLabel_.isEmpty() ? tr("Score") : scoreLabel_;
            case ColReview:
                return tr("Review");
            case ColAOnly:
                return tr("A only");
            case ColBOnly:
                return tr("B only");
            case ColBothWrong:
                return tr("Both wrong");
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
            case ColGroundTruth:
                return tr("Dense ground-truth events: audio · visual (– = not densely annotated)");
            case ColPredictions:
                return tr("Predicted events of the runs in the store");
            case ColCorrections:
                return tr("Corrected events (every annotator)");
            case ColScore:
                return tr("Per-video score of the last evaluation (percent, AVVP protocol)");
            case ColReview:
                return tr("Review status: to do, in progress, needs review, done");
            case ColAOnly:
                return tr("Segment × class cells (audio + visual) only run A (%1) gets right "
                          "against the ground truth")
                    .arg(compareA_);
            case ColBOnly:
                return tr("Segment × class cells (audio + visual) only run B (%1) gets right "
                          "against the ground truth")
                    .arg(compareB_);
            case ColBothWrong:
                return tr("Segment × class cells (audio + visual) both runs (A: %1, B: %2) get "
                          "wrong")
                    .arg(compareA_, compareB_);
            default:
                return {};
        }
    }
    return {};
}

VideoFilterProxy::VideoFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(VideoListModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void VideoFilterProxy::setText(const QString& text) {
    text_ = text.trimmed();
    invalidateRowsFilter();
}

void VideoFilterProxy::setMediaOnly(bool on) {
    mediaOnly_ = on;
    invalidateRowsFilter();
}

void VideoFilterProxy::setMaxScore(std::optional<double> max) {
    maxScore_ = max;
    invalidateRowsFilter();
}

void VideoFilterProxy::setReviewStatus(std::optional<int> status) {
    review_ = status;
    invalidateRowsFilter();
}

bool VideoFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const auto idx = sourceModel()->index(sourceRow, VideoListModel::ColVideo, sourceParent);
    if (mediaOnly_ && !idx.data(VideoListModel::HasMediaRole).toBool()) return false;
    if (review_ && idx.data(VideoListModel::ReviewStatusRole).toInt() != *review_) return false;
    if (maxScore_) {
        const QVariant s = idx.data(VideoListModel::ScoreRole);
        if (!s.isValid() || s.toDouble() > *maxScore_ + 1e-9) return false;
    }
    if (text_.isEmpty()) return true;
    if (idx.data(VideoListModel::FilenameRole).toString().contains(text_, Qt::CaseInsensitive))
        return true;
    return sourceModel()
        ->index(sourceRow, VideoListModel::ColWeak, sourceParent)
        .data(Qt::DisplayRole)
        .toString()
        .contains(text_, Qt::CaseInsensitive);
}

}  // namespace avvp::ui

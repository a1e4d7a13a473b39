#include "ui/models/eval_models.h"

#include <QColor>
#include <QCoreApplication>
#include <QHash>

#include "ui/labels.h"

namespace avvp::ui {

double datasetScore(const core::EvalResult& r, int metric) {
    const auto i = static_cast<std::size_t>(metric % core::kNumMetrics);
    return metric < core::kNumMetrics ? r.dataset.segment[i] : r.dataset.event[i];
}

QString metricName(int metric) {
    static const char* const names[] = {QT_TRANSLATE_NOOP("avvp::ui::Eval", "Audio"),
                                        QT_TRANSLATE_NOOP("avvp::ui::Eval", "Visual"),
                                        QT_TRANSLATE_NOOP("avvp::ui::Eval", "Audio-Visual"),
                                        QT_TRANSLATE_NOOP("avvp::ui::Eval", "Type@AV"),
                                        QT_TRANSLATE_NOOP("avvp::ui::Eval", "Event@AV")};
    const QString level = metric < core::kNumMetrics
                              ? QCoreApplication::translate("avvp::ui::Eval", "Segment")
                              : QCoreApplication::translate("avvp::ui::Eval", "Event");
    return QStringLiteral("%1 · %2").arg(
        level, QCoreApplication::translate("avvp::ui::Eval", names[metric % core::kNumMetrics]));
}

namespace {

QVariant percent(double v) {
    return v < 0 ? QVariant(QStringLiteral("–")) : QVariant(QString::number(v, 'f', 2));
}

QVariant deltaColour(double d) {
    if (d > 0.005) return QColor(20, 130, 60);
    if (d < -0.005) return QColor(190, 40, 30);
    return {};
}

}  // namespace

// ---- summary -------------------------------------------------------------------------

EvalSummaryModel::EvalSummaryModel(QObject* parent) : QAbstractTableModel(parent) {}

void EvalSummaryModel::setSets(const ScoredSet* a, const ScoredSet* b) {
    beginResetModel();
    a_ = a;
    b_ = b;
    endResetModel();
}

int EvalSummaryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !a_ ? 0 : 2 * core::kNumMetrics;
}

int EvalSummaryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColCount;
}

QVariant EvalSummaryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !a_) return {};
    const int m = index.row();
    const double a = datasetScore(a_->result, m);
    const double b = b_ ? datasetScore(b_->result, m) : 0.0;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
            case ColMetric:
                return metricName(m);
            case ColA:
                return percent(a);
            case ColB:
                return b_ ? percent(b) : QVariant();
            case ColDelta:
                return b_ ? QVariant(QString::asprintf("%+.2f", b - a)) : QVariant();
            default:
                return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() != ColMetric)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == ColDelta && b_) return deltaColour(b - a);
    if (role == Qt::UserRole) return index.column() == ColA ? a : b;
    return {};
}

QVariant EvalSummaryModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case ColMetric:
            return tr("Score (F1 %)");
        case ColA:
            return tr("A");
        case ColB:
            return tr("B");
        case ColDelta:
            return tr("B − A");
        default:
            return {};
    }
}

// ---- per class -----------------------------------------------------------------------

EvalClassModel::EvalClassModel(QObject* parent) : QAbstractTableModel(parent) {}

void EvalClassModel::setSets(const ScoredSet* a, const ScoredSet* b) {
    beginResetModel();
    a_ = a;
    b_ = b;
    endResetModel();
}

void EvalClassModel::setEventLevel(bool on) {
    beginResetModel();
    eventLevel_ = on;
    endResetModel();
}

double EvalClassModel::classScore(const core::EvalResult& r, int cls, int lane, bool eventLevel) {
    const auto& counts = eventLevel ? r.eventClass : r.segmentClass;
    const auto& c = counts[static_cast<std::size_t>(lane)][static_cast<std::size_t>(cls)];
    return c.active() ? 100.0 * c.f1() : -1.0;
}

int EvalClassModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !a_ ? 0 : core::kNumClasses;
}

int EvalClassModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : (b_ ? 7 : 4);
}

QVariant EvalClassModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !a_) return {};
    const int cls = index.row();
    const int col = index.column();
    if (col == 0) return role == Qt::DisplayRole ? QVariant(className(cls)) : QVariant();
    const ScoredSet* set = col <= 3 ? a_ : b_;
    const int lane = (col - 1) % 3;
    const double v = classScore(set->result, cls, lane, eventLevel_);
    if (role == Qt::DisplayRole) return percent(v);
    if (role == Qt::UserRole) return v;
    if (role == Qt::TextAlignmentRole) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::BackgroundRole && v >= 0) {
        // Low scores stand out: white at 100 %, red at 0 %.
        const int g = static_cast<int>(255 - (100.0 - v) * 0.9);
        return QColor(255, g, g);
    }
    return {};
}

QVariant EvalClassModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    if (section == 0) return tr("Class");
    static const char* const lanes[] = {QT_TR_NOOP("Audio"), QT_TR_NOOP("Visual"),
                                        QT_TR_NOOP("AV")};
    const QString set = section <= 3 ? QStringLiteral("A") : QStringLiteral("B");
    return QStringLiteral("%1 %2").arg(set, tr(lanes[(section - 1) % 3]));
}

// ---- per video -----------------------------------------------------------------------

EvalVideoModel::EvalVideoModel(QObject* parent) : QAbstractTableModel(parent) {}

double EvalVideoModel::videoScore(const core::EvalResult& r, std::size_t video, int metric) {
    const auto i = static_cast<std::size_t>(metric % core::kNumMetrics);
    const auto& s = r.perVideo[video];
    return 100.0 * (metric < core::kNumMetrics ? s.segment[i] : s.event[i]);
}

void EvalVideoModel::setSets(const ScoredSet* a, const ScoredSet* b) {
    beginResetModel();
    a_ = a;
    b_ = b;
    bIndex_.clear();
    if (a_ && b_) {
        QHash<QString, int> rows;
        for (std::size_t i = 0; i < b_->result.videos.size(); ++i)
            rows.insert(QString::fromStdString(b_->result.videos[i]), static_cast<int>(i));
        for (const auto& v : a_->result.videos)
            bIndex_.push_back(rows.value(QString::fromStdString(v), -1));
    }
    endResetModel();
}

void EvalVideoModel::setMetric(int metric) {
    beginResetModel();
    metric_ = metric;
    endResetModel();
}

int EvalVideoModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !a_ ? 0 : static_cast<int>(a_->result.videos.size());
}

int EvalVideoModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : (b_ ? ColCount : ColB);
}

QVariant EvalVideoModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !a_) return {};
    const auto row = static_cast<std::size_t>(index.row());
    const double a = videoScore(a_->result, row, metric_);
    const int bi = b_ && row < bIndex_.size() ? bIndex_[row] : -1;
    const double b = bi >= 0 ? videoScore(b_->result, static_cast<std::size_t>(bi), metric_) : -1.0;
    if (role == Qt::DisplayRole || role == SortRole) {
        const bool sort = role == SortRole;
        switch (index.column()) {
            case ColVideo:
                return QString::fromStdString(a_->result.videos[row]);
            case ColA:
                return sort ? QVariant(a) : percent(a);
            case ColB:
                return sort ? QVariant(b) : percent(b);
            case ColDelta:
                if (bi < 0) return sort ? QVariant(0.0) : QVariant();
                return sort ? QVariant(b - a) : QVariant(QString::asprintf("%+.1f", b - a));
            default:
                return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() != ColVideo)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == ColDelta && bi >= 0)
        return deltaColour(b - a);
    return {};
}

QVariant EvalVideoModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case ColVideo:
            return tr("Video");
        case ColA:
            return tr("A (%)");
        case ColB:
            return tr("B (%)");
        case ColDelta:
            return tr("B − A");
        default:
            return {};
    }
}

}  // namespace avvp::ui

#include "ui/video_table_model.h"

#include <QStringList>

namespace avvp {
namespace ui {

namespace {
QString className(int c) {
    return QString::fromLatin1(core::kClassNames[static_cast<std::size_t>(c)].data(),
                               static_cast<qsizetype>(core::kClassNames[static_cast<std::size_t>(c)].size()));
}
}  // namespace

VideoTableModel::VideoTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void VideoTableModel::setDataset(const core::LlpDataset* dataset) {
    beginResetModel();
    dataset_ = dataset;
    rebuild();
    endResetModel();
}

void VideoTableModel::setSplit(std::optional<core::Split> split) {
    beginResetModel();
    split_ = split;
    rebuild();
    endResetModel();
}

void VideoTableModel::rebuild() {
    rows_.clear();
    if (!dataset_) return;
    for (std::size_t i = 0; i < dataset_->videos.size(); ++i)
        if (!split_ || dataset_->videos[i].split == *split_) rows_.push_back(static_cast<int>(i));
}

const core::LlpVideo* VideoTableModel::video(int row) const {
    if (!dataset_ || row < 0 || row >= static_cast<int>(rows_.size())) return nullptr;
    return &dataset_->videos[static_cast<std::size_t>(rows_[static_cast<std::size_t>(row)])];
}

int VideoTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int VideoTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColCount;
}

QString VideoTableModel::formatEvents(const std::vector<core::Event>& events) {
    QStringList parts;
    for (const auto& e : events)
        parts << QStringLiteral("%1 %2-%3").arg(className(e.cls)).arg(e.onset).arg(e.offset);
    return parts.join(QStringLiteral(", "));
}

QString VideoTableModel::formatClasses(core::ClassSet classes) {
    QStringList parts;
    for (int c = 0; c < core::kNumClasses; ++c)
        if (core::hasClass(classes, c)) parts << className(c);
    return parts.join(QStringLiteral(", "));
}

QVariant VideoTableModel::data(const QModelIndex& index, int role) const {
    const auto* v = video(index.row());
    if (!v) return {};
    if (role == VideoIndexRole) return rows_[static_cast<std::size_t>(index.row())];
    if (role == Qt::TextAlignmentRole && index.column() == ColIndex)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && (index.column() == ColAudio || index.column() == ColVisual))
        return formatEvents(index.column() == ColAudio ? v->audio : v->visual);
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
        case ColIndex: return index.row() + 1;
        case ColFilename: return QString::fromStdString(v->filename);
        case ColSplit: return QString::fromLatin1(core::splitName(v->split).data());
        case ColWeak: return formatClasses(v->weak);
        case ColAudio: return formatEvents(v->audio);
        case ColVisual: return formatEvents(v->visual);
        default: return {};
    }
}

QVariant VideoTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case ColIndex: return tr("#");
        case ColFilename: return tr("Video");
        case ColSplit: return tr("Split");
        case ColWeak: return tr("Weak labels");
        case ColAudio: return tr("Audio events");
        case ColVisual: return tr("Visual events");
        default: return {};
    }
}

}  // namespace ui
}  // namespace avvp

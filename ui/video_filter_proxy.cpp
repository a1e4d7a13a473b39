#include "ui/video_filter_proxy.h"

#include "ui/video_table_model.h"

namespace avvp {
namespace ui {

VideoFilterProxy::VideoFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {}

void VideoFilterProxy::setText(const QString& text) {
    text_ = text.trimmed();
    invalidateFilter();
}

void VideoFilterProxy::setClassFilter(int cls) {
    cls_ = cls;
    invalidateFilter();
}

bool VideoFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex&) const {
    const auto* model = qobject_cast<const VideoTableModel*>(sourceModel());
    const auto* v = model ? model->video(sourceRow) : nullptr;
    if (!v) return false;
    if (cls_ >= 0) {
        bool has = core::hasClass(v->weak, cls_);
        for (const auto& e : v->audio) has = has || e.cls == cls_;
        for (const auto& e : v->visual) has = has || e.cls == cls_;
        if (!has) return false;
    }
    if (text_.isEmpty()) return true;
    for (int col : {VideoTableModel::ColFilename, VideoTableModel::ColWeak, VideoTableModel::ColAudio,
                    VideoTableModel::ColVisual}) {
        if (model->index(sourceRow, col).data().toString().contains(text_, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool VideoFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    if (left.column() == VideoTableModel::ColIndex) return left.data().toInt() < right.data().toInt();
    return QSortFilterProxyModel::lessThan(left, right);
}

}  // namespace ui
}  // namespace avvp

#pragma once
// Filters the video list by text (filename or any label) and by class.
#include <QSortFilterProxyModel>

namespace avvp {
namespace ui {

class VideoFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit VideoFilterProxy(QObject* parent = nullptr);

    void setText(const QString& text);
    // -1 = any class; otherwise videos whose weak labels or events contain the class.
    void setClassFilter(int cls);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString text_;
    int cls_ = -1;
};

}  // namespace ui
}  // namespace avvp

#pragma once
// Item model listing the videos of an LLP dataset (one split or all) with their weak
// labels and dense audio / visual events.
#include <QAbstractTableModel>
#include <optional>
#include <vector>

#include "core/llp_dataset.h"

namespace avvp {
namespace ui {

class VideoTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ColIndex, ColFilename, ColSplit, ColWeak, ColAudio, ColVisual, ColCount };
    // Role returning the row's index into LlpDataset::videos.
    static constexpr int VideoIndexRole = Qt::UserRole + 1;

    explicit VideoTableModel(QObject* parent = nullptr);

    // The dataset must outlive the model (the main window owns both).
    void setDataset(const core::LlpDataset* dataset);
    // nullopt = every split.
    void setSplit(std::optional<core::Split> split);
    std::optional<core::Split> split() const { return split_; }

    const core::LlpVideo* video(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // "Speech 0-4, Dog 2-10" (class onset-offset, seconds; offset exclusive).
    static QString formatEvents(const std::vector<core::Event>& events);
    static QString formatClasses(core::ClassSet classes);

private:
    void rebuild();

    const core::LlpDataset* dataset_ = nullptr;
    std::optional<core::Split> split_ = core::Split::Test;
    std::vector<int> rows_;  // indices into dataset_->videos
};

}  // namespace ui
}  // namespace avvp

#pragma once
// Custom-painted view of one video's dense labels: lanes Audio, Visual and Audio-Visual
// (derived: audio AND visual), one row per class of the video, one column per segment.
#include <QWidget>
#include <optional>

#include "core/label_grid.h"
#include "core/llp_dataset.h"

namespace avvp {
namespace ui {

class LabelGridView : public QWidget {
    Q_OBJECT
public:
    explicit LabelGridView(QWidget* parent = nullptr);

    // Copies what it needs; nullptr clears the view.
    void setVideo(const core::LlpVideo* video);

    // The classes shown as rows (weak labels and every class with an event).
    const std::vector<int>& classes() const { return classes_; }
    const core::LabelGrid& audio() const { return audio_; }
    const core::LabelGrid& visual() const { return visual_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    bool hasVideo_ = false;
    QString title_;
    bool denseAnnotated_ = false;
    core::ClassSet weak_ = 0;
    core::LabelGrid audio_, visual_, audioVisual_;
    std::vector<int> classes_;
};

}  // namespace ui
}  // namespace avvp

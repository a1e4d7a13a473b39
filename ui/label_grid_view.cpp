#include "ui/label_grid_view.h"

#include <QPainter>
#include <QPainterPath>

namespace avvp {
namespace ui {

namespace {
constexpr int kMargin = 12;
constexpr int kLabelWidth = 190;
constexpr int kRowHeight = 18;
constexpr int kLaneGap = 14;
constexpr int kLaneTitle = 20;
constexpr int kAxisHeight = 22;
constexpr int kTitleHeight = 26;

struct Lane {
    const char* name;
    QColor color;
};
const Lane kLanes[3] = {{QT_TRANSLATE_NOOP("avvp::ui::LabelGridView", "Audio"), QColor(0x2f, 0x6f, 0xde)},
                        {QT_TRANSLATE_NOOP("avvp::ui::LabelGridView", "Visual"), QColor(0xe0, 0x8a, 0x10)},
                        {QT_TRANSLATE_NOOP("avvp::ui::LabelGridView", "Audio-Visual"), QColor(0x1a, 0x9e, 0x6a)}};
}  // namespace

LabelGridView::LabelGridView(QWidget* parent) : QWidget(parent) {
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
}

void LabelGridView::setVideo(const core::LlpVideo* video) {
    hasVideo_ = video != nullptr;
    audio_ = core::LabelGrid();
    visual_ = core::LabelGrid();
    classes_.clear();
    weak_ = 0;
    denseAnnotated_ = false;
    if (video) {
        title_ = QString::fromStdString(video->filename);
        weak_ = video->weak;
        for (const auto& e : video->audio) audio_.fill(e);
        for (const auto& e : video->visual) visual_.fill(e);
        denseAnnotated_ = !video->audio.empty() || !video->visual.empty();
        core::ClassSet shown = weak_;
        for (const auto& e : video->audio) shown |= core::ClassSet{1} << e.cls;
        for (const auto& e : video->visual) shown |= core::ClassSet{1} << e.cls;
        for (int c = 0; c < core::kNumClasses; ++c)
            if (core::hasClass(shown, c)) classes_.push_back(c);
    }
    audioVisual_ = core::LabelGrid::intersect(audio_, visual_);
    updateGeometry();
    update();
}

QSize LabelGridView::sizeHint() const {
    const int rows = std::max<int>(1, static_cast<int>(classes_.size()));
    return {kLabelWidth + 10 * 48 + 2 * kMargin,
            kTitleHeight + 3 * (kLaneTitle + rows * kRowHeight + kLaneGap) + kAxisHeight + kMargin};
}

QSize LabelGridView::minimumSizeHint() const { return {kLabelWidth + 10 * 20 + 2 * kMargin, 120}; }

void LabelGridView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::Text);
    const QColor faint = pal.color(QPalette::Mid);
    if (!hasVideo_) {
        p.setPen(faint);
        p.drawText(rect(), Qt::AlignCenter, tr("Select a video to see its events"));
        return;
    }
    QFont titleFont = font();
    titleFont.setBold(true);
    p.setFont(titleFont);
    p.setPen(text);
    p.drawText(QRect(kMargin, 4, width() - 2 * kMargin, kTitleHeight - 4),
               Qt::AlignLeft | Qt::AlignVCenter, title_);
    p.setFont(font());
    if (!denseAnnotated_) {
        p.setPen(faint);
        p.drawText(QRect(kMargin, 4, width() - 2 * kMargin, kTitleHeight - 4),
                   Qt::AlignRight | Qt::AlignVCenter,
                   tr("weak labels only: no dense annotation for this video"));
    }

    const int gridLeft = kMargin + kLabelWidth;
    const int gridWidth = std::max(100, width() - gridLeft - 2 * kMargin);
    const int segments = audio_.segments();
    const double cell = static_cast<double>(gridWidth) / segments;
    const int rows = static_cast<int>(classes_.size());
    const core::LabelGrid* grids[3] = {&audio_, &visual_, &audioVisual_};

    int y = kTitleHeight;
    for (int lane = 0; lane < 3; ++lane) {
        const auto& L = kLanes[lane];
        p.setPen(L.color.darker(120));
        QFont laneFont = font();
        laneFont.setBold(true);
        p.setFont(laneFont);
        p.drawText(QRect(kMargin, y, kLabelWidth, kLaneTitle), Qt::AlignLeft | Qt::AlignVCenter,
                   tr(L.name));
        p.setFont(font());
        y += kLaneTitle;
        const int laneTop = y;
        for (int r = 0; r < rows; ++r) {
            const int c = classes_[static_cast<std::size_t>(r)];
            const QRect labelRect(kMargin + 8, y, kLabelWidth - 12, kRowHeight);
            p.setPen(core::hasClass(weak_, c) ? text : faint);
            p.drawText(labelRect, Qt::AlignLeft | Qt::AlignVCenter,
                       QString::fromLatin1(core::kClassNames[static_cast<std::size_t>(c)].data()));
            if (r % 2 == 1)
                p.fillRect(QRectF(gridLeft, y, gridWidth, kRowHeight),
                           pal.color(QPalette::AlternateBase));
            for (const auto& e : grids[lane]->events(c)) {
                QRectF box(gridLeft + e.onset * cell + 1, y + 2, e.length() * cell - 2,
                           kRowHeight - 4);
                QPainterPath path;
                path.addRoundedRect(box, 3, 3);
                p.fillPath(path, L.color);
            }
            y += kRowHeight;
        }
        // one-second segment grid
        p.setPen(QPen(faint, 0.5));
        for (int t = 0; t <= segments; ++t) {
            const double x = gridLeft + t * cell;
            p.drawLine(QPointF(x, laneTop), QPointF(x, y));
        }
        p.drawRect(QRectF(gridLeft, laneTop, gridWidth, rows * kRowHeight));
        y += kLaneGap;
    }
    p.setPen(text);
    for (int t = 0; t <= segments; ++t) {
        const double x = gridLeft + t * cell;
        p.drawText(QRectF(x - 20, y - kLaneGap + 2, 40, kAxisHeight), Qt::AlignHCenter | Qt::AlignTop,
                   QStringLiteral("%1 s").arg(t));
    }
}

}  // namespace ui
}  // namespace avvp

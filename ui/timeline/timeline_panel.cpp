#include "ui/timeline/timeline_panel.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "core/store/store.h"
#include "ui/document.h"
#include "ui/timeline/timeline_painter.h"
#include "ui/timeline/timeline_view.h"
#include "ui/widgets/combo_fit.h"
#include "ui/widgets/run_rename.h"

namespace avvp::ui {

namespace {

// The run of the run combo's current item (its data: the run's id; "none" has none).
std::optional<ComboRun> shownRun(const QComboBox* combo) {
    const auto v = combo->currentData();
    if (!v.isValid()) return std::nullopt;
    return ComboRun{v.toLongLong(), combo->currentText()};
}

// The comparison's legend sits in the tool bar after the Compare combo where it fits in
// full, else (1366x768, long run names) on a line of its own under the bar: never cut.
// Whether it fits does not depend on where it is, so placing it settles at once.
class LegendPlacer : public QObject {
  public:
    LegendPlacer(QWidget* panel, QHBoxLayout* bar, QHBoxLayout* line, QWidget* after,
                 QLabel* legend)
        : QObject(panel), panel_(panel), bar_(bar), line_(line), after_(after), legend_(legend) {
        setObjectName(QStringLiteral("legendPlacer"));
        panel->installEventFilter(this);
    }
    bool eventFilter(QObject*, QEvent* e) override {
        if (e->type() == QEvent::Resize || e->type() == QEvent::LayoutRequest) place();
        return false;
    }
    // The bar's width without the legends (hidden widgets take none).
    int barWidthWithout() const {
        const auto m = bar_->contentsMargins();
        int width = m.left() + m.right(), items = 0;
        for (int i = 0; i < bar_->count(); ++i) {
            auto* item = bar_->itemAt(i);
            auto* w = item->widget();
            if (w == legend_ || (w && w->objectName() == QStringLiteral("legend"))) continue;
            if (w && w->isHidden()) continue;
            width += item->sizeHint().width();
            ++items;
        }
        return width + std::max(0, items - 1) * bar_->spacing();
    }
    void place() {
        const bool fits =
            panel_->width() - barWidthWithout() - bar_->spacing() >= legend_->sizeHint().width();
        const bool inBar = bar_->indexOf(legend_) >= 0;
        if (fits == inBar) return;
        if (fits) {
            line_->removeWidget(legend_);
            bar_->insertWidget(bar_->indexOf(after_) + 1, legend_, 1);
        } else {
            bar_->removeWidget(legend_);
            line_->addWidget(legend_, 1);
        }
    }

  private:
    QWidget* panel_;
    QHBoxLayout* bar_;
    QHBoxLayout* line_;
    QWidget* after_;
    QLabel* legend_;
};

}  // namespace

TimelinePanel::TimelinePanel(Document* document, QWidget* parent)
    : QWidget(parent), doc_(document) {
    view_ = new TimelineView(doc_, this);
    scroll_ = new QScrollArea(this);
    scroll_->setWidget(view_);
    scroll_->setWidgetResizable(true);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll_->setFrameShape(QFrame::NoFrame);
    hbar_ = new QScrollBar(Qt::Horizontal, this);
    hbar_->hide();

    auto tool = [this](const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setAutoRaise(true);
        b->setFocusPolicy(Qt::NoFocus);
        return b;
    };
    auto* zoomIn = tool(QStringLiteral("+"), tr("Zoom in (+, Ctrl+wheel)"));
    auto* zoomOut = tool(QStringLiteral("−"), tr("Zoom out (-)"));
    auto* fit = tool(tr("Fit"), tr("Show the whole video (0)"));
    snap_ = tool(tr("Snap 1 s"),
                 tr("Snap edits to one-second segments; off (or Shift held while dragging) "
                    "edits freely, to 10 ms — for your own videos"));
    snap_->setCheckable(true);
    snap_->setChecked(true);
    view_->setSnap(snap_->isChecked());
    spectro_ = tool(tr("Spectrogram"), tr("Show the spectrogram strip under the audio lane"));
    spectro_->setCheckable(true);
    spectro_->setChecked(true);
    view_->setSpectrogramVisible(spectro_->isChecked());
    run_ = new QComboBox(this);
    run_->setToolTip(tr("The model run whose predictions (and probabilities) the timeline shows"));
    run_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    run_->setMinimumContentsLength(8);
    run_->setFocusPolicy(Qt::NoFocus);
    enableRunRename(
        run_, [this] { return shownRun(run_); },
        [this](qint64 run, const QString& name) { emit renameRunRequested(run, name); });

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 0, 4, 0);
    bar->setSpacing(4);
    bar->addWidget(zoomOut);
    bar->addWidget(zoomIn);
    bar->addWidget(fit);
    bar->addWidget(snap_);
    bar->addWidget(spectro_);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Predictions:"), this));
    bar->addWidget(run_);
    compare_ = new QComboBox(this);
    compare_->setToolTip(
        tr("Compare the shown run (A) with another run (B): per cell of the prediction strips, "
           "who is right against the ground truth"));
    compare_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    compare_->setMinimumContentsLength(6);
    compare_->setFocusPolicy(Qt::NoFocus);
    bar->addWidget(new QLabel(tr("Compare with:"), this));
    bar->addWidget(compare_);
    // The swatches take the bands' own colours.
    auto swatch = [](core::CellOutcome o, const QString& text) {
        return QStringLiteral("<span style='color:%1'>■</span> %2")
            .arg(outcomeColor(o).name(), text);
    };
    compareLegend_ = new QLabel(QStringList{swatch(core::CellOutcome::AOnly, tr("A only")),
                                            swatch(core::CellOutcome::BOnly, tr("B only")),
                                            swatch(core::CellOutcome::BothWrong, tr("both wrong"))}
                                    .join(QStringLiteral(" &nbsp;")),
                                this);
    compareLegend_->setToolTip(
        tr("Bands on the prediction strips: only run A is right, only run B is right, or both "
           "are wrong against the ground truth; cells both get right stay plain"));
    compareLegend_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    compareLegend_->setMinimumWidth(40);  // as the legend: never widens the window
    compareLegend_->hide();
    bar->addWidget(compareLegend_, 1);
    bar->addSpacing(12);
    auto* legend = new QLabel(QStringLiteral("<span style='color:#2f6fc8'>■</span> %1 &nbsp;"
                                             "<span style='color:#e2841c'>■</span> %2 &nbsp;"
                                             "<span style='color:#249654'>■</span> %3")
                                  .arg(tr("ground truth"), tr("prediction"), tr("correction")),
                              this);
    legend->setObjectName(QStringLiteral("legend"));
    legend->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    legend->setToolTip(
        tr("Each class row has three strips: ground truth, the run's predictions (shaded "
           "by their per-segment probability; outlined where they pass the threshold) and "
           "corrections"));
    legend->setMinimumWidth(40);
    bar->addWidget(legend, 1);

    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 2, 0, 0);
    lay->setSpacing(2);
    lay->addLayout(bar);
    auto* legendLine = new QHBoxLayout;  // the comparison's legend where the bar is too narrow
    legendLine->setContentsMargins(8, 0, 4, 0);
    lay->addLayout(legendLine);
    new LegendPlacer(this, bar, legendLine, compare_, compareLegend_);
    lay->addWidget(scroll_, 1);
    lay->addWidget(hbar_);

    connect(zoomIn, &QToolButton::clicked, view_, &TimelineView::zoomIn);
    connect(zoomOut, &QToolButton::clicked, view_, &TimelineView::zoomOut);
    connect(fit, &QToolButton::clicked, view_, &TimelineView::zoomToFit);
    connect(snap_, &QToolButton::toggled, view_, &TimelineView::setSnap);
    connect(spectro_, &QToolButton::toggled, view_, &TimelineView::setSpectrogramVisible);
    connect(view_, &TimelineView::viewChanged, this,
            [this](double start, double span, double total) {
                const bool zoomed = span < total - 1e-6;
                hbar_->setVisible(zoomed);
                const QSignalBlocker block(hbar_);
                hbar_->setRange(0, static_cast<int>(std::lround((total - span) * 1000)));
                hbar_->setPageStep(static_cast<int>(std::lround(span * 1000)));
                hbar_->setSingleStep(static_cast<int>(std::lround(span * 100)));
                hbar_->setValue(static_cast<int>(std::lround(start * 1000)));
            });
    connect(hbar_, &QScrollBar::valueChanged, this,
            [this](int v) { view_->setViewStart(v / 1000.0); });
    connect(run_, &QComboBox::activated, this, [this] {
        const auto v = run_->currentData();
        doc_->setRun(v.isValid() ? std::optional<store::RunId>(v.toLongLong()) : std::nullopt);
    });
    connect(compare_, &QComboBox::activated, this, [this] { emit compareRunChosen(compareRun()); });
    connect(doc_, &Document::opened, this, &TimelinePanel::fillRuns);
    connect(doc_, &Document::runChanged, this, &TimelinePanel::fillRuns);
    connect(doc_, &Document::changed, this, [this](const store::Change& c) {
        if (c.runs || c.external) fillRuns();
    });
    fillRuns();
}

void TimelinePanel::askRenameRun() {
    if (const auto run = shownRun(run_))
        askRunName(this, *run,
                   [this](qint64 id, const QString& name) { emit renameRunRequested(id, name); });
}

void TimelinePanel::fillRuns() {
    const QSignalBlocker block(run_);
    run_->clear();
    run_->addItem(tr("none"));
    for (const auto& r : doc_->runs()) {
        QString name = QString::fromStdString(r.name);
        run_->addItem(name, QVariant::fromValue<qint64>(r.id));
        if (doc_->run() == r.id) run_->setCurrentIndex(run_->count() - 1);
    }
    fitComboToItems(run_, 8, 32);  // "demo model (late fusion)" reads in full

    // The compared run keeps its place while it exists; gone, the comparison turns off.
    const auto before = compareRun();
    const QSignalBlocker blockCompare(compare_);
    compare_->clear();
    compare_->addItem(tr("None"));
    for (const auto& r : doc_->runs()) {
        compare_->addItem(QString::fromStdString(r.name), QVariant::fromValue<qint64>(r.id));
        if (before == r.id) compare_->setCurrentIndex(compare_->count() - 1);
    }
    fitComboToItems(compare_, 6, 32);
    if (before && !compareRun()) emit compareRunChosen(std::nullopt);
}

std::optional<qint64> TimelinePanel::compareRun() const {
    const auto v = compare_ ? compare_->currentData() : QVariant();
    return v.isValid() ? std::optional<qint64>(v.toLongLong()) : std::nullopt;
}

void TimelinePanel::setComparison(std::shared_ptr<const core::VideoComparison> comparison,
                                  const QString& runA, const QString& runB) {
    compareLegend_->setVisible(comparison != nullptr);
    // The strips say GT / Pred / Corr: the comparison's legend takes the sources' place.
    if (auto* legend = findChild<QLabel*>(QStringLiteral("legend")))
        legend->setVisible(comparison == nullptr);
    if (comparison)
        compareLegend_->setToolTip(
            tr("A: %1 · B: %2. Bands on the prediction strips: only run A is right, only run B "
               "is right, or both are wrong against the ground truth; cells both get right stay "
               "plain")
                .arg(runA, runB));
    view_->setComparison(std::move(comparison), runA, runB);
}

}  // namespace avvp::ui

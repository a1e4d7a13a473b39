#include "ui/timeline/timeline_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

#include "core/store/store.h"
#include "ui/document.h"
#include "ui/timeline/timeline_view.h"
#include "ui/widgets/combo_fit.h"

namespace avvp::ui {

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
    run_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(run_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        auto* rename = menu.addAction(tr("Rename Run…"), this, &TimelinePanel::askRenameRun);
        rename->setEnabled(run_->currentData().isValid());
        menu.exec(run_->mapToGlobal(pos));
    });

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
    bar->addSpacing(12);
    auto* legend = new QLabel(QStringLiteral("<span style='color:#2f6fc8'>■</span> %1 &nbsp;"
                                             "<span style='color:#e2841c'>■</span> %2 &nbsp;"
                                             "<span style='color:#249654'>■</span> %3")
                                  .arg(tr("ground truth"), tr("prediction"), tr("correction")),
                              this);
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
    connect(doc_, &Document::opened, this, &TimelinePanel::fillRuns);
    connect(doc_, &Document::runChanged, this, &TimelinePanel::fillRuns);
    connect(doc_, &Document::changed, this, [this](const store::Change& c) {
        if (c.runs || c.external) fillRuns();
    });
    fillRuns();
}

void TimelinePanel::askRenameRun() {
    const auto v = run_->currentData();
    if (!v.isValid()) return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename Run"), tr("New name of the run:"),
                                               QLineEdit::Normal, run_->currentText(), &ok);
    if (ok && name != run_->currentText()) emit renameRunRequested(v.toLongLong(), name);
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
}

}  // namespace avvp::ui

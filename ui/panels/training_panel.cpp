#include "ui/panels/training_panel.h"

#include <qcustomplot.h>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/quote.h"
#include "ui/widgets/plot_interaction.h"
#include "ui/widgets/plot_legend.h"

namespace avvp::ui {

namespace {

QSpinBox* spin(QWidget* parent, int lo, int hi, int value) {
    auto* s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setValue(value);
    return s;
}

QLineEdit* folderField(QWidget* parent, QFormLayout* form, const QString& label) {
    auto* edit = new QLineEdit(parent);
    auto* browse =
        new QPushButton(QCoreApplication::translate("avvp::ui::TrainingPanel", "…"), parent);
    browse->setMaximumWidth(32);
    QObject::connect(browse, &QPushButton::clicked, parent, [parent, edit, label] {
        const QString dir = QFileDialog::getExistingDirectory(parent, label, edit->text());
        if (!dir.isEmpty()) edit->setText(dir);
    });
    auto* row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    form->addRow(label, row);
    return edit;
}

const QColor kColors[] = {QColor(31, 119, 180),  QColor(255, 127, 14),  QColor(44, 160, 44),
                          QColor(214, 39, 40),   QColor(148, 103, 189), QColor(140, 86, 75),
                          QColor(227, 119, 194), QColor(127, 127, 127)};

}  // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("trainingPanel"));
    auto* lay = new QHBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 4);
    // The settings scroll, so that the dock can be short.
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* settings = new QWidget(scroll);
    auto* left = new QVBoxLayout(settings);
    left->setContentsMargins(0, 0, 0, 0);
    scroll->setWidget(settings);
    scroll->setMinimumWidth(380);
    lay->addWidget(scroll, 0);

    auto* modelBox = new QGroupBox(tr("Model"), this);
    auto* mform = new QFormLayout(modelBox);
    variant_ = new QComboBox(modelBox);
    for (const auto& v : models::knownVariants()) variant_->addItem(QString::fromStdString(v));
    mform->addRow(tr("Variant"), variant_);
    auto* sw = new QWidget(modelBox);
    switchGrid_ = new QGridLayout(sw);
    switchGrid_->setContentsMargins(0, 0, 0, 0);
    mform->addRow(tr("Switches"), sw);
    hidden_ = spin(modelBox, 8, 1024, 64);
    layers_ = spin(modelBox, 1, 12, 2);
    heads_ = spin(modelBox, 1, 16, 4);
    ff_ = spin(modelBox, 8, 4096, 128);
    auto* sizes = new QHBoxLayout;
    for (auto* s : {hidden_, layers_, heads_, ff_}) sizes->addWidget(s);
    mform->addRow(tr("Hidden, layers, heads, ff"), sizes);
    left->addWidget(modelBox);

    auto* dataBox = new QGroupBox(tr("Data"), this);
    auto* dform = new QFormLayout(dataBox);
    features_ = folderField(dataBox, dform, tr("Features"));
    labels_ = folderField(dataBox, dform, tr("LLP labels"));
    out_ = folderField(dataBox, dform, tr("Output"));
    left->addWidget(dataBox);

    auto* trainBox = new QGroupBox(tr("Training"), this);
    auto* tform = new QFormLayout(trainBox);
    epochs_ = spin(trainBox, 1, 1000, 20);
    batch_ = spin(trainBox, 1, 1024, 32);
    warmup_ = spin(trainBox, 0, 100, 2);
    threads_ = spin(trainBox, 0, 64, 1);
    threads_->setToolTip(tr("CPU threads (0: one per core)"));
    lr_ = new QDoubleSpinBox(trainBox);
    lr_->setDecimals(6);
    lr_->setRange(1e-6, 1.0);
    lr_->setSingleStep(1e-4);
    lr_->setValue(1e-3);
    tform->addRow(tr("Epochs"), epochs_);
    tform->addRow(tr("Batch"), batch_);
    tform->addRow(tr("Peak lr"), lr_);
    tform->addRow(tr("Warm-up epochs"), warmup_);
    tform->addRow(tr("CPU threads"), threads_);
    left->addWidget(trainBox);

    auto* buttons = new QHBoxLayout;
    start_ = new QPushButton(tr("Train"), this);
    resume_ = new QPushButton(tr("Resume"), this);
    resume_->setToolTip(
        tr("Continue from the output folder's last.ckpt (raise Epochs to train "
           "longer)"));
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setEnabled(false);
    buttons->addWidget(start_);
    buttons->addWidget(resume_);
    buttons->addWidget(cancel_);
    left->addLayout(buttons);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    left->addWidget(progress_);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setMinimumWidth(280);
    left->addWidget(status_);
    useBest_ = new QPushButton(tr("Use the best checkpoint"), this);
    useBest_->setEnabled(false);
    left->addWidget(useBest_);
    left->addStretch(1);

    // The plots in a scroll area too: stacked they need 300 px, and the dock they share
    // with the research views must not take that much of a 768 px screen from the timeline.
    auto* plotScroll = new QScrollArea(this);
    plotScroll->setWidgetResizable(true);
    plotScroll->setFrameShape(QFrame::NoFrame);
    auto* plotArea = new QWidget(plotScroll);
    plotScroll->setWidget(plotArea);
    auto* plots = new QVBoxLayout(plotArea);
    plots->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(plotScroll, 1);
    loss_ = new QCustomPlot(plotArea);
    scores_ = new QCustomPlot(plotArea);
    for (auto* p : {loss_, scores_}) {
        p->setMinimumSize(320, 150);  // readable, and the timeline keeps its room
        makeInteractive(p, [this] { redraw(); });
        p->xAxis->setLabel(tr("epoch"));
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 0.85);
        p->legend->setFont(f);
        plots->addWidget(p, 1);
    }
    loss_->yAxis->setLabel(tr("loss (val dashed)"));
    scores_->yAxis->setLabel(tr("validation F (%)"));
    scores_->yAxis2->setVisible(true);
    scores_->yAxis2->setLabel(tr("lr"));
    muAxis_ = scores_->axisRect()->addAxis(QCPAxis::atRight);
    muAxis_->setLabel(tr("μ"));
    muAxis_->setVisible(false);
    // Legends in a column right of the plots (the dock is short and wide).
    for (auto* p : {loss_, scores_}) {
        placeLegendOutside(p, LegendPlace::Right);
        p->legend->setRowSpacing(0);
    }

    connect(variant_, &QComboBox::currentTextChanged, this, &TrainingPanel::fillSwitches);
    connect(start_, &QPushButton::clicked, this, [this] { start(false); });
    connect(resume_, &QPushButton::clicked, this, [this] { start(true); });
    connect(cancel_, &QPushButton::clicked, this, &TrainingPanel::cancelRequested);
    connect(useBest_, &QPushButton::clicked, this, [this] {
        if (!best_.isEmpty()) emit useCheckpoint(best_);
    });
    fillSwitches();
    redraw();
}

QSize TrainingPanel::sizeHint() const {
    return {900, 300};
}

void TrainingPanel::fillSwitches() {
    for (auto& [name, box] : switches_) delete box;
    switches_.clear();
    const auto cfg = models::defaultConfig(variant_->currentText().toStdString());
    int i = 0;
    for (const auto& [name, on] : cfg.switches) {
        auto* box = new QCheckBox(QString::fromStdString(name), this);
        box->setChecked(on);
        switchGrid_->addWidget(box, i / 3, i % 3);
        switches_[name] = box;
        ++i;
    }
    if (cfg.switches.empty()) {
        auto* none = new QCheckBox(tr("(none for this variant)"), this);
        none->setEnabled(false);
        switchGrid_->addWidget(none, 0, 0);
        switches_[""] = none;
    }
}

bool TrainingPanel::setVariant(const QString& variant,
                               const std::map<std::string, bool>& switches) {
    const int i = variant_->findText(variant);
    if (i < 0) return false;
    variant_->setCurrentIndex(i);  // refills the switches
    for (const auto& [name, on] : switches) {
        const auto it = switches_.find(name);
        if (it == switches_.end()) return false;
        it->second->setChecked(on);
    }
    return true;
}

void TrainingPanel::setData(const QString& features, const QString& labels, const QString& out) {
    features_->setText(features);
    labels_->setText(labels);
    out_->setText(out);
}

void TrainingPanel::setSizes(int hidden, int layers, int heads, int ff) {
    hidden_->setValue(hidden);
    layers_->setValue(layers);
    heads_->setValue(heads);
    ff_->setValue(ff);
}

void TrainingPanel::setEpochs(int epochs, int batch, double lr, int warmup) {
    epochs_->setValue(epochs);
    batch_->setValue(batch);
    lr_->setValue(lr);
    warmup_->setValue(warmup);
}

QString TrainingPanel::status() const {
    return status_->text();
}

void TrainingPanel::setStatus(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

bool TrainingPanel::start(bool resume) {
    if (running_) {
        setStatus(tr("Training is already under way."), true);
        return false;
    }
    if (features_->text().isEmpty() || labels_->text().isEmpty() || out_->text().isEmpty()) {
        setStatus(tr("Choose the feature, label and output folders."), true);
        return false;
    }
    // The variant's own optimiser and schedule (HAN: Adam, step decay), then the fields.
    models::TrainOptions o;
    try {
        o = models::defaultTrainOptions(variant_->currentText().toStdString());
    } catch (const std::exception& e) {
        setStatus(QString::fromStdString(avvp::core::oneLine(e.what())), true);
        return false;
    }
    o.features = features_->text().toStdString();
    o.labels = labels_->text().toStdString();
    o.out = out_->text().toStdString();
    for (const auto& [name, box] : switches_)
        if (!name.empty()) o.model.switches[name] = box->isChecked();
    o.model.hidden = hidden_->value();
    o.model.layers = layers_->value();
    o.model.heads = heads_->value();
    o.model.ff = ff_->value();
    o.epochs = epochs_->value();
    o.batch = batch_->value();
    o.lrMax = lr_->value();
    o.lrMin = lr_->value() / 100.0;
    o.warmupEpochs = warmup_->value();
    o.resume = resume;
    if (!resume) history_.clear();
    best_.clear();
    useBest_->setEnabled(false);
    redraw();
    setStatus(resume ? tr("Resuming…") : tr("Training…"));
    emit startRequested(
        o, threads_->value(),
        resume
            ? tr("Resume training %1").arg(QFileInfo(out_->text()).fileName())
            : tr("Train %1 → %2").arg(variant_->currentText(), QFileInfo(out_->text()).fileName()));
    return true;
}

void TrainingPanel::showStarted() {
    running_ = true;
    start_->setEnabled(false);
    resume_->setEnabled(false);
    cancel_->setEnabled(true);
}

void TrainingPanel::showProgress(const QString& stage, double fraction) {
    progress_->setValue(static_cast<int>(fraction * 1000));
    progress_->setFormat(stage + QStringLiteral("  %p%"));
}

void TrainingPanel::showFinished(const models::TrainResult& r) {
    best_ = QString::fromStdString(r.best.string());
    useBest_->setEnabled(!best_.isEmpty() && QFileInfo::exists(best_));
    setStatus((r.cancelled ? tr("Cancelled after epoch %1. ").arg(r.lastEpoch)
                           : tr("Done: %n epochs. ", nullptr, r.epochsRun)) +
              tr("Best: epoch %1, validation segment Type@AV %2 % → %3")
                  .arg(r.bestEpoch)
                  .arg(r.bestScore, 0, 'f', 2)
                  .arg(best_));
    if (!best_.isEmpty()) emit trained(best_);
}

void TrainingPanel::showFailed(const QString& error) {
    setStatus(tr("Training failed: %1").arg(error), true);
}

void TrainingPanel::showEnded(bool cancelled) {
    running_ = false;
    start_->setEnabled(true);
    resume_->setEnabled(true);
    cancel_->setEnabled(false);
    if (cancelled)
        setStatus(
            tr("Cancelled before the first checkpoint; Resume continues from "
               "last.ckpt when there is one."));
    // The folder's best checkpoint (of this or an earlier run) stays usable.
    if (best_.isEmpty()) {
        const QString best = QDir(out_->text()).filePath(QStringLiteral("best.ckpt"));
        if (QFileInfo::exists(best)) best_ = best;
    }
    useBest_->setEnabled(!best_.isEmpty());
}

void TrainingPanel::addEpoch(const models::EpochReport& report) {
    // A resumed run repeats no epochs; drop any we had from a cancelled attempt.
    std::erase_if(history_, [&](const auto& r) { return r.epoch >= report.epoch; });
    history_.push_back(report);
    setStatus(
        tr("Epoch %1/%2: train loss %3, val loss %4, val segment Type@AV %5 %%6")
            .arg(report.epoch)
            .arg(report.epochs)
            .arg(report.trainLoss.count("total") ? report.trainLoss.at("total") : 0.0, 0, 'f', 4)
            .arg(report.valLoss.count("total") ? report.valLoss.at("total") : 0.0, 0, 'f', 4)
            .arg(report.val.segment[3], 0, 'f', 2)
            .arg(report.best ? tr("  (best so far)") : QString()));
    redraw();
    emit epochReported(report.epoch);
}

void TrainingPanel::redraw() {
    loss_->clearGraphs();
    scores_->clearGraphs();
    // Loss terms: every key of the reports, train solid, validation dashed.
    std::map<std::string, int> terms;
    for (const auto& r : history_)
        for (const auto& [k, v] : r.trainLoss) terms.emplace(k, static_cast<int>(terms.size()));
    for (const auto& [term, index] : terms) {
        const QColor color = kColors[static_cast<std::size_t>(index) % std::size(kColors)];
        for (const bool val : {false, true}) {
            auto* g = loss_->addGraph();
            g->setName(QString::fromStdString(term));
            g->setPen(QPen(color, val ? 1.2 : 2.0, val ? Qt::DashLine : Qt::SolidLine));
            if (val) g->removeFromLegend();  // one entry a term: the colour
            for (const auto& r : history_) {
                const auto& m = val ? r.valLoss : r.trainLoss;
                if (const auto it = m.find(term); it != m.end()) g->addData(r.epoch, it->second);
            }
        }
    }
    const char* names[] = {"A", "V", "AV", "Type@AV", "Event@AV"};
    for (int i = 0; i < 5; ++i) {
        auto* g = scores_->addGraph();
        g->setName(tr("seg %1").arg(QLatin1String(names[i])));
        g->setPen(QPen(kColors[i], i == 3 ? 2.6 : 1.2));
        for (const auto& r : history_)
            g->addData(r.epoch, r.val.segment[static_cast<std::size_t>(i)]);
    }
    auto* best = scores_->addGraph();
    best->setName(tr("best checkpoint"));
    best->setLineStyle(QCPGraph::lsNone);
    best->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, QColor(214, 39, 40), 14));
    for (const auto& r : history_)
        if (r.best) best->addData(r.epoch, r.val.segment[3]);
    auto* lr = scores_->addGraph(scores_->xAxis, scores_->yAxis2);
    lr->setName(tr("lr"));
    lr->setPen(QPen(QColor(120, 120, 120), 1, Qt::DotLine));
    for (const auto& r : history_) lr->addData(r.epoch, r.lr);
    // μ of S-LOSS, when the model reports it among its learnable scalars (LINK).
    bool hasMu = false;
    auto* mu = scores_->addGraph(scores_->xAxis, muAxis_);
    mu->setName(tr("μ"));
    mu->setPen(QPen(QColor(23, 190, 207), 1.5));
    for (const auto& r : history_)
        if (const auto it = r.scalars.find("mu"); it != r.scalars.end()) {
            mu->addData(r.epoch, it->second);
            hasMu = true;
        }
    if (!hasMu) scores_->removeGraph(mu);
    muAxis_->setVisible(hasMu);
    const double epochs = std::max(2, epochs_->value());
    for (auto* p : {loss_, scores_}) {
        p->rescaleAxes();
        p->xAxis->setRange(0.5, epochs + 0.5);
    }
    if (hasMu) muAxis_->scaleRange(1.2);  // rescaled to μ's values: a margin around them
    scores_->yAxis->setRange(0, 100);
    loss_->yAxis->setRangeLower(0);
    loss_->replot(QCustomPlot::rpQueuedReplot);
    scores_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace avvp::ui

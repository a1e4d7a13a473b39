#include "ui/panels/evaluation_panel.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

#include "core/evaluation.h"
#include "core/store/store.h"
#include "ui/document.h"
#include "ui/export/figure_export.h"
#include "ui/labels.h"
#include "ui/widgets/plot_interaction.h"
#include "ui/widgets/plot_legend.h"
#include "ui/widgets/run_rename.h"

namespace avvp::ui {

namespace {

QTableView* makeTable(QWidget* parent, QAbstractItemModel* model) {
    auto* t = new QTableView(parent);
    t->setModel(model);
    t->verticalHeader()->hide();
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    t->setAlternatingRowColors(true);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

}  // namespace

EvaluationPanel::EvaluationPanel(Document* document, QWidget* parent)
    : QWidget(parent), doc_(document) {
    setA_ = new QComboBox(this);
    setB_ = new QComboBox(this);
    // A set that is a prediction run is renamed from its combo's context menu, as on the
    // timeline.
    for (auto* combo : {setA_, setB_})
        enableRunRename(
            combo,
            [this, combo]() -> std::optional<ComboRun> {
                const QString key = combo->currentData().toString();
                if (!key.startsWith(QLatin1String("pred:"))) return std::nullopt;
                const qint64 id = key.mid(5).toLongLong();
                for (const auto& r : doc_->runs())
                    if (r.id == id) return ComboRun{id, QString::fromStdString(r.name)};
                return std::nullopt;
            },
            [this](qint64 run, const QString& name) { emit renameRunRequested(run, name); });

    split_ = new QComboBox(this);
    split_->addItem(splitLabel(core::Split::Test), QStringLiteral("test"));
    split_->addItem(splitLabel(core::Split::Val), QStringLiteral("val"));
    split_->addItem(tr("all videos"), QStringLiteral("all"));
    // The user's own videos (no LLP split), of any length: scored each over its own
    // segments.
    split_->addItem(tr("own videos (no split)"), QStringLiteral("own"));
    evaluate_ = new QPushButton(tr("Evaluate"), this);
    evaluate_->setToolTip(
        tr("Score the sets against the ground truth of the split (runs in the background)"));
    coveredOnly_ = new QCheckBox(tr("Only the videos it covers"), this);
    coveredOnly_->setToolTip(
        tr("Score each set over the videos it has labels for (a run's predicted videos, the "
           "corrected videos) instead of every video of the split"));
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setEnabled(false);
    save_ = new QPushButton(tr("Save to store"), this);
    save_->setToolTip(
        tr("Record the scores in the store's evaluations table (as avvp eval --save)"));
    save_->setEnabled(false);
    exportChart_ = new QPushButton(tr("Export chart…"), this);
    exportChart_->setEnabled(false);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    coverage_ = new QLabel(this);
    coverage_->setWordWrap(true);
    coverage_->hide();
    protocol_ = new QLabel(protocolText(), this);
    protocol_->setWordWrap(true);
    protocol_->setStyleSheet(QStringLiteral("color: palette(mid);"));

    summaryModel_ = new EvalSummaryModel(this);
    classModel_ = new EvalClassModel(this);
    videoModel_ = new EvalVideoModel(this);
    videoProxy_ = new QSortFilterProxyModel(this);
    videoProxy_->setSourceModel(videoModel_);
    videoProxy_->setSortRole(EvalVideoModel::SortRole);
    summary_ = makeTable(this, summaryModel_);
    summary_->setColumnWidth(0, 170);
    summary_->setColumnWidth(1, 80);
    summary_->setColumnWidth(2, 80);
    classes_ = makeTable(this, classModel_);
    classes_->setColumnWidth(0, 150);
    videos_ = makeTable(this, videoProxy_);
    videos_->setSortingEnabled(true);
    videos_->setColumnWidth(0, 160);
    videos_->setToolTip(
        tr("Click a video to open it with set A's run on the timeline; sort by "
           "score to find the failures"));

    level_ = new QComboBox(this);
    level_->addItem(tr("Segment level"));
    level_->addItem(tr("Event level"));
    lane_ = new QComboBox(this);
    lane_->addItem(tr("Audio"));
    lane_->addItem(tr("Visual"));
    lane_->addItem(tr("Audio-Visual"));
    metric_ = new QComboBox(this);
    for (int m = 0; m < 2 * core::kNumMetrics; ++m) metric_->addItem(metricName(m), m);
    metric_->setCurrentIndex(3);

    for (auto* c : {setA_, setB_, split_, level_, lane_, metric_}) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(6);
    }
    chart_ = new QCustomPlot(this);
    // Room for 25 rotated class names under readable bars; zoom and pan with the mouse,
    // double-click for all classes again.
    chart_->setMinimumSize(360, 240);
    makeInteractive(chart_, [this] { updateChart(); });
    // Title and legend in rows of their own above the bars.
    chart_->plotLayout()->insertRow(0);
    chartTitle_ = new QCPTextElement(chart_, QString());
    chart_->plotLayout()->addElement(0, 0, chartTitle_);
    placeLegendOutside(chart_, LegendPlace::Above);
    chart_->plotLayout()->setRowStretchFactor(0, 0.001);

    auto* classTab = new QWidget(this);
    auto* classLay = new QVBoxLayout(classTab);
    auto* classBar = new QHBoxLayout;
    classBar->addWidget(level_);
    classBar->addWidget(new QLabel(tr("Chart:"), classTab));
    classBar->addWidget(lane_);
    classBar->addStretch(1);
    classBar->addWidget(exportChart_);
    classLay->addLayout(classBar);
    // The chart scrolls in a narrow dock rather than squeezing its 25 class names.
    auto* chartScroll = new QScrollArea(classTab);
    chartScroll->setWidgetResizable(true);
    chartScroll->setFrameShape(QFrame::NoFrame);
    chartScroll->setWidget(chart_);
    classLay->addWidget(chartScroll, 2);
    classLay->addWidget(classes_, 3);
    auto* videoTab = new QWidget(this);
    auto* videoLay = new QVBoxLayout(videoTab);
    auto* videoBar = new QHBoxLayout;
    videoBar->addWidget(new QLabel(tr("Score:"), videoTab));
    videoBar->addWidget(metric_);
    videoBar->addStretch(1);
    videoLay->addLayout(videoBar);
    videoLay->addWidget(videos_);
    tabs_ = new QTabWidget(this);
    tabs_->addTab(summary_, tr("Scores"));
    tabs_->addTab(classTab, tr("Per class"));
    tabs_->addTab(videoTab, tr("Per video"));
    prChart_ = new QCustomPlot(this);
    prChart_->setMinimumSize(360, 280);
    prChart_->plotLayout()->insertRow(0);
    prTitle_ = new QCPTextElement(prChart_, QString());
    prChart_->plotLayout()->addElement(0, 0, prTitle_);
    prChart_->plotLayout()->setRowStretchFactor(0, 0.001);
    prChart_->xAxis->setLabel(tr("Recall"));
    prChart_->yAxis->setLabel(tr("Precision"));
    prChart_->xAxis->setRange(0, 1);
    prChart_->yAxis->setRange(0, 1.02);
    prChart_->legend->setVisible(true);
    prChart_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
    tabs_->addTab(prChart_, tr("Precision-recall"));
    showAveragePrecision(std::nullopt);

    auto* grid = new QGridLayout;
    grid->addWidget(new QLabel(tr("Set A:"), this), 0, 0);
    grid->addWidget(setA_, 0, 1);
    grid->addWidget(new QLabel(tr("Set B:"), this), 1, 0);
    grid->addWidget(setB_, 1, 1);
    grid->addWidget(new QLabel(tr("Split:"), this), 2, 0);
    auto* row = new QHBoxLayout;
    row->addWidget(split_);
    row->addWidget(evaluate_);
    row->addWidget(cancel_);
    row->addStretch(1);
    grid->addLayout(row, 2, 1);
    auto* row2 = new QHBoxLayout;
    row2->addWidget(coveredOnly_);
    row2->addStretch(1);
    row2->addWidget(save_);
    grid->addLayout(row2, 3, 1);
    grid->setColumnStretch(1, 1);
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 4);
    lay->addLayout(grid);
    lay->addWidget(protocol_);
    lay->addWidget(status_);
    lay->addWidget(coverage_);
    lay->addWidget(tabs_, 1);

    connect(evaluate_, &QPushButton::clicked, this, [this] { evaluate(); });
    connect(cancel_, &QPushButton::clicked, this, &EvaluationPanel::cancelRequested);
    connect(save_, &QPushButton::clicked, this, &EvaluationPanel::saveRequested);
    connect(exportChart_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export chart"), QStringLiteral("per_class.svg"), figureFileFilter());
        if (path.isEmpty()) return;
        QString error;
        if (!exportChart(path, &error)) QMessageBox::warning(this, tr("Export chart"), error);
    });
    connect(level_, &QComboBox::currentIndexChanged, this, [this](int i) {
        classModel_->setEventLevel(i == 1);
        updateChart();
    });
    connect(lane_, &QComboBox::currentIndexChanged, this, &EvaluationPanel::updateChart);
    connect(metric_, &QComboBox::currentIndexChanged, this,
            [this] { videoModel_->setMetric(metric_->currentData().toInt()); });
    // A row opens its video with set A's run (when A is one) as the timeline's predictions.
    const auto openVideo = [this](const QModelIndex& idx) {
        if (selA_ && selA_->source == store::Source::Prediction && selA_->run &&
            doc_->run() != selA_->run)
            doc_->setRun(selA_->run);
        emit videoActivated(idx.siblingAtColumn(EvalVideoModel::ColVideo).data().toString());
    };
    connect(videos_, &QTableView::clicked, this, openVideo);
    connect(videos_, &QTableView::activated, this, openVideo);
    connect(doc_, &Document::opened, this, &EvaluationPanel::fillSets);
    connect(doc_, &Document::changed, this, [this](const store::Change& c) {
        if (c.runs || c.external) fillSets();
    });
    fillSets();
    updateChart();
}

QString EvaluationPanel::protocolName() const {
    return QString::fromStdString(a_ ? a_->result.protocol : std::string(core::kAvvpProtocol));
}

QString EvaluationPanel::protocolText() const {
    QString text =
        tr("Protocol: %1 — segment- and event-level F1 in percent, the mean over the videos; "
           "events are scored in whole seconds as `avvp eval` does.")
            .arg(protocolName());
    if (a_ && a_->result.anyLength())
        text += QLatin1Char(' ') + tr("Videos of %1 to %2 one-second segments.")
                                       .arg(a_->result.minSegments)
                                       .arg(a_->result.maxSegments);
    return text;
}

bool EvaluationPanel::coveredOnly() const {
    return coveredOnly_->isChecked();
}

void EvaluationPanel::fillSets() {
    // Keep the choice while the same project stays open; a new project starts at its run.
    const bool same = setsFor_ == doc_->path();
    setsFor_ = doc_->path();
    const QString keepA = same ? setA_->currentData().toString() : QString();
    const QString keepB = same ? setB_->currentData().toString() : QString();
    setA_->clear();
    setB_->clear();
    setB_->addItem(tr("(none)"), QString());
    for (auto* c : {setA_, setB_}) {
        for (const auto& r : doc_->runs())
            c->addItem(tr("Predictions: %1").arg(QString::fromStdString(r.name)),
                       QStringLiteral("pred:%1").arg(r.id));
        c->addItem(tr("Corrections (all annotators)"), QStringLiteral("corr"));
        if (doc_->isOpen())
            c->addItem(tr("Corrections by %1").arg(doc_->annotator()),
                       QStringLiteral("corr:") + doc_->annotator());
    }
    if (const int i = setA_->findData(keepA); i >= 0) setA_->setCurrentIndex(i);
    if (const int i = setB_->findData(keepB); i >= 0) setB_->setCurrentIndex(i);
    evaluate_->setEnabled(doc_->isOpen() && !running_);
}

std::optional<store::LabelSelection> EvaluationPanel::selection(const QComboBox* combo) const {
    const QString key = combo->currentData().toString();
    if (key.isEmpty()) return std::nullopt;
    store::LabelSelection sel;
    if (key.startsWith(QLatin1String("pred:"))) {
        sel.source = store::Source::Prediction;
        sel.run = key.mid(5).toLongLong();
    } else {
        sel.source = store::Source::Correction;
        if (key.startsWith(QLatin1String("corr:"))) sel.annotator = key.mid(5).toStdString();
    }
    const QString split = split_->currentData().toString();
    if (split == QLatin1String("own")) {
        // Named one by one: a selection by split has no "none".
        store::VideoFilter f;
        f.withoutSplit = true;
        if (const auto* s = doc_->store())
            for (const auto& v : s->videos(f)) sel.videos.push_back(v.video.filename);
        if (sel.videos.empty()) sel.videos.emplace_back();  // no own video: nothing to score
    } else if (split != QLatin1String("all")) {
        sel.split = core::splitFromName(split.toStdString());
    }
    return sel;
}

bool EvaluationPanel::evaluate() {
    if (!doc_->isOpen() || running_) return false;
    const auto a = selection(setA_);
    if (!a) return false;
    const auto b = selection(setB_);
    pendingA_ = setA_->currentText();
    pendingB_ = setB_->currentText();
    pendingSelA_ = a;
    pendingSelB_ = b;
    splitText_ = split_->currentText();
    splitKey_ = split_->currentData().toString();
    status_->setText(tr("Evaluating…"));
    emit evaluateRequested(*a, b, tr("Evaluate %1 on %2").arg(pendingA_, splitText_));
    return true;
}

void EvaluationPanel::showStarted() {
    running_ = true;
    evaluate_->setEnabled(false);
    cancel_->setEnabled(true);
}

void EvaluationPanel::showProgress(const QString& stage, double fraction) {
    if (!running_) return;
    status_->setText(tr("Evaluating… %1 (%2 %)").arg(stage).arg(static_cast<int>(fraction * 100)));
}

void EvaluationPanel::showAveragePrecision(const std::optional<core::ApReport>& ap) {
    prChart_->clearGraphs();
    if (!ap) {
        prTitle_->setText(tr("Precision-recall: set A has no probabilities (a model run has)"));
        prChart_->legend->setVisible(false);
        prChart_->replot();
        return;
    }
    prTitle_->setText(tr("%1, set A, %n video(s)", nullptr, ap->videos)
                          .arg(QString::fromUtf8(ap->protocol.c_str())));
    const QString names[3] = {tr("Audio"), tr("Visual"), tr("Audio-Visual")};
    const QColor colours[3] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28),
                               QColor(0x2c, 0xa0, 0x2c)};
    for (std::size_t m = 0; m < 3; ++m) {
        auto* g = prChart_->addGraph();
        g->setPen(QPen(colours[m], 2));
        g->setLineStyle(QCPGraph::lsStepLeft);
        QVector<double> x, y;
        for (const auto& p : ap->microCurve[m]) {
            x << p.recall;
            y << p.precision;
        }
        g->setData(x, y, true);
        g->setName(std::isnan(ap->map[m]) ? tr("%1: no positives").arg(names[m])
                                          : tr("%1: mAP %2, micro AP %3")
                                                .arg(names[m])
                                                .arg(100.0 * ap->map[m], 0, 'f', 1)
                                                .arg(100.0 * ap->microAp[m], 0, 'f', 1));
    }
    prChart_->legend->setVisible(true);
    prChart_->replot();
}

void EvaluationPanel::showScores(const core::EvalResult& a,
                                 const std::optional<core::EvalResult>& b,
                                 const std::optional<store::Coverage>& coverageA,
                                 const std::optional<store::Coverage>& coverageB) {
    selA_ = pendingSelA_;
    selB_ = pendingSelB_;
    coverageA_ = coverageA;
    coverageB_ = b ? coverageB : std::nullopt;
    // Scores over the covered videos alone name it with the set.
    const auto name = [](const QString& set, const std::optional<store::Coverage>& c) {
        return c && c->coveredOnly ? tr("%1 (over %2 covered videos)").arg(set).arg(c->covered)
                                   : set;
    };
    a_ = ScoredSet{name(pendingA_, coverageA_), a};
    b_.reset();
    if (b) b_ = ScoredSet{name(pendingB_, coverageB_), *b};
    showResults();
    showCoverage();
}

void EvaluationPanel::showCoverage() {
    coverageWarning_ = false;
    if (!coverageA_) {
        coverage_->hide();
        return;
    }
    const bool split = splitKey_ == QLatin1String("test") || splitKey_ == QLatin1String("val");
    const auto covers = [&](const QString& set, const store::Coverage& c) {
        return (split ? tr("Set %1 covers %2 of %3 videos of the %4 split.")
                      : tr("Set %1 covers %2 of %3 videos (%4)."))
            .arg(set)
            .arg(c.covered)
            .arg(c.videos)
            .arg(splitText_);
    };
    QStringList lines;
    bool partial = false;
    for (const auto& [set, c] :
         {std::pair{QStringLiteral("A"), coverageA_}, std::pair{QStringLiteral("B"), coverageB_}}) {
        if (!c) continue;
        QString line = covers(set, *c);
        if (c->coveredOnly)
            line += QLatin1Char(' ') + tr("Scored over those %1 videos only.").arg(c->covered);
        else if (!c->complete()) {
            partial = true;
            line += QLatin1Char(' ') +
                    tr("The %1 videos it leaves out count as labelled empty: tick “Only the "
                       "videos it covers” to score over the covered ones.")
                        .arg(c->videos - c->covered);
        }
        lines << line;
    }
    coverageWarning_ = partial;
    coverage_->setText((partial ? QStringLiteral("⚠ ") : QString()) + lines.join(QLatin1Char(' ')));
    coverage_->setStyleSheet(partial ? QStringLiteral("color: #b35900; font-weight: bold;")
                                     : QString());
    coverage_->setToolTip(partial ? tr("Scores over videos the set never labelled understate it")
                                  : QString());
    coverage_->show();
}

void EvaluationPanel::showFailed(const QString& error) {
    status_->setText(tr("Evaluation failed: %1").arg(error));
}

void EvaluationPanel::showEnded(bool cancelled) {
    if (cancelled) status_->setText(tr("Evaluation cancelled."));
    running_ = false;
    evaluate_->setEnabled(doc_->isOpen());
    cancel_->setEnabled(false);
}

void EvaluationPanel::showSaved(bool ok, const QString& error) {
    status_->setText(ok ? tr("Scores saved in the store.") : tr("Could not save: %1").arg(error));
}

void EvaluationPanel::showResults() {
    protocol_->setText(protocolText());
    summaryModel_->setSets(a_ ? &*a_ : nullptr, b_ ? &*b_ : nullptr);
    classModel_->setSets(a_ ? &*a_ : nullptr, b_ ? &*b_ : nullptr);
    videoModel_->setSets(a_ ? &*a_ : nullptr, b_ ? &*b_ : nullptr);
    for (int c = 1; c < classModel_->columnCount(); ++c) classes_->setColumnWidth(c, 70);
    save_->setEnabled(a_.has_value());
    exportChart_->setEnabled(a_.has_value());
    if (a_) {
        QString text = tr("%1 videos of the %2 split scored. A = %3")
                           .arg(a_->result.videos.size())
                           .arg(splitText_, a_->name);
        if (b_) text += tr("; B = %1").arg(b_->name);
        status_->setText(text);
        QHash<QString, double> scores;
        for (std::size_t i = 0; i < a_->result.videos.size(); ++i)
            scores.insert(QString::fromStdString(a_->result.videos[i]),
                          EvalVideoModel::videoScore(a_->result, i, 3));
        emit scoresReady(scores, tr("Type@AV %"));
    }
    updateChart();
}

void EvaluationPanel::updateChart() {
    chart_->clearPlottables();
    const bool eventLevel = level_->currentIndex() == 1;
    const int lane = lane_->currentIndex();
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int c = 0; c < core::kNumClasses; ++c) ticker->addTick(c, className(c));
    chart_->xAxis->setTicker(ticker);
    chart_->xAxis->setTickLabelRotation(60);
    chart_->xAxis->setRange(-0.7, core::kNumClasses - 0.3);
    chart_->yAxis->setRange(0, 100);
    chart_->yAxis->setLabel(tr("F1 (%)"));
    QFont f = font();
    f.setPointSizeF(std::max(6.0, f.pointSizeF() - 2));
    chart_->xAxis->setTickLabelFont(f);
    chart_->legend->setVisible(a_.has_value());
    chartTitle_->setText(a_ ? tr("Per-class F1, %1, %2 — %3")
                                  .arg(lane_->currentText(), level_->currentText(), protocolName())
                            : QString());
    chartTitle_->setFont(f);
    chart_->legend->setFont(f);
    if (!a_) {
        chart_->replot();
        return;
    }
    delete barsGroup_;  // the bars it grouped went with clearPlottables()
    barsGroup_ = new QCPBarsGroup(chart_);
    auto* group = barsGroup_;
    auto addBars = [&](const ScoredSet& set, const QColor& colour) {
        auto* bars = new QCPBars(chart_->xAxis, chart_->yAxis);
        bars->setName(set.name);
        bars->setPen(QPen(colour.darker(130)));
        bars->setBrush(colour);
        bars->setWidth(b_ ? 0.4 : 0.7);
        bars->setBarsGroup(group);
        QVector<double> keys, values;
        for (int c = 0; c < core::kNumClasses; ++c) {
            keys << c;
            values << std::max(0.0, EvalClassModel::classScore(set.result, c, lane, eventLevel));
        }
        bars->setData(keys, values);
    };
    addBars(*a_, QColor(47, 111, 200));
    if (b_) addBars(*b_, QColor(226, 132, 28));
    chart_->replot();
}

bool EvaluationPanel::exportChart(const QString& path, QString* error) {
    const QSize size(std::max(700, chart_->width()), std::max(320, chart_->height()));
    return saveFigure(
        path, size, tr("Per-class F1 (%1)").arg(protocolName()),
        [this, size](QPaintDevice* device) {
            QCPPainter painter(device);
            chart_->toPainter(&painter, size.width(), size.height());
        },
        error);
}

}  // namespace avvp::ui

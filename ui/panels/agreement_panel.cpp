#include "ui/panels/agreement_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "core/taxonomy.h"
#include "ui/document.h"
#include "ui/labels.h"

namespace avvp::ui {

namespace {

QTableWidget* makeTable(QWidget* parent, const QStringList& headers) {
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->verticalHeader()->setVisible(false);
    // The names take what the numbers leave (the dock is narrow).
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    t->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    return t;
}

QTableWidgetItem* number(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString kappaText(const core::KappaCounts& k) {
    const auto v = k.kappa();
    return v ? QString::number(*v, 'f', 3) : AgreementPanel::tr("undefined");
}

}  // namespace

AgreementPanel::AgreementPanel(Document* document, QWidget* parent)
    : QWidget(parent), doc_(document) {
    setObjectName(QStringLiteral("agreementPanel"));
    reference_ = new QComboBox(this);
    reference_->setObjectName(QStringLiteral("agreementReference"));
    other_ = new QComboBox(this);
    other_->setObjectName(QStringLiteral("agreementOther"));
    split_ = new QComboBox(this);
    split_->addItem(tr("test"), QStringLiteral("test"));
    split_->addItem(tr("val"), QStringLiteral("val"));
    split_->addItem(tr("train"), QStringLiteral("train"));
    split_->addItem(tr("all videos"), QStringLiteral("all"));
    onlyEdited_ = new QCheckBox(tr("Only videos both corrected"), this);
    compute_ = new QPushButton(tr("Compute"), this);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    reference_->setToolTip(tr("Annotator A: the reference (the ground truth of the scores)"));
    other_->setToolTip(tr("Annotator B: scored against A"));

    auto* form = new QFormLayout;
    form->addRow(tr("Annotator A (reference)"), reference_);
    form->addRow(tr("Annotator B"), other_);
    form->addRow(tr("Split"), split_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(onlyEdited_);
    buttons->addStretch(1);
    buttons->addWidget(compute_);

    scores_ = makeTable(
        this, {tr("Level"), tr("Audio"), tr("Visual"), tr("AV"), tr("Type@AV"), tr("Event@AV")});
    scores_->setObjectName(QStringLiteral("agreementScores"));
    kappa_ = makeTable(this, {tr("Class"), tr("Audio κ"), tr("Visual κ"), tr("Segments")});
    kappa_->setObjectName(QStringLiteral("agreementKappa"));
    videos_ = makeTable(this, {tr("Video"), tr("Differing cells"), tr("Audio"), tr("Visual")});
    videos_->setObjectName(QStringLiteral("agreementVideos"));
    videos_->setToolTip(tr("Segment × class cells where A and B differ; click to open the video"));
    tabs_ = new QTabWidget(this);
    tabs_->addTab(scores_, tr("Scores"));
    tabs_->addTab(kappa_, tr("Kappa"));
    tabs_->addTab(videos_, tr("Videos"));

    auto* lay = new QVBoxLayout(this);
    lay->addLayout(form);
    lay->addLayout(buttons);
    lay->addWidget(status_);
    lay->addWidget(tabs_, 1);

    connect(compute_, &QPushButton::clicked, this, [this] { compute(); });
    connect(videos_, &QTableWidget::cellClicked, this, [this](int row, int) {
        if (const auto* item = videos_->item(row, 0)) emit videoActivated(item->text());
    });
    connect(doc_, &Document::opened, this, [this] { refreshAnnotators(); });
    connect(doc_, &Document::closed, this, [this] { refreshAnnotators(); });
    connect(doc_, &Document::changed, this, [this](const store::Change& c) {
        if (c.events || c.external) refreshAnnotators();
    });
    refreshAnnotators();
}

void AgreementPanel::refreshAnnotators() {
    const QString a = reference_->currentText();
    const QString b = other_->currentText();
    QStringList names;
    if (const auto* s = doc_->store())
        for (const auto& n : store::correctionAnnotators(*s)) names << QString::fromStdString(n);
    for (auto* combo : {reference_, other_}) {
        const QSignalBlocker block(combo);
        combo->clear();
        combo->addItems(names);
    }
    reference_->setCurrentIndex(std::max(0, static_cast<int>(names.indexOf(a))));
    const auto ib = names.indexOf(b);
    other_->setCurrentIndex(ib >= 0 ? static_cast<int>(ib) : (names.size() > 1 ? 1 : 0));
    compute_->setEnabled(!names.isEmpty() && !running_);
    if (names.isEmpty())
        status_->setText(doc_->isOpen() ? tr("No annotator has corrected anything in this store.")
                                        : QString());
}

bool AgreementPanel::compute() {
    if (running_ || reference_->currentIndex() < 0 || other_->currentIndex() < 0) return false;
    store::AgreementRequest r;
    r.reference = reference_->currentText().toStdString();
    r.other = other_->currentText().toStdString();
    const QString split = split_->currentData().toString();
    if (split != QLatin1String("all")) r.split = core::splitFromName(split.toStdString());
    r.onlyEdited = onlyEdited_->isChecked();
    emit computeRequested(
        r, tr("Agreement of %1 against %2").arg(other_->currentText(), reference_->currentText()));
    return true;
}

void AgreementPanel::showStarted() {
    running_ = true;
    compute_->setEnabled(false);
    status_->setText(tr("Computing…"));
}

void AgreementPanel::showProgress(const QString& stage, double fraction) {
    status_->setText(tr("Computing… %1 (%2%)").arg(stage).arg(qRound(100 * fraction)));
}

void AgreementPanel::showResult(const store::StoreAgreement& result) {
    const auto& r = result.result;
    scores_->setRowCount(2);
    const std::array<const std::array<double, core::kNumMetrics>*, 2> levels = {
        &r.scores.dataset.segment, &r.scores.dataset.event};
    for (int row = 0; row < 2; ++row) {
        scores_->setItem(row, 0, new QTableWidgetItem(row == 0 ? tr("Segment") : tr("Event")));
        for (int m = 0; m < core::kNumMetrics; ++m)
            scores_->setItem(
                row, m + 1,
                number(QString::number(
                    (*levels[static_cast<std::size_t>(row)])[static_cast<std::size_t>(m)], 'f',
                    2)));
    }
    kappa_->setRowCount(core::kNumClasses + 1);
    int undefined = 0;
    for (int c = 0; c <= core::kNumClasses; ++c) {
        const bool overall = c == core::kNumClasses;
        const auto& ka = overall ? r.overall[0] : r.perClass[0][static_cast<std::size_t>(c)];
        const auto& kv = overall ? r.overall[1] : r.perClass[1][static_cast<std::size_t>(c)];
        undefined += overall ? 0 : (ka.kappa() ? 0 : 1) + (kv.kappa() ? 0 : 1);
        kappa_->setItem(c, 0,
                        new QTableWidgetItem(overall ? tr("Overall (all classes)") : className(c)));
        kappa_->setItem(c, 1, number(kappaText(ka)));
        kappa_->setItem(c, 2, number(kappaText(kv)));
        kappa_->setItem(c, 3, number(QString::number(ka.cells)));
    }
    videos_->setRowCount(static_cast<int>(r.ranked.size()));
    int differing = 0;
    for (int i = 0; i < static_cast<int>(r.ranked.size()); ++i) {
        const auto& v = r.ranked[static_cast<std::size_t>(i)];
        differing += v.total() > 0 ? 1 : 0;
        videos_->setItem(i, 0, new QTableWidgetItem(QString::fromStdString(v.video)));
        videos_->setItem(i, 1, number(QString::number(v.total())));
        videos_->setItem(i, 2, number(QString::number(v.cells[0])));
        videos_->setItem(i, 3, number(QString::number(v.cells[1])));
    }
    QString text = tr("%1 videos; %2 differ. Scores of B against A (AVVP protocol, F in %).")
                       .arg(r.ranked.size())
                       .arg(differing);
    if (undefined > 0)
        text += QLatin1Char(' ') +
                tr("κ is undefined for %n class-modality pair(s) both label the same in every "
                   "segment.",
                   nullptr, undefined);
    status_->setText(text);
}

void AgreementPanel::showFailed(const QString& error) {
    status_->setText(tr("Agreement failed: %1").arg(error));
}

void AgreementPanel::showEnded(bool cancelled) {
    running_ = false;
    compute_->setEnabled(reference_->count() > 0);
    if (cancelled) status_->setText(tr("Cancelled."));
}

}  // namespace avvp::ui

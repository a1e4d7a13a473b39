#include "ui/panels/queue_panel.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "core/taxonomy.h"
#include "ui/document.h"
#include "ui/labels.h"

namespace avvp::ui {

namespace {

enum Column { kVideo, kModality, kClass, kSegment, kProbability, kScore, kReason, kColumns };

QTableWidgetItem* number(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

bool walkKey(int key) {
    return key == Qt::Key_J || key == Qt::Key_K || key == Qt::Key_Return || key == Qt::Key_Enter ||
           key == Qt::Key_Up || key == Qt::Key_Down;
}

}  // namespace

QueuePanel::QueuePanel(Document* document, QWidget* parent) : QWidget(parent), doc_(document) {
    setObjectName(QStringLiteral("queuePanel"));
    run_ = new QComboBox(this);
    run_->setObjectName(QStringLiteral("queueRun"));
    split_ = new QComboBox(this);
    split_->addItem(tr("all videos"), QStringLiteral("all"));
    split_->addItem(tr("test"), QStringLiteral("test"));
    split_->addItem(tr("val"), QStringLiteral("val"));
    split_->addItem(tr("train"), QStringLiteral("train"));
    class_ = new QComboBox(this);
    class_->addItem(tr("All classes"), -1);
    for (int c = 0; c < core::kNumClasses; ++c) class_->addItem(className(c), c);
    modality_ = new QComboBox(this);
    modality_->addItem(tr("Audio and visual"), -1);
    modality_->addItem(modalityLabel(core::Modality::Audio), 0);
    modality_->addItem(modalityLabel(core::Modality::Visual), 1);
    limit_ = new QSpinBox(this);
    limit_->setRange(1, 100000);
    limit_->setValue(500);
    limit_->setToolTip(tr("How many of the ranked cells to list"));
    rank_ = new QPushButton(tr("Rank"), this);
    status_ = new QLabel(this);
    status_->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Run"), run_);
    form->addRow(tr("Split"), split_);
    auto* filters = new QHBoxLayout;
    filters->addWidget(class_, 1);
    filters->addWidget(modality_, 1);
    form->addRow(tr("Filter"), filters);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(new QLabel(tr("Show"), this));
    buttons->addWidget(limit_);
    buttons->addStretch(1);
    buttons->addWidget(rank_);

    table_ = new QTableWidget(0, kColumns, this);
    table_->setObjectName(QStringLiteral("queueTable"));
    table_->setHorizontalHeaderLabels({tr("Video"), tr("Modality"), tr("Class"), tr("Segment"),
                                       tr("Probability"), tr("Score"), tr("Reason")});
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->setVisible(false);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setToolTip(
        tr("Up / Down or J / K walk the queue and open each cell's video at its segment; "
           "Enter opens the current one again"));
    table_->installEventFilter(this);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(status_);
    layout->addWidget(table_, 1);

    connect(rank_, &QPushButton::clicked, this, [this] { rank(); });
    connect(table_, &QTableWidget::currentCellChanged, this,
            [this](int row, int, int previous, int) {
                if (!filling_ && row >= 0 && row != previous) open(row);
            });
    connect(table_, &QTableWidget::cellActivated, this, [this](int row, int) { open(row); });
    // A new choice re-ranks once a queue is shown.
    for (auto* combo : {split_, class_, modality_, run_})
        connect(combo, &QComboBox::currentIndexChanged, this, [this] {
            if (ranked_ && !filling_) rank();
        });
    connect(doc_, &Document::opened, this, [this] {
        ranked_ = false;
        refreshRuns();
    });
    connect(doc_, &Document::changed, this, [this](const store::Change& c) {
        if (c.runs || c.external) refreshRuns();
    });
    refreshRuns();
    showEnded(false);
}

void QueuePanel::refreshRuns() {
    const QVariant before = run_->currentData();
    filling_ = true;
    run_->clear();
    if (doc_->isOpen())
        for (const auto& r : doc_->runs())
            run_->addItem(QString::fromStdString(r.name), QVariant::fromValue<qint64>(r.id));
    int index = run_->findData(before);
    if (index < 0 && doc_->isOpen())
        if (const auto shown = doc_->run())
            index = run_->findData(QVariant::fromValue<qint64>(*shown));
    run_->setCurrentIndex(std::max(index, 0));
    filling_ = false;
    rank_->setEnabled(!running_ && run_->count() > 0);
    if (run_->count() == 0 && !running_)
        status_->setText(
            tr("No model run in the project: run a model first (Models ▸ Run the Model on the Test "
               "Split)."));
}

bool QueuePanel::rank() {
    if (running_ || run_->count() == 0 || !doc_->isOpen()) return false;
    store::QueueRequest r;
    r.run = run_->currentData().toLongLong();
    r.split = core::splitFromName(split_->currentData().toString().toStdString());
    if (const int c = class_->currentData().toInt(); c >= 0) r.cls = c;
    if (const int m = modality_->currentData().toInt(); m >= 0)
        r.modality = static_cast<core::Modality>(m);
    r.limit = static_cast<std::size_t>(limit_->value());
    emit rankRequested(r, tr("Uncertainty queue of %1").arg(run_->currentText()));
    return true;
}

void QueuePanel::showStarted() {
    running_ = true;
    rank_->setEnabled(false);
    status_->setText(tr("Ranking…"));
}

void QueuePanel::showProgress(const QString& stage, double fraction) {
    status_->setText(tr("Ranking: %1 (%2%)").arg(stage).arg(qRound(100.0 * fraction)));
}

void QueuePanel::showResult(const store::StoreQueue& queue) {
    queue_ = queue;
    ranked_ = true;
    filling_ = true;
    table_->setRowCount(0);
    table_->setRowCount(static_cast<int>(queue_.items.size()));
    for (int row = 0; row < table_->rowCount(); ++row) {
        const auto& it = queue_.items[static_cast<std::size_t>(row)];
        table_->setItem(row, kVideo,
                        new QTableWidgetItem(QString::fromStdString(queue_.videos[it.video])));
        table_->setItem(row, kModality, new QTableWidgetItem(modalityLabel(it.modality)));
        table_->setItem(row, kClass, new QTableWidgetItem(className(it.cls)));
        table_->setItem(row, kSegment, number(tr("%1–%2 s").arg(it.segment).arg(it.segment + 1)));
        table_->setItem(row, kProbability, number(QString::number(it.probability, 'f', 3)));
        table_->setItem(row, kScore, number(QString::number(it.score, 'f', 2)));
        auto* reason = new QTableWidgetItem(reasonText(it.reasons));
        reason->setToolTip(tr("%1; threshold %2, global probability %3")
                               .arg(it.predicted ? tr("predicted") : tr("not predicted"))
                               .arg(it.threshold, 0, 'f', 3)
                               .arg(it.global, 0, 'f', 3));
        table_->setItem(row, kReason, reason);
    }
    table_->resizeColumnsToContents();
    table_->horizontalHeader()->setStretchLastSection(true);
    filling_ = false;
    status_->setText(
        tr("%n cell(s) queued of %1 in %2 video(s); run %3, thresholds: %4", nullptr,
           static_cast<int>(queue_.items.size()))
            .arg(queue_.cells)
            .arg(queue_.videos.size())
            .arg(QString::fromStdString(queue_.run), QString::fromStdString(queue_.thresholds)));
}

void QueuePanel::showFailed(const QString& error) {
    status_->setText(tr("Ranking failed: %1").arg(error));
}

void QueuePanel::showEnded(bool cancelled) {
    running_ = false;
    rank_->setEnabled(run_->count() > 0);
    if (cancelled) status_->setText(tr("Ranking cancelled."));
}

int QueuePanel::currentRow() const {
    return table_->currentRow();
}

void QueuePanel::walkTo(int row) {
    if (table_->rowCount() == 0) return;
    row = std::clamp(row, 0, table_->rowCount() - 1);
    if (row == table_->currentRow())
        open(row);
    else
        table_->setCurrentCell(row, kVideo);  // opens it (currentCellChanged)
}

void QueuePanel::open(int row) {
    if (row < 0 || row >= static_cast<int>(queue_.items.size())) return;
    const auto& it = queue_.items[static_cast<std::size_t>(row)];
    emit itemActivated(QString::fromStdString(queue_.videos[it.video]),
                       static_cast<int>(it.modality), it.cls, it.segment);
}

QString QueuePanel::reasonText(unsigned reasons) const {
    QStringList parts;
    if (reasons & core::kQueueNear) parts << tr("near threshold");
    if (reasons & core::kQueueAudioVisual) parts << tr("audio-visual");
    if (reasons & core::kQueueVsGroundTruth) parts << tr("vs ground truth");
    if (reasons & core::kQueueVsCorrection) parts << tr("vs correction");
    return parts.join(QStringLiteral(", "));
}

bool QueuePanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == table_ && event->type() == QEvent::ShortcutOverride) {
        // The window's single-key shortcuts (J / K / Enter) give way to the queue's walk.
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->modifiers() == Qt::NoModifier && walkKey(key->key())) {
            event->accept();
            return true;
        }
    }
    if (watched == table_ && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        if (key->modifiers() == Qt::NoModifier) {
            const int row = std::max(table_->currentRow(), -1);
            if (key->key() == Qt::Key_J) {
                walkTo(row + 1);
                return true;
            }
            if (key->key() == Qt::Key_K) {
                walkTo(std::max(row - 1, 0));
                return true;
            }
            if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
                walkTo(std::max(row, 0));
                return true;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

}  // namespace avvp::ui

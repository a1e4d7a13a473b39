#include "ui/panels/jobs_panel.h"

#include <QAbstractItemModel>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace avvp::ui {

namespace {

enum State { Running = 0, Finished = 1, Failed = 2, Cancelled = 3 };

QVariant role(const QAbstractItemModel* m, int row, int r) {
    return m->data(m->index(row, 0), r);
}

QString stateText(const QAbstractItemModel* m, int row) {
    switch (role(m, row, JobRoles::State).toInt()) {
        case Running: {
            const QString stage = role(m, row, JobRoles::Stage).toString();
            return stage.isEmpty() ? JobsPanel::tr("running") : stage;
        }
        case Finished:
            return JobsPanel::tr("done");
        case Failed:
            return JobsPanel::tr("failed: %1").arg(role(m, row, JobRoles::Error).toString());
        case Cancelled:
            return JobsPanel::tr("cancelled");
        default:
            return {};
    }
}

bool cancellable(const QAbstractItemModel* m, int row) {
    return role(m, row, JobRoles::State).toInt() == Running &&
           role(m, row, JobRoles::Cancellable).toBool();
}

}  // namespace

JobsPanel::JobsPanel(QAbstractItemModel* jobs, QWidget* parent) : QWidget(parent), jobs_(jobs) {
    tree_ = new QTreeWidget(this);
    tree_->setRootIsDecorated(false);
    tree_->setHeaderLabels({tr("Job"), tr("State"), tr("Progress"), tr("Time")});
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    tree_->setColumnWidth(1, 160);
    tree_->setColumnWidth(2, 70);
    tree_->setColumnWidth(3, 60);
    cancel_ = new QPushButton(tr("Cancel"), this);
    auto* clear = new QPushButton(tr("Clear finished"), this);
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(cancel_);
    row->addWidget(clear);
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 4);
    lay->addWidget(tree_);
    lay->addLayout(row);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        for (int i = 0; i < tree_->topLevelItemCount(); ++i)
            if (tree_->topLevelItem(i)->isSelected()) emit cancelRequested(i);
    });
    connect(clear, &QPushButton::clicked, this, &JobsPanel::clearRequested);
    cancel_->setEnabled(false);
    connect(tree_, &QTreeWidget::itemSelectionChanged, this, &JobsPanel::updateCancel);
    connect(jobs_, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) {
                for (int r = first; r <= last; ++r) {
                    tree_->insertTopLevelItem(r, new QTreeWidgetItem);
                    refresh(r);
                }
                tree_->scrollToItem(tree_->topLevelItem(last));
            });
    connect(jobs_, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) {
                for (int r = from.row(); r <= to.row(); ++r) refresh(r);
            });
    connect(jobs_, &QAbstractItemModel::modelReset, this, &JobsPanel::rebuild);
    rebuild();
}

void JobsPanel::rebuild() {
    tree_->clear();
    for (int r = 0; r < jobs_->rowCount(); ++r) {
        tree_->addTopLevelItem(new QTreeWidgetItem);
        refresh(r);
    }
}

void JobsPanel::refresh(int row) {
    auto* item = tree_->topLevelItem(row);
    if (!item) return;
    const QString state = stateText(jobs_, row);
    item->setText(0, role(jobs_, row, JobRoles::Title).toString());
    item->setText(1, state);
    item->setToolTip(1, state);
    const QString eta = role(jobs_, row, JobRoles::Eta).toString();
    const int pct = static_cast<int>(role(jobs_, row, JobRoles::Fraction).toDouble() * 100);
    item->setText(
        2, eta.isEmpty() ? QStringLiteral("%1 %").arg(pct) : tr("%1 %, %2 left").arg(pct).arg(eta));
    item->setText(
        3, QStringLiteral("%1 s").arg(
               static_cast<double>(role(jobs_, row, JobRoles::Elapsed).toLongLong()) / 1000.0, 0,
               'f', 1));
    updateCancel();
}

void JobsPanel::updateCancel() {
    bool any = false;
    for (int i = 0; i < tree_->topLevelItemCount(); ++i)
        any = any || (tree_->topLevelItem(i)->isSelected() && cancellable(jobs_, i));
    cancel_->setEnabled(any);
    cancel_->setToolTip(any ? QString()
                            : tr("Select a running job that can still be cancelled (a job "
                                 "that is storing its results can no longer be stopped)"));
}

JobStatusWidget::JobStatusWidget(QAbstractItemModel* jobs, QWidget* parent)
    : QWidget(parent), jobs_(jobs) {
    label_ = new QLabel(this);
    bar_ = new QProgressBar(this);
    bar_->setRange(0, 1000);
    bar_->setMaximumWidth(160);
    bar_->setMaximumHeight(14);
    bar_->setTextVisible(false);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setFlat(true);
    auto* lay = new QHBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(label_);
    lay->addWidget(bar_);
    lay->addWidget(cancel_);
    connect(cancel_, &QPushButton::clicked, this, [this] {
        if (row_ >= 0) emit cancelRequested(row_);
    });
    connect(jobs_, &QAbstractItemModel::rowsInserted, this, &JobStatusWidget::track);
    connect(jobs_, &QAbstractItemModel::dataChanged, this, &JobStatusWidget::track);
    connect(jobs_, &QAbstractItemModel::modelReset, this, &JobStatusWidget::track);
    track();
}

void JobStatusWidget::track() {
    row_ = -1;
    for (int r = jobs_->rowCount() - 1; r >= 0; --r)
        if (role(jobs_, r, JobRoles::State).toInt() == Running) {
            row_ = r;
            break;
        }
    setVisible(row_ >= 0);
    if (row_ < 0) return;
    const QString title = role(jobs_, row_, JobRoles::Title).toString();
    // The stage with the time left ("12 of 40 videos · about 1 min left"), else the stage.
    QString stage = role(jobs_, row_, JobRoles::ProgressText).toString();
    if (stage.isEmpty()) stage = role(jobs_, row_, JobRoles::Stage).toString();
    label_->setText(stage.isEmpty() ? title : QStringLiteral("%1 — %2").arg(title, stage));
    bar_->setValue(static_cast<int>(role(jobs_, row_, JobRoles::Fraction).toDouble() * 1000));
    const bool can = cancellable(jobs_, row_);
    cancel_->setEnabled(can);
    cancel_->setToolTip(can ? QString() : tr("Storing the results: it can no longer be cancelled"));
}

}  // namespace avvp::ui

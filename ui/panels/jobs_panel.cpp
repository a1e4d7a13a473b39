#include "ui/panels/jobs_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "ui/jobs/job.h"

namespace avvp::ui {

namespace {
QString stateText(const Job* j) {
    switch (j->state()) {
        case Job::State::Running:
            return j->stage().isEmpty() ? JobsPanel::tr("running") : j->stage();
        case Job::State::Finished:
            return JobsPanel::tr("done");
        case Job::State::Failed:
            return JobsPanel::tr("failed: %1").arg(j->error());
        case Job::State::Cancelled:
            return JobsPanel::tr("cancelled");
    }
    return {};
}
}  // namespace

JobsPanel::JobsPanel(JobManager* jobs, QWidget* parent) : QWidget(parent), jobs_(jobs) {
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
        for (auto it = items_.begin(); it != items_.end(); ++it)
            if (it.value()->isSelected()) it.key()->cancel();
    });
    connect(clear, &QPushButton::clicked, jobs_, &JobManager::clearEnded);
    connect(jobs_, &JobManager::jobAdded, this, &JobsPanel::add);
    connect(jobs_, &JobManager::jobsCleared, this, &JobsPanel::rebuild);
    rebuild();
}

void JobsPanel::rebuild() {
    tree_->clear();
    items_.clear();
    for (auto* j : jobs_->jobs()) add(j);
}

void JobsPanel::add(Job* job) {
    auto* item = new QTreeWidgetItem(tree_);
    items_.insert(job, item);
    tree_->scrollToItem(item);
    connect(job, &Job::progressChanged, this, [this, job] { refresh(job); });
    connect(job, &Job::ended, this, [this, job] { refresh(job); });
    refresh(job);
}

void JobsPanel::refresh(Job* job) {
    auto* item = items_.value(job);
    if (!item) return;
    item->setText(0, job->title());
    item->setText(1, stateText(job));
    item->setToolTip(1, stateText(job));
    item->setText(2, QStringLiteral("%1 %").arg(static_cast<int>(job->fraction() * 100)));
    item->setText(
        3, QStringLiteral("%1 s").arg(static_cast<double>(job->elapsedMs()) / 1000.0, 0, 'f', 1));
}

JobStatusWidget::JobStatusWidget(JobManager* jobs, QWidget* parent) : QWidget(parent), jobs_(jobs) {
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
        if (job_) job_->cancel();
    });
    connect(jobs_, &JobManager::jobAdded, this, &JobStatusWidget::track);
    connect(jobs_, &JobManager::jobEnded, this, &JobStatusWidget::track);
    track();
}

void JobStatusWidget::track() {
    if (job_) disconnect(job_, nullptr, this, nullptr);
    job_ = nullptr;
    const auto& all = jobs_->jobs();
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        if ((*it)->running()) {
            job_ = *it;
            break;
        }
    setVisible(job_ != nullptr);
    if (!job_) return;
    label_->setText(job_->title());
    bar_->setValue(static_cast<int>(job_->fraction() * 1000));
    connect(job_, &Job::progressChanged, this, [this](const QString& stage, double f) {
        label_->setText(stage.isEmpty() ? job_->title()
                                        : QStringLiteral("%1 — %2").arg(job_->title(), stage));
        bar_->setValue(static_cast<int>(f * 1000));
    });
}

}  // namespace avvp::ui

#include "app/workspace/jobs.h"
#include "app/workspace/stage_names.h"
#include "core/quote.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <chrono>

namespace avvp::workspace {

void JobContext::report(double fraction, std::string_view stage) {
    const auto text = stageText(stage);  // in the user's language
    std::lock_guard lock(mutex_);
    stage_ = text;
    fraction_ = std::clamp(fraction, 0.0, 1.0);
}

bool JobContext::requestCancel() {
    std::lock_guard lock(mutex_);
    if (committed_) return false;
    cancel();
    return true;
}

void JobContext::commit() {
    std::lock_guard lock(mutex_);
    throwIfCancelled();
    committed_ = true;
}

bool JobContext::cancellable() const {
    std::lock_guard lock(mutex_);
    return !committed_;
}

void commitPoint(core::Progress& progress) {
    if (auto* job = dynamic_cast<JobContext*>(&progress))
        job->commit();
    else
        progress.throwIfCancelled();
}

Job::Job(QString title, QObject* parent) : QObject(parent), title_(std::move(title)) {
    clock_.start();
}

QString Job::stage() const {
    std::lock_guard lock(context_->mutex_);
    return context_->stage_;
}

double Job::fraction() const {
    std::lock_guard lock(context_->mutex_);
    return context_->fraction_;
}

qint64 Job::elapsedMs() const {
    return endedAfter_ >= 0 ? endedAfter_ : clock_.elapsed();
}

QString Job::eta() const {
    return running() ? QString::fromStdString(
                           core::etaText(std::chrono::milliseconds(elapsedMs()), fraction()))
                     : QString();
}

QString Job::progressText() const {
    const QString s = stage();
    const QString left = eta();
    if (left.isEmpty()) return s;
    return s.isEmpty() ? tr("about %1 left").arg(left) : tr("%1 · about %2 left").arg(s, left);
}

void Job::cancel() {
    if (state_ == State::Running) context_->requestCancel();
}

bool Job::wait(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (state_ == State::Running) {
        if (deadline.hasExpired()) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (state_ == State::Running) QThread::msleep(2);
    }
    return true;
}

void Job::start(QThreadPool* pool, std::function<void(JobContext&)> work,
                std::function<void()> onSuccess, std::function<void(const QString&)> onError) {
    onSuccess_ = std::move(onSuccess);
    onError_ = std::move(onError);
    poll_ = new QTimer(this);
    poll_->setInterval(100);
    connect(poll_, &QTimer::timeout, this, &Job::poll);
    poll_->start();
    connect(&watcher_, &QFutureWatcher<void>::finished, this, &Job::finish);
    auto ctx = context_;
    auto failure = failure_;
    watcher_.setFuture(QtConcurrent::run(pool, [ctx, failure, work = std::move(work)] {
        try {
            ctx->throwIfCancelled();
            work(*ctx);
            // Returned: done, or stopped early on a cancel that came before. A later
            // Cancel finds nothing to stop.
            std::lock_guard lock(ctx->mutex_);
            ctx->committed_ = true;
        } catch (...) {
            *failure = std::current_exception();
        }
    }));
}

void Job::poll() {
    const QString s = stage();
    const double f = fraction();
    // Passing the point of no return is news too: the views disable Cancel.
    const bool c = cancellable();
    if (s != lastStage_ || f != lastFraction_ || c != lastCancellable_) {
        lastStage_ = s;
        lastFraction_ = f;
        lastCancellable_ = c;
        emit progressChanged(s, f);
    }
}

void Job::finish() {
    poll_->stop();
    endedAfter_ = clock_.elapsed();
    bool cancelled = false;
    if (*failure_) {
        try {
            std::rethrow_exception(*failure_);
        } catch (const core::Cancelled&) {
            cancelled = true;
        } catch (const std::exception& e) {
            error_ = QString::fromStdString(avvp::core::oneLine(e.what()));
        } catch (...) {
            error_ = tr("unknown error");
        }
    } else if (context_->cancelled()) {
        // The work returned early on the flag: whatever it made is incomplete.
        cancelled = true;
    }
    if (!cancelled && error_.isEmpty()) {
        std::lock_guard lock(context_->mutex_);
        context_->fraction_ = 1.0;
    }
    poll();  // the last progress, before the callbacks show results
    if (cancelled) {
        state_ = State::Cancelled;
    } else if (!error_.isEmpty()) {
        state_ = State::Failed;
        if (onError_) onError_(error_);
    } else {
        state_ = State::Finished;
        if (onSuccess_) {
            try {
                onSuccess_();
            } catch (const std::exception& e) {
                state_ = State::Failed;
                error_ = QString::fromStdString(avvp::core::oneLine(e.what()));
                if (onError_) onError_(error_);
            }
        }
    }
    onSuccess_ = {};
    onError_ = {};
    emit ended(this);
}

JobManager::JobManager(QObject* parent) : QObject(parent) {
    pool_.setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
}

JobManager::~JobManager() {
    cancelAll();
    pool_.waitForDone();
}

Job* JobManager::run(const QString& title, std::function<void(JobContext&)> work,
                     std::function<void()> onSuccess, std::function<void(const QString&)> onError) {
    auto* job = new Job(title, this);
    jobs_.append(job);
    connect(job, &Job::ended, this, &JobManager::jobEnded);
    emit jobAdded(job);
    job->start(&pool_, std::move(work), std::move(onSuccess), std::move(onError));
    return job;
}

int JobManager::runningCount() const {
    return static_cast<int>(
        std::count_if(jobs_.begin(), jobs_.end(), [](Job* j) { return j->running(); }));
}

void JobManager::cancelAll() {
    for (auto* j : jobs_) j->cancel();
}

bool JobManager::waitAll(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    for (auto* j : jobs_)
        if (!j->wait(static_cast<int>(std::max<qint64>(0, deadline.remainingTime())))) return false;
    return true;
}

void JobManager::clearEnded() {
    QList<Job*> keep;
    for (auto* j : jobs_) {
        if (j->running())
            keep.append(j);
        else
            j->deleteLater();
    }
    jobs_ = keep;
    emit jobsCleared();
}

JobListModel::JobListModel(JobManager* jobs, QObject* parent)
    : QAbstractListModel(parent), jobs_(jobs) {
    auto watch = [this](Job* job) {
        connect(job, &Job::progressChanged, this, [this, job] { changed(job); });
        connect(job, &Job::ended, this, [this, job] { changed(job); });
    };
    rows_ = jobs_->jobs();
    for (auto* j : rows_) watch(j);
    connect(jobs_, &JobManager::jobAdded, this, [this, watch](Job* job) {
        const auto row = static_cast<int>(rows_.size());
        beginInsertRows({}, row, row);
        rows_.append(job);
        endInsertRows();
        watch(job);
    });
    connect(jobs_, &JobManager::jobsCleared, this, [this] {
        beginResetModel();
        rows_ = jobs_->jobs();
        endResetModel();
    });
}

int JobListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

Job* JobListModel::job(int row) const {
    return row >= 0 && row < rows_.size() ? rows_.at(row) : nullptr;
}

QVariant JobListModel::data(const QModelIndex& index, int role) const {
    const Job* j = job(index.row());
    if (!j || index.column() != 0) return {};
    switch (role) {
        case Qt::DisplayRole:
        case TitleRole:
            return j->title();
        case StateRole:
            return static_cast<int>(j->state());
        case StageRole:
            return j->stage();
        case FractionRole:
            return j->fraction();
        case ElapsedRole:
            return j->elapsedMs();
        case ErrorRole:
            return j->error();
        case EtaRole:
            return j->eta();
        case ProgressTextRole:
            return j->running() ? j->progressText() : QString();
        case CancellableRole:
            return j->cancellable();
        default:
            return {};
    }
}

void JobListModel::changed(Job* job) {
    const auto row = static_cast<int>(rows_.indexOf(job));
    if (row < 0) return;
    emit dataChanged(index(row), index(row));
}

void JobListModel::cancel(int row) {
    if (auto* j = job(row)) j->cancel();
}

void JobListModel::clearEnded() {
    jobs_->clearEnded();
}

}  // namespace avvp::workspace

#pragma once
// Long work off the GUI thread: a Job runs a function on the JobManager's thread pool
// (QtConcurrent) and reports progress and cancellation through a JobContext; its
// completion callbacks run on the GUI thread (QFutureWatcher).
//
//   jobs->run<Report>(tr("Import"), [path](JobContext& ctx) {
//       auto store = store::Store::open(path);            // a connection of this thread
//       return store::importLlp(*store, files, &ctx);     // ctx is a core::Progress
//   }, [this](Report& r) { show(r); });
//
// Cancelling sets the context's flag (core::Progress); the work sees it in ctx.cancelled()
// or, through ctx.throwIfCancelled() / ctx.step(), as a core::Cancelled exception, which
// rolls back a store transaction on its way out. The GUI polls progress (no cross-thread
// signals per step), so workers may report as often as they like.
#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "core/progress.h"

class QTimer;

namespace avvp::workspace {

// What a job's work reports to: a core::Progress whose reports the GUI polls. A
// core::Cancelled thrown by the work ends the job as Cancelled, not Failed.
//
// Cancel and commit exclude each other: requestCancel() (what the job's Cancel does) and
// commit() (the work's point of no return, just before it commits what it made) take one
// lock, so a cancel either comes first, and commit() throws core::Cancelled (nothing is
// kept), or comes after, and is ignored (the job ends as done). The work's return is such a
// point too: a Cancel after it changes nothing.
class JobContext : public core::Progress {
  public:
    // Thread-safe; the fraction is clamped to [0, 1].
    void report(double fraction, std::string_view stage) override;
    // Cancels unless the work is past its point of no return; false then. Any thread.
    bool requestCancel();
    // The point of no return: throws core::Cancelled when cancelled, else from now on
    // requestCancel() is refused. On the worker's thread, right before the commit.
    void commit();
    // False once the work passed commit() or returned.
    bool cancellable() const;

  private:
    friend class Job;
    mutable std::mutex mutex_;
    QString stage_;
    double fraction_ = 0.0;
    bool committed_ = false;
};

// commit() of a JobContext; throwIfCancelled() of any other progress (the CLI's line).
void commitPoint(core::Progress& progress);

class Job : public QObject {
    Q_OBJECT
  public:
    enum class State { Running, Finished, Failed, Cancelled };

    QString title() const { return title_; }
    State state() const { return state_; }
    bool running() const { return state_ == State::Running; }
    QString stage() const;
    double fraction() const;                  // last reported, [0, 1]
    QString error() const { return error_; }  // Failed: the reason
    qint64 elapsedMs() const;
    // The time left while running ("1 min 05 s", core::etaText), empty when not known yet.
    QString eta() const;
    // What a progress display shows: the stage with the time left, "12 of 40 videos ·
    // about 1 min left"; the stage alone while the time left is not known.
    QString progressText() const;
    // Asks the work to stop; ignored once it has ended or passed its point of no return
    // (JobContext::commit), after which it ends as done.
    void cancel();
    bool cancellable() const { return running() && context_->cancellable(); }
    // Blocks (processing events) until the job has ended; false on timeout. For tests and
    // shutdown.
    bool wait(int timeoutMs = 30000);

  signals:
    void progressChanged(const QString& stage, double fraction);
    void ended(avvp::workspace::Job* job);

  private:
    friend class JobManager;
    Job(QString title, QObject* parent);
    void start(QThreadPool* pool, std::function<void(JobContext&)> work,
               std::function<void()> onSuccess, std::function<void(const QString&)> onError);
    void finish();
    void poll();

    QString title_;
    State state_ = State::Running;
    QString error_;
    std::shared_ptr<JobContext> context_ = std::make_shared<JobContext>();
    std::shared_ptr<std::exception_ptr> failure_ = std::make_shared<std::exception_ptr>();
    std::function<void()> onSuccess_;
    std::function<void(const QString&)> onError_;
    QFutureWatcher<void> watcher_;
    QTimer* poll_ = nullptr;
    QElapsedTimer clock_;
    qint64 endedAfter_ = -1;
    QString lastStage_;
    double lastFraction_ = -1.0;
    bool lastCancellable_ = true;
};

class JobManager : public QObject {
    Q_OBJECT
  public:
    explicit JobManager(QObject* parent = nullptr);
    ~JobManager() override;  // cancels what runs and waits for it

    // Runs `work` on the pool. `onSuccess` / `onError` run on the GUI thread afterwards
    // (onError gets the exception's message; a cancelled job calls neither).
    Job* run(const QString& title, std::function<void(JobContext&)> work,
             std::function<void()> onSuccess = {},
             std::function<void(const QString&)> onError = {});

    // The same with a result handed to onSuccess.
    template <class T>
    Job* run(const QString& title, std::function<T(JobContext&)> work,
             std::function<void(T&)> onSuccess, std::function<void(const QString&)> onError = {}) {
        auto result = std::make_shared<std::optional<T>>();
        return run(
            title,
            [work = std::move(work), result](JobContext& ctx) { result->emplace(work(ctx)); },
            [result, onSuccess = std::move(onSuccess)] {
                if (onSuccess && result->has_value()) onSuccess(**result);
            },
            std::move(onError));
    }

    const QList<Job*>& jobs() const { return jobs_; }
    int runningCount() const;
    void cancelAll();
    bool waitAll(int timeoutMs = 30000);
    // Forgets ended jobs (the jobs panel's "Clear").
    void clearEnded();

  signals:
    void jobAdded(avvp::workspace::Job* job);
    void jobEnded(avvp::workspace::Job* job);
    void jobsCleared();

  private:
    QThreadPool pool_;
    QList<Job*> jobs_;
};

// The jobs as an item model, for the views (the jobs panel, the status bar): one row per
// job, oldest first, its data under the roles below (column 0). Rows are added as jobs start
// and change as they report; "clear" removes the ended ones.
class JobListModel : public QAbstractListModel {
    Q_OBJECT
  public:
    enum Role {
        TitleRole = Qt::UserRole + 1,
        StateRole,         // int: 0 running, 1 finished, 2 failed, 3 cancelled (Job::State)
        StageRole,         // QString: what it does now
        FractionRole,      // double in [0, 1]
        ElapsedRole,       // qint64 milliseconds
        ErrorRole,         // QString: why it failed
        EtaRole,           // QString: time left ("1 min 05 s"), empty when unknown
        ProgressTextRole,  // QString: the stage and the time left (Job::progressText)
        CancellableRole,   // bool: running and not past its point of no return (commit)
    };
    explicit JobListModel(JobManager* jobs, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

    Job* job(int row) const;
    void cancel(int row);
    void clearEnded();

  private:
    void changed(Job* job);
    JobManager* jobs_;
    QList<Job*> rows_;  // the manager's jobs as this model announced them
};

}  // namespace avvp::workspace

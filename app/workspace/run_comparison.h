#pragma once
// Two model runs side by side in the project (issue 20, item 5): the store's comparison of
// run A and run B against the ground truth (store::compareStoreRuns, the same as `avvp
// compare`) over every video with ground truth, looked up per video by the timeline and
// counted per video for the browser.
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/run_comparison.h"
#include "core/store/store.h"

namespace avvp::workspace {

struct ProjectComparison {
    std::string runA, runB;
    std::shared_ptr<const core::RunComparison> result;  // owns the grids handed out
    double milliseconds = 0;                            // how long the comparison took
    // The outcome grid of a video (nullptr: it has no ground truth).
    std::shared_ptr<const core::VideoComparison> video(const std::string& filename) const;

    std::unordered_map<std::string, std::size_t> index;  // filename -> result->videos
};

// Compares runs `a` and `b` of `store` over every video with ground truth. Throws
// core::InputError when a run is unknown or the store holds no ground truth.
std::shared_ptr<const ProjectComparison> compareProjectRuns(store::Store& store, store::RunId a,
                                                            store::RunId b);

// The comparison off the GUI thread: each request runs on a worker thread of its own pool
// on a read-only connection of that thread (a store connection is never shared across
// threads). At most one runs at a time; requests made meanwhile collapse into the newest,
// run once the running one ends. Stale-safe: only the newest request's result is handed
// on (finished), a late result of an older request or one made before cancel() is dropped.
class ProjectComparer : public QObject {
    Q_OBJECT
  public:
    explicit ProjectComparer(QObject* parent = nullptr);
    ~ProjectComparer() override;  // waits for a running comparison (its result is dropped)

    void request(const std::filesystem::path& storePath, const std::string& annotator,
                 store::RunId a, store::RunId b);
    // Drops the result of what was requested so far.
    void cancel();
    // A request is running or waiting, whose result has not been handed on yet.
    bool busy() const { return wanted_.has_value(); }

  signals:
    // The newest request's comparison, or nullptr and the reason it failed.
    void finished(std::shared_ptr<const avvp::workspace::ProjectComparison> comparison,
                  const QString& error);

  private:
    struct Request {
        std::filesystem::path path;
        std::string annotator;
        store::RunId a = 0, b = 0;
        quint64 generation = 0;
    };
    struct Outcome {
        std::shared_ptr<const ProjectComparison> comparison;
        QString error;
        quint64 generation = 0;
    };
    void start();
    void done();

    QThreadPool pool_;
    QFutureWatcher<Outcome> watcher_;
    quint64 generation_ = 0;
    std::optional<Request> wanted_;  // the newest request not handed on yet
    bool running_ = false;
};

}  // namespace avvp::workspace

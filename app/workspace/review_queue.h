#pragma once
// The uncertainty queue as a workflow (issue 18, item 2): ranks a run's cells
// (store::uncertaintyQueue, the code `avvp queue` runs) on a read-only connection of the
// worker's thread, and as a job on the JobManager so that the GUI thread never waits for
// the ranking of a large split.
#include <QString>
#include <functional>

#include "core/progress.h"
#include "core/store/uncertainty_queue.h"

namespace avvp::workspace {

class Job;
class JobManager;

// Opens the store at `path` read-only as `annotator` and ranks. Throws what
// store::uncertaintyQueue throws (core::InputError, store::StoreError, core::Cancelled).
store::StoreQueue rankUncertaintyQueue(const QString& path, const QString& annotator,
                                       const store::QueueRequest& request,
                                       core::Progress* progress = nullptr);

// The same as a job titled `title`; `done` / `failed` run on the GUI thread (a cancelled
// job calls neither).
Job* startUncertaintyQueue(JobManager& jobs, const QString& title, const QString& path,
                           const QString& annotator, const store::QueueRequest& request,
                           std::function<void(store::StoreQueue&)> done,
                           std::function<void(const QString&)> failed);

}  // namespace avvp::workspace

#include "app/workspace/review_queue.h"

#include "app/workspace/jobs.h"
#include "core/store/store.h"

namespace avvp::workspace {

store::StoreQueue rankUncertaintyQueue(const QString& path, const QString& annotator,
                                       const store::QueueRequest& request,
                                       core::Progress* progress) {
    auto s = store::Store::open(
        path.toStdString(),
        {.annotator = annotator.toStdString(), .create = false, .readOnly = true});
    return store::uncertaintyQueue(*s, request, progress);
}

Job* startUncertaintyQueue(JobManager& jobs, const QString& title, const QString& path,
                           const QString& annotator, const store::QueueRequest& request,
                           std::function<void(store::StoreQueue&)> done,
                           std::function<void(const QString&)> failed) {
    return jobs.run<store::StoreQueue>(
        title,
        [path, annotator, request](JobContext& ctx) {
            return rankUncertaintyQueue(path, annotator, request, &ctx);
        },
        std::move(done), std::move(failed));
}

}  // namespace avvp::workspace

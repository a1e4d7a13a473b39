#include "app/workspace/run_comparison.h"

#include <QtConcurrent/QtConcurrentRun>
#include <chrono>

#include "core/error.h"
#include "core/store/run_comparison.h"

namespace avvp::workspace {

std::shared_ptr<const core::VideoComparison> ProjectComparison::video(
    const std::string& filename) const {
    const auto it = index.find(filename);
    if (it == index.end() || !result) return nullptr;
    // An aliasing pointer: the grid lives as long as the whole comparison.
    return {result, &result->videos[it->second]};
}

std::shared_ptr<const ProjectComparison> compareProjectRuns(store::Store& store, store::RunId a,
                                                            store::RunId b) {
    std::string nameA, nameB;
    for (const auto& r : store.runs()) {
        if (r.id == a) nameA = r.name;
        if (r.id == b) nameB = r.name;
    }
    if (nameA.empty() || nameB.empty())
        throw core::InputError(store.path().string(), 0, "has no such run");
    const auto t0 = std::chrono::steady_clock::now();
    auto c = store::compareStoreRuns(store, nameA, nameB);
    auto out = std::make_shared<ProjectComparison>();
    out->runA = nameA;
    out->runB = nameB;
    auto shared = std::make_shared<core::RunComparison>(std::move(c.result));
    for (std::size_t i = 0; i < shared->videos.size(); ++i)
        out->index.emplace(shared->videos[i].video, i);
    out->result = std::move(shared);
    out->milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

ProjectComparer::ProjectComparer(QObject* parent) : QObject(parent) {
    pool_.setMaxThreadCount(1);
    connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, &ProjectComparer::done);
}

ProjectComparer::~ProjectComparer() {
    watcher_.disconnect(this);
    pool_.waitForDone();
}

void ProjectComparer::request(const std::filesystem::path& storePath, const std::string& annotator,
                              store::RunId a, store::RunId b) {
    wanted_ = Request{storePath, annotator, a, b, ++generation_};
    if (!running_) start();
}

void ProjectComparer::cancel() {
    ++generation_;
    wanted_.reset();
}

void ProjectComparer::start() {
    if (!wanted_) return;
    running_ = true;
    watcher_.setFuture(QtConcurrent::run(&pool_, [r = *wanted_] {
        Outcome out;
        out.generation = r.generation;
        try {
            // A connection of this thread, read only.
            const auto s = store::Store::open(
                r.path, {.annotator = r.annotator, .create = false, .readOnly = true});
            out.comparison = compareProjectRuns(*s, r.a, r.b);
        } catch (const std::exception& e) {
            out.error = QString::fromUtf8(e.what());
        }
        return out;
    }));
}

void ProjectComparer::done() {
    running_ = false;
    const Outcome out = watcher_.result();
    if (wanted_ && wanted_->generation == out.generation) {
        wanted_.reset();
        emit finished(out.comparison, out.error);
    } else {
        start();  // the newest request, if any, waited for this one
    }
}

}  // namespace avvp::workspace

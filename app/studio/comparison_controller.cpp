#include "app/studio/comparison_controller.h"

#include <QHash>

#include "app/workspace/session.h"
#include "core/store/store.h"
#include "ui/document.h"
#include "ui/panels/video_browser.h"
#include "ui/timeline/timeline_panel.h"

namespace avvp::app {

ComparisonController::ComparisonController(workspace::Session* session, ui::Document* doc,
                                           ui::TimelinePanel* timeline, ui::VideoBrowser* browser,
                                           QObject* parent)
    : QObject(parent), session_(session), doc_(doc), timeline_(timeline), browser_(browser) {
    later_.setSingleShot(true);
    later_.setInterval(400);
    connect(&later_, &QTimer::timeout, this, &ComparisonController::recompute);
    connect(&comparer_, &workspace::ProjectComparer::finished, this,
            [this](std::shared_ptr<const workspace::ProjectComparison> c, const QString& error) {
                if (!c) emit message(tr("No comparison of the two runs: %1").arg(error), true);
                show(std::move(c));
            });
    connect(timeline_, &ui::TimelinePanel::compareRunChosen, this, &ComparisonController::setRunB);
    connect(doc_, &ui::Document::runChanged, this, &ComparisonController::recompute);
    connect(doc_, &ui::Document::closed, this, [this] { setRunB(std::nullopt); });
    connect(doc_, &ui::Document::changed, this, [this](const store::Change& c) {
        if (runB_ && (c.events || c.runs || c.predictions || c.external)) later_.start();
    });
}

void ComparisonController::setRunB(std::optional<qint64> run) {
    runB_ = run;
    recompute();
}

void ComparisonController::setVideo(std::optional<store::VideoId> video) {
    video_ = video;
    showVideo();
}

void ComparisonController::recompute() {
    later_.stop();
    const auto runA = doc_->run();
    if (!session_->store() || !runA || !runB_) {
        comparer_.cancel();
        if (comparison_ || shownRuns_) show(nullptr);
        return;
    }
    // Other runs: the old bands are wrong now; the same runs (an edit): they stay meanwhile.
    if (shownRuns_ != std::pair<qint64, qint64>(*runA, *runB_)) {
        if (comparison_) show(nullptr);
        shownRuns_ = std::pair<qint64, qint64>(*runA, *runB_);
    }
    comparer_.request(session_->path().toStdString(), session_->annotator().toStdString(), *runA,
                      *runB_);
}

void ComparisonController::show(std::shared_ptr<const workspace::ProjectComparison> comparison) {
    comparison_ = std::move(comparison);
    if (!comparison_) shownRuns_.reset();
    QHash<QString, core::OutcomeCounts> counts;
    QString a, b;
    if (comparison_) {
        a = QString::fromStdString(comparison_->runA);
        b = QString::fromStdString(comparison_->runB);
        for (const auto& v : comparison_->result->videos)
            counts.insert(QString::fromStdString(v.video), v.total());
        const auto t = comparison_->result->total();
        emit message(tr("Compared %1 (A) with %2 (B) over %3 videos in %4 ms: %5 cells only A "
                        "gets right, %6 only B, %7 both get wrong")
                         .arg(a, b)
                         .arg(comparison_->result->videos.size())
                         .arg(comparison_->milliseconds, 0, 'f', 0)
                         .arg(t.aOnly)
                         .arg(t.bOnly)
                         .arg(t.bothWrong),
                     false);
    }
    browser_->setComparison(std::move(counts), a, b);
    showVideo();
    emit updated();
}

void ComparisonController::showVideo() {
    std::shared_ptr<const core::VideoComparison> grid;
    auto* store = session_->store();
    if (comparison_ && store && video_)
        if (const auto v = store->video(*video_)) grid = comparison_->video(v->filename);
    timeline_->setComparison(std::move(grid),
                             comparison_ ? QString::fromStdString(comparison_->runA) : QString(),
                             comparison_ ? QString::fromStdString(comparison_->runB) : QString());
}

}  // namespace avvp::app

#pragma once
// Two runs side by side (issue 20, item 5): the timeline's "Compare with…" choice (run B)
// and the shown run (A) -> the comparison against the ground truth over every video
// (workspace::compareProjectRuns, off the GUI thread through a workspace::ProjectComparer),
// the current video's outcome grid to the timeline and the per-video counts to the
// browser when it arrives. Recomputed when A or B changes (the old bands go at once) and,
// shortly after, when the store's events or runs change (the old bands stay until the new
// arrive); off when either run is none. Only the newest request's result is shown.
#include <QObject>
#include <QTimer>
#include <memory>
#include <optional>
#include <utility>

#include "app/workspace/run_comparison.h"
#include "core/store/records.h"

namespace avvp::workspace {
class Session;
}
namespace avvp::ui {
class Document;
class TimelinePanel;
class VideoBrowser;
}  // namespace avvp::ui

namespace avvp::app {

class ComparisonController : public QObject {
    Q_OBJECT
  public:
    ComparisonController(workspace::Session* session, ui::Document* doc,
                         ui::TimelinePanel* timeline, ui::VideoBrowser* browser,
                         QObject* parent = nullptr);
    // Run B (nullopt: off).
    void setRunB(std::optional<qint64> run);
    std::optional<qint64> runB() const { return runB_; }
    // The video the timeline shows (its grid follows).
    void setVideo(std::optional<store::VideoId> video);
    // Starts the comparison now (tests; otherwise it happens on changes); it arrives later
    // (updated), or is off at once when either run is none.
    void recompute();
    const workspace::ProjectComparison* comparison() const { return comparison_.get(); }
    // A comparison is being computed.
    bool busy() const { return comparer_.busy(); }

  signals:
    void message(const QString& text, bool error);
    // The comparison shown changed (arrived, or turned off).
    void updated();

  private:
    void show(std::shared_ptr<const workspace::ProjectComparison> comparison);
    void showVideo();

    workspace::Session* session_;
    ui::Document* doc_;
    ui::TimelinePanel* timeline_;
    ui::VideoBrowser* browser_;
    std::optional<qint64> runB_;
    std::optional<store::VideoId> video_;
    std::shared_ptr<const workspace::ProjectComparison> comparison_;
    std::optional<std::pair<qint64, qint64>> shownRuns_;  // (A, B) of comparison_
    workspace::ProjectComparer comparer_;
    QTimer later_;
};

}  // namespace avvp::app

#pragma once
// The notice "someone else is editing this video" (issue 18, item 5): which other
// annotators edited the selected video within the last minutes, and when. Recomputed when
// the video changes, when the store changes (the session polls other connections every
// 1.5 s) and on a timer (so that "2 min ago" ages and an old edit drops out). Plain data
// for the view (ui/widgets/co_editing_label.h), which words it.
#include <QObject>
#include <QTimer>
#include <optional>
#include <vector>

#include "core/store/co_editors.h"

namespace avvp::workspace {

class Session;

class CoEditingWatch : public QObject {
    Q_OBJECT
  public:
    static constexpr qint64 kDefaultWindowMs = 5 * 60 * 1000;  // "the last few minutes"

    explicit CoEditingWatch(Session* session, QObject* parent = nullptr,
                            qint64 windowMs = kDefaultWindowMs, int refreshMs = 20000);

    std::optional<store::VideoId> video() const { return video_; }
    void setVideo(std::optional<avvp::store::VideoId> video);
    // The others who edited the video within the window, the most recent first.
    const std::vector<store::CoEditor>& editors() const { return editors_; }
    // Recomputes now (also done on the triggers above).
    void update();

  signals:
    // After every update: the editors and the time (ms since the epoch) they were read at.
    void editorsChanged(const std::vector<avvp::store::CoEditor>& editors, qint64 nowMs);

  private:
    Session* session_;
    qint64 windowMs_;
    QTimer timer_;
    std::optional<store::VideoId> video_;
    std::vector<store::CoEditor> editors_;
};

}  // namespace avvp::workspace

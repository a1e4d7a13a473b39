#pragma once
// Adjudication panel <-> the adjudication workflow (issue 18, item 4): the lanes of the
// current video for the two chosen annotators (workspace::prepareAdjudication), the
// panel's picks, and Save (workspace::saveAdjudication: one undoable edit of the set's own
// history, the adjudicator being the session's annotator).
#include <QObject>
#include <optional>

#include "app/workspace/adjudication.h"

namespace avvp::workspace {
class Session;
}

namespace avvp::ui {
class AdjudicationPanel;
}

namespace avvp::app {

class AdjudicationController : public QObject {
    Q_OBJECT
  public:
    AdjudicationController(workspace::Session* session, ui::AdjudicationPanel* panel,
                           QObject* parent = nullptr);
    const std::optional<workspace::Adjudication>& adjudication() const { return adj_; }

  public slots:
    void setCurrentVideo(std::optional<avvp::store::VideoId> video);
    // Re-reads the annotators with corrections and the lanes.
    void reload();

  private:
    void showLanes();

    workspace::Session* session_;
    ui::AdjudicationPanel* panel_;
    std::optional<store::VideoId> video_;
    QString a_, b_;
    std::optional<workspace::Adjudication> adj_;
};

}  // namespace avvp::app

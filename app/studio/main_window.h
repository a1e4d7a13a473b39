#pragma once
// The annotation workspace window: the video browser (left), the video with its transport
// and, under it, the event timeline (centre), the evaluation, models, edit history and
// jobs (docks), research and training (bottom). It wires the views of ui/ to the session,
// the jobs and the workflows of app/workspace the application hands it: the views see the
// project through a SessionDocument and ask; the controllers (panel_controllers.h) and
// this window's menus carry the requests out.
//
// For later panels: addPanel() docks a widget and lists it in the View menu;
// playheadChanged() and currentVideoChanged() are what they follow.
#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <functional>
#include <optional>

#include "core/store/records.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QSplitter;
class QUndoView;

namespace avvp::ui {
class EvaluationPanel;
class EventTable;
class ExportDialog;
class JobsPanel;
class ModelPanel;
class ResearchPanel;
class TrainingPanel;
class Playback;
class TimelinePanel;
class TimelineView;
class TransportBar;
class VideoBrowser;
class VideoView;
}  // namespace avvp::ui

namespace avvp::workspace {
class JobListModel;
class JobManager;
class Session;
}  // namespace avvp::workspace

namespace avvp::app {

class EvaluationController;
class FeatureController;
class ProjectActions;
class ModelController;
class SessionDocument;
class TrainingController;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    MainWindow(workspace::Session* session, workspace::JobManager* jobs, QWidget* parent = nullptr);
    ~MainWindow() override;

    workspace::Session* session() const { return session_; }
    workspace::JobManager* jobs() const { return jobs_; }
    SessionDocument* document() const { return doc_; }
    ui::VideoBrowser* browser() const { return browser_; }
    ui::TimelinePanel* timelinePanel() const { return timelinePanel_; }
    ui::TimelineView* timeline() const;
    ui::VideoView* videoView() const { return videoView_; }
    ui::TransportBar* transport() const { return transport_; }
    ui::Playback* playback() const { return playback_; }
    ui::EvaluationPanel* evaluationPanel() const { return evaluation_; }
    ui::JobsPanel* jobsPanel() const { return jobsPanel_; }
    ui::ModelPanel* modelPanel() const { return modelPanel_; }
    ui::ResearchPanel* researchPanel() const { return research_; }
    ui::TrainingPanel* trainingPanel() const { return training_; }
    ModelController* models() const { return models_; }
    TrainingController* training() const { return trainingCtl_; }
    EvaluationController* evaluation() const { return evaluationCtl_; }
    FeatureController* features() const { return featuresCtl_; }
    QUndoView* historyView() const { return history_; }
    // The action of a keymap id ("play", "accept", ...) or of a menu item ("undo").
    QAction* action(const QString& id) const { return actions_.value(id); }

    // Docks a panel at `area` and adds its toggle to the View menu.
    QDockWidget* addPanel(const QString& id, const QString& title, QWidget* panel,
                          Qt::DockWidgetArea area);

    bool selectVideo(const QString& filename);
    std::optional<store::VideoId> currentVideo() const { return video_; }
    ui::EventTable* eventTable() const { return eventTable_; }
    // Renames a model run (the timeline's run combo asks); an empty or taken name is
    // refused with a message and changes nothing.
    bool renameRun(store::RunId run, const QString& name);
    // Shown in the title and the status bar, e.g. that the project is the demo.
    void setProjectNote(const QString& note);
    // The LLP folder offered when a new project is created.
    void setDefaultLlpFolder(const QString& folder);
    // Writes the timeline of the current video (PNG / SVG / PDF by extension).
    bool exportTimeline(const QString& path, QString* error);
    ui::ExportDialog* showExportDialog();
    void restoreWindowState();
    void saveWindowState() const;

  public slots:
    void showMessage(const QString& text, bool error = false);

  signals:
    void demoRequested(bool reset);
    // Models ▸ Train the Demo Model: the application trains one on the demo's synthetic data.
    void demoModelRequested();
    void languageChangeRequested();
    void currentVideoChanged(std::optional<avvp::store::VideoId> video);
    void playheadChanged(double seconds);

  protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    // Undo / redo keys in a text field with nothing of its own to undo go to the project.
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void buildActions();
    void buildMenus();
    void buildDocks();
    QAction* makeAction(const char* id, const QString& text, const std::function<void()>& slot);
    void showVideo(std::optional<store::VideoId> video);
    void seekTo(double seconds);
    void stepSegments(int n);
    void updateTitle();
    void fitTimeline();
    void updateSelectionInfo();
    void setLoopSelection(bool on);
    void exportTimelineDialog();
    void showPreferences();
    void showKeymap();
    void onOpened();

    workspace::Session* session_;
    workspace::JobManager* jobs_;
    SessionDocument* doc_;
    workspace::JobListModel* jobModel_;
    ui::Playback* playback_;
    ui::VideoBrowser* browser_;
    ui::EventTable* eventTable_;
    ui::VideoView* videoView_;
    ui::TransportBar* transport_;
    ui::TimelinePanel* timelinePanel_;
    ui::EvaluationPanel* evaluation_;
    ui::JobsPanel* jobsPanel_;
    ui::ModelPanel* modelPanel_;
    ui::ResearchPanel* research_;
    ui::TrainingPanel* training_;
    ModelController* models_;
    TrainingController* trainingCtl_;
    EvaluationController* evaluationCtl_;
    FeatureController* featuresCtl_;
    ProjectActions* project_;
    QUndoView* history_;
    QSplitter* splitter_;
    QLabel* videoTitle_;
    QLabel* projectLabel_;
    QLabel* selectionLabel_;
    QMenu* viewMenu_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QHash<QString, QAction*> actions_;
    QPointer<ui::ExportDialog> exportDialog_;
    std::optional<store::VideoId> video_;
    QString projectNote_;
    bool splitterSetByUser_ = false;
    bool stateRestored_ = false;
    bool docksSized_ = false;
};

}  // namespace avvp::app

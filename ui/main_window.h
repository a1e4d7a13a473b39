#pragma once
// The annotation workspace: the video browser (left), the video with its transport and,
// under it, the event timeline (centre), the evaluation panel, the edit history and the
// jobs (docks). It works on the Session and the JobManager the application hands it.
//
// For later panels (issue 8's research views): addPanel() docks a widget and lists it in
// the View menu; playheadChanged() and currentVideoChanged() are what they follow.
#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <functional>
#include <optional>

#include "core/store/import_report.h"
#include "core/store/records.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QSplitter;
class QUndoView;

namespace avvp::store {
class Store;
}

namespace avvp::ui {

class EvaluationPanel;
class JobContext;
class ExportDialog;
class JobManager;
class JobsPanel;
class ModelPanel;
class ResearchPanel;
class TrainingPanel;
class Playback;
class Session;
class TimelinePanel;
class TimelineView;
class TransportBar;
class VideoBrowser;
class VideoView;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    MainWindow(Session* session, JobManager* jobs, QWidget* parent = nullptr);
    ~MainWindow() override;

    Session* session() const { return session_; }
    JobManager* jobs() const { return jobs_; }
    VideoBrowser* browser() const { return browser_; }
    TimelinePanel* timelinePanel() const { return timelinePanel_; }
    TimelineView* timeline() const;
    VideoView* videoView() const { return videoView_; }
    TransportBar* transport() const { return transport_; }
    Playback* playback() const { return playback_; }
    EvaluationPanel* evaluationPanel() const { return evaluation_; }
    JobsPanel* jobsPanel() const { return jobsPanel_; }
    ModelPanel* modelPanel() const { return modelPanel_; }
    ResearchPanel* researchPanel() const { return research_; }
    TrainingPanel* trainingPanel() const { return training_; }
    QUndoView* historyView() const { return history_; }
    // The action of a keymap id ("play", "accept", ...) or of a menu item ("undo").
    QAction* action(const QString& id) const { return actions_.value(id); }

    // Docks a panel at `area` and adds its toggle to the View menu.
    QDockWidget* addPanel(const QString& id, const QString& title, QWidget* panel,
                          Qt::DockWidgetArea area);

    bool selectVideo(const QString& filename);
    std::optional<store::VideoId> currentVideo() const { return video_; }
    // Shown in the title and the status bar, e.g. that the project is the demo.
    void setProjectNote(const QString& note);
    // The LLP folder offered when a new project is created.
    void setDefaultLlpFolder(const QString& folder) { llpFolder_ = folder; }
    // Writes the timeline of the current video (PNG / SVG / PDF by extension).
    bool exportTimeline(const QString& path, QString* error);
    ExportDialog* showExportDialog();
    void restoreWindowState();
    void saveWindowState() const;

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
    void addRecent(const QString& path);
    void fillRecentMenu();
    void newProject();
    void openProject();
    bool openStore(const QString& path, bool create);
    void runImport(const QString& title,
                   std::function<store::ImportReport(store::Store&, JobContext&)> work);
    void importLlp();
    void importVideos();
    void importFeatures();
    void importLabelFiles();
    void exportTimelineDialog();
    void showPreferences();
    void showKeymap();
    void showMessage(const QString& text, bool error = false);
    void onOpened();

    Session* session_;
    JobManager* jobs_;
    Playback* playback_;
    VideoBrowser* browser_;
    VideoView* videoView_;
    TransportBar* transport_;
    TimelinePanel* timelinePanel_;
    EvaluationPanel* evaluation_;
    JobsPanel* jobsPanel_;
    ModelPanel* modelPanel_;
    ResearchPanel* research_;
    TrainingPanel* training_;
    QUndoView* history_;
    QSplitter* splitter_;
    QLabel* videoTitle_;
    QLabel* projectLabel_;
    QLabel* selectionLabel_;
    QMenu* viewMenu_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QHash<QString, QAction*> actions_;
    QPointer<ExportDialog> exportDialog_;
    std::optional<store::VideoId> video_;
    QString projectNote_;
    QString llpFolder_;
    bool splitterSetByUser_ = false;
    bool stateRestored_ = false;
    bool docksSized_ = false;
};

}  // namespace avvp::ui

#pragma once
// File ▸ New, Open, Open Recent and Import: projects opened in the session (a clear message
// when one cannot be), imports of LLP annotations, label files, videos and features run as
// jobs (workspace::runImport) with their report in the status bar.
#include <QObject>
#include <QString>

#include "core/store/import_report.h"

class QMenu;
class QWidget;

namespace avvp::workspace {
struct ImportRequest;
class JobManager;
class Session;
}  // namespace avvp::workspace

namespace avvp::app {

class ProjectActions : public QObject {
    Q_OBJECT
  public:
    // `window` parents the dialogs (and this object).
    ProjectActions(workspace::Session* session, workspace::JobManager* jobs, QWidget* window);

    // The LLP folder offered when a new project is created.
    void setDefaultLlpFolder(const QString& folder) { llpFolder_ = folder; }

    void newProject();
    void openProject();
    // Opens (or creates) the store; false and a message box when it cannot.
    bool openStore(const QString& path, bool create);
    void addRecent(const QString& path);
    void fillRecentMenu(QMenu* menu);

    void importLlp();
    void importVideos();
    void importFeatures();
    void importLabelFiles();
    void runImport(const QString& title, const workspace::ImportRequest& request);

  signals:
    // Before a project is opened (the window lets go of the current video).
    void opening();
    void message(const QString& text, bool error);

  private:
    workspace::Session* session_;
    workspace::JobManager* jobs_;
    QWidget* window_;
    QString llpFolder_;
};

}  // namespace avvp::app

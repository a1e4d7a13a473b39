#pragma once
// File ▸ New, Open, Open Recent and Import: projects opened in the session (a clear message
// when one cannot be), imports of LLP annotations, label files, videos and features run as
// jobs (workspace::runImport) with their report in the status bar.
#include <QObject>
#include <QString>

#include <functional>

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
    // Asks for a PostgreSQL URL (postgresql://user[:password]@host:port/db) and opens that
    // team store, creating the schema in an empty database.
    void connectTeamStore();
    // Opens (or creates) the store; false and a message box when it cannot.
    bool openStore(const QString& path, bool create);
    void addRecent(const QString& path);
    void fillRecentMenu(QMenu* menu);

    void importLlp();
    void importVideos();
    void importFeatures();
    void importLabelFiles();
    // Runs the import as a job. One that would delete ground-truth events (a header-only or
    // truncated ground-truth file) changes nothing until the user confirms: the question
    // lists what it deletes (default No); yes runs it again, allowed to delete.
    void runImport(const QString& title, const workspace::ImportRequest& request);

    // Asks the question of a confirmation (title, text) and returns the answer; by default
    // a QMessageBox::question with No as default button. Tests answer without a modal.
    using Confirm = std::function<bool(const QString& title, const QString& text)>;
    void setConfirm(Confirm confirm) { confirm_ = std::move(confirm); }

  signals:
    // Before a project is opened (the window lets go of the current video).
    void opening();
    void message(const QString& text, bool error);

  private:
    workspace::Session* session_;
    workspace::JobManager* jobs_;
    QWidget* window_;
    QString llpFolder_;
    Confirm confirm_;

    void runImportJob(const QString& title, const workspace::ImportRequest& request, bool replace);
};

}  // namespace avvp::app

#pragma once
// The application object of avvp-studio: it owns the session (store + undo stack), the
// job manager and the translators, creates the workspace window and rebuilds it when the
// language changes (the session, and with it the undo history, stays), and prepares the
// demo project in the background.
#include <QObject>
#include <QString>
#include <QTranslator>
#include <functional>
#include <memory>
#include <optional>

#include "app/workspace/demo_model.h"

namespace avvp::workspace {
class JobManager;
class Session;
}  // namespace avvp::workspace

namespace avvp::app {

class MainWindow;

struct StudioOptions {
    QString llpFolder = {};   // for the demo and new projects
    QString avvpBinary = {};  // `avvp` beside the executable (for avvp synth)
    QString demoFolder = {};
    QString language = {};  // overrides the setting when not empty
    // After the demo opens: train the demo model when it is not cached (about a minute, in
    // the background), load it and run it on the videos with features.
    bool demoModel = false;
    workspace::DemoModelOptions demoModelOptions = {};  // its size; the folder is demoFolder's
};

class Studio : public QObject {
    Q_OBJECT
  public:
    explicit Studio(StudioOptions options, QObject* parent = nullptr);
    ~Studio() override;

    workspace::Session* session() const { return session_; }
    workspace::JobManager* jobs() const { return jobs_; }
    MainWindow* window() const { return window_.get(); }

    // Opens a store (false and a message on failure).
    bool openStore(const QString& path);
    // Builds (first time) or reuses the demo project in the background, then opens it and
    // calls `then` (with false when it failed or was cancelled).
    void openDemo(bool reset, std::function<void(bool)> then = {});
    // "" = system locale; installs the translators and rebuilds the window.
    void setLanguage(const QString& code);
    // Trains the demo model when missing (a job), loads it into the Models panel and runs
    // it on the project's videos with features, then shows the first such video; `then`
    // hears whether it worked.
    void useDemoModel(std::function<void(bool)> then = {});
    QString language() const { return language_; }
    // The window title's note on the demo project, in the current language (`synth`: the
    // demo holds the SYNTHETIC dataset of `avvp synth --render`).
    static QString demoNote(bool synth);

  signals:
    void windowRebuilt(avvp::app::MainWindow* window);

  private:
    void installTranslators(const QString& code);
    void createWindow();

    StudioOptions options_;
    workspace::Session* session_;
    workspace::JobManager* jobs_;
    std::unique_ptr<MainWindow> window_;
    QTranslator qtTranslator_, appTranslator_;
    QString language_;
    QString projectNote_;
    int demoKind_ = 0;  // the open demo: 0 none, 1 with the synth dataset, 2 without
};

}  // namespace avvp::app

#include "app/studio/studio.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QTimer>

#include "app/studio/main_window.h"
#include "app/studio/panel_controllers.h"
#include "app/workspace/demo_model.h"
#include "app/workspace/demo_project.h"
#include "app/workspace/jobs.h"
#include "app/workspace/model_workflow.h"
#include "app/workspace/session.h"
#include "app/workspace/settings.h"
#include "core/store/store.h"
#include "ui/panels/training_panel.h"
#include "ui/panels/video_browser.h"

namespace avvp::app {

using workspace::DemoModel;
using workspace::DemoModelOptions;
using workspace::DemoOptions;
using workspace::DemoProject;
using workspace::Job;
using workspace::JobContext;

Studio::Studio(StudioOptions options, QObject* parent)
    : QObject(parent), options_(std::move(options)) {
    session_ = new workspace::Session(this);
    jobs_ = new workspace::JobManager(this);
    installTranslators(options_.language.isEmpty() ? workspace::settings::language()
                                                   : options_.language);
    createWindow();
}

Studio::~Studio() {
    if (window_) window_->saveWindowState();
    window_.reset();
    jobs_->cancelAll();
    jobs_->waitAll(10000);
}

void Studio::installTranslators(const QString& code) {
    language_ = code;
    QApplication::removeTranslator(&qtTranslator_);
    QApplication::removeTranslator(&appTranslator_);
    const QLocale locale = code.isEmpty() ? QLocale() : QLocale(code);
    QLocale::setDefault(locale);
    if (qtTranslator_.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator_);
    if (appTranslator_.load(locale, QStringLiteral("avvp"), QStringLiteral("_"),
                            QStringLiteral(":/i18n")))
        QApplication::installTranslator(&appTranslator_);
}

void Studio::createWindow() {
    window_ = std::make_unique<MainWindow>(session_, jobs_);
    window_->setDefaultLlpFolder(options_.llpFolder);
    window_->setProjectNote(projectNote_);
    window_->restoreWindowState();
    connect(window_.get(), &MainWindow::demoRequested, this,
            [this](bool reset) { openDemo(reset); });
    connect(window_.get(), &MainWindow::demoModelRequested, this, [this] { useDemoModel(); });
    connect(window_.get(), &MainWindow::languageChangeRequested, this, [this] {
        // Not from inside the window's own slot: rebuild once control is back in the loop.
        QTimer::singleShot(0, this, [this] { setLanguage(workspace::settings::language()); });
    });
}

void Studio::setLanguage(const QString& code) {
    const bool visible = window_ && window_->isVisible();
    const QString video = window_ ? window_->browser()->currentFilename() : QString();
    if (window_) window_->saveWindowState();
    window_.reset();
    installTranslators(code);
    createWindow();
    if (!video.isEmpty()) window_->selectVideo(video);
    if (visible) window_->show();
    emit windowRebuilt(window_.get());
}

bool Studio::openStore(const QString& path) {
    projectNote_.clear();
    if (!session_->open(path)) {
        QMessageBox::warning(window_.get(), tr("Open project"),
                             tr("Cannot open %1:\n%2").arg(path, session_->lastError()));
        return false;
    }
    window_->setProjectNote(QString());
    return true;
}

void Studio::openDemo(bool reset, std::function<void(bool)> then) {
    DemoOptions o;
    o.folder = options_.demoFolder.toStdString();
    o.llp = options_.llpFolder.toStdString();
    o.avvp = options_.avvpBinary.toStdString();
    o.reset = reset;
    if (reset || session_->path() == QString::fromStdString((o.folder / "demo.avvpstore").string()))
        session_->close();
    jobs_->run<DemoProject>(
        tr("Prepare the demo project"),
        [o](JobContext& ctx) { return workspace::ensureDemoProject(o, &ctx); },
        [this, then](DemoProject& demo) {
            const bool ok = session_->open(QString::fromStdString(demo.store.string()));
            if (ok) {
                projectNote_ = QString::fromStdString(demo.note);
                window_->setProjectNote(projectNote_);
                if (options_.demoModel) {
                    useDemoModel([then](bool) {
                        if (then) then(true);
                    });
                    return;
                }
            } else {
                QMessageBox::warning(window_.get(), tr("Demo project"), session_->lastError());
            }
            if (then) then(ok);
        },
        [this, then](const QString& error) {
            QMessageBox::warning(window_.get(), tr("Demo project"),
                                 tr("The demo project could not be prepared:\n%1").arg(error));
            if (then) then(false);
        });
}

}  // namespace avvp::app

namespace avvp::app {

void Studio::useDemoModel(std::function<void(bool)> then) {
    const QString folder = options_.demoFolder;
    DemoModelOptions o = options_.demoModelOptions;
    o.folder = folder.toStdString();
    jobs_->run<DemoModel>(
        tr("Train the demo model (SYNTHETIC data)"),
        [o](JobContext& ctx) { return workspace::ensureDemoModel(o, &ctx); },
        [this, then, folder](DemoModel& model) {
            const QString ckpt = QString::fromStdString(model.checkpoint.string());
            window_->trainingPanel()->setData(folder + QStringLiteral("/synth/features"),
                                              folder + QStringLiteral("/synth/labels"),
                                              folder + QStringLiteral("/my-model"));
            // The workflow itself (not the panel's buttons); the panel follows its signals.
            auto* models = window_->models()->workflow();
            auto* job = models->load(ckpt, QStringLiteral("auto"), tr("Load the demo model"));
            if (!job) {
                if (then) then(false);
                return;
            }
            connect(job, &Job::ended, this, [this, then](Job* j) {
                if (j->state() != Job::State::Finished || !session_->isOpen()) {
                    if (then) then(false);
                    return;
                }
                // The demo model's run, once: on every video with features.
                const QString name = QString::fromLatin1(workspace::kDemoModelRunName);
                std::vector<store::VideoId> ids;
                for (const auto& v : session_->store()->videos())
                    if (!v.features.empty()) ids.push_back(v.video.id);
                if (const auto run = session_->store()->runByName(workspace::kDemoModelRunName)) {
                    // A run of an earlier version stored no research outputs: made again.
                    if (ids.empty() ||
                        !session_->store()->runOutputs(run->id, ids.front()).empty()) {
                        session_->setRun(run->id);
                        if (then) then(true);
                        return;
                    }
                    session_->store()->deleteRun(run->id);
                }
                auto* run = window_->models()->workflow()->run(
                    ids, std::nullopt, name, tr("Run the demo model on the synthetic videos"));
                if (!run) {
                    if (then) then(false);
                    return;
                }
                connect(run, &Job::ended, this, [this, then](Job* r) {
                    const bool ok = r->state() == Job::State::Finished;
                    // Show a video the model ran on: the demo's long video (a user's own
                    // video of 90 s, windowed run), else a test video with footage (it has
                    // ground truth to compare with), else one with footage, else any.
                    if (ok && session_->isOpen()) {
                        QString first;
                        int rank = 0;
                        for (const auto& v : session_->store()->videos()) {
                            if (v.features.empty()) continue;
                            const int score =
                                1 + (v.video.mediaPath.empty() ? 0 : 1) +
                                (v.video.split == core::Split::Test ? 2 : 0) +
                                (v.video.segments() > core::kLlpSegments && v.video.groundTruth[0]
                                     ? 4
                                     : 0);
                            if (score > rank) {
                                rank = score;
                                first = QString::fromStdString(v.video.filename);
                            }
                        }
                        if (!first.isEmpty()) window_->selectVideo(first);
                    }
                    if (then) then(ok);
                });
            });
        },
        [this, then](const QString& error) {
            QMessageBox::warning(window_.get(), tr("Demo model"),
                                 tr("The demo model could not be trained:\n%1").arg(error));
            if (then) then(false);
        });
}

}  // namespace avvp::app

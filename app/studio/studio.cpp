#include "app/studio/studio.h"

#include <QApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>

#include "app/studio/demo_project.h"
#include "ui/jobs/job.h"
#include "ui/main_window.h"
#include "ui/panels/video_browser.h"
#include "ui/session.h"

namespace avvp::app {

Studio::Studio(StudioOptions options, QObject* parent)
    : QObject(parent), options_(std::move(options)) {
    session_ = new ui::Session(this);
    jobs_ = new ui::JobManager(this);
    installTranslators(options_.language.isEmpty()
                           ? QSettings().value(QStringLiteral("ui/language")).toString()
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
    window_ = std::make_unique<ui::MainWindow>(session_, jobs_);
    window_->setDefaultLlpFolder(options_.llpFolder);
    window_->setProjectNote(projectNote_);
    window_->restoreWindowState();
    connect(window_.get(), &ui::MainWindow::demoRequested, this,
            [this](bool reset) { openDemo(reset); });
    connect(window_.get(), &ui::MainWindow::languageChangeRequested, this, [this] {
        // Not from inside the window's own slot: rebuild once control is back in the loop.
        QTimer::singleShot(0, this, [this] {
            setLanguage(QSettings().value(QStringLiteral("ui/language")).toString());
        });
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
        [o](ui::JobContext& ctx) {
            try {
                return ensureDemoProject(
                    o,
                    [&ctx](const std::string& stage, double f) {
                        ctx.progress(QString::fromStdString(stage), f);
                    },
                    &ctx.cancelFlag());
            } catch (...) {
                if (ctx.cancelled()) throw ui::JobCancelled();
                throw;
            }
        },
        [this, then](DemoProject& demo) {
            const bool ok = session_->open(QString::fromStdString(demo.store.string()));
            if (ok) {
                projectNote_ = QString::fromStdString(demo.note);
                window_->setProjectNote(projectNote_);
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

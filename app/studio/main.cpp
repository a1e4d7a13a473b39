// avvp-studio: the desktop application of AVVP Studio (a thin main over app/studio).
#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QScreen>
#include <QTimer>
#include <cstdio>

#include "app/common/paths.h"
#include "app/studio/main_window.h"
#include "app/studio/studio.h"
#include "app/workspace/settings.h"
#include "ui/media/playback.h"
#include "ui/timeline/timeline_panel.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("AVVP Studio"));
    QApplication::setOrganizationName(QStringLiteral("avvp-studio"));
    QApplication::setApplicationVersion(QStringLiteral(AVVP_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Audio-visual video parsing: play videos, correct their audio / visual events, score and "
        "export them.\n"
        "Without --store or --demo it opens the last project, else the demo project."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption storeOpt(QStringLiteral("store"),
                                      QStringLiteral("Label store (project) to open."),
                                      QStringLiteral("file"));
    const QCommandLineOption demoOpt(
        QStringLiteral("demo"),
        QStringLiteral("Open the demo project (built on first use, then cached)."));
    const QCommandLineOption resetOpt(
        QStringLiteral("reset-demo"),
        QStringLiteral("Build the demo project again (drops its edits)."));
    const QCommandLineOption llpOpt(
        QStringLiteral("llp"),
        QStringLiteral("LLP annotation folder for the demo and new projects."),
        QStringLiteral("dir"));
    const QCommandLineOption videoOpt(QStringLiteral("video"), QStringLiteral("Video to show."),
                                      QStringLiteral("filename"));
    const QCommandLineOption seekOpt(QStringLiteral("seek"),
                                     QStringLiteral("Start at this time (seconds)."),
                                     QStringLiteral("t"));
    const QCommandLineOption playOpt(QStringLiteral("play"), QStringLiteral("Start playing."));
    const QCommandLineOption langOpt(QStringLiteral("lang"),
                                     QStringLiteral("User-interface language (en, zh_CN)."),
                                     QStringLiteral("code"));
    const QCommandLineOption shotOpt(
        QStringLiteral("screenshot"),
        QStringLiteral("Write the window to this PNG once it is ready, then exit."),
        QStringLiteral("file"));
    const QCommandLineOption delayOpt(
        QStringLiteral("screenshot-delay"),
        QStringLiteral("Milliseconds to wait after loading before the screenshot."),
        QStringLiteral("ms"), QStringLiteral("1500"));
    const QCommandLineOption noModelOpt(
        QStringLiteral("no-demo-model"),
        QStringLiteral("Open the demo without training / running its demo model."));
    const QCommandLineOption compareOpt(
        QStringLiteral("compare"),
        QStringLiteral("Compare the shown run with this run (the timeline's Compare with)."),
        QStringLiteral("run"));
    parser.addOptions({storeOpt, demoOpt, resetOpt, llpOpt, videoOpt, seekOpt, playOpt, langOpt,
                       shotOpt, delayOpt, noModelOpt, compareOpt});
    parser.process(app);

    avvp::app::StudioOptions options;
    options.llpFolder = parser.isSet(llpOpt)
                            ? parser.value(llpOpt)
                            : QString::fromStdString(avvp::app::defaultLlpFolder().string());
    options.avvpBinary = QString::fromStdString((avvp::app::executableDir() / "avvp").string());
    options.demoFolder = QString::fromStdString(avvp::app::defaultDemoFolder().string());
    options.language = parser.value(langOpt);
    options.demoModel = !parser.isSet(noModelOpt);
    avvp::app::Studio studio(options);

    const QString shot = parser.value(shotOpt);
    // What to do once the project is open: the video, the position, playback, a screenshot.
    auto ready = [&](bool ok) {
        auto* w = studio.window();
        if (!ok && !shot.isEmpty()) {
            std::fprintf(stderr, "avvp-studio: the project could not be opened\n");
            QApplication::exit(2);
            return;
        }
        if (parser.isSet(videoOpt) && !w->selectVideo(parser.value(videoOpt)))
            std::fprintf(stderr, "avvp-studio: no video '%s' in the project\n",
                         qPrintable(parser.value(videoOpt)));
        if (parser.isSet(seekOpt)) w->playback()->seek(parser.value(seekOpt).toDouble());
        if (parser.isSet(compareOpt)) {
            auto* combo = w->timelinePanel()->compareCombo();
            const int i = combo->findText(parser.value(compareOpt));
            if (i > 0) {
                combo->setCurrentIndex(i);
                emit combo->activated(i);
            } else {
                std::fprintf(stderr, "avvp-studio: no run '%s' to compare with\n",
                             qPrintable(parser.value(compareOpt)));
            }
        }
        if (parser.isSet(playOpt)) w->playback()->play();
        if (!shot.isEmpty())
            QTimer::singleShot(parser.value(delayOpt).toInt(), w, [&studio, shot] {
                auto* win = studio.window();
                // The real screen when there is one (Xvfb), else the widgets' own rendering.
                QPixmap px;
                if (auto* screen = win->screen();
                    screen && QGuiApplication::platformName() != QLatin1String("offscreen"))
                    px = screen->grabWindow(win->winId());
                if (px.isNull()) px = win->grab();
                const bool saved = px.save(shot);
                std::fprintf(stderr, "avvp-studio: %s %s\n", saved ? "wrote" : "could not write",
                             qPrintable(shot));
                QApplication::exit(saved ? 0 : 1);
            });
    };
    studio.window()->show();
    const QString last = avvp::workspace::settings::recentStores().value(0);
    if (parser.isSet(storeOpt)) {
        ready(studio.openStore(parser.value(storeOpt)));
    } else if (!parser.isSet(demoOpt) && !parser.isSet(resetOpt) && !last.isEmpty() &&
               QFileInfo::exists(last) && !last.endsWith(QStringLiteral("/demo.avvpstore"))) {
        ready(studio.openStore(last));
    } else {
        studio.openDemo(parser.isSet(resetOpt), ready);
    }
    return QApplication::exec();
}

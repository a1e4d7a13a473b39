// avvp-studio: the desktop application of AVVP Studio.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTimer>
#include <QTranslator>
#include <cstdio>

#include "app/common/paths.h"
#include "ui/main_window.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("AVVP Studio"));
    QApplication::setOrganizationName(QStringLiteral("avvp-studio"));
    QApplication::setApplicationVersion(QStringLiteral(AVVP_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Audio-visual video parsing: browse, annotate and score LLP event labels."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption llpOpt(QStringLiteral("llp"), QStringLiteral("LLP annotation folder to open."),
                              QStringLiteral("dir"));
    QCommandLineOption splitOpt(QStringLiteral("split"),
                                QStringLiteral("Split to show: train, val, test or all."),
                                QStringLiteral("name"), QStringLiteral("test"));
    QCommandLineOption videoOpt(QStringLiteral("video"), QStringLiteral("Video to select."),
                                QStringLiteral("filename"));
    QCommandLineOption langOpt(QStringLiteral("lang"),
                               QStringLiteral("User-interface language (en, zh_CN)."),
                               QStringLiteral("code"));
    QCommandLineOption shotOpt(QStringLiteral("screenshot"),
                               QStringLiteral("Render the window to this PNG file and exit."),
                               QStringLiteral("file"));
    parser.addOptions({llpOpt, splitOpt, videoOpt, langOpt, shotOpt});
    parser.process(app);

    QTranslator qtTr, appTr;
    const QLocale locale = parser.isSet(langOpt) ? QLocale(parser.value(langOpt)) : QLocale();
    if (qtTr.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                  QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTr);
    if (appTr.load(locale, QStringLiteral("avvp"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&appTr);

    avvp::ui::MainWindow window;
    QString folder = parser.value(llpOpt);
    if (folder.isEmpty())
        folder = QSettings().value(QStringLiteral("llp/lastFolder")).toString();
    if (folder.isEmpty() || !QDir(folder).exists())
        folder = QString::fromStdString(avvp::app::defaultLlpFolder().string());
    const bool shot = parser.isSet(shotOpt);
    if (!window.openFolder(folder, !shot) && shot) {
        std::fprintf(stderr, "avvp-studio: %s\n", qPrintable(window.lastError()));
        return 2;
    }
    window.setSplit(parser.value(splitOpt));
    if (parser.isSet(videoOpt)) window.selectVideo(parser.value(videoOpt));
    window.show();
    if (shot) {
        QTimer::singleShot(300, &window, [&] {
            const bool ok = window.grab().save(parser.value(shotOpt));
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return QApplication::exec();
}

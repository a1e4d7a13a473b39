#include "app/workspace/settings.h"

#include <QSettings>

namespace avvp::workspace {

QString defaultAnnotator() {
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? QStringLiteral("annotator") : user;
}

namespace settings {

namespace {
const QString kLanguage = QStringLiteral("ui/language");
const QString kAnnotator = QStringLiteral("annotator");
const QString kAudio = QStringLiteral("audio/enabled");
const QString kSnap = QStringLiteral("timeline/snap");
const QString kSpectrogram = QStringLiteral("timeline/spectrogram");
const QString kRowHeight = QStringLiteral("timeline/rowHeight");
const QString kRecent = QStringLiteral("recent/stores");
const QString kLastVideo = QStringLiteral("lastVideo/");
const QString kProjectRun = QStringLiteral("projectRun/");
const QString kCheckpoint = QStringLiteral("models/checkpoint");
const QString kExportFormat = QStringLiteral("export/format");
const QString kExportFolder = QStringLiteral("export/folder");
const QString kEncoders = QStringLiteral("features/encoders");
const QString kProjectEncoders = QStringLiteral("features/projectEncoders/");
}  // namespace

QString language() {
    return QSettings().value(kLanguage).toString();
}

QString annotator() {
    const QString who = QSettings().value(kAnnotator).toString();
    return who.isEmpty() ? defaultAnnotator() : who;
}

void setLanguage(const QString& code) {
    QSettings().setValue(kLanguage, code);
}

void setAnnotator(const QString& name) {
    QSettings().setValue(kAnnotator,
                         name.trimmed().isEmpty() ? defaultAnnotator() : name.trimmed());
}

bool audioEnabled() {
    return QSettings().value(kAudio, true).toBool();
}

void setAudioEnabled(bool on) {
    QSettings().setValue(kAudio, on);
}

bool timelineSnap() {
    return QSettings().value(kSnap, true).toBool();
}

void setTimelineSnap(bool on) {
    QSettings().setValue(kSnap, on);
}

bool timelineSpectrogram() {
    return QSettings().value(kSpectrogram, true).toBool();
}

void setTimelineSpectrogram(bool on) {
    QSettings().setValue(kSpectrogram, on);
}

int timelineRowHeight(int fallback) {
    bool ok = false;
    const int px = QSettings().value(kRowHeight, fallback).toInt(&ok);
    return ok ? px : fallback;
}

void setTimelineRowHeight(int px) {
    QSettings().setValue(kRowHeight, px);
}

QStringList recentStores() {
    return QSettings().value(kRecent).toStringList();
}

void addRecentStore(const QString& path) {
    QStringList recent = recentStores();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 8) recent.removeLast();
    QSettings().setValue(kRecent, recent);
}

QString lastVideo(const QString& store) {
    return QSettings().value(kLastVideo + store).toString();
}

void setLastVideo(const QString& store, const QString& filename) {
    QSettings().setValue(kLastVideo + store, filename);
}

qint64 projectRun(const QString& store) {
    return QSettings().value(kProjectRun + store, 0).toLongLong();
}

void setProjectRun(const QString& store, qint64 run) {
    if (run <= 0)
        QSettings().remove(kProjectRun + store);
    else
        QSettings().setValue(kProjectRun + store, run);
}

QString modelCheckpoint() {
    return QSettings().value(kCheckpoint).toString();
}

void setModelCheckpoint(const QString& path) {
    QSettings().setValue(kCheckpoint, path);
}

QString encodersFolder() {
    return QSettings().value(kEncoders).toString();
}

void setEncodersFolder(const QString& folder) {
    QSettings().setValue(kEncoders, folder.trimmed());
}

QString projectEncodersFolder(const QString& store) {
    return QSettings().value(kProjectEncoders + store).toString();
}

void setProjectEncodersFolder(const QString& store, const QString& folder) {
    if (folder.trimmed().isEmpty())
        QSettings().remove(kProjectEncoders + store);
    else
        QSettings().setValue(kProjectEncoders + store, folder.trimmed());
}

QString encodersFolderFor(const QString& store) {
    const QString own = projectEncodersFolder(store);
    return own.isEmpty() ? encodersFolder() : own;
}

int exportFormat(int fallback) {
    return QSettings().value(kExportFormat, fallback).toInt();
}

void setExportFormat(int format) {
    QSettings().setValue(kExportFormat, format);
}

QString exportFolder() {
    return QSettings().value(kExportFolder).toString();
}

void setExportFolder(const QString& folder) {
    QSettings().setValue(kExportFolder, folder);
}

QMap<QString, QStringList> keymap() {
    QSettings s;
    s.beginGroup(QStringLiteral("keymap"));
    QMap<QString, QStringList> out;
    for (const auto& key : s.childKeys()) out.insert(key, s.value(key).toStringList());
    return out;
}

void setKeymap(const QMap<QString, QStringList>& keys) {
    QSettings s;
    s.remove(QStringLiteral("keymap"));
    s.beginGroup(QStringLiteral("keymap"));
    for (auto it = keys.begin(); it != keys.end(); ++it) s.setValue(it.key(), it.value());
}

QVariantMap state(const QString& group) {
    QSettings s;
    s.beginGroup(group);
    QVariantMap out;
    for (const auto& key : s.childKeys()) out.insert(key, s.value(key));
    return out;
}

void setState(const QString& group, const QVariantMap& values) {
    QSettings s;
    s.beginGroup(group);
    for (auto it = values.begin(); it != values.end(); ++it) s.setValue(it.key(), it.value());
}

}  // namespace settings

}  // namespace avvp::workspace

#pragma once
// The application's persistent preferences and state (QSettings), every key in one place.
// The views never read settings: the application reads them here and hands the values to
// the views, and stores what they report back.
#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace avvp::workspace {

// The annotator name used when none is configured: $USER, else "annotator".
QString defaultAnnotator();

namespace settings {

QString language();  // "" (system), "en", "zh_CN"
void setLanguage(const QString& code);
QString annotator();                     // defaultAnnotator() when none is set
void setAnnotator(const QString& name);  // blank: defaultAnnotator()
bool audioEnabled();
void setAudioEnabled(bool on);
bool timelineSnap();
void setTimelineSnap(bool on);
bool timelineSpectrogram();
void setTimelineSpectrogram(bool on);
// The timeline's strip height in pixels (View > Row Height); `fallback` when none is set.
int timelineRowHeight(int fallback);
void setTimelineRowHeight(int px);

// Recently opened projects, newest first (at most 8).
QStringList recentStores();
void addRecentStore(const QString& path);
// The video last shown in a project.
QString lastVideo(const QString& store);
void setLastVideo(const QString& store, const QString& filename);
// The predictions run last shown in a project (its id in that store; 0: none chosen).
qint64 projectRun(const QString& store);
void setProjectRun(const QString& store, qint64 run);

QString modelCheckpoint();
void setModelCheckpoint(const QString& path);

// Feature extraction: the encoders folder (the manifest.json `avvp features` reads) of
// the Preferences, and a project's own choice, which wins over it. A project's choice is
// kept per store path in the application's settings (not in the store: the folder is a
// place on this machine, and the store may travel). "" clears it.
QString encodersFolder();
void setEncodersFolder(const QString& folder);
QString projectEncodersFolder(const QString& store);
void setProjectEncodersFolder(const QString& store, const QString& folder);
// What a project extracts with: its own folder, else the Preferences' one ("" for none).
QString encodersFolderFor(const QString& store);

int exportFormat(int fallback);
void setExportFormat(int format);
QString exportFolder();
void setExportFolder(const QString& folder);

// The keyboard shortcuts the user changed (Help > Keyboard Shortcuts): action id → its
// keys as portable texts ("Ctrl+E"; an empty list: no shortcut). setKeymap replaces them
// all (an empty map: every action has its default keys).
QMap<QString, QStringList> keymap();
void setKeymap(const QMap<QString, QStringList>& keys);

// Free-form state of a part of the window (a view's saved layout, filters): a map under a
// group ("browser", "window").
QVariantMap state(const QString& group);
void setState(const QString& group, const QVariantMap& values);

}  // namespace settings

}  // namespace avvp::workspace

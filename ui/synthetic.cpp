#include "ui/synthetic.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

namespace avvp::ui {

bool isSyntheticVideoName(const QString& filename) {
    static const QRegularExpression re(QStringLiteral("^synth\\d+(_|$)"));
    return re.match(filename).hasMatch();
}

namespace {

bool folderMarked(const QString& dir) {
    if (QFileInfo::exists(dir + QStringLiteral("/SYNTHETIC"))) return true;
    QFile readme(dir + QStringLiteral("/README.md"));
    if (!readme.open(QIODevice::ReadOnly)) return false;
    return QString::fromUtf8(readme.readLine()).contains(QStringLiteral("SYNTHETIC"));
}

}  // namespace

bool SyntheticMediaCheck::operator()(const QString& mediaPath) {
    if (mediaPath.isEmpty()) return false;
    auto& cache = folders_;
    QDir dir = QFileInfo(mediaPath).absoluteDir();
    // The file's folder and its parent (avvp synth --render writes DIR/videos/...).
    for (int up = 0; up < 2; ++up) {
        const QString key = dir.absolutePath();
        auto it = cache.find(key);
        if (it == cache.end()) it = cache.insert(key, folderMarked(key));
        if (*it) return true;
        if (!dir.cdUp()) break;
    }
    return false;
}

}  // namespace avvp::ui

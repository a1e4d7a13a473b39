#pragma once
// Helpers of the GUI tests: a scratch store (empty, or with the real LLP annotation files
// imported), a small SYNTHETIC video rendered from labels, and waiting for a condition
// while the event loop runs.
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <filesystem>
#include <functional>
#include <memory>

#include "core/media/label_video.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"

namespace avvp::ui::test {

inline const std::filesystem::path kSource = AVVP_SOURCE_DIR;
inline const std::filesystem::path kLlp = kSource / "resources" / "llp";

// Every GUI test: no audio device attempts unless a test asks, settings in test mode.
inline void initGuiTest(const char* name) {
    QCoreApplication::setOrganizationName(QStringLiteral("avvp-tests"));
    QCoreApplication::setApplicationName(QString::fromLatin1(name));
    QStandardPaths::setTestModeEnabled(true);
    qputenv("AVVP_NO_AUDIO", "1");
}

class ScratchDir {
  public:
    ScratchDir() { QVERIFY2(dir_.isValid(), "no temporary folder"); }
    std::filesystem::path path() const { return dir_.path().toStdString(); }
    std::filesystem::path operator/(const std::string& name) const { return path() / name; }
    QString file(const QString& name) const { return dir_.filePath(name); }

  private:
    QTemporaryDir dir_;
};

// A store with the LLP annotation files imported (~0.3 s).
inline void importLlpInto(const std::filesystem::path& store) {
    auto s = store::Store::open(store);
    store::importLlp(*s, store::LlpFiles::inFolder(kLlp));
}

// A 2 s 160 x 90 SYNTHETIC video of these events.
inline void renderTinyVideo(const std::filesystem::path& file,
                            const std::vector<media::LabelSpan>& events, double seconds = 2.0) {
    media::LabelVideoOptions o;
    o.width = 160;
    o.height = 90;
    o.frameRate = 10;
    media::renderLabelVideo(file, events, seconds, o);
}

inline bool waitFor(const std::function<bool()>& done, int timeoutMs = 5000) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired()) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QTest::qWait(5);
    }
    return true;
}

}  // namespace avvp::ui::test

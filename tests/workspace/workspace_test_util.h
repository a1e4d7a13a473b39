#pragma once
// Helpers of the application-layer tests (no widgets: QtCore's event loop only): settings
// in test mode, a scratch folder, the real LLP files, waiting while events run, and a
// small SYNTHETIC project (core/synth.h features imported into a store) with a tiny real
// model checkpoint.
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <filesystem>
#include <functional>
#include <vector>

#include "core/feature_dataset.h"
#include "core/llp_files.h"
#include "core/store/llp_import.h"
#include "core/store/store.h"
#include "core/synth.h"
#include "models/model_api.h"

namespace avvp::workspace::test {

inline const std::filesystem::path kSource = AVVP_SOURCE_DIR;
inline const std::filesystem::path kLlp = kSource / "resources" / "llp";

inline void initTest(const char* name) {
    QCoreApplication::setOrganizationName(QStringLiteral("avvp-tests"));
    QCoreApplication::setApplicationName(QString::fromLatin1(name));
    QStandardPaths::setTestModeEnabled(true);
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

inline bool waitFor(const std::function<bool()>& done, int timeoutMs = 5000) {
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired()) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QTest::qWait(5);
    }
    return true;
}

// A store of 16 SYNTHETIC videos with VGGish + CLIP features (small and fast), their labels,
// one video without features, and a tiny model of `variant` fitting the features.
struct TinyProject {
    std::filesystem::path synth, store, checkpoint;
    std::vector<store::VideoId> test;  // the test split's videos
    store::VideoId noFeatures = 0;
};

inline TinyProject makeTinyProject(const std::filesystem::path& dir,
                                   const std::string& variant = "valor") {
    TinyProject p;
    p.synth = dir / "synth";
    core::SynthOptions so;
    so.videos = 16;
    so.seed = 5;
    so.audio = core::AudioFeature::Vggish;
    so.motion = false;
    core::writeSynthDataset(p.synth, so);
    p.store = dir / "p.avvpstore";
    {
        auto s = store::Store::open(p.store);
        store::importLlp(*s, store::LlpFiles::inFolder(p.synth / "labels"));
        store::importFeatures(*s, p.synth / "features");
        for (const auto& v : s->videos({.split = core::Split::Test})) p.test.push_back(v.video.id);
        p.noFeatures = s->ensureVideo({.filename = "own_video_without_features"});
    }
    auto cfg = models::defaultConfig(variant);
    core::FeatureDataset data(
        p.synth / "features",
        core::featureVideos(core::readWeakLabels(p.synth / "labels" / "AVVP_test_pd.csv")));
    models::adoptFeatures(cfg, data.spec());
    cfg.hidden = 16;
    cfg.layers = 1;
    cfg.heads = 2;
    cfg.ff = 32;
    p.checkpoint = dir / (variant + ".ckpt");
    models::Model::create(cfg, 3).save(p.checkpoint);
    return p;
}

}  // namespace avvp::workspace::test

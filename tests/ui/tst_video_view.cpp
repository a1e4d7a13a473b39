// The video view on a tiny generated video: our own painting shows the decoded frame
// (so grab() sees it), the transport semantics (segment and frame steps, J/K/L, Home /
// End) move the player, audio-only hides the picture, playing with the system audio path
// neither hangs nor crashes without a device, and a bad file is refused with its name.
#include <QImage>
#include <QSignalSpy>
#include <QTest>

#include "core/media/label_video.h"
#include "core/media/video_frame.h"
#include "ui/media/playback.h"
#include "ui/widgets/video_view.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;

namespace {

const int kDog = *core::classIndex("Dog");

// Pixels of the shape's colour family: saturated and bright (the background is a dark
// grey-blue gradient, the caption orange at the top, the segment bar grey at the bottom).
int shapePixels(const QImage& img) {
    int n = 0;
    for (int y = img.height() * 35 / 100; y < img.height() * 3 / 4; ++y)
        for (int x = 0; x < img.width(); ++x) {
            const QColor c = img.pixelColor(x, y);
            if (c.saturation() > 120 && c.value() > 150) ++n;
        }
    return n;
}

}  // namespace

class TestVideoView : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    QString video_;

  private slots:
    void initTestCase() {
        test::initGuiTest("tst_video_view");
        dir_ = std::make_unique<test::ScratchDir>();
        video_ = dir_->file(QStringLiteral("tiny.mp4"));
        // Dog seen from 0.5 to 1.5 s, heard from 1 to 2 s.
        test::renderTinyVideo(video_.toStdString(), {{core::Modality::Visual, kDog, 500, 1500},
                                                     {core::Modality::Audio, kDog, 1000, 2000}});
    }

    void paintsTheDecodedFrame() {
        Playback playback;
        QVERIFY2(playback.open(video_), qPrintable(playback.error()));
        QVERIFY(playback.hasVideo());
        QVERIFY(playback.hasAudio());
        QVERIFY(std::abs(playback.duration() - 2.0) < 0.06);
        VideoView view(&playback);
        view.resize(320, 180);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        playback.seek(0.2);
        QVERIFY(test::waitFor(
            [&] { return playback.currentFrame() && playback.currentFrame()->pts < 0.3; }));
        const int before = shapePixels(view.grab().toImage());
        playback.seek(1.0);
        QVERIFY(test::waitFor(
            [&] { return playback.currentFrame() && playback.currentFrame()->pts >= 0.95; }));
        const QImage during = view.grab().toImage();
        const int shown = shapePixels(during);
        QVERIFY2(shown > 200 && shown > 10 * (before + 1),
                 qPrintable(QStringLiteral("%1 vs %2").arg(shown).arg(before)));

        // Audio only: the picture is hidden, the time still runs.
        playback.setMode(Playback::Mode::AudioOnly);
        QCOMPARE(shapePixels(view.grab().toImage()), 0);
        playback.setMode(Playback::Mode::Both);
        QVERIFY(shapePixels(view.grab().toImage()) > 200);
    }

    void transportSemantics() {
        Playback playback;
        QVERIFY(playback.open(video_));
        QSignalSpy pos(&playback, &Playback::positionChanged);
        playback.stepSegments(1);
        QVERIFY(test::waitFor([&] { return std::abs(playback.position() - 1.0) < 1e-6; }));
        playback.stepFrames(1);  // 10 fps
        QVERIFY(test::waitFor([&] { return std::abs(playback.position() - 1.1) < 0.011; }));
        playback.stepFrames(-2);  // shows the frame of 0.9 s
        QVERIFY(test::waitFor([&] {
            const auto f = playback.currentFrame();
            return f && std::abs(f->pts - 0.9) < 0.011;
        }));
        playback.goToEnd();
        QVERIFY(test::waitFor([&] { return playback.position() > 1.9; }));
        playback.goToStart();
        QVERIFY(test::waitFor([&] { return playback.position() < 0.01; }));
        QVERIFY(pos.count() > 0);

        // L plays; L again is faster; K stops; J goes back.
        playback.shuttleForward();
        QVERIFY(playback.playing());
        QCOMPARE(playback.rate(), 1.0);
        playback.shuttleForward();
        QCOMPARE(playback.rate(), 1.5);
        playback.shuttleBack();  // while fast: slower again
        QCOMPARE(playback.rate(), 1.0);
        QVERIFY(test::waitFor([&] { return playback.position() > 0.2; }, 3000));
        playback.shuttleStop();
        QVERIFY(test::waitFor([&] { return !playback.playing(); }));
        playback.shuttleBack();  // paused: back 5 s, clamped at the start
        QVERIFY(test::waitFor([&] { return playback.position() < 0.01; }));
    }

    void playsWithTheSystemAudioPathWithoutHanging() {
        Playback playback;
        playback.setAudioEnabled(true);  // a device when there is one; silent otherwise
        QVERIFY(playback.open(video_));
        playback.play();
        QVERIFY(test::waitFor([&] { return playback.position() > 0.3; }, 4000));
        QVERIFY(test::waitFor([&] { return !playback.playing(); }, 5000));  // plays to the end
        QVERIFY(playback.position() > 1.8);
        qInfo("audio device used: %s", playback.audible() ? "yes" : "no (silent wall clock)");
    }

    void refusesABadFile() {
        const QString bad = dir_->file(QStringLiteral("not_a_video.mp4"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is text, not a video\n");
        f.close();
        Playback playback;
        QSignalSpy failed(&playback, &Playback::failed);
        QVERIFY(!playback.open(bad));
        QVERIFY(playback.error().contains(QStringLiteral("not_a_video.mp4")));
        QCOMPARE(failed.count(), 1);
        QVERIFY(!playback.isOpen());
        VideoView view(&playback);
        view.setPlaceholder(QStringLiteral("nothing"));
        QVERIFY(!view.grab().isNull());
    }
};

QTEST_MAIN(TestVideoView)
#include "tst_video_view.moc"

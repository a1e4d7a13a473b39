// The video view on a tiny generated video: our own painting shows the decoded frame
// (so grab() sees it), the transport semantics (segment and frame steps, J/K/L, Home /
// End) move the player, audio-only hides the picture, playing with the system audio path
// neither hangs nor crashes without a device, and a bad file is refused with its name.
#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <cstdlib>
#include <utility>
#include <vector>

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

// First and last pixel along row `y` (or column `x` when `column`) that is not the view's
// background, among the first `limit` pixels; {-1, -1} when none.
std::pair<int, int> pictureSpan(const QImage& img, int line, bool column, int limit) {
    int first = -1, last = -1;
    for (int i = 0; i < limit; ++i) {
        const QColor c = column ? img.pixelColor(line, i) : img.pixelColor(i, line);
        if (std::abs(c.red() - 16) + std::abs(c.green() - 16) + std::abs(c.blue() - 18) > 9) {
            if (first < 0) first = i;
            last = i;
        }
    }
    return {first, last};
}

int orangePixels(const QImage& img, const QRect& area) {
    int n = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x) {
            const QColor c = img.pixelColor(x, y);
            if (c.hue() >= 10 && c.hue() <= 45 && c.saturation() > 150 && c.value() > 150) ++n;
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

    // Issue 17: the picture keeps its display aspect ratio (letterbox / pillarbox), with
    // the pixel aspect ratio applied and the rotation of the file's display matrix.
    void keepsTheAspectRatio() {
        QCOMPARE(VideoView::pictureRect(QSize(400, 400), 320.0 / 180), QRect(0, 87, 400, 225));
        QCOMPARE(VideoView::pictureRect(QSize(400, 400), 2 * 320.0 / 180),  // SAR 2:1
                 QRect(0, 144, 400, 112));
        QCOMPARE(VideoView::pictureRect(QSize(400, 400), 180.0 / 320),  // rotated 90
                 QRect(87, 0, 225, 400));
        QCOMPARE(VideoView::pictureRect(QSize(400, 100), 1.0), QRect(150, 0, 100, 100));
        QVERIFY(VideoView::pictureRect(QSize(400, 400), 0.0).isEmpty());

        auto show = [&](const QString& file, auto check) {
            Playback playback;
            QVERIFY2(playback.open(file), qPrintable(playback.error()));
            VideoView view(&playback);
            view.setSegmentGrid(false);
            view.resize(400, 400);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            playback.seek(0.2);
            QVERIFY(test::waitFor([&] {
                const auto f = playback.currentFrame();
                return f && f->pts < 0.3 && f->width * f->height < 400 * 400 * 2 / 3;
            }));
            check(playback, view.grab().toImage());
        };
        // 16:9 in a square: bars above and below, the picture 400 x 225 in the middle.
        show(video_, [](Playback& playback, const QImage& img) {
            QCOMPARE(playback.displayAspect(), 16.0 / 9);
            const auto rows = pictureSpan(img, 300, true, 330);  // above the time code
            QVERIFY2(std::abs(rows.first - 87) <= 1 && std::abs(rows.second - 311) <= 1,
                     qPrintable(QStringLiteral("%1-%2").arg(rows.first).arg(rows.second)));
            const auto cols = pictureSpan(img, 200, false, 400);
            QVERIFY(cols.first <= 1 && cols.second >= 398);
            const auto f = playback.currentFrame();
            QVERIFY(std::abs(f->width * 9 - f->height * 16) <= 32);  // at its own aspect ratio
        });
        // Turned by the display matrix: upright, bars left and right, the top of the
        // stored picture (the orange caption) on the side the rotation takes it to.
        const QString rotated = dir_->file(QStringLiteral("rotated.mp4"));
        const QString cmd = QStringLiteral(
                                "ffmpeg -nostdin -v error -y -i '%1' -c copy "
                                "-metadata:s:v:0 rotate=90 '%2'")
                                .arg(video_, rotated);
        QCOMPARE(std::system(cmd.toLocal8Bit().constData()), 0);
        show(rotated, [](Playback& playback, const QImage& img) {
            QCOMPARE(playback.rotation(), 270);  // FFmpeg 5.1: 90 counter-clockwise
            QCOMPARE(playback.displayAspect(), 9.0 / 16);
            const auto cols = pictureSpan(img, 200, false, 400);
            QVERIFY2(std::abs(cols.first - 87) <= 1 && std::abs(cols.second - 311) <= 1,
                     qPrintable(QStringLiteral("%1-%2").arg(cols.first).arg(cols.second)));
            const int left = orangePixels(img, QRect(87, 0, 75, 330));
            const int right = orangePixels(img, QRect(237, 0, 75, 330));
            QVERIFY2(left > 20 && right * 4 < left,
                     qPrintable(QStringLiteral("%1 vs %2").arg(left).arg(right)));
        });
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

    // Loop Selection: after reaching the offset the position returns to the onset, also
    // when the offset is the end of the video; clearLoop() plays on past the offset.
    void loopsTheSelection() {
        for (const auto& [on, off] : {std::pair{0.5, 1.0}, std::pair{1.4, 2.0}}) {
            Playback playback;
            QVERIFY(playback.open(video_));
            QSignalSpy looped(&playback, &Playback::loopChanged);
            std::vector<double> seen;
            connect(&playback, &Playback::positionChanged, &playback,
                    [&](double s) { seen.push_back(s); });
            playback.setLoop(on, off);
            QVERIFY(playback.looping());
            QCOMPARE(looped.count(), 1);
            QVERIFY(playback.playing());
            // Reaches the offset, then back at the onset, twice.
            int wraps = 0;
            QVERIFY(test::waitFor(
                [&] {
                    wraps = 0;
                    for (std::size_t i = 1; i < seen.size(); ++i)
                        if (seen[i - 1] > off - 0.1 && seen[i] < on + 0.05) ++wraps;
                    return wraps >= 2;
                },
                5000));
            for (const double s : seen) {
                QVERIFY2(s >= on - 1e-6 && s <= off + 0.1, qPrintable(QString::number(s)));
            }
            QVERIFY(playback.playing());
            playback.clearLoop();
            QVERIFY(!playback.looping());
            QCOMPARE(looped.count(), 2);
        }
        Playback playback;
        QVERIFY(playback.open(video_));
        playback.setLoop(1.0, 1.0);  // empty: no loop
        QVERIFY(!playback.looping());
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

// Playback speed in the GUI: the position advances twice as fast at 2× and half as fast
// at 0.5×, [ / ] / \ step the speeds, the transport's speed menu follows, and seeking and
// the loop keep working at another speed.
#include <QComboBox>
#include <QSignalSpy>
#include <QTest>

#include "ui/media/playback.h"
#include "ui/widgets/transport_bar.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;

class TestPlaybackSpeed : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    QString video_;

    // How far the position moves in `ms` of playing.
    static double advance(Playback& p, int ms) {
        const double from = p.position();
        QTest::qWait(ms);
        return p.position() - from;
    }

  private slots:
    void initTestCase() {
        test::initGuiTest("tst_playback_speed");
        dir_ = std::make_unique<test::ScratchDir>();
        video_ = dir_->file(QStringLiteral("speed.mp4"));
        test::renderTinyVideo(video_.toStdString(), {}, 8.0);
    }

    void positionAdvancesTwiceAsFastAtDoubleSpeed() {
        Playback playback;
        QVERIFY2(playback.open(video_), qPrintable(playback.error()));
        playback.play();
        QVERIFY(test::waitFor([&] { return playback.position() > 0.05; }));
        const double normal = advance(playback, 500);
        playback.setRate(2.0);
        QCOMPARE(playback.rate(), 2.0);
        const double fast = advance(playback, 500);
        playback.setRate(0.5);
        const double slow = advance(playback, 500);
        qInfo("in 0.5 s: %.3f s at 1x, %.3f s at 2x, %.3f s at 0.5x", normal, fast, slow);
        QVERIFY2(std::abs(fast / normal - 2.0) < 0.3, qPrintable(QString::number(fast / normal)));
        QVERIFY2(std::abs(slow / normal - 0.5) < 0.1, qPrintable(QString::number(slow / normal)));

        // Seeking keeps the speed, and playback goes on from there.
        playback.setRate(2.0);
        playback.seek(5.0);
        QVERIFY(test::waitFor([&] { return playback.position() > 5.2; }, 3000));
        QCOMPARE(playback.rate(), 2.0);
        QVERIFY(playback.playing());
    }

    void speedStepsAndTheTransportMenu() {
        Playback playback;
        QVERIFY(playback.open(video_));
        TransportBar bar(&playback);
        QCOMPARE(bar.rateCombo()->count(), 6);
        QCOMPARE(bar.rateCombo()->currentData().toDouble(), 1.0);
        playback.faster();
        QCOMPARE(playback.rate(), 1.25);
        QCOMPARE(bar.rateCombo()->currentData().toDouble(), 1.25);
        for (int i = 0; i < 5; ++i) playback.faster();
        QCOMPARE(playback.rate(), 2.0);  // stops at 2×
        playback.normalSpeed();
        QCOMPARE(playback.rate(), 1.0);
        playback.slower();
        QCOMPARE(playback.rate(), 0.75);
        for (int i = 0; i < 5; ++i) playback.slower();
        QCOMPARE(playback.rate(), 0.5);  // stops at 0.5×
        QCOMPARE(bar.rateCombo()->currentData().toDouble(), 0.5);
    }

    void loopWorksAtDoubleSpeed() {
        Playback playback;
        QVERIFY(playback.open(video_));
        playback.setRate(2.0);
        QSignalSpy pos(&playback, &Playback::positionChanged);
        playback.setLoop(1.0, 2.0);
        QVERIFY(playback.playing());
        bool reachedEnd = false, back = false;
        QVERIFY(test::waitFor(
            [&] {
                const double t = playback.position();
                if (t > 1.7) reachedEnd = true;
                if (reachedEnd && t < 1.3) back = true;
                return back;
            },
            4000));
        QVERIFY(playback.position() < 2.1);
        QCOMPARE(playback.rate(), 2.0);
    }
};

QTEST_MAIN(TestPlaybackSpeed)
#include "tst_playback_speed.moc"

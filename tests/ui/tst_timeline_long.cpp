// The timeline at any length: a 25 s video (25 segments, editing up to its end, the
// playhead past the end refused), a 24.5 s one (a partial last segment) and a 2-hour one
// (a readable default span that follows the playhead, editing and snapping far in).
#include <QApplication>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include "app/studio/session_document.h"
#include "app/workspace/session.h"
#include "core/store/store.h"
#include "ui/dialogs/class_picker.h"
#include "ui/timeline/spectrogram_strip.h"
#include "ui/timeline/timeline_view.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;
using store::Source;

namespace {

const int kDog = *core::classIndex("Dog");
const int kSpeech = *core::classIndex("Speech");

void drag(QWidget* w, QPoint from, QPoint to, Qt::KeyboardModifiers mods = {}) {
    QTest::mousePress(w, Qt::LeftButton, {}, from);
    QTest::mouseMove(w, (from + to) / 2);
    QTest::mouseMove(w, to);
    QTest::mouseRelease(w, Qt::LeftButton, mods, to);
}

void answerPicker(const QString& text) {
    QTimer::singleShot(0, [text] {
        auto* picker = qobject_cast<ClassPicker*>(QApplication::activeModalWidget());
        QVERIFY(picker);
        QTest::keyClicks(picker->filterEdit(), text);
        QTest::keyClick(picker->filterEdit(), Qt::Key_Return);
    });
}

}  // namespace

class TestTimelineLong : public QObject {
    Q_OBJECT

    std::unique_ptr<test::ScratchDir> dir_;
    std::unique_ptr<workspace::Session> session_;
    std::unique_ptr<app::SessionDocument> doc_;
    std::unique_ptr<TimelineView> view_;
    store::VideoId video_ = 0;

    // A store with one video `durationMs` long (an own video: Dog heard 2-5 s, and
    // `extraEvents` one-second Speech events spread over it), the views on it.
    void open(std::int64_t durationMs, int extraEvents = 0) {
        const auto path = *dir_ / "long.avvpstore";
        {
            auto s = store::Store::open(path, {.annotator = "alice"});
            video_ = s->ensureVideo({.filename = "own_long", .durationMs = durationMs});
            std::vector<store::NewEvent> audio = {{core::Modality::Audio, kDog, 2000, 5000}};
            for (int i = 0; i < extraEvents; ++i) {
                const std::int64_t on = (durationMs - 2000) * i / std::max(1, extraEvents);
                audio.push_back({core::Modality::Audio, kSpeech, on, on + 1000});
            }
            s->replaceEvents(video_, core::Modality::Audio, Source::GroundTruth, audio);
        }
        session_ = std::make_unique<workspace::Session>();
        QVERIFY2(session_->open(QString::fromStdString(path.string()), QStringLiteral("alice")),
                 qPrintable(session_->lastError()));
        doc_ = std::make_unique<app::SessionDocument>(session_.get());
        view_ = std::make_unique<TimelineView>(doc_.get());
        view_->resize(1150, 600);
        view_->show();
        QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
        view_->setVideo(video_);
    }
    std::vector<store::Event> corrections() const {
        return session_->store()->events(video_, {.source = Source::Correction});
    }

  private slots:
    void initTestCase() { test::initGuiTest("tst_timeline_long"); }
    void init() { dir_ = std::make_unique<test::ScratchDir>(); }
    void cleanup() {
        view_.reset();
        doc_.reset();
        session_.reset();
        dir_.reset();
    }

    void a25SecondVideoHas25SegmentsAndEditsToItsEnd() {
        open(25000);
        QCOMPARE(view_->durationSeconds(), 25.0);
        QCOMPARE(view_->segmentCount(), 25);
        QCOMPARE(view_->visibleSpan(), 25.0);  // up to a minute the whole video shows
        QCOMPARE(view_->viewStart(), 0.0);
        // Insert at 24.5 s: one segment, 24-25 s.
        view_->setPlayhead(24.5);
        answerPicker(QStringLiteral("dog"));
        view_->addEventAtPlayhead();
        auto c = corrections();
        QCOMPARE(c.size(), std::size_t{1});
        QCOMPARE(c[0].onsetMs, 24000);
        QCOMPARE(c[0].offsetMs, 25000);
        QCOMPARE(c[0].cls, kDog);
        // Dragging on a strip at 21.3-23.6 s makes 21-24 s.
        const QRect strip = view_->stripRect(Lane::Visual, kDog, Source::Correction);
        QVERIFY(!strip.isNull());
        drag(view_.get(), {view_->xForTime(21.3), strip.center().y()},
             {view_->xForTime(23.6), strip.center().y()});
        c = corrections();
        QCOMPARE(c.size(), std::size_t{2});
        const auto& made = c[0].onsetMs == 21000 ? c[0] : c[1];
        QCOMPARE(made.onsetMs, 21000);
        QCOMPARE(made.offsetMs, 24000);
        // The playhead past the end (media longer than the video's recorded length): refused
        // with a message, nothing added.
        QSignalSpy msg(view_.get(), &TimelineView::message);
        view_->setPlayhead(26.0);
        view_->addEventAtPlayhead();
        QCOMPARE(msg.count(), 1);
        QVERIFY(msg.at(0).at(0).toString().contains(QStringLiteral("past the end")));
        QCOMPARE(corrections().size(), std::size_t{2});
    }

    void aPartialLastSegmentEndsAtTheRealEnd() {
        open(24500);
        QCOMPARE(view_->segmentCount(), 25);
        view_->setPlayhead(24.2);
        answerPicker(QStringLiteral("dog"));
        view_->addEventAtPlayhead();
        auto c = corrections();
        QCOMPARE(c.size(), std::size_t{1});
        QCOMPARE(c[0].onsetMs, 24000);
        QCOMPARE(c[0].offsetMs, 24500);
        // At the very end the playhead belongs to the last segment.
        view_->setPlayhead(24.5);
        answerPicker(QStringLiteral("speech"));
        view_->addEventAtPlayhead();
        QCOMPARE(corrections().size(), std::size_t{2});
        // A snapped drag past the end stops at the end.
        const QRect strip = view_->stripRect(Lane::Visual, kDog, Source::Correction);
        drag(view_.get(), {view_->xForTime(22.2), strip.center().y()},
             {strip.right() + 30, strip.center().y()});
        bool found = false;
        for (const auto& e : corrections())
            if (e.modality == core::Modality::Visual) {
                QCOMPARE(e.onsetMs, 22000);
                QCOMPARE(e.offsetMs, 24500);
                found = true;
            }
        QVERIFY(found);
    }

    void aTwoHourVideoOpensReadableAndFollowsThePlayhead() {
        open(7'200'000, 2000);
        QCOMPARE(view_->segmentCount(), 7200);
        QVERIFY2(view_->visibleSpan() < 7200.0 && view_->visibleSpan() <= 60.0,
                 qPrintable(QString::number(view_->visibleSpan())));
        QCOMPARE(view_->viewStart(), 0.0);
        const double span = view_->visibleSpan();
        // Playing: the view pages along with the playhead.
        view_->setPlayhead(span - 1.0);
        QCOMPARE(view_->viewStart(), 0.0);  // still inside
        view_->setPlayhead(span + 0.5);
        QVERIFY(view_->viewStart() > 0.0);
        QVERIFY(view_->viewStart() <= span + 0.5 && view_->viewStart() + span >= span + 0.5);
        // A seek an hour in.
        view_->setPlayhead(3725.0);
        QVERIFY(view_->viewStart() <= 3725.0 && view_->viewStart() + span >= 3725.0);
        QCOMPARE(view_->visibleSpan(), span);
        // Editing there: a snapped drag makes whole seconds, a free one (snapping off) does not.
        const QRect strip = view_->stripRect(Lane::Audio, kDog, Source::Correction);
        QVERIFY(!strip.isNull());
        const double t = view_->viewStart();
        drag(view_.get(), {view_->xForTime(t + 3.3), strip.center().y()},
             {view_->xForTime(t + 5.6), strip.center().y()});
        auto c = corrections();
        QCOMPARE(c.size(), std::size_t{1});
        QCOMPARE(c[0].onsetMs, static_cast<std::int64_t>(std::floor(t + 3.3)) * 1000);
        QCOMPARE(c[0].offsetMs, static_cast<std::int64_t>(std::ceil(t + 5.6)) * 1000);
        view_->setSnap(false);
        const QRect vis = view_->stripRect(Lane::Visual, kDog, Source::Correction);
        drag(view_.get(), {view_->xForTime(t + 10.33), vis.center().y()},
             {view_->xForTime(t + 12.71), vis.center().y()});
        c = corrections();
        QCOMPARE(c.size(), std::size_t{2});
        const auto& free = c[0].modality == core::Modality::Visual ? c[0] : c[1];
        QVERIFY2(std::abs(static_cast<double>(free.onsetMs) - (t + 10.33) * 1000) < 60,
                 qPrintable(QString::number(free.onsetMs)));
        QVERIFY(free.onsetMs % 1000 != 0);
        // Fit shows everything; painting the whole two hours works.
        view_->zoomToFit();
        QCOMPARE(view_->visibleSpan(), 7200.0);
        QImage img(view_->size(), QImage::Format_ARGB32_Premultiplied);
        view_->render(&img);
        // The next video opens with its own default view.
        view_->setVideo(std::nullopt);
        view_->setVideo(video_);
        QCOMPARE(view_->visibleSpan(), span);
    }

    void spectrogramTilesFollowTheVisibleRange() {
        // A 12 s rendered video: Dog's tone heard 3-9 s.
        const auto media = *dir_ / "tone.mp4";
        test::renderTinyVideo(media, {{core::Modality::Audio, kDog, 3000, 9000}}, 12.0);
        const std::string file = media.string();
        // One tile, fine (10 ms columns) and coarse (three frames per column): both find the
        // tone in the same row, and silence before it.
        const auto fine = SpectrogramStrip::computeTile(file, 0, 2);    // 5.12-7.68 s
        const auto coarse = SpectrogramStrip::computeTile(file, 5, 0);  // 0.32 s columns
        QVERIFY(!fine.noAudio && !coarse.noAudio);
        auto peakRow = [](const SpectrogramTile& t, int column) {
            int best = 0;
            for (int r = 1; r < SpectrogramStrip::kRows; ++r)
                if (t.db[static_cast<std::size_t>(column * SpectrogramStrip::kRows + r)] >
                    t.db[static_cast<std::size_t>(column * SpectrogramStrip::kRows + best)])
                    best = r;
            return best;
        };
        const int toneRow = peakRow(fine, 100);
        QVERIFY(std::abs(peakRow(coarse, 18) - toneRow) <= 1);  // 18 · 0.32 s ≈ 5.9 s
        QVERIFY(fine.maxDb > -40.0F);
        const auto silent = SpectrogramStrip::computeTile(file, 0, 0);  // 0-2.56 s
        QVERIFY(silent.maxDb < fine.maxDb - 30.0F);
        QVERIFY(SpectrogramStrip::computeTile((*dir_ / "missing.mp4").string(), 0, 0).noAudio);

        // A 2-hour video (its media here the 12 s file): only the visible range is computed.
        open(7'200'000);
        view_->setMedia(QString::fromStdString(file));
        QVERIFY(view_->waitForSpectrogram(20000));
        const double visible = view_->visibleSpan();
        const int level = SpectrogramStrip::levelFor(visible / (view_->width() - 200));
        const double covered =
            view_->spectrogram()->computed() * SpectrogramStrip::tileSeconds(level);
        QVERIFY2(covered < 3 * visible + 60, qPrintable(QString::number(covered)));
        QImage img(view_->size(), QImage::Format_ARGB32_Premultiplied);
        view_->render(&img);
        // Scrolled an hour on: new tiles there, at the same level.
        const int before = view_->spectrogram()->computed();
        view_->setViewStart(3600.0);
        QVERIFY(view_->waitForSpectrogram(20000));
        QVERIFY(view_->spectrogram()->computed() > before);
        QVERIFY(view_->spectrogram()->computed() - before <= 10);
        // The whole two hours: a few coarse tiles, no decoding of hours.
        view_->zoomToFit();
        QVERIFY(view_->waitForSpectrogram(60000));
        QVERIFY(view_->spectrogram()->computed() - before <= 20);
        view_->render(&img);
    }

    void aTenSecondClipIsAsBefore() {
        open(0);  // no duration recorded: LLP's 10 s
        QCOMPARE(view_->durationSeconds(), 10.0);
        QCOMPARE(view_->segmentCount(), 10);
        QCOMPARE(view_->visibleSpan(), 10.0);
    }
};

QTEST_MAIN(TestTimelineLong)
#include "tst_timeline_long.moc"

// The Adjudication dock (issue 18, item 4) in the main window: the current video's two
// lanes, a pick by key and by button, and Save storing the set with its provenance as one
// undoable edit of the set's history.
#include <QComboBox>
#include <QDockWidget>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

#include "app/studio/main_window.h"
#include "app/workspace/adjudication.h"
#include "app/workspace/jobs.h"
#include "app/workspace/session.h"
#include "core/store/store.h"
#include "ui/panels/adjudication_panel.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;
using app::MainWindow;
using workspace::JobManager;
using workspace::Session;

namespace {

const QString kX = QStringLiteral("KSRjje7GH44_60_70");
const int kDog = *core::classIndex("Dog");
const int kCat = *core::classIndex("Cat");
const int kSpeech = *core::classIndex("Speech");

}  // namespace

class TestAdjudicationPanel : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    QString path_;
    store::VideoId x_ = 0;

  private slots:
    // Ground truth: Speech heard 0-10 s. alice: Dog seen 1-2 s; bob: Dog seen 1-4 s, Cat
    // heard 5-6 s.
    void initTestCase() {
        test::initGuiTest("tst_adjudication_panel");
        dir_ = std::make_unique<test::ScratchDir>();
        path_ = dir_->file(QStringLiteral("team.avvpstore"));
        auto s = store::Store::open(path_.toStdString(), {.annotator = "alice"});
        x_ = s->ensureVideo({kX.toStdString(), core::Split::Test, 10000, ""});
        s->replaceEvents(x_, core::Modality::Audio, store::Source::GroundTruth,
                         {{core::Modality::Audio, kSpeech, 0, 10000}});
        s->replaceEvents(x_, core::Modality::Visual, store::Source::GroundTruth, {});
        s->apply(store::Edit::add(x_, core::Modality::Visual, kDog, 1000, 2000));
        auto bob = store::Store::open(path_.toStdString(), {.annotator = "bob"});
        bob->apply(store::Edit::add(x_, core::Modality::Visual, kDog, 1000, 4000));
        bob->apply(store::Edit::add(x_, core::Modality::Audio, kCat, 5000, 6000));
    }

    void picksAndSaves() {
        Session session;
        QVERIFY(session.open(path_, QStringLiteral("carol")));
        JobManager jobs;
        MainWindow window(&session, &jobs);
        window.resize(1400, 900);
        window.show();
        auto* panel = window.findChild<AdjudicationPanel*>();
        QVERIFY(panel);
        auto* dock = window.findChild<QDockWidget*>(QStringLiteral("adjudication"));
        QVERIFY(dock && dock->isAncestorOf(panel));  // in a scroll area
        dock->raise();
        QCOMPARE(panel->annotatorA()->currentText(), QStringLiteral("alice"));
        QCOMPARE(panel->annotatorB()->currentText(), QStringLiteral("bob"));
        QVERIFY(window.selectVideo(kX));
        // Rows by modality, class: audio Speech (agreed), audio Cat (bob only), visual Dog.
        QCOMPARE(panel->table()->rowCount(), 3);
        QVERIFY(panel->rows()[0].agreed);
        QCOMPARE(panel->rows()[1].label, QStringLiteral("audio Cat"));
        QVERIFY(panel->rows()[1].a.isEmpty());
        QCOMPARE(panel->rows()[2].label, QStringLiteral("visual Dog"));
        QCOMPARE(panel->rows()[2].side, 0);  // alice's preferred by default
        QVERIFY(panel->statusLabel()->text().contains(QStringLiteral("2 disagreement")));

        // Key 2 on the Dog row: bob's Dog stands; the button for the Cat row: alice's (none).
        QSignalSpy picks(panel, &AdjudicationPanel::pickRequested);
        panel->table()->setFocus();
        panel->table()->selectRow(2);
        QTest::keyClick(panel->table(), Qt::Key_2);
        QCOMPARE(picks.count(), 1);
        QCOMPARE(panel->rows()[2].side, 1);
        QVERIFY(panel->rows()[2].picked);
        QCOMPARE(panel->table()->item(2, 3)->text(), QStringLiteral("B (picked)"));
        panel->table()->selectRow(0);  // agreed: a pick changes nothing
        QTest::keyClick(panel->table(), Qt::Key_2);
        QCOMPARE(picks.count(), 1);
        panel->table()->selectRow(1);
        QTest::mouseClick(panel->pickAButton(), Qt::LeftButton);
        QCOMPARE(picks.count(), 2);

        if (const auto shot = qEnvironmentVariable("AVVP_ADJUDICATION_SHOT"); !shot.isEmpty())
            panel->grab().save(shot);  // a look at the panel (not a check)
        // A set named after an annotator is refused; "final" is saved.
        panel->setName()->setText(QStringLiteral("bob"));
        QVERIFY(!panel->save());
        panel->setName()->setText(QStringLiteral("final"));
        QTest::mouseClick(panel->saveButton(), Qt::LeftButton);
        QVERIFY2(panel->statusLabel()->text().contains(QStringLiteral("Saved set final")),
                 qPrintable(panel->statusLabel()->text()));

        auto s = store::Store::open(path_.toStdString(), {.annotator = "final"});
        store::EventFilter f;
        f.source = store::Source::Correction;
        f.annotator = "final";
        const auto events = s->events(x_, f);
        QCOMPARE(events.size(), std::size_t{2});  // Speech 0-10, Dog 1-4 (no Cat)
        QCOMPARE(events[1].cls == kDog ? events[1].offsetMs : events[0].offsetMs, 4000);
        const auto note =
            QJsonDocument::fromJson(QByteArray::fromStdString(s->history().back().description))
                .object();
        QCOMPARE(note.value("adjudicator").toString(), QStringLiteral("carol"));
        workspace::undoAdjudication(path_.toStdString(), "final");
        QCOMPARE(s->events(x_, f).size(), std::size_t{0});
    }
};

QTEST_MAIN(TestAdjudicationPanel)
#include "tst_adjudication_panel.moc"

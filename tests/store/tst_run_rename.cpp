// Renaming a model run (issue 17, item 6): a new name sticks (its events follow it), an
// empty or taken name is refused and changes nothing, and listeners hear a runs change.
#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include "core/store/run_rename.h"
#include "core/store/store.h"

using namespace avvp;
using namespace avvp::store;
namespace fs = std::filesystem;

class TestRunRename : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

  private slots:
    void renamesAndRefusesEmptyOrTakenNames() {
        auto s = Store::open(fs::path(tmp_.path().toStdString()) / "rename.avvpstore",
                             {.annotator = "alice"});
        const auto video =
            s->ensureVideo({.filename = "v1", .split = core::Split::Test, .durationMs = 10000});
        Run a;
        a.name = "VALOR++ 2026-12-06 10:00";
        const auto runA = s->addRun(a);
        Run b;
        b.name = "LINK";
        const auto runB = s->addRun(b);
        s->replaceEvents(video, core::Modality::Audio, Source::Prediction,
                         {{core::Modality::Audio, 3, 0, 5000}}, runA);
        int heard = 0;
        s->subscribe([&](const Change& c) { heard += c.runs ? 1 : 0; });

        QCOMPARE(renameRun(*s, runA, "  baseline, seed 1 "), std::string("baseline, seed 1"));
        QCOMPARE(heard, 1);
        QVERIFY(!s->runByName("VALOR++ 2026-12-06 10:00"));
        const auto renamed = s->runByName("baseline, seed 1");
        QVERIFY(renamed);
        QCOMPARE(renamed->id, runA);
        QCOMPARE(s->events(video, {.source = Source::Prediction, .run = runA}).size(),
                 std::size_t{1});

        bool refused = false;
        try {
            renameRun(*s, runA, "   ");
        } catch (const EditError& e) {
            refused = QString(e.what()).contains("empty");
        }
        QVERIFY(refused);
        refused = false;
        try {
            renameRun(*s, runA, "LINK");
        } catch (const EditError& e) {
            refused = QString(e.what()).contains("'LINK'");
        }
        QVERIFY(refused);
        refused = false;
        try {
            renameRun(*s, 999, "other");
        } catch (const EditError&) {
            refused = true;
        }
        QVERIFY(refused);
        QCOMPARE(heard, 1);  // nothing changed by the refusals
        QCOMPARE(s->runByName("LINK")->id, runB);
        QCOMPARE(s->runByName("baseline, seed 1")->id, runA);
        // Its own name again is a no-op, not "taken".
        QCOMPARE(renameRun(*s, runA, "baseline, seed 1"), std::string("baseline, seed 1"));
    }
};

QTEST_GUILESS_MAIN(TestRunRename)
#include "tst_run_rename.moc"

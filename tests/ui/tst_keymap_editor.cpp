// Help > Keyboard Shortcuts: the search filters the rows, a key another action has is
// refused with a warning naming it, Reset All restores the defaults, and a changed
// shortcut is saved per user and applied by the next main window.
#include <QAction>
#include <QApplication>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

#include "app/studio/main_window.h"
#include "app/workspace/jobs.h"
#include "app/workspace/session.h"
#include "ui/dialogs/keymap_dialog.h"
#include "ui/keymap.h"
#include "ui_test_util.h"

using namespace avvp;
using namespace avvp::ui;
using app::MainWindow;
using workspace::JobManager;
using workspace::Session;

namespace {
const QKeySequence kP(QStringLiteral("P"));
const QKeySequence kCtrlE(QStringLiteral("Ctrl+E"));
}  // namespace

class TestKeymapEditor : public QObject {
    Q_OBJECT
    std::unique_ptr<test::ScratchDir> dir_;
    QString path_;

  private slots:
    void initTestCase() {
        test::initGuiTest("tst_keymap_editor");
        QSettings().clear();
        dir_ = std::make_unique<test::ScratchDir>();
        path_ = dir_->file(QStringLiteral("keys.avvpstore"));
        test::importLlpInto(path_.toStdString());
    }

    void searchFiltersRows() {
        KeymapDialog d;
        const int play = d.rowOf(QStringLiteral("play"));
        const int undo = d.rowOf(QStringLiteral("undo"));
        const int exportRow = d.rowOf(QStringLiteral("export"));
        QVERIFY(play >= 0 && undo >= 0 && exportRow >= 0);
        const auto shown = [&] {
            int n = 0;
            for (int r = 0; r < d.table()->rowCount(); ++r) n += d.rowShown(r) ? 1 : 0;
            return n;
        };
        const int all = shown();
        d.filterEdit()->setText(QStringLiteral("undo"));
        QVERIFY(d.rowShown(undo));
        QVERIFY(!d.rowShown(play));
        QVERIFY(shown() < all / 4);
        // By key, case-insensitive.
        d.filterEdit()->setText(QStringLiteral("ctrl+e"));
        QVERIFY(d.rowShown(exportRow));
        QVERIFY(!d.rowShown(undo));
        d.filterEdit()->clear();
        QCOMPARE(shown(), all);
    }

    void conflictIsRefusedWithAWarning() {
        KeymapDialog d;
        d.show();
        QVERIFY(!d.assign(QStringLiteral("play"), kCtrlE));
        QVERIFY(d.warningLabel()->isVisible());
        QVERIFY2(d.warningLabel()->text().contains(QStringLiteral("Export labels")),
                 qPrintable(d.warningLabel()->text()));
        QCOMPARE(d.keys().value(QStringLiteral("play")), defaultKeys().value("play"));
        QCOMPARE(d.keys().value(QStringLiteral("export")), QList<QKeySequence>{kCtrlE});

        // Typed into the key field: refused the same way, the field shows the old key.
        d.selectAction(QStringLiteral("accept"));
        d.keyEdit()->setFocus();
        d.keyEdit()->clear();
        QTest::keyClick(d.keyEdit(), Qt::Key_E, Qt::ControlModifier);
        QVERIFY(test::waitFor([&] { return d.warningLabel()->isVisible(); }, 3000));
        QCOMPARE(d.keys().value(QStringLiteral("accept")), defaultKeys().value("accept"));

        QVERIFY(d.assign(QStringLiteral("play"), kP));
        QVERIFY(!d.warningLabel()->isVisible());
        QCOMPARE(d.keys().value(QStringLiteral("play")), QList<QKeySequence>{kP});
        QVERIFY(d.table()->item(d.rowOf(QStringLiteral("play")), 0)->text().contains("P"));
        d.resetToDefaults();
        QCOMPARE(d.keys(), defaultKeys());
    }

    void changedShortcutPersistsAcrossANewMainWindow() {
        {
            Session session;
            QVERIFY(session.open(path_, QStringLiteral("alice")));
            JobManager jobs;
            MainWindow window(&session, &jobs);
            QCOMPARE(window.action(QStringLiteral("play"))->shortcuts(),
                     defaultKeys().value("play"));
            bool edited = false;
            QTimer::singleShot(0, [&] {
                auto* d = qobject_cast<KeymapDialog*>(QApplication::activeModalWidget());
                if (!d) return;
                edited = d->assign(QStringLiteral("play"), kP);
                d->accept();
            });
            window.action(QStringLiteral("keymap"))->trigger();
            QVERIFY(edited);
            QCOMPARE(window.action(QStringLiteral("play"))->shortcuts(), QList<QKeySequence>{kP});
        }
        Session session;
        QVERIFY(session.open(path_, QStringLiteral("alice")));
        JobManager jobs;
        MainWindow window(&session, &jobs);
        QCOMPARE(window.action(QStringLiteral("play"))->shortcuts(), QList<QKeySequence>{kP});
        QCOMPARE(window.action(QStringLiteral("export"))->shortcuts(), QList<QKeySequence>{kCtrlE});

        // Reset All, accepted: the defaults again, and nothing saved.
        QTimer::singleShot(0, [&] {
            if (auto* d = qobject_cast<KeymapDialog*>(QApplication::activeModalWidget())) {
                d->resetToDefaults();
                d->accept();
            }
        });
        window.action(QStringLiteral("keymap"))->trigger();
        QCOMPARE(window.action(QStringLiteral("play"))->shortcuts(), defaultKeys().value("play"));
        QVERIFY(QSettings().value(QStringLiteral("keymap/play")).isNull());
    }
};

QTEST_MAIN(TestKeymapEditor)
#include "tst_keymap_editor.moc"

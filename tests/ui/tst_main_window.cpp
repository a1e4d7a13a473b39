// Qt Test of the main window on the real LLP annotation files (offscreen platform).
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "core/taxonomy.h"
#include "ui/label_grid_view.h"
#include "ui/main_window.h"
#include "ui/video_table_model.h"

using avvp::ui::MainWindow;

namespace {
const QString kLlp = QStringLiteral(AVVP_SOURCE_DIR "/resources/llp");

// Independent count of the rows of a tab-separated file (minus the header).
int dataRows(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return -1;
    int n = 0;
    while (!f.atEnd())
        if (!f.readLine().trimmed().isEmpty()) ++n;
    return n - 1;
}
}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName(QStringLiteral("avvp-tests"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void listsEverySplit() {
        MainWindow w;
        QVERIFY2(w.openFolder(kLlp, false), qPrintable(w.lastError()));
        auto* model = w.table()->model();
        const struct {
            const char* name;
            const char* file;
        } splits[] = {{"train", "AVVP_train.csv"}, {"val", "AVVP_val_pd.csv"}, {"test", "AVVP_test_pd.csv"}};
        int total = 0;
        for (const auto& s : splits) {
            w.setSplit(QString::fromLatin1(s.name));
            const int expected = dataRows(kLlp + "/" + s.file);
            QCOMPARE(model->rowCount(), expected);
            total += expected;
        }
        w.setSplit(QStringLiteral("all"));
        QCOMPARE(model->rowCount(), total);
        QCOMPARE(total, dataRows(kLlp + "/AVVP_dataset_full.csv"));
    }

    void showsWeakLabelsAndDenseEvents() {
        MainWindow w;
        QVERIFY(w.openFolder(kLlp, false));
        w.setSplit(QStringLiteral("test"));
        // Second row of the test split: KSRjje7GH44_60_70, Blender,Speech; audio
        // Blender 8-10 and Speech 0-8, visual Blender 0-10 (read from the files by hand).
        QVERIFY(w.selectVideo(QStringLiteral("KSRjje7GH44_60_70")));
        const auto row = w.table()->currentIndex().row();
        auto* model = w.table()->model();
        using C = avvp::ui::VideoTableModel;
        QCOMPARE(model->index(row, C::ColWeak).data().toString(), QStringLiteral("Speech, Blender"));
        QVERIFY(model->index(row, C::ColAudio).data().toString().contains(QStringLiteral("Blender 8-10")));
        QCOMPARE(model->index(row, C::ColVisual).data().toString(), QStringLiteral("Blender 0-10"));

        auto* grid = w.gridView();
        QCOMPARE(grid->classes().size(), std::size_t{2});
        const int blender = *avvp::core::classIndex("Blender");
        const int speech = *avvp::core::classIndex("Speech");
        QCOMPARE(grid->audio().count(blender), 2);
        QCOMPARE(grid->audio().count(speech), 8);
        QCOMPARE(grid->visual().count(blender), 10);
        QCOMPARE(grid->visual().count(speech), 0);
    }

    void keyboardMovesSelectionAndGridFollows() {
        MainWindow w;
        QVERIFY(w.openFolder(kLlp, false));
        w.setSplit(QStringLiteral("test"));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.table()->setFocus();
        QVERIFY(w.selectVideo(QStringLiteral("4YdbENYcIyE_23_33")));
        QTest::keyClick(w.table(), Qt::Key_Down);
        const auto idx = w.table()->currentIndex();
        QCOMPARE(idx.siblingAtColumn(avvp::ui::VideoTableModel::ColFilename).data().toString(),
                 QStringLiteral("KSRjje7GH44_60_70"));
        QCOMPARE(w.gridView()->visual().count(*avvp::core::classIndex("Blender")), 10);
    }

    void filtersByClassAndText() {
        MainWindow w;
        QVERIFY(w.openFolder(kLlp, false));
        w.setSplit(QStringLiteral("val"));
        const int cello = *avvp::core::classIndex("Cello");
        // Expected: val videos whose weak labels or dense rows mention Cello.
        int expected = 0;
        for (const auto* v : w.dataset()->split(avvp::core::Split::Val)) {
            bool has = avvp::core::hasClass(v->weak, cello);
            for (const auto& e : v->audio) has = has || e.cls == cello;
            for (const auto& e : v->visual) has = has || e.cls == cello;
            expected += has ? 1 : 0;
        }
        QVERIFY(expected > 0);
        w.classCombo()->setCurrentIndex(w.classCombo()->findData(cello));
        QCOMPARE(w.table()->model()->rowCount(), expected);
        w.classCombo()->setCurrentIndex(0);
        QTest::keyClicks(w.searchEdit(), QStringLiteral("4O9rI-FpqLg"));
        QCOMPARE(w.table()->model()->rowCount(), 1);
        w.searchEdit()->clear();
        QCOMPARE(w.table()->model()->rowCount(), 649);
    }

    void reportsAnomalies() {
        MainWindow w;
        QVERIFY(w.openFolder(kLlp, false));
        QVERIFY(w.anomalyList()->count() > 0);
        bool reversed = false;
        for (int i = 0; i < w.anomalyList()->count(); ++i)
            reversed = reversed || w.anomalyList()->item(i)->text().contains(
                                       QStringLiteral("reversed row"));
        QVERIFY(reversed);
    }

    void badFolderKeepsDataAndExplains() {
        MainWindow w;
        QVERIFY(w.openFolder(kLlp, false));
        QTemporaryDir dir;
        QVERIFY(!w.openFolder(dir.path(), false));
        QVERIFY(w.lastError().contains(dir.path()));
        QVERIFY(w.dataset() != nullptr);  // the previous data stays

        QFile bad(dir.path() + "/AVVP_test_pd.csv");
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("filename\tevent_labels\nabc_0_10\tNotAClass\n");
        bad.close();
        QVERIFY(!w.openFolder(dir.path(), false));
        QVERIFY2(w.lastError().contains(QStringLiteral("AVVP_test_pd.csv:2")), qPrintable(w.lastError()));
        QVERIFY(w.lastError().contains(QStringLiteral("NotAClass")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"

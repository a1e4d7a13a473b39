// The status bar's "Also editing this video" notice (issue 18, item 5): its wording and
// that it hides when nobody else is editing.
#include <QtTest>

#include "ui/widgets/co_editing_label.h"

using namespace avvp;
using ui::CoEditingLabel;

class TestCoEditingLabel : public QObject {
    Q_OBJECT

  private slots:
    void wording() {
        const qint64 now = 1'800'000'000'000;
        QCOMPARE(CoEditingLabel::noticeText({}, now), QString());
        QCOMPARE(CoEditingLabel::noticeText({{"bob", now - 10'000}}, now),
                 QStringLiteral("Also editing this video: bob (just now)"));
        QCOMPARE(CoEditingLabel::noticeText({{"carol", now - 150'000}, {"bob", now - 61'000}}, now),
                 QStringLiteral("Also editing this video: carol (2 min ago), bob (1 min ago)"));
        // A clock a little ahead on the other machine is "just now", not negative.
        QCOMPARE(CoEditingLabel::noticeText({{"dave", now + 5'000}}, now),
                 QStringLiteral("Also editing this video: dave (just now)"));
    }

    void showsAndHides() {
        CoEditingLabel label;
        label.show();
        const qint64 now = 1'800'000'000'000;
        label.setEditors({{"bob", now - 120'000}}, now);
        QVERIFY(label.isVisible());
        QCOMPARE(label.text(), QStringLiteral("Also editing this video: bob (2 min ago)"));
        label.setEditors({}, now);
        QVERIFY(!label.isVisible());
    }
};

QTEST_MAIN(TestCoEditingLabel)
#include "tst_co_editing_label.moc"

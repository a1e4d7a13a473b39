#include "ui/dialogs/keymap_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/keymap.h"

namespace avvp::ui {

KeymapDialog::KeymapDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Keyboard shortcuts"));
    table_ = new QTableWidget(this);
    table_->setColumnCount(2);
    table_->setHorizontalHeaderLabels({tr("Keys"), tr("Does")});
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionMode(QAbstractItemView::NoSelection);
    table_->horizontalHeader()->setStretchLastSection(true);
    QString section;
    for (const auto& b : defaultKeymap()) {
        const QString s = translatedSection(b);
        if (s != section) {
            section = s;
            const int r = table_->rowCount();
            table_->insertRow(r);
            auto* item = new QTableWidgetItem(s);
            QFont f = item->font();
            f.setBold(true);
            item->setFont(f);
            table_->setItem(r, 0, item);
            table_->setSpan(r, 0, 1, 2);
        }
        QStringList keys;
        for (const auto& k : keySequences(b)) keys << k.toString(QKeySequence::NativeText);
        const int r = table_->rowCount();
        table_->insertRow(r);
        table_->setItem(r, 0,
                        new QTableWidgetItem(keys.isEmpty() ? QStringLiteral("🖱")
                                                            : keys.join(QStringLiteral("  /  "))));
        table_->setItem(r, 1, new QTableWidgetItem(translatedText(b)));
    }
    table_->resizeColumnToContents(0);
    table_->setColumnWidth(0, std::max(table_->columnWidth(0), 130));
    table_->resizeRowsToContents();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* lay = new QVBoxLayout(this);
    lay->addWidget(table_);
    lay->addWidget(buttons);
    resize(620, 640);
}

}  // namespace avvp::ui

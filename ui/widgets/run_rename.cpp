#include "ui/widgets/run_rename.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QInputDialog>
#include <QMenu>
#include <memory>

namespace avvp::ui {

void askRunName(QWidget* parent, const ComboRun& run, const RenameRun& rename) {
    bool ok = false;
    const QString name = QInputDialog::getText(
        parent, QCoreApplication::translate("avvp::ui::RunRename", "Rename Run"),
        QCoreApplication::translate("avvp::ui::RunRename", "New name of the run:"),
        QLineEdit::Normal, run.name, &ok);
    if (ok && name != run.name) rename(run.id, name);
}

QMenu* runComboMenu(QComboBox* combo, const CurrentRun& current, const RenameRun& rename) {
    auto* menu = new QMenu(combo);
    const auto run = current();
    auto* action =
        menu->addAction(QCoreApplication::translate("avvp::ui::RunRename", "Rename Run…"), combo,
                        [combo, run, rename] {
                            if (run) askRunName(combo, *run, rename);
                        });
    action->setObjectName(QStringLiteral("renameRun"));
    action->setEnabled(run.has_value());
    return menu;
}

void enableRunRename(QComboBox* combo, CurrentRun current, RenameRun rename) {
    combo->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(
        combo, &QWidget::customContextMenuRequested, combo,
        [combo, current = std::move(current), rename = std::move(rename)](const QPoint& pos) {
            std::unique_ptr<QMenu> menu(runComboMenu(combo, current, rename));
            menu->exec(combo->mapToGlobal(pos));
        });
}

}  // namespace avvp::ui

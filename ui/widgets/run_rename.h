#pragma once
// Renaming a model run from a combo that lists runs (the timeline's Predictions combo, the
// evaluation panel's set combos): the combo's context menu offers "Rename Run…" for the
// run of its current item, which asks for the new name in a dialog holding the old one.
// The application renames the run (store::renameRun), refusing an empty or taken name
// with a message; the combos then list the new name.
#include <QString>
#include <functional>
#include <optional>

class QComboBox;
class QMenu;
class QWidget;

namespace avvp::ui {

// A run a combo item stands for.
struct ComboRun {
    qint64 id = 0;
    QString name;
};
// The run of the combo's current item (nullopt: it stands for no run).
using CurrentRun = std::function<std::optional<ComboRun>()>;
using RenameRun = std::function<void(qint64 run, const QString& name)>;

// Asks for a new name of `run` (a dialog holding its name) and calls `rename` with it,
// unless cancelled or unchanged.
void askRunName(QWidget* parent, const ComboRun& run, const RenameRun& rename);
// The combo's context menu: "Rename Run…" (object name "renameRun"), disabled when the
// current item stands for no run. The caller owns the menu.
QMenu* runComboMenu(QComboBox* combo, const CurrentRun& current, const RenameRun& rename);
// Gives `combo` that context menu.
void enableRunRename(QComboBox* combo, CurrentRun current, RenameRun rename);

}  // namespace avvp::ui

#pragma once
// Keyboard Shortcuts: every binding of the keymap by section, searchable (actions, sections
// and keys) and editable. The dialog edits a copy of the keys; the application reads
// keys() after exec() and saves and applies them. Giving an action a key another action
// already has is refused with a warning naming that action.
#include <QDialog>
#include <QKeySequence>
#include <QList>
#include <QMap>
#include <QString>

class QKeySequenceEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace avvp::ui {

// Action id ("play", "accept", ...) → its shortcuts.
using KeyMap = QMap<QString, QList<QKeySequence>>;

// The keymap's defaults for every binding that has keys.
KeyMap defaultKeys();

class KeymapDialog : public QDialog {
    Q_OBJECT
  public:
    // Shows `current` (ids missing from it: their defaults).
    explicit KeymapDialog(const KeyMap& current, QWidget* parent = nullptr);
    explicit KeymapDialog(QWidget* parent = nullptr) : KeymapDialog(defaultKeys(), parent) {}

    QTableWidget* table() const { return table_; }  // column 0 the keys, 1 the action
    QLineEdit* filterEdit() const { return filter_; }
    QKeySequenceEdit* keyEdit() const { return keyEdit_; }
    QLabel* warningLabel() const { return warning_; }

    // The keys as edited.
    KeyMap keys() const { return keys_; }
    // Gives the action `id` the single shortcut `key` (empty: none). Refused, with the
    // warning shown and false returned, when another action has that key.
    bool assign(const QString& id, const QKeySequence& key);
    // Every action back to its default keys.
    void resetToDefaults();
    // Shows the rows whose action, section or keys contain `text` (case-insensitive).
    void setFilter(const QString& text);
    // The row of an action id (-1: none), and whether a row is shown.
    int rowOf(const QString& id) const;
    bool rowShown(int row) const;
    // Selects the action whose shortcut the key field edits.
    void selectAction(const QString& id);

  private:
    void fill();
    void refreshRow(int row);
    QString currentId() const;
    void showCurrent();

    KeyMap keys_;
    QTableWidget* table_;
    QLineEdit* filter_;
    QKeySequenceEdit* keyEdit_;
    QPushButton* clear_;
    QPushButton* default_;
    QLabel* warning_;
};

}  // namespace avvp::ui

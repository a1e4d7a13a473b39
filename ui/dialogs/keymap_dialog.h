#pragma once
// The keyboard cheat sheet: every binding of the keymap, by section.
#include <QDialog>

class QTableWidget;

namespace avvp::ui {

class KeymapDialog : public QDialog {
    Q_OBJECT
  public:
    explicit KeymapDialog(QWidget* parent = nullptr);
    QTableWidget* table() const { return table_; }

  private:
    QTableWidget* table_;
};

}  // namespace avvp::ui

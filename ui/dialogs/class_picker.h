#pragma once
// Picks one of the 25 classes by typing: the list filters as you type (any part of the
// name, '_' matches a space), arrows move, Enter takes the highlighted class. Optionally
// also the lane (audio / visual) the event goes to.
#include <QDialog>
#include <optional>

#include "core/taxonomy.h"

class QButtonGroup;
class QLineEdit;
class QListWidget;

namespace avvp::ui {

class ClassPicker : public QDialog {
    Q_OBJECT
  public:
    ClassPicker(int cls, std::optional<core::Modality> modality, QWidget* parent = nullptr);

    int selectedClass() const;  // -1 when none
    std::optional<core::Modality> selectedModality() const;
    QLineEdit* filterEdit() const { return filter_; }
    QListWidget* list() const { return list_; }

    struct Choice {
        int cls;
        std::optional<core::Modality> modality;
    };
    // Modal; nullopt when cancelled.
    static std::optional<Choice> pick(QWidget* parent, int cls,
                                      std::optional<core::Modality> modality, const QString& title);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void applyFilter(const QString& text);

    QLineEdit* filter_;
    QListWidget* list_;
    QButtonGroup* lanes_ = nullptr;
};

}  // namespace avvp::ui

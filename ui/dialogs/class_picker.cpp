#include "ui/dialogs/class_picker.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QRadioButton>
#include <QVBoxLayout>

#include "ui/labels.h"

namespace avvp::ui {

ClassPicker::ClassPicker(int cls, std::optional<core::Modality> modality, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Choose a class"));
    filter_ = new QLineEdit(this);
    filter_->setPlaceholderText(tr("Type to filter…"));
    filter_->installEventFilter(this);
    list_ = new QListWidget(this);
    for (int c = 0; c < core::kNumClasses; ++c) {
        auto* item = new QListWidgetItem(className(c), list_);
        item->setData(Qt::UserRole, c);
    }
    list_->setCurrentRow(std::clamp(cls, 0, core::kNumClasses - 1));
    auto* lay = new QVBoxLayout(this);
    lay->addWidget(filter_);
    lay->addWidget(list_, 1);
    if (modality) {
        auto* row = new QHBoxLayout;
        row->addWidget(new QLabel(tr("Lane:"), this));
        lanes_ = new QButtonGroup(this);
        for (auto m : core::kModalities) {
            auto* b = new QRadioButton(modalityLabel(m), this);
            lanes_->addButton(b, static_cast<int>(m));
            b->setChecked(m == *modality);
            row->addWidget(b);
        }
        row->addStretch(1);
        lay->addLayout(row);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    lay->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(filter_, &QLineEdit::textChanged, this, &ClassPicker::applyFilter);
    connect(filter_, &QLineEdit::returnPressed, this, [this] {
        if (selectedClass() >= 0) accept();
    });
    connect(list_, &QListWidget::itemActivated, this, &QDialog::accept);
    resize(300, 420);
}

void ClassPicker::applyFilter(const QString& text) {
    const QString needle = QString(text).replace(QLatin1Char(' '), QLatin1Char('_')).trimmed();
    int first = -1;
    for (int i = 0; i < list_->count(); ++i) {
        auto* item = list_->item(i);
        const bool match = item->text().contains(needle, Qt::CaseInsensitive);
        item->setHidden(!match);
        if (match && first < 0) first = i;
    }
    // Prefer a class that starts with what was typed.
    for (int i = 0; i < list_->count(); ++i)
        if (!list_->item(i)->isHidden() &&
            list_->item(i)->text().startsWith(needle, Qt::CaseInsensitive)) {
            first = i;
            break;
        }
    if (first >= 0) list_->setCurrentRow(first);
}

bool ClassPicker::eventFilter(QObject* watched, QEvent* event) {
    if (watched == filter_ && event->type() == QEvent::KeyPress) {
        const auto* k = static_cast<QKeyEvent*>(event);
        if (k->key() == Qt::Key_Down || k->key() == Qt::Key_Up) {
            // Arrows move in the list while typing continues in the filter.
            int row = list_->currentRow();
            const int dir = k->key() == Qt::Key_Down ? 1 : -1;
            for (int r = row + dir; r >= 0 && r < list_->count(); r += dir)
                if (!list_->item(r)->isHidden()) {
                    list_->setCurrentRow(r);
                    break;
                }
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

int ClassPicker::selectedClass() const {
    const auto* item = list_->currentItem();
    return item && !item->isHidden() ? item->data(Qt::UserRole).toInt() : -1;
}

std::optional<core::Modality> ClassPicker::selectedModality() const {
    if (!lanes_) return std::nullopt;
    return static_cast<core::Modality>(lanes_->checkedId());
}

std::optional<ClassPicker::Choice> ClassPicker::pick(QWidget* parent, int cls,
                                                     std::optional<core::Modality> modality,
                                                     const QString& title) {
    ClassPicker d(cls, modality, parent);
    if (!title.isEmpty()) d.setWindowTitle(title);
    d.filter_->setFocus();
    if (d.exec() != QDialog::Accepted || d.selectedClass() < 0) return std::nullopt;
    return Choice{d.selectedClass(), d.selectedModality()};
}

}  // namespace avvp::ui

#include "ui/panels/adjudication_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>
#include <set>

namespace avvp::ui {

AdjudicationPanel::AdjudicationPanel(QWidget* parent)
    : QWidget(parent),
      a_(new QComboBox(this)),
      b_(new QComboBox(this)),
      set_(new QLineEdit(QStringLiteral("adjudicated"), this)),
      table_(new QTableWidget(0, 4, this)),
      pickA_(new QPushButton(tr("A Stands (1)"), this)),
      pickB_(new QPushButton(tr("B Stands (2)"), this)),
      save_(new QPushButton(tr("Save Set"), this)),
      status_(new QLabel(this)) {
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("A:"), this));
    top->addWidget(a_, 1);
    top->addWidget(new QLabel(tr("B:"), this));
    top->addWidget(b_, 1);
    top->addWidget(new QLabel(tr("Save as:"), this));
    top->addWidget(set_, 1);
    table_->setHorizontalHeaderLabels({tr("Label"), tr("A's lane"), tr("B's lane"), tr("Stands")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->installEventFilter(this);
    a_->setToolTip(tr("Annotator A: their final labels (ground truth and their corrections)"));
    b_->setToolTip(tr("Annotator B: their final labels (ground truth and their corrections)"));
    set_->setToolTip(tr("The correction set the result is saved as"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(pickA_);
    buttons->addWidget(pickB_);
    buttons->addStretch(1);
    buttons->addWidget(save_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(table_, 1);
    layout->addLayout(buttons);
    layout->addWidget(status_);
    status_->setWordWrap(true);
    connect(a_, &QComboBox::currentTextChanged, this, [this] { annotatorsChanged(); });
    connect(b_, &QComboBox::currentTextChanged, this, [this] { annotatorsChanged(); });
    connect(pickA_, &QPushButton::clicked, this, [this] { pickSelected(0); });
    connect(pickB_, &QPushButton::clicked, this, [this] { pickSelected(1); });
    connect(save_, &QPushButton::clicked, this, [this] { save(); });
    showLanes({}, {});
}

void AdjudicationPanel::setAnnotators(const QStringList& names) {
    const QString a = a_->currentText();
    const QString b = b_->currentText();
    {
        const QSignalBlocker ba(a_);
        const QSignalBlocker bb(b_);
        a_->clear();
        b_->clear();
        a_->addItems(names);
        b_->addItems(names);
        a_->setCurrentIndex(names.contains(a) ? names.indexOf(a) : 0);
        const int bi = names.contains(b) ? names.indexOf(b) : (names.size() > 1 ? 1 : 0);
        b_->setCurrentIndex(bi);
    }
    annotatorsChanged();
}

void AdjudicationPanel::annotatorsChanged() {
    const QString a = a_->currentText();
    const QString b = b_->currentText();
    if (a.isEmpty() || b.isEmpty() || a == b) {
        showLanes({}, {});
        showMessage(tr("Choose two different annotators with corrections."));
        return;
    }
    emit lanesRequested(a, b);
}

void AdjudicationPanel::showLanes(const QString& video, const QVector<AdjudicationRow>& rows) {
    video_ = video;
    rows_ = rows;
    table_->setRowCount(static_cast<int>(rows_.size()));
    for (int r = 0; r < rows_.size(); ++r) fillRow(r);
    int open = 0;
    for (const auto& row : rows_) open += row.agreed ? 0 : 1;
    const bool shown = !video_.isEmpty();
    pickA_->setEnabled(shown && open > 0);
    pickB_->setEnabled(shown && open > 0);
    save_->setEnabled(shown);
    showMessage(shown ? tr("%1: %2 agreed label(s), %3 disagreement(s).")
                            .arg(video_)
                            .arg(rows_.size() - open)
                            .arg(open)
                      : tr("Select a video."));
}

void AdjudicationPanel::fillRow(int r) {
    const auto& row = rows_[r];
    const QString stands = row.agreed      ? tr("agreed")
                           : row.side == 0 ? tr("A") + (row.picked ? tr(" (picked)") : QString())
                                           : tr("B") + (row.picked ? tr(" (picked)") : QString());
    const QStringList cells = {row.label, row.a.isEmpty() ? QStringLiteral("–") : row.a,
                               row.b.isEmpty() ? QStringLiteral("–") : row.b, stands};
    for (int c = 0; c < cells.size(); ++c) {
        auto* item = new QTableWidgetItem(cells[c]);
        if (!row.agreed && ((c == 1 && row.side == 0) || (c == 2 && row.side == 1))) {
            QFont f = item->font();
            f.setBold(true);
            item->setFont(f);
        }
        if (row.agreed) item->setForeground(palette().color(QPalette::PlaceholderText));
        table_->setItem(r, c, item);
    }
}

void AdjudicationPanel::showMessage(const QString& message) {
    status_->setText(message);
}

void AdjudicationPanel::pickSelected(int side) {
    std::set<int> selected;
    for (const auto& index : table_->selectionModel()->selectedRows()) selected.insert(index.row());
    if (selected.empty() && table_->currentRow() >= 0) selected.insert(table_->currentRow());
    for (const int r : selected) {
        if (r < 0 || r >= rows_.size() || rows_[r].agreed) continue;
        rows_[r].side = side;
        rows_[r].picked = true;
        fillRow(r);
        emit pickRequested(r, side);
    }
}

bool AdjudicationPanel::save() {
    const QString name = set_->text().trimmed();
    if (video_.isEmpty()) return false;
    if (name.isEmpty()) {
        showMessage(tr("Give the set a name."));
        return false;
    }
    if (name == a_->currentText() || name == b_->currentText()) {
        showMessage(tr("The set may not be named after annotator %1.").arg(name));
        return false;
    }
    emit saveRequested(name);
    return true;
}

bool AdjudicationPanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == table_ && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_1 || key == Qt::Key_Left) {
            pickSelected(0);
            return true;
        }
        if (key == Qt::Key_2 || key == Qt::Key_Right) {
            pickSelected(1);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

}  // namespace avvp::ui

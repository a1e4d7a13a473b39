#include "ui/dialogs/keymap_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/keymap.h"

namespace avvp::ui {

namespace {

constexpr int kIdRole = Qt::UserRole;

QString keysText(const QList<QKeySequence>& keys) {
    QStringList out;
    for (const auto& k : keys) out << k.toString(QKeySequence::NativeText);
    return out.join(QStringLiteral("  /  "));
}

}  // namespace

KeyMap defaultKeys() {
    KeyMap map;
    for (const auto& b : defaultKeymap())
        if (b.keys[0] != '\0') map.insert(QString::fromLatin1(b.id), keySequences(b));
    return map;
}

KeymapDialog::KeymapDialog(const KeyMap& current, QWidget* parent)
    : QDialog(parent), keys_(defaultKeys()) {
    setWindowTitle(tr("Keyboard Shortcuts"));
    for (auto it = current.begin(); it != current.end(); ++it)
        if (keys_.contains(it.key())) keys_[it.key()] = it.value();

    filter_ = new QLineEdit(this);
    filter_->setPlaceholderText(tr("Search actions and keys"));
    filter_->setClearButtonEnabled(true);

    table_ = new QTableWidget(this);
    table_->setColumnCount(2);
    table_->setHorizontalHeaderLabels({tr("Keys"), tr("Does")});
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->horizontalHeader()->setStretchLastSection(true);
    // One line a row (the full text in the tooltip).
    table_->setWordWrap(false);
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    fill();

    auto* keyLabel = new QLabel(tr("Shortcut of the selected action:"), this);
    keyEdit_ = new QKeySequenceEdit(this);
    keyEdit_->setToolTip(tr("Click, then press the new key combination"));
    clear_ = new QPushButton(tr("Clear"), this);
    clear_->setToolTip(tr("No shortcut for this action"));
    default_ = new QPushButton(tr("Default"), this);
    default_->setToolTip(tr("This action's default keys"));
    warning_ = new QLabel(this);
    warning_->setWordWrap(true);
    warning_->setStyleSheet(QStringLiteral("color: #c62828;"));
    warning_->hide();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* resetAll = buttons->addButton(tr("Reset All to Defaults"), QDialogButtonBox::ResetRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(resetAll, &QPushButton::clicked, this, &KeymapDialog::resetToDefaults);
    connect(filter_, &QLineEdit::textChanged, this, &KeymapDialog::setFilter);
    connect(table_, &QTableWidget::itemSelectionChanged, this, &KeymapDialog::showCurrent);
    connect(keyEdit_, &QKeySequenceEdit::editingFinished, this, [this] {
        const QString id = currentId();
        if (id.isEmpty()) return;
        // One key combination: the first chord typed.
        const QKeySequence typed = keyEdit_->keySequence();
        const QKeySequence key = typed.isEmpty() ? QKeySequence() : QKeySequence(typed[0]);
        if (!assign(id, key)) showCurrent();
    });
    connect(clear_, &QPushButton::clicked, this, [this] {
        if (!currentId().isEmpty()) assign(currentId(), QKeySequence());
        showCurrent();
    });
    connect(default_, &QPushButton::clicked, this, [this] {
        const QString id = currentId();
        if (id.isEmpty()) return;
        const auto defaults = defaultKeys().value(id);
        for (const auto& k : defaults)
            for (auto it = keys_.begin(); it != keys_.end(); ++it)
                if (it.key() != id) it.value().removeAll(k);
        keys_[id] = defaults;
        for (int r = 0; r < table_->rowCount(); ++r) refreshRow(r);
        warning_->hide();
        showCurrent();
    });

    auto* edit = new QHBoxLayout;
    edit->addWidget(keyLabel);
    edit->addWidget(keyEdit_, 1);
    edit->addWidget(clear_);
    edit->addWidget(default_);
    auto* lay = new QVBoxLayout(this);
    lay->addWidget(filter_);
    lay->addWidget(table_, 1);
    lay->addLayout(edit);
    lay->addWidget(warning_);
    lay->addWidget(buttons);
    showCurrent();
    resize(720, 680);
}

void KeymapDialog::fill() {
    table_->setRowCount(0);
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
            item->setFlags(Qt::ItemIsEnabled);
            table_->setItem(r, 0, item);
            table_->setSpan(r, 0, 1, 2);
        }
        const int r = table_->rowCount();
        table_->insertRow(r);
        const QString id = QString::fromLatin1(b.id);
        auto* keys = new QTableWidgetItem;
        keys->setData(kIdRole, keys_.contains(id) ? id : QString());
        auto* text = new QTableWidgetItem(translatedText(b));
        text->setToolTip(text->text());
        text->setData(Qt::UserRole + 1, s);
        if (!keys_.contains(id)) {  // a mouse gesture: shown, not editable
            keys->setFlags(Qt::ItemIsEnabled);
            text->setFlags(Qt::ItemIsEnabled);
        }
        table_->setItem(r, 0, keys);
        table_->setItem(r, 1, text);
        refreshRow(r);
    }
    table_->resizeColumnToContents(0);
    table_->setColumnWidth(0, std::max(table_->columnWidth(0), 150));
}

void KeymapDialog::refreshRow(int row) {
    auto* item = table_->item(row, 0);
    if (!item || table_->columnSpan(row, 0) > 1) return;
    const QString id = item->data(kIdRole).toString();
    item->setText(id.isEmpty() ? QStringLiteral("🖱") : keysText(keys_.value(id)));
}

int KeymapDialog::rowOf(const QString& id) const {
    for (int r = 0; r < table_->rowCount(); ++r)
        if (auto* item = table_->item(r, 0);
            item && table_->columnSpan(r, 0) == 1 && item->data(kIdRole).toString() == id)
            return r;
    return -1;
}

bool KeymapDialog::rowShown(int row) const {
    return row >= 0 && row < table_->rowCount() && !table_->isRowHidden(row);
}

void KeymapDialog::selectAction(const QString& id) {
    const int r = rowOf(id);
    if (r >= 0) table_->selectRow(r);
}

QString KeymapDialog::currentId() const {
    const auto rows = table_->selectionModel()->selectedRows();
    if (rows.isEmpty()) return {};
    auto* item = table_->item(rows.first().row(), 0);
    return item && table_->columnSpan(rows.first().row(), 0) == 1 ? item->data(kIdRole).toString()
                                                                  : QString();
}

void KeymapDialog::showCurrent() {
    const QString id = currentId();
    keyEdit_->setEnabled(!id.isEmpty());
    clear_->setEnabled(!id.isEmpty());
    default_->setEnabled(!id.isEmpty());
    const auto keys = keys_.value(id);
    keyEdit_->setKeySequence(keys.isEmpty() ? QKeySequence() : keys.first());
}

bool KeymapDialog::assign(const QString& id, const QKeySequence& key) {
    if (!keys_.contains(id)) return false;
    if (!key.isEmpty()) {
        for (auto it = keys_.begin(); it != keys_.end(); ++it) {
            if (it.key() == id || !it.value().contains(key)) continue;
            const auto* other = findBinding(it.key().toLatin1().constData());
            warning_->setText(tr("%1 is already the shortcut of “%2”. Give that action another "
                                 "key (or clear it) first.")
                                  .arg(key.toString(QKeySequence::NativeText),
                                       other ? translatedText(*other) : it.key()));
            warning_->show();
            return false;
        }
    }
    keys_[id] = key.isEmpty() ? QList<QKeySequence>{} : QList<QKeySequence>{key};
    refreshRow(rowOf(id));
    warning_->clear();
    warning_->hide();
    return true;
}

void KeymapDialog::resetToDefaults() {
    keys_ = defaultKeys();
    for (int r = 0; r < table_->rowCount(); ++r) refreshRow(r);
    warning_->clear();
    warning_->hide();
    showCurrent();
}

void KeymapDialog::setFilter(const QString& text) {
    const QString needle = text.trimmed();
    int sectionRow = -1;
    bool sectionAny = false;
    const auto closeSection = [&] {
        if (sectionRow >= 0) table_->setRowHidden(sectionRow, !sectionAny);
    };
    for (int r = 0; r < table_->rowCount(); ++r) {
        if (table_->columnSpan(r, 0) > 1) {
            closeSection();
            sectionRow = r;
            sectionAny = false;
            continue;
        }
        const auto* keys = table_->item(r, 0);
        const auto* does = table_->item(r, 1);
        const bool match =
            needle.isEmpty() || does->text().contains(needle, Qt::CaseInsensitive) ||
            does->data(Qt::UserRole + 1).toString().contains(needle, Qt::CaseInsensitive) ||
            keys->text().contains(needle, Qt::CaseInsensitive);
        table_->setRowHidden(r, !match);
        sectionAny = sectionAny || match;
    }
    closeSection();
    // The key field edits a shown action only.
    const auto selected = table_->selectionModel()->selectedRows();
    if (!selected.isEmpty() && table_->isRowHidden(selected.first().row()))
        table_->clearSelection();
}

}  // namespace avvp::ui

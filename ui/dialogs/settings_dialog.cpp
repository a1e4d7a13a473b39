#include "ui/dialogs/settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace avvp::ui {

QStringList SettingsDialog::languages() {
    return {QString(), QStringLiteral("en"), QStringLiteral("zh_CN")};
}

SettingsDialog::SettingsDialog(const Preferences& current, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Preferences"));
    language_ = new QComboBox(this);
    language_->addItem(tr("System default"), QString());
    language_->addItem(QStringLiteral("English"), QStringLiteral("en"));
    language_->addItem(QStringLiteral("简体中文 (Simplified Chinese)"), QStringLiteral("zh_CN"));
    language_->setCurrentIndex(std::max(0, language_->findData(current.language)));
    annotator_ = new QLineEdit(current.annotator, this);
    annotator_->setToolTip(tr("Your edits, and your undo history, are kept under this name"));
    audio_ = new QCheckBox(tr("Play sound through the audio device (when there is one)"), this);
    audio_->setChecked(current.audio);
    snap_ = new QCheckBox(tr("Snap edits to one-second segments"), this);
    snap_->setChecked(current.snap);
    spectrogram_ = new QCheckBox(tr("Show the spectrogram under the audio lane"), this);
    spectrogram_->setChecked(current.spectrogram);
    encoders_ = new QLineEdit(current.encoders, this);
    encoders_->setPlaceholderText(tr("none chosen"));
    encoders_->setToolTip(
        tr("Extract Features uses the TorchScript encoders of this folder (its manifest.json, "
           "as `avvp features --encoders` reads it); a project may choose its own"));
    auto* browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Encoders folder (with manifest.json)"), encoders_->text());
        if (!dir.isEmpty()) encoders_->setText(dir);
    });
    auto* encodersRow = new QHBoxLayout;
    encodersRow->addWidget(encoders_, 1);
    encodersRow->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("Language:"), language_);
    form->addRow(tr("Annotator:"), annotator_);
    form->addRow(QString(), audio_);
    form->addRow(QString(), snap_);
    form->addRow(QString(), spectrogram_);
    form->addRow(tr("Encoders folder:"), encodersRow);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* lay = new QVBoxLayout(this);
    lay->addLayout(form);
    lay->addWidget(buttons);
}

Preferences SettingsDialog::preferences() const {
    return {language_->currentData().toString(),
            annotator_->text().trimmed(),
            audio_->isChecked(),
            snap_->isChecked(),
            spectrogram_->isChecked(),
            encoders_->text().trimmed()};
}

}  // namespace avvp::ui

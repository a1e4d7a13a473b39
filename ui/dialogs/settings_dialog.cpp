#include "ui/dialogs/settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QVBoxLayout>

#include "ui/session.h"

namespace avvp::ui {

QString SettingsDialog::language() {
    return QSettings().value(QStringLiteral("ui/language")).toString();
}

QStringList SettingsDialog::languages() {
    return {QString(), QStringLiteral("en"), QStringLiteral("zh_CN")};
}

SettingsDialog::SettingsDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Preferences"));
    QSettings s;
    language_ = new QComboBox(this);
    language_->addItem(tr("System default"), QString());
    language_->addItem(QStringLiteral("English"), QStringLiteral("en"));
    language_->addItem(QStringLiteral("简体中文 (Simplified Chinese)"), QStringLiteral("zh_CN"));
    language_->setCurrentIndex(std::max(0, language_->findData(language())));
    annotator_ =
        new QLineEdit(s.value(QStringLiteral("annotator"), defaultAnnotator()).toString(), this);
    annotator_->setToolTip(tr("Your edits, and your undo history, are kept under this name"));
    audio_ = new QCheckBox(tr("Play sound through the audio device (when there is one)"), this);
    audio_->setChecked(s.value(QStringLiteral("audio/enabled"), true).toBool());
    snap_ = new QCheckBox(tr("Snap edits to one-second segments"), this);
    snap_->setChecked(s.value(QStringLiteral("timeline/snap"), true).toBool());
    spectrogram_ = new QCheckBox(tr("Show the spectrogram under the audio lane"), this);
    spectrogram_->setChecked(s.value(QStringLiteral("timeline/spectrogram"), true).toBool());
    auto* form = new QFormLayout;
    form->addRow(tr("Language:"), language_);
    form->addRow(tr("Annotator:"), annotator_);
    form->addRow(QString(), audio_);
    form->addRow(QString(), snap_);
    form->addRow(QString(), spectrogram_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* lay = new QVBoxLayout(this);
    lay->addLayout(form);
    lay->addWidget(buttons);
}

SettingsDialog::Changes SettingsDialog::apply() {
    QSettings s;
    Changes c;
    const QString lang = language_->currentData().toString();
    c.language = lang != language();
    s.setValue(QStringLiteral("ui/language"), lang);
    const QString who =
        annotator_->text().trimmed().isEmpty() ? defaultAnnotator() : annotator_->text().trimmed();
    c.annotator = who != s.value(QStringLiteral("annotator"), defaultAnnotator()).toString();
    s.setValue(QStringLiteral("annotator"), who);
    c.audio = audio_->isChecked() != s.value(QStringLiteral("audio/enabled"), true).toBool();
    s.setValue(QStringLiteral("audio/enabled"), audio_->isChecked());
    s.setValue(QStringLiteral("timeline/snap"), snap_->isChecked());
    s.setValue(QStringLiteral("timeline/spectrogram"), spectrogram_->isChecked());
    return c;
}

}  // namespace avvp::ui

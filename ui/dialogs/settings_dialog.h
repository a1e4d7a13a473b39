#pragma once
// Preferences kept in QSettings: language (English / Simplified Chinese, applied at once
// by rebuilding the window), the annotator name edits are recorded under, sound output,
// and timeline defaults.
#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace avvp::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
  public:
    explicit SettingsDialog(QWidget* parent = nullptr);

    QComboBox* languageCombo() const { return language_; }
    QLineEdit* annotatorEdit() const { return annotator_; }

    // Writes the settings; tells what changed.
    struct Changes {
        bool language = false;
        bool annotator = false;
        bool audio = false;
    };
    Changes apply();

    // "" (system), "en", "zh_CN"
    static QString language();
    static QStringList languages();

  private:
    QComboBox* language_;
    QLineEdit* annotator_;
    QCheckBox* audio_;
    QCheckBox* snap_;
    QCheckBox* spectrogram_;
};

}  // namespace avvp::ui

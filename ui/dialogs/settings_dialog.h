#pragma once
// The Preferences dialog: language (English / Simplified Chinese, applied at once by
// rebuilding the window), the annotator name edits are recorded under, sound output, and
// timeline defaults, and the encoders folder Extract Features uses. It edits a
// Preferences value; the application keeps them.
#include <QDialog>
#include <QString>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace avvp::ui {

struct Preferences {
    QString language;   // "" (system), "en", "zh_CN"
    QString annotator;  // edits and undo history are kept under this name
    bool audio = true;  // sound through the audio device, when there is one
    bool snap = true;   // timeline: snap edits to one-second segments
    bool spectrogram = true;
    // Extract Features: the folder with the encoders' manifest.json (`avvp features
    // --encoders`); a project may choose its own (Models ▸ Extract Features).
    QString encoders = {};
    bool operator==(const Preferences&) const = default;
};

class SettingsDialog : public QDialog {
    Q_OBJECT
  public:
    explicit SettingsDialog(const Preferences& current, QWidget* parent = nullptr);

    QComboBox* languageCombo() const { return language_; }
    QLineEdit* annotatorEdit() const { return annotator_; }
    QLineEdit* encodersEdit() const { return encoders_; }

    // The preferences as edited (the annotator trimmed).
    Preferences preferences() const;

    // "" (system), "en", "zh_CN"
    static QStringList languages();

  private:
    QComboBox* language_;
    QLineEdit* annotator_;
    QCheckBox* audio_;
    QCheckBox* snap_;
    QCheckBox* spectrogram_;
    QLineEdit* encoders_;
};

}  // namespace avvp::ui

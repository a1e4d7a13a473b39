#pragma once
// Exports labels of the store in any format of core/formats (LLP CSV, DCASE TSV, ELAN,
// Praat TextGrid, Audacity label tracks, JSON): which events (ground truth, a run's
// predictions, corrections, everything), which videos (the current one, a split, all),
// where. The application runs the export it asks for as a job and reports back
// (progress, cancel); the dialog stays usable.
#include <QDialog>
#include <optional>

#include "core/formats/label_io.h"
#include "core/store/label_exchange.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace avvp::ui {

class Document;

class ExportDialog : public QDialog {
    Q_OBJECT
  public:
    ExportDialog(Document* document, const QString& currentVideo, QWidget* parent = nullptr);

    QComboBox* formatCombo() const { return format_; }
    QComboBox* sourceCombo() const { return source_; }
    QComboBox* scopeCombo() const { return scope_; }
    // ELAN / TextGrid: only the tiers that hold events (enabled for those formats).
    QCheckBox* omitEmptyTiersCheck() const { return omitEmpty_; }
    QLineEdit* outputEdit() const { return output_; }
    QPushButton* exportButton() const { return export_; }
    QLabel* statusLabel() const { return status_; }

    void setFormat(core::LabelFormat format);
    core::LabelFormat format() const;
    // Where outputs are suggested (the last export's folder; default: Documents).
    void setDefaultFolder(const QString& folder);
    // Asks for the export with the dialog's choices (exportRequested); false (and a
    // message) when they are incomplete or an export is under way.
    bool startExport();
    bool running() const { return running_; }
    QStringList writtenFiles() const { return written_; }

  public slots:
    // What the application reports of the export it runs.
    void showStarted();
    void showProgress(double fraction);
    void showFinished(const QStringList& files, std::size_t videos, std::size_t merged,
                      std::size_t rounded);
    void showFailed(const QString& error);
    void showEnded(bool cancelled);

  signals:
    void exportRequested(const avvp::store::LabelSelection& selection,
                         avvp::core::LabelFormat format, const QString& output,
                         const QString& title, const avvp::core::LabelWriteOptions& options);
    void cancelRequested();

  private:
    std::optional<store::LabelSelection> selection(QString* why) const;
    void browse();
    void suggestOutput();

    Document* doc_;
    QString defaultFolder_;
    QString requestedOutput_;
    bool running_ = false;
    QString currentVideo_;
    QComboBox* format_;
    QComboBox* source_;
    QComboBox* scope_;
    QCheckBox* omitEmpty_;
    QLineEdit* output_;
    QLabel* hint_;
    QLabel* status_;
    QProgressBar* progress_;
    QPushButton* export_;
    QPushButton* cancel_;
    QStringList written_;
};

}  // namespace avvp::ui

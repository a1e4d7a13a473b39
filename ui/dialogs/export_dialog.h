#pragma once
// Exports labels of the store in any format of core/formats (LLP CSV, DCASE TSV, ELAN,
// Praat TextGrid, Audacity label tracks, JSON): which events (ground truth, a run's
// predictions, corrections, everything), which videos (the current one, a split, all),
// where. The export runs as a job (progress, cancel); the dialog stays usable.
#include <QDialog>
#include <optional>

#include "core/formats/label_io.h"
#include "core/store/label_exchange.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace avvp::ui {

class Job;
class JobManager;
class Session;

class ExportDialog : public QDialog {
    Q_OBJECT
  public:
    ExportDialog(Session* session, JobManager* jobs, const QString& currentVideo,
                 QWidget* parent = nullptr);

    QComboBox* formatCombo() const { return format_; }
    QComboBox* sourceCombo() const { return source_; }
    QComboBox* scopeCombo() const { return scope_; }
    QLineEdit* outputEdit() const { return output_; }
    QPushButton* exportButton() const { return export_; }
    QLabel* statusLabel() const { return status_; }

    void setFormat(core::LabelFormat format);
    // Starts the export with the dialog's choices; nullptr (and a message) when they are
    // incomplete.
    Job* startExport();
    QStringList writtenFiles() const { return written_; }

  private:
    core::LabelFormat format() const;
    std::optional<store::LabelSelection> selection(QString* why) const;
    void browse();
    void suggestOutput();

    Session* session_;
    JobManager* jobs_;
    QString currentVideo_;
    QComboBox* format_;
    QComboBox* source_;
    QComboBox* scope_;
    QLineEdit* output_;
    QLabel* hint_;
    QLabel* status_;
    QProgressBar* progress_;
    QPushButton* export_;
    QPushButton* cancel_;
    Job* job_ = nullptr;
    QStringList written_;
};

}  // namespace avvp::ui

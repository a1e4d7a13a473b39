#pragma once
// The agreement panel (issue 18, item 3): two annotators of the open store (A, the
// reference, and B), a split and "only the videos both corrected"; Compute asks the
// application to run store::annotatorAgreement (the same code as `avvp agreement`) as a
// job. Shows the ten AVVP scores of B against A, Cohen's kappa per class for audio and
// visual (with the overall one per modality), and the videos ranked by disagreement,
// whose rows open the video in the workspace.
#include <QWidget>

#include "core/store/annotator_agreement.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTabWidget;

namespace avvp::ui {

class Document;

class AgreementPanel : public QWidget {
    Q_OBJECT
  public:
    explicit AgreementPanel(Document* document, QWidget* parent = nullptr);

    QComboBox* referenceCombo() const { return reference_; }
    QComboBox* otherCombo() const { return other_; }
    QComboBox* splitCombo() const { return split_; }
    QCheckBox* onlyEditedBox() const { return onlyEdited_; }
    QPushButton* computeButton() const { return compute_; }
    QLabel* statusLabel() const { return status_; }
    QTableWidget* scoresTable() const { return scores_; }
    QTableWidget* kappaTable() const { return kappa_; }
    QTableWidget* videoTable() const { return videos_; }

    // Re-reads the annotators with corrections in the store.
    void refreshAnnotators();
    // As the Compute button: computeRequested; false when two annotators are not chosen or
    // a computation is under way.
    bool compute();
    bool running() const { return running_; }

  public slots:
    void showStarted();
    void showProgress(const QString& stage, double fraction);
    void showResult(const avvp::store::StoreAgreement& result);
    void showFailed(const QString& error);
    void showEnded(bool cancelled);

  signals:
    void computeRequested(const avvp::store::AgreementRequest& request, const QString& title);
    void videoActivated(const QString& filename);

  private:
    Document* doc_;
    QComboBox* reference_;
    QComboBox* other_;
    QComboBox* split_;
    QCheckBox* onlyEdited_;
    QPushButton* compute_;
    QLabel* status_;
    QTabWidget* tabs_;
    QTableWidget* scores_;
    QTableWidget* kappa_;
    QTableWidget* videos_;
    bool running_ = false;
};

}  // namespace avvp::ui

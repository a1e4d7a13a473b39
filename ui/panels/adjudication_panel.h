#pragma once
// The adjudication panel (issue 18, item 4): two annotators' lanes of the current video
// side by side, one row per agreed label or disagreement, and whose labels stand in each
// (A or B: the buttons, or the keys 1 / 2 and Left / Right on the selected rows). Save
// asks the application to save the result as a correction set (workspace::
// saveAdjudication, as `avvp adjudicate` does). The panel shows plain rows; the
// application computes them.
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace avvp::ui {

struct AdjudicationRow {
    bool agreed = false;
    QString label;  // "visual Dog"
    QString a;      // A's labels in the row ("" for none)
    QString b;
    int side = 0;  // 0: A's labels stand, 1: B's
    bool picked = false;
};

class AdjudicationPanel : public QWidget {
    Q_OBJECT
  public:
    explicit AdjudicationPanel(QWidget* parent = nullptr);

    QComboBox* annotatorA() const { return a_; }
    QComboBox* annotatorB() const { return b_; }
    QLineEdit* setName() const { return set_; }
    QTableWidget* table() const { return table_; }
    QPushButton* pickAButton() const { return pickA_; }
    QPushButton* pickBButton() const { return pickB_; }
    QPushButton* saveButton() const { return save_; }
    QLabel* statusLabel() const { return status_; }
    const QVector<AdjudicationRow>& rows() const { return rows_; }

    // The annotators with corrections (keeps the choices that remain).
    void setAnnotators(const QStringList& names);
    // The lanes of a video (empty video: none shown).
    void showLanes(const QString& video, const QVector<AdjudicationRow>& rows);
    void showMessage(const QString& message);

    // Sets the side of the selected disagreements (agreed rows stay): pickRequested per row.
    void pickSelected(int side);
    // As the Save button: saveRequested with the set's name; false when nothing is shown
    // or the name is empty.
    bool save();

  signals:
    // The two annotators chosen (both set and different): show their lanes.
    void lanesRequested(const QString& a, const QString& b);
    void pickRequested(int row, int side);
    void saveRequested(const QString& setName);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void fillRow(int row);
    void annotatorsChanged();

    QComboBox* a_;
    QComboBox* b_;
    QLineEdit* set_;
    QTableWidget* table_;
    QPushButton* pickA_;
    QPushButton* pickB_;
    QPushButton* save_;
    QLabel* status_;
    QString video_;
    QVector<AdjudicationRow> rows_;
};

}  // namespace avvp::ui

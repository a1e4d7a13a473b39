#pragma once
// The main window: an LLP annotation folder's videos (by split, with filters), their
// weak labels and dense events, and the anomalies found while reading the files.
#include <QMainWindow>
#include <memory>

#include "core/llp_dataset.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QTableView;

namespace avvp {
namespace ui {

class LabelGridView;
class VideoFilterProxy;
class VideoTableModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads an LLP folder; on failure keeps the current data, shows nothing modal when
    // `interactive` is false, and returns false with lastError() set.
    bool openFolder(const QString& folder, bool interactive = true);
    QString lastError() const { return lastError_; }
    const core::LlpDataset* dataset() const { return dataset_.get(); }

    // Selects the split by name ("train", "val", "test" or "all").
    void setSplit(const QString& name);
    // Selects the video with this filename in the current view; false if not shown.
    bool selectVideo(const QString& filename);

    QTableView* table() const { return table_; }
    LabelGridView* gridView() const { return grid_; }
    QComboBox* splitCombo() const { return splitCombo_; }
    QComboBox* classCombo() const { return classCombo_; }
    QLineEdit* searchEdit() const { return search_; }
    QListWidget* anomalyList() const { return anomalies_; }

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildUi();
    void chooseFolder();
    void onSplitChanged();
    void onCurrentRowChanged();
    void updateStatus();

    std::unique_ptr<core::LlpDataset> dataset_;
    QString lastError_;
    VideoTableModel* model_ = nullptr;
    VideoFilterProxy* proxy_ = nullptr;
    QTableView* table_ = nullptr;
    LabelGridView* grid_ = nullptr;
    QComboBox* splitCombo_ = nullptr;
    QComboBox* classCombo_ = nullptr;
    QLineEdit* search_ = nullptr;
    QListWidget* anomalies_ = nullptr;
    QLabel* statusLabel_ = nullptr;
};

}  // namespace ui
}  // namespace avvp

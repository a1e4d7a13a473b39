#pragma once
// The video browser: filters (split, class, modality, ground truth, predictions of the
// session's run, non-aligned, media, score, text) over the store's videos, sortable.
// Structural filters query the store (~30 ms for all 11849 LLP videos); text, media and
// score filter in a proxy, so typing is instant. Review mode: a status column and filter,
// the review progress of the split shown (bar and counts), the status set from the context
// menu (the application writes it) and the next video needing review.
#include <QHash>
#include <QVariantMap>
#include <QWidget>
#include <optional>
#include <vector>

#include "core/run_comparison.h"
#include "core/store/records.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QTableView;
class QTimer;

namespace avvp::store {
struct Change;
}

namespace avvp::ui {

class Document;
class VideoFilterProxy;
class VideoListModel;

class VideoBrowser : public QWidget {
    Q_OBJECT
  public:
    VideoBrowser(Document* document, QWidget* parent = nullptr);

    // Selects the video (clearing filters that hide it when needed); false when the store
    // has no such video.
    bool selectVideo(const QString& filename);
    bool selectVideo(store::VideoId id);
    std::optional<store::VideoId> currentVideo() const;
    QString currentFilename() const;
    // The selected rows' videos (selection order).
    std::vector<store::VideoId> selectedVideos() const;
    // Moves the selection by `delta` rows of the filtered list.
    void step(int delta);
    // Re-queries the store now (otherwise it happens shortly after changes).
    void reload();
    // "Split" filter by name: "all", "train", "val", "test", "own".
    void setSplit(const QString& name);
    void setScores(QHash<QString, double> scores, const QString& label);
    // Two runs side by side (issue 20, item 5): the columns "A only", "B only" and "Both
    // wrong" (sortable) show while `counts` is not empty; empty hides them.
    void setComparison(QHash<QString, core::OutcomeCounts> counts, const QString& runA = {},
                       const QString& runB = {});
    // Selects the next video whose review status is "needs review" after the current one
    // (in filename order, in the split shown, wrapping; clearing the status filter when it
    // hides it). False, with a note in the count label, when no video needs review.
    bool selectNextNeedingReview();
    // The actions of the context menu that set the review status of the selected videos
    // (To do, In progress, Needs review, Done) and "Next video needing review": the
    // application adds its shortcuts (keymap) to them.
    QList<QAction*> reviewActions() const { return reviewActions_; }
    QAction* nextReviewAction() const { return nextReview_; }
    QComboBox* reviewCombo() const { return review_; }
    QProgressBar* reviewProgressBar() const { return progress_; }
    QLabel* reviewProgressLabel() const { return progressText_; }

    QTableView* table() const { return table_; }
    VideoListModel* model() const { return model_; }
    VideoFilterProxy* proxy() const { return proxy_; }
    QComboBox* splitCombo() const { return split_; }
    QComboBox* classCombo() const { return cls_; }
    QComboBox* modalityCombo() const { return modality_; }
    QComboBox* groundTruthCombo() const { return gt_; }
    QComboBox* predictionsCombo() const { return pred_; }
    QCheckBox* nonAlignedCheck() const { return nonAligned_; }
    QCheckBox* mediaOnlyCheck() const { return mediaOnly_; }
    QDoubleSpinBox* maxScoreSpin() const { return maxScore_; }
    QLineEdit* searchEdit() const { return search_; }

    // The filters and the table header, to keep across restarts (the application stores
    // them), and back.
    QVariantMap state() const;
    void setState(const QVariantMap& state);

  signals:
    // The current video changed (nullopt: none).
    void videoSelected(std::optional<avvp::store::VideoId> video);
    // The user set the review status (store::ReviewStatus) of these videos.
    void reviewStatusRequested(std::vector<avvp::store::VideoId> videos, int status);

  private:
    store::VideoFilter currentFilter() const;
    void onStoreChanged(const store::Change& change);
    void onCurrentChanged();
    void updateCount();
    void updateProgress();

    Document* doc_;
    VideoListModel* model_;
    VideoFilterProxy* proxy_;
    QTableView* table_;
    QComboBox* split_;
    QComboBox* cls_;
    QComboBox* modality_;
    QComboBox* gt_;
    QComboBox* pred_;
    QCheckBox* nonAligned_;
    QCheckBox* mediaOnly_;
    QCheckBox* scoreOn_;
    QDoubleSpinBox* maxScore_;
    QLineEdit* search_;
    QLabel* count_;
    QComboBox* review_;
    QProgressBar* progress_;
    QLabel* progressText_;
    QList<QAction*> reviewActions_;
    QAction* nextReview_;
    QTimer* reloadTimer_;
    std::optional<store::VideoId> current_;
};

}  // namespace avvp::ui

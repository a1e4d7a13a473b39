#pragma once
// The video browser: filters (split, class, modality, ground truth, predictions of the
// session's run, non-aligned, media, score, text) over the store's videos, sortable.
// Structural filters query the store (~30 ms for all 11849 LLP videos); text, media and
// score filter in a proxy, so typing is instant.
#include <QHash>
#include <QVariantMap>
#include <QWidget>
#include <optional>
#include <vector>

#include "core/store/records.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
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

  private:
    store::VideoFilter currentFilter() const;
    void onStoreChanged(const store::Change& change);
    void onCurrentChanged();
    void updateCount();

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
    QTimer* reloadTimer_;
    std::optional<store::VideoId> current_;
};

}  // namespace avvp::ui

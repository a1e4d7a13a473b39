#pragma once
// The event table: the current video's events of the shown tiers (ground truth,
// corrections, the shown run's stored predictions) as rows of modality, class, onset,
// offset and source, sortable by any column, with numeric onset / offset editing as in
// Audacity's label editor and Sonic Visualiser's data editor. An edit is the same undoable
// store edit as a drag on the timeline (Document::apply with Edit::resize); predictions are
// read only, as on the timeline. Selecting a row asks for the event's selection and a seek.
#include <QAbstractTableModel>
#include <QWidget>
#include <optional>
#include <vector>

#include "core/store/records.h"

class QMenu;
class QSortFilterProxyModel;
class QTableView;
class QLabel;

namespace avvp::store {
struct Change;
}

namespace avvp::ui {

class Document;

class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { ModalityColumn, ClassColumn, OnsetColumn, OffsetColumn, SourceColumn, Columns };
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int EventIdRole = Qt::UserRole + 1;
    static constexpr int DurationRole = Qt::UserRole + 2;  // the video's length, seconds

    explicit EventTableModel(Document* document, QObject* parent = nullptr);

    void setVideo(std::optional<store::VideoId> video);
    std::optional<store::VideoId> video() const { return video_; }
    void reload();
    const store::Event& event(int row) const { return events_[static_cast<std::size_t>(row)]; }
    double durationSeconds() const { return static_cast<double>(durationMs_) / 1000.0; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    // Onset / offset in seconds (rounded to the millisecond): one undoable edit; false
    // when the store refuses it (the document's editFailed says why).
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;

  private:
    Document* doc_;
    std::optional<store::VideoId> video_;
    std::vector<store::Event> events_;
    std::int64_t durationMs_ = 0;
};

class EventTable : public QWidget {
    Q_OBJECT
  public:
    explicit EventTable(Document* document, QWidget* parent = nullptr);

    void setVideo(std::optional<store::VideoId> video);
    // Follows the timeline: selects the row of this event (and scrolls to it), or clears
    // the selection (nullopt, or an event not in the table); emits nothing.
    void selectEvent(std::optional<store::EventId> id);
    QTableView* table() const { return table_; }
    EventTableModel* model() const { return model_; }
    QSortFilterProxyModel* proxy() const { return proxy_; }
    // Review mode (issue 18, item 1): the context menu of an event: Accept…, Reject… (a
    // dialog asks for an optional reason), Clear Review Decision, Verified (on / off).
    // The caller owns the menu; its actions emit the requests below.
    QMenu* reviewMenu(store::EventId id, QWidget* parent);

  signals:
    // A row was selected: select the event and move the playhead to its onset.
    void eventActivated(avvp::store::EventId id, double onsetSeconds);
    // Review mode: a decision on the event (store::Review: 0 clear, 1 accept, 2 reject) with
    // an optional reason, and its verified flag. The application writes them.
    void reviewRequested(avvp::store::EventId id, int decision, const QString& reason);
    void verifiedRequested(avvp::store::EventId id, bool verified);

  private:
    void onStoreChanged(const store::Change& change);

    Document* doc_;
    EventTableModel* model_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
    QLabel* empty_;
    bool reloading_ = false;
};

}  // namespace avvp::ui

#include "ui/panels/event_table.h"

#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>
#include <memory>

#include "core/store/edit.h"
#include "core/store/review.h"
#include "ui/document.h"
#include "ui/labels.h"
#include "ui/timeline/timeline_rows.h"

namespace avvp::ui {

namespace {

QString secondsText(std::int64_t ms) {
    return QString::number(static_cast<double>(ms) / 1000.0, 'f', 3);
}

// Onset / offset: a spin box in seconds, 0.01 s steps, bounded to the video.
class SecondsDelegate : public QStyledItemDelegate {
  public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem&,
                          const QModelIndex& index) const override {
        auto* spin = new QDoubleSpinBox(parent);
        spin->setDecimals(3);
        spin->setSingleStep(0.01);
        spin->setRange(0.0, index.data(EventTableModel::DurationRole).toDouble());
        spin->setSuffix(QStringLiteral(" s"));
        spin->setFrame(false);
        return spin;
    }
};

}  // namespace

EventTableModel::EventTableModel(Document* document, QObject* parent)
    : QAbstractTableModel(parent), doc_(document) {}

void EventTableModel::setVideo(std::optional<store::VideoId> video) {
    video_ = video;
    reload();
}

void EventTableModel::reload() {
    beginResetModel();
    events_.clear();
    durationMs_ = 0;
    if (video_ && doc_->store()) {
        auto rows = loadTimelineRows(*doc_->store(), *video_, doc_->run(), doc_->thresholds());
        if (rows.found) {
            events_ = std::move(rows.events);
            durationMs_ = rows.durationMs;
        }
    }
    endResetModel();
}

int EventTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(events_.size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : Columns;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const auto& e = event(index.row());
    if (role == EventIdRole) return QVariant::fromValue<qlonglong>(e.id);
    if (role == DurationRole) return durationSeconds();
    const int col = index.column();
    if (role == Qt::TextAlignmentRole && (col == OnsetColumn || col == OffsetColumn))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::EditRole && col == OnsetColumn) return static_cast<double>(e.onsetMs) / 1000.0;
    if (role == Qt::EditRole && col == OffsetColumn)
        return static_cast<double>(e.offsetMs) / 1000.0;
    if (role == SortRole) {
        switch (col) {
            case ModalityColumn:
                return modalityLabel(e.modality);
            case ClassColumn:
                return className(e.cls);
            case OnsetColumn:
                return QVariant::fromValue<qlonglong>(e.onsetMs);
            case OffsetColumn:
                return QVariant::fromValue<qlonglong>(e.offsetMs);
            case SourceColumn:
                return sourceLabel(e.source);
            default:
                return {};
        }
    }
    if (role == Qt::DisplayRole) {
        switch (col) {
            case ModalityColumn:
                return modalityLabel(e.modality);
            case ClassColumn:
                return className(e.cls);
            case OnsetColumn:
                return secondsText(e.onsetMs);
            case OffsetColumn:
                return secondsText(e.offsetMs);
            case SourceColumn:
                return sourceLabel(e.source);
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole && e.source == store::Source::Prediction &&
        (col == OnsetColumn || col == OffsetColumn))
        return tr("Predictions are read only: accept one to edit it as a correction.");
    return {};
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case ModalityColumn:
            return tr("Modality");
        case ClassColumn:
            return tr("Class");
        case OnsetColumn:
            return tr("Onset (s)");
        case OffsetColumn:
            return tr("Offset (s)");
        case SourceColumn:
            return tr("Source");
        default:
            return {};
    }
}

Qt::ItemFlags EventTableModel::flags(const QModelIndex& index) const {
    auto f = QAbstractTableModel::flags(index);
    if (!index.isValid()) return f;
    // Editable as on the timeline: everything but predictions.
    if ((index.column() == OnsetColumn || index.column() == OffsetColumn) &&
        event(index.row()).source != store::Source::Prediction)
        f |= Qt::ItemIsEditable;
    return f;
}

bool EventTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !(flags(index) & Qt::ItemIsEditable)) return false;
    bool ok = false;
    const double seconds = value.toDouble(&ok);
    if (!ok || !std::isfinite(seconds)) return false;
    const auto ms = static_cast<std::int64_t>(std::llround(seconds * 1000.0));
    const auto& e = event(index.row());
    std::int64_t on = e.onsetMs, off = e.offsetMs;
    (index.column() == OnsetColumn ? on : off) = ms;
    if (on == e.onsetMs && off == e.offsetMs) return true;
    // The timeline's edit path: one undo step; the store's change reloads the rows.
    return doc_->apply(store::Edit::resize(e.id, on, off));
}

EventTable::EventTable(Document* document, QWidget* parent)
    : QWidget(parent),
      doc_(document),
      model_(new EventTableModel(document, this)),
      proxy_(new QSortFilterProxyModel(this)),
      table_(new QTableView(this)),
      empty_(new QLabel(this)) {
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(EventTableModel::SortRole);
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(EventTableModel::OnsetColumn, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setAlternatingRowColors(true);
    auto* delegate = new SecondsDelegate(table_);
    table_->setItemDelegateForColumn(EventTableModel::OnsetColumn, delegate);
    table_->setItemDelegateForColumn(EventTableModel::OffsetColumn, delegate);
    empty_->setText(tr("No events in this video."));
    empty_->setAlignment(Qt::AlignCenter);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(table_);
    layout->addWidget(empty_);
    empty_->hide();

    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (!current.isValid() || reloading_) return;
                const auto src = proxy_->mapToSource(current);
                const auto& e = model_->event(src.row());
                emit eventActivated(e.id, static_cast<double>(e.onsetMs) / 1000.0);
            });
    connect(doc_, &Document::changed, this, &EventTable::onStoreChanged);
    connect(doc_, &Document::runChanged, model_, &EventTableModel::reload);
    connect(doc_, &Document::thresholdsChanged, model_, &EventTableModel::reload);
    connect(doc_, &Document::opened, this, [this] { setVideo(std::nullopt); });
    connect(doc_, &Document::closed, this, [this] { setVideo(std::nullopt); });
    connect(model_, &QAbstractItemModel::modelReset, this,
            [this] { empty_->setVisible(model_->video() && model_->rowCount() == 0); });
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const auto idx = table_->indexAt(pos);
        if (!idx.isValid() || !doc_->store()) return;
        std::unique_ptr<QMenu> menu(
            reviewMenu(idx.data(EventTableModel::EventIdRole).toLongLong(), this));
        menu->exec(table_->viewport()->mapToGlobal(pos));
    });
}

QMenu* EventTable::reviewMenu(store::EventId id, QWidget* parent) {
    auto* menu = new QMenu(parent);
    std::optional<store::EventReview> review;
    try {
        if (doc_->store()) review = store::eventReview(*doc_->store(), id);
    } catch (const std::exception&) {
    }
    auto decide = [this, id](int decision, const QString& title) {
        bool ok = false;
        const QString reason = QInputDialog::getText(this, title, tr("Reason (optional):"),
                                                     QLineEdit::Normal, QString(), &ok);
        if (ok) emit reviewRequested(id, decision, reason.trimmed());
    };
    auto* accept =
        menu->addAction(tr("Accept Event…"), [decide, this] { decide(1, tr("Accept Event")); });
    accept->setObjectName(QStringLiteral("reviewAccept"));
    auto* reject =
        menu->addAction(tr("Reject Event…"), [decide, this] { decide(2, tr("Reject Event")); });
    reject->setObjectName(QStringLiteral("reviewReject"));
    auto* clear = menu->addAction(tr("Clear Review Decision"),
                                  [this, id] { emit reviewRequested(id, 0, QString()); });
    clear->setObjectName(QStringLiteral("reviewClear"));
    clear->setEnabled(review && review->decision != store::Review::None);
    if (review && review->decision != store::Review::None) {
        const QString who = QString::fromStdString(review->reviewer);
        const QString why = QString::fromStdString(review->reason);
        auto* info =
            menu->addAction((review->decision == store::Review::Accepted ? tr("Accepted by %1")
                                                                         : tr("Rejected by %1"))
                                .arg(who.isEmpty() ? tr("(unknown)") : who) +
                            (why.isEmpty() ? QString() : QStringLiteral(": ") + why));
        info->setEnabled(false);
    }
    menu->addSeparator();
    auto* verified = menu->addAction(tr("Verified"));
    verified->setObjectName(QStringLiteral("reviewVerified"));
    verified->setCheckable(true);
    verified->setChecked(review && review->verified);
    connect(verified, &QAction::toggled, this,
            [this, id](bool on) { emit verifiedRequested(id, on); });
    return menu;
}

void EventTable::setVideo(std::optional<store::VideoId> video) {
    model_->setVideo(video);
}

void EventTable::selectEvent(std::optional<store::EventId> id) {
    const auto current = table_->currentIndex();
    if (id && current.isValid() &&
        current.data(EventTableModel::EventIdRole).toLongLong() == static_cast<qint64>(*id))
        return;
    reloading_ = true;  // not a user's choice: no eventActivated
    QModelIndex found;
    if (id)
        for (int r = 0; r < proxy_->rowCount(); ++r)
            if (proxy_->index(r, 0).data(EventTableModel::EventIdRole).toLongLong() ==
                static_cast<qint64>(*id)) {
                found = proxy_->index(r, 0);
                break;
            }
    if (found.isValid()) {
        table_->setCurrentIndex(found);
        table_->selectRow(found.row());
        table_->scrollTo(found);
    } else {
        table_->clearSelection();
        table_->setCurrentIndex({});
    }
    reloading_ = false;
}

void EventTable::onStoreChanged(const store::Change& change) {
    if (!model_->video()) return;
    if (change.events || change.videos || change.runs || change.predictions || change.external ||
        change.history) {
        // Keep the selected event selected across the reload.
        const auto current = table_->currentIndex();
        const auto id = current.isValid() ? current.data(EventTableModel::EventIdRole) : QVariant();
        const int column = current.isValid() ? current.column() : 0;
        reloading_ = true;
        model_->reload();
        if (id.isValid())
            for (int r = 0; r < proxy_->rowCount(); ++r)
                if (proxy_->index(r, 0).data(EventTableModel::EventIdRole) == id) {
                    table_->setCurrentIndex(proxy_->index(r, column));
                    break;
                }
        reloading_ = false;
    }
}

}  // namespace avvp::ui

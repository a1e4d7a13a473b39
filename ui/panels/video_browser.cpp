#include "ui/panels/video_browser.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "core/quote.h"
#include "core/store/review.h"
#include "core/store/store.h"
#include "ui/document.h"
#include "ui/labels.h"
#include "ui/models/video_list_model.h"
#include "ui/widgets/combo_fit.h"

namespace avvp::ui {

VideoBrowser::VideoBrowser(Document* document, QWidget* parent) : QWidget(parent), doc_(document) {
    search_ = new QLineEdit(this);
    search_->setPlaceholderText(tr("Search video id or label…"));
    search_->setClearButtonEnabled(true);

    split_ = new QComboBox(this);
    split_->addItem(tr("All splits"), QStringLiteral("all"));
    split_->addItem(splitLabel(core::Split::Train), QStringLiteral("train"));
    split_->addItem(splitLabel(core::Split::Val), QStringLiteral("val"));
    split_->addItem(splitLabel(core::Split::Test), QStringLiteral("test"));
    split_->addItem(tr("Own videos (no split)"), QStringLiteral("own"));
    split_->setToolTip(tr("Split"));

    cls_ = new QComboBox(this);
    cls_->addItem(tr("Any class"), -1);
    for (int c = 0; c < core::kNumClasses; ++c) cls_->addItem(className(c), c);
    cls_->setToolTip(tr("Class in the weak labels or the ground-truth events"));

    modality_ = new QComboBox(this);
    modality_->addItem(tr("Any modality"), -1);
    modality_->addItem(tr("Audio events"), 0);
    modality_->addItem(tr("Visual events"), 1);
    modality_->setToolTip(
        tr("Videos with ground-truth events of this modality (of the class when one is chosen)"));

    gt_ = new QComboBox(this);
    gt_->addItem(tr("Ground truth: any"), -1);
    gt_->addItem(tr("With ground truth"), 1);
    gt_->addItem(tr("Without ground truth"), 0);

    pred_ = new QComboBox(this);
    pred_->addItem(tr("Predictions: any"), -1);
    pred_->addItem(tr("With predictions"), 1);
    pred_->addItem(tr("Without predictions"), 0);
    pred_->setToolTip(tr("Prediction events or probabilities of the run shown in the timeline"));

    nonAligned_ = new QCheckBox(tr("Non-aligned only"), this);
    nonAligned_->setToolTip(
        tr("Audio and visual labels disagree (a class heard but not seen, or seen but not heard)"));
    mediaOnly_ = new QCheckBox(tr("With media"), this);
    mediaOnly_->setToolTip(tr("Only videos with a playable media file"));
    scoreOn_ = new QCheckBox(tr("Score ≤"), this);
    scoreOn_->setToolTip(
        tr("Only videos whose score in the last evaluation is at most this (find the failures)"));
    maxScore_ = new QDoubleSpinBox(this);
    maxScore_->setRange(0, 100);
    maxScore_->setDecimals(0);
    maxScore_->setValue(50);
    maxScore_->setSuffix(QStringLiteral(" %"));
    scoreOn_->setEnabled(false);
    maxScore_->setEnabled(false);
    count_ = new QLabel(this);

    review_ = new QComboBox(this);
    review_->addItem(tr("Review: any"), -1);
    for (int st = 0; st < 4; ++st) review_->addItem(VideoListModel::reviewStatusLabel(st), st);
    review_->setToolTip(tr("Only videos of this review status"));
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setTextVisible(true);
    progress_->setMaximumHeight(fontMetrics().height() + 4);
    progress_->setToolTip(tr("Review progress of the split shown: videos done"));
    progressText_ = new QLabel(this);
    // Each combo box as wide as its longest item (the class names capped): the text reads.
    for (auto* c : {split_, modality_, gt_, pred_, review_}) fitComboToItems(c, 5, 22);
    fitComboToItems(cls_, 5, 14);

    model_ = new VideoListModel(this);
    proxy_ = new VideoFilterProxy(this);
    proxy_->setSourceModel(model_);
    table_ = new QTableView(this);
    table_->setModel(proxy_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setSortingEnabled(true);
    for (int c = VideoListModel::ColAOnly; c <= VideoListModel::ColBothWrong; ++c)
        table_->setColumnHidden(c, true);  // until a comparison is on
    table_->sortByColumn(-1, Qt::AscendingOrder);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setColumnWidth(VideoListModel::ColVideo, 150);
    table_->setColumnWidth(VideoListModel::ColSplit, 44);
    table_->setColumnWidth(VideoListModel::ColReview, 90);
    table_->setColumnWidth(VideoListModel::ColWeak, 140);
    table_->setColumnWidth(VideoListModel::ColGroundTruth, 80);
    table_->setColumnWidth(VideoListModel::ColPredictions, 44);
    table_->setColumnWidth(VideoListModel::ColCorrections, 44);
    table_->setColumnWidth(VideoListModel::ColNonAligned, 80);
    table_->setColumnWidth(VideoListModel::ColMedia, 70);

    auto* grid = new QGridLayout;
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(search_, 0, 0, 1, 3);
    grid->addWidget(split_, 1, 0);
    grid->addWidget(cls_, 1, 1);
    grid->addWidget(modality_, 1, 2);
    grid->addWidget(gt_, 2, 0);
    grid->addWidget(pred_, 2, 1);
    grid->addWidget(nonAligned_, 2, 2);
    auto* row3 = new QHBoxLayout;
    row3->addWidget(mediaOnly_);
    row3->addWidget(scoreOn_);
    row3->addWidget(maxScore_);
    row3->addStretch(1);
    row3->addWidget(count_);
    grid->addLayout(row3, 3, 0, 1, 3);
    auto* row4 = new QHBoxLayout;
    row4->addWidget(review_);
    row4->addWidget(progress_, 1);
    grid->addLayout(row4, 4, 0, 1, 3);
    grid->addWidget(progressText_, 5, 0, 1, 3);
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 4);
    lay->addLayout(grid);
    lay->addWidget(table_, 1);

    reloadTimer_ = new QTimer(this);
    reloadTimer_->setSingleShot(true);
    reloadTimer_->setInterval(150);
    connect(reloadTimer_, &QTimer::timeout, this, &VideoBrowser::reload);

    for (auto* c : {split_, cls_, modality_, gt_, pred_})
        connect(c, &QComboBox::currentIndexChanged, this, &VideoBrowser::reload);
    connect(nonAligned_, &QCheckBox::toggled, this, &VideoBrowser::reload);
    connect(mediaOnly_, &QCheckBox::toggled, this, [this](bool on) {
        proxy_->setMediaOnly(on);
        updateCount();
    });
    auto scoreFilter = [this] {
        proxy_->setMaxScore(scoreOn_->isChecked() ? std::optional<double>(maxScore_->value())
                                                  : std::nullopt);
        updateCount();
    };
    connect(scoreOn_, &QCheckBox::toggled, this, scoreFilter);
    connect(maxScore_, &QDoubleSpinBox::valueChanged, this, scoreFilter);
    connect(search_, &QLineEdit::textChanged, this, [this](const QString& t) {
        proxy_->setText(t);
        updateCount();
    });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &VideoBrowser::onCurrentChanged);
    connect(review_, &QComboBox::currentIndexChanged, this, [this] {
        const int st = review_->currentData().toInt();
        proxy_->setReviewStatus(st >= 0 ? std::optional<int>(st) : std::nullopt);
        updateCount();
    });

    // Review status from the context menu; the application writes it.
    for (int st = 0; st < 4; ++st) {
        auto* a = new QAction(tr("Mark as %1").arg(VideoListModel::reviewStatusLabel(st)), this);
        a->setData(st);
        connect(a, &QAction::triggered, this, [this, st] {
            auto ids = selectedVideos();
            if (ids.empty() && current_) ids.push_back(*current_);
            if (!ids.empty() && doc_->store()) emit reviewStatusRequested(ids, st);
        });
        reviewActions_.push_back(a);
    }
    nextReview_ = new QAction(tr("Next Video Needing Review"), this);
    connect(nextReview_, &QAction::triggered, this, [this] { selectNextNeedingReview(); });
    table_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(table_, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        if (!doc_->store()) return;
        QMenu menu(this);
        auto* status = menu.addMenu(tr("Review Status"));
        const auto idx = table_->indexAt(pos);
        const int now = idx.isValid() ? idx.data(VideoListModel::ReviewStatusRole).toInt() : -1;
        for (auto* a : reviewActions_) {
            a->setCheckable(true);
            a->setChecked(a->data().toInt() == now);
            status->addAction(a);
        }
        menu.addAction(nextReview_);
        menu.exec(table_->viewport()->mapToGlobal(pos));
    });
    connect(doc_, &Document::opened, this, [this] {
        current_.reset();
        reload();
    });
    connect(doc_, &Document::closed, this, &VideoBrowser::reload);
    connect(doc_, &Document::runChanged, this, [this] {
        if (pred_->currentData().toInt() >= 0) reloadTimer_->start();
    });
    connect(doc_, &Document::changed, this, &VideoBrowser::onStoreChanged);
}

store::VideoFilter VideoBrowser::currentFilter() const {
    store::VideoFilter f;
    const QString split = split_->currentData().toString();
    if (split == QLatin1String("own"))
        f.withoutSplit = true;
    else if (split != QLatin1String("all"))
        f.split = core::splitFromName(split.toStdString());
    if (const int c = cls_->currentData().toInt(); c >= 0) f.cls = c;
    if (const int m = modality_->currentData().toInt(); m >= 0)
        f.modality = static_cast<core::Modality>(m);
    if (const int g = gt_->currentData().toInt(); g >= 0) f.hasGroundTruth = g == 1;
    if (const int p = pred_->currentData().toInt(); p >= 0) {
        f.hasPredictions = p == 1;
        f.run = doc_->run();
    }
    f.nonAlignedOnly = nonAligned_->isChecked();
    return f;
}

void VideoBrowser::reload() {
    reloadTimer_->stop();
    const auto keep = current_;
    {
        // The table's current row goes away with a model reset; keep the video instead.
        const QSignalBlocker block(table_->selectionModel());
        try {
            model_->reload(doc_->store(), currentFilter());
        } catch (const std::exception& e) {
            count_->setText(QString::fromStdString(avvp::core::oneLine(e.what())));
            model_->reload(nullptr, {});
        }
    }
    updateCount();
    if (keep) {
        const int row = model_->rowOf(*keep);
        const auto idx = row >= 0 ? proxy_->mapFromSource(model_->index(row, 0)) : QModelIndex();
        if (idx.isValid()) {
            const QSignalBlocker block(table_->selectionModel());
            table_->setCurrentIndex(idx);
            table_->selectRow(idx.row());
            return;
        }
    }
    if (current_) onCurrentChanged();
}

void VideoBrowser::updateCount() {
    count_->setText(tr("%1 of %2").arg(proxy_->rowCount()).arg(model_->rowCount()));
    updateProgress();
}

void VideoBrowser::updateProgress() {
    store::ReviewProgress p;
    if (doc_->store()) {
        // Over the split shown ("own videos": every video without a split).
        const QString split = split_->currentData().toString();
        try {
            if (split == QLatin1String("own")) {
                // The rows of the list (the store's videos without a split, as filtered).
                for (int r = 0; r < model_->rowCount(); ++r) {
                    ++p.videos;
                    const int st =
                        model_->index(r, 0).data(VideoListModel::ReviewStatusRole).toInt();
                    ++p.counts[static_cast<std::size_t>(std::clamp(st, 0, 3))];
                }
            } else {
                p = store::reviewProgress(*doc_->store(),
                                          split == QLatin1String("all")
                                              ? std::nullopt
                                              : core::splitFromName(split.toStdString()));
            }
        } catch (const std::exception&) {
            p = {};
        }
    }
    progress_->setRange(0, std::max(1, p.videos));
    progress_->setValue(p.done());
    progress_->setFormat(tr("%1 of %2 done").arg(p.done()).arg(p.videos));
    progressText_->setText(tr("To do %1 · in progress %2 · needs review %3 · done %4")
                               .arg(p.count(store::ReviewStatus::ToDo))
                               .arg(p.count(store::ReviewStatus::InProgress))
                               .arg(p.count(store::ReviewStatus::NeedsReview))
                               .arg(p.done()));
}

bool VideoBrowser::selectNextNeedingReview() {
    if (!doc_->store()) return false;
    const QString split = split_->currentData().toString();
    std::optional<core::Split> s;
    if (split != QLatin1String("all") && split != QLatin1String("own"))
        s = core::splitFromName(split.toStdString());
    std::optional<store::VideoId> next;
    try {
        next = store::nextVideoNeedingReview(*doc_->store(), current_, s);
    } catch (const std::exception& e) {
        count_->setText(QString::fromStdString(avvp::core::oneLine(e.what())));
        return false;
    }
    if (!next) {
        count_->setText(tr("No video needs review"));
        return false;
    }
    // A status filter other than "needs review" would hide it.
    if (const int st = review_->currentData().toInt(); st >= 0 && st != 2)
        review_->setCurrentIndex(0);
    return selectVideo(*next);
}

void VideoBrowser::onStoreChanged(const store::Change& change) {
    if (change.videos || change.events || change.predictions || change.runs || change.external)
        reloadTimer_->start();
}

void VideoBrowser::onCurrentChanged() {
    const auto idx = table_->currentIndex();
    std::optional<store::VideoId> id;
    if (idx.isValid()) id = idx.data(VideoListModel::VideoIdRole).toLongLong();
    if (id == current_) return;
    current_ = id;
    emit videoSelected(current_);
}

bool VideoBrowser::selectVideo(store::VideoId id) {
    int row = model_->rowOf(id);
    if (row < 0) {
        // Hidden by a filter: show everything of its split instead.
        if (!doc_->store() || !doc_->store()->video(id)) return false;
        const QSignalBlocker b1(split_), b2(cls_), b3(modality_), b4(gt_), b5(pred_),
            b6(nonAligned_);
        split_->setCurrentIndex(0);
        cls_->setCurrentIndex(0);
        modality_->setCurrentIndex(0);
        gt_->setCurrentIndex(0);
        pred_->setCurrentIndex(0);
        nonAligned_->setChecked(false);
        reload();
        row = model_->rowOf(id);
        if (row < 0) return false;
    }
    auto idx = proxy_->mapFromSource(model_->index(row, 0));
    if (!idx.isValid()) {
        search_->clear();
        mediaOnly_->setChecked(false);
        scoreOn_->setChecked(false);
        idx = proxy_->mapFromSource(model_->index(row, 0));
        if (!idx.isValid()) return false;
    }
    table_->setCurrentIndex(idx);
    table_->selectRow(idx.row());
    table_->scrollTo(idx, QAbstractItemView::PositionAtCenter);
    return true;
}

bool VideoBrowser::selectVideo(const QString& filename) {
    if (!doc_->store()) return false;
    const auto v = doc_->store()->videoByName(filename.toStdString());
    return v && selectVideo(v->id);
}

std::optional<store::VideoId> VideoBrowser::currentVideo() const {
    return current_;
}

std::vector<store::VideoId> VideoBrowser::selectedVideos() const {
    std::vector<store::VideoId> out;
    if (!table_->selectionModel()) return out;
    for (const auto& idx : table_->selectionModel()->selectedRows())
        out.push_back(idx.data(VideoListModel::VideoIdRole).toLongLong());
    return out;
}

QString VideoBrowser::currentFilename() const {
    const auto idx = table_->currentIndex();
    return idx.isValid() ? idx.data(VideoListModel::FilenameRole).toString() : QString();
}

void VideoBrowser::step(int delta) {
    const int n = proxy_->rowCount();
    if (n == 0) return;
    const auto cur = table_->currentIndex();
    const int row = std::clamp(cur.isValid() ? cur.row() + delta : 0, 0, n - 1);
    const auto idx = proxy_->index(row, 0);
    table_->setCurrentIndex(idx);
    table_->selectRow(row);
    table_->scrollTo(idx);
}

void VideoBrowser::setSplit(const QString& name) {
    const int i = split_->findData(name);
    if (i >= 0) split_->setCurrentIndex(i);
}

void VideoBrowser::setScores(QHash<QString, double> scores, const QString& label) {
    const bool any = !scores.isEmpty();
    model_->setScores(std::move(scores), label);
    scoreOn_->setEnabled(any);
    maxScore_->setEnabled(any);
    if (!any) scoreOn_->setChecked(false);
    proxy_->invalidate();
    updateCount();
}

void VideoBrowser::setComparison(QHash<QString, core::OutcomeCounts> counts, const QString& runA,
                                 const QString& runB) {
    const bool on = !counts.isEmpty();
    model_->setComparison(std::move(counts), runA, runB);
    auto* header = table_->horizontalHeader();
    for (int c = VideoListModel::ColAOnly; c <= VideoListModel::ColBothWrong; ++c) {
        table_->setColumnHidden(c, !on);
        // Next to the video's name, where a narrow browser still shows them.
        if (on) header->moveSection(header->visualIndex(c), 1 + c - VideoListModel::ColAOnly);
    }
    proxy_->invalidate();
}

QVariantMap VideoBrowser::state() const {
    return {{QStringLiteral("split"), split_->currentData()},
            {QStringLiteral("class"), cls_->currentIndex()},
            {QStringLiteral("modality"), modality_->currentIndex()},
            {QStringLiteral("groundTruth"), gt_->currentIndex()},
            {QStringLiteral("predictions"), pred_->currentIndex()},
            {QStringLiteral("nonAligned"), nonAligned_->isChecked()},
            {QStringLiteral("mediaOnly"), mediaOnly_->isChecked()},
            {QStringLiteral("header"), table_->horizontalHeader()->saveState()}};
}

void VideoBrowser::setState(const QVariantMap& s) {
    const QSignalBlocker b1(split_), b2(cls_), b3(modality_), b4(gt_), b5(pred_), b6(nonAligned_),
        b7(mediaOnly_);
    if (const int i = split_->findData(s.value(QStringLiteral("split"), QStringLiteral("test")));
        i >= 0)
        split_->setCurrentIndex(i);
    auto restoreIndex = [&](QComboBox* c, const char* key) {
        const int i = s.value(QLatin1String(key), 0).toInt();
        if (i >= 0 && i < c->count()) c->setCurrentIndex(i);
    };
    restoreIndex(cls_, "class");
    restoreIndex(modality_, "modality");
    restoreIndex(gt_, "groundTruth");
    restoreIndex(pred_, "predictions");
    nonAligned_->setChecked(s.value(QStringLiteral("nonAligned"), false).toBool());
    mediaOnly_->setChecked(s.value(QStringLiteral("mediaOnly"), false).toBool());
    proxy_->setMediaOnly(mediaOnly_->isChecked());
    table_->horizontalHeader()->restoreState(s.value(QStringLiteral("header")).toByteArray());
    for (int c = VideoListModel::ColAOnly; c <= VideoListModel::ColBothWrong; ++c)
        table_->setColumnHidden(c, !model_->hasComparison());
}

}  // namespace avvp::ui

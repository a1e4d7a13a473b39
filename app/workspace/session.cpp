#include "app/workspace/session.h"

#include <QTimer>
#include <QUndoStack>
#include <algorithm>

#include "app/workspace/edit_command.h"
#include "app/workspace/settings.h"
#include "core/error.h"
#include "core/quote.h"

namespace avvp::workspace {

Session::Session(QObject* parent) : QObject(parent) {
    undo_ = new QUndoStack(this);
    poll_ = new QTimer(this);
    poll_->setInterval(1500);
    connect(poll_, &QTimer::timeout, this, &Session::refresh);
}

Session::~Session() {
    close();
}

QString Session::path() const {
    return store_ ? QString::fromStdString(store_->path().string()) : QString();
}

QString Session::annotator() const {
    return store_ ? QString::fromStdString(store_->annotator()) : QString();
}

bool Session::open(const QString& path, const QString& annotator) {
    close();
    const QString who = annotator.isEmpty() ? settings::annotator() : annotator;
    try {
        store::Store::Options o;
        o.annotator = who.toStdString();
        store_ = store::Store::open(path.toStdString(), o);
    } catch (const std::exception& e) {
        lastError_ = QString::fromStdString(avvp::core::oneLine(e.what()));
        store_.reset();
        return false;
    }
    lastError_.clear();
    listener_ = store_->subscribe([this](const store::Change& c) { onStoreChange(c); });
    const auto all = store_->runs();
    run_.reset();
    if (!all.empty())
        run_ = std::max_element(all.begin(), all.end(), [](const auto& a, const auto& b) {
                   return a.createdAt < b.createdAt || (a.createdAt == b.createdAt && a.id < b.id);
               })->id;
    // The run last shown in this project, while it exists.
    if (const qint64 chosen = settings::projectRun(this->path()); chosen > 0)
        for (const auto& r : all)
            if (r.id == chosen) run_ = r.id;
    rebuildUndoStack();
    poll_->start();
    emit opened(this->path());
    emit runChanged();
    return true;
}

void Session::close() {
    if (!store_) return;
    poll_->stop();
    store_->unsubscribe(listener_);
    listener_ = -1;
    replaying_ = true;
    undo_->clear();
    replaying_ = false;
    store_.reset();
    run_.reset();
    emit closed();
}

void Session::setRun(std::optional<store::RunId> run) {
    if (run == run_) return;
    run_ = run;
    if (store_) settings::setProjectRun(path(), run ? *run : 0);
    emit runChanged();
}

void Session::setThresholds(std::optional<core::Thresholds> thresholds) {
    if (thresholds == thresholds_) return;
    thresholds_ = thresholds;
    emit thresholdsChanged();
}

std::vector<store::Run> Session::runs() const {
    return store_ ? store_->runs() : std::vector<store::Run>{};
}

std::optional<store::Run> Session::currentRun() const {
    if (!store_ || !run_) return std::nullopt;
    for (auto& r : store_->runs())
        if (r.id == *run_) return r;
    return std::nullopt;
}

bool Session::apply(const store::Edit& edit) {
    return apply(std::vector<store::Edit>{edit});
}

bool Session::apply(const std::vector<store::Edit>& edits, const QString& description) {
    if (!store_ || edits.empty()) return false;
    try {
        const auto r = edits.size() == 1 && description.isEmpty()
                           ? store_->apply(edits.front())
                           : store_->apply(edits, description.toStdString());
        lastEvents_ = r.events;
        undo_->push(
            new EditCommand(this, r.id, QString::fromStdString(r.description), edits, true));
        return true;
    } catch (const store::StoreError& e) {
        lastError_ = QString::fromStdString(avvp::core::oneLine(e.what()));
    } catch (const core::InputError& e) {
        lastError_ = QString::fromStdString(avvp::core::oneLine(e.what()));
    }
    emit editFailed(lastError_);
    return false;
}

void Session::rebuildUndoStack(std::size_t limit) {
    rebuildPending_ = false;
    replaying_ = true;
    undo_->clear();
    if (store_) {
        int done = 0;
        for (const auto& h : store_->history(limit)) {
            if (h.state == store::HistoryState::Dropped) continue;
            undo_->push(
                new EditCommand(this, h.id, QString::fromStdString(h.description), {}, true));
            if (h.state == store::HistoryState::Done) ++done;
        }
        undo_->setIndex(done);
    }
    undo_->setClean();
    replaying_ = false;
}

void Session::scheduleRebuild() {
    if (rebuildPending_) return;
    rebuildPending_ = true;
    // Not from inside the command the stack is executing.
    QTimer::singleShot(0, this, [this] {
        if (rebuildPending_) rebuildUndoStack();
    });
}

bool Session::storeUndo(store::EditId expected) {
    return storeStep(expected, true);
}

bool Session::storeRedo(store::EditId expected) {
    return storeStep(expected, false);
}

bool Session::storeStep(store::EditId expected, bool undo) {
    try {
        const auto entry = !store_ ? std::nullopt
                           : undo  ? store_->undoEntry()
                                   : store_->redoEntry();
        if (!entry || entry->id != expected) {
            lastError_ = tr("The edit history was changed elsewhere; the undo list was reloaded.");
            emit editFailed(lastError_);
            scheduleRebuild();
            return false;
        }
        if (undo)
            store_->undo();
        else
            store_->redo();
        return true;
    } catch (const store::StoreError& e) {
        lastError_ = QString::fromStdString(avvp::core::oneLine(e.what()));
    }
    emit editFailed(lastError_);
    scheduleRebuild();
    return false;
}

void Session::refresh() {
    if (!store_) return;
    try {
        store_->pollExternalChanges();
    } catch (const std::exception& e) {
        lastError_ = QString::fromStdString(avvp::core::oneLine(e.what()));
    }
}

void Session::onStoreChange(const store::Change& change) {
    if (change.external) {
        // Another connection may have edited as this annotator (a second window, a
        // script) or made runs: the stack follows the store's cursor.
        const auto* top = undo_->index() > 0
                              ? dynamic_cast<const EditCommand*>(undo_->command(undo_->index() - 1))
                              : nullptr;
        const auto entry = store_->undoEntry();
        const store::EditId have = top ? top->historyId() : 0;
        if ((entry ? entry->id : 0) != have) scheduleRebuild();
        if (run_ && !currentRun()) setRun(std::nullopt);
        if (!run_) {
            const auto all = store_->runs();
            if (!all.empty()) setRun(all.back().id);
        }
    }
    emit changed(change);
}

}  // namespace avvp::workspace

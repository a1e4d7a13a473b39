#pragma once
// The open project: one label store (the GUI thread's connection), the undo stack that
// mirrors the annotator's persistent edit history, the prediction run the views show with
// their thresholds, and change notification. The application creates it, the workflows
// (model runs, imports, evaluation) report to it, and the views see it through
// ui::Document (app/studio/session_document.h); nothing reaches it through a global.
//
// Undo and redo: every edit goes through apply(), which applies it in the store (one
// transaction, one history entry) and pushes an EditCommand holding the entry's id. Later
// undo() / redo() of the QUndoStack call Store::undo() / redo(), which replay the store's
// own log; so after a restart rebuildUndoStack() fills the stack from Store::history()
// and undo carries on where the last session stopped. A conflict (someone else changed
// an event since) changes nothing in the store, is reported, and the stack is rebuilt.
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <vector>

#include "core/prediction.h"
#include "core/store/store.h"

class QTimer;
class QUndoStack;

namespace avvp::workspace {

class Session : public QObject {
    Q_OBJECT
  public:
    explicit Session(QObject* parent = nullptr);
    ~Session() override;

    // Opens (creating when missing) the store at `path` as `annotator` (default: the
    // configured annotator, else $USER). Closes the current one first. On failure
    // keeps nothing open and returns false with lastError() set.
    bool open(const QString& path, const QString& annotator = {});
    void close();
    bool isOpen() const { return store_ != nullptr; }
    // The project was opened read-only (its file or folder is not writable): every edit is
    // refused with a message saying so (editFailed).
    bool readOnly() const { return store_ && store_->readOnly(); }
    store::Store* store() const { return store_.get(); }
    QString path() const;
    QString annotator() const;
    QString lastError() const { return lastError_; }
    QUndoStack* undoStack() const { return undo_; }

    // The prediction run the views show (nullopt: none). Picks the newest run on open.
    std::optional<store::RunId> run() const { return run_; }
    void setRun(std::optional<store::RunId> run);
    std::vector<store::Run> runs() const;
    std::optional<store::Run> currentRun() const;
    // Threshold sliders: when set, the prediction rows are the run's probabilities
    // thresholded with these (a preview, not stored); nullopt shows the run's stored
    // prediction events (those accept / reject works on).
    std::optional<core::Thresholds> thresholds() const { return thresholds_; }
    void setThresholds(std::optional<core::Thresholds> thresholds);

    // Applies the edits as one undo step (description: the store's when empty). On an
    // EditError nothing changes, editFailed() is emitted and false returned.
    bool apply(const store::Edit& edit);
    bool apply(const std::vector<store::Edit>& edits, const QString& description = {});
    // The ids of the events the last successful apply() created or changed.
    const std::vector<store::EventId>& lastEvents() const { return lastEvents_; }

    // Refills the undo stack from the store's history (latest `limit` entries).
    void rebuildUndoStack(std::size_t limit = 1000);
    // Checks for writes of other connections (worker jobs, other processes) now.
    void refresh();

    // Called by EditCommand: replay the store's log. Return false (and report) on a
    // conflict or when the store's cursor is not where the stack expects.
    bool storeUndo(store::EditId expected);
    bool storeRedo(store::EditId expected);
    bool replaying() const { return replaying_; }

  signals:
    void opened(const QString& path);
    void closed();
    // After every commit of this connection and when another connection wrote.
    void changed(const avvp::store::Change& change);
    void runChanged();
    void thresholdsChanged();
    void editFailed(const QString& message);

  private:
    // storeUndo (undo = true) and storeRedo.
    bool storeStep(store::EditId expected, bool undo);
    void onStoreChange(const store::Change& change);
    void scheduleRebuild();

    std::unique_ptr<store::Store> store_;
    QUndoStack* undo_ = nullptr;
    QTimer* poll_ = nullptr;
    int listener_ = -1;
    bool replaying_ = false;
    bool rebuildPending_ = false;
    std::optional<store::RunId> run_;
    std::optional<core::Thresholds> thresholds_;
    std::vector<store::EventId> lastEvents_;
    QString lastError_;
};

}  // namespace avvp::workspace

#pragma once
// One entry of the annotator's edit history on the QUndoStack. It holds ids and values
// only (the store's history entry and the Edit values it was made from), never pointers
// to events: the store is the source of truth. The first redo() is the apply() that
// Session already did; later redo() / undo() replay the store's log (Store::redo/undo).
#include <QString>
#include <QUndoCommand>
#include <vector>

#include "core/store/edit.h"

namespace avvp::workspace {

class Session;

// The store's description of an edit ("Move Speech (audio) to 1–2 s", "3 edits": English,
// as the store keeps it) in the language of the application; other texts unchanged.
QString editText(const QString& description);

class EditCommand : public QUndoCommand {
  public:
    // `applied`: the store already holds the edit (first redo() does nothing). The text is
    // shown through editText().
    EditCommand(Session* session, store::EditId historyId, const QString& text,
                std::vector<store::Edit> edits = {}, bool applied = true);

    void undo() override;
    void redo() override;

    store::EditId historyId() const { return historyId_; }
    const std::vector<store::Edit>& edits() const { return edits_; }

  private:
    Session* session_;
    store::EditId historyId_;
    std::vector<store::Edit> edits_;
    bool skipRedo_;
};

}  // namespace avvp::workspace

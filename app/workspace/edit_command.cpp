#include "app/workspace/edit_command.h"

#include "app/workspace/session.h"

namespace avvp::workspace {

EditCommand::EditCommand(Session* session, store::EditId historyId, const QString& text,
                         std::vector<store::Edit> edits, bool applied)
    : QUndoCommand(text),
      session_(session),
      historyId_(historyId),
      edits_(std::move(edits)),
      skipRedo_(applied) {}

void EditCommand::undo() {
    if (session_->replaying()) return;
    session_->storeUndo(historyId_);
}

void EditCommand::redo() {
    if (skipRedo_) {
        skipRedo_ = false;
        return;
    }
    if (session_->replaying()) return;
    session_->storeRedo(historyId_);
}

}  // namespace avvp::workspace

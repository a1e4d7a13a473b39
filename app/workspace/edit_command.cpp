#include "app/workspace/edit_command.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include "app/workspace/session.h"

namespace avvp::workspace {

namespace {

// Literal contexts and texts throughout, for lupdate.
// "Speech (audio)": the class name stays (as in the views), the modality is translated.
QString what(const QString& english) {
    static const QRegularExpression re(QStringLiteral("^(.*) \\((audio|visual)\\)$"));
    const auto m = re.match(english);
    if (!m.hasMatch()) return english;
    return QCoreApplication::translate("avvp::workspace::EditCommand", "%1 (%2)")
        .arg(m.captured(1),
             m.captured(2) == QLatin1String("audio")
                 ? QCoreApplication::translate("avvp::workspace::EditCommand", "audio")
                 : QCoreApplication::translate("avvp::workspace::EditCommand", "visual"));
}

}  // namespace

QString editText(const QString& description) {
    // The forms of Store::apply (core/store/store_edits.cpp); the span "1–2 s" stays.
    static const QRegularExpression what2(
        QStringLiteral("^(Move|Resize|Relabel) (.+ \\((?:audio|visual)\\)) (to|as) (.+)$"));
    static const QRegularExpression what1(QStringLiteral(
        "^(Add|Delete|Accept predicted|Reject predicted) (.+ \\((?:audio|visual)\\)) (.+)$"));
    static const QRegularExpression count(QStringLiteral("^(\\d+) edits$"));
    if (const auto m = what2.match(description); m.hasMatch()) {
        const QString verb = m.captured(1);
        const QString a = what(m.captured(2));
        if (verb == QLatin1String("Relabel"))
            return QCoreApplication::translate("avvp::workspace::EditCommand", "Relabel %1 as %2")
                .arg(a, what(m.captured(4)));
        return (verb == QLatin1String("Move")
                    ? QCoreApplication::translate("avvp::workspace::EditCommand", "Move %1 to %2")
                    : QCoreApplication::translate("avvp::workspace::EditCommand",
                                                  "Resize %1 to %2"))
            .arg(a, m.captured(4));
    }
    if (const auto m = what1.match(description); m.hasMatch()) {
        const QString verb = m.captured(1);
        QString text;
        if (verb == QLatin1String("Add"))
            text = QCoreApplication::translate("avvp::workspace::EditCommand", "Add %1 %2");
        else if (verb == QLatin1String("Delete"))
            text = QCoreApplication::translate("avvp::workspace::EditCommand", "Delete %1 %2");
        else if (verb.startsWith(QLatin1String("Accept")))
            text = QCoreApplication::translate("avvp::workspace::EditCommand",
                                               "Accept predicted %1 %2");
        else
            text = QCoreApplication::translate("avvp::workspace::EditCommand",
                                               "Reject predicted %1 %2");
        return text.arg(what(m.captured(2)), m.captured(3));
    }
    if (const auto m = count.match(description); m.hasMatch()) {
        const int n = m.captured(1).toInt();
        return QCoreApplication::translate("avvp::workspace::EditCommand", "%n edits", nullptr, n);
    }
    return description;
}

EditCommand::EditCommand(Session* session, store::EditId historyId, const QString& text,
                         std::vector<store::Edit> edits, bool applied)
    : QUndoCommand(editText(text)),
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

#include "ui/widgets/co_editing_label.h"

#include <QStringList>
#include <algorithm>

namespace avvp::ui {

CoEditingLabel::CoEditingLabel(QWidget* parent) : QLabel(parent) {
    setObjectName(QStringLiteral("coEditingLabel"));
    // A notice, not an error: the palette's highlight, readable in light and dark themes.
    setStyleSheet(
        QStringLiteral("QLabel { padding: 0 6px; border-radius: 3px; "
                       "background: palette(highlight); "
                       "color: palette(highlighted-text); }"));
    setToolTip(
        tr("Other annotators edited this video within the last few minutes: their "
           "changes appear here as they save them."));
    hide();
}

QString CoEditingLabel::noticeText(const std::vector<store::CoEditor>& editors, qint64 nowMs) {
    if (editors.empty()) return {};
    QStringList parts;
    for (const auto& e : editors) {
        const auto name = QString::fromStdString(e.annotator);
        const auto minutes = static_cast<int>(std::max<qint64>(0, nowMs - e.lastEditAt) / 60000);
        parts << (minutes < 1 ? tr("%1 (just now)").arg(name)
                              : tr("%1 (%n min ago)", nullptr, minutes).arg(name));
    }
    return tr("Also editing this video: %1").arg(parts.join(QStringLiteral(", ")));
}

void CoEditingLabel::setEditors(const std::vector<store::CoEditor>& editors, qint64 nowMs) {
    const auto text = noticeText(editors, nowMs);
    setText(text);
    setVisible(!text.isEmpty());
}

}  // namespace avvp::ui

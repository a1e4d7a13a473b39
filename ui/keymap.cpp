#include "ui/keymap.h"

#include <QCoreApplication>
#include <cstring>

namespace avvp::ui {

const std::vector<KeyBinding>& defaultKeymap() {
    static const std::vector<KeyBinding> map = {
        {"play", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Play / pause"), "Space"},
        {"shuttleBack", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "J: back 5 s (slower while fast-forwarding)"), "J"},
        {"shuttleStop", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "K: pause"), "K"},
        {"shuttleForward", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "L: play; again: faster (1.5×, 2×)"), "L"},
        {"segmentBack", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "One segment (1 s) back"), "Left"},
        {"segmentForward", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "One segment (1 s) forward"), "Right"},
        {"frameBack", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "One frame back"), ","},
        {"frameForward", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "One frame forward"), "."},
        {"toStart", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "To the start"), "Home"},
        {"toEnd", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "To the end"), "End"},
        {"cycleMode", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap",
                           "Check one modality: audio + video → audio only → video only"),
         "M"},
        {"slower", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Speed down one step (to 0.5×, pitch kept)"), "["},
        {"faster", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Speed up one step (to 2×, pitch kept)"), "]"},
        {"normalSpeed", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Normal speed (1×)"), "\\"},
        {"loopSelection", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Playback"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap",
                           "Loop the selected events: play onset to offset again and again"),
         "Shift+L"},
        {"previousEvent", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Events"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Previous event (select it, move the playhead)"),
         "Ctrl+Left"},
        {"nextEvent", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Events"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Next event (select it, move the playhead)"),
         "Ctrl+Right"},
        {"accept", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Events"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap",
                           "Accept the selected prediction (becomes a correction), go to the next"),
         "A"},
        {"reject", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Events"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Reject the selected prediction, go to the next"),
         "R"},
        {"relabel", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Events"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap",
                           "Relabel the selected events (class picker: type to filter)"),
         "C"},
        {"addEvent", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Events"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap",
                           "Add an event of one segment at the playhead (class picker)"),
         "Ins;I"},
        {"delete", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Events"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Delete the selected events"), "Del;Backspace"},
        {"selectAll", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Events"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Select every event of the video"), "Ctrl+A"},
        {"clearSelection", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Events"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Clear the selection; cancel a drag"), "Esc"},
        {"undo", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Events"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Undo (also after a restart)"), "Ctrl+Z"},
        {"redo", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Events"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Redo"), "Ctrl+Shift+Z;Ctrl+Y"},
        {"dragHint", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Mouse"),
         QT_TRANSLATE_NOOP(
             "avvp::ui::Keymap",
             "Drag an event: move; drag its edge: resize; drag on an empty row: create"),
         ""},
        {"shiftHint", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Mouse"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap",
                           "Hold Shift while dragging: free timing (no snapping to segments)"),
         ""},
        {"ctrlHint", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Mouse"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap",
                           "Ctrl+click: add to / remove from the selection; double-click: relabel"),
         ""},
        {"wheelHint", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Mouse"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap",
                           "Ctrl+wheel: zoom the timeline; Shift+wheel: scroll it"),
         ""},
        {"zoomIn", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "View"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Zoom the timeline in"), "+;="},
        {"zoomOut", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "View"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Zoom the timeline out"), "-"},
        {"zoomFit", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "View"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Show the whole video"), "0"},
        {"snap", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "View"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Snap edits to one-second segments (on / off)"),
         "S"},
        {"previousVideo", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "View"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Previous video in the browser"), "Ctrl+Up"},
        {"nextVideo", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "View"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Next video in the browser"), "Ctrl+Down"},
        {"nextReview", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Review"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap",
                           "Next video needing review (in the split shown, wrapping)"),
         "N"},
        {"reviewTodo", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Review"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Mark the selected video to do"), "Ctrl+1"},
        {"reviewInProgress", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Review"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Mark the selected video in progress"), "Ctrl+2"},
        {"reviewNeedsReview", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Review"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Mark the selected video as needing review"),
         "Ctrl+3"},
        {"reviewDone", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Review"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Mark the selected video done"), "Ctrl+4"},
        {"find", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "View"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Search the video list"), "Ctrl+F"},
        {"export", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Project"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap",
                           "Export labels (LLP, DCASE, ELAN, TextGrid, Audacity, JSON)"),
         "Ctrl+E"},
        {"open", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Project"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Open a project (label store)"), "Ctrl+O"},
        {"new", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Project"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "New project"), "Ctrl+N"},
        {"keymap", QT_TRANSLATE_NOOP("avvp::ui::Keymap", "Help"),
         QT_TRANSLATE_NOOP("avvp::ui::Keymap", "This list of keys"), "F1;?"},
    };
    return map;
}

const KeyBinding* findBinding(const char* id) {
    for (const auto& b : defaultKeymap())
        if (std::strcmp(b.id, id) == 0) return &b;
    return nullptr;
}

QList<QKeySequence> keySequences(const KeyBinding& b) {
    QList<QKeySequence> out;
    for (const auto& part : QString::fromLatin1(b.keys).split(QLatin1Char(';'), Qt::SkipEmptyParts))
        out << QKeySequence(part, QKeySequence::PortableText);
    return out;
}

QString translatedSection(const KeyBinding& b) {
    return QCoreApplication::translate("avvp::ui::Keymap", b.section);
}

QString translatedText(const KeyBinding& b) {
    return QCoreApplication::translate("avvp::ui::Keymap", b.text);
}

}  // namespace avvp::ui

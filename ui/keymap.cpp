#include "ui/keymap.h"

#include <QCoreApplication>
#include <cstring>

namespace avvp::ui {

#define K_SECTION(s) QT_TRANSLATE_NOOP("avvp::ui::Keymap", s)
#define K_TEXT(s) QT_TRANSLATE_NOOP("avvp::ui::Keymap", s)

const std::vector<KeyBinding>& defaultKeymap() {
    static const std::vector<KeyBinding> map = {
        {"play", K_SECTION("Playback"), K_TEXT("Play / pause"), "Space"},
        {"shuttleBack", K_SECTION("Playback"), K_TEXT("J: back 5 s (slower while fast-forwarding)"),
         "J"},
        {"shuttleStop", K_SECTION("Playback"), K_TEXT("K: pause"), "K"},
        {"shuttleForward", K_SECTION("Playback"), K_TEXT("L: play; again: faster (1.5×, 2×)"), "L"},
        {"segmentBack", K_SECTION("Playback"), K_TEXT("One segment (1 s) back"), "Left"},
        {"segmentForward", K_SECTION("Playback"), K_TEXT("One segment (1 s) forward"), "Right"},
        {"frameBack", K_SECTION("Playback"), K_TEXT("One frame back"), ","},
        {"frameForward", K_SECTION("Playback"), K_TEXT("One frame forward"), "."},
        {"toStart", K_SECTION("Playback"), K_TEXT("To the start"), "Home"},
        {"toEnd", K_SECTION("Playback"), K_TEXT("To the end"), "End"},
        {"cycleMode", K_SECTION("Playback"),
         K_TEXT("Check one modality: audio + video → audio only → video only"), "M"},
        {"previousEvent", K_SECTION("Events"),
         K_TEXT("Previous event (select it, move the playhead)"), "Ctrl+Left"},
        {"nextEvent", K_SECTION("Events"), K_TEXT("Next event (select it, move the playhead)"),
         "Ctrl+Right"},
        {"accept", K_SECTION("Events"),
         K_TEXT("Accept the selected prediction (becomes a correction), go to the next"), "A"},
        {"reject", K_SECTION("Events"), K_TEXT("Reject the selected prediction, go to the next"),
         "R"},
        {"relabel", K_SECTION("Events"),
         K_TEXT("Relabel the selected events (class picker: type to filter)"), "C"},
        {"addEvent", K_SECTION("Events"),
         K_TEXT("Add an event of one segment at the playhead (class picker)"), "Ins;I"},
        {"delete", K_SECTION("Events"), K_TEXT("Delete the selected events"), "Del;Backspace"},
        {"selectAll", K_SECTION("Events"), K_TEXT("Select every event of the video"), "Ctrl+A"},
        {"clearSelection", K_SECTION("Events"), K_TEXT("Clear the selection; cancel a drag"),
         "Esc"},
        {"undo", K_SECTION("Events"), K_TEXT("Undo (also after a restart)"), "Ctrl+Z"},
        {"redo", K_SECTION("Events"), K_TEXT("Redo"), "Ctrl+Shift+Z;Ctrl+Y"},
        {"dragHint", K_SECTION("Mouse"),
         K_TEXT("Drag an event: move; drag its edge: resize; drag on an empty row: create"), ""},
        {"shiftHint", K_SECTION("Mouse"),
         K_TEXT("Hold Shift while dragging: free timing (no snapping to segments)"), ""},
        {"ctrlHint", K_SECTION("Mouse"),
         K_TEXT("Ctrl+click: add to / remove from the selection; double-click: relabel"), ""},
        {"wheelHint", K_SECTION("Mouse"),
         K_TEXT("Ctrl+wheel: zoom the timeline; Shift+wheel: scroll it"), ""},
        {"zoomIn", K_SECTION("View"), K_TEXT("Zoom the timeline in"), "+;="},
        {"zoomOut", K_SECTION("View"), K_TEXT("Zoom the timeline out"), "-"},
        {"zoomFit", K_SECTION("View"), K_TEXT("Show the whole video"), "0"},
        {"snap", K_SECTION("View"), K_TEXT("Snap edits to one-second segments (on / off)"), "S"},
        {"previousVideo", K_SECTION("View"), K_TEXT("Previous video in the browser"), "Ctrl+Up"},
        {"nextVideo", K_SECTION("View"), K_TEXT("Next video in the browser"), "Ctrl+Down"},
        {"find", K_SECTION("View"), K_TEXT("Search the video list"), "Ctrl+F"},
        {"export", K_SECTION("Project"),
         K_TEXT("Export labels (LLP, DCASE, ELAN, TextGrid, Audacity, JSON)"), "Ctrl+E"},
        {"open", K_SECTION("Project"), K_TEXT("Open a project (label store)"), "Ctrl+O"},
        {"new", K_SECTION("Project"), K_TEXT("New project"), "Ctrl+N"},
        {"keymap", K_SECTION("Help"), K_TEXT("This list of keys"), "F1;?"},
    };
    return map;
}

#undef K_SECTION
#undef K_TEXT

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

#pragma once
// The default keymap, in one table: the main window makes its actions from it and the
// cheat-sheet dialog lists it, so the two cannot disagree.
#include <QKeySequence>
#include <QList>
#include <QString>
#include <vector>

namespace avvp::ui {

struct KeyBinding {
    const char* id;       // action name ("play", "accept", ...)
    const char* section;  // untranslated, context "avvp::ui::Keymap"
    const char* text;     // untranslated, context "avvp::ui::Keymap"
    const char* keys;     // portable text, several separated by ';'
};

const std::vector<KeyBinding>& defaultKeymap();
const KeyBinding* findBinding(const char* id);
QList<QKeySequence> keySequences(const KeyBinding& b);
QString translatedSection(const KeyBinding& b);
QString translatedText(const KeyBinding& b);

}  // namespace avvp::ui

#pragma once
// Plots that can be popped out (issue 17, item 3): the plot's context menu offers "Pop Out"
// (its own resizable window) and "Pop Out Maximised". The window shows the plot itself, not
// a copy, so it stays in sync with whatever updates it (the playhead, a new run, training
// epochs); a placeholder takes its place in the panel, and closing the window (or
// "Put Back") returns the plot there. A panel that rebuilds its plots (the research views
// on another video) closes the windows of the old ones.
#include <QString>

class QCustomPlot;
class QWidget;

namespace avvp::ui {

// Gives `plot` the context menu above (makeInteractive does it for every plot).
void enablePopOut(QCustomPlot* plot);
// Moves `plot` into a window of its own titled after `title` (the window title of the
// panel's window when empty); maximised when asked. Returns the window (already shown), or
// the existing one when the plot is out already.
QWidget* popOutPlot(QCustomPlot* plot, bool maximised = false, const QString& title = {});
// The window a popped out plot is shown in (nullptr when it is in its panel).
QWidget* plotWindow(const QCustomPlot* plot);
// Returns a popped out plot to its panel and closes its window (false when it was not out).
bool putBackPlot(QCustomPlot* plot);

}  // namespace avvp::ui

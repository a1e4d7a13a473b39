#pragma once
// Plots that can be popped out (issue 17, item 3): the plot's context menu offers "Pop Out"
// (its own resizable window) and "Pop Out Maximised". The window shows the plot itself, not
// a copy, so it stays in sync with whatever updates it (the playhead, a new run, training
// epochs); a placeholder takes its place in the panel, and closing the window (or
// "Put Back") returns the plot there. A panel that rebuilds its plots (the research views
// on another video or window) hands a popped out plot's window to its successor
// (handOverPlot), so the window stays open and follows; the windows of plots that have no
// successor close with their page.
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
// Shows `to` (a new plot in a panel, not popped out) in the window of the popped out plot
// `from`, in `from`'s stead: `to` leaves a placeholder in its panel, `from` is deleted, and
// the window keeps its size and place (its title follows the plot's when it was the
// plot's). Returns the window, or nullptr when `from` is not out.
QWidget* handOverPlot(QCustomPlot* from, QCustomPlot* to);
// Returns a popped out plot to its panel and closes its window (false when it was not out).
bool putBackPlot(QCustomPlot* plot);

}  // namespace avvp::ui

#pragma once
// QCustomPlot legends outside the data: the plots of the docks are small, and a legend
// inside the axis rect hid points in whatever corner it took.
class QCustomPlot;

namespace avvp::ui {

enum class LegendPlace { Above, Below, Right };

// Moves the plot's legend from its axis rect into a cell of its own beside the axis rect
// (Above / Below: one line of entries; Right: one column), without a border, and shows it.
void placeLegendOutside(QCustomPlot* plot, LegendPlace where);

}  // namespace avvp::ui

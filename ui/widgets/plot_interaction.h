#pragma once
// Plots the mouse can explore (issue 17, item 3): wheel zoom, drag pan, and a double-click
// that resets the view; a context menu that pops the plot out into its own window.
#include <qcustomplot.h>

#include <functional>
#include <utility>

#include "ui/widgets/plot_popout.h"

namespace avvp::ui {

// Enables QCustomPlot's range drag and zoom on `plot`; a double-click calls `reset` (the
// plot's own ranges), or rescales the axes to the data when there is none, and replots.
inline void makeInteractive(QCustomPlot* plot, std::function<void()> reset = {}) {
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    enablePopOut(plot);
    QObject::connect(plot, &QCustomPlot::mouseDoubleClick, plot,
                     [plot, reset = std::move(reset)](QMouseEvent*) {
                         if (reset)
                             reset();
                         else
                             plot->rescaleAxes();
                         plot->replot();
                     });
}

}  // namespace avvp::ui

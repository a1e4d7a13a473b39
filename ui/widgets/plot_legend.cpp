#include "ui/widgets/plot_legend.h"

#include <qcustomplot.h>

namespace avvp::ui {

void placeLegendOutside(QCustomPlot* plot, LegendPlace where) {
    QCPLegend* legend = plot->legend;
    QCPLayoutGrid* grid = plot->plotLayout();
    // The axis rect's cell (plots may carry a title row or a colour-scale column).
    int row = 0, col = 0;
    for (int r = 0; r < grid->rowCount(); ++r)
        for (int c = 0; c < grid->columnCount(); ++c)
            if (grid->element(r, c) == plot->axisRect()) {
                row = r;
                col = c;
            }
    plot->axisRect()->insetLayout()->take(legend);
    switch (where) {
        case LegendPlace::Above:
        case LegendPlace::Below: {
            const int at = where == LegendPlace::Above ? row : row + 1;
            grid->insertRow(at);
            grid->addElement(at, col, legend);
            grid->setRowStretchFactor(at, 0.001);
            legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
            break;
        }
        case LegendPlace::Right:
            grid->insertColumn(col + 1);
            grid->addElement(row, col + 1, legend);
            grid->setColumnStretchFactor(col + 1, 0.001);
            legend->setFillOrder(QCPLayoutGrid::foRowsFirst);
            break;
    }
    legend->setWrap(0);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setVisible(true);
}

}  // namespace avvp::ui

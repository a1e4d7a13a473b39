#pragma once
// Writes a figure (a timeline, a plot) to PNG, SVG or PDF, chosen by the file extension.
// The figure draws itself on the paint device it is given, so SVG and PDF stay vector.
#include <QSize>
#include <QString>
#include <functional>

class QPaintDevice;
class QWidget;

namespace avvp::ui {

enum class FigureFormat { Png, Svg, Pdf };

// By extension (.png, .svg, .pdf; case-insensitive); nullopt-like false when unknown.
bool figureFormatOf(const QString& path, FigureFormat* format);
// "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
QString figureFileFilter();

// `size` is in logical pixels (PNG: rendered at 2x). Returns false with `error` set.
bool saveFigure(const QString& path, QSize size, const QString& title,
                const std::function<void(QPaintDevice*)>& draw, QString* error);

// A widget as it paints itself (QWidget::render), at its current size.
bool saveWidgetFigure(const QString& path, QWidget* widget, const QString& title, QString* error);

}  // namespace avvp::ui

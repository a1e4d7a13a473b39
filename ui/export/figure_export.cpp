#include "ui/export/figure_export.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QWidget>

namespace avvp::ui {

bool figureFormatOf(const QString& path, FigureFormat* format) {
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext == QLatin1String("png"))
        *format = FigureFormat::Png;
    else if (ext == QLatin1String("svg"))
        *format = FigureFormat::Svg;
    else if (ext == QLatin1String("pdf"))
        *format = FigureFormat::Pdf;
    else
        return false;
    return true;
}

QString figureFileFilter() {
    return QCoreApplication::translate(
        "avvp::ui::Figure", "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");
}

bool saveFigure(const QString& path, QSize size, const QString& title,
                const std::function<void(QPaintDevice*)>& draw, QString* error) {
    FigureFormat format;
    if (!figureFormatOf(path, &format)) {
        *error =
            QCoreApplication::translate("avvp::ui::Figure", "%1: use .png, .svg or .pdf").arg(path);
        return false;
    }
    if (size.isEmpty()) {
        *error = QCoreApplication::translate("avvp::ui::Figure", "nothing to draw");
        return false;
    }
    bool ok = true;
    switch (format) {
        case FigureFormat::Png: {
            QImage img(size * 2, QImage::Format_ARGB32_Premultiplied);
            img.setDevicePixelRatio(2.0);
            img.fill(Qt::white);
            draw(&img);
            ok = img.save(path, "PNG");
            break;
        }
        case FigureFormat::Svg: {
            QSvgGenerator svg;
            svg.setFileName(path);
            svg.setSize(size);
            svg.setViewBox(QRect(QPoint(0, 0), size));
            svg.setTitle(title);
            svg.setDescription(QStringLiteral("AVVP Studio"));
            draw(&svg);
            ok = QFileInfo(path).size() > 0;
            break;
        }
        case FigureFormat::Pdf: {
            QPdfWriter pdf(path);
            pdf.setResolution(72);  // one logical pixel = one point
            pdf.setPageSize(
                QPageSize(QSizeF(size), QPageSize::Point, QString(), QPageSize::ExactMatch));
            pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
            pdf.setTitle(title);
            pdf.setCreator(QStringLiteral("AVVP Studio"));
            draw(&pdf);
            break;
        }
    }
    if (ok) ok = QFileInfo(path).size() > 0;
    if (!ok)
        *error =
            QCoreApplication::translate("avvp::ui::Figure", "%1: could not be written").arg(path);
    return ok;
}

bool saveWidgetFigure(const QString& path, QWidget* widget, const QString& title, QString* error) {
    return saveFigure(
        path, widget->size(), title,
        [widget](QPaintDevice* device) {
            QPainter p(device);
            widget->render(&p, QPoint(), QRegion(), QWidget::DrawChildren);
        },
        error);
}

}  // namespace avvp::ui

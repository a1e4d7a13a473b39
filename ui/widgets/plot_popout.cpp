#include "ui/widgets/plot_popout.h"

#include <qcustomplot.h>
#include <QCloseEvent>
#include <QLabel>
#include <QLayout>
#include <QMenu>
#include <QPointer>
#include <QScrollArea>
#include <QVBoxLayout>

namespace avvp::ui {

namespace {

constexpr const char* kWindowProperty = "avvpPlotWindow";

// The window of a popped out plot: puts the plot back where it was when it closes.
class PlotWindow : public QWidget {
  public:
    PlotWindow(QCustomPlot* plot, QWidget* owner) : QWidget(owner, Qt::Window) {
        setAttribute(Qt::WA_DeleteOnClose);
        auto* lay = new QVBoxLayout(this);
        lay->setContentsMargins(4, 4, 4, 4);
        attach(plot);
        resize(std::max(900, plot->minimumWidth()), std::max(560, plot->minimumHeight()));
    }
    ~PlotWindow() override { detach(); }

    QCustomPlot* plot() const { return plot_; }

    // Shows `plot` instead of the one shown now, which is deleted (its panel rebuilt its
    // plots: the window follows the new one).
    void replacePlot(QCustomPlot* plot) {
        QCustomPlot* old = plot_;
        detach();
        plot_ = nullptr;
        if (old) {
            old->setProperty(kWindowProperty, QVariant());
            layout()->removeWidget(old);
            old->hide();
            old->deleteLater();
        }
        attach(plot);
    }

    void putBack() {
        if (!plot_) return;
        auto* plot = plot_.data();
        plot_ = nullptr;
        plot->setProperty(kWindowProperty, QVariant());
        if (scroll_ && scroll_->widget() == placeholder_) {
            scroll_->takeWidget();
            scroll_->setWidget(plot);
        } else if (QLayout* at = placeholder_ && home_ ? home_->layout() : nullptr) {
            plot->setParent(home_);  // the placeholder stands in its layout
            delete at->replaceWidget(placeholder_, plot);
        } else if (home_) {
            plot->setParent(home_);
        } else {
            plot->deleteLater();  // its panel is gone
        }
        plot->show();
        plot->replot();
        delete placeholder_;
    }

  private:
    // Moves `plot` from its panel (a placeholder takes its place) into this window.
    void attach(QCustomPlot* plot) {
        plot_ = plot;
        home_ = plot->parentWidget();
        scroll_ = nullptr;
        placeholder_ = new QLabel(QCoreApplication::translate(
            "avvp::ui::PlotWindow", "Shown in its own window: close it to put the plot back."));
        placeholder_->setAlignment(Qt::AlignCenter);
        placeholder_->setWordWrap(true);
        placeholder_->setMinimumSize(plot->minimumSize());
        // The plot's place: a scroll area's widget, or an item of its parent's layout.
        for (QWidget* w = home_; w; w = w->parentWidget())
            if (auto* area = qobject_cast<QScrollArea*>(w)) {
                if (area->widget() == plot) scroll_ = area;
                break;
            }
        if (scroll_) {
            scroll_->takeWidget();
            scroll_->setWidget(placeholder_);
        } else if (home_ && home_->layout()) {
            delete home_->layout()->replaceWidget(plot, placeholder_);
        } else {
            placeholder_->setParent(home_);
        }
        layout()->addWidget(plot);
        plot->setProperty(kWindowProperty, QVariant::fromValue<QObject*>(this));
        plot->show();
        // Whoever deletes the plot (a panel rebuilding its page) closes its window.
        connect(plot, &QObject::destroyed, this, [this] {
            plot_ = nullptr;
            close();
        });
        // A panel that rebuilds its plots (the research views on another video) drops the
        // old ones: the window goes with it.
        if (home_)
            connect(home_, &QObject::destroyed, this, [this] {
                if (auto* p = plot_.data()) {
                    plot_ = nullptr;
                    p->deleteLater();
                }
                close();
            });
    }

    void detach() {
        if (plot_) disconnect(plot_, nullptr, this, nullptr);
        if (home_) disconnect(home_, nullptr, this, nullptr);
    }

  protected:
    void closeEvent(QCloseEvent* event) override {
        putBack();
        event->accept();
    }

  private:
    QPointer<QCustomPlot> plot_;
    QPointer<QWidget> home_;
    QPointer<QScrollArea> scroll_;
    QPointer<QLabel> placeholder_;
};

// The plot's title (its first layout element's text), if it has one.
QString plotTitle(const QCustomPlot* plot) {
    if (plot->plotLayout() && plot->plotLayout()->elementCount() > 0)
        if (auto* t = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0)))
            return t->text();
    return {};
}

}  // namespace

QWidget* plotWindow(const QCustomPlot* plot) {
    return plot ? qobject_cast<QWidget*>(plot->property(kWindowProperty).value<QObject*>())
                : nullptr;
}

QWidget* popOutPlot(QCustomPlot* plot, bool maximised, const QString& title) {
    if (!plot) return nullptr;
    if (auto* w = plotWindow(plot)) {
        w->raise();
        w->activateWindow();
        return w;
    }
    auto* owner = plot->window();
    auto* w = new PlotWindow(plot, owner);
    const QString name = title.isEmpty() ? plotTitle(plot) : title;
    w->setWindowTitle(name.isEmpty() ? owner->windowTitle() : name);
    if (maximised)
        w->showMaximized();
    else
        w->show();
    return w;
}

QWidget* handOverPlot(QCustomPlot* from, QCustomPlot* to) {
    auto* w = from && to && from != to && !plotWindow(to)
                  ? dynamic_cast<PlotWindow*>(plotWindow(from))
                  : nullptr;
    if (!w) return nullptr;
    if (w->windowTitle() == plotTitle(from) && !plotTitle(to).isEmpty())
        w->setWindowTitle(plotTitle(to));
    w->replacePlot(to);
    return w;
}

bool putBackPlot(QCustomPlot* plot) {
    auto* w = plotWindow(plot);
    if (!w) return false;
    w->close();
    return true;
}

void enablePopOut(QCustomPlot* plot) {
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [plot](const QPoint& pos) {
        QMenu menu(plot);
        if (plotWindow(plot)) {
            menu.addAction(QCoreApplication::translate("avvp::ui::PlotWindow", "Put Back"), plot,
                           [plot] { putBackPlot(plot); });
        } else {
            menu.addAction(QCoreApplication::translate("avvp::ui::PlotWindow", "Pop Out"), plot,
                           [plot] { popOutPlot(plot); });
            menu.addAction(QCoreApplication::translate("avvp::ui::PlotWindow", "Pop Out Maximised"),
                           plot, [plot] { popOutPlot(plot, true); });
        }
        menu.addSeparator();
        menu.addAction(QCoreApplication::translate("avvp::ui::PlotWindow", "Reset View"), plot,
                       [plot] {
                           // The double-click's reset (makeInteractive).
                           QMouseEvent e(QEvent::MouseButtonDblClick, QPointF(), QPointF(),
                                         Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
                           emit plot->mouseDoubleClick(&e);
                       });
        menu.exec(plot->mapToGlobal(pos));
    });
}

}  // namespace avvp::ui

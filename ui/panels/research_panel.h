#pragma once
// The research panels: what a model computed for the current video, drawn with
// QCustomPlot from named outputs (models::Outputs: those a model run stored with the run
// the workspace shows), every time-based plot following the playhead. One tab per view:
//
//   probabilities  frame_prob (B,10,2,25): class probabilities over time, audio and visual
//   mmil           frame_att and av_att (B,10,2,25): MMIL temporal and modality attention
//   tsam           tsam_w_a / tsam_w_v (B,T) and tsam_s_a / tsam_s_v (B,H): TSAM weights
//   cmim           cmim_a_av / cmim_a_va (B,T,T): CMIM attention matrices
//   similarity     sloss_c (B,T,T) diagonal: per-segment audio-visual cosine; λ(c) as
//                  the model computed it (sloss_lambda_curve, and sloss_lambda's diagonal
//                  for the video's points; docs/model.md 3.4)
//
// Clicking a cell of a time heat map asks for a seek to its segment (seekRequested).
// A view whose outputs the model does not give shows "This model has no ..." instead.
//
// Videos longer than 10 s: a model runs over consecutive 10-segment windows, and the run
// stores each research output with a leading window dimension W (one row per window;
// W = 1 for a 10 s clip) and frame_prob (1, T, 2, 25) over the whole video. The views show
// the window under the playhead, w = floor(t / 10 s): its row of every output, x axes in
// the window's real seconds [10w, 10w + 10], and a label "window w+1 of W (10w–10w+10 s)";
// they switch when the playhead crosses a window border. A 10 s clip looks as it did.
//
// A plot popped out into its own window (plot_popout.h) stays out when the views are
// rebuilt (another video, another window of a long one): the window shows the plot that
// takes its place (same view, same position); it closes when the view has no such plot.
#include <QHash>
#include <QPointer>
#include <QString>
#include <QWidget>
#include <memory>
#include <vector>

#include "models/model_api.h"

class QCustomPlot;
class QCPItemStraightLine;
class QCPGraph;
class QLabel;
class QStackedWidget;
class QTabWidget;

namespace avvp::ui {

class ResearchPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ResearchPanel(QWidget* parent = nullptr);
    QSize sizeHint() const override;

    // The view ids, in tab order.
    static QStringList viewIds();

    // Shows the outputs of one forward pass of `video` by `model` (a description).
    void setOutputs(const QString& video, const QString& model,
                    std::shared_ptr<const models::Outputs> outputs);
    // No outputs: every view shows `reason`.
    void clear(const QString& reason);
    // All of the run's outputs for the video (every window).
    const models::Outputs* outputs() const { return all_.get(); }
    // The windows of the outputs (1 for a 10 s clip), the one shown (0-based) and its label
    // ("window 3 of 3 (20–30 s)"; empty for one window).
    int windows() const { return windows_; }
    int window() const { return window_; }
    QString windowLabel() const;
    // The x range of the time plots, in the video's seconds.
    double windowStart() const { return windowStart_; }
    QString video() const { return video_; }

    QTabWidget* tabs() const { return tabs_; }
    // Whether a view shows plots (false: its placeholder), and the placeholder's text.
    bool hasPlots(const QString& view) const;
    QString placeholder(const QString& view) const;
    // The plots of a view (empty when it shows its placeholder).
    QList<QCustomPlot*> plots(const QString& view) const;
    double playhead() const { return playhead_; }
    // Where the playhead line of a view's first time plot is (NaN when none).
    double playheadLineAt(const QString& view) const;
    // The segment the λ plot highlights (-1 when none).
    int highlightedSegment() const { return highlighted_; }

  public slots:
    void setPlayhead(double seconds);

  signals:
    // A left click on a cell of a heat map with a time axis (probabilities, MMIL
    // attention, CMIM T x T: the attended segment's column): the start of that segment,
    // in the video's seconds, for the player to seek to (issue 20, item 5).
    void seekRequested(double seconds);

  private:
    struct Page {
        QStackedWidget* stack = nullptr;
        QLabel* placeholder = nullptr;
        QWidget* content = nullptr;
        QWidget* scroll = nullptr;  // holds content: the plots keep their minimum size
        QList<QCustomPlot*> plots;
    };
    Page& page(const QString& view);
    QCustomPlot* addPlot(Page& p, const QString& title, bool timeAxis);
    void showPlaceholder(Page& p, const QString& text);
    void buildProbabilities();
    void buildMmil();
    void buildTsam();
    void buildCmim();
    void buildSimilarity();
    void updatePlayheads();
    std::vector<int> relevantClasses() const;
    // A popped out plot (plot_popout.h) by its view and place: the plot that takes its
    // place when the views are rebuilt (another video or window) takes over its window.
    struct PoppedOut {
        QString view;
        int index = 0;
        QPointer<QCustomPlot> plot;
    };
    std::vector<PoppedOut> poppedOut() const;
    // Builds every view for window `w` of the outputs; the new plots take over the windows
    // of `popped`.
    void showWindow(int w, const std::vector<PoppedOut>& popped);
    // Removes every page's plots and the playhead lines drawn on them.
    void dropPlots();
    void updateHeader();

    QTabWidget* tabs_;
    QLabel* header_;
    QHash<QString, Page> pages_;
    std::shared_ptr<const models::Outputs> all_;      // every window
    std::shared_ptr<const models::Outputs> outputs_;  // the window shown, batch 1
    QString video_, model_;
    int windows_ = 1, window_ = 0;
    double windowStart_ = 0.0;
    double playhead_ = 0.0;
    int highlighted_ = -1;
    // Vertical playhead lines of the time plots, horizontal ones of the CMIM matrices.
    std::vector<std::pair<QCustomPlot*, QCPItemStraightLine*>> vLines_, hLines_;
    QCPGraph* highlight_ = nullptr;  // the current segment's point on the λ curve
    std::vector<double> cosines_, lambdas_;
};

}  // namespace avvp::ui

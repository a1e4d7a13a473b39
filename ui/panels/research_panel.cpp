#include "ui/panels/research_panel.h"

#include <qcustomplot.h>
#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>

#include "core/prediction.h"
#include "core/taxonomy.h"
#include "ui/labels.h"
#include "ui/widgets/plot_interaction.h"
#include "ui/widgets/plot_legend.h"
#include "ui/widgets/plot_popout.h"

namespace avvp::ui {

namespace {

constexpr int kC = core::kNumClasses;

// The output of that name when it has at least `dims` dimensions, else nullptr.
const models::Array* outputOf(const models::Outputs* out, const char* name, std::size_t dims) {
    if (!out) return nullptr;
    const auto it = out->find(name);
    if (it == out->end() || it->second.shape.size() < dims || it->second.data.empty())
        return nullptr;
    return &it->second;
}

// (B, T, 2, C) at batch 0.
float at4(const models::Array& a, int t, int m, int c) {
    const auto i =
        core::frameIndex(t, static_cast<core::Modality>(m), c, static_cast<int>(a.shape[3]));
    return i < a.data.size() ? a.data[i] : 0.0F;
}

QCPColorGradient probabilityGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(255, 255, 255));
    g.setColorStopAt(0.35, QColor(158, 202, 225));
    g.setColorStopAt(0.7, QColor(49, 130, 189));
    g.setColorStopAt(1.0, QColor(8, 48, 107));
    return g;
}

// The playhead's own colour: an orange that none of the data takes (audio blue, visual red,
// cosine green, the blue probability gradient).
const QColor kPlayhead(255, 140, 0);

QPen playheadPen() {
    return QPen(kPlayhead, 2.0);
}

// The per-model outputs: no window dimension.
bool perModel(const std::string& name) {
    return name == "sloss_mu";
}

// The windows of a run's outputs: those of frame_prob's T segments, or the leading
// dimension of the research outputs (one row per 10-segment window).
int windowsOf(const models::Outputs& out) {
    int w = 1;
    for (const auto& [name, a] : out) {
        if (a.shape.empty()) continue;
        if (name == "frame_prob" && a.shape.size() >= 4)
            w = std::max(w, core::windowCount(static_cast<int>(a.shape[1])));
        else if (name != "global_prob" && !perModel(name) && a.shape.size() >= 2)
            w = std::max(w, static_cast<int>(a.shape[0]));
    }
    return w;
}

// Window `w` of `W` of every output, each with batch dimension 1: frame_prob's segments
// [10w, 10w + 10) (fewer in a last, partial window), the row w of the windowed outputs;
// the rest whole.
models::Outputs windowOf(const models::Outputs& out, int w, int W) {
    models::Outputs win;
    for (const auto& [name, a] : out) {
        if (name == "frame_prob" && a.shape.size() >= 4 && a.shape[1] > core::kWindowSegments) {
            const std::int64_t T = a.shape[1];
            const std::int64_t per = a.shape[2] * a.shape[3];
            const std::int64_t t0 =
                std::min<std::int64_t>(T, std::int64_t{w} * core::kWindowSegments);
            const std::int64_t t1 = std::min<std::int64_t>(T, t0 + core::kWindowSegments);
            models::Array s;
            s.shape = {1, t1 - t0, a.shape[2], a.shape[3]};
            const auto from =
                std::min<std::size_t>(a.data.size(), static_cast<std::size_t>(t0 * per));
            const auto to =
                std::min<std::size_t>(a.data.size(), static_cast<std::size_t>(t1 * per));
            s.data.assign(a.data.begin() + static_cast<std::ptrdiff_t>(from),
                          a.data.begin() + static_cast<std::ptrdiff_t>(to));
            win[name] = std::move(s);
        } else if (W > 1 && name != "frame_prob" && name != "global_prob" && !perModel(name) &&
                   a.shape.size() >= 2 && a.shape[0] == W) {
            models::Array s;
            s.shape = a.shape;
            s.shape[0] = 1;
            const auto per = a.data.size() / static_cast<std::size_t>(W);
            const auto from = static_cast<std::size_t>(w) * per;
            s.data.assign(a.data.begin() + static_cast<std::ptrdiff_t>(from),
                          a.data.begin() + static_cast<std::ptrdiff_t>(from + per));
            win[name] = std::move(s);
        } else {
            win[name] = a;
        }
    }
    return win;
}

}  // namespace

QSize ResearchPanel::sizeHint() const {
    return {900, 300};
}

QStringList ResearchPanel::viewIds() {
    return {QStringLiteral("probabilities"), QStringLiteral("mmil"), QStringLiteral("tsam"),
            QStringLiteral("cmim"), QStringLiteral("similarity")};
}

ResearchPanel::ResearchPanel(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("researchPanel"));
    auto* lay = new QVBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 4);
    header_ = new QLabel(this);
    header_->setWordWrap(true);
    header_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    lay->addWidget(header_);
    tabs_ = new QTabWidget(this);
    lay->addWidget(tabs_, 1);
    const QStringList titles = {tr("Class probabilities"), tr("MMIL attention"), tr("TSAM weights"),
                                tr("CMIM attention"), tr("A-V similarity and λ")};
    const auto ids = viewIds();
    for (int i = 0; i < ids.size(); ++i) {
        Page p;
        p.stack = new QStackedWidget(tabs_);
        p.placeholder = new QLabel(p.stack);
        p.placeholder->setAlignment(Qt::AlignCenter);
        p.placeholder->setWordWrap(true);
        p.placeholder->setObjectName(ids[i] + QStringLiteral("Placeholder"));
        p.stack->addWidget(p.placeholder);
        tabs_->addTab(p.stack, titles[i]);
        pages_.insert(ids[i], p);
    }
    clear(tr("Load a model (Models panel) to see what it computes for the current video."));
}

ResearchPanel::Page& ResearchPanel::page(const QString& view) {
    return pages_[view];
}

void ResearchPanel::showPlaceholder(Page& p, const QString& text) {
    p.placeholder->setText(text);
    p.stack->setCurrentWidget(p.placeholder);
}

namespace {

// The start (seconds) of the segment of the heat-map cell under `pos`: the cell's column
// on the time axis, clamped to the window [t0, t0 + 10); nullopt beside every map.
std::optional<double> heatMapSegmentAt(QCustomPlot* plot, const QPoint& pos, double t0) {
    if (!plot->axisRect()->rect().contains(pos)) return std::nullopt;
    const double x = plot->xAxis->pixelToCoord(pos.x());
    const double y = plot->yAxis->pixelToCoord(pos.y());
    for (int i = 0; i < plot->plottableCount(); ++i) {
        const auto* map = qobject_cast<QCPColorMap*>(plot->plottable(i));
        if (!map) continue;
        // The data range holds the cells' centres: widen it by half a cell each side.
        auto extent = [](QCPRange r, int n) {
            const double half = n > 1 ? r.size() / (n - 1) / 2 : 0.5;
            return QCPRange(r.lower - half, r.upper + half);
        };
        const auto keys = extent(map->data()->keyRange(), map->data()->keySize());
        const auto values = extent(map->data()->valueRange(), map->data()->valueSize());
        if (!keys.contains(x) || !values.contains(y)) continue;
        return std::clamp(std::floor(x), std::max(0.0, t0), t0 + core::kLlpSegments - 1);
    }
    return std::nullopt;
}

}  // namespace

QCustomPlot* ResearchPanel::addPlot(Page& p, const QString& title, bool timeAxis) {
    auto* plot = new QCustomPlot(p.content);
    plot->setMinimumSize(240, 180);  // readable ticks, titles and heat-map cells
    plot->plotLayout()->insertRow(0);
    QFont f = font();
    f.setBold(true);
    plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, f));
    if (timeAxis) {
        plot->xAxis->setRange(windowStart_, windowStart_ + core::kLlpSegments);
        plot->xAxis->setLabel(tr("time (s)"));
        auto* line = new QCPItemStraightLine(plot);
        line->setLayer(QStringLiteral("overlay"));  // above heat maps
        line->setPen(playheadPen());
        line->point1->setCoords(playhead_, 0);
        line->point2->setCoords(playhead_, 1);
        vLines_.emplace_back(plot, line);
    }
    const double t0 = windowStart_;
    if (timeAxis) {
        // A click (press and release within 3 px) on a cell of the plot's heat map: seek to
        // the start of the clicked column's segment (one-second cells of the window shown).
        auto pressed = std::make_shared<QPoint>();
        connect(plot, &QCustomPlot::mousePress, this,
                [pressed](QMouseEvent* e) { *pressed = e->position().toPoint(); });
        connect(plot, &QCustomPlot::mouseRelease, this, [this, plot, pressed, t0](QMouseEvent* e) {
            const QPoint pos = e->position().toPoint();
            if (e->button() != Qt::LeftButton || (pos - *pressed).manhattanLength() > 3) return;
            if (const auto s = heatMapSegmentAt(plot, pos, t0)) emit seekRequested(*s);
        });
    }
    makeInteractive(plot, [plot, timeAxis, t0] {
        plot->rescaleAxes();
        if (timeAxis) plot->xAxis->setRange(t0, t0 + core::kLlpSegments);
    });
    p.plots.push_back(plot);
    return plot;
}

std::vector<int> ResearchPanel::relevantClasses() const {
    std::vector<std::pair<float, int>> peak;
    if (const auto* fp = outputOf(outputs_.get(), "frame_prob", 4)) {
        for (int c = 0; c < kC; ++c) {
            float m = 0;
            for (int t = 0; t < fp->shape[1]; ++t)
                m = std::max({m, at4(*fp, t, 0, c), at4(*fp, t, 1, c)});
            peak.emplace_back(m, c);
        }
    }
    std::sort(peak.begin(), peak.end(), std::greater<>());
    std::vector<int> out;
    for (const auto& [m, c] : peak)
        if (out.size() < 5 || (m >= 0.1F && out.size() < 10)) out.push_back(c);
    std::sort(out.begin(), out.end());
    return out;
}

namespace {

// A (time × class) heat map of a (B,T,2,C) output for one modality (value(t, c)).
void classHeatMap(QCustomPlot* plot, const std::vector<int>& classes, int T, double t0,
                  const std::function<double(int, int)>& value, QCPRange range) {
    auto* map = new QCPColorMap(plot->xAxis, plot->yAxis);
    const int n = static_cast<int>(classes.size());
    map->data()->setSize(T, n);
    map->data()->setRange(QCPRange(t0 + 0.5, t0 + T - 0.5), QCPRange(0, std::max(1, n - 1)));
    for (int t = 0; t < T; ++t)
        for (int k = 0; k < n; ++k)
            map->data()->setCell(t, k, value(t, classes[static_cast<std::size_t>(k)]));
    map->setInterpolate(false);
    map->setGradient(probabilityGradient());
    map->setDataRange(range);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int k = 0; k < n; ++k) ticker->addTick(k, className(classes[static_cast<std::size_t>(k)]));
    plot->yAxis->setTicker(ticker);
    plot->yAxis->setRange(-0.5, n - 0.5);
    plot->yAxis->setRangeReversed(true);
    auto* scale = new QCPColorScale(plot);
    plot->plotLayout()->addElement(1, 1, scale);
    scale->setBarWidth(8);
    map->setColorScale(scale);  // takes the scale's gradient: set ours after
    scale->setGradient(probabilityGradient());
    map->setDataRange(range);
    auto* group = new QCPMarginGroup(plot);
    plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, group);
}

}  // namespace

void ResearchPanel::buildProbabilities() {
    Page& p = page(QStringLiteral("probabilities"));
    const auto* fp = outputOf(outputs_.get(), "frame_prob", 4);
    if (!fp) return showPlaceholder(p, tr("This model has no frame_prob output."));
    const auto classes = relevantClasses();
    auto* grid = new QGridLayout(p.content);
    const int T = static_cast<int>(fp->shape[1]);
    for (int m = 0; m < 2; ++m) {
        auto* plot = addPlot(
            p, m == 0 ? tr("Audio: P(class, segment)") : tr("Visual: P(class, segment)"), true);
        classHeatMap(
            plot, classes, T, windowStart_, [fp, m](int t, int c) { return at4(*fp, t, m, c); },
            QCPRange(0, 1));
        grid->addWidget(plot, 0, m);
    }
}

void ResearchPanel::buildMmil() {
    Page& p = page(QStringLiteral("mmil"));
    const auto* fa = outputOf(outputs_.get(), "frame_att", 4);
    const auto* av = outputOf(outputs_.get(), "av_att", 4);
    if (!fa && !av)
        return showPlaceholder(p, tr("This model has no MMIL attention (frame_att, av_att)."));
    const auto classes = relevantClasses();
    auto* grid = new QGridLayout(p.content);
    if (fa) {
        const int T = static_cast<int>(fa->shape[1]);
        double hi = 0;
        for (const float v : fa->data) hi = std::max<double>(hi, v);
        for (int m = 0; m < 2; ++m) {
            auto* plot = addPlot(
                p, m == 0 ? tr("Temporal attention (audio)") : tr("Temporal attention (visual)"),
                true);
            classHeatMap(
                plot, classes, T, windowStart_, [fa, m](int t, int c) { return at4(*fa, t, m, c); },
                QCPRange(0, std::max(hi, 1e-6)));
            grid->addWidget(plot, 0, m);
        }
    }
    if (av) {
        const int T = static_cast<int>(av->shape[1]);
        auto* plot = addPlot(p, tr("Modality attention: audio share"), true);
        classHeatMap(
            plot, classes, T, windowStart_, [av](int t, int c) { return at4(*av, t, 0, c); },
            QCPRange(0, 1));
        grid->addWidget(plot, 0, 2);  // one row: the dock is short
    }
}

void ResearchPanel::buildTsam() {
    Page& p = page(QStringLiteral("tsam"));
    const auto* wa = outputOf(outputs_.get(), "tsam_w_a", 2);
    const auto* wv = outputOf(outputs_.get(), "tsam_w_v", 2);
    const auto* sa = outputOf(outputs_.get(), "tsam_s_a", 2);
    const auto* sv = outputOf(outputs_.get(), "tsam_s_v", 2);
    if (!wa && !wv && !sa && !sv)
        return showPlaceholder(
            p, tr("This model has no TSAM (tsam_w_a, tsam_w_v, tsam_s_a, tsam_s_v): only LINK "
                  "with TSAM on has it."));
    auto* grid = new QGridLayout(p.content);
    const QColor audio(31, 119, 180), visual(214, 39, 40);
    if (wa || wv) {
        auto* plot = addPlot(p, tr("Temporal weights W"), true);
        for (const auto& [a, color, name] :
             {std::tuple{wa, audio, tr("audio")}, std::tuple{wv, visual, tr("visual")}}) {
            if (!a) continue;
            const auto T = a->shape[1];
            QVector<double> x, y;
            for (std::int64_t t = 0; t < T; ++t) {
                x << windowStart_ + (static_cast<double>(t) + 0.5) * core::kLlpSegments /
                                        static_cast<double>(T);
                y << a->data[static_cast<std::size_t>(t)];
            }
            auto* g = plot->addGraph();
            g->setData(x, y);
            g->setName(name);
            g->setPen(QPen(color, 2));
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, 6));
        }
        plot->yAxis->rescale();
        plot->yAxis->scaleRange(1.15);
        placeLegendOutside(plot, LegendPlace::Below);
        grid->addWidget(plot, 0, 0);
    }
    if (sa || sv) {
        auto* plot = addPlot(p, tr("Feature weights S"), false);
        plot->xAxis->setLabel(tr("feature (hidden unit)"));
        for (const auto& [a, color, name] :
             {std::tuple{sa, audio, tr("audio")}, std::tuple{sv, visual, tr("visual")}}) {
            if (!a) continue;
            const auto H = a->shape[1];
            QVector<double> x, y;
            for (std::int64_t h = 0; h < H; ++h) {
                x << static_cast<double>(h);
                y << a->data[static_cast<std::size_t>(h)];
            }
            auto* g = plot->addGraph();
            g->setData(x, y);
            g->setName(name);
            g->setPen(QPen(color, 1.2));
        }
        plot->rescaleAxes();
        placeLegendOutside(plot, LegendPlace::Below);
        grid->addWidget(plot, 0, 1);
    }
}

void ResearchPanel::buildCmim() {
    Page& p = page(QStringLiteral("cmim"));
    const auto* aav = outputOf(outputs_.get(), "cmim_a_av", 3);
    const auto* ava = outputOf(outputs_.get(), "cmim_a_va", 3);
    if (!aav && !ava)
        return showPlaceholder(
            p, tr("This model has no CMIM attention (cmim_a_av, cmim_a_va): only LINK with CMIM "
                  "on has it."));
    auto* grid = new QGridLayout(p.content);
    int col = 0;
    for (const auto& [a, title] :
         {std::pair{aav, tr("A_av: audio segment (row) attends to visual")},
          std::pair{ava, tr("A_va: visual segment (row) attends to audio")}}) {
        if (!a) continue;
        const int T = static_cast<int>(a->shape[1]);
        auto* plot = addPlot(p, title, true);
        auto* map = new QCPColorMap(plot->xAxis, plot->yAxis);
        map->data()->setSize(T, T);
        const double cell = static_cast<double>(core::kLlpSegments) / T;
        const double t0 = windowStart_, t1 = windowStart_ + core::kLlpSegments;
        map->data()->setRange(QCPRange(t0 + cell / 2, t1 - cell / 2),
                              QCPRange(t0 + cell / 2, t1 - cell / 2));
        // The colour scale spans the matrix's own range: a trained CMIM's rows are often
        // close to uniform (1/T), and a 0..max scale would paint them one colour.
        double lo = 1.0, hi = 0.0;
        for (int i = 0; i < T; ++i)
            for (int j = 0; j < T; ++j) {
                const double v = a->data[static_cast<std::size_t>(i * T + j)];
                lo = std::min(lo, v);
                hi = std::max(hi, v);
                map->data()->setCell(j, i, v);  // key: attended segment, value: query
            }
        if (hi - lo < 1e-6) {
            lo -= 5e-7;
            hi += 5e-7;
        }
        map->setInterpolate(false);
        auto* scale = new QCPColorScale(plot);
        plot->plotLayout()->addElement(1, 1, scale);
        scale->setBarWidth(8);
        map->setColorScale(scale);
        scale->setGradient(probabilityGradient());
        map->setDataRange(QCPRange(lo, hi));
        plot->yAxis->setRange(t0, t1);
        plot->yAxis->setRangeReversed(true);
        plot->yAxis->setLabel(tr("query segment (s)"));
        auto* line = new QCPItemStraightLine(plot);
        line->setLayer(QStringLiteral("overlay"));
        line->setPen(playheadPen());
        hLines_.emplace_back(plot, line);
        grid->addWidget(plot, 0, col++);
    }
}

void ResearchPanel::buildSimilarity() {
    Page& p = page(QStringLiteral("similarity"));
    const auto* c = outputOf(outputs_.get(), "sloss_c", 3);
    if (!c)
        return showPlaceholder(
            p, tr("This model has no audio-visual similarity (sloss_c): only LINK with S-LOSS "
                  "on has it."));
    const int T = static_cast<int>(c->shape[1]);
    const auto* muOut = outputOf(outputs_.get(), "sloss_mu", 1);
    const double mu = muOut ? muOut->data[0] : 0.0;
    // λ as the model computed it: per segment pair (sloss_lambda) and over c
    // (sloss_lambda_curve); both only with S-LOSS on.
    const auto* lambda = outputOf(outputs_.get(), "sloss_lambda", 3);
    const auto* lambdaCurve = outputOf(outputs_.get(), "sloss_lambda_curve", 3);
    cosines_.clear();
    lambdas_.clear();
    QVector<double> x, cos, lam;
    for (int t = 0; t < T; ++t) {
        const auto diagonal = static_cast<std::size_t>(t * T + t);
        const double v = c->data[diagonal];
        cosines_.push_back(v);
        x << windowStart_ + (t + 0.5) * core::kLlpSegments / static_cast<double>(T);
        cos << v;
        if (lambda && diagonal < lambda->data.size()) {
            lambdas_.push_back(lambda->data[diagonal]);
            lam << lambdas_.back();
        }
    }
    auto* grid = new QGridLayout(p.content);
    auto* over = addPlot(p, tr("Cosine of audio and visual segment t"), true);
    auto* g = over->addGraph();
    g->setData(x, cos);
    g->setPen(QPen(QColor(44, 160, 44), 2));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(44, 160, 44), 6));
    over->yAxis->setRange(-1, 1);
    over->yAxis->setLabel(tr("cos(a_t, v_t)"));
    grid->addWidget(over, 0, 0);
    if (!lambda || !lambdaCurve) return;

    auto* curve =
        addPlot(p, tr("λ(c) for μ = %1 and this video's segments").arg(mu, 0, 'f', 3), false);
    QVector<double> cx, cy;
    const auto points = static_cast<std::size_t>(lambdaCurve->shape[1]);
    for (std::size_t i = 0; i < points && 2 * i + 1 < lambdaCurve->data.size(); ++i) {
        cx << lambdaCurve->data[2 * i];
        cy << lambdaCurve->data[2 * i + 1];
    }
    auto* lg = curve->addGraph();
    lg->setData(cx, cy);
    lg->setPen(QPen(QColor(90, 90, 90), 1.8));
    lg->setName(tr("λ(c)"));
    auto* pts = curve->addGraph();
    pts->setData(cos, lam);
    pts->setLineStyle(QCPGraph::lsNone);
    pts->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(44, 160, 44), 7));
    pts->setName(tr("segments"));
    highlight_ = curve->addGraph();
    highlight_->setLineStyle(QCPGraph::lsNone);
    highlight_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kPlayhead, 11));
    highlight_->setName(tr("segment at the playhead"));
    curve->xAxis->setRange(-1, 1);
    curve->xAxis->setLabel(tr("c = cos(a, v)"));
    curve->yAxis->setLabel(tr("λ"));
    curve->yAxis->rescale();
    curve->yAxis->scaleRange(1.2);
    placeLegendOutside(curve, LegendPlace::Below);
    grid->addWidget(curve, 0, 1);
}

void ResearchPanel::clear(const QString& reason) {
    all_.reset();
    outputs_.reset();
    video_.clear();
    model_.clear();
    windows_ = 1;
    window_ = 0;
    windowStart_ = 0.0;
    header_->setText(reason);
    dropPlots();
    for (auto& p : pages_) showPlaceholder(p, reason);
}

void ResearchPanel::dropPlots() {
    vLines_.clear();
    hLines_.clear();
    highlight_ = nullptr;
    highlighted_ = -1;
    for (auto& p : pages_) {
        if (p.scroll) {
            p.stack->removeWidget(p.scroll);
            p.scroll->deleteLater();
            p.scroll = nullptr;
            p.content = nullptr;
        }
        p.plots.clear();
    }
}

std::vector<ResearchPanel::PoppedOut> ResearchPanel::poppedOut() const {
    std::vector<PoppedOut> out;
    for (auto it = pages_.begin(); it != pages_.end(); ++it)
        for (int i = 0; i < it->plots.size(); ++i)
            if (plotWindow(it->plots[i])) out.push_back({it.key(), i, it->plots[i]});
    return out;
}

void ResearchPanel::setOutputs(const QString& video, const QString& model,
                               std::shared_ptr<const models::Outputs> outputs) {
    const auto popped = poppedOut();
    clear(QString());
    all_ = std::move(outputs);
    video_ = video;
    model_ = model;
    windows_ = all_ ? windowsOf(*all_) : 1;
    showWindow(std::clamp(static_cast<int>(std::floor(playhead_ / core::kWindowSegments)), 0,
                          windows_ - 1),
               popped);
}

void ResearchPanel::showWindow(int w, const std::vector<PoppedOut>& popped) {
    dropPlots();
    window_ = w;
    windowStart_ = windows_ > 1 ? static_cast<double>(w) * core::kWindowSegments : 0.0;
    outputs_ =
        all_ ? std::make_shared<const models::Outputs>(windowOf(*all_, w, windows_)) : nullptr;
    updateHeader();
    for (auto& p : pages_) {
        // The plots in a scroll area: readable at their minimum size in a small dock, and
        // the dock does not force the window wider than a 1366 px screen.
        auto* scroll = new QScrollArea(p.stack);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        p.content = new QWidget(scroll);
        scroll->setWidget(p.content);
        p.scroll = scroll;
        p.stack->addWidget(scroll);
        p.stack->setCurrentWidget(scroll);
    }
    buildProbabilities();
    buildMmil();
    buildTsam();
    buildCmim();
    buildSimilarity();
    for (const auto& o : popped) {
        const auto& plots = pages_[o.view].plots;
        if (o.index < plots.size() && hasPlots(o.view)) handOverPlot(o.plot, plots[o.index]);
    }
    updatePlayheads();
}

QString ResearchPanel::windowLabel() const {
    if (windows_ <= 1) return {};
    const int from = window_ * core::kWindowSegments;
    return tr("window %1 of %2 (%3–%4 s)")
        .arg(window_ + 1)
        .arg(windows_)
        .arg(from)
        .arg(from + core::kWindowSegments);
}

void ResearchPanel::updateHeader() {
    QString text =
        tr("<b>%1</b> — outputs of %2").arg(video_.toHtmlEscaped(), model_.toHtmlEscaped());
    if (windows_ > 1) text += QStringLiteral(" · ") + windowLabel().toHtmlEscaped();
    header_->setText(text);
}

bool ResearchPanel::hasPlots(const QString& view) const {
    const auto it = pages_.find(view);
    return it != pages_.end() && !it->plots.isEmpty() && it->stack->currentWidget() == it->scroll;
}

QString ResearchPanel::placeholder(const QString& view) const {
    const auto it = pages_.find(view);
    return it == pages_.end() || hasPlots(view) ? QString() : it->placeholder->text();
}

QList<QCustomPlot*> ResearchPanel::plots(const QString& view) const {
    return hasPlots(view) ? pages_.value(view).plots : QList<QCustomPlot*>{};
}

double ResearchPanel::playheadLineAt(const QString& view) const {
    for (auto* plot : plots(view))
        for (const auto& [pl, line] : vLines_)
            if (pl == plot) return line->point1->coords().x();
    return std::numeric_limits<double>::quiet_NaN();
}

void ResearchPanel::setPlayhead(double seconds) {
    playhead_ = seconds;
    if (all_ && windows_ > 1) {
        const int w = std::clamp(static_cast<int>(std::floor(seconds / core::kWindowSegments)), 0,
                                 windows_ - 1);
        if (w != window_) return showWindow(w, poppedOut());  // crossed a window border
    }
    updatePlayheads();
}

void ResearchPanel::updatePlayheads() {
    for (const auto& [plot, line] : vLines_) {
        line->point1->setCoords(playhead_, 0);
        line->point2->setCoords(playhead_, 1);
    }
    for (const auto& [plot, line] : hLines_) {
        line->point1->setCoords(0, playhead_);
        line->point2->setCoords(1, playhead_);
    }
    highlighted_ = -1;
    if (highlight_ && !cosines_.empty()) {
        const int T = static_cast<int>(cosines_.size());
        highlighted_ = std::clamp(
            static_cast<int>(std::floor((playhead_ - windowStart_) * T / core::kLlpSegments)), 0,
            T - 1);
        const auto i = static_cast<std::size_t>(highlighted_);
        highlight_->setData(QVector<double>{cosines_[i]}, QVector<double>{lambdas_[i]});
    }
    for (auto& p : pages_)
        for (auto* plot : p.plots) plot->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace avvp::ui

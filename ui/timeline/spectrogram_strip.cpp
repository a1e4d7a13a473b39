#include "ui/timeline/spectrogram_strip.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QPainter>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <array>
#include <cmath>

#include "core/media/audio_decoder.h"
#include "core/quote.h"
#include "ui/timeline/timeline_layout.h"

namespace avvp::ui {

namespace {

constexpr int kRate = 16000;
constexpr int kFft = 512;
constexpr float kRangeDb = 80.0F;
constexpr float kFloorDb = -100.0F;

// A perceptual-ish ramp from near black through purple and orange to pale yellow.
QRgb rampColor(double t) {
    static constexpr std::array<std::array<double, 3>, 5> stops = {{{0.02, 0.02, 0.08},
                                                                    {0.28, 0.07, 0.45},
                                                                    {0.72, 0.18, 0.42},
                                                                    {0.98, 0.55, 0.18},
                                                                    {0.99, 0.96, 0.70}}};
    t = std::clamp(t, 0.0, 1.0) * (stops.size() - 1);
    const auto i = std::min<std::size_t>(static_cast<std::size_t>(t), stops.size() - 2);
    const double f = t - static_cast<double>(i);
    auto ch = [&](int c) {
        return static_cast<int>(255.0 * (stops[i][static_cast<std::size_t>(c)] * (1 - f) +
                                         stops[i + 1][static_cast<std::size_t>(c)] * f));
    };
    return qRgb(ch(0), ch(1), ch(2));
}

const std::array<QRgb, 256>& lut() {
    static const auto table = [] {
        std::array<QRgb, 256> t{};
        for (std::size_t i = 0; i < t.size(); ++i) t[i] = rampColor(static_cast<double>(i) / 255.0);
        return t;
    }();
    return table;
}

// The bin position of each of `rows` rows on a log frequency axis from 40 Hz to Nyquist.
std::vector<double> rowBins(int rows, int bins, int sampleRate) {
    const double fMin = 40.0, fMax = sampleRate / 2.0;
    const double binHz = fMax / (bins - 1);
    std::vector<double> pos(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
        const double f = fMin * std::pow(fMax / fMin, static_cast<double>(r) / (rows - 1));
        pos[static_cast<std::size_t>(r)] =
            std::clamp(f / binHz, 0.0, static_cast<double>(bins - 1));
    }
    return pos;
}

// Column `c` of `s` on the log axis (`out`: kRows values, row 0 the lowest frequency).
void logColumn(const media::Spectrogram& s, int c, const std::vector<double>& pos, float* out) {
    for (std::size_t r = 0; r < pos.size(); ++r) {
        const int b0 = static_cast<int>(pos[r]), b1 = std::min(s.bins - 1, b0 + 1);
        const auto w1 = static_cast<float>(pos[r] - b0);
        out[r] = s.at(c, b0) * (1 - w1) + s.at(c, b1) * w1;
    }
}

QRgb colorOf(float db, float top, float range = kRangeDb) {
    const float t = std::clamp((db - (top - range)) / range, 0.0F, 1.0F);
    return lut()[static_cast<std::size_t>(t * 255.0F)];
}

}  // namespace

// Rows on a logarithmic frequency axis from 40 Hz to Nyquist (speech and tones live in
// the lowest tenth of a linear axis), colours over the top 80 dB.
QImage spectrogramImage(const media::Spectrogram& s) {
    if (s.empty()) return {};
    constexpr int kImageRows = 128;
    QImage img(s.columns, kImageRows, QImage::Format_RGB32);
    const auto pos = rowBins(kImageRows, s.bins, s.sampleRate);
    std::vector<float> column(kImageRows);
    for (int c = 0; c < s.columns; ++c) {
        logColumn(s, c, pos, column.data());
        for (int r = 0; r < kImageRows; ++r)
            reinterpret_cast<QRgb*>(img.scanLine(kImageRows - 1 - r))[c] =
                colorOf(column[static_cast<std::size_t>(r)], s.maxDb);
    }
    return img;
}

void SpectrogramStrip::setRangeDb(float db) {
    const float r = std::clamp(db, kMinRangeDb, kMaxRangeDb);
    if (r == rangeDb_) return;
    rangeDb_ = r;  // the images are remade on their next paint
    emit changed();
}

double SpectrogramStrip::columnSeconds(int level) {
    return kFinestColumnSeconds * std::ldexp(1.0, level);
}

int SpectrogramStrip::levelFor(double secondsPerPixel) {
    if (!(secondsPerPixel > kFinestColumnSeconds)) return 0;
    return std::clamp(
        static_cast<int>(std::floor(std::log2(secondsPerPixel / kFinestColumnSeconds))), 0,
        kMaxLevel);
}

SpectrogramTile SpectrogramStrip::computeTile(const std::string& file, int level,
                                              std::int64_t index, const std::atomic<bool>* cancel) {
    SpectrogramTile tile;
    tile.level = level;
    tile.index = index;
    try {
        media::AudioDecoder dec(file, {.format = {kRate, 1}, .allowTruncated = true});
        const auto hop = static_cast<std::int64_t>(std::llround(columnSeconds(level) * kRate));
        const double start = static_cast<double>(index) * tileSeconds(level);
        media::SpectrogramOptions o;
        o.sampleRate = kRate;
        o.fftSize = kFft;
        o.floorDb = kFloorDb;
        tile.db.assign(static_cast<std::size_t>(kColumns) * kRows, kFloorDb);
        const auto pos = rowBins(kRows, kFft / 2 + 1, kRate);
        if (hop <= 4 * kFft) {
            // Fine levels: the tile's stretch of audio, from half a frame before its first
            // column's centre, whole columns of padding so that the columns stay aligned.
            const std::int64_t padColumns = (kFft / 2 + hop - 1) / hop;
            const std::int64_t pad = padColumns * hop;
            const std::int64_t length = pad + kColumns * hop + kFft / 2;
            const auto mono = dec.readWindow(start - static_cast<double>(pad) / kRate,
                                             static_cast<double>(length) / kRate);
            if (cancel && *cancel) return tile;
            o.hopSeconds = static_cast<double>(hop) / kRate;
            o.maxColumns = 1 << 30;
            const auto s = media::spectrogramOf(mono, o);
            for (int c = 0; c < kColumns && padColumns + c < s.columns; ++c)
                logColumn(s, static_cast<int>(padColumns) + c, pos,
                          tile.db.data() + static_cast<std::size_t>(c) * kRows);
        } else {
            // Coarse levels: three FFT frames per column, at a quarter, half and three
            // quarters of it, averaged in power.
            o.hopSeconds = static_cast<double>(kFft) / kRate;
            o.maxColumns = 1;
            std::vector<float> column(kRows);
            std::vector<double> power(kRows);
            const double cs = columnSeconds(level);
            for (int c = 0; c < kColumns; ++c) {
                if (cancel && *cancel) return tile;
                std::fill(power.begin(), power.end(), 0.0);
                for (const double f : {0.25, 0.5, 0.75}) {
                    const double t = start + (c + f) * cs - 0.5 * kFft / kRate;
                    const auto mono = dec.readWindow(t, static_cast<double>(kFft) / kRate);
                    const auto s = media::spectrogramOf(mono, o);
                    if (s.columns < 1) continue;
                    logColumn(s, 0, pos, column.data());
                    for (std::size_t r = 0; r < power.size(); ++r)
                        power[r] += std::pow(10.0, column[r] / 10.0) / 3.0;
                }
                for (std::size_t r = 0; r < power.size(); ++r)
                    tile.db[static_cast<std::size_t>(c) * kRows + r] =
                        std::max(kFloorDb, static_cast<float>(10.0 * std::log10(power[r] + 1e-20)));
            }
        }
        for (const float v : tile.db) tile.maxDb = std::max(tile.maxDb, v);
    } catch (const std::exception& e) {
        tile.noAudio = true;  // no audio stream, or not readable: the strip says so
        tile.error = QString::fromStdString(avvp::core::oneLine(e.what()));
        tile.db.clear();
    }
    return tile;
}

SpectrogramStrip::SpectrogramStrip(QObject* parent) : QObject(parent) {
    watcher_ = new QFutureWatcher<SpectrogramTile>(this);
    connect(watcher_, &QFutureWatcher<SpectrogramTile>::finished, this,
            &SpectrogramStrip::finished);
}

SpectrogramStrip::~SpectrogramStrip() {
    if (cancel_) *cancel_ = true;
    watcher_->waitForFinished();
}

void SpectrogramStrip::setShown(bool on) {
    if (on == shown_) return;
    shown_ = on;
    const QString path = media_;
    media_.clear();
    setMedia(path);
}

void SpectrogramStrip::setMedia(const QString& mediaPath) {
    if (mediaPath == media_) return;
    if (cancel_) *cancel_ = true;  // the running tile's result is dropped
    ++generation_;
    media_ = mediaPath;
    tiles_.clear();
    queue_.clear();
    noAudio_ = false;
    computed_ = 0;
    top_ = -1000.0F;
    emit changed();
}

void SpectrogramStrip::request(const TimelineLayout& l) {
    if (media_.isEmpty() || !shown_ || noAudio_) return;
    const double start = l.viewStartMs() / 1000.0, end = l.viewEndMs() / 1000.0;
    const double duration = l.durationMs() / 1000.0;
    const int level = levelFor(l.msPerPx() / 1000.0);
    const double ts = tileSeconds(level);
    const auto first = static_cast<std::int64_t>(std::floor(start / ts));
    const auto last = static_cast<std::int64_t>(std::floor(std::max(start, end - 1e-9) / ts));
    const auto lastTile =
        static_cast<std::int64_t>(std::floor(std::max(0.0, duration - 1e-9) / ts));
    std::vector<std::pair<int, std::int64_t>> wanted;
    auto want = [&](std::int64_t i) {
        if (i < 0 || i > lastTile) return;
        if (const auto it = tiles_.find(key(level, i)); it != tiles_.end()) {
            it->used = ++clock_;
            return;
        }
        if (running_ && runningGeneration_ == generation_ && runningTile_ == std::pair{level, i})
            return;
        wanted.emplace_back(level, i);
    };
    for (auto i = first; i <= last; ++i) want(i);
    want(last + 1);  // for scrolling on
    want(first - 1);
    queue_ = std::move(wanted);
    startNext();
}

void SpectrogramStrip::startNext() {
    if (running_ || queue_.empty() || media_.isEmpty()) return;
    const auto [level, index] = queue_.front();
    queue_.erase(queue_.begin());
    running_ = true;
    runningTile_ = {level, index};
    runningGeneration_ = generation_;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    auto cancel = cancel_;
    const std::string path = media_.toStdString();
    watcher_->setFuture(QtConcurrent::run(
        [path, level, index, cancel] { return computeTile(path, level, index, cancel.get()); }));
}

void SpectrogramStrip::finished() {
    running_ = false;
    runningTile_ = {-1, -1};
    auto tile = watcher_->result();
    if (runningGeneration_ != generation_ || (cancel_ && *cancel_)) {
        startNext();  // another file's: dropped
        return;
    }
    if (tile.noAudio) {
        noAudio_ = true;
        queue_.clear();
        emit changed();
        return;
    }
    top_ = std::max(top_, tile.maxDb);
    Cached c;
    c.tile = std::move(tile);
    c.used = ++clock_;
    tiles_.insert(key(c.tile.level, c.tile.index), std::move(c));
    ++computed_;
    while (tiles_.size() > kMaxTiles) {  // the least recently used goes
        auto oldest = tiles_.begin();
        for (auto it = tiles_.begin(); it != tiles_.end(); ++it)
            if (it->used < oldest->used) oldest = it;
        tiles_.erase(oldest);
    }
    startNext();
    emit changed();
}

const QImage& SpectrogramStrip::imageOf(const Cached& c) const {
    if (!c.image.isNull() && std::abs(c.imageTop - top_) < 0.5F && c.imageRange == rangeDb_)
        return c.image;
    c.image = QImage(kColumns, kRows, QImage::Format_RGB32);
    for (int r = 0; r < kRows; ++r) {
        auto* line = reinterpret_cast<QRgb*>(c.image.scanLine(kRows - 1 - r));
        for (int col = 0; col < kColumns; ++col)
            line[col] = colorOf(
                c.tile.db[static_cast<std::size_t>(col) * kRows + static_cast<std::size_t>(r)],
                top_, rangeDb_);
    }
    c.imageTop = top_;
    c.imageRange = rangeDb_;
    return c.image;
}

bool SpectrogramStrip::paint(QPainter& p, const QRect& rect, const TimelineLayout& l) const {
    if (tiles_.isEmpty()) return false;
    const double start = l.viewStartMs() / 1000.0;
    const double end = std::min(l.viewEndMs(), l.durationMs()) / 1000.0;
    const int level = levelFor(l.msPerPx() / 1000.0);
    const double ts = tileSeconds(level);
    bool drawn = false;
    p.save();
    p.setClipRect(rect.intersected(
        QRect(rect.left(), rect.top(), l.xForTime(end) - rect.left() + 1, rect.height())));
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    auto draw = [&](const Cached& c, double from, double to) {
        // The part [from, to] (seconds) of a cached tile.
        const double cts = tileSeconds(c.tile.level);
        const double t0 = static_cast<double>(c.tile.index) * cts;
        const QRectF source((from - t0) / cts * kColumns, 0, (to - from) / cts * kColumns, kRows);
        const double x0 = l.xForTime(from), x1 = l.xForTime(to);
        p.drawImage(QRectF(x0, rect.top(), x1 - x0, rect.height()), imageOf(c), source);
        drawn = true;
    };
    for (auto i = static_cast<std::int64_t>(std::floor(start / ts)); i * ts < end; ++i) {
        const double from = std::max(start, static_cast<double>(i) * ts);
        const double to = std::min(end, static_cast<double>(i + 1) * ts);
        if (const auto it = tiles_.find(key(level, i)); it != tiles_.end()) {
            draw(*it, from, to);
            continue;
        }
        // Missing: a coarser tile stands in while it is computed.
        for (int up = level + 1; up <= kMaxLevel; ++up) {
            const double uts = tileSeconds(up);
            const auto ui = static_cast<std::int64_t>(std::floor(from / uts));
            if (const auto it = tiles_.find(key(up, ui)); it != tiles_.end()) {
                draw(*it, from, std::min(to, static_cast<double>(ui + 1) * uts));
                break;
            }
        }
    }
    p.restore();
    return drawn;
}

bool SpectrogramStrip::wait(int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (pending() && t.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return ready();
}

}  // namespace avvp::ui

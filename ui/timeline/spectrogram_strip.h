#pragma once
// The spectrogram strip of the timeline, for videos of any length: computed for the
// visible range only, in tiles of 256 columns at a zoom level (level L: 10 ms · 2^L per
// column, so a tile spans 2.56 s · 2^L), lazily, one tile at a time off the GUI thread, and
// cached (the last kMaxTiles tiles). A repaint never decodes audio: it draws the tiles it
// has (a coarser cached level stands in for a missing one) and asks for the missing ones.
// Fine levels decode a tile's stretch of audio (FFmpeg, seek + read); coarse levels (hop
// above 4 FFT frames) read three FFT frames per column at their times, so that the
// overview of a 2-hour video costs a few thousand short reads, not two hours of decoding.
// Rows on a logarithmic frequency axis (40 Hz to Nyquist), colours over the range (60 dB
// by default, View > Spectrogram Contrast) below the loudest cell seen so far in the file.
#include <QFutureWatcher>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QString>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/media/spectrogram.h"

class QPainter;
class QRect;

namespace avvp::ui {

class TimelineLayout;

// The image of a spectrogram: 128 rows on a log frequency axis, colours over the top 80 dB.
QImage spectrogramImage(const media::Spectrogram& s);

// One computed tile: kColumns x kRows dB values (column-major) on the log frequency axis.
struct SpectrogramTile {
    int level = 0;
    std::int64_t index = 0;
    std::vector<float> db;
    float maxDb = -100.0F;
    bool noAudio = false;  // the file has no audio stream (or cannot be read)
    QString error;
};

class SpectrogramStrip : public QObject {
    Q_OBJECT
  public:
    static constexpr int kColumns = 256;
    static constexpr int kRows = 128;
    static constexpr int kMaxLevel = 14;
    static constexpr int kMaxTiles = 96;
    static constexpr double kFinestColumnSeconds = 0.010;

    explicit SpectrogramStrip(QObject* parent = nullptr);
    ~SpectrogramStrip() override;  // cancels a computation under way

    // The file whose audio is shown ("" clears it); the tiles of another file are dropped.
    void setMedia(const QString& mediaPath);
    QString media() const { return media_; }
    void setShown(bool on);
    bool shown() const { return shown_; }
    // The dB range the colours span below the loudest cell: narrower is more contrast
    // (quiet tones stand out less, loud ones more). Clamped to [kMinRangeDb, kMaxRangeDb].
    static constexpr float kDefaultRangeDb = 60.0F;
    static constexpr float kMinRangeDb = 30.0F;
    static constexpr float kMaxRangeDb = 120.0F;
    void setRangeDb(float db);
    float rangeDb() const { return rangeDb_; }
    // Whether the timeline has a strip: shown and a media file.
    bool visible() const { return shown_ && !media_.isEmpty(); }

    // Asks for the tiles of the layout's visible range (and one on each side); cheap when
    // they are cached.
    void request(const TimelineLayout& layout);
    // Draws the cached tiles of the visible range into `rect`; whether anything was drawn.
    bool paint(QPainter& p, const QRect& rect, const TimelineLayout& layout) const;

    bool pending() const { return running_ || !queue_.empty(); }
    bool ready() const { return !tiles_.isEmpty(); }  // at least one tile
    bool noAudio() const { return noAudio_; }
    // Tiles computed since the media was set, and cached now (tests, the benchmark).
    int computed() const { return computed_; }
    int cached() const { return static_cast<int>(tiles_.size()); }
    // The level a view of `secondsPerPixel` uses: about a column per pixel.
    static int levelFor(double secondsPerPixel);
    static double columnSeconds(int level);
    static double tileSeconds(int level) { return kColumns * columnSeconds(level); }
    // Computes one tile of a file (on any thread; `cancel` stops it).
    static SpectrogramTile computeTile(const std::string& file, int level, std::int64_t index,
                                       const std::atomic<bool>* cancel = nullptr);
    // Blocks (processing events) until no tile is pending; whether there are tiles (tests).
    bool wait(int timeoutMs);

  signals:
    void changed();

  private:
    struct Cached {
        SpectrogramTile tile;
        mutable QImage image;
        mutable float imageTop = 1e9F;  // the reference the image was made with
        mutable float imageRange = 0.0F;
        std::uint64_t used = 0;
    };
    static std::int64_t key(int level, std::int64_t index) {
        return (static_cast<std::int64_t>(level) << 48) | index;
    }
    const QImage& imageOf(const Cached& c) const;
    void startNext();
    void finished();

    QString media_;
    bool shown_ = true;
    bool noAudio_ = false;
    QHash<std::int64_t, Cached> tiles_;
    std::vector<std::pair<int, std::int64_t>> queue_;  // wanted, the most wanted first
    bool running_ = false;
    std::pair<int, std::int64_t> runningTile_{-1, -1};
    std::uint64_t generation_ = 0, runningGeneration_ = 0, clock_ = 0;
    int computed_ = 0;
    float top_ = -1000.0F;  // the loudest cell seen in the file
    float rangeDb_ = kDefaultRangeDb;
    std::shared_ptr<std::atomic<bool>> cancel_;
    QFutureWatcher<SpectrogramTile>* watcher_;
};

}  // namespace avvp::ui

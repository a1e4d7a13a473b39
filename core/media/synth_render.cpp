#include "core/media/synth_render.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>

#include "core/llp_files.h"
#include "core/taxonomy.h"

namespace avvp::media {

namespace {

constexpr int kBoardSide = 5;  // 5 x 5 cells = 25 classes

struct Rgb {
    std::uint8_t r, g, b;
};

// Distinct colours: hues stepped by the golden angle so neighbours in the class order
// differ strongly.
Rgb classColour(int cls) {
    const double h = std::fmod(cls * 137.508, 360.0) / 60.0;
    const double s = 0.75, v = 0.95;
    const double c = v * s, x = c * (1 - std::fabs(std::fmod(h, 2.0) - 1)), m = v - c;
    double r = 0, g = 0, b = 0;
    switch (static_cast<int>(h)) {
        case 0:
            r = c, g = x;
            break;
        case 1:
            r = x, g = c;
            break;
        case 2:
            g = c, b = x;
            break;
        case 3:
            g = x, b = c;
            break;
        case 4:
            r = x, b = c;
            break;
        default:
            r = c, b = x;
            break;
    }
    auto u8 = [m](double k) { return static_cast<std::uint8_t>(std::lround((k + m) * 255)); };
    return {u8(r), u8(g), u8(b)};
}

// The board's geometry inside a frame.
struct Board {
    int x0, y0, cellW, cellH;
    explicit Board(const SynthRenderOptions& o) {
        const int top = o.height / 9, bottom = o.height / 9;
        cellH = (o.height - top - bottom) / kBoardSide;
        cellW = std::min(cellH * 3 / 2, o.width / kBoardSide);
        x0 = (o.width - cellW * kBoardSide) / 2;
        y0 = top;
    }
};

class Canvas {
  public:
    Canvas(std::span<std::uint8_t> rgb, int w, int h) : rgb_(rgb), w_(w), h_(h) {}
    void put(int x, int y, Rgb c) {
        if (x < 0 || y < 0 || x >= w_ || y >= h_) return;
        auto* p = &rgb_[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w_) +
                         static_cast<std::size_t>(x)) *
                        3];
        p[0] = c.r, p[1] = c.g, p[2] = c.b;
    }
    void fill(int x0, int y0, int x1, int y1, Rgb c) {
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) put(x, y, c);
    }

  private:
    std::span<std::uint8_t> rgb_;
    int w_, h_;
};

// 5 x 7 glyphs of the letters of "SYNTHETIC", one row per byte (bit 4 = leftmost).
const std::array<std::uint8_t, 7>& glyph(char ch) {
    static const std::array<std::uint8_t, 7> S{0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E},
        Y{0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04}, N{0x11, 0x19, 0x15, 0x13, 0x11, 0x11, 0x11},
        T{0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}, H{0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11},
        E{0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}, I{0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E},
        C{0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E}, blank{};
    switch (ch) {
        case 'S':
            return S;
        case 'Y':
            return Y;
        case 'N':
            return N;
        case 'T':
            return T;
        case 'H':
            return H;
        case 'E':
            return E;
        case 'I':
            return I;
        case 'C':
            return C;
        default:
            return blank;
    }
}

void drawText(Canvas& c, int x, int y, int scale, const std::string& text, Rgb colour) {
    for (char ch : text) {
        const auto& g = glyph(ch);
        for (int row = 0; row < 7; ++row)
            for (int col = 0; col < 5; ++col)
                if ((g[static_cast<std::size_t>(row)] >> (4 - col)) & 1)
                    c.fill(x + col * scale, y + row * scale, x + (col + 1) * scale,
                           y + (row + 1) * scale, colour);
        x += 6 * scale;
    }
}

bool covers(const std::vector<core::Event>& events, int cls, int segment) {
    return std::any_of(events.begin(), events.end(), [&](const core::Event& e) {
        return e.cls == cls && segment >= e.onset && segment < e.offset;
    });
}

// One class's cell, lit: its colour with a pattern of its own that moves with time.
void drawLitCell(Canvas& c, int x0, int y0, int w, int h, int cls, double t) {
    const Rgb on = classColour(cls);
    const Rgb off{static_cast<std::uint8_t>(on.r / 3), static_cast<std::uint8_t>(on.g / 3),
                  static_cast<std::uint8_t>(on.b / 3)};
    const int phase = static_cast<int>(t * 8);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            bool lit = true;
            switch (cls % 5) {
                case 0:
                    lit = true;
                    break;  // solid
                case 1:
                    lit = ((y + phase) / 3) % 2 == 0;
                    break;  // falling stripes
                case 2:
                    lit = ((x + phase) / 3) % 2 == 0;
                    break;  // moving bars
                case 3:
                    lit = ((x / 4 + y / 4 + phase / 2) % 2) == 0;
                    break;  // checker
                default: {  // pulsing disc
                    const double r = (0.25 + 0.2 * std::sin(t * 6)) * std::min(w, h);
                    const double dx = x - w / 2.0, dy = y - h / 2.0;
                    lit = dx * dx + dy * dy <= r * r + std::min(w, h);
                }
            }
            c.put(x0 + x, y0 + y, lit ? on : off);
        }
    }
    // The centre always shows the class colour, so a reader of the frame can find it.
    c.fill(x0 + w / 2 - 2, y0 + h / 2 - 2, x0 + w / 2 + 2, y0 + h / 2 + 2, on);
}

void drawFrame(std::span<std::uint8_t> rgb, const SynthRenderOptions& o,
               const core::SynthVideo& video, double t, double seconds) {
    Canvas c(rgb, o.width, o.height);
    c.fill(0, 0, o.width, o.height, {24, 26, 30});
    const int segment = static_cast<int>(std::floor(t));
    const Board b(o);
    for (int cls = 0; cls < core::kNumClasses; ++cls) {
        const int x = b.x0 + (cls % kBoardSide) * b.cellW, y = b.y0 + (cls / kBoardSide) * b.cellH;
        if (covers(video.visual, cls, segment))
            drawLitCell(c, x + 1, y + 1, b.cellW - 2, b.cellH - 2, cls, t);
        else
            c.fill(x + 1, y + 1, x + b.cellW - 1, y + b.cellH - 1, {44, 47, 54});
    }
    const int scale = std::max(1, o.height / 90);
    drawText(c, 4, 3, scale, "SYNTHETIC", {235, 190, 60});
    // The segment bar: ten cells, the current one brighter, the playhead in white.
    const int barY = o.height - o.height / 9 + 4, barH = o.height / 9 - 8;
    const int n = static_cast<int>(std::ceil(seconds));
    for (int k = 0; k < n; ++k) {
        const int x0 = k * o.width / n, x1 = (k + 1) * o.width / n;
        c.fill(x0 + 1, barY, x1 - 1, barY + barH,
               k == segment ? Rgb{90, 96, 110} : Rgb{52, 56, 64});
    }
    const int px = static_cast<int>(t / seconds * o.width);
    c.fill(px - 1, barY - 2, px + 1, barY + barH + 2, {250, 250, 250});
}

// The gain of a class's beeps at time t within its segment: on for 60 % of each beat
// (beats per second 2, 4, 6 or 8 by class), with 5 ms raised-cosine edges, and faded in
// and out over 5 ms at the segment's edges.
double beepGain(int cls, double t) {
    const double rate = 2.0 * (1 + cls % 4);
    const double ramp = 0.005;
    const double inBeat = std::fmod(t * rate, 1.0) / rate, on = 0.6 / rate;
    auto edge = [ramp](double d) {
        return d >= ramp ? 1.0 : 0.5 - 0.5 * std::cos(std::numbers::pi * d / ramp);
    };
    if (inBeat >= on) return 0.0;
    const double inSegment = t - std::floor(t);
    return edge(inBeat) * edge(on - inBeat) * edge(inSegment) * edge(1.0 - inSegment);
}

}  // namespace

double synthToneHz(int cls) {
    return 220.0 * std::pow(2.0, cls / 5.0);
}

int synthBoardCell(const SynthRenderOptions& options, int x, int y) {
    const Board b(options);
    if (x < b.x0 || y < b.y0) return -1;
    const int col = (x - b.x0) / b.cellW, row = (y - b.y0) / b.cellH;
    if (col >= kBoardSide || row >= kBoardSide) return -1;
    return row * kBoardSide + col;
}

std::pair<int, int> synthBoardCentre(const SynthRenderOptions& options, int cls) {
    const Board b(options);
    return {b.x0 + (cls % kBoardSide) * b.cellW + b.cellW / 2,
            b.y0 + (cls / kBoardSide) * b.cellH + b.cellH / 2};
}

void renderSynthVideo(const std::filesystem::path& file, const core::SynthVideo& video,
                      const SynthRenderOptions& options, double seconds) {
    VideoWriterOptions w;
    w.width = options.width;
    w.height = options.height;
    w.frameRate = {options.frameRate, 1};
    w.videoCodec = options.videoCodec;
    w.audio = true;
    w.audioCodec = options.videoCodec == VideoCodec::Vp9 ? AudioCodec::Opus : AudioCodec::Aac;
    w.sampleRate = options.sampleRate;
    w.channels = 1;
    const double rate = options.sampleRate;
    renderVideo(
        file, w, seconds,
        [&](std::int64_t, double t, std::span<std::uint8_t> rgb) {
            drawFrame(rgb, options, video, t, seconds);
        },
        [&](std::int64_t first, std::span<float> pcm) {
            for (std::size_t i = 0; i < pcm.size(); ++i) {
                const double t = static_cast<double>(first + static_cast<std::int64_t>(i)) / rate;
                const int segment = static_cast<int>(std::floor(t));
                double sum = 0;
                int heard = 0;
                for (const auto& e : video.audio) {
                    if (segment < e.onset || segment >= e.offset) continue;
                    ++heard;
                    sum += beepGain(e.cls, t) *
                           std::sin(2 * std::numbers::pi * synthToneHz(e.cls) * t);
                }
                pcm[i] = heard ? static_cast<float>(0.3 * sum / std::sqrt(heard)) : 0.0f;
            }
        });
}

void renderSynthVideos(const std::filesystem::path& dir,
                       const std::vector<core::SynthVideo>& videos,
                       const SynthRenderOptions& options,
                       const std::function<void(double)>& progress) {
    std::filesystem::create_directories(dir);
    for (std::size_t i = 0; i < videos.size(); ++i) {
        if (progress) progress(static_cast<double>(i) / static_cast<double>(videos.size()));
        const auto id = std::string(core::featureId(videos[i].filename));
        renderSynthVideo(dir / (id + ".mp4"), videos[i], options);
    }
    if (progress) progress(1.0);
}

}  // namespace avvp::media

#include "core/media/label_video.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <numbers>
#include <span>

#include "core/llp_files.h"

namespace avvp::media {

namespace {

struct Glyph {
    char ch;
    std::array<std::uint8_t, 7> rows;  // 5 bits each, bit 4 = leftmost column
};

// A 5 x 7 pixel font: enough for captions and class names without a font library.
constexpr std::array kFont = {
    Glyph{'A', {0x0e, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11}},
    Glyph{'B', {0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e}},
    Glyph{'C', {0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e}},
    Glyph{'D', {0x1e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1e}},
    Glyph{'E', {0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f}},
    Glyph{'F', {0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10}},
    Glyph{'G', {0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f}},
    Glyph{'H', {0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11}},
    Glyph{'I', {0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e}},
    Glyph{'J', {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c}},
    Glyph{'K', {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11}},
    Glyph{'L', {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f}},
    Glyph{'M', {0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11}},
    Glyph{'N', {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11}},
    Glyph{'O', {0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e}},
    Glyph{'P', {0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10}},
    Glyph{'Q', {0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d}},
    Glyph{'R', {0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11}},
    Glyph{'S', {0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e}},
    Glyph{'T', {0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}},
    Glyph{'U', {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e}},
    Glyph{'V', {0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04}},
    Glyph{'W', {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a}},
    Glyph{'X', {0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11}},
    Glyph{'Y', {0x11, 0x11, 0x0a, 0x04, 0x04, 0x04, 0x04}},
    Glyph{'Z', {0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f}},
    Glyph{'0', {0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e}},
    Glyph{'1', {0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e}},
    Glyph{'2', {0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f}},
    Glyph{'3', {0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e}},
    Glyph{'4', {0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02}},
    Glyph{'5', {0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e}},
    Glyph{'6', {0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e}},
    Glyph{'7', {0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
    Glyph{'8', {0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e}},
    Glyph{'9', {0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c}},
    Glyph{'_', {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1f}},
    Glyph{'-', {0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00}},
    Glyph{'.', {0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c}},
    Glyph{':', {0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00}},
    Glyph{'(', {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02}},
    Glyph{')', {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08}},
};

struct Rgb {
    std::uint8_t r, g, b;
};

// Evenly spread hues, one per class.
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
    auto u8 = [m](double t) { return static_cast<std::uint8_t>(std::lround((t + m) * 255)); };
    return {u8(r), u8(g), u8(b)};
}

class Canvas {
  public:
    Canvas(std::span<std::uint8_t> rgb, int w, int h) : rgb_(rgb), w_(w), h_(h) {}
    void pixel(int x, int y, Rgb c, double alpha = 1.0) {
        if (x < 0 || y < 0 || x >= w_ || y >= h_) return;
        auto* p = &rgb_[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w_) +
                         static_cast<std::size_t>(x)) *
                        3];
        p[0] = static_cast<std::uint8_t>(p[0] * (1 - alpha) + c.r * alpha);
        p[1] = static_cast<std::uint8_t>(p[1] * (1 - alpha) + c.g * alpha);
        p[2] = static_cast<std::uint8_t>(p[2] * (1 - alpha) + c.b * alpha);
    }
    void rect(int x0, int y0, int w, int h, Rgb c, double alpha = 1.0) {
        for (int y = std::max(0, y0); y < std::min(h_, y0 + h); ++y)
            for (int x = std::max(0, x0); x < std::min(w_, x0 + w); ++x) pixel(x, y, c, alpha);
    }
    void disc(double cx, double cy, double radius, Rgb c) {
        for (int y = static_cast<int>(cy - radius - 1); y <= static_cast<int>(cy + radius + 1); ++y)
            for (int x = static_cast<int>(cx - radius - 1); x <= static_cast<int>(cx + radius + 1);
                 ++x) {
                const double d = std::hypot(x + 0.5 - cx, y + 0.5 - cy);
                if (d <= radius + 0.5) pixel(x, y, c, std::clamp(radius + 0.5 - d, 0.0, 1.0));
            }
    }
    // Text with the 5 x 7 font, each font pixel `scale` pixels wide.
    void text(int x, int y, std::string_view s, int scale, Rgb c) {
        for (char raw : s) {
            const char ch = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
            const auto it = std::find_if(kFont.begin(), kFont.end(),
                                         [ch](const Glyph& g) { return g.ch == ch; });
            if (it != kFont.end())
                for (int row = 0; row < 7; ++row)
                    for (int col = 0; col < 5; ++col)
                        if ((it->rows[static_cast<std::size_t>(row)] >> (4 - col)) & 1U)
                            rect(x + col * scale, y + row * scale, scale, scale, c);
            x += 6 * scale;
        }
    }
    static int textWidth(std::string_view s, int scale) {
        return static_cast<int>(s.size()) * 6 * scale - scale;
    }

  private:
    std::span<std::uint8_t> rgb_;
    int w_, h_;
};

bool active(const LabelSpan& e, double t) {
    return t * 1000.0 >= static_cast<double>(e.onsetMs) &&
           t * 1000.0 < static_cast<double>(e.offsetMs);
}

// The class strip's cells in pixels (core::synthStripCell: fractions of the centred
// square), with a pixel of gap between neighbours.
struct CellRect {
    int x, y, w, h;
};
CellRect cellRect(const LabelVideoOptions& o, int cls) {
    const int q = std::min(o.width, o.height);
    const int xs = (o.width - q) / 2, ys = (o.height - q) / 2;
    const auto c = core::synthStripCell(cls);
    auto px = [q](double f) { return static_cast<int>(std::lround(f * q)); };
    const int x0 = xs + px(c.x0), x1 = xs + px(c.x1);
    const int y0 = ys + px(c.y0), y1 = ys + std::max(px(c.y0) + 4, px(c.y1));
    return {x0 + 1, y0, std::max(1, x1 - x0 - 2), y1 - y0};
}

}  // namespace

double classPitch(int cls) {
    return core::synthClassPitch(cls);
}

std::pair<int, int> classCellCentre(const LabelVideoOptions& options, int cls) {
    const auto r = cellRect(options, cls);
    return {r.x + r.w / 2, r.y + r.h / 2};
}

std::vector<LabelSpan> labelSpans(const core::SynthVideo& video) {
    std::vector<LabelSpan> spans;
    for (const auto* list : {&video.audio, &video.visual})
        for (const auto& e : *list)
            spans.push_back({list == &video.audio ? core::Modality::Audio : core::Modality::Visual,
                             e.cls, e.onset * 1000LL, e.offset * 1000LL});
    return spans;
}

void renderSynthVideos(const std::filesystem::path& dir,
                       const std::vector<core::SynthVideo>& videos,
                       const LabelVideoOptions& options, core::Progress* progress) {
    std::filesystem::create_directories(dir);
    for (std::size_t i = 0; i < videos.size(); ++i) {
        core::step(progress, static_cast<double>(i) / static_cast<double>(videos.size()),
                   "video " + std::to_string(i + 1) + " of " + std::to_string(videos.size()));
        const auto id = std::string(core::featureId(videos[i].filename));
        LabelVideoOptions o = options;
        o.caption = "SYNTHETIC " + id;
        const auto part = dir / (id + ".part.mp4");
        renderLabelVideo(part, labelSpans(videos[i]), 10.0, o);
        std::filesystem::rename(part, dir / (id + ".mp4"));
    }
    core::report(progress, 1.0, "rendered");
}

std::vector<LabelSpan> labelSpans(const core::SynthLongVideo& video) {
    std::vector<LabelSpan> spans;
    for (const auto* list : {&video.audio, &video.visual})
        for (const auto& e : *list)
            spans.push_back({list == &video.audio ? core::Modality::Audio : core::Modality::Visual,
                             e.cls, e.onsetMs, e.offsetMs});
    return spans;
}

void renderSynthLongVideos(const std::filesystem::path& dir,
                           const std::vector<core::SynthLongVideo>& videos,
                           const LabelVideoOptions& options, core::Progress* progress) {
    std::filesystem::create_directories(dir);
    for (std::size_t i = 0; i < videos.size(); ++i) {
        core::step(progress, static_cast<double>(i) / static_cast<double>(videos.size()),
                   "video " + std::to_string(i + 1) + " of " + std::to_string(videos.size()));
        LabelVideoOptions o = options;
        o.caption = "SYNTHETIC " + videos[i].id;
        const auto part = dir / (videos[i].id + ".part.mp4");
        renderLabelVideo(part, labelSpans(videos[i]),
                         static_cast<double>(videos[i].durationMs) / 1000.0, o);
        std::filesystem::rename(part, dir / (videos[i].id + ".mp4"));
    }
    core::report(progress, 1.0, "rendered");
}

void renderLabelVideo(const std::filesystem::path& file, const std::vector<LabelSpan>& events,
                      double seconds, const LabelVideoOptions& options) {
    VideoWriterOptions o;
    o.width = options.width;
    o.height = options.height;
    o.frameRate = {options.frameRate, 1};
    o.videoCodec = options.videoCodec;
    o.audio = true;
    o.audioCodec = options.videoCodec == VideoCodec::Vp9 ? AudioCodec::Opus : AudioCodec::Aac;
    o.sampleRate = options.sampleRate;
    o.channels = 1;
    o.quality = 24;
    std::vector<LabelSpan> visual, audio;
    for (const auto& e : events)
        (e.modality == core::Modality::Visual ? visual : audio).push_back(e);
    const int w = options.width, h = options.height;

    auto draw = [&](std::int64_t index, double t, std::span<std::uint8_t> rgb) {
        Canvas c(rgb, w, h);
        // Background: a dark vertical gradient.
        for (int y = 0; y < h; ++y) {
            const auto v = static_cast<std::uint8_t>(22 + 26 * y / h);
            c.rect(0, y, w, 1,
                   {v, static_cast<std::uint8_t>(v + 4), static_cast<std::uint8_t>(v + 14)});
        }
        // The one-second segments along the bottom, the current one lit.
        const int segments = std::max(1, static_cast<int>(std::ceil(seconds - 1e-9)));
        const int seg = std::min(segments - 1, static_cast<int>(t));
        const int barY = h - 14;
        for (int k = 0; k < segments; ++k) {
            const int x0 = 6 + (w - 12) * k / segments, x1 = 6 + (w - 12) * (k + 1) / segments;
            c.rect(x0 + 1, barY, x1 - x0 - 2, 8, k == seg ? Rgb{235, 235, 235} : Rgb{70, 74, 90});
        }
        // Visual events: a shape per class, moving, with its name.
        int slot = 0;
        const auto shown = std::count_if(visual.begin(), visual.end(),
                                         [t](const LabelSpan& e) { return active(e, t); });
        for (const auto& e : visual) {
            if (!active(e, t)) continue;
            // One column per visible class, each shape swaying within its column.
            const Rgb col = classColour(e.cls);
            const double phase = t * (0.6 + 0.15 * (e.cls % 4)) + e.cls;
            const double column =
                static_cast<double>(w) / static_cast<double>(std::max<std::ptrdiff_t>(1, shown));
            const double cx = column * (slot + 0.5) + 0.18 * column * std::sin(phase);
            const double cy = h * (0.45 + 0.1 * (slot % 2)) + 6 * std::cos(phase * 1.7);
            if (e.cls % 2 == 0)
                c.disc(cx, cy, h * 0.11, col);
            else
                c.rect(static_cast<int>(cx - h * 0.1), static_cast<int>(cy - h * 0.1),
                       static_cast<int>(h * 0.2), static_cast<int>(h * 0.2), col);
            const std::string name(core::kClassNames[static_cast<std::size_t>(e.cls)]);
            c.text(static_cast<int>(cx) - Canvas::textWidth(name, 2) / 2,
                   static_cast<int>(cy + h * 0.13), name, 2, col);
            ++slot;
        }
        const std::string clock =
            "T " + std::to_string(index / options.frameRate) + "." +
            std::to_string((index % options.frameRate) * 10 / options.frameRate);
        // Caption and clock at double size when both fit side by side.
        const int scale =
            Canvas::textWidth(options.caption, 2) + Canvas::textWidth(clock, 2) + 30 <= w ? 2 : 1;
        c.rect(0, 0, w, 14 + 10 * scale, {0, 0, 0}, 0.55);
        c.text(10, 10, options.caption, scale, {255, 170, 40});
        c.text(w - 10 - Canvas::textWidth(clock, scale), 10, clock, scale, {220, 220, 220});
        // The class strip, on top of everything: a cell per class, lit in its colour while
        // the class is seen.
        for (int cls = 0; cls < core::kNumClasses; ++cls) {
            const bool seen = std::any_of(visual.begin(), visual.end(), [&](const LabelSpan& e) {
                return e.cls == cls && active(e, t);
            });
            const auto r = cellRect(options, cls);
            c.rect(r.x, r.y, r.w, r.h, seen ? classColour(cls) : Rgb{44, 47, 54});
        }
    };

    auto synth = [&](std::int64_t first, std::span<float> pcm) {
        const double rate = options.sampleRate;
        for (std::size_t i = 0; i < pcm.size(); ++i) {
            const double t = static_cast<double>(first + static_cast<std::int64_t>(i)) / rate;
            double v = 0;
            for (const auto& e : audio) {
                const double on = static_cast<double>(e.onsetMs) / 1000.0,
                             off = static_cast<double>(e.offsetMs) / 1000.0;
                if (t < on || t >= off) continue;
                // 10 ms fades keep the edges click-free.
                const double env = std::min({1.0, (t - on) / 0.01, (off - t) / 0.01});
                const double trem =
                    0.65 + 0.35 * std::sin(2 * std::numbers::pi * core::synthTremoloHz(e.cls) * t);
                v += core::kSynthToneAmplitude * env * trem *
                     std::sin(2 * std::numbers::pi * classPitch(e.cls) * t);
            }
            pcm[i] = static_cast<float>(std::clamp(v, -1.0, 1.0));
        }
    };
    renderVideo(file, o, seconds, draw, synth);
}

}  // namespace avvp::media

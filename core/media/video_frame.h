#pragma once
// A decoded, converted video frame (packed RGB rows) and its place on the time axis.
#include <cstdint>
#include <vector>

namespace avvp::media {

// Rgb24: R,G,B bytes (what feature extraction and most image code want).
// Bgra: B,G,R,255 bytes, i.e. one 0xAARRGGBB word per pixel on little-endian hosts, the
// layout of QImage::Format_RGB32 / Format_ARGB32 that Qt paints without conversion.
enum class PixelFormat { Rgb24, Bgra };
inline int bytesPerPixel(PixelFormat f) {
    return f == PixelFormat::Rgb24 ? 3 : 4;
}

struct VideoFrame {
    double pts = 0.0;       // presentation time, seconds on the media time axis
    double duration = 0.0;  // until the next frame's pts (estimated for the last frame)
    int width = 0, height = 0;
    PixelFormat format = PixelFormat::Rgb24;
    std::vector<std::uint8_t> pixels;  // height rows of width * bytesPerPixel bytes, packed

    int stride() const { return width * bytesPerPixel(format); }
    double end() const { return pts + duration; }
    // The frame's presentation interval [pts, pts + duration) holds t.
    bool covers(double t) const { return t >= pts && t < pts + duration; }
    const std::uint8_t* pixel(int x, int y) const {
        return pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride()) +
               static_cast<std::size_t>(x) * static_cast<std::size_t>(bytesPerPixel(format));
    }
};

}  // namespace avvp::media

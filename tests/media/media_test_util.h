#pragma once
// Helpers of the media tests: a temporary folder, the ffmpeg CLI, and frames that carry
// their own index as big black / white blocks (robust to lossy compression), so a test
// can tell which frame a decoder returned.
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>
#include <sstream>
#include <string>
#include <vector>

namespace avvp::test {

namespace fs = std::filesystem;

class TempDir {
  public:
    explicit TempDir(const std::string& name) {
        path_ = fs::temp_directory_path() / ("avvp_" + name + "_" + std::to_string(::getpid()));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

  private:
    fs::path path_;
};

inline std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

inline int exitCode(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs `ffmpeg -v error -y <args>`; returns its exit code.
inline int ffmpeg(const std::string& args) {
    return exitCode(std::system(("ffmpeg -nostdin -hide_banner -v error -y " + args).c_str()));
}

// 16-bit frame index in a 4 x 8 grid of blocks: rows 0-1 the bits, rows 2-3 their
// complement (a check that the blocks were read right).
inline void drawIndex(std::span<std::uint8_t> rgb, int w, int h, int index) {
    const int bw = w / 8, bh = h / 4;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const int bx = x / bw, by = y / bh;
            std::uint8_t v = 96;
            if (bx < 8 && by < 4) {
                const int bit = (by % 2) * 8 + bx;
                const bool on = ((index >> bit) & 1) != 0;
                v = (on != (by >= 2)) ? 235 : 20;
            }
            auto* p = &rgb[(static_cast<std::size_t>(y) * w + x) * 3];
            p[0] = p[1] = p[2] = v;
        }
}

// The index drawn by drawIndex, or -1 when the blocks do not read consistently.
// `bpp` 3 (RGB24) or 4 (BGRA); w, h the frame size (any scale of the drawn one).
inline int readIndex(const std::uint8_t* px, int w, int h, int bpp) {
    const int bw = w / 8, bh = h / 4;
    auto mean = [&](int bx, int by) {
        long sum = 0, n = 0;
        for (int y = by * bh + bh / 4; y < by * bh + 3 * bh / 4; ++y)
            for (int x = bx * bw + bw / 4; x < bx * bw + 3 * bw / 4; ++x) {
                const auto* p = px + (static_cast<std::size_t>(y) * w + x) * bpp;
                sum += p[0] + p[1] + p[2];
                n += 3;
            }
        return n ? static_cast<double>(sum) / n : 0.0;
    };
    int value = 0;
    for (int bit = 0; bit < 16; ++bit) {
        const int bx = bit % 8, row = bit / 8;
        const bool on = mean(bx, row) > 128;
        const bool check = mean(bx, row + 2) > 128;
        if (on == check) return -1;
        if (on) value |= 1 << bit;
    }
    return value;
}

// Pipes `frames` index frames (w x h, RGB24) at `rate` ("25", "30000/1001") into ffmpeg,
// which encodes them with `outArgs` (codec options and the output file).
inline int ffmpegFromIndexFrames(int w, int h, const std::string& rate, int frames,
                                 const std::string& outArgs, const std::string& extraInputs = "") {
    const std::string cmd =
        "ffmpeg -nostdin -hide_banner -v error -y -f rawvideo -pix_fmt rgb24 -s " +
        std::to_string(w) + "x" + std::to_string(h) + " -framerate " + rate + " -i - " +
        extraInputs + " " + outArgs;
    FILE* pipe = ::popen(cmd.c_str(), "w");
    if (!pipe) return -1;
    std::vector<std::uint8_t> rgb(static_cast<std::size_t>(w) * h * 3);
    for (int i = 0; i < frames; ++i) {
        drawIndex(rgb, w, h, i);
        if (std::fwrite(rgb.data(), 1, rgb.size(), pipe) != rgb.size()) break;
    }
    return exitCode(::pclose(pipe));
}

inline void writeBytes(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
}

inline std::string readBytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace avvp::test

#pragma once
// A log-magnitude spectrogram of a file's audio (mono, Hann-windowed short-time Fourier
// transform through FFmpeg's libavutil/tx real FFT), for the GUI's strip under the audio
// lane. The hop grows for long files so that the result stays below `maxColumns`.
#include <filesystem>
#include <vector>

#include "core/progress.h"

namespace avvp::media {

struct SpectrogramOptions {
    int sampleRate = 16000;     // the audio is resampled to this rate (mono)
    int fftSize = 512;          // a power of two
    double hopSeconds = 0.010;  // at least; longer for long files (see maxColumns)
    int maxColumns = 6000;
    float floorDb = -100.0F;  // magnitudes below this are clamped to it
};

struct Spectrogram {
    int columns = 0;
    int bins = 0;                 // fftSize / 2 + 1, from 0 Hz to sampleRate / 2
    double secondsPerColumn = 0;  // column c is centred at (c + 0.5) * secondsPerColumn
    int sampleRate = 0;
    float maxDb = 0.0F;  // the loudest cell (dB relative to full scale)
    float minDb = 0.0F;
    std::vector<float> db;  // column-major: db[c * bins + b]

    bool empty() const { return columns == 0; }
    float at(int column, int bin) const {
        return db[static_cast<std::size_t>(column) * static_cast<std::size_t>(bins) +
                  static_cast<std::size_t>(bin)];
    }
    double binHz(int bin) const {
        return static_cast<double>(bin) * sampleRate / (2.0 * (bins - 1));
    }
};

// Decodes the whole audio stream and transforms it. Throws MediaError (no audio stream,
// unreadable file, ...). Returns an empty spectrogram once `progress` is cancelled;
// reports the fraction done to it.
Spectrogram computeSpectrogram(const std::filesystem::path& file,
                               const SpectrogramOptions& options = {},
                               core::Progress* progress = nullptr);

// The same on samples in memory (mono, at options.sampleRate).
Spectrogram spectrogramOf(const std::vector<float>& mono, const SpectrogramOptions& options,
                          core::Progress* progress = nullptr);

}  // namespace avvp::media

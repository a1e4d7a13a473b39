#include "core/media/spectrogram.h"

extern "C" {
#include <libavutil/tx.h>
}

#include <algorithm>
#include <cmath>
#include <complex>
#include <memory>
#include <numbers>

#include "core/media/audio_decoder.h"
#include "core/media/media_error.h"

namespace avvp::media {

namespace {

struct TxDeleter {
    void operator()(AVTXContext* c) const { av_tx_uninit(&c); }
};
using TxPtr = std::unique_ptr<AVTXContext, TxDeleter>;

}  // namespace

Spectrogram spectrogramOf(const std::vector<float>& mono, const SpectrogramOptions& options,
                          core::Progress* progress) {
    const int n = options.fftSize;
    if (n < 16 || (n & (n - 1)) != 0 || options.sampleRate <= 0 || options.maxColumns <= 0)
        throw MediaError(
            MediaErrorKind::InvalidArgument, "spectrogram",
            "the FFT size must be a power of two of at least 16 and the rate positive");
    Spectrogram s;
    s.sampleRate = options.sampleRate;
    s.bins = n / 2 + 1;
    const auto samples = static_cast<std::int64_t>(mono.size());
    auto hop = std::max<std::int64_t>(1, std::llround(options.hopSeconds * options.sampleRate));
    hop = std::max(hop, (samples + options.maxColumns - 1) / options.maxColumns);
    s.columns = static_cast<int>((samples + hop - 1) / hop);
    s.secondsPerColumn = static_cast<double>(hop) / options.sampleRate;
    if (s.columns == 0) return s;

    AVTXContext* raw = nullptr;
    av_tx_fn fft = nullptr;
    const float scale = 1.0F;
    if (av_tx_init(&raw, &fft, AV_TX_FLOAT_RDFT, 0, n, &scale, AV_TX_UNALIGNED) < 0 || !raw)
        throw MediaError(MediaErrorKind::InvalidArgument, "spectrogram",
                         "FFmpeg has no real FFT of size " + std::to_string(n));
    TxPtr tx(raw);

    // Hann window; its coherent gain (sum / 2 for a one-sided spectrum) normalises a
    // full-scale sine to 0 dB.
    std::vector<float> window(static_cast<std::size_t>(n));
    double sum = 0.0;
    for (int i = 0; i < n; ++i) {
        window[static_cast<std::size_t>(i)] =
            static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / n));
        sum += window[static_cast<std::size_t>(i)];
    }
    const double norm = 2.0 / sum;
    std::vector<float> in(static_cast<std::size_t>(n) + 2);
    std::vector<std::complex<float>> out(static_cast<std::size_t>(s.bins) + 1);
    s.db.resize(static_cast<std::size_t>(s.columns) * static_cast<std::size_t>(s.bins));
    s.maxDb = options.floorDb;
    s.minDb = 0.0F;
    for (int c = 0; c < s.columns; ++c) {
        if ((c & 255) == 0) {
            if (core::cancelled(progress)) return {};
            core::report(progress, static_cast<double>(c) / s.columns, "spectrogram");
        }
        // The frame is centred on the column centre.
        const std::int64_t centre = static_cast<std::int64_t>(c) * hop + hop / 2;
        const std::int64_t start = centre - n / 2;
        for (int i = 0; i < n; ++i) {
            const std::int64_t k = start + i;
            const float x = (k >= 0 && k < samples) ? mono[static_cast<std::size_t>(k)] : 0.0F;
            in[static_cast<std::size_t>(i)] = x * window[static_cast<std::size_t>(i)];
        }
        fft(tx.get(), out.data(), in.data(), sizeof(float));
        for (int b = 0; b < s.bins; ++b) {
            const double mag = std::abs(out[static_cast<std::size_t>(b)]) * norm;
            const float db =
                std::max(options.floorDb, static_cast<float>(20.0 * std::log10(mag + 1e-12)));
            s.db[static_cast<std::size_t>(c) * static_cast<std::size_t>(s.bins) +
                 static_cast<std::size_t>(b)] = db;
            s.maxDb = std::max(s.maxDb, db);
            s.minDb = std::min(s.minDb, db);
        }
    }
    core::report(progress, 1.0, "spectrogram");
    return s;
}

Spectrogram computeSpectrogram(const std::filesystem::path& file, const SpectrogramOptions& options,
                               core::Progress* progress) {
    AudioDecoder dec(file, {.format = {options.sampleRate, 1}, .allowTruncated = true});
    std::vector<float> mono;
    const double duration = std::max(dec.info().duration, 0.1);
    const auto chunk = static_cast<std::size_t>(options.sampleRate);  // one second per read
    while (dec.read(mono, chunk) > 0) {
        if (core::cancelled(progress)) return {};
        core::report(
            progress,
            0.8 * std::min(1.0, static_cast<double>(mono.size()) / (duration * options.sampleRate)),
            "decoding");
    }
    if (!progress) return spectrogramOf(mono, options);
    core::ProgressRange rest(*progress, 0.8, 1.0);
    return spectrogramOf(mono, options, &rest);
}

}  // namespace avvp::media

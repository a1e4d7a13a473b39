#include "core/media/time_stretch.h"

#include <rubberband/RubberBandStretcher.h>

#include <algorithm>
#include <stdexcept>

namespace avvp::media {

namespace {
constexpr std::size_t kBlock = 1024;  // sample frames handed to the stretcher at a time
}

struct TimeStretcher::Impl {
    std::unique_ptr<RubberBand::RubberBandStretcher> rb;
    std::vector<std::vector<float>> planes;  // deinterleaved scratch, one per channel
    std::vector<float*> ptrs;
    std::size_t toDrop = 0;  // output frames of the start delay still to discard
    bool padded = false;     // the start pad has been fed since the last reset
};

TimeStretcher::TimeStretcher(int sampleRate, int channels)
    : impl_(std::make_unique<Impl>()), channels_(std::max(1, channels)) {
    using RB = RubberBand::RubberBandStretcher;
    impl_->rb = std::make_unique<RB>(
        static_cast<std::size_t>(sampleRate), static_cast<std::size_t>(channels_),
        RB::OptionProcessRealTime | RB::OptionEngineFaster | RB::OptionPitchHighConsistency |
            RB::OptionChannelsTogether);
    impl_->rb->setMaxProcessSize(kBlock);
    impl_->planes.assign(static_cast<std::size_t>(channels_), std::vector<float>(kBlock));
    impl_->ptrs.resize(static_cast<std::size_t>(channels_));
}

TimeStretcher::~TimeStretcher() = default;

void TimeStretcher::setSpeed(double speed) {
    if (!(speed >= 0.25 && speed <= 4.0))
        throw std::invalid_argument("time-stretch speed must be between 0.25 and 4");
    speed_ = speed;
    impl_->rb->setTimeRatio(1.0 / speed);
}

void TimeStretcher::reset() {
    impl_->rb->reset();
    impl_->padded = false;
    impl_->toDrop = 0;
}

void TimeStretcher::retrieve(std::vector<float>& out) {
    auto& d = *impl_;
    const auto ch = static_cast<std::size_t>(channels_);
    while (true) {
        const int avail = d.rb->available();
        if (avail <= 0) return;  // 0: needs more input; -1: everything retrieved
        const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(avail), kBlock);
        for (std::size_t c = 0; c < ch; ++c) d.ptrs[c] = d.planes[c].data();
        const std::size_t got = d.rb->retrieve(d.ptrs.data(), n);
        std::size_t first = std::min(got, d.toDrop);
        d.toDrop -= first;
        for (std::size_t i = first; i < got; ++i)
            for (std::size_t c = 0; c < ch; ++c) out.push_back(d.planes[c][i]);
        if (got == 0) return;
    }
}

void TimeStretcher::process(std::span<const float> interleaved, bool final,
                            std::vector<float>& out) {
    auto& d = *impl_;
    const auto ch = static_cast<std::size_t>(channels_);
    if (!d.padded) {
        // Real-time mode: pad the start with silence and drop the delay it causes, so the
        // first output sample is the first input sample.
        std::size_t pad = d.rb->getPreferredStartPad();
        d.toDrop = d.rb->getStartDelay();
        d.padded = true;
        for (auto& p : d.planes) std::fill(p.begin(), p.end(), 0.0f);
        while (pad > 0) {
            const std::size_t n = std::min(pad, kBlock);
            for (std::size_t c = 0; c < ch; ++c) d.ptrs[c] = d.planes[c].data();
            d.rb->process(d.ptrs.data(), n, false);
            pad -= n;
            retrieve(out);
        }
    }
    const std::size_t frames = interleaved.size() / ch;
    std::size_t done = 0;
    do {
        const std::size_t n = std::min(frames - done, kBlock);
        for (std::size_t c = 0; c < ch; ++c) {
            for (std::size_t i = 0; i < n; ++i) d.planes[c][i] = interleaved[(done + i) * ch + c];
            d.ptrs[c] = d.planes[c].data();
        }
        done += n;
        const bool last = final && done == frames;
        d.rb->process(d.ptrs.data(), n, last);
        retrieve(out);
    } while (done < frames);
}

std::vector<float> timeStretch(std::span<const float> interleaved, int sampleRate, int channels,
                               double speed) {
    TimeStretcher s(sampleRate, channels);
    s.setSpeed(speed);
    std::vector<float> out;
    out.reserve(static_cast<std::size_t>(static_cast<double>(interleaved.size()) / speed) + 4096);
    s.process(interleaved, true, out);
    return out;
}

}  // namespace avvp::media

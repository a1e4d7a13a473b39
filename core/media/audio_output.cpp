#include "core/media/audio_output.h"

#include <algorithm>
#include <cmath>

namespace avvp::media {

NullAudioOutput::NullAudioOutput(AudioFormat format, double bufferSeconds, bool capture)
    : format_(format),
      bufferFrames_(std::max<std::int64_t>(
          1, static_cast<std::int64_t>(std::llround(bufferSeconds * format.sampleRate)))),
      capture_(capture) {}

std::int64_t NullAudioOutput::playedLocked() const {
    std::int64_t played = playedBefore_;
    if (started_ && !paused_) {
        const double s = std::chrono::duration<double>(Clock::now() - since_).count();
        played += static_cast<std::int64_t>(s * format_.sampleRate);
    }
    return std::min(played, written_);  // a device cannot play what it was not given
}

std::size_t NullAudioOutput::write(std::span<const float> interleaved) {
    std::lock_guard lock(mutex_);
    const auto ch = static_cast<std::size_t>(format_.channels);
    const std::int64_t queued = written_ - playedLocked();
    const auto room = static_cast<std::size_t>(std::max<std::int64_t>(0, bufferFrames_ - queued));
    const std::size_t frames = std::min(room, interleaved.size() / ch);
    if (frames == 0) return 0;
    if (!started_ || (!paused_ && playedLocked() >= written_)) {
        // Starting, or starved: the clock restarts at what has been played.
        playedBefore_ = playedLocked();
        since_ = Clock::now();
        started_ = true;
    }
    written_ += static_cast<std::int64_t>(frames);
    if (capture_)
        captured_.insert(captured_.end(), interleaved.begin(),
                         interleaved.begin() + static_cast<std::ptrdiff_t>(frames * ch));
    return frames;
}

std::int64_t NullAudioOutput::framesPlayed() const {
    std::lock_guard lock(mutex_);
    return playedLocked();
}

void NullAudioOutput::setPaused(bool paused) {
    std::lock_guard lock(mutex_);
    if (paused == paused_) return;
    playedBefore_ = playedLocked();
    since_ = Clock::now();
    paused_ = paused;
}

void NullAudioOutput::reset() {
    std::lock_guard lock(mutex_);
    started_ = false;
    playedBefore_ = 0;
    written_ = 0;
    captured_.clear();
}

std::vector<float> NullAudioOutput::captured() const {
    std::lock_guard lock(mutex_);
    return captured_;
}

std::int64_t NullAudioOutput::framesWritten() const {
    std::lock_guard lock(mutex_);
    return written_;
}

PullAudioOutput::PullAudioOutput(AudioFormat format, double bufferSeconds)
    : format_(format),
      capacity_(static_cast<std::size_t>(std::max(1.0, bufferSeconds * format.sampleRate)) *
                static_cast<std::size_t>(format.channels)) {}

std::size_t PullAudioOutput::write(std::span<const float> interleaved) {
    std::lock_guard lock(mutex_);
    const auto ch = static_cast<std::size_t>(format_.channels);
    const std::size_t room = capacity_ > fifo_.size() ? (capacity_ - fifo_.size()) / ch : 0;
    const std::size_t frames = std::min(room, interleaved.size() / ch);
    fifo_.insert(fifo_.end(), interleaved.begin(),
                 interleaved.begin() + static_cast<std::ptrdiff_t>(frames * ch));
    return frames;
}

std::int64_t PullAudioOutput::framesPlayed() const {
    std::lock_guard lock(mutex_);
    return std::max<std::int64_t>(0, pulled_ - latency_);
}

void PullAudioOutput::setPaused(bool paused) {
    std::lock_guard lock(mutex_);
    paused_ = paused;
}

void PullAudioOutput::reset() {
    std::lock_guard lock(mutex_);
    fifo_.clear();
    pulled_ = 0;
    latency_ = 0;
}

std::size_t PullAudioOutput::pull(std::span<float> out) {
    std::lock_guard lock(mutex_);
    const auto ch = static_cast<std::size_t>(format_.channels);
    const std::size_t want = out.size() / ch;
    std::size_t frames = 0;
    if (!paused_) {
        frames = std::min(want, fifo_.size() / ch);
        std::copy_n(fifo_.begin(), frames * ch, out.begin());
        fifo_.erase(fifo_.begin(), fifo_.begin() + static_cast<std::ptrdiff_t>(frames * ch));
        pulled_ += static_cast<std::int64_t>(frames);
        if (frames < want) ++underruns_;
    }
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(frames * ch), out.end(), 0.0f);
    return frames;
}

void PullAudioOutput::setDeviceLatency(std::int64_t frames) {
    std::lock_guard lock(mutex_);
    latency_ = std::max<std::int64_t>(0, frames);
}

std::int64_t PullAudioOutput::underruns() const {
    std::lock_guard lock(mutex_);
    return underruns_;
}

}  // namespace avvp::media

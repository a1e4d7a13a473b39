#pragma once
// Where the player sends audio, and where its master clock comes from.
//
// The player's audio thread decodes PCM in the output's format() and write()s it; the
// clock is the time of the first sample written since the last reset() plus
// framesPlayed() / rate. So an implementation's framesPlayed() must count what the
// listener has actually heard (subtract the device's own buffer when it can tell).
// Every method may be called from the player's threads: implementations synchronise
// themselves.
//
// Provided here: NullAudioOutput (plays nothing, consumes in real time: a wall-clock
// device for machines without sound and for tests) and PullAudioOutput (a FIFO for
// devices that pull, e.g. a QIODevice handed to QAudioSink::start() by the GUI).
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <span>
#include <vector>

#include "core/media/audio_decoder.h"

namespace avvp::media {

class AudioOutput {
  public:
    virtual ~AudioOutput() = default;
    // The rate and channel count the device plays (fixed for the output's lifetime).
    virtual AudioFormat format() const = 0;
    // Queues interleaved samples; returns the sample frames accepted (fewer when the
    // device's buffer is full: the player retries a few milliseconds later).
    virtual std::size_t write(std::span<const float> interleaved) = 0;
    // Sample frames played since the last reset().
    virtual std::int64_t framesPlayed() const = 0;
    // Stops / resumes consuming; queued samples stay.
    virtual void setPaused(bool paused) = 0;
    // Drops everything queued and restarts framesPlayed() at 0 (paused state kept).
    virtual void reset() = 0;
};

// Consumes samples at the real-time rate without playing them. Keeps at most
// `bufferSeconds` queued. With capture on it also keeps every sample written since the
// last reset (for tests).
class NullAudioOutput : public AudioOutput {
  public:
    explicit NullAudioOutput(AudioFormat format = {48000, 2}, double bufferSeconds = 0.2,
                             bool capture = false);

    AudioFormat format() const override { return format_; }
    std::size_t write(std::span<const float> interleaved) override;
    std::int64_t framesPlayed() const override;
    void setPaused(bool paused) override;
    void reset() override;

    std::vector<float> captured() const;  // interleaved, since the last reset()
    std::int64_t framesWritten() const;

  private:
    using Clock = std::chrono::steady_clock;
    std::int64_t playedLocked() const;

    AudioFormat format_;
    std::int64_t bufferFrames_;
    bool capture_;
    mutable std::mutex mutex_;
    bool paused_ = false;
    bool started_ = false;           // the clock runs from the first write after a reset
    Clock::time_point since_{};      // when the running stretch began
    std::int64_t playedBefore_ = 0;  // frames played before that stretch
    std::int64_t written_ = 0;
    std::vector<float> captured_;
};

// A FIFO between the player (write) and a device that pulls (pull). framesPlayed() is
// what has been pulled minus setDeviceLatency(), the samples the device still holds.
class PullAudioOutput : public AudioOutput {
  public:
    explicit PullAudioOutput(AudioFormat format, double bufferSeconds = 0.25);

    AudioFormat format() const override { return format_; }
    std::size_t write(std::span<const float> interleaved) override;
    std::int64_t framesPlayed() const override;
    void setPaused(bool paused) override;
    void reset() override;

    // Device side: fills `out` (interleaved) and returns the sample frames of real audio
    // in it; the rest is silence (nothing queued, or paused).
    std::size_t pull(std::span<float> out);
    // Sample frames pulled but not yet heard (the device's buffer), updated by the device.
    void setDeviceLatency(std::int64_t frames);
    std::int64_t underruns() const;  // pulls that found fewer samples than asked while playing

  private:
    AudioFormat format_;
    std::size_t capacity_;  // floats
    mutable std::mutex mutex_;
    std::deque<float> fifo_;
    bool paused_ = false;
    std::int64_t pulled_ = 0;
    std::int64_t latency_ = 0;
    std::int64_t underruns_ = 0;
};

}  // namespace avvp::media

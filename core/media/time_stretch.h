#pragma once
// Playback at another speed with the pitch kept: a streaming time-stretcher over Debian's
// librubberband (real-time mode), for the player's audio thread and for tests.
//
//   TimeStretcher s(48000, 2);
//   s.setSpeed(0.5);                       // twice as long, same pitch
//   s.process(chunk, false, out);          // appends what is ready to `out`
//   s.process({}, true, out);              // at the end of the input: the rest
//
// The output is aligned with the input (the stretcher's start delay is dropped), so the
// n-th output sample frame plays media time n · speed / sampleRate after the first input.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace avvp::media {

class TimeStretcher {
  public:
    TimeStretcher(int sampleRate, int channels);
    ~TimeStretcher();
    TimeStretcher(const TimeStretcher&) = delete;
    TimeStretcher& operator=(const TimeStretcher&) = delete;

    // Speed 0.25 to 4 (std::invalid_argument outside): the output lasts input / speed.
    void setSpeed(double speed);
    double speed() const { return speed_; }
    // Forgets all input (after a seek); the speed stays.
    void reset();
    // Feeds interleaved samples and appends the interleaved output that is ready. `final`:
    // the input ends here, flush everything.
    void process(std::span<const float> interleaved, bool final, std::vector<float>& out);

  private:
    void retrieve(std::vector<float>& out);

    struct Impl;
    std::unique_ptr<Impl> impl_;
    int channels_;
    double speed_ = 1.0;
};

// The whole of `interleaved` at `speed`, pitch kept (tests, offline use).
std::vector<float> timeStretch(std::span<const float> interleaved, int sampleRate, int channels,
                               double speed);

}  // namespace avvp::media

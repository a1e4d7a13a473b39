#pragma once
// A playback engine without any GUI: decode threads, a bounded frame queue, A/V clock.
//
//   NullAudioOutput silent;                        // or the GUI's QAudioSink adapter
//   Player p("clip.mp4", {.width = 960, .format = PixelFormat::Bgra}, &silent);
//   p.play();
//   // in the GUI's paint timer (any rate; 60 Hz is plenty):
//   if (auto f = p.currentFrame()) paint(*f);   // the frame due now
//
// Threads: one decodes and converts video into a queue of `queueFrames` frames, one
// decodes audio into the AudioOutput. The master clock is the audio output's when the
// file has audio and an output was given; otherwise a wall clock (scaled by the rate).
// At rates other than 1 the audio is time-stretched with its pitch kept (TimeStretcher,
// librubberband), and the clock counts each sample played as `rate` samples of media.
// currentFrame() hands out the latest frame whose pts is due on the clock; frames that
// were never shown because a later one was already due count as dropped (the decode
// thread also skips converting frames that are late before they are queued).
//
// Controls return at once; seeking happens on the decode thread. After a seek (or a
// step) the exact frame of the new position appears in currentFrame() as soon as it
// is decoded, and onUpdate() is called; playback resumes from there with audio and
// video together. All public methods are thread-safe.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/media/audio_output.h"
#include "core/media/media_info.h"
#include "core/media/video_decoder.h"

namespace avvp::media {

struct PlayerOptions {
    int width = 0;  // display size, as VideoDecoderOptions (0 x 0: the video's size)
    int height = 0;
    PixelFormat format = PixelFormat::Bgra;
    Scaling scaling = Scaling::Bilinear;
    std::size_t queueFrames = 8;  // decoded frames kept ahead of the display
    int decoderThreads = 0;       // 0 = FFmpeg's choice for this machine
    bool audio = true;            // play the audio stream (when there is one and an output)
    bool allowTruncated = true;   // play what there is of a cut-off file
};

enum class PlayerState { Paused, Playing, Ended };

struct PlayerStats {
    std::int64_t framesDecoded = 0;  // decoded by the video thread
    std::int64_t framesShown = 0;    // became the current frame
    std::int64_t framesDropped = 0;  // decoded but never shown (late)
    std::int64_t framesLate = 0;     // shown after their display interval had ended
    std::int64_t seeks = 0;
};

class Player {
  public:
    // Opens the file (throws MediaError like the decoders). `audio` is borrowed and must
    // outlive the player; nullptr plays silently on the wall clock. Starts paused at 0.
    Player(const std::filesystem::path& file, PlayerOptions options = {},
           AudioOutput* audio = nullptr);
    ~Player();
    Player(const Player&) = delete;
    Player& operator=(const Player&) = delete;

    const MediaInfo& info() const;
    double duration() const;

    void play();  // from the end: starts again at 0
    void pause();
    void togglePlay();
    PlayerState state() const;

    // Moves to t (clamped to [0, duration]); keeps playing or paused as it was.
    void seek(double t);
    // One frame forward (n > 0) or back (n < 0), n times; pauses.
    void stepFrames(int n);
    // To the next (n > 0) or previous (n < 0) segment boundary (multiples of `segment`
    // seconds), n times; keeps playing or paused.
    void stepSegments(int n, double segment = 1.0);
    // Playback rate 0.25 to 2 (std::invalid_argument outside); the sound keeps its pitch.
    void setRate(double rate);
    double rate() const;

    // The playback clock in seconds.
    double position() const;
    // The frame to display now (nullptr before the first frame and for audio-only files).
    std::shared_ptr<const VideoFrame> currentFrame();
    // Changes the display size; the current frame is decoded again at the new size.
    void setDisplaySize(int width, int height);

    // Called from a player thread when a seek or step has its frame, and when playback
    // ends or fails. Keep it short (post an event to the GUI thread).
    void setOnUpdate(std::function<void()> callback);
    // Waits until no seek is pending and the frame for it is current-able (tests, CLI).
    bool waitIdle(double timeoutSeconds = 5.0);

    PlayerStats stats() const;
    // A decode error that stopped playback ("<file>: <reason>"), or "".
    std::string error() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace avvp::media

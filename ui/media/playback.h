#pragma once
// Playback of the current video for the GUI: the media engine's Player, audio through
// QAudioSink (pull mode over media::PullAudioOutput) when the system has an output
// device and through a silent wall clock otherwise (offscreen, Xvfb, servers), and the
// keyboard semantics of the transport (J/K/L, segment and frame steps, speeds, audio-only
// and video-only checking).
#include <QObject>
#include <QString>
#include <memory>
#include <span>

#include "core/media/player.h"

class QAudioSink;
class QIODevice;
class QTimer;

namespace avvp::media {
class PullAudioOutput;
class NullAudioOutput;
struct VideoFrame;
}  // namespace avvp::media

namespace avvp::ui {

class Playback : public QObject {
    Q_OBJECT
  public:
    // What is checked: both streams, only the sound (picture hidden) or only the picture
    // (sound muted).
    enum class Mode { Both, AudioOnly, VideoOnly };
    Q_ENUM(Mode)

    explicit Playback(QObject* parent = nullptr);
    ~Playback() override;

    // Use the system's audio device when there is one (default: on; never with
    // AVVP_NO_AUDIO set). Takes effect at the next open().
    void setAudioEnabled(bool on);

    // Opens a media file (closing the current one), paused at 0. False with error() set
    // when the file cannot be played.
    bool open(const QString& file);
    void close();
    bool isOpen() const { return player_ != nullptr; }
    QString file() const { return file_; }
    QString error() const { return error_; }
    bool hasVideo() const;
    bool hasAudio() const;
    // A device plays the sound (false: silent wall clock).
    bool audible() const { return sink_ != nullptr; }

    double duration() const;
    double position() const;
    double frameDuration() const;  // of the video stream (1/25 s when unknown)
    bool playing() const;
    double rate() const;
    // The speeds of the transport's menu and of slower() / faster(): 0.5× to 2×.
    static std::span<const double> speeds();
    Mode mode() const { return mode_; }
    bool looping() const { return loopEnd_ > loopStart_; }
    double loopStart() const { return loopStart_; }
    double loopEnd() const { return loopEnd_; }
    std::shared_ptr<const media::VideoFrame> currentFrame();
    // Decode size of the frames, as stored (before the rotation).
    void setDisplaySize(int width, int height);
    // Width / height of the picture as shown (pixel aspect and rotation applied; 0 without
    // video) and the clockwise degrees the stored frames are turned by for display.
    double displayAspect() const;
    int rotation() const;

  public slots:
    void play();
    void pause();
    void togglePlay();
    void seek(double seconds);
    void stepFrames(int n);
    void stepSegments(int n);
    // Playback speed, clamped to 0.5-2×; the sound is time-stretched with its pitch kept.
    void setRate(double rate);
    // One step down / up the speeds() ([ and ]), and back to 1× (\).
    void slower();
    void faster();
    void normalSpeed();
    void setMode(avvp::ui::Playback::Mode mode);
    void goToStart();
    void goToEnd();
    // J: back 5 s, or slower when playing fast; K: pause; L: play, again: faster (to 2×).
    void shuttleBack();
    void shuttleStop();
    void shuttleForward();
    // Loops [onset, offset) (seconds): plays from the onset (or from the position when it
    // is inside), and back to the onset whenever the position reaches the offset, until
    // clearLoop() (or open / close). An empty range clears the loop.
    void setLoop(double onset, double offset);
    void clearLoop();

  signals:
    void opened();
    void closed();
    // The picture to show changed (a new frame is due, a seek has its frame).
    void frameChanged();
    // The playback position (while playing about 30 times a second).
    void positionChanged(double seconds);
    void stateChanged(bool playing);
    void rateChanged(double rate);
    void modeChanged(avvp::ui::Playback::Mode mode);
    void failed(const QString& message);
    void loopChanged(bool on);

  private:
    void tick();
    void onPlayerUpdate();
    void startSink();
    void applyVolume();

    std::unique_ptr<media::PullAudioOutput> pull_;
    std::unique_ptr<QIODevice> device_;
    QAudioSink* sink_ = nullptr;
    std::unique_ptr<media::Player> player_;
    QTimer* timer_;
    QString file_;
    QString error_;
    Mode mode_ = Mode::Both;
    bool audioEnabled_ = true;
    bool wasPlaying_ = false;
    double lastPosition_ = -1;
    double loopStart_ = 0;
    double loopEnd_ = 0;  // <= loopStart_: no loop
    int bytesPerFrame_ = 8;
};

}  // namespace avvp::ui

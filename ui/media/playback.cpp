#include "ui/media/playback.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QIODevice>
#include <QMediaDevices>
#include <QTimer>
#include <algorithm>
#include <array>
#include <span>

#include "core/media/audio_output.h"
#include "core/media/media_error.h"
#include "core/quote.h"

namespace avvp::ui {

namespace {

constexpr int kRate = 48000;
constexpr int kChannels = 2;
constexpr std::array<double, 5> kRates = {0.5, 1.0, 1.5, 2.0, 2.0};  // L's steps
constexpr std::array<double, 6> kSpeeds = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0};

// What QAudioSink pulls from: the media engine's FIFO, silence when it runs dry.
class PullDevice : public QIODevice {
  public:
    explicit PullDevice(media::PullAudioOutput* out) : out_(out) {}
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return 1 << 16; }

  protected:
    qint64 readData(char* data, qint64 maxSize) override {
        const auto frames = static_cast<std::size_t>(maxSize) / (sizeof(float) * kChannels);
        if (frames == 0) return 0;
        out_->pull(std::span<float>(reinterpret_cast<float*>(data), frames * kChannels));
        return static_cast<qint64>(frames * sizeof(float) * kChannels);
    }
    qint64 writeData(const char*, qint64) override { return -1; }

  private:
    media::PullAudioOutput* out_;
};

}  // namespace

void Playback::setAudioEnabled(bool on) {
    audioEnabled_ = on && qEnvironmentVariableIsEmpty("AVVP_NO_AUDIO");
}

Playback::Playback(QObject* parent) : QObject(parent) {
    setAudioEnabled(true);
    timer_ = new QTimer(this);
    timer_->setTimerType(Qt::PreciseTimer);
    timer_->setInterval(16);
    connect(timer_, &QTimer::timeout, this, &Playback::tick);
}

Playback::~Playback() {
    close();
}

bool Playback::open(const QString& file) {
    close();
    error_.clear();
    QAudioDevice device;
    QAudioFormat format;
    format.setSampleRate(kRate);
    format.setChannelCount(kChannels);
    format.setSampleFormat(QAudioFormat::Float);
    if (audioEnabled_) {
        device = QMediaDevices::defaultAudioOutput();
        if (!device.isNull() && !device.isFormatSupported(format)) device = QAudioDevice();
    }
    auto makePlayer = [&](media::AudioOutput* out) {
        media::PlayerOptions o;
        o.format = media::PixelFormat::Bgra;
        o.width = 640;  // until the view says how large it is
        return std::make_unique<media::Player>(file.toStdString(), o, out);
    };
    try {
        if (!device.isNull()) {
            pull_ = std::make_unique<media::PullAudioOutput>(media::AudioFormat{kRate, kChannels},
                                                             0.25);
            player_ = makePlayer(pull_.get());
            if (player_->info().hasAudio()) {
                device_ = std::make_unique<PullDevice>(pull_.get());
                device_->open(QIODevice::ReadOnly);
                sink_ = new QAudioSink(device, format, this);
                sink_->setBufferSize(kRate * kChannels * static_cast<int>(sizeof(float)) / 10);
                sink_->start(device_.get());
                if (sink_->error() != QAudio::NoError || sink_->state() == QAudio::StoppedState) {
                    // No usable device after all: play silently on the wall clock.
                    delete sink_;
                    sink_ = nullptr;
                    device_.reset();
                }
            }
            if (!sink_) {
                player_.reset();
                pull_.reset();
            }
        }
        if (!player_) player_ = makePlayer(nullptr);
    } catch (const std::exception& e) {
        error_ = QString::fromStdString(avvp::core::oneLine(e.what()));
        close();
        emit failed(error_);
        return false;
    }
    file_ = file;
    bytesPerFrame_ = kChannels * static_cast<int>(sizeof(float));
    player_->setOnUpdate([this] {
        QMetaObject::invokeMethod(this, &Playback::onPlayerUpdate, Qt::QueuedConnection);
    });
    applyVolume();
    lastPosition_ = -1;
    wasPlaying_ = false;
    emit opened();
    emit rateChanged(1.0);
    emit positionChanged(0.0);
    emit frameChanged();
    return true;
}

void Playback::close() {
    clearLoop();
    timer_->stop();
    const bool had = player_ != nullptr;
    if (sink_) {
        sink_->stop();
        delete sink_;
        sink_ = nullptr;
    }
    player_.reset();  // joins the decode threads before the output goes
    device_.reset();
    pull_.reset();
    file_.clear();
    if (wasPlaying_) {
        wasPlaying_ = false;
        emit stateChanged(false);
    }
    if (had) {
        emit closed();
        emit frameChanged();
    }
}

bool Playback::hasVideo() const {
    return player_ && player_->info().hasVideo();
}

bool Playback::hasAudio() const {
    return player_ && player_->info().hasAudio();
}

double Playback::duration() const {
    return player_ ? player_->duration() : 0.0;
}

double Playback::position() const {
    return player_ ? player_->position() : 0.0;
}

double Playback::frameDuration() const {
    if (hasVideo()) {
        const auto r = player_->info().video().frameRate;
        if (r.valid()) return 1.0 / r.value();
    }
    return 1.0 / 25.0;
}

bool Playback::playing() const {
    return player_ && player_->state() == media::PlayerState::Playing;
}

double Playback::rate() const {
    return player_ ? player_->rate() : 1.0;
}

std::shared_ptr<const media::VideoFrame> Playback::currentFrame() {
    return player_ ? player_->currentFrame() : nullptr;
}

double Playback::displayAspect() const {
    return player_ ? player_->info().displayAspect() : 0.0;
}

int Playback::rotation() const {
    return hasVideo() ? player_->info().video().rotation : 0;
}

void Playback::setDisplaySize(int width, int height) {
    if (player_ && width > 1 && height > 1) player_->setDisplaySize(width & ~1, height & ~1);
}

void Playback::play() {
    if (!player_) return;
    player_->play();
    tick();
}

void Playback::pause() {
    if (!player_) return;
    player_->pause();
    tick();
}

void Playback::togglePlay() {
    if (playing())
        pause();
    else
        play();
}

void Playback::seek(double seconds) {
    if (!player_) return;
    player_->seek(std::clamp(seconds, 0.0, duration()));
    emit positionChanged(std::clamp(seconds, 0.0, duration()));
}

void Playback::stepFrames(int n) {
    if (!player_) return;
    player_->stepFrames(n);
    tick();
}

void Playback::stepSegments(int n) {
    if (!player_) return;
    player_->stepSegments(n);
    tick();
}

void Playback::setRate(double rate) {
    if (!player_) return;
    rate = std::clamp(rate, kSpeeds.front(), kSpeeds.back());
    player_->setRate(rate);
    emit rateChanged(rate);
}

std::span<const double> Playback::speeds() {
    return kSpeeds;
}

void Playback::slower() {
    const auto it = std::lower_bound(kSpeeds.begin(), kSpeeds.end(), rate() - 1e-9);
    setRate(it == kSpeeds.begin() ? kSpeeds.front() : *(it - 1));
}

void Playback::faster() {
    const auto it = std::upper_bound(kSpeeds.begin(), kSpeeds.end(), rate() + 1e-9);
    setRate(it == kSpeeds.end() ? kSpeeds.back() : *it);
}

void Playback::normalSpeed() {
    setRate(1.0);
}

void Playback::setMode(Mode mode) {
    if (mode == mode_) return;
    mode_ = mode;
    applyVolume();
    emit modeChanged(mode);
    emit frameChanged();
}

void Playback::applyVolume() {
    if (sink_) sink_->setVolume(mode_ == Mode::VideoOnly ? 0.0 : 1.0);
}

void Playback::goToStart() {
    seek(0.0);
}

void Playback::goToEnd() {
    if (!player_) return;
    // The last frame: a hair before the end.
    seek(std::max(0.0, duration() - frameDuration() / 2));
}

void Playback::shuttleBack() {
    if (!player_) return;
    if (playing() && rate() > 1.0) {
        setRate(rate() >= 2.0 ? 1.5 : 1.0);
        return;
    }
    seek(std::max(0.0, position() - 5.0));
}

void Playback::shuttleStop() {
    pause();
}

void Playback::shuttleForward() {
    if (!player_) return;
    if (!playing()) {
        if (rate() != 1.0) setRate(1.0);
        play();
        return;
    }
    const auto it = std::upper_bound(kRates.begin(), kRates.end() - 1, rate());
    setRate(*it);
}

void Playback::setLoop(double onset, double offset) {
    if (!player_) return;
    onset = std::clamp(onset, 0.0, duration());
    offset = std::clamp(offset, 0.0, duration());
    if (offset <= onset) {
        clearLoop();
        return;
    }
    loopStart_ = onset;
    loopEnd_ = offset;
    const double pos = position();
    if (pos < onset || pos >= offset) seek(onset);
    emit loopChanged(true);
    if (!playing()) play();
}

void Playback::clearLoop() {
    if (!looping()) return;
    loopStart_ = loopEnd_ = 0;
    emit loopChanged(false);
}

void Playback::onPlayerUpdate() {
    if (!player_) return;
    tick();
}

void Playback::tick() {
    if (!player_) return;
    bool isPlaying = playing();
    double pos = player_->position();
    // The loop: back to the onset once the offset is reached (within one tick, 16 ms),
    // also when the offset is the end of the video, where the player stopped.
    if (looping() && (isPlaying || wasPlaying_) && pos >= loopEnd_ - 1e-6) {
        player_->seek(loopStart_);
        if (!isPlaying) player_->play();
        isPlaying = true;
        pos = loopStart_;
    }
    if (isPlaying && !timer_->isActive()) timer_->start();
    if (!isPlaying && timer_->isActive()) timer_->stop();
    if (sink_) pull_->setDeviceLatency((sink_->bufferSize() - sink_->bytesFree()) / bytesPerFrame_);
    emit frameChanged();
    if (pos != lastPosition_) {
        lastPosition_ = pos;
        emit positionChanged(pos);
    }
    if (isPlaying != wasPlaying_) {
        wasPlaying_ = isPlaying;
        emit stateChanged(isPlaying);
    }
    if (!player_->error().empty() && error_.isEmpty()) {
        error_ = QString::fromStdString(player_->error());
        emit failed(error_);
    }
}

}  // namespace avvp::ui

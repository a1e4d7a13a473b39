#include "core/media/player.h"

#include "core/media/time_stretch.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace avvp::media {

namespace {
using Clock = std::chrono::steady_clock;
constexpr double kSlack = 1e-9;
}  // namespace

struct Player::Impl {
    struct Queued {
        std::shared_ptr<VideoFrame> frame;
        bool exact = false;  // the frame a seek asked for: shown whatever the clock says
    };

    PlayerOptions opt;
    AudioOutput* out = nullptr;
    std::unique_ptr<VideoDecoder> vdec;
    std::unique_ptr<AudioDecoder> adec;
    MediaInfo info;
    double duration = 0;
    double nominalFrame = 1.0 / 25;
    bool audioOn = false;
    int sampleRate = 48000;
    int channels = 2;

    mutable std::mutex m;
    std::condition_variable videoCv, audioCv, idleCv;
    bool quit = false;
    PlayerState state = PlayerState::Paused;
    double rate = 1.0;
    double pausedAt = 0;  // the clock while not running
    // Wall clock (no audio, after the audio has ended).
    double wallBase = 0;
    Clock::time_point wallStart{};
    // Audio clock.
    double audioBase = 0;           // media time of the first sample written since the reset
    std::int64_t audioWritten = 0;  // sample frames written since the reset
    double audioRate = 1.0;         // the rate those samples were stretched to
    bool audioEof = false, audioDone = false;
    std::uint64_t audioSerial = 0;
    bool audioSeekPending = false;
    double audioSeekTarget = 0;
    // Video.
    std::uint64_t serial = 0, deliveredSerial = 0;
    bool seekPending = false, sizePending = false, videoEof = false;
    bool holdForVideo = false;  // playing, but waiting for the frame of a seek
    double seekTarget = 0;
    int newWidth = 0, newHeight = 0;
    std::deque<Queued> queue;
    std::shared_ptr<const VideoFrame> current;
    double logicalPts = 0, logicalEnd = 0;          // of the shown frame, or the pending target
    std::vector<std::shared_ptr<VideoFrame>> pool;  // video thread only

    PlayerStats stats;
    std::string error;
    std::function<void()> onUpdate;
    std::thread videoThread, audioThread;

    Impl(const std::filesystem::path& file, PlayerOptions o, AudioOutput* output)
        : opt(o), out(output) {
        const auto probed = probe(file, !opt.allowTruncated);
        if (probed.hasVideo())
            vdec = std::make_unique<VideoDecoder>(
                file, VideoDecoderOptions{.width = opt.width,
                                          .height = opt.height,
                                          .format = opt.format,
                                          .scaling = opt.scaling,
                                          .threads = opt.decoderThreads,
                                          .allowTruncated = opt.allowTruncated});
        audioOn = probed.hasAudio() && out && opt.audio;
        if (audioOn) {
            const auto f = out->format();
            sampleRate = f.sampleRate;
            channels = f.channels;
            adec = std::make_unique<AudioDecoder>(
                file, AudioDecoderOptions{.format = f, .allowTruncated = opt.allowTruncated});
        }
        info = probed;
        duration = info.duration;
        if (info.hasVideo() && info.video().frameRate.valid())
            nominalFrame = 1.0 / info.video().frameRate.value();
        if (out) {
            out->setPaused(true);
            out->reset();
        }
        seekLocked(0.0);
        if (vdec) videoThread = std::thread([this] { videoLoop(); });
        if (audioOn) audioThread = std::thread([this] { audioLoop(); });
    }

    ~Impl() {
        {
            std::lock_guard lk(m);
            quit = true;
        }
        videoCv.notify_all();
        audioCv.notify_all();
        if (videoThread.joinable()) videoThread.join();
        if (audioThread.joinable()) audioThread.join();
        if (out) {
            out->setPaused(true);
            out->reset();
        }
    }

    bool audioClock() const { return audioOn && !audioDone; }

    double clockLocked() {
        if (state != PlayerState::Playing || holdForVideo) return pausedAt;
        if (audioClock()) {
            const auto played = out->framesPlayed();
            // At rate r each sample played stands for r samples of the media.
            const double t = audioBase + audioRate * static_cast<double>(played) / sampleRate;
            if (audioEof && played >= audioWritten) {
                // The audio has run out: go on with the wall clock from here.
                audioDone = true;
                wallBase = t;
                wallStart = Clock::now();
            }
            return t;
        }
        return wallBase + rate * std::chrono::duration<double>(Clock::now() - wallStart).count();
    }

    // Playback reached the end: stop there. Returns true when it just happened.
    bool checkEndLocked(double t) {
        if (state != PlayerState::Playing) return false;
        bool end = duration > 0 ? t >= duration
                                : (!vdec || (videoEof && queue.empty())) && (!audioOn || audioDone);
        if (!end) return false;
        state = PlayerState::Ended;
        pausedAt = duration > 0 ? duration : t;
        if (audioOn) out->setPaused(true);
        return true;
    }

    void resumeLocked() {
        if (holdForVideo) return;
        if (audioClock()) {
            out->setPaused(false);
        } else {
            wallBase = pausedAt;
            wallStart = Clock::now();
        }
    }

    void seekLocked(double t) {
        if (!std::isfinite(t)) return;
        t = std::max(0.0, duration > 0 ? std::min(t, duration) : t);
        ++serial;
        ++stats.seeks;
        pausedAt = t;
        wallBase = t;
        wallStart = Clock::now();
        if (state == PlayerState::Ended) state = PlayerState::Paused;
        logicalPts = logicalEnd = t;
        if (vdec) {
            seekPending = true;
            seekTarget = t;
            queue.clear();
            videoEof = false;
            holdForVideo = state == PlayerState::Playing;
        }
        if (audioOn) {
            out->setPaused(true);
            out->reset();
            audioBase = t;
            audioWritten = 0;
            audioRate = rate;
            audioEof = audioDone = false;
            ++audioSerial;
            audioSeekPending = true;
            audioSeekTarget = t;
            if (state == PlayerState::Playing) resumeLocked();
        }
        videoCv.notify_one();
        audioCv.notify_one();
    }

    void notify() {
        std::function<void()> cb;
        {
            std::lock_guard lk(m);
            cb = onUpdate;
        }
        if (cb) cb();
    }

    std::shared_ptr<VideoFrame> frameFromPool() {
        for (auto& p : pool) {
            if (p.use_count() == 1) {
                // Pairs with the release of the last other owner: its reads are done.
                std::atomic_thread_fence(std::memory_order_acquire);
                return p;
            }
        }
        auto f = std::make_shared<VideoFrame>();
        if (pool.size() < opt.queueFrames + 4) pool.push_back(f);
        return f;
    }

    void failLocked(const std::exception& e) {
        error = e.what();
        videoEof = true;
        holdForVideo = false;
        if (state == PlayerState::Playing) resumeLocked();
    }

    void videoLoop() {
        const std::size_t capacity = std::max<std::size_t>(1, opt.queueFrames);
        while (true) {
            std::unique_lock lk(m);
            videoCv.wait(lk, [&] {
                return quit || seekPending || sizePending || (!videoEof && queue.size() < capacity);
            });
            if (quit) return;
            if (sizePending) {
                sizePending = false;
                const int w = newWidth, h = newHeight;
                lk.unlock();
                vdec->setOutputSize(w, h);
                continue;
            }
            if (seekPending) {
                seekPending = false;
                const double t = seekTarget;
                const auto s = serial;
                lk.unlock();
                auto f = frameFromPool();
                try {
                    vdec->seek(t, *f);
                } catch (const std::exception& e) {
                    lk.lock();
                    if (s == serial) {
                        failLocked(e);
                        deliveredSerial = s;
                    }
                    lk.unlock();
                    idleCv.notify_all();
                    notify();
                    continue;
                }
                lk.lock();
                ++stats.framesDecoded;
                if (s != serial) continue;  // superseded by a newer seek
                queue.push_back({f, true});
                deliveredSerial = s;
                holdForVideo = false;
                if (state == PlayerState::Playing) resumeLocked();
                lk.unlock();
                idleCv.notify_all();
                notify();
                continue;
            }
            const auto s = serial;
            lk.unlock();
            std::optional<double> pts;
            try {
                pts = vdec->skip();
            } catch (const std::exception& e) {
                lk.lock();
                if (s == serial) failLocked(e);
                continue;
            }
            lk.lock();
            if (s != serial) continue;
            ++stats.framesDecoded;
            if (!pts) {
                videoEof = true;
                continue;
            }
            // Already more than a frame late: not worth converting.
            if (state == PlayerState::Playing && !holdForVideo &&
                *pts + nominalFrame < clockLocked()) {
                ++stats.framesDropped;
                continue;
            }
            lk.unlock();
            auto f = frameFromPool();
            vdec->convertCurrent(*f);
            lk.lock();
            if (s != serial) continue;
            queue.push_back({f, false});
        }
    }

    void audioLoop() {
        std::vector<float> chunk(static_cast<std::size_t>(1024 * channels));
        std::vector<float> stretched;    // the chunk at the playback rate (rates other than 1)
        std::size_t have = 0, used = 0;  // sample frames to write / already written
        std::uint64_t chunkSerial = 0;
        double chunkRate = 1.0;  // the rate of the samples since the last seek
        bool flushed = false;    // the stretcher has been given the end of the input
        TimeStretcher stretcher(sampleRate, channels);
        const auto ch = static_cast<std::size_t>(channels);
        while (true) {
            std::unique_lock lk(m);
            audioCv.wait(lk, [&] { return quit || audioSeekPending || !audioEof; });
            if (quit) return;
            if (audioSeekPending) {
                audioSeekPending = false;
                const double t = audioSeekTarget;
                const auto s = audioSerial;
                chunkRate = audioRate;
                lk.unlock();
                stretcher.reset();
                if (chunkRate != 1.0) stretcher.setSpeed(chunkRate);
                flushed = false;
                try {
                    adec->seek(t);
                } catch (const std::exception& e) {
                    lk.lock();
                    error = e.what();
                    audioEof = true;
                    continue;
                }
                have = used = 0;
                chunkSerial = s;
                continue;
            }
            if (chunkSerial != audioSerial) {
                // A rate change resynchronises through a seek; until it is processed, hold.
                audioCv.wait_for(lk, std::chrono::milliseconds(5));
                continue;
            }
            if (used == have) {
                lk.unlock();
                std::size_t n = 0;
                try {
                    n = adec->read(chunk);
                } catch (const std::exception& e) {
                    lk.lock();
                    error = e.what();
                    audioEof = true;
                    continue;
                }
                if (chunkRate != 1.0 && !flushed) {
                    // Time-stretched, pitch kept (outside the lock: it takes a while).
                    stretched.clear();
                    stretcher.process(std::span<const float>(chunk.data(), n * ch), n == 0,
                                      stretched);
                    flushed = n == 0;
                    n = stretched.size() / ch;
                    if (n == 0 && !flushed) continue;  // the stretcher wants more input
                }
                lk.lock();
                if (chunkSerial != audioSerial) continue;
                if (n == 0) {
                    audioEof = true;
                    continue;
                }
                have = n;
                used = 0;
            }
            const float* data = chunkRate != 1.0 ? stretched.data() : chunk.data();
            // Written under the player's lock, so a seek's reset() cannot slip in between.
            const std::size_t accepted =
                out->write(std::span<const float>(data + used * ch, (have - used) * ch));
            used += accepted;
            audioWritten += static_cast<std::int64_t>(accepted);
            if (accepted == 0) audioCv.wait_for(lk, std::chrono::milliseconds(5));
        }
    }
};

Player::Player(const std::filesystem::path& file, PlayerOptions options, AudioOutput* audio)
    : impl_(std::make_unique<Impl>(file, options, audio)) {}

Player::~Player() = default;

const MediaInfo& Player::info() const {
    return impl_->info;
}
double Player::duration() const {
    return impl_->duration;
}

void Player::play() {
    auto& d = *impl_;
    {
        std::lock_guard lk(d.m);
        if (d.state == PlayerState::Ended) d.seekLocked(0.0);
        if (d.state == PlayerState::Playing) return;
        d.state = PlayerState::Playing;
        d.holdForVideo = d.vdec && d.deliveredSerial != d.serial;
        d.resumeLocked();
    }
    d.audioCv.notify_one();
    d.videoCv.notify_one();
}

void Player::pause() {
    auto& d = *impl_;
    std::lock_guard lk(d.m);
    if (d.state != PlayerState::Playing) return;
    d.pausedAt = d.clockLocked();
    d.state = PlayerState::Paused;
    d.holdForVideo = false;
    if (d.audioOn) d.out->setPaused(true);
}

void Player::togglePlay() {
    if (state() == PlayerState::Playing)
        pause();
    else
        play();
}

PlayerState Player::state() const {
    auto& d = *impl_;
    std::lock_guard lk(d.m);
    d.checkEndLocked(d.clockLocked());
    return d.state;
}

void Player::seek(double t) {
    std::lock_guard lk(impl_->m);
    impl_->seekLocked(t);
}

void Player::stepFrames(int n) {
    if (n == 0) return;
    pause();
    auto& d = *impl_;
    std::lock_guard lk(d.m);
    if (!d.vdec) return;
    double target;
    if (n > 0) {
        const double next =
            d.logicalEnd > d.logicalPts ? d.logicalEnd : d.logicalPts + d.nominalFrame;
        target = next + (n - 1) * d.nominalFrame;
    } else {
        // Just before the shown frame is the previous one.
        target = d.logicalPts - 1e-6 + (n + 1) * d.nominalFrame;
    }
    if (d.duration > 0 && target >= d.duration) return;  // already on the last frame
    d.seekLocked(std::max(0.0, target));
}

void Player::stepSegments(int n, double segment) {
    if (n == 0 || !(segment > 0)) return;
    auto& d = *impl_;
    std::lock_guard lk(d.m);
    const double base = (d.seekPending ? d.seekTarget : d.clockLocked()) / segment;
    double k = n > 0 ? std::floor(base + 1e-6) + n : std::ceil(base - 1e-6) + n;
    const double last =
        d.duration > 0 ? std::max(0.0, std::ceil(d.duration / segment - 1e-6) - 1) : k;
    k = std::clamp(k, 0.0, last);
    d.seekLocked(k * segment);
}

void Player::setRate(double r) {
    if (!(r >= 0.25 && r <= 2.0))
        throw std::invalid_argument("playback rate must be between 0.25 and 2");
    auto& d = *impl_;
    {
        std::lock_guard lk(d.m);
        if (r == d.rate) return;
        const double t = d.clockLocked();
        d.rate = r;
        d.pausedAt = d.state == PlayerState::Playing ? t : d.pausedAt;
        d.wallBase = t;
        d.wallStart = Clock::now();
        if (d.audioOn) {
            // The audio restarts where the picture is, stretched to the new rate.
            d.out->setPaused(true);
            d.out->reset();
            ++d.audioSerial;
            d.audioWritten = 0;
            d.audioRate = r;
            d.audioEof = d.audioDone = false;
            d.audioBase = t;
            d.audioSeekPending = true;
            d.audioSeekTarget = t;
            if (d.state == PlayerState::Playing && !d.holdForVideo) d.out->setPaused(false);
        }
    }
    d.audioCv.notify_one();
}

double Player::rate() const {
    std::lock_guard lk(impl_->m);
    return impl_->rate;
}

double Player::position() const {
    auto& d = *impl_;
    std::lock_guard lk(d.m);
    const double t = d.clockLocked();
    d.checkEndLocked(t);
    return d.state == PlayerState::Ended ? d.pausedAt : t;
}

std::shared_ptr<const VideoFrame> Player::currentFrame() {
    auto& d = *impl_;
    bool ended = false;
    std::shared_ptr<const VideoFrame> result;
    {
        std::lock_guard lk(d.m);
        const double t = d.clockLocked();
        std::shared_ptr<VideoFrame> next;
        while (!d.queue.empty()) {
            const auto& q = d.queue.front();
            if (!q.exact && q.frame->pts > t + kSlack) break;
            if (next) ++d.stats.framesDropped;
            next = q.frame;
            d.queue.pop_front();
        }
        if (next) {
            if (d.state == PlayerState::Playing && t > next->end() + 1e-3) ++d.stats.framesLate;
            d.current = next;
            ++d.stats.framesShown;
            d.logicalPts = next->pts;
            d.logicalEnd = next->end();
            d.videoCv.notify_one();
        }
        ended = d.checkEndLocked(t);
        result = d.current;
    }
    if (ended) d.notify();
    return result;
}

void Player::setDisplaySize(int width, int height) {
    auto& d = *impl_;
    std::lock_guard lk(d.m);
    if (!d.vdec) return;
    d.sizePending = true;
    d.newWidth = width;
    d.newHeight = height;
    if (d.state != PlayerState::Playing) d.seekLocked(d.logicalPts);  // redraw the shown frame
    d.videoCv.notify_one();
}

void Player::setOnUpdate(std::function<void()> callback) {
    std::lock_guard lk(impl_->m);
    impl_->onUpdate = std::move(callback);
}

bool Player::waitIdle(double timeoutSeconds) {
    auto& d = *impl_;
    std::unique_lock lk(d.m);
    return d.idleCv.wait_for(lk, std::chrono::duration<double>(timeoutSeconds), [&] {
        return !d.vdec || (!d.seekPending && !d.sizePending && d.deliveredSerial == d.serial);
    });
}

PlayerStats Player::stats() const {
    std::lock_guard lk(impl_->m);
    return impl_->stats;
}

std::string Player::error() const {
    std::lock_guard lk(impl_->m);
    return impl_->error;
}

}  // namespace avvp::media

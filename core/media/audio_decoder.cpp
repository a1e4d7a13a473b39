#include "core/media/audio_decoder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "core/media/ffmpeg_common.h"

namespace avvp::media {

using namespace detail;

namespace {

// Owns an AVChannelLayout (custom orders allocate).
struct Layout {
    AVChannelLayout l{};
    Layout() = default;
    explicit Layout(int channels) { av_channel_layout_default(&l, channels); }
    Layout(const Layout&) = delete;
    Layout& operator=(const Layout&) = delete;
    ~Layout() { av_channel_layout_uninit(&l); }
    void assign(const AVChannelLayout& from) {
        av_channel_layout_uninit(&l);
        if (from.order == AV_CHANNEL_ORDER_UNSPEC || av_channel_layout_copy(&l, &from) < 0)
            av_channel_layout_default(&l, std::max(1, from.nb_channels));
    }
};

// Audio before the target is decoded from this far ahead, so that codecs with overlapping
// windows (AAC, Opus, ...) have settled at the target.
constexpr double kPreroll = 0.2;

}  // namespace

struct AudioDecoder::Impl {
    Demuxer demux;
    AudioDecoderOptions opt;
    AVStream* st = nullptr;
    CodecContextPtr ctx;
    PacketPtr pkt = makePacket();
    FramePtr frame = makeFrame();
    SwrPtr swr;
    Layout outLayout, inLayout, frameLayout;  // inLayout: frameLayout made explicit
    int inRate = 0;
    int inFormat = AV_SAMPLE_FMT_NONE;

    std::vector<float> buf;  // converted samples not yet read (interleaved)
    std::size_t bufPos = 0;  // in floats
    std::vector<float> tmp;
    bool eofSent = false, decoderDone = false, swrFlushed = false;
    bool awaitingFirst = true;
    double target = 0;            // time of the first sample after the last seek
    std::int64_t served = 0;      // sample frames returned since then
    std::int64_t dropFrames = 0;  // output frames still to discard (before the target)
    std::int64_t padFrames = 0;   // silence still to serve before buf (a late stream start)
    std::size_t peak = 0;         // the largest buf.size()
    std::int64_t errors = 0;

    Impl(const std::filesystem::path& file, AudioDecoderOptions o)
        : demux(file), opt(o), outLayout(std::max(1, o.format.channels)) {
        if (opt.format.sampleRate < 1000 || opt.format.sampleRate > 768000)
            demux.fail(MediaErrorKind::InvalidArgument,
                       "unsupported output sample rate " + std::to_string(opt.format.sampleRate));
        if (opt.format.channels < 1 || opt.format.channels > 64)
            demux.fail(MediaErrorKind::InvalidArgument,
                       "unsupported output channel count " + std::to_string(opt.format.channels));
        st = demux.audioStream();
        if (!st)
            demux.fail(MediaErrorKind::NoAudio, demux.info().hasVideo()
                                                    ? "no audio stream (the file holds only video)"
                                                    : "no audio stream");
        ctx = demux.openDecoder(st, 1);
        if (!opt.allowTruncated) demux.checkComplete();
        demux.discardAllBut(st->index);
        seek(0.0);
    }

    int channels() const { return opt.format.channels; }
    double rate() const { return opt.format.sampleRate; }

    void seek(double t) {
        if (!std::isfinite(t))
            demux.fail(MediaErrorKind::InvalidArgument, "seek to a non-finite time");
        int rc = -1;
        if (t - kPreroll > 0)
            rc = av_seek_frame(demux.context(), st->index, demux.timestamp(t - kPreroll, st),
                               AVSEEK_FLAG_BACKWARD);
        if (rc < 0) rc = demux.seekToStart(st);
        avcodec_flush_buffers(ctx.get());
        swr.reset();
        eofSent = decoderDone = swrFlushed = false;
        buf.clear();
        bufPos = 0;
        awaitingFirst = true;
        target = t;
        served = 0;
        dropFrames = 0;
        padFrames = 0;
    }

    void ensureResampler(const AVFrame* f) {
        if (swr && f->format == inFormat && f->sample_rate == inRate &&
            av_channel_layout_compare(&f->ch_layout, &frameLayout.l) == 0)
            return;
        av_channel_layout_uninit(&frameLayout.l);
        if (av_channel_layout_copy(&frameLayout.l, &f->ch_layout) < 0) throw std::bad_alloc();
        inLayout.assign(f->ch_layout);
        inFormat = f->format;
        inRate = f->sample_rate;
        SwrContext* raw = nullptr;
        int rc = swr_alloc_set_opts2(&raw, &outLayout.l, AV_SAMPLE_FMT_FLT, opt.format.sampleRate,
                                     &inLayout.l, static_cast<AVSampleFormat>(inFormat), inRate, 0,
                                     nullptr);
        swr.reset(raw);
        if (rc < 0 || !swr)
            demux.fail(MediaErrorKind::Unsupported, failure("cannot convert this audio", rc));
        const int inCh = inLayout.l.nb_channels;
        if (channels() == 1 && inCh > 1) {
            // Mono as the plain mean of the channels.
            std::vector<double> m(static_cast<std::size_t>(inCh), 1.0 / inCh);
            swr_set_matrix(swr.get(), m.data(), inCh);
        } else if (inCh == 1 && channels() > 1) {
            // Mono played on every channel at full level (FFmpeg would lower it by 3 dB).
            std::vector<double> m(static_cast<std::size_t>(channels()), 1.0);
            swr_set_matrix(swr.get(), m.data(), 1);
        }
        rc = swr_init(swr.get());
        if (rc < 0)
            demux.fail(MediaErrorKind::Unsupported, failure("cannot convert this audio", rc));
    }

    void append(const float* p, std::int64_t frames) {
        if (dropFrames > 0) {
            const auto d = std::min(dropFrames, frames);
            dropFrames -= d;
            frames -= d;
            p += d * channels();
        }
        if (frames > 0) buf.insert(buf.end(), p, p + frames * channels());
        peak = std::max(peak, buf.size());
    }

    // Converts the frame's samples from `skip` on (all of them, or the resampler's
    // remainder when f is null) and appends them.
    void convert(const AVFrame* f, int skip = 0) {
        const int inSamples = f ? f->nb_samples - skip : 0;
        if (f && inSamples <= 0) return;
        const int maxOut = swr_get_out_samples(swr.get(), inSamples);
        if (maxOut <= 0) return;
        tmp.resize(static_cast<std::size_t>(maxOut) * static_cast<std::size_t>(channels()));
        auto* out = reinterpret_cast<std::uint8_t*>(tmp.data());
        const std::uint8_t* in[AV_NUM_DATA_POINTERS] = {};
        if (f) {
            const auto fmt = static_cast<AVSampleFormat>(f->format);
            const int bytes = av_get_bytes_per_sample(fmt);
            const bool planar = av_sample_fmt_is_planar(fmt) != 0;
            const int planes = planar ? f->ch_layout.nb_channels : 1;
            const int step = planar ? bytes : bytes * f->ch_layout.nb_channels;
            for (int i = 0; i < planes && i < AV_NUM_DATA_POINTERS; ++i)
                in[i] = f->extended_data[i] + static_cast<std::ptrdiff_t>(skip) * step;
        }
        const int n = swr_convert(swr.get(), &out, maxOut, f ? in : nullptr, inSamples);
        if (n < 0) {
            ++errors;
            return;
        }
        append(tmp.data(), n);
    }

    // Places the first frame after a seek on the output sample grid; returns how many of
    // its input samples to skip.
    int firstFrame(const AVFrame* f) {
        awaitingFirst = false;
        // frame->pts, unlike best_effort_timestamp, is moved past samples the decoder
        // trims (encoder priming signalled by skip_samples).
        std::int64_t ts = f->pts;
        if (ts == AV_NOPTS_VALUE) ts = f->best_effort_timestamp;
        double p = ts != AV_NOPTS_VALUE ? demux.seconds(ts, st) : target;
        // Output samples fall on one grid anchored at the stream's first sample only if
        // resampling starts at an input sample where both grids meet (every g-th input
        // sample, g = inRate / gcd(inRate, outRate)); otherwise a seek could shift the
        // output by a fraction of a sample.
        int skip = 0;
        if (ts != AV_NOPTS_VALUE && f->sample_rate > 0) {
            const double t0 =
                st->start_time != AV_NOPTS_VALUE ? demux.seconds(st->start_time, st) : 0.0;
            const auto g = static_cast<std::int64_t>(
                f->sample_rate / std::gcd(f->sample_rate, opt.format.sampleRate));
            const auto n0 = static_cast<std::int64_t>(std::llround((p - t0) * f->sample_rate));
            const auto rem = ((n0 % g) + g) % g;
            if (rem != 0 && g - rem < f->nb_samples) {
                skip = static_cast<int>(g - rem);
                p = t0 + static_cast<double>(n0 + skip) / f->sample_rate;
            }
        }
        if (p > target) {
            // The stream starts after the target: silence up to its first sample, served
            // by read() without being buffered.
            padFrames =
                static_cast<std::int64_t>(std::llround(std::min(p - target, 3600.0) * rate()));
        } else {
            dropFrames = static_cast<std::int64_t>(std::llround((target - p) * rate()));
        }
        return skip;
    }

    // Decodes until some output is buffered; false at the end.
    bool refill() {
        if (bufPos >= buf.size()) {
            buf.clear();
            bufPos = 0;
        }
        while (bufPos >= buf.size()) {
            if (decoderDone) {
                if (swr && !swrFlushed) {
                    swrFlushed = true;
                    convert(nullptr);
                    continue;
                }
                return false;
            }
            int rc = avcodec_receive_frame(ctx.get(), frame.get());
            if (rc == 0) {
                ensureResampler(frame.get());
                const int skip = awaitingFirst ? firstFrame(frame.get()) : 0;
                convert(frame.get(), skip);
                continue;
            }
            if (rc == AVERROR_EOF) {
                decoderDone = true;
                continue;
            }
            if (rc != AVERROR(EAGAIN)) ++errors;
            if (eofSent) {
                decoderDone = true;
                continue;
            }
            rc = av_read_frame(demux.context(), pkt.get());
            if (rc < 0) {
                avcodec_send_packet(ctx.get(), nullptr);
                eofSent = true;
                continue;
            }
            if (pkt->stream_index == st->index) {
                rc = avcodec_send_packet(ctx.get(), pkt.get());
                if (rc < 0 && rc != AVERROR(EAGAIN)) ++errors;
            }
            av_packet_unref(pkt.get());
        }
        return true;
    }

    std::size_t read(float* out, std::size_t frames) {
        const auto ch = static_cast<std::size_t>(channels());
        std::size_t got = 0;
        while (got < frames) {
            if (padFrames > 0) {
                const auto n = std::min(frames - got, static_cast<std::size_t>(padFrames));
                std::fill_n(out + got * ch, n * ch, 0.0f);
                padFrames -= static_cast<std::int64_t>(n);
                got += n;
                continue;
            }
            if (bufPos >= buf.size() && !refill() && padFrames == 0) break;
            if (padFrames > 0) continue;
            const std::size_t n = std::min(frames - got, (buf.size() - bufPos) / ch);
            std::memcpy(out + got * ch, buf.data() + bufPos, n * ch * sizeof(float));
            bufPos += n * ch;
            got += n;
        }
        served += static_cast<std::int64_t>(got);
        return got;
    }
};

AudioDecoder::AudioDecoder(const std::filesystem::path& file, AudioDecoderOptions options)
    : impl_(std::make_unique<Impl>(file, options)) {}
AudioDecoder::~AudioDecoder() = default;
AudioDecoder::AudioDecoder(AudioDecoder&&) noexcept = default;
AudioDecoder& AudioDecoder::operator=(AudioDecoder&&) noexcept = default;

const MediaInfo& AudioDecoder::info() const {
    return impl_->demux.info();
}
const AudioFormat& AudioDecoder::format() const {
    return impl_->opt.format;
}
std::int64_t AudioDecoder::decodeErrors() const {
    return impl_->errors;
}

std::size_t AudioDecoder::peakBuffered() const {
    return impl_->peak;
}

std::size_t AudioDecoder::read(std::span<float> out) {
    return impl_->read(out.data(), out.size() / static_cast<std::size_t>(impl_->channels()));
}

std::size_t AudioDecoder::read(std::vector<float>& out, std::size_t frames) {
    const auto ch = static_cast<std::size_t>(impl_->channels());
    const auto old = out.size();
    out.resize(old + frames * ch);
    const auto got = impl_->read(out.data() + old, frames);
    out.resize(old + got * ch);
    return got;
}

std::vector<float> AudioDecoder::readAll() {
    std::vector<float> out;
    while (read(out, 65536) > 0) {
    }
    return out;
}

double AudioDecoder::position() const {
    return impl_->target + static_cast<double>(impl_->served) / impl_->rate();
}

void AudioDecoder::seek(double t) {
    impl_->seek(t);
}

std::vector<float> AudioDecoder::readWindow(double start, double seconds) {
    if (!(seconds >= 0) || !std::isfinite(seconds))
        impl_->demux.fail(MediaErrorKind::InvalidArgument, "invalid window length");
    const auto frames = static_cast<std::size_t>(std::llround(seconds * impl_->rate()));
    std::vector<float> out(frames * static_cast<std::size_t>(impl_->channels()), 0.0f);
    seek(start);
    read(out);
    return out;
}

}  // namespace avvp::media

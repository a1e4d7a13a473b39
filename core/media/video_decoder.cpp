#include "core/media/video_decoder.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/media/ffmpeg_common.h"

namespace avvp::media {

using namespace detail;

void resolveOutputSize(int srcW, int srcH, int& width, int& height) {
    srcW = std::max(srcW, 1);
    srcH = std::max(srcH, 1);
    if (width <= 0 && height <= 0) {
        width = srcW;
        height = srcH;
    } else if (height <= 0) {
        height =
            std::max(1, static_cast<int>(std::lround(static_cast<double>(width) * srcH / srcW)));
    } else if (width <= 0) {
        width =
            std::max(1, static_cast<int>(std::lround(static_cast<double>(height) * srcW / srcH)));
    }
}

namespace {

// A frame counts as covering t when its pts is at or before t; the slack absorbs the
// rounding of time stamps converted to seconds.
constexpr double kSlack = 1e-9;

int swsFlags(Scaling s) {
    switch (s) {
        case Scaling::FastBilinear:
            return SWS_FAST_BILINEAR;
        case Scaling::Bilinear:
            return SWS_BILINEAR;
        case Scaling::Bicubic:
            return SWS_BICUBIC;
        case Scaling::Area:
            return SWS_AREA;
    }
    return SWS_BILINEAR;
}

int swsColorspace(const AVFrame* f) {
    switch (f->colorspace) {
        case AVCOL_SPC_BT709:
            return SWS_CS_ITU709;
        case AVCOL_SPC_FCC:
            return SWS_CS_FCC;
        case AVCOL_SPC_SMPTE240M:
            return SWS_CS_SMPTE240M;
        case AVCOL_SPC_BT2020_NCL:
        case AVCOL_SPC_BT2020_CL:
            return SWS_CS_BT2020;
        case AVCOL_SPC_BT470BG:
        case AVCOL_SPC_SMPTE170M:
            return SWS_CS_ITU601;
        default:
            // Unspecified: what players assume, BT.709 for HD and BT.601 below.
            return f->height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;
    }
}

bool fullRange(const AVFrame* f) {
    if (f->color_range == AVCOL_RANGE_JPEG) return true;
    switch (f->format) {
        case AV_PIX_FMT_YUVJ420P:
        case AV_PIX_FMT_YUVJ422P:
        case AV_PIX_FMT_YUVJ444P:
        case AV_PIX_FMT_YUVJ440P:
            return true;
        default:
            return false;
    }
}

}  // namespace

struct VideoDecoder::Impl {
    Demuxer demux;
    VideoDecoderOptions opt;
    AVStream* st = nullptr;
    CodecContextPtr ctx;
    PacketPtr pkt = makePacket();
    SwsPtr sws;
    const SwsContext* swsConfigured = nullptr;  // the context the colour details were set on
    int swsCs = -1, swsRange = -1;
    int outW = 0, outH = 0;

    FramePtr cur = makeFrame(), ahead = makeFrame();
    double curPts = 0, curDur = 0, aheadPts = 0;
    bool haveCur = false, haveAhead = false;
    bool eofSent = false;
    double prevDecodedPts = -std::numeric_limits<double>::infinity();
    double nominalFrame = 1.0 / 25;
    // While a seek decodes forward to its target, frames nobody references (B-frames)
    // that are shown well before the target are not decoded at all.
    double skipBefore = -std::numeric_limits<double>::infinity();
    double maxSkipped = -std::numeric_limits<double>::infinity();  // pts of such a packet
    VideoDecoderStats stats;

    Impl(const std::filesystem::path& file, VideoDecoderOptions o) : demux(file), opt(o) {
        st = demux.videoStream();
        if (!st)
            demux.fail(MediaErrorKind::NoVideo, demux.info().hasAudio()
                                                    ? "no video stream (the file holds only audio)"
                                                    : "no video stream");
        ctx = demux.openDecoder(st, opt.threads);
        if (!opt.allowTruncated) demux.checkComplete();
        demux.discardAllBut(st->index);
        const auto& vi = demux.info().video();
        if (vi.frameRate.valid()) nominalFrame = 1.0 / vi.frameRate.value();
        setSize(opt.width, opt.height);
        seekDemuxer(0.0, true);
    }

    void setSize(int w, int h) {
        if (w < 0 || h < 0 || w > 16384 || h > 16384)
            demux.fail(MediaErrorKind::InvalidArgument,
                       "invalid output size " + std::to_string(w) + "x" + std::to_string(h));
        resolveOutputSize(demux.info().displayWidth(), demux.info().displayHeight(), w, h);
        outW = w;
        outH = h;
    }

    void seekDemuxer(double t, bool toStart) {
        ++stats.demuxerSeeks;
        int rc = -1;
        if (!toStart)
            rc = av_seek_frame(demux.context(), st->index, demux.timestamp(t, st),
                               AVSEEK_FLAG_BACKWARD);
        if (rc < 0) demux.seekToStart(st);
        avcodec_flush_buffers(ctx.get());
        eofSent = false;
        haveCur = haveAhead = false;
        prevDecodedPts = -std::numeric_limits<double>::infinity();
    }

    // Decodes the next frame (presentation order) into `out`; false at the end.
    bool decodeOne(AVFrame* out, double& pts) {
        while (true) {
            int rc = avcodec_receive_frame(ctx.get(), out);
            if (rc == 0) {
                ++stats.framesDecoded;
                std::int64_t ts = out->best_effort_timestamp;
                if (ts == AV_NOPTS_VALUE) ts = out->pts;
                if (ts != AV_NOPTS_VALUE)
                    pts = demux.seconds(ts, st);
                else
                    pts = std::isfinite(prevDecodedPts) ? prevDecodedPts + nominalFrame : 0.0;
                prevDecodedPts = pts;
                return true;
            }
            if (rc == AVERROR_EOF) return false;
            if (rc != AVERROR(EAGAIN)) {
                ++stats.decodeErrors;
                stats.lastDecodeError = failure("decoding failed", rc);
                if (eofSent) return false;
            }
            if (eofSent) return false;
            clearLastLog();
            rc = av_read_frame(demux.context(), pkt.get());
            if (rc < 0) {
                if (rc != AVERROR_EOF) stats.lastDecodeError = failure("reading failed", rc);
                avcodec_send_packet(ctx.get(), nullptr);
                eofSent = true;
                continue;
            }
            if (pkt->stream_index != st->index) {
                av_packet_unref(pkt.get());
                continue;
            }
            bool skip = false;
            if (std::isfinite(skipBefore) && !(pkt->flags & AV_PKT_FLAG_KEY) &&
                pkt->pts != AV_NOPTS_VALUE) {
                const double p = demux.seconds(pkt->pts, st);
                skip = p < skipBefore;
                if (skip) maxSkipped = std::max(maxSkipped, p);
            }
            ctx->skip_frame = skip ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
            rc = avcodec_send_packet(ctx.get(), pkt.get());
            av_packet_unref(pkt.get());
            if (rc < 0 && rc != AVERROR(EAGAIN)) {
                ++stats.decodeErrors;
                stats.lastDecodeError = failure("a packet could not be decoded", rc);
            }
        }
    }

    [[noreturn]] void failNoFrame() {
        std::string reason = "corrupt: no video frame could be decoded";
        if (!stats.lastDecodeError.empty()) reason += " (" + stats.lastDecodeError + ")";
        demux.fail(MediaErrorKind::Corrupt, reason);
    }

    double lastFrameDuration(const AVFrame* f) const {
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
        const std::int64_t d = f->duration;
#else
        const std::int64_t d = f->pkt_duration;
#endif
        if (d > 0) return toSeconds(d, st->time_base);
        return nominalFrame;
    }

    // Makes `ahead` the current frame and decodes the one after it.
    void advance() {
        std::swap(cur, ahead);
        curPts = aheadPts;
        haveCur = true;
        haveAhead = decodeOne(ahead.get(), aheadPts);
        curDur = haveAhead ? std::max(0.0, aheadPts - curPts) : lastFrameDuration(cur.get());
    }

    // Moves to the next frame; false after the last one.
    bool step() {
        if (!haveAhead) {
            if (haveCur) return false;  // the current frame was the last
            haveAhead = decodeOne(ahead.get(), aheadPts);
            if (!haveAhead) {
                if (stats.framesDecoded == 0) failNoFrame();
                return false;
            }
        }
        advance();
        return true;
    }

    void convert(VideoFrame& into) {
        const AVFrame* f = cur.get();
        const AVPixelFormat dst =
            opt.format == PixelFormat::Rgb24 ? AV_PIX_FMT_RGB24 : AV_PIX_FMT_BGRA;
        sws.reset(sws_getCachedContext(sws.release(), f->width, f->height,
                                       static_cast<AVPixelFormat>(f->format), outW, outH, dst,
                                       swsFlags(opt.scaling), nullptr, nullptr, nullptr));
        if (!sws) {
            const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(f->format));
            demux.fail(MediaErrorKind::Unsupported,
                       std::string("cannot convert video frames of pixel format ") +
                           (name ? name : "unknown") + " to RGB");
        }
        const int cs = swsColorspace(f);
        const int range = fullRange(f) ? 1 : 0;
        if (sws.get() != swsConfigured || cs != swsCs || range != swsRange) {
            sws_setColorspaceDetails(sws.get(), sws_getCoefficients(cs), range,
                                     sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
            swsConfigured = sws.get();
            swsCs = cs;
            swsRange = range;
        }
        into.width = outW;
        into.height = outH;
        into.format = opt.format;
        into.pixels.resize(static_cast<std::size_t>(into.stride()) *
                           static_cast<std::size_t>(outH));
        std::uint8_t* dstData[4] = {into.pixels.data(), nullptr, nullptr, nullptr};
        int dstStride[4] = {into.stride(), 0, 0, 0};
        sws_scale(sws.get(), f->data, f->linesize, 0, f->height, dstData, dstStride);
        into.pts = curPts;
        into.duration = curDur;
        ++stats.framesConverted;
    }

    void seek(double t, VideoFrame& into) {
        if (!std::isfinite(t))
            demux.fail(MediaErrorKind::InvalidArgument, "seek to a non-finite time");
        // Cheap paths: the current frame covers t, or t is a little ahead of it.
        if (haveCur && t + kSlack >= curPts && t - curPts <= opt.forwardDecodeSeconds) {
            while (haveAhead && aheadPts <= t + kSlack) advance();
            convert(into);
            return;
        }
        // Back off further before t until the first decoded frame is at or before t
        // (keyframe indexes can be coarse or point past the target).
        for (const double back : {0.0, 1.0, 3.0, 10.0, 30.0, -1.0}) {
            const bool toStart = back < 0 || t - back <= 0;
            for (const bool skipping : {opt.skipUnreferencedWhileSeeking, false}) {
                seekDemuxer(t - back, toStart);
                maxSkipped = -std::numeric_limits<double>::infinity();
                skipBefore =
                    skipping ? t - 3 * nominalFrame : -std::numeric_limits<double>::infinity();
                haveAhead = decodeOne(ahead.get(), aheadPts);
                bool found = haveAhead && (aheadPts <= t + kSlack || toStart);
                if (found) {
                    advance();
                    while (haveAhead && aheadPts <= t + kSlack) advance();
                }
                skipBefore = -std::numeric_limits<double>::infinity();
                ctx->skip_frame = AVDISCARD_DEFAULT;
                // A skipped frame between the one found and t would have been the answer
                // (a long-lasting B-frame of a variable-rate video): decode everything.
                if (found && maxSkipped > curPts + kSlack) continue;
                if (!found) {
                    if (!haveAhead && toStart) failNoFrame();
                    break;  // back off further
                }
                convert(into);
                return;
            }
        }
        failNoFrame();
    }
};

VideoDecoder::VideoDecoder(const std::filesystem::path& file, VideoDecoderOptions options)
    : impl_(std::make_unique<Impl>(file, options)) {}
VideoDecoder::~VideoDecoder() = default;
VideoDecoder::VideoDecoder(VideoDecoder&&) noexcept = default;
VideoDecoder& VideoDecoder::operator=(VideoDecoder&&) noexcept = default;

const MediaInfo& VideoDecoder::info() const {
    return impl_->demux.info();
}
int VideoDecoder::outputWidth() const {
    return impl_->outW;
}
int VideoDecoder::outputHeight() const {
    return impl_->outH;
}
PixelFormat VideoDecoder::outputFormat() const {
    return impl_->opt.format;
}
void VideoDecoder::setOutputSize(int width, int height) {
    impl_->setSize(width, height);
}
const VideoDecoderStats& VideoDecoder::stats() const {
    return impl_->stats;
}

std::optional<VideoFrame> VideoDecoder::next() {
    VideoFrame f;
    if (!next(f)) return std::nullopt;
    return f;
}

bool VideoDecoder::next(VideoFrame& into) {
    if (!impl_->step()) return false;
    impl_->convert(into);
    return true;
}

std::optional<double> VideoDecoder::skip() {
    if (!impl_->step()) return std::nullopt;
    return impl_->curPts;
}

bool VideoDecoder::convertCurrent(VideoFrame& into) {
    if (!impl_->haveCur) return false;
    impl_->convert(into);
    return true;
}

VideoFrame VideoDecoder::seek(double t) {
    VideoFrame f;
    impl_->seek(t, f);
    return f;
}

void VideoDecoder::seek(double t, VideoFrame& into) {
    impl_->seek(t, into);
}

}  // namespace avvp::media
